"""The chart style: colour-blind-safe fixed colours, titles, labelled axes and a source line on every figure."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from colour_math import VISIONS, contrast, difference

from analysis import charts, timeline

ROOT = Path(__file__).resolve().parents[1]


def test_side_colours_come_from_the_colour_blind_safe_palette() -> None:
    assert set(charts.SIDE_COLOURS.values()) <= set(charts.OKABE_ITO.values())
    assert charts.SIDE_COLOURS["armenia"] != charts.SIDE_COLOURS["azerbaijan"]
    assert charts.CAMP_COLOURS == {"azerbaijan": "#0072B2", "armenia-artsakh": "#D55E00"}  # a camp is a side
    # the two timeline lanes named after a country keep its colour; the others are no side's
    assert charts.LANE_COLOURS["Azerbaijan"] == charts.SIDE_COLOURS["azerbaijan"]
    assert charts.LANE_COLOURS["Iran"] == charts.SIDE_COLOURS["iran"]


#: Colours that mean a side wherever they appear: every side drawn (not 'both', which no chart draws) and the
#: light grey of actors of no side in the network drawings.
DRAWN_SIDES = {k: v for k, v in charts.SIDE_COLOURS.items() if k != "both"} | {"no side": charts.OTHER_COLOUR}


def _solid(palette: str, key: str) -> bool:
    """Whether a palette entry is drawn as a plain colour (not hatched)."""
    return not (palette == "status" and charts.STATUS_PATTERNS[key])


@pytest.mark.parametrize("palette", list(charts.NON_SIDE_PALETTES))
def test_no_non_side_palette_uses_or_resembles_a_side_colour(palette: str) -> None:
    colours = charts.NON_SIDE_PALETTES[palette]
    side_hex = {c.upper() for c in DRAWN_SIDES.values()} | {charts.SIDE_COLOURS["both"].upper()}
    assert not {c.upper() for c in colours.values()} & side_hex
    for key, colour in colours.items():
        if not _solid(palette, key):
            continue  # hatching tells a light tint from a side's colour
        for side, side_colour in DRAWN_SIDES.items():
            for vision in VISIONS:  # normal vision and simulated protanopia, deuteranopia, tritanopia
                d = difference(colour, side_colour, vision)
                assert d >= 12, f"{palette} {key} {colour} is {d:.1f} from {side} ({vision or 'normal'} vision)"


@pytest.mark.parametrize("palette", list(charts.NON_SIDE_PALETTES))
def test_each_palette_is_distinct_within_itself(palette: str) -> None:
    colours = charts.NON_SIDE_PALETTES[palette]
    assert len(set(colours.values())) == len(colours)
    for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2):
        for vision in VISIONS:
            d = difference(ca, cb, vision)
            assert d >= 12, f"{palette}: {a} and {b} are {d:.1f} apart ({vision or 'normal'} vision)"


@pytest.mark.parametrize("palette", list(charts.NON_SIDE_PALETTES))
def test_non_side_marks_stand_out_on_white(palette: str) -> None:
    """Lines and small markers need 3:1 against the page (WCAG 1.4.11); the ink tones give 4.5:1."""
    for key, colour in charts.NON_SIDE_PALETTES[palette].items():
        if _solid(palette, key):
            assert contrast(colour) >= 4.5, f"{palette} {key} {colour}: {contrast(colour):.2f}:1"


def test_the_colour_measures_match_published_values() -> None:
    assert difference("#FFFFFF", "#FFFFFF") == 0
    assert 99 < difference("#000000", "#FFFFFF") < 101  # CIEDE2000 from black to white is 100
    assert round(contrast("#000000"), 1) == 21.0 and round(contrast("#777777"), 2) == 4.48  # WCAG's examples
    # a deuteranope hardly tells the Okabe-Ito vermillion from its green-yellow neighbours, unlike a normal viewer
    assert difference("#D55E00", "#009E73") > 2.5 * difference("#D55E00", "#009E73", "deutan")


def test_colour_key_lists_every_side_and_non_side_colour() -> None:
    key = charts.colour_key()
    sides = key[key["group"].str.startswith("Sides")]
    assert {"Azerbaijan", "Armenia", "Iran", "Russia"} <= set(sides["meaning"])
    assert set(sides["colour"]) == {charts.SIDE_COLOURS[s] for s in net_sides()} | {charts.OTHER_COLOUR}
    others = set(key.loc[~key.index.isin(sides.index), "colour"])
    assert not others & set(sides["colour"])
    # every palette with fixed meanings is shown whole in one group of the key (courts are named in their chart)
    shown = [{k: p[k] for k in labels} for _, p, labels in charts.KEY_GROUPS]
    for name, palette in charts.NON_SIDE_PALETTES.items():
        assert name == "court" or dict(palette) in shown, name
    hatched = key[key["pattern"] != ""]
    assert set(hatched["meaning"].str.extract(r"^(\w+)")[0]) == {"abandoned", "captured", "a"}
    assert (key["meaning"].str.match(r"^[a-z0-9-]+$") & key["meaning"].str.contains("-")).sum() == 0  # no slugs


def net_sides() -> list[str]:
    """The sides the network drawings colour."""
    from analysis import network

    return [s for s in network.SIDE_ORDER if s != "other"]


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
    assert colours["not stated"] == charts.NEUTRAL["stone"] and charts.NEUTRAL["stone"] not in charts.CYCLE
    assert colours["A court"] == charts.CYCLE[0] and colours["B court"] == charts.CYCLE[1]
    assert set(charts.CYCLE) <= set(charts.NEUTRAL.values())


def test_every_chapter_palette_is_the_books_and_tells_its_keys_apart() -> None:
    ink = set(charts.NEUTRAL.values())
    for name, mapping in charts.NON_SIDE_PALETTES.items():
        solid = {c for k, c in mapping.items() if name != "status" or not charts.STATUS_PATTERNS[k]}
        assert solid <= ink, name  # plain colours come from the ink tones; only hatched status tints are lighter
        assert len(set(mapping.values())) == len(mapping), name
    assert set(charts.CAMP_COLOURS.values()) <= set(charts.OKABE_ITO.values())
    assert charts.OTHER_COLOUR not in set(charts.OKABE_ITO.values()) | ink


# ---------------------------------------------------------------- the stored chapters keep the colour language

_FIGURE_DATA = re.compile(
    r'<div id="(plot-[^"]+)"[^>]*></div><script type="application/json" class="k20-figure-data">(.*?)</script>', re.S
)
#: Words a trace's legend name carries when the trace is a side (a side's lane, camp or actors).
_SIDE_WORDS = re.compile(r"\b(?:Azerbaijan|Armenia|Artsakh|Iran|Russia)\b")


def _colours(node: object) -> set[str]:
    """Every colour string (upper case) set anywhere in a plotly trace or layout dict (templates aside)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "template":
                continue
            if key.endswith("color") and isinstance(value, str):
                found.add(value.upper())
            elif key == "color" and isinstance(value, list):
                found |= {str(v).upper() for v in value}
            else:
                found |= _colours(value)
    elif isinstance(node, list):
        for value in node:
            found |= _colours(value)
    return found


