"""One visual identity for the book: fixed colours, fonts, titles that state a finding, source lines.

Colours come from the Okabe-Ito palette, which stays distinguishable with the common forms of
colour blindness. A side, a source perspective or a loss status has the same colour in every
chart. Builders return figures (plotly for interactive charts, matplotlib for static drawings)
and never show them.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

from .words import plotly_text  # noqa: F401  (builders call charts.plotly_text)

if TYPE_CHECKING:  # matplotlib is imported where a static drawing is made
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure
    from matplotlib.text import Text

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}
SIDE_COLOURS = {
    "azerbaijan": OKABE_ITO["blue"],
    "armenia": OKABE_ITO["vermillion"],
    "artsakh": OKABE_ITO["orange"],
    "russia": OKABE_ITO["grey"],
    "iran": OKABE_ITO["green"],
    "syria": OKABE_ITO["purple"],
    "both": OKABE_ITO["black"],
    "other": OKABE_ITO["grey"],
}
#: The colours of everything that is not a side: statuses, categories, lanes, kinds of event. Dark,
#: low-chroma "ink" tones: the sides' colours are saturated and of middle lightness, so darkness keeps the
#: two apart also for colour-blind readers (tests/test_charts.py measures the differences, with simulated
#: colour-vision deficiencies too). All have at least 4.5:1 contrast on white, so thin lines and small
#: markers stay visible; charts add shapes or hatching where two tones are close for some readers.
NEUTRAL = {
    "ink": "#222222",
    "umber": "#3C240C",
    "graphite": "#484848",
    "sepia": "#6C543C",
    "slate": "#3C546C",
    "stone": "#6C6C6C",
}
#: Areas that only set something off (period shading, marks drawn for orientation): not a side's grey.
SHADE = NEUTRAL["stone"]
#: A source's perspective (the crowd-size chart): a kind of document, not a side.
PERSPECTIVE_COLOURS = {
    "encyclopedic": NEUTRAL["slate"],
    "journalistic": NEUTRAL["stone"],
    "south-azerbaijani-activist": NEUTRAL["umber"],
    "azerbaijani-government": NEUTRAL["sepia"],
}
#: Loss statuses of documented equipment, dark to light: what the owner lost by destruction or damage in
#: solid ink tones (darkest the worst), the rest hatched so that no light tint stands alone: abandoned
#: (horizontal lines), taken by the other side (slate, diagonal lines), a total given without parts (dots).
STATUS_COLOURS = {
    "destroyed": NEUTRAL["umber"],
    "damaged": NEUTRAL["sepia"],
    "abandoned": "#B3A189",
    "captured": NEUTRAL["slate"],
    "captured-then-lost": "#97A3B1",
    "stated-total": "#DDD6CB",
}
#: The hatching of each status as a plotly bar pattern shape ('' is solid).
STATUS_PATTERNS = {
    "destroyed": "",
    "damaged": "",
    "abandoned": "-",
    "captured": "/",
    "captured-then-lost": "/",
    "stated-total": ".",
}


def pattern_ink(colour: str) -> str:
    """The colour to hatch a bar of ``colour`` with: white on the dark ink tones, ink on lighter tints."""
    return "white" if colour in NEUTRAL.values() else NEUTRAL["ink"]


#: Lanes of the timeline. The two lanes named after a country (events inside Azerbaijan, events in Iran)
#: keep that side's colour; the front-line and international lanes are no side's and take ink tones.
LANE_COLOURS = {
    "Azerbaijan": OKABE_ITO["blue"],
    "Front line and diplomacy": NEUTRAL["ink"],
    "Iran": OKABE_ITO["green"],
    "International": NEUTRAL["sepia"],
}
FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"  # system fonts only: the book loads no web fonts
FONT_SIZE, TITLE_SIZE, NOTE_SIZE = 13, 17, 11
#: Characters per line of a chart title (plotly does not wrap text; this fits the book's column),
#: pixels per title line, and legend entries per row when the legend sits above the plot.
TITLE_CHARS, TITLE_LINE_PX, LEGEND_PER_ROW = 62, 24, 3


def source_line(source_ids: Iterable[str], sources: pd.DataFrame) -> str:
    """'Source: ...' naming each document by its short title once, in a stable order.

    The short titles (sources.csv ``short_title``) stand for the documents listed on the Sources
    page; report.py turns each into a link to its entry there (report.source_html).
    """
    table = sources.set_index("source_id")
    names = []
    for sid in sorted(set(source_ids)):
        if sid not in table.index:
            raise KeyError(f"unknown source_id {sid!r} (not in sources.csv)")
        names.append(str(table.loc[sid, "short_title"]))
    return ("Sources: " if len(names) > 1 else "Source: ") + "; ".join(names)


def wrap(text: str, width: int) -> str:
    """Plain text broken at spaces into lines of at most ``width`` characters, each escaped for plotly
    (words.plotly_text), joined with plotly's '<br>'.

    Words are never split, not even at hyphens (ids like wp-karabakh-war-2020 stay whole), so a word
    longer than ``width`` has a line of its own.
    """
    lines = textwrap.wrap(str(text), width=width, break_on_hyphens=False, break_long_words=False)
    return "<br>".join(plotly_text(line) for line in lines) or plotly_text(text)


def plotly_cells(values: pd.DataFrame | pd.Series) -> list:
    """Hover data (``customdata``, ``text``) for plotly: every text cell escaped with words.plotly_text,
    other values (numbers, dates, missing) as they are; a list of rows for a frame."""

    def cell(value: object) -> object:
        return plotly_text(value) if isinstance(value, str) else value

    if isinstance(values, pd.Series):
        return [cell(v) for v in values.astype(object)]
    return [[cell(v) for v in row] for row in values.astype(object).itertuples(index=False, name=None)]


def plotly_title(title: str) -> str:
    """A chart title for plotly: wrapped to the book's column, or, if it has '<br>', broken there and
    nowhere else; every other character shows as itself."""
    if "<br>" in title:
        return "<br>".join(plotly_text(part) for part in title.split("<br>"))
    return wrap(title, TITLE_CHARS)


def style_plotly(
    fig: go.Figure, title: str, source: str, x_title: str | None = None, y_title: str | None = None
) -> go.Figure:
    """Apply the book's look to a plotly figure (title, axis titles, fonts) and record its source line.

    The source line is not drawn inside the chart: plotly cannot wrap text to the width a reader's
    screen gives it, so on a phone a line under the axis ran off the figure or over the axis titles.
    It is kept in ``layout.meta["source"]``, and report.interactive refuses a caption that does not
    carry it: the caption sits under the chart in the same ``<figure>``, as text that wraps.
    """
    title = plotly_title(title)
    entries = sum(1 for t in fig.data if t.showlegend is not False and t.name)
    legend_rows = math.ceil(entries / LEGEND_PER_ROW) if entries > 1 else 0
    fig.update_layout(
        template="simple_white",
        # The title hangs from the top edge; the legend sits on the plot; the top margin holds both.
        title={
            "text": title,
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
            "pad": {"t": 16},
            "font": {"size": TITLE_SIZE},
        },
        font={"family": FONT, "size": FONT_SIZE},
        margin={"l": 70, "r": 30, "t": 24 + TITLE_LINE_PX * (title.count("<br>") + 1) + 22 * legend_rows, "b": 70},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
        meta={"source": source},
    )
    if x_title is not None:
        fig.update_xaxes(title_text=plotly_text(x_title))
    if y_title is not None:
        fig.update_yaxes(title_text=plotly_text(y_title))
    return fig


def stacked_bars(
    frame: pd.DataFrame,
    x: str,
    y: str,
    colour: str,
    colours: Mapping[str, str],
    title: str,
    source: str,
    x_title: str,
    y_title: str,
    facet: str | None = None,
) -> go.Figure:
    """Stacked bars of ``y`` by ``x``, one colour per value of ``colour`` (optionally grouped by ``facet``)."""
    fig = go.Figure()
    for key in [k for k in colours if k in set(frame[colour].astype(str))]:
        part = frame[frame[colour].astype(str) == key]
        shown = part[x].astype(str).map(plotly_text)
        px = shown if facet is None else [part[facet].astype(str).map(plotly_text), shown]
        fig.add_trace(
            go.Bar(
                x=px,
                y=part[y],
                name=plotly_text(key),
                marker_color=colours[key],
                hovertemplate=f"%{{x}}<br>{plotly_text(key)}: %{{y}}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    if facet is None:
        fig.update_xaxes(
            categoryorder="array", categoryarray=[plotly_text(v) for v in dict.fromkeys(frame[x].astype(str))]
        )
    return style_plotly(fig, title, source, x_title, y_title)


# --------------------------------------------------------------------------- palettes of the chapters
# Every chart colour is named here, so a reader learns the colours once.

#: One colour per reporter kind of a casualty figure ("own side" and "other side" are relative to the
#: figure's subject, so they are not side colours).
REPORTER_COLOURS = {
    "official": NEUTRAL["ink"],
    "own side": NEUTRAL["sepia"],
    "other side": NEUTRAL["slate"],
    "third party": NEUTRAL["umber"],
    "unattributed": NEUTRAL["stone"],
}
#: A documenter's count beside a claim (ink), and the claimant camps of equipment-loss claims: a camp is a
#: side, so it keeps the side's colour.
DOCUMENTED_COLOUR = NEUTRAL["ink"]
CAMP_COLOURS = {"azerbaijan": SIDE_COLOURS["azerbaijan"], "armenia-artsakh": SIDE_COLOURS["armenia"]}
#: Event categories in the protests chapter's sequence chart (the same tone for a category wherever
#: two chapters share it: protest slate, arrests sepia, fighting ink).
EVENT_CATEGORY_COLOURS = {
    "clash": NEUTRAL["ink"],
    "humanitarian": NEUTRAL["graphite"],
    "protest": NEUTRAL["slate"],
    "detention": NEUTRAL["sepia"],
    "statement": NEUTRAL["stone"],
    "political": NEUTRAL["umber"],
}
#: Event categories on the Iran-rallies chapter's map and timeline, with a marker shape each on the timeline.
RALLY_CATEGORY_COLOURS = {
    "protest": NEUTRAL["slate"],
    "detention": NEUTRAL["sepia"],
    "trial": NEUTRAL["ink"],
}
RALLY_CATEGORY_SYMBOLS = {"protest": "circle", "detention": "square", "trial": "diamond"}
#: Kinds of mark on the war chapter's time axis and map (each has its own shape there, war.MARK_STYLE).
WAR_COLOURS = {
    "capture": NEUTRAL["sepia"],
    "held-1994": NEUTRAL["slate"],
    "ceasefire": NEUTRAL["graphite"],
    "agreement": NEUTRAL["umber"],
    "clash": NEUTRAL["ink"],
    "other": NEUTRAL["stone"],
}
#: Relation families of the network drawings (edges between side-coloured nodes, so ink tones).
FAMILY_COLOURS = {
    "Conflict and diplomacy": NEUTRAL["sepia"],
    "Detention and courts": NEUTRAL["slate"],
    "Membership and office": NEUTRAL["stone"],
}
#: Nodes of no belligerent side in the network drawings: lighter than SIDE_COLOURS["russia"].
OTHER_COLOUR = "#d9d9d9"
#: Colours given in turn to names with no fixed colour (courts): the ink tones; stone is kept for "not stated".
CYCLE = tuple(NEUTRAL[k] for k in ("slate", "sepia", "umber", "ink", "graphite"))
#: Every palette that must not use a side's colour, by name (tests and the colour key read it).
NON_SIDE_PALETTES: dict[str, Mapping[str, str]] = {
    "status": STATUS_COLOURS,
    "perspective": PERSPECTIVE_COLOURS,
    "reporter": REPORTER_COLOURS,
    "event category": EVENT_CATEGORY_COLOURS,
    "rally category": RALLY_CATEGORY_COLOURS,
    "war mark": WAR_COLOURS,
    "relation family": FAMILY_COLOURS,
    "lane (no side)": {k: v for k, v in LANE_COLOURS.items() if k in ("Front line and diplomacy", "International")},
    "court": {f"court {i + 1}": c for i, c in enumerate(CYCLE)},
}
#: The colour key of "How to read this book": per group, (reader's label, palette, key) in the order shown.
KEY_GROUPS: tuple[tuple[str, Mapping[str, str], Mapping[str, str]], ...] = (
    (
        "Sides",
        {**SIDE_COLOURS, "none": OTHER_COLOUR},
        {
            "azerbaijan": "Azerbaijan",
            "armenia": "Armenia",
            "artsakh": 'the self-declared republic the data calls "Artsakh"',
            "iran": "Iran",
            "russia": "Russia",
            "none": "no side (network drawings)",
        },
    ),
    (
        "Equipment lost, by status",
        STATUS_COLOURS,
        {
            "destroyed": "destroyed",
            "damaged": "damaged",
            "abandoned": "abandoned (lined)",
            "captured": "captured (hatched)",
            "captured-then-lost": "captured, then lost again (hatched)",
            "stated-total": "a total with no breakdown (dotted)",
        },
    ),
    (
        "Who gave a casualty figure",
        REPORTER_COLOURS,
        {k: k for k in REPORTER_COLOURS},
    ),
    (
        "A source document's perspective",
        PERSPECTIVE_COLOURS,
        {
            "encyclopedic": "encyclopedia article",
            "journalistic": "news analysis",
            "south-azerbaijani-activist": "activist report on Azerbaijanis in Iran",
            "azerbaijani-government": "commentary from the Azerbaijani government's point of view",
        },
    ),
    (
        "Kinds of event (protests chapter)",
        EVENT_CATEGORY_COLOURS,
        {
            "clash": "fighting",
            "protest": "protest",
            "detention": "police and prosecution",
            "humanitarian": "deaths and funerals",
            "statement": "statement",
            "political": "political",
        },
    ),
    (
        "Kinds of event (Iran rallies chapter; each also has its own shape)",
        RALLY_CATEGORY_COLOURS,
        {
            "protest": "rally or public display (circle)",
            "detention": "arrest, raid or summons (square)",
            "trial": "court ruling (diamond)",
        },
    ),
    (
        "The war on a time axis and map",
        WAR_COLOURS,
        {
            "capture": "capture reported (large circle)",
            "held-1994": "district held by Armenian forces before the war (open diamond)",
            "ceasefire": "ceasefire (square)",
            "agreement": "statement and deadline",
            "clash": "fighting or strike (cross)",
            "other": "other war event (small circle)",
        },
    ),
    (
        "Ties in the network drawings",
        FAMILY_COLOURS,
        {k: k.lower() for k in FAMILY_COLOURS},
    ),
    (
        "Timeline lanes that are no side's",
        NON_SIDE_PALETTES["lane (no side)"],
        {k: k.lower() for k in NON_SIDE_PALETTES["lane (no side)"]},
    ),
)


def colour_key() -> pd.DataFrame:
    """The book's colour key, one row per colour: group, what it means (reader's words), colour, hatching (a plotly
    pattern shape, '' for solid) and the hatching's colour."""
    rows = []
    for group, colours, labels in KEY_GROUPS:
        for key, label in labels.items():
            pattern = STATUS_PATTERNS.get(key, "") if colours is STATUS_COLOURS else ""
            hatch = pattern_ink(colours[key]) if pattern else ""
            rows.append({"group": group, "meaning": label, "colour": colours[key], "pattern": pattern, "hatch": hatch})
    return pd.DataFrame(rows, columns=["group", "meaning", "colour", "pattern", "hatch"])


