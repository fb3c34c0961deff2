"""The command line, run in-process and as a real process."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import tokyotech_partners as ttp
from tokyotech_partners._cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_summary_is_the_default_and_fits_80_columns() -> None:
    status, out, err = run()
    assert (status, err) == (0, "")
    assert out == run("summary")[1]
    assert max(len(line) for line in out.splitlines()) <= 80
    for expected in (
        "237 (109 institution-level, 128 school-level)",
        "51,890",
        "Balance check: OK",
        "Europe",
    ):
        assert expected in out


@pytest.mark.parametrize(
    "argv",
    [
        ("agreements",),
        ("agreements", "--country", "Germany", "--exchange", "S"),
        ("institutions",),
        ("institutions", "--search", "technology"),
        ("offices",),
        ("budget",),
    ],
)
def test_tables_are_aligned_within_80_columns(argv: tuple[str, ...]) -> None:
    status, out, _ = run(*argv)
    assert status == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80, max(lines, key=len)
    if argv[0] in ("agreements", "institutions", "offices"):
        header = lines[0]
        starts = [m.start() for m in re.finditer(r"(?<=  )\S", header)]
        for line in lines[1:-1]:
            if line.startswith("    "):  # a note under the table, not a row
                continue
            for start in starts:  # the two-space gap before each column is in every row
                assert line[start - 2 : start] == "  ", (line, start)


def test_agreements_json_is_one_array_of_records_with_arrays_and_nulls() -> None:
    status, out, _ = run("agreements", "--region", "Oceania", "--format", "json")
    records = json.loads(out)
    assert status == 0
    assert isinstance(records, list)
    assert [r["id"] for r in records] == [a.id for a in ttp.load().agreements_where(region="Oceania")]
    assert all(not isinstance(v, dict) for r in records for v in r.values())
    several = {"partners", "partner_names", "counterparts", "exchange_types", "countries", "world_regions"}
    several |= {"subregions", "notes"}
    assert all(isinstance(r[k], list) for r in records for k in several)
    assert all(
        r[k] is None or (not isinstance(r[k], list) and r[k] != "") for r in records for k in set(r) - several
    )
    assert any(r["partner_unit"] is None for r in records)


def test_agreements_csv_and_filters() -> None:
    status, out, _ = run("agreements", "--level", "school", "--years", "2019-2021", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    expected = ttp.load().agreements_where(level="school", since=2019, until=2021)
    assert status == 0
    assert [r["id"] for r in rows] == [a.id for a in expected]


def test_repeated_filter_means_any() -> None:
    _, out, _ = run("agreements", "--country", "NZ", "--country", "IR", "--format", "json")
    assert sorted(r["countries"] for r in json.loads(out)) == [["IR"], ["NZ"]]


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (("agreements", "--country", "Germny"), "did you mean 'Germany'"),
        (("agreements", "--years", "2019-20x"), "malformed year range"),
        (("agreements", "--years", "2020-2010"), "malformed year range"),
        (("agreements", "--since", "last year"), "not a year"),
        (("agreements", "--format", "xml"), "invalid choice"),
        (("institutions", "--country", "Atlantis"), "unknown country"),
        (("nonsense",), "invalid choice"),
        (("plot", "years", "--out", "chart.svg"), ".png"),
        (("plot", "countries", "--top", "0", "--out", "c.png"), "not a positive whole number"),
        (("agreements", "--since", "0999"), "not a year"),
        (("agreements", "--since", "2020", "--until", "2010"), "no year is in between"),
        (("agreements", "--partner", "NTU"), "names 2 institutions"),
        (("count", "colour"), "invalid choice"),
        (("plot", "budget", "--region", "Europe", "--out", "b.png"), "takes no filters"),
    ],
)
def test_bad_input_exits_2_with_one_line(argv: tuple[str, ...], fragment: str) -> None:
    status, out, err = run(*argv)
    assert status == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert fragment in err


def test_ids_are_printed_whole_so_a_pasted_id_works() -> None:
    status, out, _ = run("institutions", "--search", "royal institute of technology")
    assert status == 0
    assert "kth-royal-institute-of-technology " in out
    for line in out.splitlines()[1:-1]:
        pasted = line.split()[0]
        assert ttp.load().institution(pasted).id == pasted


def test_count_by_any_key_with_the_filters_of_agreements() -> None:
    status, out, _ = run("count", "country", "--region", "Europe", "--format", "json")
    assert status == 0
    counted = {r["country"]: r["agreements"] for r in json.loads(out)}
    assert counted == ttp.count_by(ttp.load().agreements_where(region="Europe"), "country")
    status, out, _ = run("count", "decade")
    assert status == 0
    decades = [int(line.split()[0]) for line in out.splitlines()[1:-1]]
    assert decades == sorted(decades)  # years in order, not by frequency


def test_count_crosstabs_two_keys() -> None:
    status, out, _ = run("count", "world_region", "level", "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    table = ttp.crosstab(ttp.load().agreements, "world_region", "level")
    assert {(r["world_region"], r["level"]): int(r["agreements"]) for r in rows if r["world_region"]} == {
        (str(k), c): n for k, cols in table.items() if k is not None for c, n in cols.items()
    }
    status, out, _ = run("count", "world_region", "level")
    assert status == 0
    assert "Europe" in out
    assert "institutional" in out.splitlines()[0]


def test_plot_takes_the_filters_of_agreements(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "europe.png"
    status, _, err = run("plot", "countries", "--region", "Europe", "--since", "2010", "--out", str(target))
    assert (status, err) == (0, "")
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_map_takes_the_filters_of_agreements(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "map.png"
    status, out, err = run(
        "plot", "map", "--world-region", "Europe", "--per", "institutions", "--out", str(target)
    )
    assert (status, err) == (0, "")
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert str(target) in out


def test_export_writes_a_data_package(tmp_path: Path) -> None:
    status, out, _ = run("export", str(tmp_path / "pkg"))
    assert status == 0
    assert (tmp_path / "pkg" / "datapackage.json").is_file()
    assert "datapackage.json" in out


def test_plot_writes_a_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "years.png"
    status, _, err = run("plot", "years", "--out", str(target))
    assert (status, err) == (0, "")
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_console_script_and_module_agree() -> None:
    module = subprocess.run(
        [sys.executable, "-m", "tokyotech_partners", "offices", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert [o["id"] for o in json.loads(module.stdout)] == [o.id for o in ttp.load().offices]
    bad = subprocess.run(
        [sys.executable, "-m", "tokyotech_partners", "agreements", "--country", "Germny"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1
    assert "Traceback" not in bad.stderr


def test_missing_matplotlib_gives_one_clear_line(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None; sys.modules['matplotlib.figure'] = None\n"
        "from tokyotech_partners._cli import main\n"
        f"sys.exit(main(['plot', 'budget', '--out', {str(tmp_path / 'b.png')!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "tokyotech-partners: plotting needs matplotlib, which is not installed: "
        "pip install '.[plot]' in a clone of the repository (the package is not on an index)"
    )


def test_console_script_is_installed() -> None:
    import shutil

    script = shutil.which("tokyotech-partners", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the console script is installed by pip, not present in this environment")
    done = subprocess.run([script, "budget", "--side", "revenue"], capture_output=True, text=True, check=True)
    assert "51,890" in done.stdout
    assert "Revenue" in done.stdout


def test_budget_command_reports_the_balance_check() -> None:
    status, out, _ = run("budget")
    assert status == 0
    assert out.rstrip().splitlines()[-1].strip().startswith("Balance check: OK")


def test_unencodable_output_is_one_clear_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tokyotech_partners", "agreements", "--country", "DE"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "PYTHONIOENCODING": "ascii"},
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "PYTHONIOENCODING=utf-8" in done.stderr
