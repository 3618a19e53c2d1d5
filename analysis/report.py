"""What a chapter puts on its page: figures with caption and text summary, tables, and glued words.

Every block is plain HTML stored in the notebook, so the built book needs no kernel, no CDN and
no widget: a plotly figure is a div of reserved height and its figure as JSON data, drawn after the
page's text by the book's loader (``book/_static/k20-plots.js``, added by the ``plotly_assets``
extension, which fetches plotly.js itself only when a chart nears the viewport); a matplotlib figure
is a PNG embedded with its alt text. Each figure has "Download image" (SVG, PNG) and a permalink.
Ids are given by the chapter, never random, so stored outputs are stable and nbval can compare them.
"""

from __future__ import annotations

import base64
import io
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from PIL import Image  # Pillow comes with matplotlib

from . import charts
from .words import date_span, date_text, figure_text, html_text, is_missing, literal_text, number  # noqa: F401  (chapters call report.number, ...)

_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
#: The markup plotly may find in a figure's text: what the builders write around escaped data text.
_PLOTLY_TAGS = re.compile(r"<(?:br|/?b|/?i|/?sup|/?sub|extra|/extra)>")
#: Trace types the book's plotly.js bundle (the "basic" partial build) can draw.
BUNDLE_TRACES = ("scatter", "bar", "pie")
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"]}


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"figure/table name {name!r}: expected lower-case words joined by hyphens, e.g. 'tank-losses'")
    return name


@dataclass(frozen=True)
class Block:
    """A piece of a page: HTML for the book, plain text for nbval diffs and for readers of the notebook."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.text)


#: Where a caption's source line starts: the last "Source: " or "Sources: " in it.
_SOURCE_START = re.compile(r"\bSources?: ")
#: The page that lists the documents, relative to a chapter, and the anchor prefix of each entry there.
SOURCES_PAGE, SOURCE_ANCHOR = "sources.html", "source-"


def source_anchor(source_id: str) -> str:
    """The id of a document's entry on the Sources page ('source-' + its source_id): the target of its links."""
    return f"{SOURCE_ANCHOR}{source_id}"


def _short_titles(data_dir: str | None = None) -> dict[str, str]:
    """short_title -> source_id for the documents in sources.csv."""
    from .data import load_table

    sources = load_table("sources", data_dir)
    return dict(zip(sources["short_title"].astype(str), sources["source_id"].astype(str)))


def reader_words(data_dir: str | None = None) -> dict[str, str]:
    """The words a reader sees for the data's codes: each source_id -> its short title, and each hyphenated
    vocabulary value that has a label in the schema (k20:labels) -> that label."""
    from .data import default_data_dir, load_table
    from .schema import read_package

    sources = load_table("sources", data_dir)
    words = {
        value: label
        for resource in read_package(default_data_dir() if data_dir is None else data_dir).resources
        for fld in resource.fields
        for value, label in fld.labels.items()
        if "-" in value
    }
    words.update(zip(sources["source_id"].astype(str), sources["short_title"].astype(str)))
    return words


def _code_pattern(words: Mapping[str, str]) -> re.Pattern[str]:
    """Any of the codes as a whole word (not part of a longer hyphenated word)."""
    keys = sorted(words, key=len, reverse=True)
    # in a plotly div '>' is written '\u003e', whose last letter must not hide the start of a code after a tag
    return re.compile(r"(?:(?<=\\u003e)|(?<![\w-]))(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])")


def _readable_figure(div: str, words: Mapping[str, str]) -> str:
    """A plotly div whose figure text names documents and categories as a reader reads them: every source id
    and labelled vocabulary value in it replaced by its short title or label (JSON-escaped, as the div holds it)."""
    pattern = _code_pattern(words)
    return pattern.sub(lambda m: json.dumps(words[m.group(0)], ensure_ascii=False)[1:-1].replace("<", "\\u003c"), div)


