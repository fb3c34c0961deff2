"""Load-time benchmarks, run by hand (never a test): ``python benchmarks/bench_load.py``.

Everything is measured side by side in one run and printed as medians:

1. a whole process that imports the package and loads the packaged edition,
   against one that only imports attrs and cattrs (run in turn), with three
   steps between: the same files only read and parsed (through
   importlib.resources, and with open()), and the package only imported;
2. the first ``load()`` in a fresh process, against reading the same files
   and ``json.loads`` on them (per line for the .jsonl files);
3. ``load(path)`` of generated editions of 1,000, 10,000 and 100,000
   agreements, and the 100k/10k ratio: in this process, then each load in a
   fresh process;
4. the query methods of the 100,000 edition (those that exist; the others
   are reported as skipped).

``--profile`` adds the top of a cProfile of loading the 10,000 edition;
``--only N`` (repeatable) runs section N alone; ``--instructions`` adds to
sections 1 and 3 the instructions executed, counted by valgrind, which unlike
wall time do not vary from run to run (for section 3 this takes minutes).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import io
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

import tokyotech_partners as ttp
from tokyotech_partners._tables import DATA_FILES

PACKAGED = resources.files("tokyotech_partners") / "data"
PYTHON = sys.executable
SIZES = (1_000, 10_000, 100_000)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:9.2f} ms"


def _wall(argv: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def _reported(argv: list[str], env: dict[str, str] | None = None) -> float:
    """A subprocess that prints the seconds it measured itself."""
    done = subprocess.run(argv, check=True, capture_output=True, text=True, env=env)
    return float(done.stdout.split()[-1])


def _round_robin(runs: list[tuple[str, Callable[[], float]]], n: int) -> dict[str, float]:
    """Median of each, and of its per-round ratio to the first (the baseline); printed and returned."""
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(n):  # one of each in turn, so drift in the machine's load hits all alike
        for (_, run), measured in zip(runs, times, strict=True):
            measured.append(run())
    ratios: dict[str, float] = {}
    for (name, _), measured in zip(runs, times, strict=True):
        ratio = statistics.median([x / y for x, y in zip(measured, times[0], strict=True)])
        ratios[name] = ratio
        shown = "" if measured is times[0] else f"ratio {ratio:5.2f}"
        print(f"  {name:<58} median {_ms(statistics.median(measured))}  {shown}")
    return ratios


def _side_by_side(
    name_a: str, run_a: Callable[[], float], name_b: str, run_b: Callable[[], float], n: int
) -> None:
    ratio = _round_robin([(name_b, run_b), (name_a, run_a)], n)[name_a]
    print(f"  {'ratio (median of the per-pair ratios)':<58} {ratio:9.2f}")


# ----------------------------------------------------------------- 1 and 2

# How the scripts below parse a data file, as load() does: JSON Lines line by line.
PARSE = """
import json

def parse(name, data):
    text = data.decode("utf-8")
    return [json.loads(line) for line in text.splitlines()] if name.endswith(".jsonl") else json.loads(text)
"""

# The same files read and parsed as load() reads them, with nothing built from them: from a
# stand-in package (sys.argv[1] on sys.path) through importlib.resources, or with open().
READ_BY_RESOURCES = (
    PARSE
    + """
import sys
sys.path.insert(0, sys.argv[1])
import attrs, cattrs
from importlib import resources
root = resources.files("standin") / "data"
for name in sys.argv[2:]:
    parse(name, (root / name).read_bytes())
"""
)
READ_BY_OPEN = (
    PARSE
    + """
import sys
sys.path.insert(0, sys.argv[1])
import attrs, cattrs, os
import standin
root = os.path.join(os.path.dirname(standin.__file__), "data")
for name in sys.argv[2:]:
    with open(os.path.join(root, name), "rb") as f:
        parse(name, f.read())
