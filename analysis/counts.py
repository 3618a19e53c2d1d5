"""Counts that more than one chapter gives: one definition each, so a second count is a different set, never a slip.

People detained
    A person counts once however many detention rows they have: a detention row with an
    ``actor_id`` (a group count without names is not a person). "Detained" includes people only
    summoned to a police station or prosecutor's office, as the chapters' tables do. Three sets
    appear in the book (:data:`DETAINED_SETS`): everyone held or summoned in Iran in any year the
    documents cover, children included without names (the introduction); the same for 2020 alone
    (the rallies chapter); and the adults held anywhere, in any year (the networks chapter, which
    leaves the children out of every drawing). A row without a date of its own takes its event's
    date; a row dated only to the year counts in that year; a row with no date at all counts in
    every window (:func:`analysis.rallies.iran_detentions` selects the same way).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pandas as pd

from .rallies import _in_window


@dataclass(frozen=True)
class DetainedSet:
    """Which named detainees a count takes in: a country (None: anywhere), a date window, and whether children count."""

    country: str | None
    start: str | None
    end: str | None
    children: bool
    words: str


#: The sets of people detained that the chapters count, by the name their figures are glued under.
DETAINED_SETS: Final[dict[str, DetainedSet]] = {
    "iran-all-years": DetainedSet(
        "IR", None, None, True, "people detained or summoned in Iran in any year, children included without names"
    ),
    "iran-2020": DetainedSet(
        "IR", "2020-01-01", "2020-12-31", True, "people detained or summoned in Iran in 2020, children included"
    ),
    "adults-anywhere": DetainedSet(None, None, None, False, "adults detained anywhere, in any year"),
}


def people_detained(
    detentions: pd.DataFrame,
    actors: pd.DataFrame,
    events: pd.DataFrame | None = None,
    *,
    country: str | None = "IR",
    start: str | None = None,
    end: str | None = None,
    children: bool = True,
) -> frozenset[str]:
    """The actor_ids of the people named in detention rows of one country (None: any), date window and age rule."""
    rows = detentions[detentions["actor_id"].notna()]
    if country is not None:
        rows = rows[rows["country"].astype(object).eq(country)]
    if not children:
        minor = actors["is_minor"].astype("boolean").fillna(False).astype(bool)
        rows = rows[~rows["actor_id"].astype(str).isin(set(actors.loc[minor, "actor_id"].astype(str)))]
    if start is not None or end is not None:
        date, precision = rows["date"], rows["date_precision"].astype(object)
        if events is not None:
            by_id = events.set_index(events["event_id"].astype(str))
            event = rows["event_id"].astype(object)
            borrow = date.isna() & event.isin(by_id.index)
            date = date.where(~borrow, event.map(by_id["date"]))
            precision = precision.where(~borrow, event.map(by_id["date_precision"].astype(object)))
        rows = rows[_in_window(pd.to_datetime(date), precision, start, end)]
    return frozenset(rows["actor_id"].astype(str))


def detained_figures(
    detentions: pd.DataFrame, actors: pd.DataFrame, events: pd.DataFrame | None = None
) -> dict[str, int]:
    """How many people each of the book's detained sets holds (DETAINED_SETS), as 'detained-<set name>'."""
    return {
        f"detained-{name}": len(
            people_detained(
                detentions, actors, events, country=s.country, start=s.start, end=s.end, children=s.children
            )
        )
        for name, s in DETAINED_SETS.items()
    }


def detained_sets_table(
    detentions: pd.DataFrame, actors: pd.DataFrame, events: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per count of people detained that the book gives: what it takes in and how many people it holds."""
    figures = detained_figures(detentions, actors, events)
    return pd.DataFrame(
        {
            "count": [s.words for s in DETAINED_SETS.values()],
            "people": [figures[f"detained-{name}"] for name in DETAINED_SETS],
        }
    ).astype({"people": "Int64"})