def split_source(caption: str) -> tuple[str, str]:
    """A caption cut before its source line (the text from its last 'Source: '/'Sources: '): (caption, source
    line); the source line is '' when the caption has none."""
    starts = [m.start() for m in _SOURCE_START.finditer(caption)]
    if not starts:
        return caption, ""
    return caption[: starts[-1]].rstrip(), caption[starts[-1] :].strip()


def source_html(line: str) -> str:
    """A source line as HTML: each short title of a document (sources.csv) a link to its entry on the Sources
    page (a chapter beside it), any other words escaped as text."""
    if not line:
        return ""
    titles = _short_titles()
    head, _, names = line.partition(": ")
    parts = []
    for name in names.rstrip(".").split("; "):
        if name in titles:
            href = f"{SOURCES_PAGE}#{source_anchor(titles[name])}"
            parts.append(f'<a class="k20-source-link" href="{html_text(href)}">{html_text(name)}</a>')
        else:
            parts.append(html_text(name))
    return f'<p class="k20-source">{html_text(head)}: {"; ".join(parts)}</p>'


def _caption(caption: str, summary: str) -> str:
    text, line = split_source(caption)
    return (
        f'<figcaption><p class="k20-caption">{html_text(text)}</p>{source_html(line)}'
        f'<p class="k20-summary"><strong>In words:</strong> {html_text(summary)}</p></figcaption>'
    )


def _tools(name: str, interactive: bool, png: str = "", svg: str = "") -> str:
    """The figure's tool line: "Download image" as SVG and PNG, and a permalink to the figure.

    An interactive chart's images are made in the browser (book/_static/k20-plots.js: the desktop
    layout at a fixed width, with the title and the source line); a static figure's are data links
    (``a.k20-download``), which the build turns into files.
    """
    if interactive:
        links = "".join(
            f'<button type="button" class="k20-image" data-plot="plot-{name}" data-format="{fmt}">'
            f"{fmt.upper()}</button> "
            for fmt in ("svg", "png")
        )
    else:
        links = (
            f'<a class="k20-download" download="{name}.svg" href="data:image/svg+xml;base64,{svg}">SVG</a> '
            f'<a class="k20-download" download="{name}.png" href="data:image/png;base64,{png}">PNG</a> '
        )
    return (
        f'<p class="k20-tools"><span class="k20-tools-label">Download image:</span> {links}'
        f'· <a class="k20-permalink" href="#figure-{name}">Link to this figure</a></p>'
    )


