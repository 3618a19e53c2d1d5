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
    A person the sources give as under 18 appears only under their neutral ``Minor ...`` label.
    If a minor's name in the input is not such a label, ``Minor`` (with the age if known) is shown
    instead. Minor summaries give counts only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

import pandas as pd

DAYS_PER_MONTH: Final[float] = 365.25 / 12
"""Days in one month of a prison term: 365.25 / 12 = 30.4375 (a year is 12 such months)."""

MONTHS_PER_YEAR: Final[int] = 12
DAYS_PER_YEAR: Final[float] = DAYS_PER_MONTH * MONTHS_PER_YEAR  # 365.25, derived from DAYS_PER_MONTH

RIALS_PER_UNIT: Final[Mapping[str, float | None]] = {"rial": 1.0, "toman": 10.0, "AZN": None, "USD": None}
"""Rials per unit of each currency in the data. None means there is no rate in the sources, so the result is NA."""

COUNTED_OUTCOMES: Final[tuple[str, str]] = ("sentenced", "acquitted")
AGE_BANDS: Final[tuple[str, ...]] = ("under 12", "12-14", "15-17", "age not stated")
INTERVAL_PRECISIONS: Final[frozenset[str]] = frozenset({"day", "month"})
SETTLEMENT_KINDS: Final[frozenset[str]] = frozenset({"city", "town", "village"})

Scalar = int | float | None


# --------------------------------------------------------------------------- normalisations

def _is_scalar(value: object) -> bool:
    return not isinstance(value, (pd.Series, pd.Index, list, tuple)) and not hasattr(value, "__array__")


def _as_series(value: object, index: pd.Index, dtype: str) -> pd.Series:
    if _is_scalar(value):
        return pd.Series([value] * len(index), index=index, dtype=object).astype(dtype)
    series = value if isinstance(value, pd.Series) else pd.Series(list(value), index=index)  # type: ignore[call-overload]
    return series.astype(object).where(series.notna(), None).astype(dtype)


def _pair(a: object, b: object, dtype_a: str, dtype_b: str) -> tuple[pd.Series, pd.Series]:
    """Two inputs as aligned Series (a scalar is broadcast along the other's index)."""
    template = a if isinstance(a, pd.Series) else b if isinstance(b, pd.Series) else None
    if template is None:
        length = len(a) if not _is_scalar(a) else len(b)  # type: ignore[arg-type]
        index: pd.Index = pd.RangeIndex(length)
    else:
        index = template.index
    return _as_series(a, index, dtype_a), _as_series(b, index, dtype_b)


def prison_days(months: pd.Series | Scalar, days: pd.Series | Scalar = None) -> pd.Series | float | object:
    """Prison term in days: months × 30.4375 + days; NA if both are missing, a missing one counts as 0."""
    if _is_scalar(months) and _is_scalar(days):
        if pd.isna(months) and pd.isna(days):  # type: ignore[arg-type]
            return pd.NA
        m = 0.0 if pd.isna(months) else float(months)  # type: ignore[arg-type]
        d = 0.0 if pd.isna(days) else float(days)  # type: ignore[arg-type]
        return m * DAYS_PER_MONTH + d
    m_s, d_s = _pair(months, days, "Float64", "Float64")
    total = m_s.fillna(0.0) * DAYS_PER_MONTH + d_s.fillna(0.0)
    return total.mask(m_s.isna() & d_s.isna()).rename("prison_days")


def prison_years(months: pd.Series | Scalar, days: pd.Series | Scalar = None) -> pd.Series | float | object:
    """Prison term in years: prison_days(months, days) / 365.25 (a year is 12 months)."""
    total = prison_days(months, days)
    if isinstance(total, pd.Series):
        return (total / DAYS_PER_YEAR).rename("prison_years")
    return total if total is pd.NA else float(total) / DAYS_PER_YEAR  # type: ignore[arg-type]