"""
)


def _standin(tmp: Path) -> Path:
    """A package holding nothing but a copy of the packaged data files."""
    package = tmp / "standin"
    (package / "data").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for name in DATA_FILES:
        (package / "data" / name).write_bytes((PACKAGED / name).read_bytes())
    return tmp


def whole_process(n: int, tmp: Path, instructions: bool) -> None:
    """Run twice: in this environment as it is, and with every module's bytecode cached.

    With PYTHONDONTWRITEBYTECODE set and the package installed editable, the
    package's modules are compiled from source in every process while
    attrs and cattrs have their .pyc files in site-packages; an installed
    wheel has its .pyc too. The second run puts both on the same footing
    (PYTHONPYCACHEPREFIX, outside the source tree, after one warm-up run).

    Between the baseline and the package, two processes that only read and
    parse the same files show what reading them costs by itself, with
    importlib.resources (as load() reads them) and with open().
    """
    pycache = tmp / "pycache"
    pycache.mkdir()
    standin = str(_standin(tmp))
    commands = [
        ("import attrs, cattrs", [PYTHON, "-c", "import attrs, cattrs"]),
        (
            "... + importlib.resources, json.loads of the data files",
            [PYTHON, "-c", READ_BY_RESOURCES, standin, *DATA_FILES],
        ),
        ("... + open(), json.loads of the data files", [PYTHON, "-c", READ_BY_OPEN, standin, *DATA_FILES]),
        ("import tokyotech_partners", [PYTHON, "-c", "import tokyotech_partners"]),
        (
            "import tokyotech_partners; load()",
            [PYTHON, "-c", "import tokyotech_partners; tokyotech_partners.load()"],
        ),
    ]
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached["PYTHONPYCACHEPREFIX"] = str(pycache)
    as_is = "set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "not set"
    for title, env in (
        (f"this environment (PYTHONDONTWRITEBYTECODE {as_is})", None),
        ("bytecode cached for every module", cached),
    ):
        print(f"\n1. Whole process, {n} rounds of one run each, in turn: {title}")
        for _, argv in commands:
            _wall(argv, env)
        ratios = _round_robin([(name, functools.partial(_wall, argv, env)) for name, argv in commands], n)
        measured = ratios[commands[-1][0]]
        print(f"  target: import tokyotech_partners; load() at most 1.3 times the baseline; {measured:.2f}")
    if instructions:
        _instructions(commands, cached)


def _instructions(commands: list[tuple[str, list[str]]], env: dict[str, str]) -> None:
    """Instructions each command executes, counted by valgrind: the same from run to run."""
    print("\n1b. Whole process, instructions executed (valgrind --tool=callgrind, bytecode cached)")
    if shutil.which("valgrind") is None:
        print("  skipped: valgrind is not installed")
        return
    counts: list[int] = []
    for name, argv in commands:
        counts.append(_count_instructions(argv, env))
        ratio = "" if len(counts) == 1 else f"ratio {counts[-1] / counts[0]:5.2f}"
        print(f"  {name:<58} {counts[-1] / 1e6:9.1f} M  {ratio}")


def _count_instructions(argv: list[str], env: dict[str, str] | None = None) -> int:
    """The instructions a process executes, counted by valgrind's callgrind."""
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/callgrind.out", *argv],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        )
    return int(re.findall(r"Collected : (\d+)", done.stderr)[-1])


def _load_instructions(tmp: Path) -> None:
    """The instructions of load(path) of 10,000 and of 100,000 agreements (minutes under valgrind).

    Each is a process that imports the package, loads the packaged edition and
    then the generated one, less the same process without the last load.
    """
    print("\n3b. load(path), instructions executed (valgrind --tool=callgrind; takes minutes)")
    if shutil.which("valgrind") is None:
        print("  skipped: valgrind is not installed")
        return
    script = "import sys, tokyotech_partners as t; t.load(); sys.argv[1:] and t.load(sys.argv[1])"
    base = _count_instructions([PYTHON, "-c", script])
    counts = {}
    for size in (10_000, 100_000):
        counts[size] = _count_instructions([PYTHON, "-c", script, str(tmp / f"edition-{size}")]) - base
        print(f"  load(path) of {size:>7,} agreements{'':<25} {counts[size] / 1e6:9.1f} M")
    print(f"  ratio 100k/10k {counts[100_000] / counts[10_000]:.2f}")


FIRST_LOAD = """
import time
import tokyotech_partners
start = time.perf_counter()
tokyotech_partners.load()
print(time.perf_counter() - start)
"""

JSON_ONLY = (
    PARSE
    + """
import sys, time
from pathlib import Path
root = Path(sys.argv[1])
names = sys.argv[2:]
start = time.perf_counter()
for name in names:
    parse(name, (root / name).read_bytes())
print(time.perf_counter() - start)
"""
)


def first_load(n: int, tmp: Path) -> None:
    """The first load() against reading and parsing the same files, bytecode cached (as pip installs)."""
    print(f"\n2. First load() in a fresh process (import not timed, bytecode cached), {n} runs each, in turn")
    root = str(PACKAGED)
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache-first-load")
    load = [PYTHON, "-c", FIRST_LOAD]
    parse = [PYTHON, "-c", JSON_ONLY, root, *DATA_FILES]
    _reported(load, cached)  # writes the bytecode
    _side_by_side(
        "load() of the packaged edition",
        lambda: _reported(load, cached),
        "read + json.loads of the same files",
        lambda: _reported(parse, cached),
        n,
    )


# ----------------------------------------------------------------- 3