def interactive(
    fig: go.Figure,
    name: str,
    caption: str,
    summary: str,
    height: int | str = 480,
    fit: bool = False,
    *,
    rows: pd.DataFrame,
) -> Block:
    """A plotly figure as a captioned block: ``caption`` says what and where from, ``summary`` what it shows.

    ``height`` is in pixels, or a CSS length (a map's height follows the column's width: maps.css_height);
    a height set in the figure's layout wins. The box keeps that height before plotly draws, so the
    page does not move. In a column under 600 pixels (a phone) the figure takes the phone layout that
    charts.narrow_layout makes from it (stored in ``layout.meta["narrow"]``, its height reserved too).
    ``fit``: the figure is laid out for any width already (a map), so it has no phone layout.

    The caption must carry the source line the chart was styled with (charts.style_plotly), since the
    chart itself does not draw it. ``rows`` are the rows the chart draws, with their sources (card_tools).
    """
    _check_name(name)
    other = sorted({trace.type for trace in fig.data} - set(BUNDLE_TRACES))
    if other:
        raise ValueError(
            f"figure {name!r} uses trace types {other}; the book's plotly.js bundle draws only "
            f"{', '.join(BUNDLE_TRACES)}"
        )
    meta = fig.layout.meta
    source = meta.get("source") if isinstance(meta, dict) else None
    if not source:
        raise ValueError(f"figure {name!r} has no source line (charts.style_plotly records it in layout.meta)")
    if source not in caption:
        raise ValueError(f"figure {name!r}: the caption must carry the chart's source line {source!r}")
    _check_markup(fig, name)
    # the height the chart is drawn at: its layout's own, else the one given (a CSS length leaves it to the column)
    px = int(fig.layout.height) if fig.layout.height else height if isinstance(height, int) else None
    narrow = None if fit or px is None else charts.narrow_layout(fig, px)
    if narrow:
        fig = go.Figure(fig)  # a copy: the chapter's figure keeps its own meta
        fig.update_layout(meta={**meta, "narrow": narrow})
    # documents and categories named as a reader reads them (short titles, labels), in legends and hover text
    figure = _readable_figure(plotly.io.to_json(fig, validate=True, pretty=False, remove_uids=True), reader_words())
    spec = f'{{"figure":{figure},"config":{json.dumps(PLOTLY_CONFIG)},"height":{json.dumps(px)}}}'
    # no "<" inside the script element, so no text from the data can end it
    spec = spec.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    size = f"height:{px}px" if px is not None else f"height:{height}"
    if narrow:
        size += f";--k20-narrow:{narrow['height']}px"
    body = (
        f'<figure class="k20-figure" id="figure-{name}">'
        f'<div class="k20-plot{" k20-fit" if fit else ""}" role="img" aria-label="{html_text(summary)}">'
        f'<div id="plot-{name}" class="plotly-graph-div{" k20-narrow" if narrow else ""}" style="{size};width:100%">'
        f"</div>"
        f'<script type="application/json" class="k20-figure-data">{spec}</script></div>'
        f"{_tools(name, interactive=True)}"
        f"{_caption(caption, summary)}{card_tools('figure', name, rows, caption, alternative=True)}</figure>"
    )
    return Block(body, f"[interactive figure {name}] {caption}\nIn words: {summary}\n{_download_text(name, rows)}")


def _strings(value: Any, path: str) -> list[tuple[str, str]]:
    """Every string inside a figure's JSON with the path that leads to it ('data[0].hovertemplate')."""
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [found for key, item in value.items() if key != "meta" for found in _strings(item, f"{path}.{key}")]
    if isinstance(value, list | tuple | np.ndarray):
        return [found for i, item in enumerate(value) for found in _strings(item, f"{path}[{i}]")]
    return []


def _check_markup(fig: go.Figure, name: str) -> None:
    """Refuse a figure whose text holds a tag other than the few the builders write (data text escaped
    with words.plotly_text never does): the last guard against data becoming markup in plotly."""
    for path, text in _strings(fig.to_plotly_json(), "figure"):
        rest = _PLOTLY_TAGS.sub("", text)
        if "<" in rest:
            raise ValueError(
                f"figure {name!r}: {path} holds markup {text[:80]!r}; text from data must be escaped "
                f"with words.plotly_text (or charts.wrap) where it enters the figure"
            )


def _ink(fig: Figure, dpi: int, pad_inches: float = 0.1) -> Image.Image:
    """The figure drawn once with Agg at ``dpi``, cropped to its ink with ``pad_inches`` of background around.

    The picture ``savefig(bbox_inches="tight")`` gives, without its extra measuring pass over every
    artist. Ink past the figure's own edges would be cut off, so it is an error: the figure must make
    its title, legend and labels fit its size.
    """
    fig.set_dpi(dpi)
    literal_text(fig)  # no mathtext from data: '$' shows as typed
    canvas = FigureCanvasAgg(fig)
    with plt.rc_context({"text.parse_math": False}):  # nor in texts made while drawing (tick labels)
        canvas.draw()
        ink = fig.get_tightbbox(canvas.get_renderer())
    width, height = fig.get_size_inches()
    slack = 0.5 / dpi  # half a pixel
    if ink.x0 < -slack or ink.y0 < -slack or ink.x1 > width + slack or ink.y1 > height + slack:
        raise ValueError(
            f"the figure's ink spans x {ink.x0:.2f}–{ink.x1:.2f} in, y {ink.y0:.2f}–{ink.y1:.2f} in, "
            f"past its {width:g} × {height:g} in canvas; make the title, legend and labels fit "
            f"(shorter or wrapped text, fewer legend columns) or enlarge the figure"
        )
    rgba = np.asarray(canvas.buffer_rgba())
    rows, cols = rgba.shape[:2]
    box = ink.padded(pad_inches)
    left, right = math.floor(box.x0 * dpi), math.ceil(box.x1 * dpi)
    top, bottom = math.floor(rows - box.y1 * dpi), math.ceil(rows - box.y0 * dpi)
    background = tuple(round(255 * c) for c in to_rgb(fig.get_facecolor()))
    image = Image.new("RGB", (right - left, bottom - top), background)
    drawn = rgba[max(top, 0) : min(bottom, rows), max(left, 0) : min(right, cols)]
    image.paste(Image.fromarray(drawn).convert("RGB"), (max(left, 0) - left, max(top, 0) - top))
    return image


