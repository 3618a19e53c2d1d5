"""Find where the sources disagree with themselves or each other.

These are warnings, not errors: the data keeps every version with its own citation, and this
module lists the disagreements so the book can show them (the discrepancies register).
Each finder takes typed tables (as returned by :func:`analysis.data.load_all`) and returns
:class:`~analysis.validation.Discrepancy` objects naming every version and its source.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from .terms import stated_vs_recorded
from .words import figure_text
from .validation import Discrepancy, Version

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
    return Version(value=value, file=file, row=int(row), source_id=_text(frame.at[row, "source_id"]),
                   locator=_text(frame.at[row, "locator"]))


def _count_text(frame: pd.DataFrame, row: int) -> str:
    """A row's count as its source put it (words.figure_text), or 'no figure'."""
    def cell(column: str) -> object:
        return frame.at[row, column] if column in frame.columns else None

    return str(figure_text(cell("count"), cell("count_max"), cell("qualifier"), missing="no figure"))


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
    return _differing_counts("casualties.csv", tables["casualties"],
                             ["side", "group", "measure", "reported_by", "as_of", "period"],
                             "same-count", "two figures for one count:")


def claim_figures(tables: Tables) -> list[Discrepancy]:
    """The same claim (claimant, side, date, item) given as different figures."""
    return _differing_counts("loss_claims.csv", tables["loss_claims"],
                             ["claimant", "about_side", "as_of", "category", "claimed_item"],
                             "same-claim", "two figures for one claim:")


def detention_figures(tables: Tables) -> list[Discrepancy]:
    """Different reported numbers of people detained at the same event."""
    det = tables["detentions"]
    groups = det[det["actor_id"].isna() & det["event_id"].notna() & det["part_of"].isna()]
    return _differing_counts("detentions.csv", groups, ["event_id"], "detainee-count",
                             "two figures for the detainees of")


def named_vs_stated(tables: Tables) -> list[Discrepancy]:
    """A reported number of detainees against the named people recorded for the same event."""
    det = tables["detentions"]
    out: list[Discrepancy] = []
    groups = det[det["actor_id"].isna() & det["event_id"].notna() & det["part_of"].isna()]
    named = det[det["actor_id"].notna() & det["event_id"].isin(groups["event_id"])]
    named_rows = named.reset_index().groupby(named["event_id"].astype(object).to_numpy())["row"].agg(list)
    for row in groups.index:
        event = groups.at[row, "event_id"]
        rows = named_rows.get(event, [])
        n_named = len(rows)
        low = groups.at[row, "count"]
        high = groups.at[row, "count_max"] if pd.notna(groups.at[row, "count_max"]) else low
        if pd.isna(low) or n_named == 0 or low <= n_named <= high:
            continue
        subject = f"detentions.csv: detainees of {event}: {_count_text(det, row)} reported, {n_named} named"
        versions = [_version("detentions.csv", det, row, f"{_count_text(det, row)} reported")]
        versions.append(Version(f"{n_named} named", "detentions.csv", int(rows[0]),
                                ", ".join(sorted(set(det.loc[rows, 'source_id'].astype(str)))),
                                f"rows {', '.join(str(r) for r in rows)}"))
        out.append(Discrepancy("named-vs-stated", subject, tuple(versions)))
    return out


def _same_period(a: pd.Timestamp, b: pd.Timestamp, precision: str) -> bool:
    """Whether two dates agree at the given precision (a month-precision date agrees with any day of its month)."""
    if precision == "year":
        return a.year == b.year
    if precision == "month":
        return (a.year, a.month) == (b.year, b.month)
    return a == b


