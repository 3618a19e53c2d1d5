"""One definition per count (analysis.counts): the people-detained sets on fixtures and on the real data, and the
chapters that give them computing them the same way."""

from __future__ import annotations

import pandas as pd

from analysis import counts, network, rallies
from analysis.summary import key_figures

T = pd.Timestamp


def _detentions(rows: list[dict[str, object]]) -> pd.DataFrame:
    base: dict[str, object] = {"count": 1, "date": pd.NaT, "date_precision": pd.NA, "event_id": pd.NA}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.astype({"actor_id": "string", "country": "string", "event_id": "string"})


DETENTIONS = _detentions(
    [
        {"actor_id": "ali", "country": "IR", "date": "2020-10-05", "date_precision": "day"},
        {"actor_id": "ali", "country": "IR", "date": "2020-10-20", "date_precision": "day"},  # same person twice
        {"actor_id": "sara", "country": "IR", "date": "2019-03-01", "date_precision": "month"},  # another year
        {"actor_id": "child", "country": "IR", "date": "2020-01-01", "date_precision": "year"},  # a child, year only
        {"actor_id": "vali", "country": "IR", "event_id": "rally"},  # dated by its event
        {"actor_id": "oleg", "country": "RU"},  # outside Iran, undated
        {"actor_id": pd.NA, "country": "IR", "count": 40, "date": "2020-10-05", "date_precision": "day"},  # a group
    ]
)
ACTORS = pd.DataFrame(
    {"actor_id": ["ali", "sara", "child", "vali", "oleg"], "is_minor": [False, False, True, pd.NA, False]}
)
EVENTS = pd.DataFrame(
    {"event_id": ["rally"], "date": [T("2021-05-01")], "date_precision": pd.Series(["day"], dtype="category")}
)


def test_a_person_counts_once_and_a_group_count_is_no_person() -> None:
    people = counts.people_detained(DETENTIONS, ACTORS, EVENTS)
    assert people == {"ali", "sara", "child", "vali"}


def test_windows_take_the_events_date_and_a_year_only_date_by_its_year() -> None:
    in_2020 = counts.people_detained(DETENTIONS, ACTORS, EVENTS, start="2020-01-01", end="2020-12-31")
    assert in_2020 == {"ali", "child"}  # vali's event is in 2021, sara's row in 2019


def test_adults_anywhere_leave_out_children_and_take_in_other_countries() -> None:
    adults = counts.people_detained(DETENTIONS, ACTORS, EVENTS, country=None, children=False)
    assert adults == {"ali", "sara", "vali", "oleg"}


def test_the_figures_follow_the_three_definitions() -> None:
    figures = counts.detained_figures(DETENTIONS, ACTORS, EVENTS)
    assert figures == {"detained-iran-all-years": 4, "detained-iran-2020": 2, "detained-adults-anywhere": 4}
    table = counts.detained_sets_table(DETENTIONS, ACTORS, EVENTS)
    assert list(table["people"]) == [4, 2, 4] and table["count"].is_unique


def test_real_counts_are_the_ones_the_chapters_print(real: dict[str, pd.DataFrame]) -> None:
    """The introduction's 81, the rallies chapter's 78 and the networks chapter's 80 are three sets, each computed by
    its chapter's own builder and by the one definition here."""
    d, a, e = real["detentions"], real["actors"], real["events"]
    figures = counts.detained_figures(d, a, e)
    assert figures == {"detained-iran-all-years": 81, "detained-iran-2020": 78, "detained-adults-anywhere": 80}
    intro = key_figures(real).set_index("topic").loc["Iran"]
    assert str(figures["detained-iran-all-years"]) in set(intro["value"])
    held = rallies.iran_detentions(d, real["places"], e, start="2020-01-01", end="2020-12-31")
    assert int(rallies.people_counts(held)["named"]) == figures["detained-iran-2020"]
    graph = network.detention_graph(d, e, a)
    people = sum(1 for _, kind in graph.nodes(data="bipartite") if kind == "person")
    assert people == figures["detained-adults-anywhere"]
