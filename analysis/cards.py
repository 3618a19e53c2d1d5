"""What a reader takes away from a figure or table: its rows as a CSV that explains itself.

Every figure and table of the book carries a "Download data" link: a CSV of exactly the rows it
shows, each with the document it comes from (a short title and its ``source_id``), the place in that
document (``locator``) and the evidence grade (:mod:`analysis.evidence`). The file opens with ``# ``
comment lines that say what it is, what every column means and, where rows include totals beside
their parts or rival versions of one count, that they must not be added up; read it with
``pandas.read_csv(path, comment="#")``.

The link is written into the page as a ``data:`` address, so it works in Jupyter and in any copy of
the HTML; the book's build (``book/_ext/downloads.py``) moves each payload to a file of its own.
"""

from __future__ import annotations

import base64
import csv
import html
import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

import pandas as pd

from .evidence import GRADES, MATCH, event_grades, figure_grades
from .schema import read_package

DATA_DIR: Final[Path] = Path(__file__).resolve().parent.parent / "data"
#: Columns that say where a row comes from; they close every CSV, in this order.
PROVENANCE: Final[tuple[str, ...]] = ("source", "source_id", "locator", "evidence")
#: What the provenance columns (and a few common derived ones) mean, in the CSV's header.
COLUMN_NOTES: Final[dict[str, str]] = {
    "source": "short title of the source document (the Sources chapter lists each in full)",
    "sources": "short titles of the source documents behind the row",
    "source_id": "key of the source document in sources.csv of the data package",
    "locator": "where the fact stands in that document: section heading, paragraph (¶) or footnote",
    "locators": "where the counted facts stand in their documents (section heading, paragraph or footnote)",
    "evidence": f"evidence grade ({', '.join(GRADES)}): how many independent documents stand behind the row, "
    "and whether a party to the conflict states it (see How to read this book); not a verdict on truth",
}
#: What the columns the chapters derive mean, where the data package does not define a column of that name.
DERIVED_NOTES: Final[dict[str, str]] = {
    "week": "first day (Monday) of the week counted",
    "lane": "the chart's lane: where the event took place or whom it concerns",
    "events dated to the day": "number of first-version events of that week and lane dated to the day",
    "date_label": "the date as the chart labels it, at the precision the source gives",
    "start": "first day the mark covers",
    "end": "last day the mark covers",
    "precision": "how precisely the source dates it: day, month or year",
    "versions": "how many documents tell the event",
    "from": "the actor the tie starts from (name)",
    "to": "the actor the tie points to (name)",
    "family": "the group of relation types the drawing's panel shows",
    "person": "the person's name as the data records it (children are never named)",
    "event": "the event's title",
    "figure": "the figure as the source words it",
    "reported by": "who gave the figure, and what kind of reporter that is",
    "period": "the span of time the figure covers",
    "mark": "the kind of mark on the map",
    "place": "the place's name",
    "topic": "the book's topic (a group of data files and rows)",
    "rows": "number of data rows of the topic behind documents of that perspective",
    "share": "share of the topic's rows (0 to 1)",
    "axis_row": "the row of the chart the mark sits on",
    "version": "first version of an event, or another document's version of it",
    "locality": "the town or city as the activist report places it",
}
LICENCE: Final[str] = "Karabakh 2020 in Data; data under CC BY 4.0 (cite the book and the source documents)."
TOTALS_NOTE: Final[str] = (
    "DO NOT ADD UP ALL ROWS: rows whose status is 'stated total' are totals the source states; where rows of the "
    "same side and category list parts too, adding both counts every loss twice (in equipment_losses.csv a sum of "
    "all Armenian tank rows gives 510, twice the 255 documented). Add the parts, or read the stated total."
)
RIVALS_NOTE: Final[str] = (
    "DO NOT ADD UP ROWS: each row is one figure as one reporter gave it; rows for the same side, group and "
    "measure are rival or updated versions of one count (and a total may stand beside its parts), not separate "
    "people. Compare them; never sum them."
)
TOTAL_COLUMNS_NOTE: Final[str] = (
    "DO NOT ADD TOTALS TO PARTS: a column whose name says 'total' holds a total (stated by the source, or the sum "
    "of the row's parts); adding it to the other columns counts the same items twice."
)
SUBSET_NOTE: Final[str] = (
    "DO NOT ADD UP ALL ROWS: a row with a 'subset_of' value is part of the row it names, not in addition to it."
)


