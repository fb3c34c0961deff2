"""Build ``src/tokyotech_partners/_shapes/world.json``, the country shapes of ``plot_map``.

A dev-only script: the package never imports it, and it needs nothing at run
time. It reads Natural Earth's Admin 0 countries at 1:50m as redistributed by
the npm package ``world-atlas`` 2.0.2 (TopoJSON, ISC licence; the shapes
themselves are Natural Earth's, public domain) and writes a small JSON file of
simplified country outlines keyed by ISO 3166-1 alpha-2 code.

Get the input (no Node.js code is run; ``npm pack`` only downloads the tarball)::

    npm pack world-atlas@2.0.2            # writes world-atlas-2.0.2.tgz
    pip install pycountry                 # ISO 3166-1 numeric -> alpha-2 (dev only)
    python tools/build_world_shapes.py world-atlas-2.0.2.tgz

The argument may also be the unpacked ``countries-50m.json``. The script is
deterministic: running it again on the same input rewrites the same file.

What it does:

1. Decodes the TopoJSON: each arc is a list of quantized, delta-encoded points
   that the topology's ``transform`` turns into longitude and latitude.
2. Simplifies every *arc* once (Douglas-Peucker, ``TOLERANCE`` degrees), so a
   border shared by two countries is simplified the same way for both and the
   map has no gaps or overlaps along borders.
3. Assembles each country's polygons (outer ring, then holes) from the
   simplified arcs, and merges geometries with the same id into one country
   (world-atlas gives Australia and Ashmore and Cartier Is. both ``036``).
4. Drops rings (islands, holes) smaller than ``MIN_AREA`` square degrees, but
   always keeps each country's largest polygon, so no country vanishes; a ring
   that the simplification has collapsed is rebuilt from the unsimplified arcs
   with a finer tolerance (this is what keeps Singapore and Hong Kong).
5. Rounds coordinates to ``UNIT`` degrees and writes each ring as integers,
   the first point absolute and the others as differences from the previous
   one; rings are closed implicitly, outer rings run counter-clockwise and
   holes clockwise (in longitude/latitude).

Keys: the ISO 3166-1 numeric ids of world-atlas are turned into alpha-2 codes
with ``pycountry``. Antarctica (``010``) is left out: the map does not draw it.
Five Natural Earth units have no ISO 3166-1 code and no id in world-atlas:
Kosovo, Somaliland, N. Cyprus, Siachen Glacier and Indian Ocean Ter. They are
kept, keyed by their Natural Earth name, under ``"unassigned"`` so that the map
has no holes where they are; they can never be joined to a partner country.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "src" / "tokyotech_partners" / "_shapes" / "world.json"

WORLD_ATLAS_VERSION = "2.0.2"
INPUT_MEMBER = "package/countries-50m.json"
#: Douglas-Peucker tolerance, degrees, applied to every arc.
TOLERANCE = 0.05
#: The finer tolerance used for a kept ring that ``TOLERANCE`` collapses.
FINE_TOLERANCE = 0.002
#: Rings (islands, lakes) below this area, square degrees, are dropped, except
#: the largest polygon of each country.
MIN_AREA = 0.15
#: Coordinates are rounded to this many degrees and stored as integers.
UNIT = 0.01
#: World-atlas ids left out of the file.
LEFT_OUT = {"010": "Antarctica (not drawn on the map)"}

Point = tuple[float, float]
Ring = list[Point]


def read_topology(path: Path) -> tuple[dict[str, object], str, str]:
    """The TopoJSON, and the Natural Earth version and licence text of world-atlas."""
    if path.suffix == ".json":
        readme = path.with_name("README.md")
        licence = path.with_name("LICENSE")
        return (
            json.loads(path.read_text(encoding="utf-8")),
            readme.read_text(encoding="utf-8") if readme.exists() else "",
            licence.read_text(encoding="utf-8") if licence.exists() else "",
        )
    with tarfile.open(path) as tar:

        def member(name: str) -> str:
            extracted = tar.extractfile(name)
            if extracted is None:
                raise SystemExit(f"{path}: no {name}")
            return io.TextIOWrapper(extracted, encoding="utf-8").read()

        package = json.loads(member("package/package.json"))
        if package.get("version") != WORLD_ATLAS_VERSION:
            raise SystemExit(f"expected world-atlas {WORLD_ATLAS_VERSION}, got {package.get('version')}")
        return json.loads(member(INPUT_MEMBER)), member("package/README.md"), member("package/LICENSE")


def natural_earth_version(readme: str) -> str:
    """The Natural Earth version world-atlas's README names ("... vector data, version 4.1.0 ...")."""
    marker = "version "
    at = readme.find(marker)
    if at < 0:
        raise SystemExit("cannot find the Natural Earth version in world-atlas's README")
    version = readme[at + len(marker) :].split()[0].rstrip(".,")
    if not version[:1].isdigit():
        raise SystemExit(f"unexpected Natural Earth version {version!r}")
    return version