def _stored_figures() -> list[tuple[str, str, list[dict], dict]]:
    """(chapter, plot id, traces, layout) of every plotly figure stored in the chapters' outputs."""
    figures = []
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                html = "".join(output.get("data", {}).get("text/html", []))
                for m in _FIGURE_DATA.finditer(html):
                    figure = json.loads(m.group(2))["figure"]
                    figures.append((path.name, m.group(1), figure["data"], figure["layout"]))
    return figures


def test_stored_chapters_use_side_colours_for_sides_only() -> None:
    figures = _stored_figures()
    assert len(figures) >= 15  # the book's interactive figures were found
    side = {c.upper() for c in charts.SIDE_COLOURS.values()}
    for chapter, plot, traces, layout in figures:
        assert not _colours(layout) & side, f"{chapter} {plot}: a side colour in the layout"
        for trace in traces:
            if _colours(trace) & side:
                assert _SIDE_WORDS.search(str(trace.get("name", ""))), f"{chapter} {plot}: {trace.get('name')!r}"


def test_stored_bars_are_solid_so_their_legend_matches() -> None:
    for chapter, plot, traces, _ in _stored_figures():
        for trace in traces:
            if trace.get("type") == "bar":
                assert trace.get("marker", {}).get("opacity", 1) == 1, f"{chapter} {plot}: {trace.get('name')!r}"


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
