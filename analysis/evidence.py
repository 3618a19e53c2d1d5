"""Evidence grades: how well the data supports each figure and event, judged from the data itself.

The rule, in the order it is applied (the first that holds gives the grade):

``party claim``
    A belligerent or a party states it about itself or its opponent: the figure's reporter or
    claimant (``reported_by``, ``claimant``) belongs to a belligerent camp (Azerbaijan; Armenia with
    the self-declared Republic of Artsakh; see :func:`analysis.casualties.actor_camps`), or the row
    names no reporter and every document that tells it is written from a belligerent government's
    point of view (:data:`PARTY_PERSPECTIVES`). Repetition by other documents does not change this:
    two documents that report the same side's claim corroborate that it was claimed, not the figure.
``corroborated``
    Two or more of the five documents agree: an event told by two or more documents (its first
    version and its ``variant_of`` rows), or the same figure (the columns in :data:`MATCH` equal)
    stated in rows from two or more documents.
``single source``
    Everything else: one document, not a party, states it.

Grades say how many independent documents stand behind a row, not whether it is true.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

GRADES: Final[tuple[str, ...]] = ("party claim", "single source", "corroborated")
#: Source perspectives that are a belligerent government's own point of view.
PARTY_PERSPECTIVES: Final[frozenset[str]] = frozenset({"azerbaijani-government", "armenian-government"})
#: Per table: the column naming who states the figure, and the columns that make two rows the same figure.
REPORTER: Final[dict[str, str | None]] = {
    "casualties": "reported_by",
    "loss_claims": "claimant",
    "damage": "reported_by",
    "equipment_losses": None,
    "detentions": None,
    "sentences": None,
    "sentence_totals": None,
    "relations": None,
}
MATCH: Final[dict[str, tuple[str, ...]]] = {
    "casualties": ("side", "group", "measure", "count", "count_max", "qualifier", "reported_by"),
    "loss_claims": ("claimant", "about_side", "category", "count", "count_max", "qualifier"),
    "damage": ("reported_by", "side", "item", "status", "count", "value_amount"),
    "equipment_losses": ("documenter", "side", "category", "status", "count"),
    "detentions": ("actor_id", "date", "place_id", "count"),
    "sentences": ("actor_id", "outcome", "prison_months", "prison_days", "lashes"),
    "sentence_totals": ("event_id", "outcome", "persons"),
    "relations": ("source_actor_id", "target_actor_id", "relation"),
}


def _graded(party: pd.Series, corroborated: pd.Series) -> pd.Series:
    grade = pd.Series("single source", index=party.index, dtype=object)
    grade[corroborated.fillna(False).astype(bool)] = "corroborated"
    grade[party.fillna(False).astype(bool)] = "party claim"
    return pd.Series(pd.Categorical(grade, categories=GRADES), index=party.index, name="evidence")


def _party_documents(sources: pd.DataFrame) -> set[str]:
    perspective = sources["perspective"].astype(str)
    return set(sources.loc[perspective.isin(PARTY_PERSPECTIVES), "source_id"].astype(str))


def figure_grades(
    table: str,
    frame: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    relations: pd.DataFrame | None = None,
) -> pd.Series:
    """Evidence grade of every row of a figures table (casualties, loss_claims, damage, equipment_losses, ...).

    Without ``sources`` no document counts as a party's own (only reporters and claimants do); ``actors`` is
    needed for the tables whose rows name a reporter or claimant (REPORTER).
    """
    from .casualties import BELLIGERENT_CAMPS, actor_camps  # casualties shows these grades: imported when used

    if table not in MATCH:
        raise KeyError(f"no evidence rule for table {table!r}; known: {', '.join(MATCH)}")
    source = frame["source_id"].astype(str)
    party_doc = source.isin(_party_documents(sources)) if sources is not None else pd.Series(False, index=frame.index)
    reporter_column = REPORTER[table]
    if reporter_column is not None:
        if actors is None:
            raise ValueError(f"grading {table} needs the actors table: its rows name who states each figure")
        camps = actor_camps(actors, relations)
        reporter = frame[reporter_column].astype(object)
        in_camp = reporter.map(lambda r: pd.notna(r) and camps.get(str(r)) in set(BELLIGERENT_CAMPS.values()))
        party = in_camp | (reporter.isna() & party_doc)
    else:
        party = party_doc
    key = frame[list(MATCH[table])].astype(object).where(frame[list(MATCH[table])].notna(), "")
    key = key.astype(str).agg("\x1f".join, axis=1)
    documents = source.groupby(key).transform("nunique")
    return _graded(party, documents >= 2)


def event_grades(events: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """Evidence grade of every event: corroborated if two or more documents tell it, party claim if only party documents
    do."""
    first = events["variant_of"].astype(object).where(events["variant_of"].notna(), events["event_id"]).astype(str)
    source = events["source_id"].astype(str)
    documents = source.groupby(first).transform("nunique")
    party_docs = _party_documents(sources)
    only_party = source.isin(party_docs).groupby(first).transform("all")
    return _graded(only_party & (documents < 2), documents >= 2)


def grades_text(grades: pd.Series) -> str:
    """The grades among some rows, in the order of GRADES, joined for a table cell ('' for no rows)."""
    present = set(grades.dropna().astype(str))
    return "; ".join(g for g in GRADES if g in present)
