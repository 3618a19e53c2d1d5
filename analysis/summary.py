"""The book's key figures: a few headline numbers, each with who states it and where.

Nothing is added up across reporters: where one reporter gives two figures for the same count,
both are shown. Each row names its claimant, its source documents and locators.
"""

from __future__ import annotations

import pandas as pd

from .casualties import casualty_table
from .counts import DETAINED_SETS, people_detained
from .evidence import GRADES, event_grades, figure_grades, grades_text
from .losses import documented_count, documented_parts
from .schema import value_labels
from .timeline import first_versions
from .words import figure_text

#: Casualty figures for the 2020 war are those whose period starts on its first day.
WAR_PERIOD_START = "27 Sep"
WAR_PERIOD = "27 Sep - 10 Nov 2020 (the war)"
SIDE_NAMES = value_labels("casualties", "side", kind="adjectives")  # the belligerents, as adjectives


def _join(values: pd.Series) -> str:
    return "; ".join(dict.fromkeys(str(v) for v in values))


def _casualty_rows(table: pd.DataFrame, group: str, measure: str, kinds: tuple[str, ...]) -> list[dict]:
    rows = []
    part = table[
        (table["group"] == group)
        & (table["measure"] == measure)
        & table["reporter_kind"].isin(kinds)
        & table["side"].isin(list(SIDE_NAMES))
        & table["period"].astype(str).str.startswith(WAR_PERIOD_START)
    ]
    for (side, kind, reporter), figures in part.groupby(
        ["side", "reporter_kind", "reporter"], observed=True, sort=True
    ):
        values = [
            figure_text(r.count, r.count_max, r.qualifier) + ("" if r.period == WAR_PERIOD else f" ({r.period})")
            for r in figures.itertuples()
        ]
        rows.append(
            {
                "topic": "human losses",
                "figure": f"{SIDE_NAMES[side]} {group} {measure} ({kind} figure)",
                "value": " / ".join(dict.fromkeys(values)),
                "stated by": reporter,
                "evidence": grades_text(figures["evidence"]),
                "source_id": _join(figures["source_id"]),
                "locator": _join(figures["locator"]),
            }
        )
    return rows


def key_figures(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Headline figures: official and opposing-side death figures, documented tank losses, Iran cases, coverage.

    Needs the tables casualties, actors, sources, equipment_losses, detentions, sentences and events.
    Columns: topic, figure, value (text, as the source qualifies it), stated by, evidence (the grades of the
    rows behind it, see analysis.evidence), source_id, locator.
    """
    casualties = casualty_table(tables["casualties"], tables["actors"], tables["sources"])
    actors, sources = tables["actors"], tables["sources"]
    rows = _casualty_rows(casualties, "military", "killed", ("official", "other side"))
    rows += _casualty_rows(casualties, "civilian", "killed", ("official",))

    equipment = tables["equipment_losses"]
    equipment_grades = figure_grades("equipment_losses", equipment, actors, sources)
    parts = documented_parts(equipment, "oryx")
    tanks = parts[parts["category"] == "tanks"]
    for side, items in tanks.groupby("side", observed=True, sort=True):
        count = documented_count(equipment, str(side), "tanks", "oryx")
        rows.append(
            {
                "topic": "equipment losses",
                "figure": f"{SIDE_NAMES[side]} tanks lost, visually confirmed",
                "value": f"{count:,}",
                "stated by": "Oryx (as reported in the source)",
                "evidence": grades_text(equipment_grades.reindex(items.index)),
                "source_id": _join(items["source_id"]),
                "locator": _join(items["locator"]),
            }
        )

    detentions = tables["detentions"]
    iran = detentions[(detentions["country"] == "IR") & detentions["actor_id"].notna()]
    widest = DETAINED_SETS["iran-all-years"]  # the same definition the rallies and networks chapters set theirs against
    people = people_detained(detentions, actors, tables["events"], country=widest.country, children=widest.children)
    rows.append(
        {
            "topic": "Iran",
            "figure": f"{widest.words} (adults by name)",
            "value": f"{len(people):,}",
            "stated by": "count of people in the data",
            "evidence": grades_text(figure_grades("detentions", detentions, actors, sources).reindex(iran.index)),
            "source_id": _join(iran["source_id"]),
            "locator": f"{len(iran)} detention rows",
        }
    )
    sentences = tables["sentences"]
    sentenced = sentences[sentences["outcome"].isin(["sentenced", "upheld"]) & sentences["actor_id"].notna()]
    rows.append(
        {
            "topic": "Iran",
            "figure": "people named with a sentence",
            "value": f"{sentenced['actor_id'].nunique():,}",
            "stated by": "count of named people in the data",
            "evidence": grades_text(figure_grades("sentences", sentences, actors, sources).reindex(sentenced.index)),
            "source_id": _join(sentenced["source_id"]),
            "locator": f"{len(sentenced)} sentence rows",
        }
    )

    events = first_versions(tables["events"])
    event_counts = event_grades(tables["events"], sources).reindex(events.index).value_counts()
    rows.append(
        {
            "topic": "coverage",
            "figure": "distinct events recorded (first versions)",
            "value": f"{len(events):,}",
            "stated by": "count of rows in the data",
            "evidence": "; ".join(f"{g}: {event_counts.get(g, 0)}" for g in GRADES),
            "source_id": _join(events["source_id"].astype(object).sort_values()),
            "locator": f"{len(tables['events'])} event rows",
        }
    )
    return pd.DataFrame(rows)