def source_titles(sources: pd.DataFrame | None = None) -> dict[str, str]:
    """Each source_id's short readable title: the document's title, cut at its first bracket or colon."""
    table = pd.read_csv(DATA_DIR / "sources.csv", dtype=str) if sources is None else sources
    titles = {}
    for sid, title in zip(table["source_id"].astype(str), table["title"].astype(str), strict=True):
        short = title.split(" (")[0].split(": ")[0].strip()
        titles[sid] = short or title
    return titles


def _titles(ids: object, titles: Mapping[str, str]) -> str:
    """The titles of one cell's source ids ('a, b' or a list), joined by '; '."""
    if isinstance(ids, list | tuple | set):
        parts = [str(i) for i in ids]
    elif pd.isna(ids):  # type: ignore[arg-type]
        return ""
    else:
        parts = [p.strip() for p in str(ids).replace(";", ",").split(",") if p.strip()]
    return "; ".join(titles.get(p, p) for p in parts)


def with_provenance(rows: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows with a readable ``source`` title beside each ``source_id``, and the provenance columns last."""
    out = rows.copy()
    if "source_id" in out.columns and "source" not in out.columns:
        out["source"] = [_titles(s, source_titles(sources)) for s in out["source_id"]]
    ordered = [c for c in out.columns if c not in PROVENANCE] + [c for c in PROVENANCE if c in out.columns]
    return out[ordered]


def readable(rows: pd.DataFrame, resource: str, data_dir: Path | None = None) -> pd.DataFrame:
    """The rows with every enumerated slug of ``resource``'s columns replaced by its label ('stated-total' ->
    'stated total' or whatever datapackage.json names it)."""
    out = rows.copy()
    fields = {f.name: f for f in read_package(data_dir or DATA_DIR).resource(resource).fields}
    for column in out.columns:
        f = fields.get(str(column))
        if f is not None and f.labels and column != "source_id":
            out[column] = out[column].map(lambda v, labels=f.labels: labels.get(v, v) if isinstance(v, str) else v)
    return out


def graded(rows: pd.DataFrame, table: str, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows (taken from ``tables[table]``) with an ``evidence`` column, graded over the whole table.

    Events are graded by ``event_id``; figure tables by the columns that make two rows the same figure
    (evidence.MATCH) with the row's ``source_id``, so derived rows that keep those columns find their grade.
    """
    if "evidence" in rows.columns:
        return rows.copy()
    out = rows.copy()
    if table == "events":
        grades = event_grades(tables["events"], tables["sources"])
        by_id = dict(zip(tables["events"]["event_id"], grades.astype(str), strict=True))
        out["evidence"] = out["event_id"].map(by_id)
        return out
    full = tables[table]
    grades = figure_grades(
        table, full, actors=tables.get("actors"), sources=tables.get("sources"), relations=tables.get("relations")
    )
    keys = [*MATCH[table], "source_id"]
    missing = [k for k in keys if k not in out.columns]
    if missing:
        raise KeyError(f"rows from {table} need the columns {missing} to find their evidence grade")

    def key(frame: pd.DataFrame) -> pd.Series:
        cells = frame[keys].astype(object).where(frame[keys].notna(), "")
        return cells.astype(str).agg("\x1f".join, axis=1)

    lookup = dict(zip(key(full), grades.astype(str), strict=True))
    out["evidence"] = key(out).map(lookup)
    return out


