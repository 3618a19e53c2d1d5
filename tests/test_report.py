"""Page blocks: stable ids, captions and summaries, missing values and formats, refusal of what the book cannot draw."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import plotly.graph_objects as go
import pytest
from conftest import found

from analysis import report
from analysis.timeline import phases

#: Rows a demo figure draws, with their provenance (report.interactive/static require them).
DEMO_ROWS = pd.DataFrame({"x": ["a", "b"], "y": [1, 2], "source_id": ["demo", "demo"], "locator": ["¶1", "¶2"]})


def _bars() -> go.Figure:
    return go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout={"meta": {"source": "Source: test."}})


def test_interactive_block_has_stable_ids_and_no_script_source() -> None:
    one = report.interactive(
        _bars(), "demo-bars", "Bars <b>& co</b>. Source: test.", "A is 1 and B is 2.", rows=DEMO_ROWS
    )
    two = report.interactive(
        _bars(), "demo-bars", "Bars <b>& co</b>. Source: test.", "A is 1 and B is 2.", rows=DEMO_ROWS
    )
    assert one.html == two.html  # deterministic, so nbval can compare stored outputs
    assert 'id="plot-demo-bars"' in one.html and 'id="figure-demo-bars"' in one.html
    assert "<script src" not in one.html and "cdn" not in one.html.lower() and "MathJax" not in one.html
    assert "Bars &lt;b&gt;&amp; co&lt;/b&gt;" in one.html  # captions are text, never markup
    assert repr(one).startswith("[interactive figure demo-bars]") and "A is 1 and B is 2." in repr(one)


def test_interactive_refuses_traces_the_bundle_cannot_draw() -> None:
    with pytest.raises(ValueError, match=r"\['heatmap'\].*scatter, bar, pie"):
        report.interactive(go.Figure(go.Heatmap(z=[[1, 2]])), "demo-heat", "c", "s", rows=DEMO_ROWS)


@pytest.mark.parametrize("name", ["Demo", "demo_bars", "-demo", "demo bars", ""])
def test_names_must_be_lower_case_hyphenated(name: str) -> None:
    with pytest.raises(ValueError, match="lower-case words joined by hyphens"):
        report.interactive(_bars(), name, "c", "s", rows=DEMO_ROWS)


def test_static_block_embeds_a_png_with_alt_text_and_closes_the_figure() -> None:
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    block = report.static(fig, "demo-line", 'A line "rising"', "Line. Source: test.", "It rises.", rows=DEMO_ROWS)
    assert 'src="data:image/png;base64,' in block.html and 'alt="A line &quot;rising&quot;"' in block.html
    assert not plt.fignum_exists(fig.number)


def test_table_shows_missing_values_as_dashes_and_applies_formats() -> None:
    frame = pd.DataFrame(
        {
            "n": pd.array([1, None], dtype="Int64"),
            "who": pd.array(["x", None], dtype="string"),
            "share": [0.4444, float("nan")],
        }
    )
    block = report.table(frame, "demo-table", "Demo.", source="Source: test.", formats={"share": ".0%"})
    assert "44%" in block.html and "None" not in block.html and "<NA>" not in block.html
    assert block.html.count("<td>–</td>") == 3 and 'id="table-demo-table"' in block.html
    with pytest.raises(KeyError, match="does not have: \\['missing'\\]"):
        report.table(frame, "demo-table", "Demo.", source="Source: test.", formats={"missing": ".0%"})


def test_slug() -> None:
    assert report.slug("The 44-day war") == "the-44-day-war"


def test_words_print_without_quotes() -> None:
    assert repr(report.Words("2,906")) == "2,906"


def test_static_images_are_palette_pngs_and_deterministic() -> None:
    import base64
    import io

    from PIL import Image

    def block() -> report.Block:
        fig, ax = plt.subplots()
        ax.scatter(range(50), range(50), c=range(50))
        return report.static(fig, "demo-points", "Points", "Points. Source: test.", "A diagonal.", rows=DEMO_ROWS)

    first, second = block(), block()
    assert first.html == second.html
    png = base64.b64decode(found(r'base64,([^"]+)"', first.html))
    assert Image.open(io.BytesIO(png)).mode == "P"


def _png_size(block: report.Block) -> tuple[int, int]:
    import base64
    import io

    from PIL import Image

    return Image.open(io.BytesIO(base64.b64decode(found(r'base64,([^"]+)"', block.html)))).size


def test_static_images_are_cropped_to_their_ink_as_a_tight_savefig_would_be() -> None:
    import io

    from matplotlib.figure import Figure
    from PIL import Image

    def figure() -> Figure:
        fig = Figure(figsize=(6, 4))  # not pyplot's: report.static takes any matplotlib figure
        fig.text(0.3, 0.4, "a few words in the middle", fontsize=12)
        return fig

    tight = io.BytesIO()
    figure().savefig(tight, format="png", dpi=110, bbox_inches="tight")
    want = Image.open(tight).size
    got = _png_size(report.static(figure(), "demo-words", "Words", "Words. Source: test.", "Words.", rows=DEMO_ROWS))
    assert want[0] < 6 * 110 / 2 and want[1] < 4 * 110 / 4  # the crop is real: the ink is small
    assert abs(got[0] - want[0]) <= 2 and abs(got[1] - want[1]) <= 2


def test_static_refuses_a_figure_whose_ink_runs_past_its_edges() -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    fig.text(0.5, 0.5, "a sentence far too long for a figure three inches wide", fontsize=12)
    with pytest.raises(ValueError, match=r"ink spans x .* past its 3 × 2 in canvas; make the title, legend"):
        report.static(fig, "demo-spill", "Spill", "Spill. Source: test.", "Spills.", rows=DEMO_ROWS)


def test_interactive_needs_the_charts_source_line_in_its_caption() -> None:
    from analysis import charts

    styled = charts.style_plotly(_bars(), "Bars", "Source: test (a publisher)")
    assert (
        'id="plot-demo-src"'
        in report.interactive(styled, "demo-src", "Bars. Source: test (a publisher)", "s", rows=DEMO_ROWS).html
    )
    with pytest.raises(ValueError, match="caption must carry the chart's source line 'Source: test"):
        report.interactive(styled, "demo-src", "Bars. Source: another document", "s", rows=DEMO_ROWS)
    with pytest.raises(ValueError, match="has no source line"):
        report.interactive(go.Figure(go.Bar(x=["a"], y=[1])), "demo-src", "Bars. Source: test", "s", rows=DEMO_ROWS)


def test_glue_all_glues_every_value_under_one_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    import myst_nb

    glued: dict[str, str] = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=True: glued.__setitem__(name, repr(value)))
    names = report.glue_all("chapter", {"rows": 1234, "share": "44%"})
    assert names == ["chapter-rows", "chapter-share"]
    assert glued == {"chapter-rows": "1,234", "chapter-share": "44%"}  # numbers formatted as glue_words does


def test_glue_phases_glues_span_and_days(real, monkeypatch) -> None:
    import myst_nb

    glued: dict[str, str] = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=True: glued.__setitem__(name, repr(value)))
    names = report.glue_phases("t", phases(real["events"]))
    assert names["The 44-day war"] == "t-the-44-day-war"
    assert glued["t-the-44-day-war-span"] == "27 September – 10 November 2020"
    assert glued["t-the-44-day-war-days"] == "45"  # calendar days, both ends counted


def test_colour_key_draws_one_swatch_per_colour_with_its_hatching() -> None:
    key = pd.DataFrame(
        {
            "group": ["Sides", "Sides", "Status"],
            "meaning": ["Azerbaijan", "a <b> & c", "captured (hatched)"],
            "colour": ["#0072B2", "#D55E00", "#3C546C"],
            "pattern": ["", "", "/"],
            "hatch": ["", "", "white"],
        }
    )
    block = report.colour_key(key, "book")
    assert block.html.count('aria-hidden="true"') == 3 and block.html.count("k20-key-group") == 2
    assert "background-color:#0072B2;" in block.html and "repeating-linear-gradient(-45deg,white" in block.html
    assert "a &lt;b&gt; &amp; c" in block.html  # meanings are text, never markup
    assert block.text.splitlines()[0] == "Sides: Azerbaijan #0072B2; a <b> & c #D55E00"
    with pytest.raises(ValueError, match="not '#rrggbb'"):
        report.colour_key(key.assign(colour=["red;x", "#D55E00", "#3C546C"]), "book")


def _spec(html: str) -> dict:
    import json

    return json.loads(found(r'<script type="application/json" class="k20-figure-data">(.*?)</script>', html))


def test_interactive_stores_the_figure_as_data_in_a_box_of_reserved_height() -> None:
    from analysis import charts

    labels = [f"A long category label number {i} that wraps" for i in range(6)]
    fig = go.Figure(go.Bar(y=labels, x=list(range(6)), orientation="h", name="one"))
    fig.add_trace(go.Bar(y=labels, x=list(range(6)), orientation="h", name="two <b>&</b>"))
    fig = charts.fit_labelled_bars(
        fig,
        "A title long enough to need two lines on a phone's narrow column",
        "Source: test",
        "Count",
        charts.plot_height(labels),
    )
    block = report.interactive(fig, "demo-long", "Bars. Source: test", "Six bars.", rows=DEMO_ROWS)
    spec = _spec(block.html)
    script = found(r'class="k20-figure-data">(.*?)</script>', block.html)
    assert "<" not in script and ">" not in script  # no text from the data can end the script element
    assert spec["figure"]["layout"]["title"]["text"] == fig.layout.title.text
    assert spec["height"] == fig.layout.height and f"height:{fig.layout.height}px" in block.html
    phone = spec["figure"]["layout"]["meta"]["narrow"]
    assert f"--k20-narrow:{phone['height']}px" in block.html and phone["layout"]["height"] == phone["height"]
    assert 'data-plot="plot-demo-long" data-format="svg"' in block.html and 'href="#figure-demo-long"' in block.html
    assert (
        fig.layout.meta["source"] == "Source: test" and "narrow" not in fig.layout.meta
    )  # the chapter's figure unchanged


def test_static_offers_its_png_and_an_svg_with_the_source_and_is_cropped_legibly_on_a_phone() -> None:
    import base64

    from matplotlib.figure import Figure

    def drawing(size: float, width: float = 9) -> Figure:
        fig = Figure(figsize=(width, 2))
        fig.text(0.02, 0.5, "A label", fontsize=size)
        fig.text(0.98, 0.5, "another", fontsize=size, ha="right")  # the ink spans the figure's width
        fig.text(0.02, 0.1, "Source: a test document", fontsize=9)
        return fig

    small = report.static(drawing(8), "demo-small", "Words", "Words. Source: test.", "Words.", rows=DEMO_ROWS).html
    svg = base64.b64decode(found(r'download="demo-small.svg" href="data:image/svg\+xml;base64,([^"]+)"', small))
    assert b"Source: a test document" in svg and b"<text" in svg  # text stays text
    png = found(r'<img src="data:image/png;base64,([^"]+)"', small)
    assert f'download="demo-small.png" href="data:image/png;base64,{png}"' in small
    assert found(r'data-text-px="([0-9.]+)"', small) == f"{8 * 110 / 72:.1f}"
    assert 'class="k20-crop"' in small  # 990 px with 12-px text: at 342 px it would be 4 px
    narrow = report.static(
        drawing(12, width=3), "demo-narrow", "Words", "Words. Source: test.", "Words.", rows=DEMO_ROWS
    ).html
    assert 'class="k20-crop"' not in narrow  # about 320 px wide: shown whole, its 9-pt text stays >= 10 px