def _palette_png(image: Image.Image, colours: int = 256) -> bytes:
    """The image as a PNG with a 256-colour palette: charts use few colours, and it is a third of the bytes."""
    out = io.BytesIO()
    image.quantize(colors=colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        out, format="PNG", optimize=True
    )
    return out.getvalue()


#: A phone's column in CSS pixels, and the least text size (pixels) a reader is given there.
PHONE_COLUMN, PHONE_TEXT_PX = 342, 10.5


def _smallest_text_pt(fig: Figure) -> float:
    """The size in points of the smallest visible, non-empty text in a matplotlib figure (0 if it has none)."""
    from matplotlib.text import Text

    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return float(min(sizes)) if sizes else 0.0


def _svg(fig: Figure) -> bytes:
    """The figure as an SVG drawing cropped to its ink (what the PNG shows), text kept as text (with a white halo
    drawn by CSS where the PNG's halo was a path effect); the same bytes on every run. Call it after the PNG:
    it removes the figure's path effects."""
    from matplotlib.text import Text

    for text in fig.findobj(Text):  # a halo drawn by a path effect turns text into outlines: CSS draws it instead
        text.set_path_effects([])
    out = io.BytesIO()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "k20", "text.parse_math": False}):
        fig.savefig(out, format="svg", bbox_inches="tight", pad_inches=0.1, metadata={"Date": None})
    halo = b"<style>text { paint-order: stroke; stroke: #fff; stroke-width: 2.6px; stroke-linejoin: round; }</style>"
    return re.sub(rb"(<svg[^>]*>)", lambda m: m.group(1) + halo, out.getvalue(), count=1)


def static(
    fig: Figure, name: str, alt: str, caption: str, summary: str, dpi: int = 110, *, rows: pd.DataFrame
) -> Block:
    """A matplotlib figure as an embedded PNG with alt text, caption and summary, its PNG and an SVG offered as
    downloads, shown on a phone at a legible scale (cropped) when whole it would be too small; a pyplot figure is
    closed.

    ``rows`` are the rows the figure draws, with their sources (card_tools).
    """
    _check_name(name)
    image = _ink(fig, dpi)
    text_px = _smallest_text_pt(fig) * dpi / 72
    svg = base64.b64encode(_svg(fig)).decode("ascii")
    plt.close(fig)
    data = base64.b64encode(_palette_png(image)).decode("ascii")
    img = (
        f'<img src="data:image/png;base64,{data}" alt="{html_text(alt)}" data-text-px="{text_px:.1f}" '
        f'style="max-width:100%;height:auto">'
    )
    # Shown whole in a phone's column, its smallest text would be under 10 px: there it is shown at a
    # legible scale, cropped to its centre, and the downloads hold the whole drawing.
    phone = math.ceil(image.width * PHONE_TEXT_PX / text_px) if text_px else 0
    crop = phone > PHONE_COLUMN
    if crop:
        img = (
            f'<div class="k20-crop" style="--k20-phone-width:{phone}px;--k20-phone-shift:calc((100% - {phone}px) / 2)">'
            f"{img}</div>"
            f'<p class="k20-crop-link">Shown enlarged and cropped to its centre on a narrow screen; '
            f"the image downloads below hold the whole drawing.</p>"
        )
    body = (
        f'<figure class="k20-figure" id="figure-{name}">{img}'
        f"{_tools(name, interactive=False, png=data, svg=svg)}"
        f"{_caption(caption, summary)}{card_tools('figure', name, rows, caption)}</figure>"
    )
    return Block(body, f"[static figure {name}] {caption}\nIn words: {summary}\n{_download_text(name, rows)}")