def cycle_colours(names: Iterable[str], missing: str) -> dict[str, str]:
    """A fixed colour per name, given from CYCLE in sorted order of the names; grey for ``missing`` (a name not
    stated)."""
    named = sorted(n for n in set(map(str, names)) if n != missing)
    colours = {n: CYCLE[i % len(CYCLE)] for i, n in enumerate(named)}
    colours[missing] = NEUTRAL["stone"]
    return colours


# --------------------------------------------------------------------------- sizing: header, legend, plot height

#: Characters per line of a wrapped category label on a horizontal bar chart.
LABEL_WIDTH = 34


def plot_height(labels: list[str], line_px: int = 17, row_pad: int = 22) -> int:
    """Pixels a horizontal chart's plot area needs for these (wrapped, '<br>'-separated) category labels."""
    return sum(line_px * (str(label).count("<br>") + 1) + row_pad for label in labels)


def fit_labelled_bars(fig: go.Figure, title: str, source: str, x_title: str, plot_px: int) -> go.Figure:
    """The book's style for a chart with long labels: wrapped title, a one-column legend between title and
    plot, and a plot area of ``plot_px`` pixels (the caption, not the chart, carries the source line)."""
    fig = style_plotly(fig, title, source, x_title, None)  # wraps the title
    n_title = str(fig.layout.title.text).count("<br>") + 1
    entries = sum(1 for t in fig.data if t.showlegend is not False and t.name)
    has_title = bool(fig.layout.legend.title.text)
    title_px, legend_px = 24 + 22 * n_title, 20 * (entries + has_title) + 12
    top, bottom = title_px + legend_px, 80
    height = top + bottom + max(plot_px, 160)
    fig.update_layout(
        height=height,
        margin={"t": top, "b": bottom, "l": 10, "r": 90},
        legend={
            "orientation": "v",
            "x": 0,
            "xref": "paper",
            "xanchor": "left",
            "y": 1 - title_px / height,
            "yref": "container",
            "yanchor": "top",
            "traceorder": "normal",
            "title": {"side": "top"},
        },
        title={"y": 1.0, "yref": "container", "yanchor": "top", "pad": {"t": 16}},
    )
    return fig


