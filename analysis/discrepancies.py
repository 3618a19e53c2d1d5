"""Find where the sources disagree with themselves or each other.

These are warnings, not errors: the data keeps every version with its own citation, and this
module lists the disagreements so the book can show them (the discrepancies register).
Each finder takes typed tables (as returned by :func:`analysis.data.load_all`) and returns
:class:`~analysis.validation.Discrepancy` objects naming every version and its source.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from .terms import stated_vs_recorded
from .validation import MAX_ROWS_PER_PROBLEM, Discrepancy, Version
from .words import figure_text

Tables = dict[str, pd.DataFrame]


def _text(value: object) -> str:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def _texts(column: pd.Series) -> pd.Series:
    """_text() for a whole column, vectorised: dates as ISO days, missing as ''."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.dt.strftime("%Y-%m-%d").fillna("")
    return column.astype(object).where(column.notna(), "").astype(str)


def _version(file: str, frame: pd.DataFrame, row: int, value: str) -> Version:
    return Version(
        value=value,
        file=file,
        row=int(row),
        source_id=_text(frame.at[row, "source_id"]),
        locator=_text(frame.at[row, "locator"]),
    )


def _rows_version(value: str, file: str, rows: list[int], source_id: str) -> Version:
    """A version that several rows of one file make together (a count of them, their sum), located by those rows."""
    return Version(value, file, int(rows[0]), source_id, f"rows {', '.join(str(r) for r in rows)}")


def _has(tables: Tables, name: str, *columns: str) -> bool:
    """Whether a table was read (a file with structural errors is absent) and has the columns."""
    frame = tables.get(name)
    return frame is not None and all(c in frame.columns for c in columns)


def _count_text(frame: pd.DataFrame, row: int) -> str:
    """A row's count as its source put it (words.figure_text), or 'no figure'; an unreadable one says so."""

    def cell(column: str) -> object:
        return frame.at[row, column] if column in frame.columns else None

    try:
        return str(figure_text(cell("count"), cell("count_max"), cell("qualifier"), missing="no figure"))
    except (ValueError, TypeError):  # a range without its high end: the validator reports the cell itself
        return f"{_text(cell('count'))} ({_text(cell('qualifier')) or 'no qualifier'}, high end unreadable)"


def _differing_counts(file: str, frame: pd.DataFrame, keys: list[str], check: str, label: str) -> list[Discrepancy]:
    """Groups of rows with the same keys whose counts (with qualifiers) differ."""
    if frame.empty:
        return []
    out: list[Discrepancy] = []
    keyed = pd.DataFrame({k: _texts(frame[k]) for k in keys}, index=frame.index)
    shared = keyed[keyed.duplicated(keys, keep=False)]  # only keys given more than once can disagree
    texts = pd.Series({row: _count_text(frame, row) for row in shared.index}, dtype=object)
    for key, group in shared.groupby(keys, sort=True):
        rows = list(group.index)
        if texts[rows].nunique() < 2:
            continue
        key = key if isinstance(key, tuple) else (key,)
        subject = f"{file}: {label} " + ", ".join(f"{k}={v}" for k, v in zip(keys, key) if v)
        out.append(Discrepancy(check, subject, tuple(_version(file, frame, r, texts[r]) for r in rows)))
    return out


def casualty_figures(tables: Tables) -> list[Discrepancy]:
    """The same casualty count (side, group, measure, reporter, date) given as different figures."""
    if not _has(tables, "casualties"):
        return []
    return _differing_counts(
        "casualties.csv",
        tables["casualties"],
        ["side", "group", "measure", "reported_by", "as_of", "period"],
        "same-count",
        "two figures for one count:",
    )


def claim_figures(tables: Tables) -> list[Discrepancy]:
    """The same claim (claimant, side, date, item) given as different figures."""
    if not _has(tables, "loss_claims"):
        return []
    return _differing_counts(
        "loss_claims.csv",
        tables["loss_claims"],
        ["claimant", "about_side", "as_of", "category", "claimed_item"],
        "same-claim",
        "two figures for one claim:",
    )


def detention_figures(tables: Tables) -> list[Discrepancy]:
    """Different reported numbers of people detained at the same event."""
    if not _has(tables, "detentions"):
        return []
    det = tables["detentions"]
    groups = det[det["actor_id"].isna() & det["event_id"].notna() & det["part_of"].isna()]
    return _differing_counts(
        "detentions.csv", groups, ["event_id"], "detainee-count", "two figures for the detainees of"
    )


