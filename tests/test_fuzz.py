"""Random mutations of the packaged edition's files: only DatasetError ever escapes ``load(path)``.

Seeded and bounded: ``TTP_FUZZ_COUNT`` mutations (1,000 by default) from
``TTP_FUZZ_SEED`` (0 by default), each a change to the bytes of one file or to
the meaning of one record, loaded from a copy of the edition. A longer run of
the same harness, as docs/data.md says::

    TTP_FUZZ_COUNT=100000 TTP_FUZZ_SEED=1 python -m pytest tests/test_fuzz.py

A failure names the seed and the mutation's number and description, so that
``TTP_FUZZ_SEED=<seed> TTP_FUZZ_COUNT=<number + 1>`` replays it.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest

import tokyotech_partners as ttp
from tokyotech_partners._errors import MAX_MESSAGE
from tokyotech_partners._tables import DATA_FILES

PACKAGED = Path(str(resources.files("tokyotech_partners") / "data"))
ORIGINAL = {name: (PACKAGED / name).read_bytes() for name in DATA_FILES}
COUNT = int(os.environ.get("TTP_FUZZ_COUNT", "1000"))
SEED = int(os.environ.get("TTP_FUZZ_SEED", "0"))

# Values a field may be set to: every JSON type, the edges of each, and monsters.
NASTY: list[object] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    2**63,
    -(2**63) - 1,
    10**30,
    int("9" * 4000),
    1.5,
    1e308,
    -0.0,
    "",
    " ",
    "\t",
    "x" * 100_000,
    "\u3000",
    "\ufeff",
    "a\nb",
    "../etc/passwd",
    "XX",
    "2021-W17-6",
    "20210501",
    "9999-12-31",
    "0000-00-00",
    "37.3",
    "100.0",
    "NaN",
    [],
    [None],
    ["F", "F"],
    [""],
    {},
    {"a": 1},
    [[[[[]]]]],
    "Ω" * 1000,
]
RAW_NASTY = ["NaN", "Infinity", "-Infinity", "[" * 5000 + "]" * 5000, "1e999", "9" * 5000, '"\\ud800"']


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _join(lines: list[bytes]) -> bytes:
    return b"\n".join(lines)


def _byte_ops(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    n = len(data)
    at = rng.randrange(n + 1)
    choice = rng.randrange(10)
    if choice == 0:
        flipped = data[at % n] ^ (1 << rng.randrange(8))
        return f"flip bit at {at % n}", data[: at % n] + bytes([flipped]) + data[at % n + 1 :]
    if choice == 1:
        return f"truncate at {at}", data[:at]
    if choice == 2:
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
        return f"insert {junk!r} at {at}", data[:at] + junk + data[at:]
    if choice == 3:
        return f"delete {at}..{at + 5}", data[:at] + data[at + 5 :]
    lines = _lines(data)
    k, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    if choice == 4:
        lines.insert(j, lines[k])
        return f"repeat line {k + 1} at {j + 1}", _join(lines)
    if choice == 5:
        lines.insert(j, lines.pop(k))
        return f"move line {k + 1} to {j + 1}", _join(lines)
    if choice == 6:
        del lines[k]
        return f"delete line {k + 1}", _join(lines)
    if choice == 7:
        return "BOM", b"\xef\xbb\xbf" + data
    if choice == 8:
        return "CRLF", data.replace(b"\n", b"\r\n")
    return "Latin-1", data.decode("utf-8").encode("latin-1", "replace")


def _record_ops(rng: random.Random, name: str, data: bytes) -> tuple[str, bytes]:
    """Change one value of one record (a key set, dropped or added), keeping the file's JSON valid."""
    lines = _lines(data) if name.endswith(".jsonl") else [data]
    k = rng.randrange(len(lines) - 1) if name.endswith(".jsonl") else 0
    record = json.loads(lines[k])
    key = rng.choice(sorted(record))
    choice = rng.randrange(4)
    if choice == 0:
        value = rng.choice(NASTY)
        record[key] = value
        what = f"line {k + 1} {key} = {str(value)[:30]!r}"
    elif choice == 1:
        del record[key]
        what = f"line {k + 1} without {key}"
    elif choice == 2:
        other = json.loads(rng.choice(lines[:-1]) if name.endswith(".jsonl") else data)
        record[key] = other.get(key)
        what = f"line {k + 1} {key} from another record"
    else:
        raw = rng.choice(RAW_NASTY)
        text = json.dumps({**record, key: "@@"}).replace('"@@"', raw)
        lines[k] = text.encode()
        return f"line {k + 1} {key} = {raw[:20]}", _join(lines)
    lines[k] = json.dumps(record, ensure_ascii=rng.random() < 0.5).encode()
    return what, _join(lines)


def _mutation(rng: random.Random) -> tuple[str, str, bytes | None]:
    """A file, what was done to it, and its new content (None: a directory in its place)."""
    name = rng.choice(DATA_FILES)
    data = ORIGINAL[name]
    choice = rng.random()
    if choice < 0.02:
        return name, "a directory", None
    if choice < 0.5:
        what, new = _byte_ops(rng, data)
    else:
        what, new = _record_ops(rng, name, data)
    return name, what, new


def _put(root: Path, name: str, data: bytes | None) -> None:
    path = root / name
    if path.is_dir():
        path.rmdir()
    if data is None:
        path.unlink(missing_ok=True)
        path.mkdir()
    else:
        path.write_bytes(data)


def _load_each(root: Path, count: int, seed: int, check: Callable[[str, BaseException], None]) -> int:
    rng = random.Random(seed)
    refused = 0
    for number in range(count):
        name, what, data = _mutation(rng)
        _put(root, name, data)
        try:
            ttp.load(root)
        except ttp.DatasetError as exc:
            refused += 1
            if len(str(exc)) > MAX_MESSAGE:
                check(f"seed {seed} #{number} {name}: {what}: a message of {len(str(exc))} characters", exc)
        except BaseException as exc:  # noqa: BLE001 -- anything else escaping is the failure looked for
            check(f"seed {seed} #{number} {name}: {what}", exc)
        finally:
            _put(root, name, ORIGINAL[name])
    return refused


def test_only_dataset_errors_escape_random_mutations(ds: ttp.Dataset, tmp_path: Path) -> None:
    root = ttp.write_edition(ds, tmp_path / "edition")
    fresh = ttp.structure_dataset(ttp.unstructure_dataset(ds))
    escaped: list[str] = []
    refused = _load_each(root, COUNT, SEED, lambda where, exc: escaped.append(f"{where}: {exc!r:.300}"))
    assert not escaped, "\n".join(escaped[:20])
    assert refused > COUNT // 2  # the harness does break editions: most mutations are refused
    # the packaged edition is unharmed: the cached object, a copy made before, and the files
    assert ttp.load() is ds
    assert ds == fresh
    assert {name: (PACKAGED / name).read_bytes() for name in DATA_FILES} == ORIGINAL
    assert ttp.load(root) == ds


def test_the_harness_reports_what_escapes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the test above can fail: an exception other than DatasetError is reported with its mutation
    root = ttp.write_edition(ttp.load(), tmp_path / "edition")

    def broken(path: object = None) -> ttp.Dataset:
        raise KeyError("escaped")

    monkeypatch.setattr(ttp, "load", broken)
    escaped: list[str] = []
    _load_each(root, 3, SEED, lambda where, exc: escaped.append(where))
    assert len(escaped) == 3
    assert escaped[0].startswith(f"seed {SEED} #0 ")