def generated_dataset(agreements: int) -> ttp.Dataset:
    """A valid dataset of ``agreements`` agreements and one institution per five agreements.

    Edition, countries, offices and budget are the packaged ones; every
    agreement differs from the others by its partner unit; corrections refer
    to generated agreements. Written with :func:`ttp.write_edition`, so the
    files have exactly the layout and order of a real edition.
    """
    packaged = ttp.load()
    codes = [c.code for c in packaged.countries]
    regions = list(ttp.Region)
    exchanges = list(ttp.ExchangeType)
    units = list(ttp.Counterpart)
    n_inst = max(1, agreements // 5)
    institutions = tuple(
        ttp.Institution(
            id=f"inst-{i:06d}",
            name=f"Institute of Technology {i}",
            country=codes[i % len(codes)],
            aliases=(f"IT{i}",) if i % 3 == 0 else (),
            grande_ecole=i % 50 == 0,
        )
        for i in range(n_inst)
    )
    rows = []
    for k in range(agreements):
        school = k % 2 == 1
        partners = [institutions[k % n_inst]]
        if k % 10 == 0 and n_inst > 1:
            partners.append(institutions[(k + 1) % n_inst])
        rows.append(
            ttp.Agreement(
                id=f"A-{k:06d}",
                level=ttp.AgreementLevel.SCHOOL if school else ttp.AgreementLevel.INSTITUTIONAL,
                partners=tuple(partners),
                partner_unit=f"Department {k}",
                counterparts=frozenset({units[k % len(units)], units[(k // 7) % len(units)]})
                if school
                else frozenset(),
                concluded=1950 + k % (packaged.as_of.year - 1950 + 1),
                exchange_types=frozenset(exchanges[: 1 + k % len(exchanges)]),
                region=regions[k % len(regions)],
                printed=f"Institute of Technology {k % n_inst}",
                source_line=k + 1,
            )
        )
    corrections = tuple(
        ttp.Correction(
            record=f"A-{k:06d}",
            field="partners[].country",
            kind=ttp.CorrectionKind.COUNTRY,
            printed="elsewhere",
            recorded="here",
            reason="generated",
        )
        for k in range(0, agreements, 100)
    )
    return attrs.evolve(packaged, institutions=institutions, agreements=tuple(rows), corrections=corrections)


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
        if not root.exists():  # in a child process: this one stays free of the generator's garbage
            subprocess.run([PYTHON, __file__, "--write-edition", str(size), str(root)], check=True)
        megabytes = sum(f.stat().st_size for f in root.iterdir()) / 1e6
        largest = None
        gc.collect()
        medians[size], largest = _median_time(functools.partial(ttp.load, root), repeats[size])
        per = medians[size] / size * 1e6
        print(
            f"  {size:>7,} agreements ({megabytes:5.1f} MB, {repeats[size]} runs)"
            f"  median {_ms(medians[size])}  ({per:5.1f} µs per agreement)"
        )
    print(f"  ratio of these medians 100k/10k {medians[100_000] / medians[10_000]:.2f}")
    _paired_loads(tmp)
    _fresh_process_loads(tmp)
    assert isinstance(largest, ttp.Dataset)
    return largest


def _paired_loads(tmp: Path, rounds: int = 7) -> None:
    """The 100k/10k ratio from rounds of one load of each, in turn, in this process.

    The medians above are taken one size after the other, so drift in the
    machine's load, and the state the earlier loads leave the allocator in,
    fall on one size and not the other; in rounds they fall on both alike.
    """
    print(f"   (in this process, {rounds} rounds of one load of each, in turn; target <= 12)")
    times: dict[int, list[float]] = {10_000: [], 100_000: []}
    for _ in range(rounds):
        for size, measured in times.items():
            gc.collect()
            start = time.perf_counter()
            ttp.load(tmp / f"edition-{size}")  # dropped at once: only one dataset is alive at a time
            measured.append(time.perf_counter() - start)
    for size, measured in times.items():
        name = f"load(path) of {size:,} agreements"
        print(f"  {name:<58} median {_ms(statistics.median(measured))}")
    ratios = [big / small for small, big in zip(times[10_000], times[100_000], strict=True)]
    shown = ", ".join(f"{r:.1f}" for r in sorted(ratios))
    print(f"  ratio 100k/10k (median of the per-round ratios) {statistics.median(ratios):.2f}  [{shown}]")


FRESH_LOAD = """
import sys, time
import tokyotech_partners
tokyotech_partners.load()
start = time.perf_counter()
tokyotech_partners.load(sys.argv[1])
print(time.perf_counter() - start)
"""


def _fresh_process_loads(tmp: Path) -> None:
    """The same loads, each in a fresh process: how a user meets them (one load per process).

    In one process, the earlier loads leave the allocator's memory warm for the
    smaller editions and not for the largest, which the ratio above also measures.
    """
    rounds = 5
    print(f"   (each in a fresh process after a load of the packaged edition; {rounds} rounds, in turn)")
    runs: list[tuple[str, Callable[[], float]]] = [
        (
            f"load(path) of {size:,} agreements",
            functools.partial(_reported, [PYTHON, "-c", FRESH_LOAD, str(tmp / f"edition-{size}")]),
        )
        for size in (10_000, 100_000)
    ]
    ratio = _round_robin(runs, rounds)[runs[1][0]]
    print(f"  ratio 100k/10k (median of the per-round ratios) {ratio:.2f}")


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
    _search_against_scan(ds)
    _count_against_loop(ds, repeat)


#: The search queries timed: exact, partial, misspelt, absent.
SEARCHES = (
    "technology 123",
    "Institute of Technolgy 4567",
    "it3",
    "institute",
    "Tsinghua",
    "Massachusets",
    "instiute of technology 19999",
    "zzz",
)


def _search_against_scan(ds: ttp.Dataset) -> None:
    """search_institutions against the plain scan that defines it (every name scored in full)."""
    from tokyotech_partners import _names

    print(f"\n   search_institutions, {len(ds.institutions):,} institutions, once per query:")
    totals = {"pruned": 0.0, "plain scan": 0.0}
    for query in SEARCHES:
        for label, search in (("pruned", ds.search_institutions), ("plain scan", None)):
            start = time.perf_counter()
            found = search(query) if search else _names.search_plain(ds._index, query)
            totals[label] += time.perf_counter() - start
        assert found == ds.search_institutions(query), query
    print(
        f"  total over {len(SEARCHES)} queries: pruned {_ms(totals['pruned'])}, "
        f"plain scan {_ms(totals['plain scan'])}; {totals['plain scan'] / totals['pruned']:.1f} times faster"
    )


def _count_loop(agreements: tuple[ttp.Agreement, ...], key: str) -> dict[object, int]:
    """count_by as 0.4.0 counted: one Counter.update of a dict per agreement."""
    from collections import Counter

    getter = ttp.KEYS[key][0]
    counts: Counter[object] = Counter()
    for agreement in agreements:
        counts.update(dict.fromkeys(list(getter(agreement)), 1))
    return dict(counts)


def _count_against_loop(ds: ttp.Dataset, repeat: int) -> None:
    print(f"\n   count_by on {len(ds.agreements):,} agreements, median of {repeat}:")
    for key in ("level", "region", "decade", "country", "exchange_type", "partner"):
        now, counted = _median_time(functools.partial(ttp.count_by, ds.agreements, key), repeat)
        before, looped = _median_time(functools.partial(_count_loop, ds.agreements, key), repeat)
        assert counted == looped, key
        print(f"  {key:<14} {_ms(now)}  (0.4.0 loop {_ms(before).strip()}; {before / now:.1f} times faster)")


def _write_edition_and_exit() -> None:
    """``--write-edition N DIR``: write the generated edition of N agreements to DIR."""
    size, directory = int(sys.argv[2]), Path(sys.argv[3])
    ttp.write_edition(generated_dataset(size), directory)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="subprocess runs of each command in 1 and 2")
    parser.add_argument("--query-repeat", type=int, default=21, help="calls per query in 4")
    parser.add_argument("--profile", action="store_true", help="cProfile the load of the 10,000 edition")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count the instructions of 1 and 3 with valgrind (3: several minutes)",
    )
    parser.add_argument(
        "--only", type=int, choices=(1, 2, 3, 4), action="append", help="run this section only (repeatable)"
    )
    args = parser.parse_args()
    sections = set(args.only or (1, 2, 3, 4))
    print(f"tokyotech_partners {ttp.__version__}; Python {platform.python_version()} ({sys.executable})")
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{platform.platform()}; {os.cpu_count()} CPUs, {usable} usable by this process")
    with tempfile.TemporaryDirectory() as tmp:
        if 1 in sections:
            whole_process(args.runs, Path(tmp), args.instructions)
        if 2 in sections:
            first_load(args.runs, Path(tmp))
        if sections & {3, 4}:
            repeats = {1_000: 21, 10_000: 7, 100_000: 3}
            largest = generated_editions(Path(tmp), repeats)
            if args.instructions and 3 in sections:
                _load_instructions(Path(tmp))
            if args.profile:
                profile_load(Path(tmp))
            if 4 in sections:
                queries(largest, args.query_repeat)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--write-edition"]:
        _write_edition_and_exit()
    else:
        main()