def named_vs_stated(tables: Tables) -> list[Discrepancy]:
    """A reported number of detainees against the named people recorded for the same event."""
    if not _has(tables, "detentions"):
        return []
    det = tables["detentions"]
    out: list[Discrepancy] = []
    groups = det[det["actor_id"].isna() & det["event_id"].notna() & det["part_of"].isna()]
    named = det[det["actor_id"].notna() & det["event_id"].isin(groups["event_id"])]
    named_events = named["event_id"].astype(object).to_numpy()
    n_named_by_event = pd.Series(named_events).value_counts()
    # Vectorised first: only the group counts that disagree with the named people are looked at row by row.
    n_named = pd.Series(
        groups["event_id"].astype(object).map(n_named_by_event).fillna(0).to_numpy(dtype="int64"), index=groups.index
    )
    low = groups["count"].astype("Float64")
    high = groups["count_max"].astype("Float64").fillna(low)
    agree = (low <= n_named) & (n_named <= high)
    disagree = low.notna() & (n_named > 0) & ~agree.fillna(False)
    named_rows = named.reset_index().groupby(named_events)["row"].agg(list) if disagree.any() else {}
    for row in groups.index[disagree.to_numpy(dtype=bool)]:
        event = groups.at[row, "event_id"]
        rows = named_rows.get(event, [])
        n_named = len(rows)
        subject = f"detentions.csv: detainees of {event}: {_count_text(det, row)} reported, {n_named} named"
        versions = [_version("detentions.csv", det, row, f"{_count_text(det, row)} reported")]
        versions.append(
            _rows_version(
                f"{n_named} named",
                "detentions.csv",
                rows,
                ", ".join(sorted(set(det.loc[rows, "source_id"].astype(str)))),
            )
        )
        out.append(Discrepancy("named-vs-stated", subject, tuple(versions)))
    return out


def event_dates(tables: Tables) -> list[Discrepancy]:
    """One event dated differently in two places (rows linked by variant_of), compared at the coarser precision."""
    if not _has(tables, "events"):
        return []
    ev = tables["events"]
    out: list[Discrepancy] = []
    variants = ev["variant_of"].notna()
    if not variants.any():
        return []
    # Only the first versions that variants point at; a key given twice or a bad value (NA in the
    # typed table) is the validator's error, not a version.
    firsts = ev.loc[ev["event_id"].isin(ev.loc[variants, "variant_of"]), ["event_id", "date", "date_precision"]]
    by_id = firsts[~firsts["event_id"].duplicated(keep=False)].reset_index().set_index("event_id")
    # Vectorised: each variant beside its first version; only the disagreeing pairs are written out.
    pairs = ev.loc[variants, ["variant_of", "date", "date_precision"]].join(
        by_id.rename(columns={"date": "first_date", "date_precision": "first_precision", "row": "first_row"}),
        on="variant_of",
        how="inner",
    )
    rank = {"day": 0, "month": 1, "year": 2}
    mine = pairs["date_precision"].astype(object).map(rank)
    theirs = pairs["first_precision"].astype(object).map(rank)
    readable = mine.notna() & theirs.notna() & pairs["date"].notna() & pairs["first_date"].notna()
    pairs, coarser = pairs[readable], np.maximum(mine[readable], theirs[readable])
    a, b = pairs["date"], pairs["first_date"]
    same = np.where(
        coarser == 2,
        a.dt.year == b.dt.year,
        np.where(coarser == 1, (a.dt.year == b.dt.year) & (a.dt.month == b.dt.month), a == b),
    )
    for row, pair in pairs[~same.astype(bool)].iterrows():
        subject = f"events.csv: {pair['variant_of']} is dated differently"
        out.append(
            Discrepancy(
                "event-date",
                subject,
                (
                    _version("events.csv", ev, int(pair["first_row"]), _text(pair["first_date"])),
                    _version("events.csv", ev, row, _text(pair["date"])),
                ),
            )
        )
    return out