def table(
    frame: pd.DataFrame,
    name: str,
    caption: str,
    source: str,
    index: bool = False,
    formats: dict[str, str] | None = None,
    codes: bool = False,
) -> Block:
    """A DataFrame as a captioned HTML table (missing values shown as '–') with its source line, and a stable id.

    ``source`` is the table's source line (charts.source_line, or words naming where the rows come from,
    starting 'Source: '), shown under the caption as figures show theirs. Source ids and labelled vocabulary
    values in headers and cells are shown as short titles and labels (reader_words), a ``source_id`` column
    as 'source'; ``codes=True`` keeps them as they are, for a table that documents the data's codes.
    """
    _check_name(name)
    if not _SOURCE_START.match(source):
        raise ValueError(f"table {name!r}: the source line must start 'Source: ' or 'Sources: ', got {source[:40]!r}")
    raw = frame if index else frame.reset_index(drop=True)
    words = {} if codes else reader_words()
    pattern = _code_pattern(words) if words else re.compile(r"(?!)")
    shown = raw
    if not codes:  # a reader meets documents by their short titles, values by their labels
        shown = raw.rename(
            columns=lambda c: "source" if c == "source_id" else _cell(c, words, pattern) if isinstance(c, str) else c
        )
    formats = formats or {}
    unknown = sorted(set(formats) - set(shown.columns))
    if unknown:
        raise KeyError(f"table {name!r}: formats for columns it does not have: {unknown}")
    # Every cell becomes text here: '–' for missing values, the given format where one is set.
    cells = pd.DataFrame(
        {
            col: [
                "–" if is_missing(v) else format(v, formats[col]) if col in formats else _cell(str(v), words, pattern)
                for v in shown[col]
            ]
            for col in shown.columns
        },
        index=shown.index,
    )
    body = cells.to_html(index=index, border=0, classes=["k20-table"], table_id=f"table-{name}", escape=True)
    text = cells.to_string(index=index)
    # The CSV keeps the data's own column names and ids (its header explains them), with the table's formats.
    renamed = dict(zip(shown.columns, raw.columns))
    download = _table_rows(raw, {renamed[col]: spec for col, spec in formats.items()}, index)
    return Block(
        f'<div class="k20-table-wrap"><p class="k20-caption">{html_text(caption)}</p>{source_html(source)}{body}'
        f"{card_tools('table', name, download, caption)}</div>",
        f"[table {name}] {caption}\n{source}\n{text}\n{_download_text(name, download)}",
    )


def _cell(text: str, words: Mapping[str, str], pattern: re.Pattern[str]) -> str:
    """Table text as a reader reads it: each source id in it as the document's short title, each labelled
    vocabulary value as its label (reader_words)."""
    return pattern.sub(lambda m: words[m.group(0)], text)


