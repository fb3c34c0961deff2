"""The world map: packaged shapes for every partner country, colours that match the counts."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

import tokyotech_partners as ttp
from tokyotech_partners import _map

from .conftest import run_from_zip

DS = ttp.load()
SHAPES = _map._world_shapes()
SIZE_LIMIT = 300_000  # bytes

# a point well inside each country: capitals, checked against the packaged outline
INSIDE = {
    "AU": (149.13, -35.28),
    "BR": (-47.88, -15.79),
    "CN": (116.40, 39.90),
    "FR": (2.35, 48.86),
    "GB": (-1.50, 52.50),
    "HK": (114.17, 22.35),
    "JP": (139.69, 35.69),
    "NO": (10.75, 59.95),
    "RU": (37.62, 55.75),
    "SG": (103.82, 1.35),
    "TW": (121.00, 24.00),
    "US": (-98.00, 39.00),
}


def contains(shape: Any, lon: float, lat: float) -> bool:
    """Even-odd ray casting over every ring of every polygon (holes included)."""
    inside = False
    for polygon in shape.polygons:
        for ring in polygon:
            for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
                if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                    inside = not inside
    return inside


def test_every_country_of_the_data_has_a_shape() -> None:
    codes = {c.code for c in DS.countries}
    assert codes  # the data has countries to check
    missing = sorted(code for code in codes if not SHAPES.countries.get(code, None))
    assert not missing
    for code in codes:
        assert SHAPES.countries[code].polygons, code
    # every partner's and every office's country is among the data's countries
    assert {i.country for i in DS.institutions if i.country is not None} <= codes


def test_hong_kong_singapore_and_taiwan_have_shapes_of_their_own() -> None:
    for code in ("HK", "SG", "TW"):
        shape = SHAPES.countries[code]
        assert shape.polygons, code
        assert len(shape.polygons[0][0]) >= 3, code
    assert not contains(SHAPES.countries["CN"], *INSIDE["HK"])
    assert not contains(SHAPES.countries["MY"], *INSIDE["SG"])


@pytest.mark.parametrize(("code", "point"), sorted(INSIDE.items()))
def test_shapes_are_keyed_by_the_right_code(code: str, point: tuple[float, float]) -> None:
    assert contains(SHAPES.countries[code], *point)
    others = [k for k, shape in SHAPES.countries.items() if k != code and contains(shape, *point)]
    assert not others


def test_codes_are_alpha_2_and_antarctica_is_left_out() -> None:
    assert all(len(code) == 2 and code.isupper() for code in SHAPES.countries)
    assert "AQ" not in SHAPES.countries
    assert len(SHAPES.countries) > 200
    # units without an ISO 3166-1 code are kept apart, by name
    assert "Kosovo" in SHAPES.unassigned
    assert all(
        lon <= 180 and lon >= -180
        for s in SHAPES.countries.values()
        for p in s.polygons
        for r in p
        for lon, _ in r
    )


def test_shapes_file_is_small_and_says_where_it_comes_from() -> None:
    data = (resources.files("tokyotech_partners") / "_shapes" / "world.json").read_bytes()
    assert len(data) <= SIZE_LIMIT
    assert SHAPES.source["data"].startswith("Natural Earth 4.1.0, Admin 0")
    assert "world-atlas 2.0.2" in SHAPES.source["via"]
    assert "public domain" in SHAPES.source["data_licence"]


def test_shapes_load_from_a_zipped_install(tmp_path: Path) -> None:
    done = run_from_zip(
        tmp_path,
        "import tokyotech_partners as ttp\n"
        "from tokyotech_partners._map import _world_shapes\n"
        "assert '.zip' in ttp.__file__, ttp.__file__\n"
        "print(len(_world_shapes().countries['SG'].polygons))\n",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"


def test_equal_earth_reference_values() -> None:
    assert _map._equal_earth(0.0, 0.0) == (0.0, 0.0)
    x, _ = _map._equal_earth(180.0, 0.0)
    _, y = _map._equal_earth(0.0, 90.0)
    # Šavrič, Patterson and Jenny (2018): the map is 2.7066 by 1.3174 on the unit sphere
    assert x == pytest.approx(2.70663, abs=1e-4)
    assert y == pytest.approx(1.31736, abs=1e-4)
    west, south = _map._equal_earth(-10.0, -20.0)
    assert west < 0
    assert south < 0


def test_bins_cover_every_count_once() -> None:
    for largest in (1, 2, 3, 5, 24, 100, 1234):
        bins = _map._bins(largest)
        covered = [n for low, high in bins for n in range(low, high + 1)]
        assert covered == list(range(1, largest + 1))
    assert _map._bins(24) == ((1, 1), (2, 2), (3, 5), (6, 10), (11, 20), (21, 24))


# -- the drawn map (matplotlib) ---------------------------------------------------------


@pytest.fixture
def drawn() -> Any:
    pytest.importorskip("matplotlib")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _map.plot_map(DS)
    FigureCanvasAgg(fig).draw()
    return fig


def by_gid(fig: Any, gid: object) -> Any:
    (found,) = [c for c in fig.axes[0].collections if c.get_gid() == str(gid)]
    return found


def legend_colours(fig: Any) -> dict[str, tuple[float, ...]]:
    legend = fig.axes[0].get_legend()
    return {
        text.get_text(): tuple(handle.get_facecolor())
        for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True)
        if hasattr(handle, "get_facecolor")
    }


def legend_colour_of(fig: Any, n: int) -> tuple[float, ...]:
    for label, colour in legend_colours(fig).items():
        if label == "none" and n == 0:
            return colour
        low, _, high = label.partition("-")
        if low.isdigit() and int(low) <= n <= int(high or low):
            return colour
    raise AssertionError(f"no legend entry for {n}")


def test_drawn_colours_match_the_counts_and_the_legend(drawn: Any) -> None:
    counts = ttp.count_by(DS.agreements, "country")
    top = next(iter(counts))
    one = next(code for code, n in counts.items() if n == 1)
    none = "AR"
    assert top == "CN"
    assert none not in counts
    for code in (top, one, none):
        n = counts.get(code, 0)
        face = tuple(by_gid(drawn, code).get_facecolor()[0])
        assert face == pytest.approx(legend_colour_of(drawn, n)), code
    china = by_gid(drawn, "CN")
    assert list(china.get_array()) == [counts["CN"]]
    assert tuple(china.get_facecolor()[0]) == pytest.approx(china.cmap(china.norm(counts["CN"])))
    # the colours differ: the most is the darkest shade, 0 is grey
    faces = {code: tuple(by_gid(drawn, code).get_facecolor()[0]) for code in (top, one, none)}
    assert len(set(faces.values())) == 3
    assert sum(faces[top][:3]) < sum(faces[one][:3])
    assert faces[none][0] == pytest.approx(faces[none][1]) == pytest.approx(faces[none][2])


def test_every_partner_country_is_drawn_with_its_count(drawn: Any) -> None:
    counts = {k: n for k, n in ttp.count_by(DS.agreements, "country").items() if k is not None}
    for code, n in counts.items():
        assert list(by_gid(drawn, str(code)).get_array()) == [n]
    uncounted = [
        c for c in drawn.axes[0].collections if c.get_array() is not None and c.get_gid() not in counts
    ]
    assert all(str(c.get_gid()).endswith("-dot") for c in uncounted)


def test_singapore_gets_a_visible_dot(drawn: Any) -> None:
    dot = by_gid(drawn, "SG-dot")
    (x, y), *_ = dot.get_offsets()
    lon, lat = INSIDE["SG"]
    px, py = _map._equal_earth(lon, lat)
    assert abs(x - px) < 0.01
    assert abs(y - py) < 0.01
    assert dot.get_sizes()[0] >= 15  # points squared
    assert tuple(dot.get_facecolor()[0]) == pytest.approx(tuple(by_gid(drawn, "SG").get_facecolor()[0]))
    assert not [c for c in drawn.axes[0].collections if c.get_gid() == "CN-dot"]
    assert "small country" in legend_colours(drawn) or "small country" in [
        t.get_text() for t in drawn.axes[0].get_legend().get_texts()
    ]


def test_notes_credit_and_text_stay_inside(drawn: Any) -> None:
    texts = [t.get_text() for t in drawn.findobj(lambda a: hasattr(a, "get_text"))]
    joined = "\n".join(texts)
    multinational = ttp.count_by(DS.agreements, "country")[None]
    assert f"{multinational} agreements with multinational bodies only: not drawn" in joined
    assert _map.SHAPES_ATTRIBUTION in joined
    assert "Source: Tokyo Tech" in joined
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(drawn).get_renderer()
    drawn_box, page = drawn.get_tightbbox(renderer), drawn.bbox_inches
    assert page.x0 - 0.02 <= drawn_box.x0
    assert drawn_box.x1 <= page.x1 + 0.02
    assert page.y0 - 0.02 <= drawn_box.y0
    assert drawn_box.y1 <= page.y1 + 0.02


def test_per_institutions_counts_each_institution_once() -> None:
    pytest.importorskip("matplotlib")
    # an institution that is the only partner of each of several agreements
    institution = next(
        i
        for i in DS.institutions
        if i.country is not None
        and len(DS.agreements_of(i)) >= 2
        and all(len(a.partners) == 1 for a in DS.agreements_of(i))
    )
    chosen = DS.agreements_of(institution)
    code = institution.country
    assert code is not None
    per_agreement = _map.plot_map(DS, chosen)
    per_institution = _map.plot_map(DS, chosen, per="institutions")
    assert list(by_gid(per_agreement, code).get_array()) == [len(chosen)]
    assert list(by_gid(per_institution, code).get_array()) == [1]
    assert per_institution.axes[0].get_title() == (
        f"Partner institutions per country (1 institution, {len(chosen)} agreements)"
    )


def test_per_institutions_over_all_agreements() -> None:
    pytest.importorskip("matplotlib")
    fig = _map.plot_map(DS, per="institutions")
    partners = {p.id: p for a in DS.agreements for p in a.partners}
    expected = Counter(p.country for p in partners.values() if p.country is not None)
    for code in ("CN", "FR", "US", "SG"):
        assert list(by_gid(fig, code).get_array()) == [expected[code]]
    legend: Any = fig.axes[0].get_legend()
    assert legend.get_title().get_text() == "Partner institutions"


def test_bad_arguments_are_clear_errors() -> None:
    pytest.importorskip("matplotlib")
    with pytest.raises(ValueError, match="per must be one of 'agreements', 'institutions'"):
        _map.plot_map(DS, per="countries")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown matplotlib colormap 'Nope'"):
        _map.plot_map(DS, cmap="Nope")
    with pytest.raises(TypeError, match="cmap must be the name"):
        _map.plot_map(DS, cmap=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no agreements to plot"):
        _map.plot_map(DS, DS.agreements_where(since=2022))
    multinational_only = [a for a in DS.agreements if not a.countries]
    assert multinational_only
    with pytest.raises(ValueError, match="no agreements with a partner country"):
        _map.plot_map(DS, multinational_only)
    with pytest.raises(TypeError):
        _map.plot_map(DS, None, "institutions")  # type: ignore[call-arg]


def test_missing_matplotlib_names_the_plot_extra() -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None; sys.modules['matplotlib.figure'] = None\n"
        "import tokyotech_partners as ttp\n"
        "from tokyotech_partners._map import plot_map\n"
        "try:\n"
        "    plot_map(ttp.load())\n"
        "except ttp.MissingExtraError as exc:\n"
        "    print(exc.extra)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "plot"