def decode_arcs(topology: dict[str, object]) -> list[Ring]:
    """Every arc as a list of (longitude, latitude)."""
    transform = topology["transform"]
    assert isinstance(transform, dict)
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    arcs = []
    for arc in topology["arcs"]:  # type: ignore[attr-defined]
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(unwrap(points))
    return arcs


def unwrap(points: Ring) -> Ring:
    """The points with longitudes made continuous: no step of more than 180 degrees.

    World-atlas's shapes are stitched across the antimeridian (Russia, Fiji), so
    a ring can step from 179.9 to -179.9; unwrapped, it steps to 180.1 instead.
    """
    out: Ring = []
    for x, y in points:
        if out:
            while x - out[-1][0] > 180:
                x -= 360
            while x - out[-1][0] < -180:
                x += 360
        out.append((x, y))
    return out


def douglas_peucker(points: Ring, tolerance: float) -> Ring:
    """The points kept by Douglas-Peucker; the first and last are always kept."""
    if len(points) <= 2:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        worst, worst_at = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            # a closed arc (length 0): the distance from its start
            d = abs(dy * (px - ax) - dx * (py - ay)) / length if length else math.hypot(px - ax, py - ay)
            if d > worst:
                worst, worst_at = d, i
        if worst > tolerance:
            keep[worst_at] = True
            stack.append((first, worst_at))
            stack.append((worst_at, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_from_arcs(indices: list[int], arcs: list[Ring]) -> Ring:
    """A ring joined from arcs; a negative index ``~i`` is arc ``i`` reversed."""
    ring: Ring = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        if ring:  # arcs are unwrapped each on its own: shift this one to start where the ring is
            shift = 360 * round((ring[-1][0] - arc[0][0]) / 360)
            arc = [(x + shift, y) for x, y in arc[1:]]
        ring.extend(arc)
    return ring


def clip(ring: Ring, at: float, keep_below: bool) -> Ring:
    """The part of a ring on one side of the meridian ``at`` (Sutherland-Hodgman)."""

    def inside(p: Point) -> bool:
        return p[0] <= at if keep_below else p[0] >= at

    out: Ring = []
    for p, q in zip(ring, ring[1:] + ring[:1], strict=True):
        if inside(p):
            out.append(p)
        if inside(p) != inside(q):
            t = (at - p[0]) / (q[0] - p[0])
            out.append((at, p[1] + t * (q[1] - p[1])))
    return out


def split_at_antimeridian(ring: Ring) -> list[Ring]:
    """The ring cut at longitude 180, each piece moved into -180..180."""
    if abs(ring[0][0] - ring[-1][0]) > 1e-9:
        raise SystemExit("a ring goes round a pole; only Antarctica's does, and it is left out")
    west, east = min(x for x, _ in ring), max(x for x, _ in ring)
    shift = 360 * math.floor((west + east) / 2 / 360 + 0.5)
    ring = [(x - shift, y) for x, y in ring]  # mostly within -180..180
    west, east = west - shift, east - shift
    if east > 180:
        return [clip(ring, 180, keep_below=True), [(x - 360, y) for x, y in clip(ring, 180, False)]]
    if west < -180:
        return [clip(ring, -180, keep_below=False), [(x + 360, y) for x, y in clip(ring, -180, True)]]
    return [ring]


def signed_area(ring: Ring) -> float:
    """Shoelace area in square degrees; positive when counter-clockwise."""
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))