def fit_header(fig: go.Figure, title: str, legend_rows: int, line_px: int = 22) -> go.Figure:
    """Leave room above the plot for a title of several lines ('<br>'-separated) and a legend of ``legend_rows``
    rows."""
    lines = title.count("<br>") + 1
    fig.update_layout(
        title={"y": 1.0, "yref": "container", "yanchor": "top", "pad": {"t": 14}},
        legend={
            "orientation": "v" if legend_rows > 1 else "h",
            "y": 1.01,
            "yanchor": "bottom",
            "x": 0,
            "xanchor": "left",
        },
        margin={"t": 30 + line_px * (lines + legend_rows)},
    )
    return fig


def top_space(fig: go.Figure, margin: int) -> go.Figure:
    """Pin a styled figure's title to the top edge and leave ``margin`` pixels above the plot for title and legend."""
    return fig.update_layout(
        title={"y": 1, "yanchor": "top", "yref": "container", "pad": {"t": 22}}, margin={"t": margin}
    )


def fit_rows(fig: go.Figure, rows: int, per_row: int = 34, legend: bool = True) -> go.Figure:
    """Size a horizontal chart to its rows for a narrow page column: title wrapped, legend below.

    Everything below the plot is placed in pixels, so it stays put whatever the number of rows:
    axis title, then the legend (if any).
    """
    top, plot = 90, rows * per_row
    bottom = 190 if legend else 70  # axis title, then the legend (about 120 pixels)
    fig.update_layout(height=plot + top + bottom, margin={"t": top, "b": bottom, "l": 10, "r": 20})
    if legend:
        fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -70 / plot, "x": 0, "xanchor": "left"})
    fig.update_yaxes(automargin=True)
    return fig