def source_list(sources: pd.DataFrame, perspectives: Mapping[str, str], kinds: Mapping[str, str]) -> Block:
    """The documents as a list, each entry anchored (source_anchor) for the book's source lines to link to: short
    title, full title, author, publisher and date, kind and perspective (their labels), how to find the document,
    the project's note on its caveats, and the id the data files use for it."""
    from .sources import finding_aid

    items, lines = [], []
    for _, row in sources.iterrows():
        who = "; ".join(str(row[c]) for c in ("author", "publisher", "published") if not is_missing(row[c]))
        kind = kinds.get(str(row["kind"]), str(row["kind"]))
        view = perspectives.get(str(row["perspective"]), str(row["perspective"]))
        items.append(
            f'<li id="{html_text(source_anchor(str(row["source_id"])))}">'
            f"<p><strong>{html_text(row['short_title'])}</strong>: <cite>{html_text(row['title'])}</cite>"
            f"{f' ({html_text(who)})' if who else ''}. {html_text(kind)}; perspective: {html_text(view)}. "
            f"{html_text(row['published_note']) if not is_missing(row['published_note']) else ''}</p>"
            f"<p>How to find it: {html_text(finding_aid(row))}</p>"
            f"<p>Caveats: {html_text(row['caveats'])}</p>"
            f'<p>In the data files: <code class="k20-code">{html_text(row["source_id"])}</code></p></li>'
        )
        lines.append(f"- {row['short_title']}: {row['title']}")
    return Block(f'<ol class="k20-source-list">{"".join(items)}</ol>', "[source list]\n" + "\n".join(lines))


class Words:
    """Text for a ``{glue}`` role: shown as-is, without the quotes a glued ``str`` would carry."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.text)


def glue_words(name: str, text: str | int | float) -> Words:
    """Glue ``text`` (numbers are formatted with :func:`number`) under ``name`` for use as {glue}`name`."""
    from myst_nb import glue  # the book's toolchain; imported here so the package works without it

    words = Words(number(text) if isinstance(text, int | float) and not isinstance(text, bool) else str(text))
    glue(name, words, display=False)
    return words


def slug(text: str) -> str:
    """Lower-case words joined by hyphens: 'The 44-day war' -> 'the-44-day-war'."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def glue_phases(prefix: str, phases: pd.DataFrame) -> dict[str, str]:
    """Glue each phase's span and length as ``{prefix}-{phase slug}-span`` / ``-days``; return the names."""
    names = {}
    for row in phases.itertuples():
        key = f"{prefix}-{slug(row.phase)}"
        glue_words(f"{key}-span", date_span(row.start, row.end))
        glue_words(f"{key}-days", int(row.days))
        names[row.phase] = key
    return names


def glue_all(prefix: str, values: Mapping[str, str | int | float]) -> list[str]:
    """Glue every named value as ``{prefix}-{name}`` (glue_words); return the glued names, in order."""
    names = []
    for name, value in values.items():
        glue_words(f"{prefix}-{name}", value)
        names.append(f"{prefix}-{name}")
    return names


# The card's tools: what a reader takes away from a figure or table (issue 15.1). -----------------


def _table_rows(shown: pd.DataFrame, formats: Mapping[str, str], index: bool) -> pd.DataFrame:
    """A table's rows for its CSV: the values as shown (with the table's formats, missing left empty)."""
    out = shown.reset_index() if index else shown.copy()
    for col, spec in formats.items():
        out[col] = [None if is_missing(v) else format(v, spec) for v in out[col]]
    return out