def quantize(ring: Ring) -> list[tuple[int, int]]:
    """The ring in integer ``UNIT`` steps, repeated points and the closing point removed."""
    out: list[tuple[int, int]] = []
    for x, y in ring:
        point = (round(x / UNIT), round(y / UNIT))
        if not out or point != out[-1]:
            out.append(point)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def encode(points: list[tuple[int, int]], counter_clockwise: bool) -> list[int]:
    """Flat ``[x0, y0, dx1, dy1, ...]`` with the orientation asked for."""
    area = signed_area([(float(x), float(y)) for x, y in points])
    if (area > 0) != counter_clockwise:
        points = points[::-1]
    flat = [*points[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        flat += [x1 - x0, y1 - y0]
    return flat


def usable(points: list[tuple[int, int]]) -> bool:
    """Whether a quantized ring still encloses some area."""
    return len(points) >= 3 and signed_area([(float(x), float(y)) for x, y in points]) != 0


def build_ring(indices: list[int], simple: list[Ring], raw: list[Ring]) -> Ring:
    """A ring from the simplified arcs, or, if that collapses, from finely simplified raw arcs."""
    ring = ring_from_arcs(indices, simple)
    if usable(quantize(ring)):
        return ring
    return douglas_peucker(ring_from_arcs(indices, raw), FINE_TOLERANCE)


def build_polygons(
    polygon: list[list[int]], simple: list[Ring], raw: list[Ring]
) -> list[list[list[tuple[int, int]]]]:
    """One TopoJSON polygon as quantized [outer, holes...] lists, cut at the antimeridian."""
    outer, *holes = (build_ring(r, simple, raw) for r in polygon)
    pieces = split_at_antimeridian(outer)
    hole_rings = []
    for hole in holes:
        (hole_ring,) = split_at_antimeridian(hole)  # no hole crosses the antimeridian
        hole_rings.append(quantize(hole_ring))
    if len(pieces) > 1 and hole_rings:
        raise SystemExit("a polygon with holes crosses the antimeridian: not handled")
    return [[quantize(piece), *hole_rings] for piece in pieces]


def build(topology: dict[str, object]) -> tuple[dict[str, dict[str, object]], dict[str, dict[str, object]]]:
    """The countries keyed by alpha-2 code, and the units without a code keyed by name."""
    import pycountry  # dev-only

    raw = decode_arcs(topology)
    simple = [douglas_peucker(arc, TOLERANCE) for arc in raw]
    objects = topology["objects"]
    assert isinstance(objects, dict)
    # key -> (name, numeric id, polygons as lists of arc-index rings)
    grouped: dict[tuple[str, str], tuple[str, str | None, list[list[list[int]]]]] = {}
    for geometry in objects["countries"]["geometries"]:
        numeric, name = geometry.get("id"), geometry["properties"]["name"]
        if numeric in LEFT_OUT:
            continue
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        if numeric is None:
            key = ("unassigned", name)
        else:
            country = pycountry.countries.get(numeric=numeric)
            if country is None:
                raise SystemExit(f"pycountry does not know ISO 3166-1 numeric {numeric} ({name})")
            key = ("countries", country.alpha_2)
        if key in grouped:  # e.g. Ashmore and Cartier Is. share Australia's id: keep Australia's name
            first_name, _, first_polygons = grouped[key]
            big = sum(len(p[0]) for p in polygons) > sum(len(p[0]) for p in first_polygons)
            grouped[key] = (name if big else first_name, numeric, first_polygons + polygons)
        else:
            grouped[key] = (name, numeric, list(polygons))

    result: dict[str, dict[str, dict[str, object]]] = {"countries": {}, "unassigned": {}}
    for (section, key), (name, numeric, polygons) in sorted(grouped.items()):
        rings = [piece for polygon in polygons for piece in build_polygons(polygon, simple, raw)]
        areas = [abs(signed_area([(x * UNIT, y * UNIT) for x, y in p[0]])) if p[0] else 0.0 for p in rings]
        largest = max(range(len(rings)), key=lambda i: areas[i])
        kept = []
        for i, polygon in enumerate(rings):
            if i != largest and (areas[i] < MIN_AREA or not usable(polygon[0])):
                continue
            outer, *holes = polygon
            kept_holes = [
                encode(h, counter_clockwise=False)
                for h in holes
                if usable(h) and abs(signed_area([(x * UNIT, y * UNIT) for x, y in h])) >= MIN_AREA
            ]
            kept.append((areas[i], [encode(outer, counter_clockwise=True), *kept_holes]))
        kept.sort(key=lambda item: -item[0])  # largest polygon first
        entry: dict[str, object] = {"name": name}
        if numeric is not None:
            entry["numeric"] = numeric
        entry["polygons"] = [p for _, p in kept]
        result[section][key] = entry
    return result["countries"], result["unassigned"]


def write(path: Path, header: dict[str, object], sections: dict[str, dict[str, dict[str, object]]]) -> None:
    """Compact JSON, one country a line, so that a rebuild shows as a readable diff."""
    lines = ["{"]
    for key, value in header.items():
        lines.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    for s, (section, entries) in enumerate(sections.items()):
        lines.append(f"{json.dumps(section)}: {{")
        items = list(entries.items())
        for i, (key, entry) in enumerate(items):
            comma = "," if i < len(items) - 1 else ""
            body = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
            lines.append(f"{json.dumps(key)}:{body}{comma}")
        lines.append("}," if s < len(sections) - 1 else "}")
    lines.append("}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    """Build the shapes file from the world-atlas tarball or its countries-50m.json."""
    if len(argv) != 1:
        print(
            "usage: python tools/build_world_shapes.py world-atlas-2.0.2.tgz (or its countries-50m.json);\n"
            "get the tarball with: npm pack world-atlas@2.0.2",
            file=sys.stderr,
        )
        return 2
    topology, readme, licence = read_topology(Path(argv[0]))
    countries, unassigned = build(topology)
    header: dict[str, object] = {
        "format": "tokyotech_partners world shapes, version 1",
        "source": {
            "data": f"Natural Earth {natural_earth_version(readme)}, Admin 0 - Countries, 1:50m",
            "data_licence": "public domain (Natural Earth, https://www.naturalearthdata.com/about/terms-of-use/)",
            "attribution": "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com.",
            "via": f"world-atlas {WORLD_ATLAS_VERSION} (npm), {INPUT_MEMBER.split('/')[-1]}",
            "via_licence": "ISC, " + licence.strip().splitlines()[0] if licence else "ISC",
        },
        "built_by": "tools/build_world_shapes.py",
        "simplification": {
            "method": "Douglas-Peucker on each TopoJSON arc (shared borders stay shared)",
            "tolerance_degrees": TOLERANCE,
            "fine_tolerance_degrees": FINE_TOLERANCE,
            "min_ring_area_square_degrees": MIN_AREA,
            "kept_always": "each country's largest polygon",
            "left_out": LEFT_OUT,
        },
        "encoding": (
            "polygons: list of [outer ring, holes...]; ring: flat [x0, y0, dx1, dy1, ...] integers "
            "in units of unit_degrees (longitude, latitude), first point absolute, closed implicitly; "
            "outer rings counter-clockwise, holes clockwise; largest polygon first"
        ),
        "unit_degrees": UNIT,
        "keys": "countries: ISO 3166-1 alpha-2; unassigned: Natural Earth name (no ISO 3166-1 code)",
    }
    write(OUTPUT, header, {"countries": countries, "unassigned": unassigned})
    size = OUTPUT.stat().st_size
    points = sum(
        len(ring) // 2
        for entry in [*countries.values(), *unassigned.values()]
        for polygon in entry["polygons"]  # type: ignore[attr-defined]
        for ring in polygon
    )
    print(
        f"wrote {OUTPUT.relative_to(ROOT)}: {len(countries)} countries, {len(unassigned)} unassigned, "
        f"{points} points, {size:,} bytes"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
