"""The map geography and its drawing helpers: clipping, simplification, point in outline, labels, both names."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis import geography as geo
from analysis import maps

SQUARE = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)]


def test_simplify_keeps_ends_and_drops_points_within_tolerance() -> None:
    line = [(0.0, 0.0), (1.0, 0.001), (2.0, 0.0), (3.0, 1.0)]
    assert geo.simplify(line, 0.01) == [(0.0, 0.0), (2.0, 0.0), (3.0, 1.0)]
    assert geo.simplify(line, 0.0001) == line


def test_clip_ring_cuts_to_the_box_and_drops_rings_outside() -> None:
    clipped = geo.clip_ring(SQUARE, (2.0, -1.0, 10.0, 10.0))
    assert clipped[0] == clipped[-1] and min(x for x, _ in clipped) == 2.0 and max(x for x, _ in clipped) == 4.0
    assert geo.clip_ring(SQUARE, (5.0, 5.0, 6.0, 6.0)) == []


def test_inside_rings_uses_even_odd_so_holes_are_outside() -> None:
    hole = [(1.0, 1.0), (2.0, 1.0), (2.0, 2.0), (1.0, 2.0), (1.0, 1.0)]
    assert geo.inside_rings(3.0, 3.0, [SQUARE, hole])
    assert not geo.inside_rings(1.5, 1.5, [SQUARE, hole])
    assert not geo.inside_rings(5.0, 1.0, [SQUARE])


def test_country_at_reads_the_geography_table(real) -> None:
    g = real["geography"]
    assert geo.country_at(g, 49.87, 40.41) == "AZ"  # Baku
    assert geo.country_at(g, 44.51, 40.18) == "AM"  # Yerevan
    assert geo.country_at(g, 46.29, 38.08) == "IR"  # Tabriz
    assert geo.country_at(g, 45.41, 39.21) == "AZ"  # Nakhchivan, cut off from the rest of Azerbaijan
    assert geo.country_at(g, 50.5, 40.0) is None  # the Caspian
    assert geo.country_at(g, 45.45, 37.7) == "IR"  # Lake Urmia lies inside Iran's outline


def test_geography_resource_is_small_closed_and_in_the_region(real) -> None:
    g = real["geography"]
    assert set(g["kind"]) == {"country", "lake"}
    assert {"country-az", "country-am", "country-ir", "lake-urmia", "lake-sevan"} <= set(g["feature_id"])
    assert g["longitude"].between(37, 52.5).all() and g["latitude"].between(34.5, 42.5).all()
    for _, ring in g.groupby(["feature_id", "part"]):
        assert ring.iloc[0][["longitude", "latitude"]].tolist() == ring.iloc[-1][["longitude", "latitude"]].tolist()
    assert (geo.Path(geo.__file__).parent.parent / "data" / "geography.csv").stat().st_size < 300_000


def test_both_names_for_contested_towns_only(real) -> None:
    names = maps.both_names(real["places"])
    assert names["shusha"] == "Shusha (Shushi)" and names["stepanakert"] == "Stepanakert (Khankendi)"
    assert names["fuzuli"] == "Fuzuli (Varanda)" and names["martuni"] == "Martuni (Khojavend)"
    assert names["tabriz"] == "Tabriz" and names["tartar"] == "Tartar"  # outside the contested area


def test_labels_do_not_overlap_on_a_phone() -> None:
    view = maps.View(46.0, 39.0, 47.0, 40.0)
    points = pd.DataFrame(
        {
            "longitude": [46.5, 46.52, 46.5, 46.55],
            "latitude": [39.5, 39.5, 39.52, 39.48],
            "label": ["Alpha town", "Beta town", "Gamma town", "Delta town"],
        }
    )
    fig = maps.place_labels(go.Figure(), points, view)
    scale = view.px_per_degree()
    boxes = []
    for note in fig.layout.annotations:
        w, h = 0.58 * maps.LABEL_SIZE * len(note.text) + 2, maps.LABEL_SIZE + 3
        x = (note.x - view.west) * scale + (note.ax if note.showarrow else note.xshift)
        y = (view.north - note.y) * view.stretch * scale + (note.ay if note.showarrow else -note.yshift)
        if note.showarrow:
            x += w / 2 if note.ax > 0 else -w / 2 if note.ax < 0 else 0
        boxes.append((x - w / 2 + 1, y - h / 2 + 1, x + w / 2 - 1, y + h / 2 - 1))
    assert len(boxes) == 4
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    assert any(note.showarrow for note in fig.layout.annotations)  # a crowded point gets a leader line


def test_css_height_follows_the_column() -> None:
    view = maps.View(44.0, 38.0, 48.0, 41.0)
    fig = maps.finish(
        maps.base_map(pd.DataFrame(columns=["feature_id", "kind", "part", "seq", "longitude", "latitude"]), view),
        "T",
        "Source: s",
    )
    height = maps.css_height(fig, view)
    assert height.startswith("min(") and "100vw" in height
