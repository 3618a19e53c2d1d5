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
    assert one == "Source: New Armenia-Azerbaijan Fighting a Long Time in the Making (Eurasianet)"
    two = charts.source_line(["wp-protests-2020", "eurasianet-kucera-2020", "wp-protests-2020"], real["sources"])
    assert two.startswith("Sources: New Armenia") and two.count(";") == 1
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


def test_narrow_layout_sets_long_labels_above_their_bars_and_wraps_the_title_for_a_phone() -> None:
    labels = [f"Side {i}: a category label too long to sit beside its bar" for i in range(5)]
    fig = go.Figure([go.Bar(y=labels, x=[1, 2, 3, 4, 5], orientation="h", name=n) for n in ("first", "second")])
    fig = charts.fit_labelled_bars(
        fig,
        "Five bars with a title that is long enough to wrap twice on a phone",
        "Source: s",
        "Count",
        charts.plot_height(labels),
    )
    phone = charts.narrow_layout(fig, int(fig.layout.height))
    layout = phone["layout"]
    lines = layout["title"]["text"].split("<br>")
    assert len(lines) >= 2 and all(len(line) <= charts.NARROW_TITLE_CHARS for line in lines)
    assert layout["yaxis"]["showticklabels"] is False and len(layout["annotations"]) == 5
    assert sorted(a["y"] for a in layout["annotations"]) == labels  # each label over its own bar
    assert layout["legend"]["orientation"] == "h" and layout["height"] == phone["height"]
    assert layout["font"]["size"] >= 11 and all(a["font"]["size"] >= 10 for a in layout["annotations"])
    short = charts.style_plotly(go.Figure(go.Bar(y=["a", "b"], x=[1, 2], orientation="h")), "T", "Source: s")
    assert "annotations" not in charts.narrow_layout(short, 400)["layout"]  # short labels stay beside the bars


def test_legend_rows_follow_plotlys_rule() -> None:
    assert charts.legend_rows(["a", "b"], 300) == 1  # side by side
    assert charts.legend_rows(["legend entry 1"] * 4, 300) == 2  # two columns as wide as the widest entry
    assert charts.legend_rows([], 300) == 0