def event_dates(tables: Tables) -> list[Discrepancy]:
    """One event dated differently in two places (rows linked by variant_of), compared at the coarser precision."""
    ev = tables["events"]
    out: list[Discrepancy] = []
    by_id = ev.reset_index().set_index("event_id")
    rank = {"day": 0, "month": 1, "year": 2}
    for row in ev.index[ev["variant_of"].notna()]:
        other = by_id.loc[ev.at[row, "variant_of"]]
        coarser = max(str(other["date_precision"]), str(ev.at[row, "date_precision"]), key=rank.__getitem__)
        if _same_period(other["date"], ev.at[row, "date"], coarser):
            continue
        subject = f"events.csv: {ev.at[row, 'variant_of']} is dated differently"
        out.append(Discrepancy("event-date", subject, (
            _version("events.csv", ev, int(other["row"]), _text(other["date"])),
            _version("events.csv", ev, row, _text(ev.at[row, "date"])),
        )))
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
    parts, totals = frame[~is_total], frame[is_total]
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
        rows.append({"documenter": t["documenter"], "side": t["side"], "category": t["category"],
                     "stated": int(t["count"]), "parts": parts_sum,
                     "difference": int(t["count"]) - parts_sum if summed else pd.NA, "what": what,
                     "part_rows": tuple(int(r) for r in summed), "source_id": t["source_id"],
                     "locator": _text(equipment.at[row, "locator"])})
    columns = ["documenter", "side", "category", "stated", "parts", "difference", "what", "part_rows", "source_id",
               "locator"]
    out = pd.DataFrame(rows, columns=columns, index=totals.index)
    return out.astype({"stated": "int64", "parts": "Int64", "difference": "Int64"})


def totals_vs_parts(tables: Tables) -> list[Discrepancy]:
    """A stated equipment total that differs from the sum of the counts it breaks down into (see stated_vs_parts)."""
    eq = tables["equipment_losses"]
    compared = stated_vs_parts(eq)
    out: list[Discrepancy] = []
    for row, t in compared[compared["difference"].fillna(0) != 0].iterrows():
        subject = (f"equipment_losses.csv: {t['documenter']}'s stated total for {t['side']}, {t['category']}: "
                   f"{t['stated']} stated, {t['parts']} in the {t['what']} (difference {t['difference']:+d})")
        out.append(Discrepancy("total-vs-parts", subject, (
            _version("equipment_losses.csv", eq, row, f"{t['stated']} stated"),
            Version(f"{t['parts']} summed", "equipment_losses.csv", t["part_rows"][0],
                    t["source_id"], f"rows {', '.join(str(r) for r in t['part_rows'])}"),
        )))
    return out


def _people(n: int) -> str:
    return f"{n} person" if n == 1 else f"{n} people"


def sentence_totals(tables: Tables) -> list[Discrepancy]:
    """A stated total of court outcomes (people, prison months, lashes) that differs from the per-person rows
    (terms.stated_vs_recorded)."""
    totals = tables["sentence_totals"]
    compared = stated_vs_recorded(totals, tables["sentences"])
    out: list[Discrepancy] = []
    for row, c in compared.iterrows():
        if not c["recorded_rows"]:
            continue
        if not any(pd.notna(c[f"{what}_difference"]) and c[f"{what}_difference"] != 0
                   for what in ("persons", "prison_months", "lashes")):
            continue
        stated = _people(int(c["stated_persons"]))
        stated += f", {totals.at[row, 'prison_months_total']} months" if pd.notna(c["stated_prison_months"]) else ""
        stated += f", {c['stated_lashes']} lashes" if pd.notna(c["stated_lashes"]) else ""
        months, days = c["recorded_months_as_stated"], c["recorded_days_as_stated"]
        recorded = (f"{_people(int(c['recorded_persons']))}, {months} months" + (f" + {days} days" if days else "")
                    + f", {c['recorded_lashes']} lashes")
        subject = (f"sentence_totals.csv: {c['outcome']} at {c['event_id']}: {stated} stated, {recorded} "
                   "in the per-person rows")
        out.append(Discrepancy("sentence-total", subject, (
            _version("sentence_totals.csv", totals, row, f"{stated} stated"),
            Version(f"{recorded} recorded", "sentences.csv", c["recorded_rows"][0], c["recorded_sources"],
                    f"rows {', '.join(str(r) for r in c['recorded_rows'])}"),
        )))
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


def find_discrepancies(tables: Tables) -> list[Discrepancy]:
    """Every disagreement the finders see in the typed tables, in a stable order."""
    out: list[Discrepancy] = []
    for finder in FINDERS:
        out += finder(tables)
    return out


def discrepancy_register(discrepancies: list[Discrepancy]) -> pd.DataFrame:
    """One row per version of each disputed figure: the table the book prints as its register."""
    rows = [
        {"check": d.check, "subject": d.subject, "version": v.value, "file": v.file, "row": v.row,
         "source_id": v.source_id, "locator": v.locator}
        for d in discrepancies for v in d.versions
    ]
    return pd.DataFrame(rows, columns=["check", "subject", "version", "file", "row", "source_id", "locator"])
