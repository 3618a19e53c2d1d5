"""Court outcomes for people in Iran who rallied for Azerbaijan: terms, money, totals and intervals.

Every function takes the typed tables of :func:`analysis.data.load_all` (or frames with the same
columns), returns new frames, and does no I/O. Nothing is printed and no state is kept.

Conventions
-----------
Time
    One constant, :data:`DAYS_PER_MONTH` = 365.25 / 12 = 30.4375 days. A year is 12 months
    (so 365.25 days). A term of *m* months and *d* days is ``m * DAYS_PER_MONTH + d`` days, and
    that many days divided by 365.25 in years. If both months and days are missing, the term is
    NA. If only one is missing, that one counts as 0.
Money
    Amounts go to Iranian rials: rial ×1, toman ×10 (1 toman = 10 rials, as the schema says).
    AZN and USD become NA because the sources give no exchange rate and this module does not
    make one up. Any other currency raises ``ValueError``.
Outcomes
    A row is a sentence, an acquittal or an upheld appeal. In :func:`sentence_table` an upheld
    appeal has its own row, carrying the terms of the sentence it upholds (the sources say "terms
    as in the original sentence"). Summaries count only ``sentenced`` and ``acquitted`` rows, so a
    sentence confirmed on appeal is counted once.
Dates
    A month-precision date is the 1st of its month. Intervals that use one are approximate (they
    can be off by up to a month) and are flagged. Year-precision dates are never used for
    intervals.
Children
    A person the sources give as under 18 appears only under their neutral ``Minor ...`` label,
    without the age (:func:`person_labels`): a part of the label that states an age is dropped, and
    a name that is not such a label shows as plain ``Minor``. Minor summaries give counts only, by
    age band (:data:`AGE_BANDS`: under 14, 14-17), never an exact age.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

import pandas as pd

from .evidence import figure_grades
from .terms import (  # noqa: F401  (the chapter and tests use them as sentencing.*)
    DAYS_PER_MONTH,
    DAYS_PER_YEAR,
    MONTHS_PER_YEAR,
    RIALS_PER_UNIT,
    prison_days,
    prison_years,
    stated_vs_recorded,
    to_rials,
    with_upheld_terms,
)
from .words import NOT_STATED, SHORT_DATE, date_text, number

if TYPE_CHECKING:  # plotly is imported where a figure is built, so the rest of the module does not need it
    import plotly.graph_objects as go

COUNTED_OUTCOMES: Final[tuple[str, str]] = ("sentenced", "acquitted")
AGE_BANDS: Final[tuple[str, ...]] = ("under 14", "14-17", "age not stated")
"""The only ages the book shows for a child: a band, or that the source gives none."""
INTERVAL_PRECISIONS: Final[frozenset[str]] = frozenset({"day", "month"})
SETTLEMENT_KINDS: Final[frozenset[str]] = frozenset({"city", "town", "village"})

# --------------------------------------------------------------------------- people, courts, places


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    return (
        frame[column].astype("string")
        if column in frame.columns
        else pd.Series(pd.NA, index=frame.index, dtype="string")
    )


_AGE_TEXT = re.compile(r"\d|\bage\b|\baged\b|\byears?\b|year-old", flags=re.IGNORECASE)


def minor_label(name: object) -> str:
    """A child's label without any age: the parts of a 'Minor, ...' label that state none; 'Minor' for anything else."""
    if not (isinstance(name, str) and re.match(r"Minor\b", name)):
        return "Minor"
    parts = [p.strip() for p in name.split(",")]
    # A trailing counter such as '(1)' tells children of one place apart; any other number is an age.
    first = parts[0] if re.fullmatch(r"Minor(?:\s*\(\w{1,3}\))?", parts[0]) else "Minor"
    kept = [p for p in parts[1:] if p and not _AGE_TEXT.search(re.sub(r"\s*\(\w{1,3}\)$", "", p))]
    return ", ".join([first, *kept])


def person_labels(actors: pd.DataFrame) -> pd.Series:
    """Display name per actor_id: the name, or for a minor only the neutral 'Minor ...' label."""
    minor = (
        actors["is_minor"].astype("boolean").fillna(False).astype(bool)
        if "is_minor" in actors
        else pd.Series(False, index=actors.index)
    )
    names = [minor_label(n) if m else n for n, m in zip(actors["name"].astype(object), minor)]
    return pd.Series(names, index=actors["actor_id"].astype(str).to_numpy(), dtype="string", name="person")


def _search_terms(name: str, aliases: object) -> list[str]:
    terms = [name, re.sub(r"\s*\(.*?\)", "", name).strip()]
    if isinstance(aliases, str):
        terms += [a.strip() for a in aliases.split("|")]
    return sorted({t for t in terms if t}, key=len, reverse=True)


