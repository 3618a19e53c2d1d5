"""Human losses of the 2020 fighting: who reported each figure, and how figures compare without being added up.

Every function takes the typed tables of :func:`analysis.data.load_all` (or frames with the same
columns) and returns new frames. There is no I/O, nothing is printed and no state is kept.

Conventions
-----------
Camps
    The war had two belligerent camps: Azerbaijan, and Armenia with the self-declared Republic
    of Artsakh (one camp: the sources often do not split them). An actor belongs to a camp if it
    is one of these states; if its key or name says Artsakh (Artsakh bodies carry country code AZ,
    by international recognition); if, when ``relations`` are given, it is a member, leader or
    part of a camp's actor; otherwise by its country (AM or AZ). Every other actor's "camp" is its
    country code. That code is used for the non-belligerent sides (russia RU, iran IR, syria SY).
Reporter kinds (:data:`REPORTER_KINDS`)
    ``official``: the side's own state, government body or armed force. With ``relations``, a
    person who leads a state of the side's own camp (head of state or government) also counts.
    ``own side``: someone else from the side's own camp, such as a former official or a private
    person. ``other side``: the opposing belligerent camp (Armenia/Artsakh against Azerbaijan).
    ``third party``: anyone else. ``unattributed``: ``reported_by`` is empty, so the document
    states the figure itself. For side ``both``, either belligerent camp counts as the side's own.
Figures are never summed
    Figures come from different reporters, for different dates and periods, so they are compared
    and never added. :func:`by_side_measure` shows the largest figure per reporter kind (or the
    latest dated one), and keeps claims, official figures and third-party figures in separate
    columns. For a range, ``count`` is the low end and ``count_max`` the high end, as in the data.
"""

from __future__ import annotations

import re
from typing import Final, Literal

import pandas as pd

REPORTER_KINDS: Final[tuple[str, ...]] = ("official", "own side", "other side", "third party", "unattributed")
BELLIGERENT_CAMPS: Final[dict[str, str]] = {"azerbaijan": "azerbaijan", "armenia": "armenia-artsakh",
                                            "artsakh": "armenia-artsakh"}
OPPOSING_CAMP: Final[dict[str, str]] = {"azerbaijan": "armenia-artsakh", "armenia-artsakh": "azerbaijan"}
CAMP_OF_COUNTRY: Final[dict[str, str]] = {"AZ": "azerbaijan", "AM": "armenia-artsakh"}
SIDE_COUNTRY: Final[dict[str, str]] = {"russia": "RU", "iran": "IR", "syria": "SY"}
OFFICIAL_KINDS: Final[frozenset[str]] = frozenset({"state", "government-body", "armed-force"})
MEMBERSHIP: Final[frozenset[str]] = frozenset({"member-of", "leader-of", "part-of"})
COLUMNS: Final[tuple[str, ...]] = (
    "casualty_id", "side", "group", "measure", "count", "count_max", "qualifier", "reported_by", "reporter",
    "reporter_kind", "as_of", "period", "note", "source_id", "locator", "perspective")


def actor_camps(actors: pd.DataFrame, relations: pd.DataFrame | None = None) -> pd.Series:
    """Camp per actor_id: 'azerbaijan', 'armenia-artsakh', else the actor's country code (NA if none)."""
    ids = actors["actor_id"].astype(str)
    camps: dict[str, str] = {a: BELLIGERENT_CAMPS[a] for a in ids if a in BELLIGERENT_CAMPS}
    names = actors["name"].astype(str)
    for actor_id, name in zip(ids, names):
        if actor_id not in camps and re.search("artsakh", f"{actor_id} {name}", flags=re.IGNORECASE):
            camps[actor_id] = "armenia-artsakh"
    if relations is not None:
        ties = relations[relations["relation"].astype(str).isin(MEMBERSHIP)]
        pairs = list(zip(ties["source_actor_id"].astype(str), ties["target_actor_id"].astype(str)))
        changed = True
        while changed:  # members of members: repeat until nothing new is learnt
            changed = False
            for source, target in pairs:
                if source not in camps and target in camps:
                    camps[source] = camps[target]
                    changed = True
    countries = actors["country"].astype(object)
    out = {a: camps.get(a, CAMP_OF_COUNTRY.get(c, c) if isinstance(c, str) else pd.NA) for a, c in zip(ids, countries)}
    return pd.Series(out, dtype="string", name="camp")


def _official_reporters(actors: pd.DataFrame, relations: pd.DataFrame | None) -> set[str]:
    """State, government-body and armed-force actors; with relations, also leaders of a state."""
    official = set(actors.loc[actors["kind"].astype(str).isin(OFFICIAL_KINDS), "actor_id"].astype(str))
    if relations is not None:
        states = set(actors.loc[actors["kind"].astype(str).eq("state"), "actor_id"].astype(str))
        leads = relations[relations["relation"].astype(str).eq("leader-of")
                          & relations["target_actor_id"].astype(str).isin(states)]
        official |= set(leads["source_actor_id"].astype(str))
    return official