def to_rials(amount: pd.Series | Scalar, currency: pd.Series | str | None) -> pd.Series | float | object:
    """Amounts in rials (rial ×1, toman ×10); AZN/USD give NA (no rate in the sources); unknown currency: ValueError."""
    if _is_scalar(amount) and _is_scalar(currency):
        out = to_rials(pd.Series([amount], dtype="Float64"), pd.Series([currency], dtype=object))
        return out.iloc[0] if pd.notna(out.iloc[0]) else pd.NA  # type: ignore[union-attr]
    a, c = _pair(amount, currency, "Float64", "object")
    known = c.dropna()
    unknown = sorted({str(v) for v in known if str(v) not in RIALS_PER_UNIT})
    if unknown:
        raise ValueError(f"unknown currency {', '.join(repr(u) for u in unknown)}: "
                         f"expected one of {', '.join(RIALS_PER_UNIT)}")
    rate = c.map(lambda v: RIALS_PER_UNIT.get(str(v)) if pd.notna(v) else None).astype("Float64")
    return (a * rate).rename("rials")


# --------------------------------------------------------------------------- people, courts, places

def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].astype("string") if column in frame.columns else pd.Series(pd.NA, index=frame.index, dtype="string")


def _minor_label(name: object, age: object) -> str:
    if isinstance(name, str) and re.match(r"Minor\b", name):
        return name
    return "Minor" if pd.isna(age) else f"Minor, {int(age)}"  # type: ignore[call-overload]


def person_labels(actors: pd.DataFrame) -> pd.Series:
    """Display name per actor_id: the name, or for a minor only the neutral 'Minor ...' label."""
    minor = actors["is_minor"].astype("boolean").fillna(False).astype(bool) if "is_minor" in actors else \
        pd.Series(False, index=actors.index)
    ages = actors["age"] if "age" in actors else pd.Series(pd.NA, index=actors.index)
    names = [_minor_label(n, a) if m else n for n, a, m in zip(actors["name"].astype(object), ages, minor)]
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
    return pd.DataFrame({"name": out["name"].astype(object), "country": _text(out, "country").astype(object),
                         "aliases": _text(out, "aliases").astype(object)})


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
    s = pd.DataFrame({"sentence_row": sentences.index, "sentence_id": sentences["sentence_id"].astype(str).to_numpy(),
                      "actor_id": sentences["actor_id"].astype(str).to_numpy(),
                      "wanted": sentences["outcome"].astype(str).replace({"upheld": "sentenced"}).to_numpy(),
                      "sentence_date": pd.to_datetime(sentences["date"]).to_numpy()})
    named = detentions[detentions["actor_id"].notna()]
    d = pd.DataFrame({"detention_row": named.index, "detention_id": named["detention_id"].astype(str).to_numpy(),
                      "actor_id": named["actor_id"].astype(str).to_numpy(),
                      "det_outcome": named["outcome"].astype(str).to_numpy(),
                      "detention_date": pd.to_datetime(named["date"]).to_numpy(),
                      "detention_precision": named["date_precision"].astype(object).to_numpy(),
                      "place_id": _text(named, "place_id").to_numpy()})
    pairs = s.merge(d, on="actor_id", how="inner")
    pairs["mismatch"] = pairs["wanted"] != pairs["det_outcome"]
    return pairs.sort_values(["sentence_row", "mismatch", "detention_date", "detention_row"], na_position="last")