def _find_city(text: str, country: object, cities: pd.DataFrame) -> object:
    """The settlement named earliest in ``text`` (word-bounded, case-insensitive), same country if known."""
    best: tuple[int, str] | None = None
    for _, city in cities.iterrows():
        if pd.notna(country) and pd.notna(city["country"]) and city["country"] != country:
            continue
        for term in _search_terms(str(city["name"]), city["aliases"]):
            found = re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, flags=re.IGNORECASE)
            if found and (best is None or found.start() < best[0]):
                best = (found.start(), str(city["name"]))
    return pd.NA if best is None else best[1]


def _settlements(places: pd.DataFrame) -> pd.DataFrame:
    kind = places["kind"].astype(object)
    out = places[kind.isin(SETTLEMENT_KINDS)]
    return pd.DataFrame(
        {
            "name": out["name"].astype(object),
            "country": _text(out, "country").astype(object),
            "aliases": _text(out, "aliases").astype(object),
        }
    )


def place_cities(places: pd.DataFrame) -> pd.Series:
    """City per place_id: a city, town or village is its own; a site takes the settlement its name or aliases name."""
    cities = _settlements(places)
    out: dict[str, object] = {}
    for _, place in places.iterrows():
        kind = str(place["kind"])
        if kind in SETTLEMENT_KINDS:
            out[str(place["place_id"])] = place["name"]
        elif kind == "site":
            aliases = place["aliases"] if "aliases" in place and pd.notna(place["aliases"]) else ""
            text = " | ".join([str(place["name"]), str(aliases)])
            out[str(place["place_id"])] = _find_city(text, place.get("country", pd.NA), cities)
        else:
            out[str(place["place_id"])] = pd.NA
    return pd.Series(out, dtype="string", name="city")


def _ranked_detentions(sentences: pd.DataFrame, detentions: pd.DataFrame) -> pd.DataFrame:
    """Every (sentence, detention of the same person) pair, best first per sentence.

    Best = the detention whose outcome matches the court outcome (an upheld appeal matches
    'sentenced'), then the earliest dated one, then file order.
    """
    s = pd.DataFrame(
        {
            "sentence_row": sentences.index,
            "sentence_id": sentences["sentence_id"].astype(str).to_numpy(),
            "actor_id": sentences["actor_id"].astype(str).to_numpy(),
            "wanted": sentences["outcome"].astype(str).replace({"upheld": "sentenced"}).to_numpy(),
            "sentence_date": pd.to_datetime(sentences["date"]).to_numpy(),
        }
    )
    named = detentions[detentions["actor_id"].notna()]
    d = pd.DataFrame(
        {
            "detention_row": named.index,
            "detention_id": named["detention_id"].astype(str).to_numpy(),
            "actor_id": named["actor_id"].astype(str).to_numpy(),
            "det_outcome": named["outcome"].astype(str).to_numpy(),
            "detention_date": pd.to_datetime(named["date"]).to_numpy(),
            "detention_precision": named["date_precision"].astype(object).to_numpy(),
            "place_id": _text(named, "place_id").to_numpy(),
        }
    )
    pairs = s.merge(d, on="actor_id", how="inner")
    pairs["mismatch"] = pairs["wanted"] != pairs["det_outcome"]
    return pairs.sort_values(["sentence_row", "mismatch", "detention_date", "detention_row"], na_position="last")


