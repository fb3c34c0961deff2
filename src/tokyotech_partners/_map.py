"""A world map of the partners (the ``plot`` extra), drawn offline from packaged country shapes.

The shapes are Natural Earth's Admin 0 countries (public domain), simplified by
``tools/build_world_shapes.py`` and shipped as ``_shapes/world.json``; nothing
is downloaded and no GIS library is needed. The projection is Equal Earth.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import attrs

from ._aggregate import count_by
from ._model import Agreement
from ._plot import _figure, _source_note, dataset_first

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.path import Path

    from ._dataset import Dataset

__all__ = ["MAP_PER", "SHAPES_ATTRIBUTION", "plot_map"]

#: What :func:`plot_map` can count per country.
MAP_PER = ("agreements", "institutions")
#: The credit line the map carries.
SHAPES_ATTRIBUTION = "Country shapes: Natural Earth (public domain)"

_SHAPES_FILE = "_shapes/world.json"
_NO_PARTNER = "#e3e3e3"
_BORDER = "#ffffff"
_MARKER_EDGE = "#333333"
#: A partner country drawn smaller than this (square points) also gets a dot.
_MIN_DRAWN_AREA_PT2 = 6.0
_ALWAYS_DOTTED = frozenset({"SG", "HK"})

Point = tuple[float, float]
Ring = tuple[Point, ...]
Polygon = tuple[Ring, ...]  # the outer ring, then its holes


@attrs.frozen
class _Shape:
    """One country (or a unit without an ISO code) as packaged: longitude/latitude rings."""

    key: str
    name: str
    polygons: tuple[Polygon, ...]  # largest first


@attrs.frozen
class _WorldShapes:
    countries: Mapping[str, _Shape]  # by ISO 3166-1 alpha-2
    unassigned: Mapping[str, _Shape]  # by Natural Earth name: Kosovo, Somaliland, ...
    source: Mapping[str, str]


def _decode_ring(flat: Sequence[int], unit: float) -> Ring:
    x = y = 0
    points = []
    for i in range(0, len(flat), 2):
        x += flat[i]
        y += flat[i + 1]
        points.append((x * unit, y * unit))
    return tuple(points)


@functools.cache
def _world_shapes() -> _WorldShapes:
    """The packaged shapes, read once (works from a zipped install too)."""
    raw = json.loads((resources.files("tokyotech_partners") / _SHAPES_FILE).read_bytes())
    unit = float(raw["unit_degrees"])

    def shapes(section: Mapping[str, dict[str, object]]) -> Mapping[str, _Shape]:
        return MappingProxyType(
            {
                key: _Shape(
                    key,
                    str(entry["name"]),
                    tuple(
                        tuple(_decode_ring(ring, unit) for ring in polygon)
                        for polygon in entry["polygons"]  # type: ignore[attr-defined]
                    ),
                )
                for key, entry in section.items()
            }
        )

    return _WorldShapes(
        shapes(raw["countries"]), shapes(raw["unassigned"]), MappingProxyType(dict(raw["source"]))
    )


# Equal Earth (Šavrič, Patterson and Jenny 2018), on the unit sphere.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def _equal_earth(lon: float, lat: float) -> Point:
    theta = math.asin(_M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = math.radians(lon) * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


#: Half the width of the projected world (longitude 180 at the equator).
_HALF_WIDTH = _equal_earth(180.0, 0.0)[0]


@attrs.frozen
class _Projected:
    path: Path
    area: float  # in projected units squared
    centroid: Point  # of the largest polygon


def _signed_area_and_centroid(ring: Sequence[Point]) -> tuple[float, Point]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        return 0.0, (sum(x for x, _ in ring) / len(ring), sum(y for _, y in ring) / len(ring))
    return area, (cx / (6 * area), cy / (6 * area))


@functools.cache
def _projected(section: str, key: str) -> _Projected:
    from matplotlib.path import Path

    moveto, lineto, closepoly = int(Path.MOVETO), int(Path.LINETO), int(Path.CLOSEPOLY)
    world = _world_shapes()
    shape = (world.countries if section == "countries" else world.unassigned)[key]
    vertices: list[Point] = []
    codes: list[int] = []
    area = 0.0
    centroid = (0.0, 0.0)
    for p, polygon in enumerate(shape.polygons):
        for r, ring in enumerate(polygon):
            projected = [_equal_earth(lon, lat) for lon, lat in ring]
            ring_area, ring_centroid = _signed_area_and_centroid(projected)
            area += ring_area  # holes run the other way: their area is negative
            if p == 0 and r == 0:
                centroid = ring_centroid
            vertices += [*projected, projected[0]]
            codes += [moveto] + [lineto] * (len(projected) - 1) + [closepoly]
    return _Projected(Path(vertices, codes), abs(area), centroid)


def _bins(largest: int) -> tuple[tuple[int, int], ...]:
    """Count ranges 1, 2, 3-5, 6-10, 11-20, 21-50, ... up to ``largest``."""
    uppers: list[int] = []
    steps = (1, 2, 5)
    scale = 1
    while not uppers or uppers[-1] < largest:
        for step in steps:
            if not uppers or uppers[-1] < largest:
                uppers.append(step * scale)
        scale *= 10
    uppers[-1] = largest
    lowers = [1, *(u + 1 for u in uppers[:-1])]
    return tuple(zip(lowers, uppers, strict=True))


def _some(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


def _bin_label(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}-{high}"


def plot_map(
    ds: Dataset,
    agreements: Sequence[Agreement] | None = None,
    *,
    per: Literal["agreements", "institutions"] = "agreements",
    cmap: str = "Blues",
) -> Figure:
    """A world map shaded by the number of agreements (or institutions) per partner country.

    ``per="agreements"`` counts each agreement once for every country among its
    partners (as :func:`count_by` with ``"country"`` does); ``per="institutions"``
    counts the distinct partner institutions of the chosen agreements in each
    country. Agreements whose only partners are multinational bodies, and
    multinational institutions, have no country and are not drawn; a note on
    the map says how many there are. Countries without partners are grey.
    Countries too small to see at the map's scale (Singapore, Hong Kong,
    ...) also get a dot in their colour. ``cmap`` names a sequential matplotlib
    colormap. The country shapes are Natural Earth's, shipped with the package.

    >>> import tokyotech_partners as ttp
    >>> fig = ttp.plot_map(ttp.load())
    >>> fig.axes[0].get_title()
    'Agreements per partner country (237 agreements)'
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['none', '1', '2', '3-5', '6-10', '11-20', '21-23', 'small country']
    """
    dataset_first(ds, "plot_map")
    if per not in MAP_PER:
        raise ValueError(f"per must be one of {', '.join(map(repr, MAP_PER))}, got {per!r}")
    if not isinstance(cmap, str):
        raise TypeError(f"cmap must be the name of a matplotlib colormap, got {cmap!r}")
    chosen = ds.agreements if agreements is None else tuple(agreements)
    if not chosen:
        raise ValueError("no agreements to plot")
    counts, title, notes, legend_title = _counted(chosen, per)
    fig = _figure(11, 5.5)
    from matplotlib import colormaps
    from matplotlib.colors import BoundaryNorm, ListedColormap, to_hex

    if cmap not in colormaps:
        raise ValueError(f"unknown matplotlib colormap {cmap!r}")
    bins = _bins(max(counts.values()))
    base = colormaps[cmap]
    shades = [to_hex(base(0.3 + 0.7 * i / max(len(bins) - 1, 1))) for i in range(len(bins))]
    colormap = ListedColormap(shades, name=f"{cmap}-binned")
    norm = BoundaryNorm([bins[0][0] - 0.5, *(high + 0.5 for _, high in bins)], len(bins))
    ax = fig.add_subplot()
    ax.set_aspect("equal")
    ax.set_axis_off()
    world = _world_shapes()
    dots = _draw_countries(ax, world, counts, colormap, norm, fig.get_figwidth())
    ax.set_xlim(-_HALF_WIDTH * 1.005, _HALF_WIDTH * 1.005)
    ax.set_ylim(_equal_earth(0, -57)[1], _equal_earth(0, 84)[1])
    _legend(ax, shades, bins, legend_title, bool(dots))
    ax.set_title(title)
    missing = sorted(code for code in counts if code not in world.countries)
    if missing:
        notes.append(f"no shape for {', '.join(missing)}: not drawn")
    notes.append(SHAPES_ATTRIBUTION)
    ax.text(
        1.0,
        0.0,
        "\n".join(notes),
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=7,
        color="#555555",
    )
    _source_note(fig, ds)
    return fig


def _counted(chosen: Sequence[Agreement], per: str) -> tuple[dict[str, int], str, list[str], str]:
    """What the map counts per country code; its title, notes and legend title."""
    if per == "agreements":
        counted: dict[Hashable, int] = dict(count_by(chosen, "country"))
        unplaced = counted.pop(None, 0)
        title = f"Agreements per partner country ({_some(len(chosen), 'agreement')})"
        note = f"{_some(unplaced, 'agreement')} with multinational bodies only: not drawn"
        legend_title = "Agreements"
    else:
        institutions = {p.id: p for a in chosen for p in a.partners}
        counted = dict(Counter(i.country for i in institutions.values()))
        unplaced = counted.pop(None, 0)
        title = (
            f"Partner institutions per country ({_some(len(institutions), 'institution')}, "
            f"{_some(len(chosen), 'agreement')})"
        )
        note = f"{_some(unplaced, 'multinational institution')}: not drawn"
        legend_title = "Partner institutions"
    counts = {str(code): n for code, n in counted.items()}
    if not counts:
        raise ValueError(f"no agreements with a partner country to plot (per={per!r})")
    return counts, title, [note] if unplaced else [], legend_title


def _draw_countries(
    ax: Any, world: Any, counts: Mapping[str, int], colormap: Any, norm: Any, width_inches: float
) -> list[tuple[str, int, Point]]:
    """Every shape, shaded by its count (largest first); returns the small countries to dot, dotted."""
    from matplotlib.collections import PathCollection

    # points per projected unit, from the figure's width (the map spans nearly all of it)
    scale = width_inches * 72 * 0.97 / (2 * _HALF_WIDTH)
    dots: list[tuple[str, int, Point]] = []
    sections = (("unassigned", world.unassigned), ("countries", world.countries))
    shapes = sorted(
        ((section, key, _projected(section, key)) for section, keys in sections for key in keys),
        key=lambda item: -item[2].area,  # the largest first: an enclave is drawn over its surroundings
    )
    for section, key, shape in shapes:
        n = counts.get(key, 0) if section == "countries" else 0
        collection = PathCollection([shape.path], edgecolor=_BORDER, linewidth=0.3)
        collection.set_gid(key)
        if n:
            collection.set_cmap(colormap)
            collection.set_norm(norm)
            collection.set_array([n])
            if key in _ALWAYS_DOTTED or shape.area * scale * scale < _MIN_DRAWN_AREA_PT2:
                dots.append((key, n, shape.centroid))
        else:
            collection.set_facecolor(_NO_PARTNER)
        ax.add_collection(collection, autolim=False)
    for key, n, (x, y) in dots:
        ax.scatter(
            [x], [y], c=[n], cmap=colormap, norm=norm, s=30, edgecolors=_MARKER_EDGE, linewidths=0.6,
            zorder=3, gid=f"{key}-dot",
        )  # fmt: skip
    return dots


def _legend(ax: Any, shades: list[str], bins: Sequence[tuple[int, int]], title: str, dotted: bool) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Patch | Line2D] = [Patch(facecolor=_NO_PARTNER, edgecolor="#bbbbbb", label="none")]
    handles += [
        Patch(facecolor=shade, edgecolor="#bbbbbb", label=_bin_label(low, high))
        for shade, (low, high) in zip(shades, bins, strict=True)
    ]
    if dotted:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=5,
                markerfacecolor="white",
                markeredgecolor=_MARKER_EDGE,
                label="small country",
            )
        )
    ax.legend(
        handles=handles, title=title, loc="lower left", frameon=False, fontsize=8, title_fontsize=8,
        alignment="left",
    )  # fmt: skip
