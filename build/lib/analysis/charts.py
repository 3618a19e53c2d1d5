"""One visual identity for the book: fixed colours, fonts, titles that state a finding, source lines.

Colours come from the Okabe-Ito palette, which stays distinguishable with the common forms of
colour blindness. A side, a source perspective or a loss status has the same colour in every
chart. Builders return figures (plotly for interactive charts, matplotlib for static drawings)
and never show them.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping

import networkx as nx
import pandas as pd
import plotly.graph_objects as go
from matplotlib.figure import Figure

from .words import literal_text, plotly_text  # noqa: F401  (builders call charts.plotly_text)

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "grey": "#999999",
}
SIDE_COLOURS = {
    "azerbaijan": OKABE_ITO["blue"], "armenia": OKABE_ITO["vermillion"], "artsakh": OKABE_ITO["orange"],
    "russia": OKABE_ITO["grey"], "iran": OKABE_ITO["green"], "syria": OKABE_ITO["purple"],
    "both": OKABE_ITO["black"], "other": OKABE_ITO["grey"],
}
PERSPECTIVE_COLOURS = {
    "encyclopedic": OKABE_ITO["sky"], "journalistic": OKABE_ITO["green"],
    "south-azerbaijani-activist": OKABE_ITO["purple"], "azerbaijani-government": OKABE_ITO["orange"],
}
STATUS_COLOURS = {
    "destroyed": OKABE_ITO["vermillion"], "damaged": OKABE_ITO["orange"], "abandoned": OKABE_ITO["yellow"],
    "captured": OKABE_ITO["blue"], "captured-then-lost": OKABE_ITO["sky"], "stated-total": OKABE_ITO["grey"],
}
LANE_COLOURS = {
    "Azerbaijan": OKABE_ITO["blue"], "Front line and diplomacy": OKABE_ITO["vermillion"],
    "Iran": OKABE_ITO["green"], "International": OKABE_ITO["grey"],
}
FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"  # system fonts only: the book loads no web fonts
FONT_SIZE, TITLE_SIZE, NOTE_SIZE = 13, 17, 11
#: Characters per line of a chart title (plotly does not wrap text; this fits the book's column),
#: pixels per title line, and legend entries per row when the legend sits above the plot.
TITLE_CHARS, TITLE_LINE_PX, LEGEND_PER_ROW = 62, 24, 3


def source_line(source_ids: Iterable[str], sources: pd.DataFrame) -> str:
    """'Source: ...' naming each document (title and publisher or author) once, in a stable order."""
    table = sources.set_index("source_id")
    names = []
    for sid in sorted(set(source_ids)):
        if sid not in table.index:
            raise KeyError(f"unknown source_id {sid!r} (not in sources.csv)")
        row = table.loc[sid]
        who = row["publisher"] if pd.notna(row["publisher"]) else row["author"]
        names.append(f"{row['title']}" + (f" ({who})" if pd.notna(who) else ""))
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


def style_plotly(fig: go.Figure, title: str, source: str, x_title: str | None = None,
                 y_title: str | None = None) -> go.Figure:
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
        title={"text": title, "x": 0, "xanchor": "left", "y": 1, "yanchor": "top", "yref": "container",
               "pad": {"t": 16}, "font": {"size": TITLE_SIZE}},
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


def stacked_bars(frame: pd.DataFrame, x: str, y: str, colour: str, colours: Mapping[str, str], title: str,
                 source: str, x_title: str, y_title: str, facet: str | None = None) -> go.Figure:
    """Stacked bars of ``y`` by ``x``, one colour per value of ``colour`` (optionally grouped by ``facet``)."""
    fig = go.Figure()
    for key in [k for k in colours if k in set(frame[colour].astype(str))]:
        part = frame[frame[colour].astype(str) == key]
        shown = part[x].astype(str).map(plotly_text)
        px = shown if facet is None else [part[facet].astype(str).map(plotly_text), shown]
        fig.add_trace(go.Bar(x=px, y=part[y], name=plotly_text(key), marker_color=colours[key],
                             hovertemplate=f"%{{x}}<br>{plotly_text(key)}: %{{y}}<extra></extra>"))
    fig.update_layout(barmode="stack")
    if facet is None:
        fig.update_xaxes(categoryorder="array",
                         categoryarray=[plotly_text(v) for v in dict.fromkeys(frame[x].astype(str))])
    return style_plotly(fig, title, source, x_title, y_title)


def loss_bars(documented: pd.DataFrame, title: str, source: str) -> go.Figure:
    """Documented equipment losses (a documented_losses() table) as bars per side and category, by status."""
    statuses = [s for s in STATUS_COLOURS if s in documented.columns]
    long = documented.melt(id_vars=["side", "category"], value_vars=statuses, var_name="status", value_name="items")
    return stacked_bars(long, "category", "items", "status", STATUS_COLOURS, title, source,
                        "Side and equipment category", "Items lost (visually confirmed)", facet="side")


def timeline_chart(frame: pd.DataFrame, phases: pd.DataFrame, title: str, source: str) -> go.Figure:
    """Events (a timeline_frame() table) as points in lanes, with the phases shaded behind them."""
    fig = go.Figure()
    lanes = [lane for lane in LANE_COLOURS if lane in set(frame["lane"].astype(str))]
    for lane in lanes:
        part = frame[frame["lane"].astype(str) == lane]
        fig.add_trace(go.Scatter(
            x=part["start"], y=[lane] * len(part), mode="markers", name=lane,
            marker={"color": LANE_COLOURS[lane], "size": 9, "line": {"width": 0.5, "color": "white"}},
            text=plotly_cells(part["title"].astype(str)),
            customdata=plotly_cells(part[["source_id", "locator"]].astype(str)),
            hovertemplate="%{x|%d %b %Y}<br>%{text}<br><i>%{customdata[0]}, %{customdata[1]}</i><extra></extra>",
        ))
    for i, p in enumerate(phases.itertuples()):
        fig.add_vrect(x0=p.start, x1=p.end + pd.Timedelta(days=1), fillcolor=OKABE_ITO["grey"],
                      opacity=0.12 if i % 2 == 0 else 0.2, line_width=0, annotation_text=plotly_text(p.phase),
                      annotation_position="top left", annotation_font_size=NOTE_SIZE)
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(lanes)))
    return style_plotly(fig, title, source, "Date", "Where it happened")


def network_figure(graph: nx.Graph, positions: Mapping[str, tuple[float, float]], title: str, source: str,
                   node_colour: Mapping[str, str] | None = None, labels: Mapping[str, str] | None = None,
                   size: tuple[float, float] = (10, 8)) -> Figure:
    """A static network drawing with the book's fonts, a title and a source line; positions are given (seeded)."""
    fig = Figure(figsize=size)  # not pyplot's: no backend, no global list of open figures
    ax = fig.subplots()
    simple = nx.Graph(graph)
    colours = [(node_colour or {}).get(n, OKABE_ITO["grey"]) for n in simple.nodes]
    nx.draw_networkx_edges(simple, positions, ax=ax, edge_color="#bbbbbb", width=0.7)
    nx.draw_networkx_nodes(simple, positions, ax=ax, node_color=colours, node_size=60, linewidths=0.3,
                           edgecolors="white")
    if labels:
        nx.draw_networkx_labels(simple, positions, labels=dict(labels), ax=ax, font_size=8,
                                font_family="DejaVu Sans")
    ax.set_axis_off()
    ax.set_title(title, loc="left", fontsize=TITLE_SIZE - 2, fontfamily="DejaVu Sans")
    fig.text(0.01, 0.01, source, fontsize=NOTE_SIZE - 2, color="#444444", fontfamily="DejaVu Sans")
    literal_text(fig)  # before tight_layout, which measures (and so parses) every text
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig
