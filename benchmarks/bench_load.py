"""Load-time benchmarks, run by hand (never a test): ``python benchmarks/bench_load.py``.

Everything is measured side by side in one run and printed as medians:

1. a whole process that imports the package and loads the packaged edition,
   against one that only imports attrs and cattrs (run alternately);
2. the first ``load()`` in a fresh process, against reading the same files
   and ``json.loads`` on them (per line for the .jsonl files);
3. ``load(path)`` of generated editions of 1,000, 10,000 and 100,000
   agreements, and the 100k/10k ratio;
4. the query methods of the 100,000 edition (those that exist; the others
   are reported as skipped).

``--profile`` adds the top of a cProfile of loading the 10,000 edition.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import tokyotech_partners as ttp
from tokyotech_partners._dataset import DATA_FILES

PACKAGED = resources.files("tokyotech_partners") / "data"
PYTHON = sys.executable
SIZES = (1_000, 10_000, 100_000)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:9.2f} ms"


def _wall(argv: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def _reported(argv: list[str]) -> float:
    """A subprocess that prints the seconds it measured itself."""
    done = subprocess.run(argv, check=True, capture_output=True, text=True)
    return float(done.stdout.split()[-1])


def _side_by_side(
    name_a: str, run_a: Callable[[], float], name_b: str, run_b: Callable[[], float], n: int
) -> None:
    a: list[float] = []
    b: list[float] = []
    for _ in range(n):  # alternate, so drift in the machine's load hits both alike
        a.append(run_a())
        b.append(run_b())
    ratios = [x / y for x, y in zip(a, b, strict=True)]
    print(f"  {name_a:<44} median {_ms(statistics.median(a))}  (min {_ms(min(a))})")
    print(f"  {name_b:<44} median {_ms(statistics.median(b))}  (min {_ms(min(b))})")
    print(f"  {'ratio (median of the per-pair ratios)':<44} {statistics.median(ratios):9.2f}")


# ----------------------------------------------------------------- 1 and 2


def whole_process(n: int, pycache: Path) -> None:
    """Run twice: in this environment as it is, and with every module's bytecode cached.

    With PYTHONDONTWRITEBYTECODE set and the package installed editable, the
    package's modules are compiled from source in every process while
    attrs and cattrs have their .pyc files in site-packages; an installed
    wheel has its .pyc too. The second run puts both on the same footing
    (PYTHONPYCACHEPREFIX, outside the source tree, after one warm-up run).
    """
    package = [PYTHON, "-c", "import tokyotech_partners; tokyotech_partners.load()"]
    baseline = [PYTHON, "-c", "import attrs, cattrs"]
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached["PYTHONPYCACHEPREFIX"] = str(pycache)
    as_is = "set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "not set"
    for title, env in (
        (f"this environment (PYTHONDONTWRITEBYTECODE {as_is})", None),
        ("bytecode cached for every module", cached),
    ):
        print(f"\n1. Whole process, {n} runs each, alternating: {title}")
        _wall(package, env)
        _wall(baseline, env)
        _side_by_side(
            "import tokyotech_partners; load()",
            lambda env=env: _wall(package, env),
            "import attrs, cattrs",
            lambda env=env: _wall(baseline, env),
            n,
        )


FIRST_LOAD = """
import time
import tokyotech_partners
start = time.perf_counter()
tokyotech_partners.load()
print(time.perf_counter() - start)
"""

JSON_ONLY = """
import json, sys, time
from pathlib import Path
root = Path(sys.argv[1])
names = sys.argv[2:]
start = time.perf_counter()
for name in names:
    text = (root / name).read_bytes().decode("utf-8")
    if name.endswith(".jsonl"):
        [json.loads(line) for line in text.splitlines()]
    else:
        json.loads(text)
