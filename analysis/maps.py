"""Maps drawn with the book's plotly.js bundle: Natural Earth outlines as filled scatter traces, places on top.

No geo traces, no tiles: countries and lakes (``data/geography.csv``) are ordinary scatter traces
filled ``toself`` on longitude/latitude axes, the latitude axis stretched by 1/cos(latitude) at
the view's centre so that a kilometre is as long east-west as north-south (an equirectangular
projection true to scale at that latitude). Labels are laid out once, for a phone's column
(:data:`DESIGN_WIDTH` pixels), so they do not collide there and have room to spare on wider
screens: each label takes the first free spot next to its point or, failing that, sits further
off with a leader line.
"""

from __future__ import annotations

import difflib
import math
import unicodedata
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from . import charts
from .geography import clip_ring, feature_rings
from .words import plotly_text

LAND, WATER, BORDER, LAKE_EDGE = "#f3f1ec", "#dbe9f4", "#9a9a9a", "#a9c6dd"
#: Width in pixels of the plot area the labels are laid out for (a 390-px phone's column less margins).
DESIGN_WIDTH = 340
LABEL_SIZE = 11
#: Where the country and water names go on a map (the editor's choice of an empty spot; names only, no claims).
#: The first spot inside a map's view is used.
AREA_LABELS: dict[str, tuple[tuple[float, float], ...]] = {
    "AZERBAIJAN": ((47.75, 39.95),),
    "ARMENIA": ((44.75, 40.55),),
    "IRAN": ((49.3, 36.2), (46.05, 38.7)),
    "TURKEY": ((43.3, 39.9),),
    "GEORGIA": ((44.4, 41.7),),
    "IRAQ": ((44.55, 36.1),),
    "Caspian Sea": ((50.9, 39.6),),
    "Lake Urmia": ((45.62, 37.22),),
    "Lake Sevan": ((45.28, 40.33),),
    "Nakhchivan<br>(Azerbaijan)": ((45.55, 39.35),),
}


@dataclass(frozen=True)
class View:
    """The part of the world a map shows: degrees west, south, east, north."""

    west: float
    south: float
    east: float
    north: float

    @property
    def stretch(self) -> float:
        """How much longer a degree of latitude is drawn than a degree of longitude (1/cos of the centre latitude)."""
        return 1 / math.cos(math.radians((self.south + self.north) / 2))

    def contains(self, lon: float, lat: float) -> bool:
        """Whether the point is inside the view."""
        return self.west <= lon <= self.east and self.south <= lat <= self.north

    def px_per_degree(self, width: float = DESIGN_WIDTH) -> float:
        """Pixels per degree of longitude when the view is drawn ``width`` pixels wide."""
        return width / (self.east - self.west)


#: Where the two sides' names differ: Nagorno-Karabakh and the seven districts around it (admin_region).
CONTESTED_REGIONS = (
    "Nagorno-Karabakh",
    "Aghdam District",
    "Fuzuli District",
    "Jabrayil District",
    "Kalbajar District",
    "Gubadli District",
    "Lachin District",
    "Zangilan District",
)


def _fold(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name.lower()) if c.isalpha())


def other_side_names(places: pd.DataFrame) -> pd.Series:
    """Per place_id: the other side's form of a contested town's name ('Shushi' for Shusha), else missing.

    Contested towns are the towns and cities of :data:`CONTESTED_REGIONS`. The other form is an alias
    the sources use that is a different word (not a spelling: letters under 60% alike, no more words
    than the name), else the first of ``other_names`` (names no source uses; data/README.md).
    """
    out: dict[str, str | None] = {}
    places = places.reindex(
        columns=[*places.columns, *({"admin_region", "other_names", "aliases"} - set(places.columns))]
    )
    for row in places.itertuples():
        name = str(row.name)
        other = None
        if str(row.admin_region) in CONTESTED_REGIONS and str(row.kind) in ("town", "city"):
            aliases = [
                a
                for a in str(row.aliases).split("|")
                if isinstance(row.aliases, str)
                and a
                and len(a.split()) <= len(name.split())
                and difflib.SequenceMatcher(None, _fold(name), _fold(a)).ratio() < 0.6
            ]
            others = [o for o in str(row.other_names).split("|") if isinstance(row.other_names, str) and o]
            other = (aliases + others + [None])[0]
        out[row.place_id] = other
    return pd.Series(out, dtype=object)


def both_names(places: pd.DataFrame) -> pd.Series:
    """Per place_id: the name, and for towns of the contested area the other side's form in brackets.

    'Shusha (Shushi)', 'Stepanakert (Khankendi)' (the other form: :func:`other_side_names`). Other
    places keep their name.
    """
    others = other_side_names(places)
    names = places.set_index("place_id")["name"].astype(str)
    return pd.Series(
        {pid: f"{name} ({others[pid]})" if isinstance(others[pid], str) else name for pid, name in names.items()},
        dtype=object,
    )