def stated_vs_parts(equipment: pd.DataFrame) -> pd.DataFrame:
    """Each stated equipment total beside the sum of the rows it breaks down into (NA where none), one row per total.

    Parts are the same documenter's, side's and source's counts in the total's category; for a grand
    total (category 'all') they are the category totals, or all parts where there are none.
    Columns: documenter, side, category, stated, parts, difference (stated - parts), what (which rows
    were summed), part_rows (their row numbers), source_id, locator; indexed by the total's row.
    """
    keys = ["documenter", "side", "source_id"]
    frame = pd.DataFrame({k: _texts(equipment[k]) for k in [*keys, "category", "status"]}, index=equipment.index)
    frame["count"] = equipment["count"]
    is_total = frame["status"] == "stated-total"
    # A total or part without a readable count (the validator reports the cell) is left out of the sums.
    parts, totals = frame[~is_total & frame["count"].notna()], frame[is_total & frame["count"].notna()]
    part_rows = parts.groupby([*keys, "category"]).groups
    cat_totals = totals[totals["category"] != "all"]
    rows = []
    for row, t in totals.iterrows():
        key = tuple(t[k] for k in keys)
        if t["category"] == "all":
            side_totals = cat_totals[(cat_totals[keys] == pd.Series(key, index=keys)).all(axis=1)]
            side_parts = parts[(parts[keys] == pd.Series(key, index=keys)).all(axis=1)]
            summed = list(side_totals.index) if not side_totals.empty else list(side_parts.index)
            what = "category totals" if not side_totals.empty else "all parts"
        else:
            summed = list(part_rows.get((*key, t["category"]), []))
            what = f"parts in {t['category']}"
        parts_sum = int(frame.loc[summed, "count"].sum()) if summed else pd.NA
        rows.append(
            {
                "documenter": t["documenter"],
                "side": t["side"],
                "category": t["category"],
                "stated": int(t["count"]),
                "parts": parts_sum,
                "difference": int(t["count"]) - parts_sum if summed else pd.NA,
                "what": what,
                "part_rows": tuple(int(r) for r in summed),
                "source_id": t["source_id"],
                "locator": _text(equipment.at[row, "locator"]),
            }
        )
    columns = [
        "documenter",
        "side",
        "category",
        "stated",
        "parts",
        "difference",
        "what",
        "part_rows",
        "source_id",
        "locator",
    ]
    out = pd.DataFrame(rows, columns=columns, index=totals.index)
    return out.astype({"stated": "int64", "parts": "Int64", "difference": "Int64"})


def totals_vs_parts(tables: Tables) -> list[Discrepancy]:
    """A stated equipment total that differs from the sum of the counts it breaks down into (see stated_vs_parts)."""
    if not _has(tables, "equipment_losses"):
        return []
    eq = tables["equipment_losses"]
    compared = stated_vs_parts(eq)
    out: list[Discrepancy] = []
    for row, t in compared[compared["difference"].fillna(0) != 0].iterrows():
        subject = (
            f"equipment_losses.csv: {t['documenter']}'s stated total for {t['side']}, {t['category']}: "
            f"{t['stated']} stated, {t['parts']} in the {t['what']} (difference {t['difference']:+d})"
        )
        out.append(
            Discrepancy(
                "total-vs-parts",
                subject,
                (
                    _version("equipment_losses.csv", eq, row, f"{t['stated']} stated"),
                    _rows_version(f"{t['parts']} summed", "equipment_losses.csv", t["part_rows"], t["source_id"]),
                ),
            )
        )
    return out


def _people(n: int) -> str:
    return f"{n} person" if n == 1 else f"{n} people"


def sentence_totals(tables: Tables) -> list[Discrepancy]:
    """A stated total of court outcomes (people, prison months, lashes) that differs from the per-person rows
    (terms.stated_vs_recorded)."""
    if not (_has(tables, "sentence_totals") and _has(tables, "sentences")):
        return []
    totals = tables["sentence_totals"]
    totals = totals[totals["persons"].notna()]  # an unreadable stated total is the validator's error
    compared = stated_vs_recorded(totals, tables["sentences"])
    out: list[Discrepancy] = []
    for row, c in compared.iterrows():
        if not c["recorded_rows"]:
            continue
        if not any(
            pd.notna(c[f"{what}_difference"]) and c[f"{what}_difference"] != 0
            for what in ("persons", "prison_months", "lashes")
        ):
            continue
        stated = _people(int(c["stated_persons"]))
        stated += f", {totals.at[row, 'prison_months_total']} months" if pd.notna(c["stated_prison_months"]) else ""
        stated += f", {c['stated_lashes']} lashes" if pd.notna(c["stated_lashes"]) else ""
        months, days = c["recorded_months_as_stated"], c["recorded_days_as_stated"]
        recorded = (
            f"{_people(int(c['recorded_persons']))}, {months} months"
            + (f" + {days} days" if days else "")
            + f", {c['recorded_lashes']} lashes"
        )
        subject = (
            f"sentence_totals.csv: {c['outcome']} at {c['event_id']}: {stated} stated, {recorded} "
            "in the per-person rows"
        )
        out.append(
            Discrepancy(
                "sentence-total",
                subject,
                (
                    _version("sentence_totals.csv", totals, row, f"{stated} stated"),
                    _rows_version(f"{recorded} recorded", "sentences.csv", c["recorded_rows"], c["recorded_sources"]),
                ),
            )
        )
    return out