def _side_camps(side: str) -> set[str]:
    if side == "both":
        return set(OPPOSING_CAMP)
    camp = BELLIGERENT_CAMPS.get(side) or SIDE_COUNTRY.get(side)
    return {camp} if camp else set()


def reporter_kind(side: str, reporter: object, reporter_camp: object, official: bool) -> str:
    """Kind of one reporter for one side's figure: official, own side, other side, third party or unattributed."""
    if reporter is None or pd.isna(reporter):  # type: ignore[arg-type]
        return "unattributed"
    own = _side_camps(side)
    camp = None if pd.isna(reporter_camp) else str(reporter_camp)  # type: ignore[arg-type]
    if camp in own:
        return "official" if official else "own side"
    if side in BELLIGERENT_CAMPS and camp == OPPOSING_CAMP[BELLIGERENT_CAMPS[side]]:
        return "other side"
    return "third party"


def casualty_table(casualties: pd.DataFrame, actors: pd.DataFrame, sources: pd.DataFrame,
                   relations: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every figure with its reporter's name and kind (official, own side, other side, third party, unattributed) and the source's perspective."""
    camps = actor_camps(actors, relations)
    official = _official_reporters(actors, relations)
    names = actors.set_index(actors["actor_id"].astype(str))["name"].astype("string")
    perspective = sources.set_index(sources["source_id"].astype(str))["perspective"]
    reported = casualties["reported_by"].astype(object).where(casualties["reported_by"].notna(), None)
    kinds = [reporter_kind(str(side), r, camps.get(r, pd.NA) if r is not None else pd.NA, r in official)
             for side, r in zip(casualties["side"].astype(str), reported)]
    table = casualties.copy()
    table["reporter"] = reported.map(names).astype("string")
    table["reporter_kind"] = pd.Categorical(kinds, categories=REPORTER_KINDS)
    table["perspective"] = casualties["source_id"].astype(str).map(perspective.astype(object)).astype("string")
    return table[[c for c in COLUMNS if c in table.columns]]


def by_side_measure(table: pd.DataFrame, pick: Literal["max", "latest"] = "max", groups: bool = True) -> pd.DataFrame:
    """Side × (group ×) measure rows, one column per reporter kind: the largest (or latest dated) figure, never a sum."""
    keys = ["side", "group", "measure"] if groups else ["side", "measure"]
    frame = table.copy()
    for k in keys + ["reporter_kind"]:
        frame[k] = frame[k].astype(object)
    frame["count"] = frame["count"].astype("Int64")
    if pick == "latest":
        # Latest dated figure; undated figures only where a cell has no dated one (then the largest).
        frame = frame.assign(_dated=frame["as_of"].notna()).sort_values(
            ["_dated", "as_of", "count"], na_position="first")
        chosen = frame.groupby(keys + ["reporter_kind"], sort=False).tail(1)
    elif pick == "max":
        chosen = frame.sort_values("count").groupby(keys + ["reporter_kind"], sort=False).tail(1)
    else:
        raise ValueError(f"pick must be 'max' or 'latest', not {pick!r}")
    wide = chosen.pivot(index=keys, columns="reporter_kind", values="count")
    wide = wide.reindex(columns=list(REPORTER_KINDS)).astype("Int64").sort_index()
    wide.columns.name = "reporter_kind"
    return wide


def _check_value(table: pd.DataFrame, column: str, value: str) -> None:
    dtype = table[column].dtype
    if isinstance(dtype, pd.CategoricalDtype) and value not in dtype.categories:
        raise ValueError(f"{column} {value!r} is not one of: {', '.join(map(str, dtype.categories))}")


def figures_over_time(table: pd.DataFrame, side: str, measure: str) -> pd.DataFrame:
    """Dated figures for one side and measure, oldest first (undated figures are left out)."""
    _check_value(table, "side", side)
    _check_value(table, "measure", measure)
    rows = table[table["side"].astype(object).eq(side) & table["measure"].astype(object).eq(measure)
                 & table["as_of"].notna()]
    return rows.sort_values(["as_of", "count"], kind="stable")


def displacement(table: pd.DataFrame) -> pd.DataFrame:
    """Figures of people displaced (and of people who returned), by side then date."""
    rows = table[table["measure"].astype(object).isin({"displaced", "returned"})]
    return rows.sort_values(["side", "as_of"], kind="stable", na_position="first")


def exchanges(table: pd.DataFrame) -> pd.DataFrame:
    """Figures of prisoners exchanged, by date then side."""
    rows = table[table["measure"].astype(object).eq("exchanged")]
    return rows.sort_values(["as_of", "side"], kind="stable", na_position="first")