# --------------------------------------------------------------------------- sizing: the phone layout

#: A phone's column (390-px screen) and what fits it: title characters per line at NARROW_TITLE_SIZE,
#: characters per line of a category label set above its bar, pixels per character of legend text.
NARROW_COLUMN, NARROW_TITLE_CHARS, NARROW_TITLE_SIZE, NARROW_FONT_SIZE = 342, 34, 15, 12
NARROW_LABEL_CHARS, NARROW_LEGEND_SIZE, LEGEND_CHAR_PX, LEGEND_ITEM_PX, LEGEND_ROW_PX = 46, 11, 6.8, 44, 21
#: Characters per line of a legend entry on a phone (longer names are wrapped there).
NARROW_LEGEND_CHARS = 36
#: Characters per line of an axis title on a phone.
NARROW_AXIS_CHARS = 28
#: Characters per line of a label drawn beside a mark (a node's name) on a phone.
NARROW_MARK_CHARS = 22
#: A bar's thickness and a label line's height (pixels) when labels sit above their bars.
NARROW_BAR_PX, NARROW_LABEL_LINE_PX = 16, 14


def _plain(text: object) -> str:
    """A plotly text as one line: '<br>' breaks and other tags become spaces, entities stay."""
    return " ".join(re.sub(r"<[^>]+>", " ", str(text or "")).split())