def _alternative_cells(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows as text for the table under a chart: id columns left out, source ids and labelled values inside
    other cells (a hover text's "(source, locator)") shown as short titles and labels, missing values as '–'."""
    shown = [c for c in rows.columns if not (str(c) == "source_id" or str(c).endswith("_id"))]
    words = reader_words()
    pattern = _code_pattern(words)
    return pd.DataFrame(
        {
            str(col): [
                "–"
                if is_missing(v)
                else f"{v:%Y-%m-%d}"
                if isinstance(v, pd.Timestamp)
                else _cell(str(v), words, pattern)
                for v in rows[col]
            ]
            for col in shown
        }
    )


def _download_text(name: str, rows: pd.DataFrame) -> str:
    return f"[download {name}.csv: {len(rows)} rows, columns {', '.join(map(str, rows.columns))}]"


def card_tools(kind: str, name: str, rows: pd.DataFrame, caption: str, alternative: bool = False) -> str:
    """HTML after a figure's or table's caption: a "Download data" link to a CSV of ``rows`` with their sources,
    locators and evidence grades (cards.csv_text), and, with ``alternative``, the rows as a table in a closed
    ``<details>`` for readers who cannot use the chart's hover (keyboard, screen readers)."""
    from .cards import csv_text, download_link, with_provenance

    if not isinstance(rows, pd.DataFrame):
        raise TypeError(f"{kind} {name!r}: rows must be the DataFrame of the rows it shows, not {type(rows).__name__}")
    if kind == "figure" and len(rows) == 0:
        raise ValueError(f"figure {name!r}: rows is empty; pass the rows the figure draws")
    descriptions = dict(rows.attrs.get("descriptions", {}))  # a helper's words for columns it derived
    rows = with_provenance(rows)
    what = (
        "One row per row of the table as the book shows it."
        if kind == "table"
        else "The rows the figure draws, one per mark (bar, dot, segment or tie), with where each comes from."
    )
    text = csv_text(
        rows, f'Data behind the {kind} "{name}" in Karabakh 2020 in Data. {caption}', what, descriptions=descriptions
    )
    link = download_link(f"{name}.csv", text.encode("utf-8"), "text/csv", "Download data (CSV)")
    tools = f'<p class="k20-card-tools">{link}</p>'
    if alternative:
        cells = _alternative_cells(rows)
        table_html = cells.to_html(index=False, border=0, classes=["k20-table", "k20-alt-table"], escape=True)
        tools += (
            f'<details class="k20-alt" id="data-{name}"><summary>The chart as a table '
            f"({len(cells)} rows)</summary>{table_html}</details>"
        )
    return f'<div class="k20-card">{tools}</div>'


_SWATCH = (
    "display:inline-block;width:1.6em;height:0.95em;margin-right:0.5em;vertical-align:-0.1em;border:1px solid #555;"
)
#: CSS backgrounds drawing a bar's hatching (a plotly pattern shape) in colour {ink} on a colour key swatch.
_SWATCH_PATTERNS = {
    "": "",
    "/": "background-image:repeating-linear-gradient(-45deg,{ink} 0 2px,transparent 2px 6px);",
    "-": "background-image:repeating-linear-gradient(0deg,{ink} 0 1px,transparent 1px 4px);",
    ".": "background-image:radial-gradient({ink} 1px,transparent 1.4px);background-size:5px 5px;",
}


def _swatch_style(colour: str, pattern: str, hatch: str) -> str:
    return f"{_SWATCH}background-color:{colour};{_SWATCH_PATTERNS[pattern].format(ink=hatch)}"


def colour_key(key: pd.DataFrame, name: str) -> Block:
    """A colour key (a charts.colour_key() frame) as HTML: per group a heading and one swatch and meaning per colour,
    hatched as the charts hatch it."""
    _check_name(name)
    colours = pd.concat([key["colour"], key.loc[key["pattern"] != "", "hatch"]])
    bad = sorted(str(c) for c in colours if not re.fullmatch(r"#[0-9A-Fa-f]{6}|white", str(c)))
    if bad:
        raise ValueError(f"colour key {name!r}: colours that are not '#rrggbb': {bad}")
    parts, lines = [], []
    for group, rows in key.groupby("group", sort=False):
        items = "".join(
            '<li style="list-style:none;margin:0.15em 0;">'
            f'<span aria-hidden="true" style="{_swatch_style(colour, pattern, hatch)}"></span>'
            f"{html_text(meaning)}</li>"
            for meaning, colour, pattern, hatch in zip(rows["meaning"], rows["colour"], rows["pattern"], rows["hatch"])
        )
        parts.append(
            f'<div class="k20-key-group"><p style="font-weight:600;margin:0.6em 0 0.2em 0;">{html_text(str(group))}</p>'
            f'<ul style="padding-left:0;margin:0;">{items}</ul></div>'
        )
        lines.append(f"{group}: " + "; ".join(f"{m} {c}" for m, c in zip(rows["meaning"], rows["colour"])))
    return Block(f'<div class="k20-colour-key" id="key-{name}">{"".join(parts)}</div>', "\n".join(lines))
