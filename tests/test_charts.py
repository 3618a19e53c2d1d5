"""The chart style: colour-blind-safe fixed colours, titles, labelled axes and a source line on every figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
import pytest

from analysis import charts, losses, timeline


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


def test_loss_bars(real) -> None:
    table = losses.documented_losses(real["equipment_losses"])
    fig = charts.loss_bars(table, "Finding", "Source: x")
    _assert_styled(fig, "Finding")
    assert [t.name for t in fig.data] == ["destroyed", "damaged", "abandoned", "captured", "captured-then-lost"]
    destroyed = fig.data[0]
    assert sum(destroyed.y) == table["destroyed"].sum()
    assert all(t.marker.color == charts.STATUS_COLOURS[t.name] for t in fig.data)


def test_stacked_bars_without_facet() -> None:
    frame = pd.DataFrame({"x": ["a", "b", "a"], "v": [1, 2, 3], "c": ["destroyed", "captured", "captured"]})
    fig = charts.stacked_bars(frame, "x", "v", "c", charts.STATUS_COLOURS, "T", "Source: s", "X", "Y")
    _assert_styled(fig, "T")
    assert fig.layout.barmode == "stack" and list(fig.layout.xaxis.categoryarray) == ["a", "b"]


def test_timeline_chart(real) -> None:
    frame = timeline.timeline_frame(real["events"])
    ph = timeline.phases(real["events"])
    fig = charts.timeline_chart(frame, ph, "Finding", "Source: x")
    _assert_styled(fig, "Finding")
    assert sum(len(t.x) for t in fig.data) == len(frame)
    assert len(fig.layout.shapes) == len(ph)


def test_network_figure_is_deterministic() -> None:
    g = nx.karate_club_graph()
    pos = nx.spring_layout(g, seed=1)
    fig = charts.network_figure(g, pos, "T", "Source: s", labels={0: "zero"}, node_colour={0: "#000000"})
    assert isinstance(fig, plt.Figure)
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "T" and any(t.get_text() == "Source: s" for t in fig.texts)
    offsets = ax.collections[-1].get_offsets() if ax.collections else None
    again = charts.network_figure(g, nx.spring_layout(g, seed=1), "T", "Source: s")
    assert (again.axes[0].collections[-1].get_offsets() == offsets).all()
    plt.close("all")
