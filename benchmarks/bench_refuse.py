"""Memory and time of refusing an edition, run by hand (never a test): ``python benchmarks/bench_refuse.py``.

Each case is a copy of the packaged edition with one file replaced by a file
of up to the 64 MiB cap (``MAX_FILE_BYTES``); each is loaded in a fresh
interpreter, which reports its own peak resident set (``ru_maxrss``) and the
wall time of ``load(path)``. The baseline is a fresh interpreter that imports
the package and loads the packaged edition. Printed: one row per case, with
the peak above the baseline as a multiple of the largest file's size.

``--mib N`` sizes the generated files (64 by default); ``--only NAME``
(repeatable) runs the named cases alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import tokyotech_partners as ttp

MiB = 1024 * 1024

CHILD = """
import json, resource, sys, time
import tokyotech_partners as ttp
start = time.perf_counter()
try:
    ttp.load(sys.argv[1] if sys.argv[1] != "-" else None)
except ttp.DatasetError as exc:
    outcome = f"DatasetError: {exc.file}, {exc.record}, {exc.field}"
else:
    outcome = "loaded"
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"outcome": outcome, "seconds": seconds, "peak_mib": peak}))
"""


def _fill(path: Path, size: int, line: Callable[[int], bytes], head: bytes = b"", tail: bytes = b"") -> None:
    """``path`` as ``head``, then lines ``line(0)``, ``line(1)``... and ``tail``, up to ``size`` bytes."""
    with path.open("wb") as handle:
        handle.write(head)
        written, k = len(head) + len(tail), 0
        while True:
            data = line(k)
            if written + len(data) > size:
                break
            handle.write(data)
            written += len(data)
            k += 1
        handle.write(tail)


def _institution(k: int, pad: int = 0) -> bytes:
    name = f"Institute {k}" + " of Technology" * pad
    record = {"id": f"x-{k}", "name": name, "country": "JP", "aliases": [], "notes": []}
    return (json.dumps(record) + "\n").encode()


def _long_institution(size: int) -> Callable[[int], bytes]:
    """Institutions whose names make ``MAX_RECORDS`` of them fill ``size`` bytes."""
    pad = max(0, (size // ttp._read.MAX_RECORDS - len(_institution(0))) // len(" of Technology"))
    return lambda k: _institution(k, pad)


def _cases(size: int) -> dict[str, tuple[str, Callable[[Path], object]]]:
    def empty_objects(file: str) -> Callable[[Path], object]:
        return lambda p: _fill(p / file, size, lambda _: b"{}\n")

    cases: dict[str, tuple[str, Callable[[Path], object]]] = {
        f"{{}}-lines-{table.key}": (table.file, empty_objects(table.file)) for table in ttp._tables.TABLES
    }
    huge = b'{"code": "' + b"A" * (size - 20) + b'"}\n'
    cases["one-huge-string"] = ("countries.jsonl", lambda p: (p / "countries.jsonl").write_bytes(huge))
    cases["valid-institutions-then-a-bad-line"] = (
        "institutions.jsonl",
        lambda p: _fill(p / "institutions.jsonl", size, _institution, tail=b"{}\n"),
    )
    cases["valid-institutions-up-to-the-record-limit"] = (
        "institutions.jsonl",
        lambda p: _fill(p / "institutions.jsonl", size, _long_institution(size)),
    )
    return cases


def _run(path: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", CHILD, path], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"outcome": (done.stderr.strip().splitlines() or ["?"])[-1], "seconds": 0.0, "peak_mib": 0.0}
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mib", type=int, default=64, help="size of the generated file (64)")
    parser.add_argument("--only", action="append", metavar="NAME", help="run this case alone")
    args = parser.parse_args()
    size = min(args.mib * MiB, ttp._read.MAX_FILE_BYTES)
    base = _run("-")
    print(f"limits: {ttp._read.MAX_FILE_BYTES} bytes and {ttp._read.MAX_RECORDS} records a file")
    print(f"baseline (import + packaged load): {base['peak_mib']:.0f} MiB, {base['seconds']:.2f} s")
    print(f"{'case':42} {'file MiB':>8} {'s':>6} {'peak MiB':>9} {'x file':>6}  outcome")
    for name, (file, build) in _cases(size).items():
        if args.only and name not in args.only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            root = ttp.write_edition(ttp.load(), Path(tmp) / "edition")
            build(root)
            file_mib = os.path.getsize(root / file) / MiB
            result = _run(str(root))
        peak = float(str(result["peak_mib"]))
        ratio = (peak - float(str(base["peak_mib"]))) / file_mib
        print(
            f"{name:42} {file_mib:8.1f} {float(str(result['seconds'])):6.2f} {peak:9.0f} {ratio:6.2f}"
            f"  {result['outcome']}"
        )


if __name__ == "__main__":
    main()