def sentence_cities(sentences: pd.DataFrame, detentions: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Per sentence: the person's detention with a known city (best match first) and that city; NA where none is known."""
    pairs = _ranked_detentions(sentences, detentions)
    pairs["city"] = pairs["place_id"].map(place_cities(places))
    best = pairs[pairs["city"].notna()].drop_duplicates("sentence_row").set_index("sentence_row")
    out = pd.DataFrame({"sentence_id": sentences["sentence_id"].astype("string")}, index=sentences.index)
    out["detention_id"] = best["detention_id"].reindex(out.index).astype("string")
    out["place_id"] = best["place_id"].reindex(out.index).astype("string")
    out["city"] = best["city"].reindex(out.index).astype("string")
    return out


# --------------------------------------------------------------------------- per-person table

_TERMS = ("prison_months", "prison_days", "lashes", "fine_amount", "fine_currency")


def _with_upheld_terms(sentences: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Upheld rows without terms of their own take the terms of the sentence they uphold."""
    s = sentences.copy()
    terms_from = s["sentence_id"].astype("string").copy()
    by_id = s.set_index(s["sentence_id"].astype(str))
    upheld = s["outcome"].astype(object).eq("upheld") & s["appeal_of"].notna()
    no_terms = s[list(_TERMS)].isna().all(axis=1)
    for row in s.index[upheld & no_terms]:
        original = str(s.at[row, "appeal_of"])
        if original in by_id.index:
            for column in _TERMS:
                s.at[row, column] = by_id.at[original, column]
            terms_from.at[row] = original
    return s, terms_from


def sentence_table(sentences: pd.DataFrame, actors: pd.DataFrame, courts: pd.DataFrame | None = None, *,
                   detentions: pd.DataFrame | None = None, places: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per court outcome per person, terms normalised (days, years, rials); cities added when places are given."""
    s, terms_from = _with_upheld_terms(sentences)
    labels = person_labels(actors)
    court_names = (actors if courts is None else courts).set_index("actor_id")["name"].astype("string")
    minors = actors.loc[actors["is_minor"].astype("boolean").fillna(False).astype(bool), "actor_id"].astype(str) \
        if "is_minor" in actors else pd.Series(dtype=str)
    date = pd.to_datetime(s["date"])
    table = pd.DataFrame({
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
    }, index=s.index)
    if places is not None:
        settlements = _settlements(places)
        court_country = s["court_actor_id"].map(actors.set_index("actor_id")["country"]) \
            if "country" in actors else pd.Series(pd.NA, index=s.index)
        table["court_city"] = pd.Series(
            [_find_city(c, k, settlements) if pd.notna(c) else pd.NA for c, k in zip(table["court"], court_country)],
            index=s.index, dtype="string")
        table["detention_city"] = sentence_cities(sentences, detentions, places)["city"] \
            if detentions is not None else pd.Series(pd.NA, index=s.index, dtype="string")
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
        raise KeyError(f"no column {', '.join(missing)} in the table"
                       + (" (pass detentions= and places= to sentence_table for cities)" if "city" in missing else ""))
    sentenced = frame["outcome"].astype(object).eq("sentenced")
    frame["_sentenced"] = sentenced.astype(int)
    frame["_acquitted"] = frame["outcome"].astype(object).eq("acquitted").astype(int)
    frame["_years"] = frame["prison_years"].astype("Float64").where(sentenced)
    frame["_unconverted"] = (frame["fine_amount"].notna() & frame["fine_rials"].isna()).astype(int) \
        if "fine_amount" in frame else 0
    for k in keys:  # categoricals would add empty groups; plain values keep only what is there
        if isinstance(frame[k].dtype, pd.CategoricalDtype):
            frame[k] = frame[k].astype(object)
    out = frame.groupby(keys, dropna=False, sort=True).agg(
        people=("actor_id", "nunique"),
        sentenced=("_sentenced", "sum"),
        acquitted=("_acquitted", "sum"),
        prison_years_total=("_years", "sum"),
        prison_years_median=("_years", "median"),
        lashes_total=("lashes", "sum"),
        fine_rials_total=("fine_rials", "sum"),
        fines_not_in_rials=("_unconverted", "sum"),
    ).reset_index()
    out["prison_years_median"] = out["prison_years_median"].astype("Float64")
    out["lashes_total"] = out["lashes_total"].astype("Int64")
    return out


def days_to_sentence(sentences: pd.DataFrame, detentions: pd.DataFrame) -> pd.DataFrame:
    """Per sentence: the detention and ruling dates with precisions and the days between (day/month precision only)."""
    pairs = _ranked_detentions(sentences, detentions)
    usable = pairs["detention_date"].notna() & pairs["detention_precision"].isin(INTERVAL_PRECISIONS) \
        & ~(pairs["detention_date"] > pairs["sentence_date"])
    best = pairs[usable].drop_duplicates("sentence_row").set_index("sentence_row").reindex(sentences.index)
    out = pd.DataFrame({
        "sentence_id": sentences["sentence_id"].astype("string"),
        "actor_id": sentences["actor_id"].astype("string"),
        "outcome": sentences["outcome"],
        "detention_id": best["detention_id"].astype("string"),
        "detention_date": pd.to_datetime(best["detention_date"]),
        "detention_precision": best["detention_precision"].astype("string"),
        "sentence_date": pd.to_datetime(sentences["date"]),
        "sentence_precision": sentences["date_precision"].astype("string"),
    }, index=sentences.index)
    both = out["detention_precision"].isin(INTERVAL_PRECISIONS).fillna(False) \
        & out["sentence_precision"].isin(INTERVAL_PRECISIONS).fillna(False) \
        & out["detention_date"].notna() & out["sentence_date"].notna()
    days = (out["sentence_date"] - out["detention_date"]).dt.days
    out["days"] = days.where(both).astype("Int64")
    month = out["detention_precision"].eq("month").fillna(False) | out["sentence_precision"].eq("month").fillna(False)
    out["approximate"] = pd.Series(month & both, dtype="boolean").where(both, pd.NA)
    return out


def _age_band(age: object) -> str:
    if pd.isna(age):  # type: ignore[arg-type]
        return AGE_BANDS[3]
    a = int(age)  # type: ignore[call-overload]
    return AGE_BANDS[0] if a < 12 else AGE_BANDS[1] if a < 15 else AGE_BANDS[2]


def minors_summary(actors: pd.DataFrame, detentions: pd.DataFrame, places: pd.DataFrame | None = None) -> pd.DataFrame:
    """Number of distinct minors detained per place and age band; counts only, never names or keys."""
    minor = actors[actors["is_minor"].astype("boolean").fillna(False).astype(bool)]
    ages = minor.set_index(minor["actor_id"].astype(str))["age"]
    held = detentions[detentions["actor_id"].astype(object).isin(set(ages.index))]
    place = held["place_id"].astype(object)
    if places is not None:
        place = place.map(places.set_index(places["place_id"].astype(str))["name"].astype(object))
    frame = pd.DataFrame({"place": place.fillna("place not stated").astype(str),
                          "age_band": [_age_band(ages[a]) for a in held["actor_id"].astype(str)],
                          "actor_id": held["actor_id"].astype(str)})
    out = frame.groupby(["place", "age_band"], sort=False).agg(minors=("actor_id", "nunique")).reset_index()
    out["age_band"] = pd.Categorical(out["age_band"], categories=AGE_BANDS, ordered=True)
    out["minors"] = out["minors"].astype("Int64")
    return out.sort_values(["place", "age_band"]).reset_index(drop=True)


def stated_vs_recorded(sentence_totals: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Per stated total: stated persons, prison months and lashes beside the per-person rows' sums; differences = recorded - stated."""
    s, _ = _with_upheld_terms(sentences)
    s = s.assign(_days=prison_days(s["prison_months"], s["prison_days"]),
                 _event=s["event_id"].astype(object), _outcome=s["outcome"].astype(object))
    groups = s.groupby(["_event", "_outcome"], sort=False)
    persons, days, lashes = groups["actor_id"].nunique(), groups["_days"].sum(), groups["lashes"].sum()
    rows = []
    for row in sentence_totals.index:
        event, outcome = sentence_totals.at[row, "event_id"], str(sentence_totals.at[row, "outcome"])
        key = (event, outcome)
        rows.append({
            "total_id": sentence_totals.at[row, "total_id"], "event_id": event, "outcome": outcome,
            "stated_persons": sentence_totals.at[row, "persons"],
            "recorded_persons": int(persons.get(key, 0)),
            "stated_prison_months": sentence_totals.at[row, "prison_months_total"],
            "recorded_prison_months": float(days.get(key, 0.0)) / DAYS_PER_MONTH,
            "stated_lashes": sentence_totals.at[row, "lashes_total"],
            "recorded_lashes": int(lashes.get(key, 0)),
            "source_id": sentence_totals.at[row, "source_id"], "locator": sentence_totals.at[row, "locator"],
        })
    columns = ["total_id", "event_id", "outcome", "stated_persons", "recorded_persons", "stated_prison_months",
               "recorded_prison_months", "stated_lashes", "recorded_lashes", "source_id", "locator"]
    out = pd.DataFrame(rows, columns=columns, index=sentence_totals.index)
    for what, dtype in (("persons", "Int64"), ("prison_months", "Float64"), ("lashes", "Int64")):
        out[f"stated_{what}"] = out[f"stated_{what}"].astype(dtype)
        out[f"recorded_{what}"] = out[f"recorded_{what}"].astype(dtype)
        out[f"{what}_difference"] = out[f"recorded_{what}"] - out[f"stated_{what}"]
    order = ["total_id", "event_id", "outcome"]
    for what in ("persons", "prison_months", "lashes"):
        order += [f"stated_{what}", f"recorded_{what}", f"{what}_difference"]
    return out[order + ["source_id", "locator"]]