FINDERS: tuple[Callable[[Tables], list[Discrepancy]], ...] = (
    totals_vs_parts,
    casualty_figures,
    claim_figures,
    detention_figures,
    named_vs_stated,
    sentence_totals,
    event_dates,
)


#: The columns each table must keep for the finders (discrepancies and duplicates); validate() drops the rest.
FINDER_COLUMNS: dict[str, tuple[str, ...]] = {
    "casualties": ("side", "group", "measure", "reported_by", "as_of", "period", "count", "count_max", "qualifier"),
    "loss_claims": ("claimant", "about_side", "as_of", "category", "claimed_item", "count", "count_max", "qualifier"),
    "detentions": ("actor_id", "event_id", "part_of", "count", "count_max", "qualifier"),
    "events": ("event_id", "date", "date_precision", "variant_of", "title"),
    "equipment_losses": ("documenter", "side", "category", "status", "count"),
    "sentence_totals": ("total_id", "event_id", "outcome", "persons", "prison_months_total", "lashes_total"),
    "sentences": (
        "sentence_id",
        "actor_id",
        "event_id",
        "outcome",
        "appeal_of",
        "prison_months",
        "prison_days",
        "lashes",
        "fine_amount",
        "fine_currency",
    ),
    "relations": ("relation_id", "source_actor_id", "target_actor_id", "relation", "date"),
}
#: Every version names its source and place in it.
PROVENANCE = ("source_id", "locator")