def clipped(geography: pd.DataFrame, view: View, margin: float = 0.2) -> dict[str, list[list[tuple[float, float]]]]:
    """Per feature_id, its rings cut to the view plus ``margin`` degrees (what the map needs, and no more)."""
    box = (view.west - margin, view.south - margin, view.east + margin, view.north + margin)
    out = {}
    for feature_id in dict.fromkeys(geography["feature_id"]):
        rings = [r for r in (clip_ring(ring, box) for ring in feature_rings(geography, feature_id)) if r]
        if rings:
            out[feature_id] = rings
    return out


def _xy(rings: list[list[tuple[float, float]]]) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for ring in rings:
        xs += [p[0] for p in ring] + [None]
        ys += [p[1] for p in ring] + [None]
    return xs, ys


def base_map(geography: pd.DataFrame, view: View, area_labels: tuple[str, ...] = ()) -> go.Figure:
    """A figure with the view's countries (land, grey borders) and lakes on water, at true ground scale, no grid.

    ``area_labels`` names keys of :data:`AREA_LABELS` to write in the view (countries in capitals, water in blue).
    """
    fig = go.Figure()
    kinds = geography.drop_duplicates("feature_id").set_index("feature_id")["kind"]
    rings = clipped(geography, view)
    for kind, fill, line in (("country", LAND, BORDER), ("lake", WATER, LAKE_EDGE)):
        xs, ys = _xy([r for fid, rs in rings.items() if kinds[fid] == kind for r in rs])
        if xs:
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    fill="toself",
                    fillcolor=fill,
                    line={"color": line, "width": 1},
                    hoverinfo="skip",
                    showlegend=False,
                    name=f"{kind} outlines",
                )
            )
    for name in area_labels:
        spots = [spot for spot in AREA_LABELS[name] if view.contains(*spot)]
        if spots:
            lon, lat = spots[0]
            water = name.startswith(("Lake", "Caspian"))
            fig.add_annotation(
                x=lon,
                y=lat,
                text="<br>".join(plotly_text(n) for n in name.split("<br>")),
                showarrow=False,
                font={"size": 10, "color": "#4a7aa0" if water else "#8a8a8a"},
            )
    # Both axes: no grid, ticks or labels, a thin frame, and the plot kept to its domain.
    frame = {
        "showgrid": False,
        "zeroline": False,
        "showticklabels": False,
        "ticks": "",
        "showline": True,
        "linecolor": "#cccccc",
        "mirror": True,
        "constrain": "domain",
    }
    fig.update_xaxes(range=[view.west, view.east], **frame)
    fig.update_yaxes(range=[view.south, view.north], scaleanchor="x", scaleratio=view.stretch, **frame)
    fig.update_layout(plot_bgcolor=WATER, hovermode="closest")
    return fig


def scale_bar(fig: go.Figure, view: View, km: int) -> go.Figure:
    """Draw a ``km`` kilometre bar in the view's lower left corner, labelled."""
    degrees = km / (111.32 * math.cos(math.radians((view.south + view.north) / 2)))
    x0 = view.west + 0.04 * (view.east - view.west)
    y0 = view.south + 0.04 * (view.north - view.south)
    fig.add_trace(
        go.Scatter(
            x=[x0, x0 + degrees],
            y=[y0, y0],
            mode="lines",
            line={"color": "#444444", "width": 2},
            hoverinfo="skip",
            showlegend=False,
            name="scale",
        )
    )
    fig.add_annotation(
        x=x0,
        y=y0,
        text=f"{km} km",
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
        yshift=2,
        font={"size": 10, "color": "#444444"},
    )
    return fig


#: Label spots tried in order: (dx, dy) in pixels from the point (dy down), and whether a leader line is drawn.
_SPOTS = [(1, 0, False), (-1, 0, False), (0, -1, False), (0, 1, False)] + [
    (dx, dy, True)
    for r in (30, 48, 66)
    for dx, dy in (
        (r, -r * 0.6),
        (-r, -r * 0.6),
        (r, r * 0.6),
        (-r, r * 0.6),
        (r * 1.2, 0),
        (-r * 1.2, 0),
        (0, -r * 0.8),
        (0, r * 0.8),
    )
]


