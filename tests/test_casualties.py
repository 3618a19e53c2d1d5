"""Casualty figures: who reported them (reporter kinds), pivots that never add figures up, time series, helpers.

The real-data answers can be checked in the Wikipedia article on the war (wp-karabakh-war-2020):
Azerbaijan's official military death toll of 2,906 and Armenia's official 3,825 (Casualties ¶1);
the Azerbaijani claim of more than 5,000 Armenian soldiers dead and SOHR's 541 Syrian fighters
(Military ¶1); the exchange of 44 and 12 prisoners on 15 December 2020 (Ceasefire agreement ¶1).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from analysis import casualties as cs
from analysis import charts, load_all
from analysis.discrepancies import casualty_figures, discrepancy_register


@pytest.fixture(scope="module")
def table(real: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return cs.casualty_table(real["casualties"], real["actors"], real["sources"])


def by_id(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("casualty_id")


# --------------------------------------------------------------------------- hand-made frames

ACTORS = pd.DataFrame(
    [
        ("azerbaijan", "Azerbaijan", "state", "AZ"),
        ("armenia", "Armenia", "state", "AM"),
        ("artsakh", "Republic of Artsakh", "state", "AZ"),
        ("az-mod", "Defence Ministry (AZ)", "government-body", "AZ"),
        ("nk-army", "Artsakh Defence Army", "armed-force", "AZ"),
        ("nk-office", "Karabakh press office", "government-body", "AZ"),  # Artsakh only by its ties
        ("nk-spokesman", "A Spokesman", "person", "AZ"),
        ("am-expert", "An Armenian Analyst", "person", "AM"),
        ("az-leader", "An Azerbaijani President", "person", "AZ"),
        ("ru-mfa", "Russian Foreign Ministry", "government-body", "RU"),
        ("ru-blogger", "A Russian Blogger", "person", "RU"),
        ("monitor", "A Monitor", "organisation", "GB"),
        ("un", "United Nations", "organisation", pd.NA),
    ],
    columns=["actor_id", "name", "kind", "country"],
)

RELATIONS = pd.DataFrame(
    [
        ("nk-office", "nk-army", "part-of"),
        ("nk-army", "artsakh", "part-of"),
        ("nk-spokesman", "nk-office", "member-of"),
        ("az-leader", "azerbaijan", "leader-of"),
        ("am-expert", "armenia", "blamed"),
    ],
    columns=["source_actor_id", "target_actor_id", "relation"],
)

SOURCES = pd.DataFrame({"source_id": ["enc", "gov"], "perspective": ["encyclopedic", "azerbaijani-government"]})


def casualties_frame(rows: list[tuple[str, str, str, int, object, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["casualty_id", "side", "measure", "count", "reported_by", "as_of"])
    frame["group"] = "military"
    frame["count"] = frame["count"].astype("Int64")
    frame["count_max"] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    frame["qualifier"] = "exact"
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    frame["reported_by"] = frame["reported_by"].astype("string")
    frame["period"] = "war"
    frame["source_id"] = "enc"
    frame["locator"] = "¶1"
    return frame


# --------------------------------------------------------------------------- camps and reporter kinds


def test_actor_camps() -> None:
    plain = cs.actor_camps(ACTORS)
    assert plain["artsakh"] == plain["armenia"] == plain["nk-army"] == "armenia-artsakh"  # 'Artsakh' in the name
    assert plain["nk-office"] == "azerbaijan"  # country AZ, nothing else known without relations
    assert plain["ru-mfa"] == "RU" and pd.isna(plain["un"])
    tied = cs.actor_camps(ACTORS, RELATIONS)
    assert tied["nk-office"] == tied["nk-spokesman"] == "armenia-artsakh"  # members of members
    assert tied["am-expert"] == "armenia-artsakh"  # 'blamed' is no membership: by country


@pytest.mark.parametrize(
    ("side", "reporter", "relations", "kind"),
    [
        ("azerbaijan", "az-mod", False, "official"),
        ("azerbaijan", "azerbaijan", False, "official"),
        ("azerbaijan", "armenia", False, "other side"),
        ("azerbaijan", "nk-army", False, "other side"),
        ("armenia", "azerbaijan", False, "other side"),
        ("artsakh", "armenia", False, "official"),  # one camp
        ("artsakh", "nk-army", False, "official"),
        ("armenia", "am-expert", False, "own side"),
        ("armenia", "nk-office", False, "other side"),  # an AZ-coded body, unless its ties say otherwise
        ("armenia", "nk-office", True, "official"),
        ("armenia", "nk-spokesman", True, "own side"),
        ("azerbaijan", "az-leader", False, "own side"),
        ("azerbaijan", "az-leader", True, "official"),  # a head of state speaks for the state
        ("russia", "ru-mfa", False, "official"),
        ("russia", "ru-blogger", False, "own side"),
        ("russia", "azerbaijan", False, "third party"),
        ("syria", "monitor", False, "third party"),
        ("azerbaijan", "un", False, "third party"),
        ("both", "az-mod", False, "official"),
        ("both", "am-expert", False, "own side"),
        ("both", "monitor", False, "third party"),
        ("other", "azerbaijan", False, "third party"),
        ("azerbaijan", None, False, "unattributed"),
    ],
)
def test_reporter_kinds(side: str, reporter: str | None, relations: bool, kind: str) -> None:
    rows = casualties_frame([("c1", side, "killed", 1, reporter, None)])
    out = cs.casualty_table(rows, ACTORS, SOURCES, RELATIONS if relations else None)
    assert out.loc[0, "reporter_kind"] == kind
    expected_name = ACTORS.set_index("actor_id").loc[reporter, "name"] if reporter else None
    assert (pd.isna(out.loc[0, "reporter"]) and expected_name is None) or out.loc[0, "reporter"] == expected_name


def test_casualty_table_columns_and_perspective(mini: Path) -> None:
    t = load_all(mini)
    out = cs.casualty_table(t["casualties"], t["actors"], t["sources"])
    assert list(out.columns) == list(cs.COLUMNS)
    assert out["reporter_kind"].tolist() == ["official"] * 3
    assert out["perspective"].eq("encyclopedic").all() and out["reporter"].tolist()[:2] == ["Azerbaijan"] * 2
    assert list(out["reporter_kind"].cat.categories) == list(cs.REPORTER_KINDS)


# --------------------------------------------------------------------------- real known answers


def test_real_official_figures(table: pd.DataFrame) -> None:
    t = by_id(table)
    assert t.loc["h002b-k003", ["count", "reporter", "reporter_kind"]].tolist() == [2906, "Azerbaijan", "official"]
    assert t.loc["h002b-k001", ["count", "reporter", "reporter_kind"]].tolist() == [3825, "Armenia", "official"]
    assert t.loc["h002b-k007", "reporter_kind"] == "official"  # the Prosecutor General's Office
    assert t.loc["h002b-k010", "reporter_kind"] == "official"  # Armenia on displaced people of Artsakh
    assert (
        t.loc["h002b-k003", "source_id"] == "wp-karabakh-war-2020" and t.loc["h002b-k003", "locator"] == "Casualties ¶1"
    )


def test_real_claims_and_third_parties(table: pd.DataFrame) -> None:
    t = by_id(table)
    claim = t.loc["h002b-k017"]  # Azerbaijani authorities: more than 5,000 Armenian soldiers dead
    assert (claim["side"], claim["count"], claim["qualifier"], claim["reporter_kind"]) == (
        "armenia",
        5000,
        "more-than",
        "other side",
    )
    assert t.loc["h002b-k029", ["count", "reporter_kind"]].tolist() == [7630, "other side"]
    sohr = t.loc["h002b-k030"]
    assert (sohr["count"], sohr["reporter"], sohr["reporter_kind"]) == (
        541,
        "Syrian Observatory for Human Rights",
        "third party",
    )
    assert t.loc["h002b-k018", "reporter_kind"] == "own side"  # a former Armenian security chief's estimate
    assert t.loc["h002a-c001", "reporter_kind"] == "unattributed" and pd.isna(t.loc["h002a-c001", "reporter"])
    assert t.loc["h004-c001", "perspective"] == "azerbaijani-government"
    assert t.loc["h000-c005", "perspective"] == "journalistic"


def test_real_relations_refine_a_head_of_state(real: dict[str, pd.DataFrame], table: pd.DataFrame) -> None:
    tied = by_id(cs.casualty_table(real["casualties"], real["actors"], real["sources"], real["relations"]))
    assert by_id(table).loc["h002b-k028", "reporter_kind"] == "own side"
    assert tied.loc["h002b-k028", "reporter_kind"] == "official"  # Ilham Aliyev, leader of Azerbaijan
    changed = (tied["reporter_kind"] != by_id(table)["reporter_kind"]).sum()
    assert changed == 1


def test_exchanges(table: pd.DataFrame) -> None:
    swapped = cs.exchanges(table)
    assert swapped[["side", "count"]].astype(str).values.tolist() == [["armenia", "44"], ["azerbaijan", "12"]]
    assert swapped["as_of"].eq(pd.Timestamp("2020-12-15")).all()


@pytest.fixture(scope="module")
def related_table(real: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return cs.casualty_table(real["casualties"], real["actors"], real["sources"], real["relations"])


def figures_frame(rows: list[tuple]) -> pd.DataFrame:
    """A casualty_table()-like frame: (id, side, group, measure, count, count_max, qualifier, reporter, kind, as_of)."""
    frame = pd.DataFrame(
        rows,
        columns=[
            "casualty_id",
            "side",
            "group",
            "measure",
            "count",
            "count_max",
            "qualifier",
            "reporter",
            "reporter_kind",
            "as_of",
        ],
    )
    frame["count"] = frame["count"].astype("Int64")
    frame["count_max"] = frame["count_max"].astype("Int64")
    frame["reported_by"] = frame["reporter"].str.lower()
    frame["reporter"] = frame["reporter"].astype("string")
    frame["reporter_kind"] = pd.Categorical(frame["reporter_kind"], categories=cs.REPORTER_KINDS)
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    frame["period"] = "war"
    frame["note"] = pd.NA
    frame["source_id"] = "enc"
    frame["locator"] = [f"¶{i + 1}" for i in range(len(frame))]
    return frame


FIGS = figures_frame(
    [
        ("a", "azerbaijan", "military", "killed", 2906, None, "exact", "Azerbaijan", "official", None),
        ("b", "azerbaijan", "military", "killed", 2853, None, "exact", "Azerbaijan", "official", None),
        ("c", "azerbaijan", "military", "killed", 7630, None, "exact", "Armenia", "other side", None),
        ("d", "armenia", "military", "killed", 5000, None, "more-than", "Azerbaijan", "other side", "2020-10-28"),
        ("e", "armenia", "civilian", "displaced", 300000, 500000, "range", None, "unattributed", None),
        ("f", "armenia", "military", "exchanged", 44, None, "exact", None, "unattributed", "2020-12-15"),
    ]
)


def test_labelled_names_the_reporter_and_its_kind() -> None:
    out = cs.labelled(FIGS).set_index("casualty_id")
    assert out.at["c", "reported by"] == "Armenia (other side)"
    assert out.at["e", "reported by"] == "no reporter named"
    assert out.at["d", "figure"] == "more than 5,000"


def test_compare_filters_orders_and_makes_labels_unique() -> None:
    out = cs.compare(FIGS, ("killed",), ("military",))
    assert list(out["casualty_id"]) == ["a", "b", "c", "d"]  # Azerbaijan first; official before other side
    assert out["label"].is_unique
    # 2,906 and 2,853 share side, reporter and period: the place in the source tells them apart
    assert out.set_index("casualty_id").at["a", "label"].endswith("¶1")
    assert "military" not in out.set_index("casualty_id").at["c", "label"]  # one group: not repeated
    mixed = cs.compare(FIGS, ("killed", "exchanged"), ("military",), sides=("armenia",))
    assert set(mixed["casualty_id"]) == {"d", "f"} and mixed["label"].str.contains("exchanged").any()
    dated = cs.compare(FIGS, ("displaced",), ("civilian",), with_period=True)
    assert dated["label"].iloc[0].endswith("[war]")


def test_short_labels_fall_back_to_a_number_when_nothing_differs() -> None:
    twins = pd.concat([FIGS.iloc[[0]], FIGS.iloc[[0]]], ignore_index=True)
    labels = cs.short_labels(cs.labelled(twins))
    assert labels.is_unique and labels.str.contains("#2").any()


def test_headline_takes_the_largest_figure_of_one_kind_never_a_sum() -> None:
    assert cs.headline(FIGS, "azerbaijan", "military", "killed", "official") == "2,906"  # not 5,759
    assert cs.headline(FIGS, "azerbaijan", "military", "killed", "third party") == ""


def test_distinct_figures_keeps_a_repeated_figure_once_with_both_places() -> None:
    twice = figures_frame(
        [
            ("a", "armenia", "military", "killed", 3825, None, "exact", "Armenia", "official", None),
            ("b", "armenia", "military", "killed", 3825, None, "exact", "Armenia", "official", None),
            ("c", "armenia", "military", "killed", 3800, None, "exact", "Armenia", "official", None),
        ]
    )
    distinct = cs.distinct_figures(twice)
    assert list(distinct["casualty_id"]) == ["a", "c"]
    assert list(distinct["locator"]) == ["¶1; ¶2", "¶3"]


def test_the_real_data_holds_each_figure_once(related_table: pd.DataFrame) -> None:
    assert len(cs.distinct_figures(related_table)) == len(
        related_table
    )  # one fact, one row: repeats are one row with both places
    armenia = related_table[
        (related_table["side"] == "armenia")
        & (related_table["group"] == "military")
        & (related_table["measure"] == "killed")
        & (related_table["reporter_kind"] == "official")
    ]
    assert len(armenia) == 1 and armenia["locator"].iloc[0] == "Casualties ¶1; Military ¶1"


def test_reporter_matrix_shows_words_and_how_many_figures_a_cell_holds(related_table: pd.DataFrame) -> None:
    matrix = cs.reporter_matrix(related_table).set_index(["side", "group", "measure"])
    assert matrix.at[("Azerbaijan", "military", "killed"), "official"] == "2,906 (largest of 4)"
    assert matrix.at[("Azerbaijan", "military", "killed"), "other side"] == "7,630"
    assert matrix.at[("Armenia", "military", "killed"), "other side"] == "more than 5,000"
    assert pd.isna(matrix.at[("Armenia", "military", "killed"), "third party"])


def test_reporters_per_side_counts_figures_not_people(related_table: pd.DataFrame) -> None:
    per = cs.reporters_per_side(related_table).set_index("side")
    assert per["all figures"].sum() == len(cs.distinct_figures(related_table))
    assert per.at["Syria", "third party"] == 2
    kinds = cs.reporter_kind_counts(related_table)
    assert list(kinds.index) == list(cs.REPORTER_KINDS) and kinds.sum() == per["all figures"].sum()


def test_dated_figures_are_sorted_and_undated_ones_left_out(related_table: pd.DataFrame) -> None:
    dated = cs.dated(related_table)
    assert dated["as_of"].notna().all() and dated["as_of"].is_monotonic_increasing
    assert len(dated) == cs.distinct_figures(related_table)["as_of"].notna().sum()


def test_register_figures_show_the_mod_and_displacement_disputes(real, related_table: pd.DataFrame) -> None:
    disputes = cs.register_figures(discrepancy_register(casualty_figures(real)), related_table)
    assert cs.dispute_figures(disputes, "azerbaijan", "military", "killed") == ["2,906", "2,853"]
    assert cs.dispute_figures(disputes, "azerbaijan", "military", "missing") == ["6", "50"]
    assert cs.dispute_figures(disputes, "azerbaijan", "civilian", "displaced") == ["about 725,000", "more than 600,000"]
    assert disputes["dispute"].nunique() == 3
    with pytest.raises(KeyError, match="no disputed figure"):
        cs.dispute_figures(disputes, "armenia", "military", "killed")


def test_figure_range(related_table: pd.DataFrame) -> None:
    deserted = cs.compare(related_table, ("deserted",), ("military",))
    assert cs.figure_range(deserted) == ("1,500", "more than 10,000")
    with pytest.raises(ValueError):
        cs.figure_range(deserted.iloc[0:0])


def test_exchange_events_find_prisoners_and_bodies_not_state_bodies(real) -> None:
    events = cs.exchange_events(real["events"])
    titles = " | ".join(events["title"])
    assert "Prisoner-of-war exchange" in titles and "bodies" in titles
    assert "Student Movement" not in titles and "martial law" not in titles
    assert events["date"].is_monotonic_increasing


def test_shown_keeps_the_reader_columns(related_table: pd.DataFrame) -> None:
    out = cs.shown(cs.compare(related_table, ("exchanged",), ("military",)))
    assert list(out.columns) == list(cs.SHOWN)
    assert set(out["as of"]) == {"2020-12-15"} and set(out["figure"]) == {"44", "12"}


def test_figure_bars_one_bar_per_figure_coloured_by_reporter_kind() -> None:
    frame = cs.compare(FIGS, ("killed",), ("military",))
    fig = cs.figure_bars(frame, "A finding", "Source: x")
    assert isinstance(fig, go.Figure)
    bars = [t for t in fig.data if isinstance(t, go.Bar)]
    assert sum(len(t.y) for t in bars) == len(frame)
    frame = cs.compare(FIGS, ("displaced",), ("civilian",))
    fig = cs.figure_bars(frame, "A finding", "Source: x")
    labels = next(t for t in fig.data if isinstance(t, go.Scatter))
    assert list(labels.text) == ["300,000–500,000"] and list(labels.x) == [500000]  # past the range's high end
    for trace in bars:
        assert trace.marker.color == charts.REPORTER_COLOURS[trace.name]
        assert "customdata[2]" in trace.hovertemplate  # source id in the hover text
    ranged = next(t for t in fig.data if t.name == "unattributed")
    assert ranged.error_x.visible and 200000 in ranged.error_x.array
    assert fig.layout.xaxis.title.text == "People (as reported)"
    assert fig.layout.meta["source"] == "Source: x"


def test_figure_bars_refuse_to_put_two_measures_on_one_axis() -> None:
    """Killed beside wounded on one axis made the biggest bar of a chart about deaths a count of wounded (13.6)."""
    with pytest.raises(ValueError, match="one measure per chart"):
        cs.figure_bars(cs.compare(FIGS, ("killed", "displaced"), ("military", "civilian")), "t", "s")


def test_figure_bars_refuse_figures_from_outside_the_wars_theatre() -> None:
    idlib = FIGS.iloc[[0]].assign(casualty_id="g", side="other", count=78)
    frame = cs.compare(pd.concat([FIGS, idlib], ignore_index=True), ("killed",), ("military",))
    assert list(cs.in_war_theatre(frame)) == [True] * 4 + [False]
    with pytest.raises(ValueError, match="outside the war's theatre"):
        cs.figure_bars(frame, "t", "s")
    cs.figure_bars(frame[cs.in_war_theatre(frame)], "t", "s")  # the war's own figures draw


def test_in_war_theatre_on_the_real_data_leaves_out_only_the_idlib_strike(real) -> None:
    table = cs.casualty_table(real["casualties"], real["actors"], real["sources"], real["relations"])
    outside = table[~cs.in_war_theatre(table)]
    assert len(outside) == 1 and "Idlib" in str(outside["note"].iloc[0])
    assert int(outside["count"].iloc[0]) == 78


def test_dated_chart_places_every_dated_figure() -> None:
    dated = cs.labelled(FIGS[FIGS["as_of"].notna()])
    fig = cs.dated_chart(dated, "Only two", "Source: x")
    assert sum(len(t.x) for t in fig.data) == 2
    assert fig.layout.xaxis.title.text == "Date of the figure"


def test_reporter_colours_come_from_the_palette() -> None:
    assert set(charts.REPORTER_COLOURS) == set(cs.REPORTER_KINDS)
    # who gave a figure is not a side: the ink tones, never a side's colour
    assert set(charts.REPORTER_COLOURS.values()) <= set(charts.NEUTRAL.values())
    assert not set(charts.REPORTER_COLOURS.values()) & set(charts.SIDE_COLOURS.values())
    assert len(set(charts.REPORTER_COLOURS.values())) == len(charts.REPORTER_COLOURS)


def test_plot_height() -> None:
    assert charts.plot_height(["a", "b<br>c"], line_px=10, row_pad=5) == 15 + 25


def test_the_chapters_figures_are_the_articles(related_table: pd.DataFrame) -> None:
    """Casualties ¶1 and Military ¶1: 2,906 Azerbaijani dead against 7,630 claimed by the other side; 44 and 12
    prisoners exchanged on 15 December 2020 (Ceasefire agreement ¶1)."""
    dead = cs.military_dead_figures(related_table)
    assert (dead["az-official"], dead["az-other"], dead["am-official"]) == ("2,906", "7,630", "3,825")
    prisoners = cs.prisoner_figures(related_table)
    assert (prisoners["exchange-date"], prisoners["exchange-am"], prisoners["exchange-az"]) == (
        "15 December 2020",
        "44",
        "12",
    )
    overview = cs.overview_figures(related_table)
    assert overview["rows"] == overview["figures"] == len(related_table)