print(time.perf_counter() - start)
"""


def first_load(n: int) -> None:
    print(f"\n2. First load() in a fresh process (import not timed), {n} runs each, alternating")
    root = str(PACKAGED)
    _side_by_side(
        "load() of the packaged edition",
        lambda: _reported([PYTHON, "-c", FIRST_LOAD]),
        "read + json.loads of the same files",
        lambda: _reported([PYTHON, "-c", JSON_ONLY, root, *DATA_FILES]),
        n,
    )


# ----------------------------------------------------------------- 3


def _jsonl(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def write_edition(root: Path, agreements: int) -> None:
    """A valid edition of ``agreements`` agreements and one institution per five agreements.

    Edition, countries, offices and budget are the packaged ones; every
    agreement differs from the others by its partner unit; corrections refer
    to generated agreements.
    """
    root.mkdir()
    for name in ("edition.json", "countries.jsonl", "offices.jsonl", "budget.jsonl"):
        (root / name).write_bytes((PACKAGED / name).read_bytes())
    codes = [
        json.loads(line)["code"] for line in (PACKAGED / "countries.jsonl").read_text("utf-8").splitlines()
    ]
    as_of_year = int(json.loads((PACKAGED / "edition.json").read_text("utf-8"))["as_of"][:4])
    regions = [r.value for r in ttp.Region]
    exchanges = [e.value for e in ttp.ExchangeType]
    units = [c.value for c in ttp.Counterpart]
    n_inst = max(1, agreements // 5)
    institutions = [
        {
            "id": f"inst-{i:06d}",
            "name": f"Institute of Technology {i}",
            "country": codes[i % len(codes)],
            "aliases": [f"IT{i}"] if i % 3 == 0 else [],
            "former_names": [],
            "grande_ecole": i % 50 == 0,
            "notes": [],
        }
        for i in range(n_inst)
    ]
    rows = []
    for k in range(agreements):
        school = k % 2 == 1
        partners = [f"inst-{k % n_inst:06d}"]
        if k % 10 == 0 and n_inst > 1:
            partners.append(f"inst-{(k + 1) % n_inst:06d}")
        rows.append(
            {
                "id": f"A-{k:06d}",
                "level": "school" if school else "institutional",
                "partners": partners,
                "partner_unit": f"Department {k}",
                "counterparts": sorted({units[k % len(units)], units[(k // 7) % len(units)]})
                if school
                else [],
                "concluded": 1950 + k % (as_of_year - 1950 + 1),
                "exchange_types": exchanges[: 1 + k % len(exchanges)],
                "region": regions[k % len(regions)],
                "printed": f"Institute of Technology {k % n_inst}",
                "source_line": k + 1,
                "counterpart_doubt": None,
                "notes": [],
            }
        )
    corrections = [
        {
            "record": f"A-{k:06d}",
            "field": "partners[].country",
            "kind": "country",
            "printed": "elsewhere",
            "recorded": "here",
            "reason": "generated",
        }
        for k in range(0, agreements, 100)
    ]
    (root / "institutions.jsonl").write_text(_jsonl(institutions), "utf-8")
    (root / "agreements.jsonl").write_text(_jsonl(rows), "utf-8")
    (root / "corrections.jsonl").write_text(_jsonl(corrections), "utf-8")


def _median_time(call: Callable[[], object], repeat: int) -> tuple[float, object]:
    times = []
    result: object = None
    for _ in range(repeat):
        result = None  # drop the last result first: a live copy would make the collector's work bigger
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def generated_editions(tmp: Path, repeats: dict[int, int]) -> ttp.Dataset:
    print("\n3. load(path) of generated editions")
    print("   (in this process, after one warm-up load)")
    ttp.load()  # the converter's hooks are generated once, by the first load
    medians: dict[int, float] = {}
    largest: Any = None
    for size in SIZES:
        root = tmp / f"edition-{size}"
        if not root.exists():
            write_edition(root, size)
        megabytes = sum(f.stat().st_size for f in root.iterdir()) / 1e6
        largest = None
        gc.collect()
        medians[size], largest = _median_time(lambda root=root: ttp.load(root), repeats[size])
        per = medians[size] / size * 1e6
        print(
            f"  {size:>7,} agreements ({megabytes:5.1f} MB, {repeats[size]} runs)"
            f"  median {_ms(medians[size])}  ({per:5.1f} µs per agreement)"
        )
    ratio = medians[100_000] / medians[10_000]
    print(f"  ratio 100k/10k {ratio:.2f} (linear would be 10; target <= 12)")
    assert isinstance(largest, ttp.Dataset)
    return largest


def profile_load(tmp: Path) -> None:
    print("\n   cProfile of load() of the 10,000 edition, top 15 by own time:")
    profiler = cProfile.Profile()
    profiler.enable()
    ttp.load(tmp / "edition-10000")
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    print("\n".join("   " + line for line in out.getvalue().splitlines() if line.strip()))


# ----------------------------------------------------------------- 4


def queries(ds: ttp.Dataset, repeat: int) -> None:
    print(
        f"\n4. Queries on the {len(ds.agreements):,} agreement edition, median of {repeat} calls (first call)"
    )
    inst = ds.institutions[len(ds.institutions) // 2]
    name = inst.name
    cases: list[tuple[str, str, Callable[[], object]]] = [
        ("institution", "institution(id)", lambda: ds.institution(inst.id)),
        ("agreements_of", "agreements_of(id)", lambda: ds.agreements_of(inst.id)),
        ("lookup_institution", "lookup_institution(name)", lambda: ds.lookup_institution(name)),
        ("lookup_institution", "lookup_institution(alias, other case)", lambda: ds.lookup_institution("it3")),
        (
            "search_institutions",
            "search_institutions('technology 123')",
            lambda: ds.search_institutions("technology 123"),
        ),
        ("agreements_where", "agreements_where(level='school')", lambda: ds.agreements_where(level="school")),
        (
            "agreements_where",
            "agreements_where(country='Germany')",
            lambda: ds.agreements_where(country="Germany"),
        ),
        (
            "agreements_where",
            "agreements_where(region='Europe')",
            lambda: ds.agreements_where(region="Europe"),
        ),
        ("agreements_where", "agreements_where(exchange='S*')", lambda: ds.agreements_where(exchange="S*")),
        (
            "agreements_where",
            "agreements_where(counterpart='Engineering')",
            lambda: ds.agreements_where(counterpart="Engineering"),
        ),
        (
            "agreements_where",
            "agreements_where(since=2000, until=2010)",
            lambda: ds.agreements_where(since=2000, until=2010),
        ),
        ("agreements_where", "agreements_where(partner=name)", lambda: ds.agreements_where(partner=name)),
        (
            "agreements_where",
            "agreements_where(all eight filters)",
            lambda: ds.agreements_where(
                level="school",
                country="DE",
                region="Europe",
                exchange="S",
                counterpart="Engineering",
                since=1990,
                until=2020,
                partner=[inst.id, ds.institutions[0].id],
            ),
        ),
    ]
    for method, label, call in cases:
        if not hasattr(ds, method):
            print(f"  {label:<48} skipped: Dataset has no {method}() yet")
            continue
        start = time.perf_counter()
        result = call()
        first = time.perf_counter() - start
        median, _ = _median_time(call, repeat)
        size = f"{len(result)} results" if isinstance(result, tuple) else type(result).__name__
        print(f"  {label:<48} {_ms(median)}  ({_ms(first).strip()})  {size}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="subprocess runs per side in 1 and 2")
    parser.add_argument("--query-repeat", type=int, default=21, help="calls per query in 4")
    parser.add_argument("--profile", action="store_true", help="cProfile the load of the 10,000 edition")
    args = parser.parse_args()
    print(f"tokyotech_partners {ttp.__version__}; Python {platform.python_version()} ({sys.executable})")
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{platform.platform()}; {os.cpu_count()} CPUs, {usable} usable by this process")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "pycache").mkdir()
        whole_process(args.runs, Path(tmp) / "pycache")
        first_load(args.runs)
        repeats = {1_000: 21, 10_000: 7, 100_000: 3}
        largest = generated_editions(Path(tmp), repeats)
        if args.profile:
            profile_load(Path(tmp))
        queries(largest, args.query_repeat)


if __name__ == "__main__":
    main()