def drawn(
    rows: pd.DataFrame,
    table: str,
    tables: Mapping[str, pd.DataFrame],
    columns: Iterable[str] | None = None,
    resource: str | None = None,
) -> pd.DataFrame:
    """Rows a figure draws, ready for its download: graded, only ``columns`` (plus provenance) kept, slugs as
    labels (from ``resource``'s vocabularies, by default ``table``'s) and a readable ``source`` title."""
    out = graded(rows, table, tables)
    if columns is not None:
        keep = list(columns)
        out = out[keep + [c for c in PROVENANCE if c in out.columns and c not in keep]]
    out = readable(out, resource or table)
    return with_provenance(out, tables.get("sources"))


def totals_note(rows: pd.DataFrame) -> str | None:
    """The warning a CSV needs where its rows must not be added up (totals beside parts, rival figures)."""
    if "note" in rows.attrs:
        return str(rows.attrs["note"])
    columns = set(map(str, rows.columns))
    if "status" in columns and rows["status"].astype(str).str.replace("-", " ").eq("stated total").any():
        return TOTALS_NOTE
    if "measure" in columns and columns & {"reported_by", "reporter", "reported by"}:
        return RIVALS_NOTE
    if "subset_of" in columns:
        return SUBSET_NOTE
    if any("total" in c.lower() for c in columns):
        return TOTAL_COLUMNS_NOTE
    return None


def _described(columns: Iterable[str], resource: str | None, data_dir: Path | None) -> dict[str, str]:
    """Each column's meaning: the provenance notes, else the data package's description of a column of that name."""
    package = read_package(data_dir or DATA_DIR)
    columns = list(columns)
    if resource is None:  # the file whose columns these rows share most says what they mean
        resource = max(package.resources, key=lambda r: len({f.name for f in r.fields} & set(columns))).name
    known: dict[str, str] = {}
    order = sorted(package.resources, key=lambda r: r.name != resource)  # the given resource's words first
    for r in order:
        for f in r.fields:
            known.setdefault(f.name, f.description)
    return {
        c: COLUMN_NOTES.get(c) or known.get(c) or DERIVED_NOTES.get(c) or "as the book shows it (see the caption)"
        for c in columns
    }


def _comment(text: str, width: int = 100) -> list[str]:
    return ["# " + line for line in textwrap.wrap(text, width=width, break_on_hyphens=False)] or ["#"]


def csv_text(
    rows: pd.DataFrame,
    title: str,
    what: str,
    resource: str | None = None,
    descriptions: Mapping[str, str] | None = None,
    data_dir: Path | None = None,
) -> str:
    """The rows as a CSV opening with '# ' lines: ``title``, ``what`` one row is, each column's meaning, the
    totals warning where one applies (totals_note) and the licence; read it with pandas.read_csv(comment='#')."""
    meaning = _described([str(c) for c in rows.columns], resource, data_dir)
    meaning.update(descriptions or {})
    lines = [*_comment(title), *_comment(what), "#", "# Columns:"]
    for column in rows.columns:
        lines += _comment(f"  {column}: {meaning[str(column)]}")
    note = totals_note(rows)
    if note:
        lines += ["#", *_comment(note)]
    lines += ["#", *_comment(LICENCE), "#", '# Read with pandas.read_csv(path, comment="#").']
    # Text cells are quoted, so a '#' inside one is data, not the start of a comment.
    body = rows.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d", quoting=csv.QUOTE_NONNUMERIC)
    return "\n".join(lines) + "\n" + body


def download_link(filename: str, payload: bytes, mime: str, label: str) -> str:
    """An ``<a class="k20-download">`` saving ``payload`` as ``filename``: a data: address the build makes a file."""
    data = base64.b64encode(payload).decode("ascii")
    return (
        f'<a class="k20-download" download="{html.escape(filename)}" href="data:{mime};base64,{data}">'
        f"{html.escape(label)}</a>"
    )