def _rewrap(text: object, width: int) -> str:
    """A plotly text (one line or '<br>'-broken) broken afresh at spaces into lines of at most ``width``
    characters."""
    return "<br>".join(textwrap.wrap(_plain(text), width, break_on_hyphens=False)) if text else ""


def _legend_entries(fig: go.Figure) -> list[str]:
    """The names the figure's legend shows (plotly shows a legend for two or more named traces, or when told)."""
    named = [_plain(t.name) for t in fig.data if t.showlegend is not False and t.name]
    shown = fig.layout.showlegend
    return named if shown or (shown is None and len(named) > 1) else []


def legend_rows(names: Sequence[str], width: int) -> int:
    """Rows a horizontal plotly legend of these entries takes in ``width`` pixels: one row if they all fit side by
    side, else a grid of columns as wide as the widest entry (plotly's rule)."""
    items = [LEGEND_ITEM_PX + LEGEND_CHAR_PX * max(len(line) for line in html.unescape(n).split("<br>")) for n in names]
    lines = max((n.count("<br>") + 1 for n in names), default=1)
    if not items:
        return 0
    if sum(items) <= width:
        return lines
    columns = max(1, int(width // max(items)))
    return math.ceil(len(items) / columns) * lines


def _categories(fig: go.Figure) -> list[str]:
    """The category labels of a chart whose y axis lists text categories (horizontal bars, rows of marks), top
    first; empty for any other chart."""
    axes = {t.yaxis or "y" for t in fig.data}
    if axes != {"y"} or fig.layout.yaxis.type not in (None, "category", "-"):
        return []
    values = [v for t in fig.data if t.y is not None for v in t.y]
    if not values or not all(isinstance(v, str) for v in values):
        return []
    order = fig.layout.yaxis.categoryarray
    cats = list(order) if order is not None else list(dict.fromkeys(values))
    return list(reversed(cats))  # plotly lists category axes from the bottom up


def narrow_layout(fig: go.Figure, height: int) -> dict:
    """The figure's phone layout, for a column narrower than 600 pixels, given its desktop ``height``:
    ``{"layout": overrides, "traces": {trace index: {"name" or "text": wrapped}}, "height": pixels}``, which the book's
    loader (book/_static/k20-plots.js) lays over the figure there.

    The title is wrapped for the phone's column, the legend packed in rows under it, text no smaller than
    11 pixels, at most six ticks on a date or number axis, and long category labels set above their bars
    instead of beside them (they took half the width). The source line stays in the caption.
    """
    layout = fig.layout
    margin = layout.margin
    cats = _categories(fig)
    cats_above = bool(cats) and max(len(_plain(c)) for c in cats) > 16
    old_top = margin.t if margin.t is not None else 100
    old_bottom = margin.b if margin.b is not None else 80
    title_lines = textwrap.wrap(
        _plain(layout.title.text), NARROW_TITLE_CHARS, break_on_hyphens=False, break_long_words=False
    )
    title_px = 18 + 21 * len(title_lines) if title_lines else 10
    traces: dict[int, dict] = {}
    for i, t in enumerate(fig.data):
        if t.name and len(_plain(t.name)) > NARROW_LEGEND_CHARS:
            traces.setdefault(i, {})["name"] = _rewrap(t.name, NARROW_LEGEND_CHARS)
        text = getattr(t, "text", None)
        if "text" in str(getattr(t, "mode", "") or "") and isinstance(text, list | tuple) and not _right_text_px(t):
            if any(len(_plain(x)) > NARROW_MARK_CHARS for x in text):  # long labels of marks: two lines or more
                traces.setdefault(i, {})["text"] = [_rewrap(x, NARROW_MARK_CHARS) for x in text]
    entries = [
        traces.get(i, {}).get("name", _plain(t.name))
        for i, t in enumerate(fig.data)
        if t.showlegend is not False and t.name
    ]
    entries = entries if _legend_entries(fig) else []
    legend_title = _plain(layout.legend.title.text) if entries else ""
    right = max((_right_text_px(t) for t in fig.data), default=0)
    out: dict = {
        "font": {"size": NARROW_FONT_SIZE},
        "title": {
            "text": "<br>".join(title_lines),
            "font": {"size": NARROW_TITLE_SIZE},
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 12},
        },
        "margin": {"r": max(16, right + 8)},
    }
    left = 8 if cats_above else (margin.l if margin.l is not None else 80)
    legend_width = NARROW_COLUMN - left - out["margin"]["r"]
    legend_px = (LEGEND_ROW_PX * (legend_rows(entries, legend_width) + bool(legend_title)) + 6) if entries else 0
    top, bottom, plot = title_px + legend_px + 6, old_bottom, height - old_top - old_bottom
    if entries and layout.legend.y is not None and layout.legend.y < 0 and layout.legend.yref != "container":
        bottom = max(70, old_bottom - 120)  # fit_rows kept room for a legend under the plot: it moves to the top
    if cats_above:  # long labels: above their bars
        labels = {
            c: textwrap.wrap(_plain(c), NARROW_LABEL_CHARS, break_on_hyphens=False, break_long_words=False) or [""]
            for c in cats
        }
        label_px = NARROW_LABEL_LINE_PX * max(len(v) for v in labels.values())
        row = label_px + NARROW_BAR_PX + 8
        plot = row * len(cats)
        top += max(0, (label_px - (row - NARROW_BAR_PX) // 2)) + 2
        out["bargap"] = round(1 - NARROW_BAR_PX / row, 3)
        out["yaxis"] = {"showticklabels": False, "automargin": False, "ticks": ""}
        out["margin"]["l"] = 8
        out["annotations"] = [a.to_plotly_json() for a in layout.annotations] + [
            {
                "text": "<br>".join(labels[c]),
                "x": 0,
                "xref": "paper",
                "xanchor": "left",
                "y": c,
                "yref": "y",
                "yanchor": "bottom",
                "yshift": NARROW_BAR_PX // 2 + 1,
                "align": "left",
                "showarrow": False,
                "font": {"size": NARROW_LEGEND_SIZE},
            }
            for c in cats
        ]
    if any(not isinstance(v, str) for t in fig.data if t.x is not None for v in list(t.x)[:1]):
        out["xaxis"] = {"nticks": 6}
    x_title = _plain(layout.xaxis.title.text)
    if len(x_title) > NARROW_AXIS_CHARS:  # an axis title the phone's width cannot hold on one line
        wrapped = textwrap.wrap(x_title, NARROW_AXIS_CHARS, break_on_hyphens=False)
        out.setdefault("xaxis", {})["title"] = {"text": "<br>".join(wrapped)}
        bottom += 16 * (len(wrapped) - 1)
    total = top + plot + bottom
    out["margin"].update({"t": top, "b": bottom})
    out["height"] = int(total)
    if entries:
        out["legend"] = {
            "orientation": "h",
            "x": 0,
            "xref": "container",
            "xanchor": "left",
            "y": 1 - (title_px + 2) / total,
            "yref": "container",
            "yanchor": "top",
            "font": {"size": NARROW_LEGEND_SIZE},
            "title": {"side": "top"},
        }
    own = layout.meta.get("narrow_annotations") if isinstance(layout.meta, dict) else None
    if own:  # the builder placed its labels for a phone's column itself (war.war_axis_figure: stacked wider)
        out["annotations"] = list(own)
    return {"layout": out, "traces": traces, "height": int(total)}


def _right_text_px(trace: object) -> int:
    """Pixels of the longest text a trace writes to the right of its marks (a number past a bar's end), or 0."""
    position = getattr(trace, "textposition", None)
    positions = position if isinstance(position, list | tuple) else [position]
    text = getattr(trace, "text", None)
    if text is None or not any(p in ("outside", "middle right", "top right", "bottom right") for p in positions):
        return 0
    texts = [text] if isinstance(text, str) else list(text)
    longest = max((len(html.unescape(_plain(t))) for t in texts), default=0)
    return min(130, int(longest * 7.2) + 6)


# --------------------------------------------------------------------------- static (matplotlib) drawings


def wrap_lines(text: str, width: int = 22) -> str:
    """A label wrapped onto lines of at most ``width`` characters (words are never split)."""
    return "\n".join(textwrap.wrap(str(text), width=width, break_long_words=False)) or str(text)


def fit_width(text: Text, inches: float, dpi: float = 110.0) -> Text:
    """The text, broken at spaces onto as many lines as it needs to end at most ``inches`` from the figure's left
    edge when drawn at ``dpi`` (report.static's default); unchanged if it does.

    Titles carry names from the data, which may be long; matplotlib's own ``wrap=True`` would read
    ``$`` as mathtext when it measures.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = text.get_figure(root=True)
    if fig is None:
        raise ValueError("fit_width(): the text is not on a figure")
    before = fig.dpi
    fig.set_dpi(dpi)  # glyph widths do not scale exactly with resolution: measure at the one the book draws with
    renderer = FigureCanvasAgg(fig).get_renderer()
    words = " ".join(text.get_text().split())
    width = len(words)
    while width > 10 and text.get_window_extent(renderer).x1 > inches * dpi:
        width = int(width * 0.9)
        text.set_text(textwrap.fill(words, width=width, break_long_words=False, break_on_hyphens=False))
    fig.set_dpi(before)
    return text


def static_frame(fig: Figure, title: str, source: str, handles: Sequence[Artist], ncol: int = 2) -> float:
    """A static figure's title (top), legend and source line (wrapped, at the foot), in the book's fonts.

    Returns the figure fraction at the foot they take, so the caller puts its axes above it.
    """
    height = fig.get_figheight()  # inches
    lines = textwrap.wrap(source, width=int(fig.get_figwidth() * 72 / ((NOTE_SIZE - 2) * 0.56)))
    foot = fig.text(
        0.02,
        0.05 / height,
        "\n".join(lines),
        fontsize=NOTE_SIZE - 2,
        color="#444444",
        fontfamily="DejaVu Sans",
        va="bottom",
        linespacing=1.3,
        parse_math=False,
    )
    fit_width(foot, fig.get_figwidth())  # wide characters (from the data) can outrun the estimate
    source_h = ((foot.get_text().count("\n") + 1) * (NOTE_SIZE - 2) * 1.3 + 4) / 72
    legend_h = (math.ceil(len(handles) / ncol) * (NOTE_SIZE - 1) * 1.75 + 8) / 72
    heading = fig.suptitle(
        title, x=0.02, ha="left", fontsize=TITLE_SIZE - 3, fontfamily="DejaVu Sans", parse_math=False
    )
    fit_width(heading, fig.get_figwidth())
    fig.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.02, (0.05 + source_h) / height),
        ncol=ncol,
        frameon=False,
        prop={"family": "DejaVu Sans", "size": NOTE_SIZE - 1},
    )
    return (0.15 + source_h + legend_h) / height
