"""The data explorer's records: searchable rows of events, people, detentions, sentences and figures.

Each table is a list of rows of plain text cells (nothing here is markup: the page's script writes
every cell as text), each row with its source, locator, a link to the cited section where the
source is a living web article, its evidence grade (:mod:`analysis.evidence`) and the chapter that
uses it. Children never appear: actors with ``is_minor`` true are not listed as people, and their
detention and sentence rows are left out, so nothing on the page ties a child to a named person.

People have no figure to grade; their grade counts the documents that name them in any row
(their own actor row, detentions, sentences, relations): ``corroborated`` for two or more,
``single source`` for one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .data import default_data_dir
from .evidence import event_grades, figure_grades
from .schema import read_package
from .sources import locator_url
from .words import figure_text, is_missing

#: Chapter (page name under book/) that shows each kind of row; events go by theatre, detentions by country.
EVENT_CHAPTERS = {
    "azerbaijan": "protests",
    "front": "war",
    "armenia": "war",
    "international": "war",
    "iran": "iran-rallies",
}
DETENTION_CHAPTERS = {"iran": "sentences", "azerbaijan": "protests"}
TABLE_CHAPTERS = {
    "sentences": "sentences",
    "casualties": "human-losses",
    "equipment_losses": "equipment-losses",
    "loss_claims": "equipment-losses",
    "people": "networks",
}
#: Tables the explorer reads.
NEEDS = (
    "sources",
    "actors",
    "places",
    "events",
    "relations",
    "detentions",
    "sentences",
    "casualties",
    "equipment_losses",
    "loss_claims",
)


@dataclass
class ExplorerTable:
    """One table of the explorer: its columns (key, label, numeric?) and rows of text cells plus provenance."""

    key: str
    title: str
    note: str
    columns: list[tuple[str, str, bool]]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The table as the page's script reads it."""
        return {
            "key": self.key,
            "title": self.title,
            "note": self.note,
            "columns": [{"key": k, "label": label, "numeric": num} for k, label, num in self.columns],
            "rows": self.rows,
        }


