"""analysis.evidence: party claim, single source, corroborated, on hand-made rows and on the real data."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.evidence import GRADES, event_grades, figure_grades

ACTORS = pd.DataFrame(
    {
        "actor_id": ["azerbaijan", "armenia", "defence-ministry-az", "un", "oryx"],
        "name": ["Azerbaijan", "Armenia", "Ministry of Defence", "United Nations", "Oryx"],
        "kind": ["state", "state", "government-body", "organisation", "media"],
        "country": ["AZ", "AM", "AZ", pd.NA, pd.NA],
    }
)
SOURCES = pd.DataFrame(
    {"source_id": ["wiki", "news", "gov"], "perspective": ["encyclopedic", "journalistic", "azerbaijani-government"]}
)


def _casualties(rows: list[tuple]) -> pd.DataFrame:
    cols = ["side", "group", "measure", "count", "count_max", "qualifier", "reported_by", "source_id"]
    return pd.DataFrame(rows, columns=cols).astype({"count": "Int64", "count_max": "Int64"})


def test_a_belligerents_figure_is_a_party_claim_even_when_two_documents_repeat_it() -> None:
    frame = _casualties(
        [
            ("armenia", "military", "killed", 3825, None, "exact", "defence-ministry-az", "wiki"),
            ("armenia", "military", "killed", 3825, None, "exact", "defence-ministry-az", "news"),
            ("azerbaijan", "civilian", "killed", 100, None, "exact", "un", "wiki"),
            ("azerbaijan", "civilian", "killed", 100, None, "exact", "un", "news"),
            ("azerbaijan", "civilian", "killed", 90, None, "exact", "un", "news"),
            ("armenia", "civilian", "killed", 50, None, "about", pd.NA, "gov"),
            ("armenia", "civilian", "killed", 50, None, "about", pd.NA, "wiki"),
        ]
    )
    grades = list(figure_grades("casualties", frame, ACTORS, SOURCES))
    assert grades == [
        "party claim",
        "party claim",
        "corroborated",
        "corroborated",
        "single source",
        "party claim",
        "corroborated",
    ]


def test_an_unmatched_figure_from_one_non_party_document_is_single_source() -> None:
    frame = pd.DataFrame(
        {
            "documenter": ["oryx", "oryx"],
            "side": ["armenia", "armenia"],
            "category": ["tanks", "tanks"],
            "status": ["destroyed", "captured"],
            "count": pd.array([146, 40], dtype="Int64"),
            "source_id": ["wiki", "wiki"],
        }
    )
    assert set(figure_grades("equipment_losses", frame, ACTORS, SOURCES)) == {"single source"}
    with pytest.raises(KeyError, match="no evidence rule"):
        figure_grades("places", frame, ACTORS, SOURCES)


def test_events_told_by_two_documents_are_corroborated_and_by_a_party_document_alone_a_party_claim() -> None:
    events = pd.DataFrame(
        {
            "event_id": ["e1", "e1-gov", "e2", "e3"],
            "variant_of": [pd.NA, "e1", pd.NA, pd.NA],
            "source_id": ["wiki", "gov", "gov", "news"],
        }
    )
    assert list(event_grades(events, SOURCES)) == ["corroborated", "corroborated", "party claim", "single source"]


def test_every_row_of_the_real_data_gets_one_of_the_three_grades(real: dict) -> None:
    for table in ("casualties", "loss_claims", "damage", "equipment_losses", "detentions", "sentences"):
        grades = figure_grades(table, real[table], real["actors"], real["sources"], real["relations"])
        assert grades.notna().all() and set(grades) <= set(GRADES) and grades.index.equals(real[table].index)
    assert set(
        figure_grades("loss_claims", real["loss_claims"], real["actors"], real["sources"], real["relations"])
    ) == {"party claim"}  # every claim is a belligerent's
    events = event_grades(real["events"], real["sources"])
    assert (events == "corroborated").sum() >= real["events"]["variant_of"].notna().sum()


def test_the_books_tables_carry_the_grades(real: dict) -> None:
    from analysis import casualties, losses, sentencing
    from analysis.summary import key_figures

    figures = key_figures(real)
    assert figures["evidence"].str.len().gt(0).all()
    assert set(figures.loc[figures["topic"] == "human losses", "evidence"]) == {"party claim"}  # belligerents' own
    table = casualties.casualty_table(real["casualties"], real["actors"], real["sources"], real["relations"])
    assert (
        set(table["evidence"].astype(str)) <= set(GRADES)
        and "evidence" in casualties.shown(casualties.labelled(table)).columns
    )
    claims = losses.claims_compared(real["loss_claims"], real["equipment_losses"], real["actors"])
    assert set(claims["evidence"]) == {"party claim"}
    sentenced = sentencing.sentence_table(
        real["sentences"], real["actors"], detentions=real["detentions"], places=real["places"]
    )
    outcomes = sentencing.person_outcomes(sentenced, real["sentences"], real["sources"])
    assert set(outcomes["evidence"].dropna()) <= set(GRADES) and outcomes["evidence"].notna().all()


def test_a_reporter_table_needs_the_actors() -> None:
    frame = _casualties([("armenia", "military", "killed", 1, None, "exact", "un", "wiki")])
    with pytest.raises(ValueError, match="needs the actors table"):
        figure_grades("casualties", frame)