def sentence_cities(sentences: pd.DataFrame, detentions: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Per sentence: the person's detention with a known city (best match first) and that city; NA where none is
    known."""
    pairs = _ranked_detentions(sentences, detentions)
    pairs["city"] = pairs["place_id"].map(place_cities(places))
    best = pairs[pairs["city"].notna()].drop_duplicates("sentence_row").set_index("sentence_row")
    out = pd.DataFrame({"sentence_id": sentences["sentence_id"].astype("string")}, index=sentences.index)
    out["detention_id"] = best["detention_id"].reindex(out.index).astype("string")
    out["place_id"] = best["place_id"].reindex(out.index).astype("string")
    out["city"] = best["city"].reindex(out.index).astype("string")
    return out


# --------------------------------------------------------------------------- per-person table


def sentence_table(
    sentences: pd.DataFrame,
    actors: pd.DataFrame,
    courts: pd.DataFrame | None = None,
    *,
    detentions: pd.DataFrame | None = None,
    places: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per court outcome per person, terms normalised (days, years, rials); cities added when places are
    given."""
    s, terms_from = with_upheld_terms(sentences)
    labels = person_labels(actors)
    court_names = (actors if courts is None else courts).set_index("actor_id")["name"].astype("string")
    minors = (
        actors.loc[actors["is_minor"].astype("boolean").fillna(False).astype(bool), "actor_id"].astype(str)
        if "is_minor" in actors
        else pd.Series(dtype=str)
    )
    date = pd.to_datetime(s["date"])
    table = pd.DataFrame(
        {
            "sentence_id": s["sentence_id"].astype("string"),
            "actor_id": s["actor_id"].astype("string"),
            "person": s["actor_id"].astype(str).map(labels).astype("string"),
            "is_minor": s["actor_id"].astype(str).isin(set(minors)),
            "court": s["court_actor_id"].map(court_names).astype("string"),
            "date": date,
            "date_precision": s["date_precision"],
            "year": date.dt.year.astype("Int64"),
            "outcome": s["outcome"],
            "appeal_of": _text(s, "appeal_of"),
            "terms_from": terms_from,
            "prison_days": prison_days(s["prison_months"], s["prison_days"]),
            "prison_years": prison_years(s["prison_months"], s["prison_days"]),
            "lashes": s["lashes"].astype("Int64"),
            "fine_amount": s["fine_amount"].astype("Float64"),
            "fine_currency": s["fine_currency"],
            "fine_rials": to_rials(s["fine_amount"], s["fine_currency"]),
            "legal_article": _text(s, "legal_article"),
            "charges": _text(s, "charges"),
            "event_id": _text(s, "event_id"),
            "source_id": _text(s, "source_id"),
            "locator": _text(s, "locator"),
        },
        index=s.index,
    )
    if places is not None:
        settlements = _settlements(places)
        court_country = (
            s["court_actor_id"].map(actors.set_index("actor_id")["country"])
            if "country" in actors
            else pd.Series(pd.NA, index=s.index)
        )
        table["court_city"] = pd.Series(
            [_find_city(c, k, settlements) if pd.notna(c) else pd.NA for c, k in zip(table["court"], court_country)],
            index=s.index,
            dtype="string",
        )
        table["detention_city"] = (
            sentence_cities(sentences, detentions, places)["city"]
            if detentions is not None
            else pd.Series(pd.NA, index=s.index, dtype="string")
        )
        table["city"] = table["detention_city"].fillna(table["court_city"])
    return table


# --------------------------------------------------------------------------- summaries


def summarise(table: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    """Per group (court, legal_article, year, city ...): people, sentenced, acquitted, prison years, lashes, fines."""
    keys = [by] if isinstance(by, str) else list(by)
    keys = ["city" if k == "place" else k for k in keys]
    frame = table[table["outcome"].astype(object).isin(COUNTED_OUTCOMES)].copy()
    if "year" in keys and "year" not in frame.columns:
        frame["year"] = pd.to_datetime(frame["date"]).dt.year.astype("Int64")
    missing = [k for k in keys if k not in frame.columns]
    if missing:
        raise KeyError(
            f"no column {', '.join(missing)} in the table"
            + (" (pass detentions= and places= to sentence_table for cities)" if "city" in missing else "")
        )
    sentenced = frame["outcome"].astype(object).eq("sentenced")
    frame["_sentenced"] = sentenced.astype(int)
    frame["_acquitted"] = frame["outcome"].astype(object).eq("acquitted").astype(int)
    frame["_years"] = frame["prison_years"].astype("Float64").where(sentenced)
    frame["_unconverted"] = (
        (frame["fine_amount"].notna() & frame["fine_rials"].isna()).astype(int) if "fine_amount" in frame else 0
    )
    for k in keys:  # categoricals would add empty groups; plain values keep only what is there
        if isinstance(frame[k].dtype, pd.CategoricalDtype):
            frame[k] = frame[k].astype(object)
    out = (
        frame.groupby(keys, dropna=False, sort=True)
        .agg(
            people=("actor_id", "nunique"),
            sentenced=("_sentenced", "sum"),
            acquitted=("_acquitted", "sum"),
            prison_years_total=("_years", "sum"),
            prison_years_median=("_years", "median"),
            lashes_total=("lashes", "sum"),
            fine_rials_total=("fine_rials", "sum"),
            fines_not_in_rials=("_unconverted", "sum"),
        )
        .reset_index()
    )
    out["prison_years_median"] = out["prison_years_median"].astype("Float64")
    out["lashes_total"] = out["lashes_total"].astype("Int64")
    return out


def days_to_sentence(sentences: pd.DataFrame, detentions: pd.DataFrame) -> pd.DataFrame:
    """Per sentence: the detention and ruling dates with precisions and the days between (day/month precision only)."""
    pairs = _ranked_detentions(sentences, detentions)
    usable = (
        pairs["detention_date"].notna()
        & pairs["detention_precision"].isin(INTERVAL_PRECISIONS)
        & ~(pairs["detention_date"] > pairs["sentence_date"])
    )
    best = pairs[usable].drop_duplicates("sentence_row").set_index("sentence_row").reindex(sentences.index)
    out = pd.DataFrame(
        {
            "sentence_id": sentences["sentence_id"].astype("string"),
            "actor_id": sentences["actor_id"].astype("string"),
            "outcome": sentences["outcome"],
            "detention_id": best["detention_id"].astype("string"),
            "detention_date": pd.to_datetime(best["detention_date"]),
            "detention_precision": best["detention_precision"].astype("string"),
            "sentence_date": pd.to_datetime(sentences["date"]),
            "sentence_precision": sentences["date_precision"].astype("string"),
        },
        index=sentences.index,
    )
    both = (
        out["detention_precision"].isin(INTERVAL_PRECISIONS).fillna(False)
        & out["sentence_precision"].isin(INTERVAL_PRECISIONS).fillna(False)
        & out["detention_date"].notna()
        & out["sentence_date"].notna()
    )
    days = (out["sentence_date"] - out["detention_date"]).dt.days
    out["days"] = days.where(both).astype("Int64")
    month = out["detention_precision"].eq("month").fillna(False) | out["sentence_precision"].eq("month").fillna(False)
    out["approximate"] = pd.Series(month & both, dtype="boolean").where(both, pd.NA)
    return out


def _age_band(age: object) -> str:
    if pd.isna(age):  # type: ignore[arg-type]
        return AGE_BANDS[2]
    return AGE_BANDS[0] if int(age) < 14 else AGE_BANDS[1]  # type: ignore[call-overload]


def minors_summary(actors: pd.DataFrame, detentions: pd.DataFrame, places: pd.DataFrame | None = None) -> pd.DataFrame:
    """Number of distinct minors detained per place and age band; counts only, never names or keys."""
    minor = actors[actors["is_minor"].astype("boolean").fillna(False).astype(bool)]
    ages = minor.set_index(minor["actor_id"].astype(str))["age"]
    held = detentions[detentions["actor_id"].astype(object).isin(set(ages.index))]
    place = held["place_id"].astype(object)
    if places is not None:
        place = place.map(places.set_index(places["place_id"].astype(str))["name"].astype(object))
    frame = pd.DataFrame(
        {
            "place": place.fillna("place not stated").astype(str),
            "age_band": [_age_band(ages[a]) for a in held["actor_id"].astype(str)],
            "actor_id": held["actor_id"].astype(str),
        }
    )
    out = frame.groupby(["place", "age_band"], sort=False).agg(minors=("actor_id", "nunique")).reset_index()
    out["age_band"] = pd.Categorical(out["age_band"], categories=AGE_BANDS, ordered=True)
    out["minors"] = out["minors"].astype("Int64")
    return out.sort_values(["place", "age_band"]).reset_index(drop=True)


# ------------------------------------------------------------------------- for the chapter: text, per person, intervals


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def term_text(months: pd.Series, days: pd.Series) -> pd.Series:
    """A prison term as stated, in words: '7 months 16 days', '24 months'; NA where no term is given."""
    out = []
    for m, d in zip(months, days):
        parts = ([] if pd.isna(m) or (m == 0 and pd.notna(d)) else [_plural(int(m), "month")]) + (
            [] if pd.isna(d) or d == 0 else [_plural(int(d), "day")]
        )
        out.append(" ".join(parts) if parts else pd.NA)
    return pd.Series(out, index=months.index, dtype="string")


def person_outcomes(table: pd.DataFrame, sentences: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per counted court outcome (sentence or acquittal): who, court, when, term as stated and converted,
    lashes, fine, evidence grade."""
    counted = table[table["outcome"].astype(object).isin(COUNTED_OUTCOMES)]
    raw = sentences.loc[counted.index]
    upheld = set(table.loc[table["outcome"].astype(object).eq("upheld"), "appeal_of"].dropna().astype(str))
    out = pd.DataFrame(
        {
            "person": counted["person"],
            "outcome": counted["outcome"].astype("string"),
            "court": counted["court"].fillna(NOT_STATED),
            "when": date_text(counted["date"], counted["date_precision"], **SHORT_DATE),
            "term": term_text(raw["prison_months"], raw["prison_days"]),
            "prison_months": (counted["prison_days"] / DAYS_PER_MONTH).astype("Float64"),
            "prison_years": counted["prison_years"].astype("Float64"),
            "lashes": counted["lashes"],
            "fine_rials": counted["fine_rials"],
            "legal_article": counted["legal_article"],
            "charges": counted["charges"],
            "upheld_on_appeal": counted["sentence_id"].astype(str).isin(upheld),
            "city": counted["city"] if "city" in counted else pd.Series(pd.NA, index=counted.index, dtype="string"),
            "evidence": figure_grades("sentences", sentences, sources=sources).reindex(counted.index).astype("string"),
            "source_id": counted["source_id"],
            "locator": counted["locator"],
        },
        index=counted.index,
    )
    return out.sort_values(
        ["prison_years", "lashes", "person"], ascending=[False, False, True], na_position="last", kind="stable"
    )


def term_distribution(outcomes: pd.DataFrame) -> pd.DataFrame:
    """People per distinct prison term (as stated), longest first, with the courts that gave it."""
    terms = outcomes[outcomes["term"].notna()]
    out = (
        terms.groupby(["term", "prison_years"], sort=False)
        .agg(people=("person", "size"), courts=("court", lambda c: "; ".join(sorted(set(c)))))
        .reset_index()
    )
    return out.sort_values("prison_years", ascending=False, kind="stable").reset_index(drop=True)


def interval_bounds(days: pd.DataFrame) -> pd.DataFrame:
    """days_to_sentence rows that have an interval, with its lowest and highest possible value given each date's
    precision.

    A month-precision date may be any day of its month: the interval runs from (sentence's first
    possible day - detention's last possible day) to (sentence's last possible day - detention's first).
    """
    known = days[days["days"].notna()].copy()
    det_lo, sen_lo = known["detention_date"], known["sentence_date"]
    det_hi = det_lo.where(known["detention_precision"] != "month", det_lo + pd.offsets.MonthEnd(0))
    sen_hi = sen_lo.where(known["sentence_precision"] != "month", sen_lo + pd.offsets.MonthEnd(0))
    known["days_min"] = (sen_lo - det_hi).dt.days.clip(lower=0).astype("Int64")
    known["days_max"] = (sen_hi - det_lo).dt.days.astype("Int64")
    return known


def interval_summary(days: pd.DataFrame) -> pd.Series:
    """Counted outcomes (sentences, acquittals) with an exact, approximate or no detention-to-ruling interval; range in
    days."""
    counted = days[days["outcome"].astype(object).isin(COUNTED_OUTCOMES)]
    bounds = interval_bounds(counted)
    exact = bounds[~bounds["approximate"].astype(bool)]
    return pd.Series(
        {
            "outcomes": len(counted),
            "with_interval": len(bounds),
            "exact": len(exact),
            "approximate": len(bounds) - len(exact),
            "without_interval": len(counted) - len(bounds),
            "no_detention_date": int(counted["detention_date"].isna().sum()),
            "no_sentence_date": int((counted["detention_date"].notna() & counted["sentence_date"].isna()).sum()),
            "shortest_min": bounds["days_min"].min() if len(bounds) else pd.NA,
            "longest_max": bounds["days_max"].max() if len(bounds) else pd.NA,
            "exact_median": exact["days"].median() if len(exact) else pd.NA,
            "exact_min": exact["days"].min() if len(exact) else pd.NA,
            "exact_max": exact["days"].max() if len(exact) else pd.NA,
        },
        dtype="Int64",
    )


def detention_dates_per_person(
    sentences: pd.DataFrame, detentions: pd.DataFrame, actors: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Sentenced or acquitted people with more than one dated detention record: each record, its days after their first
    (and label)."""
    people = set(sentences.loc[sentences["outcome"].astype(object).isin(COUNTED_OUTCOMES), "actor_id"].astype(str))
    det = detentions[detentions["actor_id"].astype(object).isin(people) & detentions["date"].notna()]
    multiple = det.groupby(det["actor_id"].astype(str))["date"].transform("nunique") > 1
    det = det[multiple]
    out = pd.DataFrame(
        {
            "actor_id": det["actor_id"].astype("string"),
            "detention_id": det["detention_id"].astype("string"),
            "date": det["date"],
            "when": date_text(det["date"], det["date_precision"], **SHORT_DATE),
            "circumstance": det["circumstance"].astype("string"),
            "locator": det["locator"].astype("string"),
        },
        index=det.index,
    )
    first = det.groupby(det["actor_id"].astype(str))["date"].transform("min")
    out["days_after_first"] = (det["date"] - first).dt.days.astype("Int64")
    if actors is not None:
        out.insert(1, "person", out["actor_id"].astype(str).map(person_labels(actors)).astype("string"))
    return out.sort_values(["actor_id", "date", "detention_id"], kind="stable")


def totals_long(comparison: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """stated_vs_recorded as one row per stated total and measure (people, prison months, lashes), with per-person
    values.

    ``when`` is the date of the earliest recorded verdict of the group, as precise as the source gives it.

    ``recorded_exact`` gives the per-person terms summed without conversion (months plus days),
    so the reader sees both the exact sum and the 365.25/12-day-month conversion.
    """
    s, _ = with_upheld_terms(sentences)
    rows = []
    for r in comparison.itertuples():
        part = s[s["event_id"].astype(object).eq(r.event_id) & s["outcome"].astype(object).eq(r.outcome)]
        verdicts = part[part["date"].notna()].sort_values("date", kind="stable")
        when = (
            str(date_text(verdicts["date"].iloc[:1], verdicts["date_precision"].iloc[:1], **SHORT_DATE).iloc[0])
            if len(verdicts)
            else NOT_STATED
        )
        exact = f"{r.recorded_months_as_stated} months" + (
            f" + {r.recorded_days_as_stated} days" if r.recorded_days_as_stated else ""
        )
        for measure, stated, recorded in (
            ("people", r.stated_persons, r.recorded_persons),
            ("prison months", r.stated_prison_months, r.recorded_prison_months),
            ("lashes", r.stated_lashes, r.recorded_lashes),
        ):
            if pd.isna(stated):
                continue
            people_measure = measure == "people"
            rows.append(
                {
                    "total_id": r.total_id,
                    "event_id": r.event_id,
                    "outcome": r.outcome,
                    "when": when,
                    "measure": measure,
                    "stated": float(stated),
                    "recorded": float(recorded),
                    "recorded_exact": exact if measure == "prison months" and len(part) else pd.NA,
                    "difference": float(recorded) - float(stated),
                    "stated_per_person": pd.NA
                    if people_measure or not r.stated_persons
                    else float(stated) / r.stated_persons,
                    "recorded_per_person": pd.NA
                    if people_measure or not r.recorded_persons
                    else float(recorded) / r.recorded_persons,
                    "locator": r.locator,
                }
            )
    columns = [
        "total_id",
        "event_id",
        "outcome",
        "when",
        "measure",
        "stated",
        "recorded",
        "recorded_exact",
        "difference",
        "stated_per_person",
        "recorded_per_person",
        "locator",
    ]
    out = pd.DataFrame(rows, columns=columns)
    for column in ("stated", "recorded", "difference", "stated_per_person", "recorded_per_person"):
        out[column] = out[column].astype("Float64")
    out["recorded_exact"] = out["recorded_exact"].astype("string")
    return out


def bail_table(detentions: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """Bail amounts as stated and in rials (1 toman = 10 rials), per person released on bail with a stated amount."""
    bailed = detentions[detentions["bail_amount"].notna()]
    labels = person_labels(actors)
    out = pd.DataFrame(
        {
            "person": bailed["actor_id"].astype(str).map(labels).astype("string"),
            "released": date_text(bailed["held_until"], pd.Series("day", index=bailed.index), **SHORT_DATE),
            "amount": bailed["bail_amount"].astype("Float64"),
            "currency": bailed["bail_currency"].astype("string"),
            "rials": to_rials(bailed["bail_amount"], bailed["bail_currency"]),
            "locator": bailed["locator"].astype("string"),
        },
        index=bailed.index,
    )
    return out


# --------------------------------------------------------------------------- figures


def prison_terms_figure(outcomes: pd.DataFrame, title: str, source: str) -> go.Figure:
    """Horizontal bars: each sentenced person's prison term in months (converted), coloured by court."""
    import plotly.graph_objects as go

    from . import charts

    terms = outcomes[outcomes["prison_months"].notna()].sort_values(
        ["prison_months", "person"], ascending=[True, False], kind="stable"
    )
    terms = terms.assign(person=terms["person"].astype(str).map(charts.plotly_text))
    colours = charts.cycle_colours(terms["court"], NOT_STATED)
    fig = go.Figure()
    for court, colour in colours.items():
        part = terms[terms["court"].astype(str) == court]
        if part.empty:
            continue
        custom = pd.DataFrame(
            {
                "term": part["term"].astype(str),
                "years": part["prison_years"].map(lambda v: f"{v:.2f}"),
                "lashes": part["lashes"].astype(object).where(part["lashes"].notna(), "none").astype(str),
                "when": part["when"].astype(str),
                "source": part["source_id"].astype(str),
                "locator": part["locator"].astype(str),
            }
        )
        fig.add_trace(
            go.Bar(
                x=part["prison_months"].astype(float),
                y=part["person"].astype(str),
                orientation="h",
                name=charts.plotly_text(court),
                marker_color=colour,
                customdata=charts.plotly_cells(custom),
                hovertemplate=(
                    "<b>%{y}</b><br>term as stated: %{customdata[0]} (%{customdata[1]} years)"
                    "<br>lashes: %{customdata[2]}<br>ruling: %{customdata[3]}"
                    "<br><i>%{customdata[4]}, %{customdata[5]}</i><extra></extra>"
                ),
            )
        )
    fig.update_yaxes(categoryorder="array", categoryarray=terms["person"].astype(str).tolist())
    fig.update_layout(bargap=0.25)
    charts.style_plotly(fig, title, source, "Prison term (months; 1 month = 30.4375 days)", "Person")
    return charts.fit_header(fig, title, len(fig.data))


def days_figure(bounds: pd.DataFrame, labels: pd.Series, title: str, source: str) -> go.Figure:
    """Per person, detention to ruling in days: a dot where both dates are exact, a bar over the possible range
    otherwise."""
    import plotly.graph_objects as go

    from . import charts

    frame = bounds.assign(person=bounds["actor_id"].astype(str).map(labels).astype(str))
    frame = frame.sort_values(["days_min", "person"], ascending=[True, False], kind="stable")
    frame = frame.assign(person=frame["person"].map(charts.plotly_text))
    fig = go.Figure()
    for approximate, name, colour in (
        (False, "both dates to the day", charts.NEUTRAL["ink"]),
        (True, "one date to the month only: possible range", charts.NEUTRAL["slate"]),
    ):
        part = frame[frame["approximate"].astype(bool) == approximate]
        if part.empty:
            continue
        custom = pd.DataFrame(
            {
                "det": date_text(part["detention_date"], part["detention_precision"], **SHORT_DATE).astype(str),
                "sen": date_text(part["sentence_date"], part["sentence_precision"], **SHORT_DATE).astype(str),
                "lo": part["days_min"].astype(str),
                "hi": part["days_max"].astype(str),
            }
        )
        hover = (
            "<b>%{y}</b><br>detained: %{customdata[0]}<br>ruling: %{customdata[1]}"
            "<br>days between: %{customdata[2]}" + (" to %{customdata[3]}" if approximate else "") + "<extra></extra>"
        )
        fig.add_trace(
            go.Scatter(
                x=part["days_min"].astype(float),
                y=part["person"],
                mode="markers",
                name=name,
                marker={"color": colour, "size": 10, "symbol": "circle"},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": (part["days_max"] - part["days_min"]).astype(float),
                    "arrayminus": [0.0] * len(part),
                    "color": colour,
                    "thickness": 6,
                    "width": 0,
                },
                customdata=charts.plotly_cells(custom),
                hovertemplate=hover,
            )
        )
    fig.update_yaxes(categoryorder="array", categoryarray=frame["person"].tolist())
    fig.update_xaxes(rangemode="tozero")
    charts.style_plotly(fig, title, source, "Days from detention to court ruling", "Person")
    return charts.fit_header(fig, title, len(fig.data))


# --------------------------------------------------------------------------- the figures the chapter's prose names


def most_common_term(terms: pd.DataFrame) -> pd.Series:
    """The row of a term_distribution() given to the most people (the first such row on a tie)."""
    return terms.loc[terms["people"].idxmax()]


def overview_figures(table: pd.DataFrame, outcomes: pd.DataFrame) -> dict[str, object]:
    """Counts of a sentence_table() and its person_outcomes(): rows, sources, upheld appeals, outcomes by kind,
    prison and lash sentences, and the total of prison years (one decimal)."""
    sentenced = outcomes["outcome"].eq("sentenced")
    return {
        "n-rows": len(table),
        "n-sources": table["source_id"].nunique(),
        "n-upheld": int(table["outcome"].eq("upheld").sum()),
        "n-outcomes": len(outcomes),
        "n-sentenced": int(sentenced.sum()),
        "n-acquitted": int(outcomes["outcome"].eq("acquitted").sum()),
        "n-prison": int(outcomes["prison_months"].notna().sum()),
        "n-lashes": int(outcomes["lashes"].notna().sum()),
        "lashes-total": int(outcomes["lashes"].sum()),
        "n-no-prison": int((sentenced & outcomes["prison_months"].isna()).sum()),
        "prison-years-total": number(outcomes["prison_years"].sum(), 1),
    }


def convention_figures(terms: pd.DataFrame) -> dict[str, object]:
    """The conversion constants as the prose states them, and the most common term worked through in days and years."""
    common = most_common_term(terms)
    return {
        "days-per-month": number(DAYS_PER_MONTH, 4),
        "days-per-year": number(DAYS_PER_YEAR, 2),
        "months-per-year": MONTHS_PER_YEAR,
        "rials-per-toman": RIALS_PER_UNIT["toman"],
        "example-term": common.term,
        "example-days": number(common.prison_years * DAYS_PER_YEAR, 2),
        "example-years": number(common.prison_years, 2),
    }


def article_figures(by_article: pd.DataFrame) -> dict[str, object]:
    """From summarise(table, 'legal_article'): how many articles are named, and people with and without one."""
    named = by_article[by_article["legal_article"].notna()]
    return {
        "n-articles": len(named),
        "n-with-article": int(named["people"].sum()),
        "n-without-article": int(by_article.loc[by_article["legal_article"].isna(), "people"].sum()),
    }


def exact_wait_text(wait: pd.Series) -> str:
    """The exact intervals of an interval_summary() in words: 'all of them the same N days' or 'from A to B days'."""
    if wait.exact_min == wait.exact_max:
        return f"all of them the same {wait.exact_min} days"
    return f"from {wait.exact_min} to {wait.exact_max} days"


def wait_figures(wait: pd.Series, days: pd.DataFrame, outcomes: pd.DataFrame) -> dict[str, object]:
    """An interval_summary() as the prose gives it, and the detention years of people sentenced without prison
    (``days`` a days_to_sentence() table indexed like ``outcomes``)."""
    no_prison = days.loc[outcomes.index[outcomes["outcome"].eq("sentenced") & outcomes["prison_months"].isna()]]
    out: dict[str, object] = {
        f"wait-{key.replace('_', '-')}": int(wait[key])
        for key in (
            "with_interval",
            "exact",
            "approximate",
            "without_interval",
            "no_detention_date",
            "shortest_min",
            "longest_max",
        )
    }
    out["wait-exact-days"] = exact_wait_text(wait)
    out["no-prison-year"] = ", ".join(no_prison["detention_date"].dt.year.astype(str))
    return out


def totals_figures(
    comparison: pd.DataFrame, long: pd.DataFrame, terms: pd.DataFrame, table: pd.DataFrame
) -> dict[str, object]:
    """The stated totals the prose discusses, found by what they are: the sentences in Tabriz and in Ardabil (the
    city of the verdicts' rows in a sentence_table()) and the acquittal; stated against recorded people, lashes and
    prison (``long`` a totals_long() of ``comparison``)."""
    city = table.dropna(subset=["event_id"]).drop_duplicates("event_id").set_index("event_id")["city"]
    where = long["event_id"].astype(str).map(city.astype(object)).astype(str).str.lower()
    sentenced = long["outcome"].astype(str).eq("sentenced")
    tabriz = long[sentenced & where.eq("tabriz")].set_index("measure")
    ardabil = long[sentenced & where.eq("ardabil")].set_index("measure")
    acquit = long[long["outcome"].astype(str).eq("acquitted")].set_index("measure")
    prison = ardabil.loc["prison months"]
    return {
        "n-totals": len(comparison),
        "ardabil-stated-people": int(ardabil.at["people", "stated"]),
        "ardabil-recorded-people": int(ardabil.at["people", "recorded"]),
        "ardabil-stated-lashes": int(ardabil.at["lashes", "stated"]),
        "ardabil-recorded-lashes": int(ardabil.at["lashes", "recorded"]),
        "ardabil-lashes-per-person": int(ardabil.at["lashes", "stated_per_person"]),
        "ardabil-recorded-lashes-each": int(ardabil.at["lashes", "recorded_per_person"]),
        "ardabil-term": terms.set_index("courts").at["Ardabil city court", "term"],
        "ardabil-ratio": number(prison["stated_per_person"] / prison["recorded_per_person"], 1),
        "tabriz-when": tabriz["when"].iloc[0],
        "ardabil-when": ardabil["when"].iloc[0],
        "acquitted-when": acquit["when"].iloc[0],
        "ardabil-stated-years": number(prison["stated"] / MONTHS_PER_YEAR),
        "ardabil-stated-months-each": number(prison["stated_per_person"]),
        "ardabil-recorded-exact": prison["recorded_exact"],
        "ardabil-recorded-months": number(prison["recorded"], 1),
        "ardabil-recorded-years": number(prison["recorded"] / MONTHS_PER_YEAR, 1),
        "acquitted-stated": int(acquit.at["people", "stated"]),
        "acquitted-recorded": int(acquit.at["people", "recorded"]),
    }


def minor_figures(minors: pd.DataFrame, table: pd.DataFrame) -> dict[str, int]:
    """From minors_summary() and sentence_table(): minors detained, minors with an outcome, minors of no stated age."""
    return {
        "n-minors": int(minors["minors"].sum()),
        "n-minors-sentenced": int(table["is_minor"].sum()),
        "n-minors-no-age": int(minors.loc[minors["age_band"] == "age not stated", "minors"].sum()),
    }


def prison_rows(outcomes: pd.DataFrame) -> pd.DataFrame:
    """The prison terms prison_terms_figure() draws (one bar per person), with the hover's details, source,
    locator and evidence grade: the rows of the chart's "Download data"."""
    from .cards import with_provenance  # the card module reads the package descriptor: imported when used

    columns = ["person", "court", "term", "prison_months", "prison_years", "lashes", "when", "legal_article"]
    terms = outcomes[outcomes["prison_months"].notna()].sort_values(["prison_months", "person"], kind="stable")
    keep = [c for c in columns if c in terms.columns] + [c for c in ("source_id", "locator", "evidence") if c in terms]
    return with_provenance(terms[keep].reset_index(drop=True))


def days_rows(bounds: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The waits days_figure() draws (an interval_bounds() table, one per outcome), with the person, both dates,
    the ruling's source, locator and evidence grade: the rows of the chart's "Download data"."""
    from .cards import drawn

    sentences = tables["sentences"].set_index("sentence_id")
    rows = bounds.join(sentences[["source_id", "locator", "prison_months", "prison_days", "lashes"]], on="sentence_id")
    rows["person"] = rows["actor_id"].map(person_labels(tables["actors"]))
    columns = ["person", "outcome", "detention_date", "detention_precision", "sentence_date", "sentence_precision"]
    columns += ["days", "approximate", "days_min", "days_max", "sentence_id", "detention_id", "actor_id"]
    return drawn(rows, "sentences", tables, columns=columns)