def _text(value: object) -> str:
    if is_missing(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _date(value: object, precision: object = "day") -> str:
    """An ISO date cut to its precision (2020-07, 2020), so that text order is date order."""
    if is_missing(value):
        return ""
    stamp = value if isinstance(value, pd.Timestamp) else pd.Timestamp(str(value))
    return {"month": stamp.strftime("%Y-%m"), "year": stamp.strftime("%Y")}.get(
        _text(precision), stamp.strftime("%Y-%m-%d")
    )


def _number(value: object) -> int | float | str:
    if is_missing(value):
        return ""
    number = float(value)  # type: ignore[arg-type]
    return int(number) if number.is_integer() else number


def _detention_chapter(theatre: str, country: str) -> str:
    """The chapter that shows a detention: by its event's theatre, else by the country it happened in."""
    where = theatre or {"IR": "iran", "AZ": "azerbaijan"}.get(country, "")
    return DETENTION_CHAPTERS.get(where, "sources")


class _Builder:
    def __init__(self, tables: dict[str, pd.DataFrame]) -> None:
        self.t = tables
        actors = tables["actors"]
        self.minors = set(actors.loc[actors["is_minor"].fillna(False).astype(bool), "actor_id"].astype(str))
        self.names = actors.set_index("actor_id")["name"].astype(str).to_dict()
        self.aliases = actors.set_index("actor_id")["aliases"].map(_text).to_dict()
        self.places = tables["places"].set_index("place_id")["name"].astype(str).to_dict()
        self.source_titles = tables["sources"].set_index("source_id")["title"].astype(str).to_dict()
        self.short_titles = tables["sources"].set_index("source_id")["short_title"].astype(str).to_dict()
        # hyphenated vocabulary values are shown by their labels (the schema's k20:labels), as in the chapters
        self.labels = {
            value: label
            for resource in read_package(default_data_dir()).resources
            for fld in resource.fields
            for value, label in fld.labels.items()
            if "-" in value
        }

    def actor(self, actor_id: object) -> str:
        return self.names.get(_text(actor_id), _text(actor_id))

    def provenance(self, row: pd.Series, grade: object, chapter: str, search_extra: str = "") -> dict[str, Any]:
        source = _text(row["source_id"])
        return {
            "source": self.short_titles.get(source, source),  # as the book's source lines name it
            "source_title": self.source_titles.get(source, source),
            "locator": _text(row["locator"]),
            "locator_url": locator_url(self.t["sources"], source, row["locator"]),
            "grade": _text(grade),
            "chapter": f"{chapter}.html",
            "search": f"{search_extra} {source}".strip(),  # found by its id in the data files too
        }

    def add(self, table: ExplorerTable, cells: dict[str, object], provenance: dict[str, Any]) -> None:
        values = {k: (cells[k] if num else _text(cells[k])) for k, _, num in table.columns}
        coded = [str(values[k]) for k, _, num in table.columns if not num and str(values[k]) in self.labels]
        values.update({k: self.labels.get(str(values[k]), values[k]) for k, _, num in table.columns if not num})
        provenance["search"] = " ".join(" ".join([provenance["search"], *coded]).split())  # found by code too
        table.rows.append({"cells": [values[k] for k, _, _ in table.columns], **provenance})

    def grades(self, name: str) -> pd.Series:
        t = self.t
        return figure_grades(name, t[name], t["actors"], t["sources"], t["relations"])


def explorer_tables(tables: dict[str, pd.DataFrame]) -> list[ExplorerTable]:
    """The explorer's tables from the loaded data package (see :data:`NEEDS`); minors and their rows left out."""
    b = _Builder(tables)
    out = []

    events = tables["events"]
    table = ExplorerTable(
        "events",
        "Events",
        "Every dated event; a version told differently by another document is its own row.",
        [
            ("date", "Date", False),
            ("title", "Event", False),
            ("category", "Category", False),
            ("theatre", "Where", False),
            ("place", "Place", False),
            ("description", "Description", False),
        ],
    )
    for (_, row), grade in zip(events.iterrows(), event_grades(events, tables["sources"])):
        b.add(
            table,
            {
                "date": _date(row["date"], row["date_precision"]),
                "title": row["title"],
                "category": row["category"],
                "theatre": row["theatre"],
                "place": b.places.get(_text(row["place_id"]), ""),
                "description": row["description"],
            },
            b.provenance(row, grade, EVENT_CHAPTERS.get(_text(row["theatre"]), "timeline")),
        )
    out.append(table)

    detentions, sentences = tables["detentions"], tables["sentences"]
    actors = tables["actors"]
    people = actors[(actors["kind"].astype(str) == "person") & ~actors["actor_id"].astype(str).isin(b.minors)]
    named_in: dict[str, set[str]] = {}
    for frame, columns in (
        (actors, ["actor_id"]),
        (detentions, ["actor_id"]),
        (sentences, ["actor_id"]),
        (tables["relations"], ["source_actor_id", "target_actor_id"]),
    ):
        for column in columns:
            for actor_id, source in zip(frame[column], frame["source_id"]):
                if not is_missing(actor_id):
                    named_in.setdefault(str(actor_id), set()).add(str(source))
    held = set(detentions.loc[detentions["country"].astype(object) == "IR", "actor_id"].dropna().astype(str))
    held |= set(sentences["actor_id"].dropna().astype(str))
    table = ExplorerTable(
        "people",
        "People",
        "Named adults in the data; children are never listed.",
        [
            ("name", "Name", False),
            ("aliases", "Other spellings", False),
            ("country", "Country", False),
            ("description", "Description", False),
        ],
    )
    for _, row in people.iterrows():
        actor_id = _text(row["actor_id"])
        grade = "corroborated" if len(named_in.get(actor_id, set())) >= 2 else "single source"
        b.add(
            table,
            {
                "name": row["name"],
                "aliases": _text(row["aliases"]).replace("|", "; "),
                "country": row["country"],
                "description": row["description"],
            },
            b.provenance(row, grade, "sentences" if actor_id in held else TABLE_CHAPTERS["people"]),
        )
    out.append(table)

    table = ExplorerTable(
        "detentions",
        "Detentions",
        "One person detained, or a number of people detained together.",
        [
            ("person", "Person", False),
            ("count", "People", True),
            ("date", "Date", False),
            ("place", "Place", False),
            ("circumstance", "Circumstance", False),
            ("outcome", "Outcome", False),
            ("note", "Note", False),
        ],
    )
    theatre = events.set_index("event_id")["theatre"].astype(str).to_dict()
    kept = ~detentions["actor_id"].astype(object).isin(b.minors)
    for (_, row), grade in zip(detentions[kept].iterrows(), b.grades("detentions")[kept]):
        actor_id = _text(row["actor_id"])
        b.add(
            table,
            {
                "person": b.actor(actor_id) if actor_id else "(a group)",
                "count": _number(row["count"]),
                "date": _date(row["date"], row["date_precision"]),
                "place": b.places.get(_text(row["place_id"]), ""),
                "circumstance": row["circumstance"],
                "outcome": row["outcome"],
                "note": row["note"],
            },
            b.provenance(
                row,
                grade,
                _detention_chapter(theatre.get(_text(row["event_id"]), ""), _text(row["country"])),
                b.aliases.get(actor_id, ""),
            ),
        )
    out.append(table)

    table = ExplorerTable(
        "sentences",
        "Sentences",
        "One court outcome for one person; prison terms as the source states them.",
        [
            ("person", "Person", False),
            ("date", "Date", False),
            ("outcome", "Outcome", False),
            ("charges", "Charges", False),
            ("prison_months", "Prison (months)", True),
            ("lashes", "Lashes", True),
            ("court", "Court", False),
        ],
    )
    kept = ~sentences["actor_id"].astype(object).isin(b.minors)
    for (_, row), grade in zip(sentences[kept].iterrows(), b.grades("sentences")[kept]):
        actor_id = _text(row["actor_id"])
        b.add(
            table,
            {
                "person": b.actor(actor_id),
                "date": _date(row["date"], row["date_precision"]),
                "outcome": row["outcome"],
                "charges": row["charges"],
                "prison_months": _number(row["prison_months"]),
                "lashes": _number(row["lashes"]),
                "court": b.actor(row["court_actor_id"]) if not is_missing(row["court_actor_id"]) else "",
            },
            b.provenance(row, grade, TABLE_CHAPTERS["sentences"], b.aliases.get(actor_id, "")),
        )
    out.append(table)

    casualties = tables["casualties"]
    table = ExplorerTable(
        "casualties",
        "Casualty figures",
        "Human-loss figures as each reporter gave them; figures from different reporters are not to be added.",
        [
            ("side", "Side", False),
            ("group", "Group", False),
            ("measure", "Measure", False),
            ("figure", "Figure", False),
            ("count", "Count", True),
            ("reported_by", "Reported by", False),
            ("as_of", "As of", False),
            ("note", "Note", False),
        ],
    )
    for (_, row), grade in zip(casualties.iterrows(), b.grades("casualties")):
        b.add(
            table,
            {
                "side": row["side"],
                "group": row["group"],
                "measure": row["measure"],
                "figure": figure_text(row["count"], row["count_max"], row["qualifier"]),
                "count": _number(row["count"]),
                "reported_by": b.actor(row["reported_by"]) if not is_missing(row["reported_by"]) else "",
                "as_of": _date(row["as_of"]),
                "note": row["note"],
            },
            b.provenance(row, grade, TABLE_CHAPTERS["casualties"]),
        )
    out.append(table)

    losses = tables["equipment_losses"]
    table = ExplorerTable(
        "equipment",
        "Equipment losses (documented)",
        "Counts by documenter; a stated total row is the sum of the other rows of its side and category,"
        " so do not add it to them.",
        [
            ("documenter", "Documenter", False),
            ("side", "Side", False),
            ("category", "Category", False),
            ("status", "Status", False),
            ("count", "Count", True),
            ("note", "Note", False),
        ],
    )
    for (_, row), grade in zip(losses.iterrows(), b.grades("equipment_losses")):
        b.add(
            table,
            {
                "documenter": b.actor(row["documenter"]),
                "side": row["side"],
                "category": row["category"],
                "status": row["status"],
                "count": _number(row["count"]),
                "note": row["note"],
            },
            b.provenance(row, grade, TABLE_CHAPTERS["equipment_losses"]),
        )
    out.append(table)

    claims = tables["loss_claims"]
    table = ExplorerTable(
        "claims",
        "Equipment claims",
        "Losses one party claimed to have inflicted on the other: claims, not counts.",
        [
            ("claimant", "Claimant", False),
            ("about_side", "About", False),
            ("as_of", "As of", False),
            ("item", "Item", False),
            ("figure", "Figure", False),
            ("count", "Count", True),
        ],
    )
    for (_, row), grade in zip(claims.iterrows(), b.grades("loss_claims")):
        b.add(
            table,
            {
                "claimant": b.actor(row["claimant"]),
                "about_side": row["about_side"],
                "as_of": _date(row["as_of"]),
                "item": row["claimed_item"],
                "figure": figure_text(row["count"], row["count_max"], row["qualifier"]),
                "count": _number(row["count"]),
            },
            b.provenance(row, grade, TABLE_CHAPTERS["loss_claims"]),
        )
    out.append(table)
    return out