def finder_columns(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The part of a typed table that the finders read (all of it for a table they do not read: none)."""
    wanted = FINDER_COLUMNS.get(name)
    if wanted is None:
        return frame.iloc[:, :0]
    return frame[[c for c in frame.columns if c in wanted or c in PROVENANCE]]


def find_discrepancies(tables: Tables) -> list[Discrepancy]:
    """Every disagreement the finders see in the typed tables, in a stable order."""
    out: list[Discrepancy] = []
    for finder in FINDERS:
        out += finder(tables)
    return out


# --------------------------------------------------------------------------- likely duplicates


def _key_codes(column: pd.Series) -> np.ndarray:
    """A column as hashable key values, missing as one value of its own (cheap for dates and vocabularies)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy()
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.to_numpy().view("int64")  # NaT is one value
    return column.astype(object).where(column.notna(), "").to_numpy(dtype=object)


#: Words that do not make two titles different ("Rally in Tabriz" = "The rally in Tabriz").
_TITLE_STOPWORDS = (b"a", b"an", b"the", b"of", b"in", b"at", b"on", b"to", b"for", b"and", b"by", b"with")
_SEP = "\x00"  # joins titles for whole-text passes; no CSV cell holds it
#: ASCII bytes other than letters, digits and the separator become spaces.
_ASCII_PUNCT = bytes.maketrans(
    bytes(c for c in range(1, 128) if not chr(c).isalnum()),
    b" " * sum(1 for c in range(1, 128) if not chr(c).isalnum()),
)
#: Punctuation outside ASCII, as UTF-8: U+00A0-00BF, U+2000-206F (dashes, quotes), U+3000-303F.
#: A small word with the space before it (the space after it stays, so the next one is found too).
_STOPWORD = re.compile(rb" (?:" + b"|".join(_TITLE_STOPWORDS) + rb")(?= )")
_UNICODE_PUNCT = re.compile(rb"\xc2[\xa0-\xbf]|\xe2\x80[\x80-\xbf]|\xe2\x81[\x80-\xaf]|\xe3\x80[\x80-\xbf]")


def normalised_titles(titles: list[str]) -> list[bytes]:
    """Titles reduced for comparison (as UTF-8 keys): case, punctuation and small words (a, the, of...) ignored.

    Done on all titles joined into one text, so each step is one pass in C, not one call per title.
    """
    if not titles:
        return []
    text = _SEP.join(titles)
    if text.count(_SEP) != len(titles) - 1:  # a title holds the separator itself
        text = _SEP.join(t.replace(_SEP, " ") for t in titles)
    text = text.casefold()
    data = b" " + text.encode("utf-8").translate(_ASCII_PUNCT) + b" "
    if not text.isascii():
        data = _UNICODE_PUNCT.sub(b" ", data)
    data = _STOPWORD.sub(b"", data.replace(b"\x00", b" \x00 "))  # every word now stands between spaces
    while b"  " in data:
        data = data.replace(b"  ", b" ")
    return data.replace(b" \x00", b"\x00").replace(b"\x00 ", b"\x00").strip(b" ").split(b"\x00")


def _duplicate_groups(
    file: str,
    frame: pd.DataFrame,
    keys: dict[str, np.ndarray],
    check: str,
    subject: Callable[[list[int]], str],
    value: Callable[[int], str],
) -> list[Discrepancy]:
    keyed = pd.DataFrame(keys, index=frame.index)
    shared = keyed[keyed.duplicated(keep=False)]
    out: list[Discrepancy] = []
    for _, group in shared.groupby(list(keys), sort=True):
        rows = sorted(int(r) for r in group.index)
        shown = rows[:MAX_ROWS_PER_PROBLEM]  # a fact copied thousands of times is named once, with its count
        out.append(Discrepancy(check, subject(rows), tuple(_version(file, frame, r, value(r)) for r in shown)))
    return out


def duplicate_relations(tables: Tables) -> list[Discrepancy]:
    """Relations with the same source actor, target actor, relation and date (or both undated): likely one tie twice."""
    if not _has(tables, "relations", "source_actor_id", "target_actor_id", "relation", "date"):
        return []
    rel = tables["relations"]
    rel = rel[rel["source_actor_id"].notna() & rel["target_actor_id"].notna() & rel["relation"].notna()]
    if rel.empty:
        return []
    keys = {k: _key_codes(rel[k]) for k in ("source_actor_id", "target_actor_id", "relation", "date")}

    def subject(rows: list[int]) -> str:
        r = rows[0]
        when = _text(rel.at[r, "date"]) or "undated"
        return (
            f"relations.csv: likely one tie recorded {len(rows)} times: {rel.at[r, 'source_actor_id']} "
            f"{rel.at[r, 'relation']} {rel.at[r, 'target_actor_id']}, {when}"
        )

    ids = "relation_id" in rel.columns
    return _duplicate_groups(
        "relations.csv",
        rel,
        keys,
        "likely-duplicate",
        subject,
        lambda r: _text(rel.at[r, "relation_id"]) if ids else f"row {r}",
    )


def duplicate_events(tables: Tables) -> list[Discrepancy]:
    """Events on the same date with near-identical titles that are not linked as versions (variant_of)."""
    if not _has(tables, "events", "date", "title"):
        return []
    ev = tables["events"]
    ev = ev[ev["date"].notna() & ev["title"].notna()]
    if "variant_of" in ev.columns:  # a version of another event is linked already, as the data contract asks
        ev = ev[ev["variant_of"].isna()]
    dates = _key_codes(ev["date"])
    candidates = pd.Series(dates).duplicated(keep=False).to_numpy()  # only a shared date can hold a duplicate
    ev = ev[candidates]
    if ev.empty:
        return []
    codes, uniques = pd.factorize(ev["title"].astype(object).to_numpy())
    titles = np.array(normalised_titles(list(uniques)), dtype=object)[codes]
    keys = {"date": dates[candidates], "title": titles}

    def subject(rows: list[int]) -> str:
        r = rows[0]
        return (
            f"events.csv: likely one event recorded {len(rows)} times as first versions "
            f"(same date, near-identical title; link the others with variant_of): "
            f"{_text(ev.at[r, 'date'])}, {ev.at[r, 'title']!s}"
        )

    ids = "event_id" in ev.columns
    return _duplicate_groups(
        "events.csv",
        ev,
        keys,
        "likely-duplicate",
        subject,
        lambda r: _text(ev.at[r, "event_id"]) if ids else f"row {r}",
    )


DUPLICATE_FINDERS: tuple[Callable[[Tables], list[Discrepancy]], ...] = (duplicate_relations, duplicate_events)


def find_duplicates(tables: Tables) -> list[Discrepancy]:
    """Rows that likely record one fact twice (warnings: the data contract wants one fact, one row)."""
    out: list[Discrepancy] = []
    for finder in DUPLICATE_FINDERS:
        out += finder(tables)
    return out


def discrepancy_register(discrepancies: list[Discrepancy]) -> pd.DataFrame:
    """One row per version of each disputed figure: the table the book prints as its register."""
    rows = [
        {
            "check": d.check,
            "subject": d.subject,
            "version": v.value,
            "file": v.file,
            "row": v.row,
            "source_id": v.source_id,
            "locator": v.locator,
        }
        for d in discrepancies
        for v in d.versions
    ]
    return pd.DataFrame(rows, columns=["check", "subject", "version", "file", "row", "source_id", "locator"])
