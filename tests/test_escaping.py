"""Data text stays text: the escaping functions of analysis.words and the places that use them."""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib
import pandas as pd
import plotly.graph_objects as go
import pytest
from conftest import DATA, ROOT
from markdown_it import MarkdownIt
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analysis import charts, network, report
from analysis.data import download_links
from analysis.schema import DescriptorError, read_package
from analysis.words import html_text, literal_text, myst_text, plotly_text

#: Rows a demo figure draws, with their provenance (report.interactive/static require them).
DEMO_ROWS = pd.DataFrame({"x": ["a", "b"], "y": [1, 2], "source_id": ["demo", "demo"], "locator": ["¶1", "¶2"]})

HOSTILE = [
    "<script>window.__k20x=1</script>",
    '<img src=x onerror="window.__k20x=1">',
    "[x](javascript:window.__k20x=1)",
    "{download}`secret <../../SECRET>`",
    "$\\foo$",
    '"quoted" & <b>',
    "```{literalinclude} ../../SECRET\n```",
    "*a* _b_ **c** \\ ~d~ {{ sub }} %{x} &amp; &#60;",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_html_text_escapes_every_markup_character(text: str) -> None:
    out = html_text(text)
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out
    assert html.unescape(out) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_myst_text_renders_as_itself(text: str) -> None:
    out = myst_text(text)
    assert "\n" not in out
    rendered = MarkdownIt("commonmark").renderInline(out)
    assert html.unescape(rendered) == " ".join(text.split())  # no link, emphasis, code or tag: the text itself
    assert "<" not in rendered.replace("&lt;", "")


def test_myst_text_leaves_letters_and_spaces_alone() -> None:
    assert myst_text("Ardabil city court") == "Ardabil city court"
    assert myst_text("a-b.c") == "a\\-b\\.c"


@pytest.mark.parametrize("text", HOSTILE)
def test_plotly_text_leaves_no_tag_and_no_template(text: str) -> None:
    out = plotly_text(text)
    assert "<" not in out and ">" not in out and "%{" not in out
    assert html.unescape(out.replace("%&#123;", "%{")) == text  # plotly reads these entities back


def test_a_plotly_trace_name_with_a_tag_keeps_it_literally_in_the_figure_json() -> None:
    fig = go.Figure(go.Bar(x=[plotly_text('"quoted" & <b>')], y=[1], name=plotly_text("<b>bold</b>")))
    data = json.loads(fig.to_json())["data"][0]
    assert data["name"] == "&lt;b&gt;bold&lt;/b&gt;"
    assert data["x"] == ['"quoted" &amp; &lt;b&gt;']


def test_wrap_escapes_each_line_and_breaks_only_at_spaces() -> None:
    assert charts.wrap("<b>x</b> & more words here", 10) == "&lt;b&gt;x&lt;/b&gt; &amp;<br>more words<br>here"


def test_style_plotly_escapes_titles_and_keeps_authored_breaks() -> None:
    fig = charts.style_plotly(go.Figure(), "A <i>title</i><br>second & line", "Source: x", "x <", "y >")
    assert fig.layout.title.text == "A &lt;i&gt;title&lt;/i&gt;<br>second &amp; line"
    assert fig.layout.xaxis.title.text == "x &lt;" and fig.layout.yaxis.title.text == "y &gt;"


def test_interactive_refuses_a_figure_with_markup_from_data() -> None:
    fig = charts.style_plotly(go.Figure(go.Bar(x=["a"], y=[1], name="<script>x</script>")), "t", "Source: s")
    with pytest.raises(ValueError, match="plotly_text"):
        report.interactive(fig, "bad", "Caption. Source: s", "summary", rows=DEMO_ROWS)
    fig.data[0].name = plotly_text("<script>x</script>")
    block = report.interactive(fig, "good", "Caption. Source: s", "summary", rows=DEMO_ROWS)
    assert "<script>x" not in block.html


def test_matplotlib_draws_dollars_from_data_literally() -> None:
    def drawn(fix: bool) -> None:
        fig = Figure(figsize=(3, 2))
        ax = fig.subplots()
        ax.set_title("$\\foo$ & co")
        ax.set_xlabel("cost $\\bar$")
        FigureCanvasAgg(literal_text(fig) if fix else fig).draw()

    with pytest.raises(ValueError):  # the failure literal_text prevents
        drawn(False)
    drawn(True)


def test_static_and_network_figures_draw_names_with_dollars() -> None:
    import networkx as nx

    graph = nx.MultiDiGraph([("a", "b")])
    graph.nodes["a"]["name"], graph.nodes["b"]["name"] = '$\\foo$ "quoted" & <b>', "b"
    sides = pd.Series({"a": "other", "b": "other"})
    fig = network.core_figure(
        graph, sides, pd.Series({"a": '$\\foo$ "quoted" & <b>', "b": "b"}), "Title $\\foo$", "Source: $x$"
    )
    block = report.static(fig, "dollars", "alt $\\foo$", "caption $x$", "summary", rows=DEMO_ROWS)
    assert 'alt="alt $\\foo$"' in block.html
    # matplotlib categories from data (tick labels made while drawing) are literal too
    fig = Figure(figsize=(4, 3))
    fig.subplots().bar(["$\\foo$", "b"], [1, 2])
    report.static(fig, "categories", "alt", "caption", "summary", rows=DEMO_ROWS)


def test_network_titles_too_wide_for_the_figure_are_broken_onto_lines() -> None:
    fig = Figure(figsize=(4, 3))
    text = fig.suptitle("word " * 40, x=0.02, ha="left", parse_math=False)
    charts.fit_width(text, 3.8)
    assert text.get_text().count("\n") >= 2
    short = fig.text(0, 0, "short", parse_math=False)
    assert charts.fit_width(short, 3.8).get_text() == "short"


def test_glued_words_are_plain_text_only() -> None:
    words = report.Words("<script>x</script> {download}`s <../x>`")
    assert not hasattr(words, "_repr_html_") and not hasattr(words, "_repr_markdown_")
    assert repr(words) == "<script>x</script> {download}`s <../x>`"  # text/plain: shown by docutils as text


def _package_with(tmp_path: Path, **changes: str) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    descriptor = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0].update(changes)
    (target / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return target


def test_download_links_escape_titles(tmp_path: Path) -> None:
    data = _package_with(tmp_path, title="Sources {download}`s <../../SECRET>` <script>x</script>\n```{x}")
    first = download_links(data).splitlines()[0]
    assert first.startswith("- {download}`sources.csv <../data/sources.csv>`: Sources ")
    rendered = MarkdownIt("commonmark").renderInline(first.split(": ", 1)[1])
    assert html.unescape(rendered) == "Sources {download}`s <../../SECRET>` <script>x</script> ```{x}"


@pytest.mark.parametrize(
    "path", ["../SECRET", "/etc/passwd", "sub/x.csv", "..", "https://example.org/x.csv", "x.csv\n", ""]
)
def test_resource_paths_must_be_plain_file_names(tmp_path: Path, path: str) -> None:
    data = _package_with(tmp_path, path=path)
    with pytest.raises(DescriptorError, match="plain file name|expected the CSV file.s name"):
        read_package(data)


def test_the_validator_reports_a_bad_resource_path_without_a_traceback(tmp_path: Path) -> None:
    data = _package_with(tmp_path, path="../../SECRET")
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "validate", str(data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "'../../SECRET'" in done.stderr and "plain file name" in done.stderr


def test_matplotlib_backend_is_untouched() -> None:
    assert matplotlib.rcParams["text.parse_math"] is True  # report.static scopes its change to the drawing


def test_tables_escape_cells_headers_index_and_caption() -> None:
    import pandas as pd

    frame = pd.DataFrame({"<b>h</b>": ["<script>x</script>"]}).set_index("<b>h</b>", drop=False).rename_axis("<i>")
    block = report.table(frame, "hostile", 'caption <img src=x onerror="y">', source="Source: <b>x</b>", index=True)
    assert "<script>" not in block.html and "<b>h" not in block.html and "<i>" not in block.html
    assert "<img" not in block.html and "&lt;script&gt;x&lt;/script&gt;" in block.html
