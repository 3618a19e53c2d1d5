"""The chart style: colour-blind-safe fixed colours, titles, labelled axes and a source line on every figure."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from analysis import charts, timeline


def test_all_fixed_colours_come_from_the_colour_blind_safe_palette() -> None:
    palette = set(charts.OKABE_ITO.values())
    for mapping in (charts.SIDE_COLOURS, charts.PERSPECTIVE_COLOURS, charts.STATUS_COLOURS, charts.LANE_COLOURS):
        assert set(mapping.values()) <= palette
    # the two belligerents and each loss status are told apart
    assert charts.SIDE_COLOURS["armenia"] != charts.SIDE_COLOURS["azerbaijan"]
    assert len(set(charts.STATUS_COLOURS.values())) == len(charts.STATUS_COLOURS)


def test_every_side_status_perspective_and_lane_in_the_vocabularies_has_a_colour(real) -> None:
    assert set(real["casualties"]["side"].cat.categories) <= set(charts.SIDE_COLOURS)
    assert set(real["equipment_losses"]["status"].cat.categories) <= set(charts.STATUS_COLOURS)
    assert set(real["sources"]["perspective"].cat.categories) <= set(charts.PERSPECTIVE_COLOURS)
    assert set(timeline.LANES) == set(charts.LANE_COLOURS)


def test_source_line(real) -> None:
    one = charts.source_line(["eurasianet-kucera-2020"], real["sources"])
    assert one == "Source: Kucera, Eurasianet"  # the short title, not the full one
    two = charts.source_line(["wp-protests-2020", "eurasianet-kucera-2020", "wp-protests-2020"], real["sources"])
    assert two == "Sources: Kucera, Eurasianet; Wikipedia, 2020 Azerbaijani protests"  # each once, by source_id
    with pytest.raises(KeyError, match="unknown source_id 'nope'"):
        charts.source_line(["nope"], real["sources"])


def _assert_styled(fig, title: str) -> None:
    assert fig.layout.title.text == title
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert fig.layout.meta["source"].startswith("Source")  # the caption carries it, not the chart
    assert not any(str(a.text).startswith("Source") for a in fig.layout.annotations)
    assert "DejaVu Sans" in fig.layout.font.family


def test_stacked_bars_without_facet() -> None:
    frame = pd.DataFrame({"x": ["a", "b", "a"], "v": [1, 2, 3], "c": ["destroyed", "captured", "captured"]})
    fig = charts.stacked_bars(frame, "x", "v", "c", charts.STATUS_COLOURS, "T", "Source: s", "X", "Y")
    _assert_styled(fig, "T")
    assert fig.layout.barmode == "stack" and list(fig.layout.xaxis.categoryarray) == ["a", "b"]


def test_top_space_pins_the_title() -> None:
    fig = charts.top_space(go.Figure(), 130)
    assert fig.layout.title.yref == "container" and fig.layout.title.y == 1 and fig.layout.margin.t == 130


def test_wrap() -> None:
    assert charts.wrap("one two three", 7) == "one two<br>three"
    assert charts.wrap("short", 55) == "short"
    assert charts.wrap("wp-karabakh-war-2020", 5) == "wp-karabakh-war-2020"  # ids are not broken at hyphens


def test_court_colours_are_fixed_and_grey_for_unnamed() -> None:
    colours = charts.cycle_colours(pd.Series(["B court", "A court", "not stated", "A court"]), "not stated")
    assert colours["not stated"] == charts.OKABE_ITO["grey"]
    assert colours["A court"] == charts.CYCLE[0] and colours["B court"] == charts.CYCLE[1]
    assert set(charts.CYCLE) <= set(charts.OKABE_ITO.values())


def test_every_chapter_palette_is_the_books_and_tells_its_keys_apart() -> None:
    palette = set(charts.OKABE_ITO.values())
    for mapping in (
        charts.REPORTER_COLOURS,
        charts.EVENT_CATEGORY_COLOURS,
        charts.WAR_COLOURS,
        charts.RALLY_CATEGORY_COLOURS,
        charts.CAMP_COLOURS,
    ):
        assert set(mapping.values()) <= palette
        assert len(set(mapping.values())) == len(mapping) or mapping is charts.WAR_COLOURS
    assert set(charts.CYCLE) <= palette and charts.OTHER_COLOUR not in palette