def place_labels(
    fig: go.Figure, points: pd.DataFrame, view: View, radius: pd.Series | None = None, width: float = DESIGN_WIDTH
) -> go.Figure:
    """Label each point (columns longitude, latitude, label) where its text collides with no marker or other label.

    Layout is computed for a plot ``width`` pixels wide; ``radius`` (pixels, per row) is each marker's size.
    The figure's existing annotations (area names) are obstacles too. A label that cannot sit beside
    its point goes further off with a thin leader line.
    """
    scale = view.px_per_degree(width)
    height = (view.north - view.south) * view.stretch * scale
    radius = pd.Series(6.0, index=points.index) if radius is None else radius
    px = {
        i: ((r.longitude - view.west) * scale, (view.north - r.latitude) * view.stretch * scale)
        for i, r in points.iterrows()
    }
    taken = [(x - radius[i], y - radius[i], x + radius[i], y + radius[i]) for i, (x, y) in px.items()]
    for note in fig.layout.annotations:  # area names, centred on their spot, 10 px type
        lines = str(note.text).split("<br>")
        w, h = 0.58 * 10 * max(len(line) for line in lines), 13 * len(lines)
        x, y = (note.x - view.west) * scale, (view.north - note.y) * view.stretch * scale
        taken.append((x - w / 2, y - h / 2, x + w / 2, y + h / 2))

    def free(box: tuple[float, float, float, float]) -> bool:
        x0, y0, x1, y1 = box
        if x0 < 0 or y0 < 0 or x1 > width or y1 > height:
            return False
        return all(x1 <= a0 or x0 >= a1 or y1 <= b0 or y0 >= b1 for a0, b0, a1, b1 in taken)

    order = sorted(px, key=lambda i: (-float(radius[i]), px[i][0], px[i][1]))  # big markers first
    for i in order:
        x, y = px[i]
        text = str(points.at[i, "label"])
        w, h = 0.58 * LABEL_SIZE * len(text) + 2, LABEL_SIZE + 3
        r = float(radius[i]) + 2
        choice = None
        for dx, dy, leader in _SPOTS:
            if not leader:
                cx = x + dx * (r + w / 2) if dx else x
                cy = y + dy * (r + h / 2) if dy else y
            else:
                cx, cy = x + dx + (w / 2 if dx > 0 else -w / 2 if dx < 0 else 0), y + dy
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            if free(box):
                choice = (dx, dy, leader, cx, cy, box)
                break
        if choice is None:  # nowhere free: the nearest spot to the right, accepted overlapping
            cx, cy = x + r + w / 2, y
            choice = (1, 0, False, cx, cy, (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
        dx, dy, leader, cx, cy, box = choice
        taken.append(box)
        common = {
            "x": points.at[i, "longitude"],
            "y": points.at[i, "latitude"],
            "text": plotly_text(text),
            "font": {"size": LABEL_SIZE, "color": "#222222"},
            "bgcolor": "rgba(255,255,255,0.75)",
            "borderpad": 1,
        }
        if leader:
            fig.add_annotation(
                **common,
                showarrow=True,
                arrowhead=0,
                arrowwidth=0.8,
                arrowcolor="#777777",
                ax=cx - x,
                ay=cy - y,
                standoff=float(radius[i]),
            )
        else:
            fig.add_annotation(**common, showarrow=False, xshift=cx - x, yshift=y - cy)
    return fig


#: Characters per title line on a map (a phone's column at the title's size).
MAP_TITLE_CHARS = 36
LEGEND_ROW_PX = 21


def finish(fig: go.Figure, title: str, source: str) -> go.Figure:
    """The book's style for a map: a title wrapped for a phone above, the legend below, small margins, no axis
    titles."""
    wrapped = "<br>".join(charts.wrap(part, MAP_TITLE_CHARS) for part in title.split("<br>"))
    charts.style_plotly(fig, title, source)
    fig.update_layout(title_text=wrapped)
    entries = sum(1 for t in fig.data if t.showlegend is not False and t.name)
    lines = wrapped.count("<br>") + 1
    fig.update_layout(
        margin={"l": 8, "r": 8, "t": 24 + charts.TITLE_LINE_PX * lines, "b": 12 + LEGEND_ROW_PX * entries},
        legend={"orientation": "h", "yanchor": "top", "y": -0.01, "xanchor": "left", "x": 0, "font": {"size": 12}},
    )
    return fig


def css_height(fig: go.Figure, view: View, tallest: int = 600) -> str:
    """A CSS height for the map's box that follows the column's width: the plot keeps the view's shape, plus margins.

    On a phone the legend takes one row per entry; on wider screens the plot stops growing at ``tallest`` px.
    """
    ratio = (view.north - view.south) * view.stretch / (view.east - view.west)
    margins = fig.layout.margin.t + fig.layout.margin.b
    return f"min({tallest + margins}px, calc({ratio:.3f} * (100vw - 48px) + {margins}px))"
