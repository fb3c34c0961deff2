"""Every defect in an edition's files is a DatasetError naming the file, the record and the field.

The defects are made by mutating the real, packaged data: each example copies
the packaged files into a fresh temporary directory, applies one mutation
(drawn by the ``mutations`` strategy below: a kind, a file, a record, a field
and a new value) and checks that ``ttp.load(tmpdir)`` raises
:class:`DatasetError` -- nothing else -- and says where the defect is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import re
import tempfile
import typing
from collections.abc import Callable, Iterable
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, note
from hypothesis import strategies as st

import tokyotech_partners as ttp
from tokyotech_partners import _read
from tokyotech_partners._tables import DATA_FILES, EDITION_FILE, FOUNDED, TABLES

PACKAGED = Path(str(resources.files("tokyotech_partners") / "data"))
ORIGINAL: dict[str, bytes] = {name: (PACKAGED / name).read_bytes() for name in DATA_FILES}
LINES: dict[str, list[str]] = {
    name: data.decode("utf-8").split("\n")[:-1] for name, data in ORIGINAL.items() if name.endswith(".jsonl")
}
RECORDS: dict[str, list[dict[str, Any]]] = {
    name: [json.loads(line) for line in lines] for name, lines in LINES.items()
}
EDITION: dict[str, Any] = json.loads(ORIGINAL["edition.json"])
LAST_YEAR = dt.date.fromisoformat(EDITION["as_of"]).year

CLASSES: dict[str, type] = {EDITION_FILE: ttp.Edition, **{table.file: table.stored_as for table in TABLES}}

DIRECTORY = b"<a directory where the file should be>"


# ------------------------------------------------------------ the fields


@dataclasses.dataclass(frozen=True)
class FieldInfo:
    name: str
    json: str  # "string", "integer", "boolean" or "array" (of strings)
    optional: bool  # None is a valid value
    required: bool  # the key may not be left out
    enum: type[enum.Enum] | None  # the enum of the value or of the array's elements


def _field_info(field: attrs.Attribute[Any]) -> FieldInfo:
    tp = field.type
    args = typing.get_args(tp)
    optional = type(None) in args
    if optional:
        (tp,) = [a for a in args if a is not type(None)]
    origin = typing.get_origin(tp)
    element = typing.get_args(tp)[0] if origin in (tuple, frozenset) else tp
    kind = (
        "array"
        if origin in (tuple, frozenset)
        else "boolean"
        if tp is bool
        else "integer"
        if tp is int
        else "string"  # str, enums, dates, decimals
    )
    is_enum = isinstance(element, type) and issubclass(element, enum.Enum)
    return FieldInfo(
        field.name,
        kind,
        optional,
        field.default is attrs.NOTHING,
        element if is_enum else None,
    )


def _fields(cls: type) -> dict[str, FieldInfo]:
    attrs.resolve_types(cls)
    return {f.name: _field_info(f) for f in attrs.fields(cls)}


FIELDS = {name: _fields(cls) for name, cls in CLASSES.items()}


# ------------------------------------------------------------ mutations


@dataclasses.dataclass(frozen=True)
class Mutation:
    """One defect: what it is, and where the error must say it is."""

    kind: str
    file: str  # the file the error must name
    record: int | str | None  # the 1-based line the error must name, "edition", "any" (some record) or None
    fields: tuple[str, ...]  # the field the error must name (or a path below one); () for none
    detail: str  # for the reader of a failing example
    change: Callable[[dict[str, bytes]], None] = dataclasses.field(repr=False, compare=False)
    limit: int | None = None  # MAX_FILE_BYTES to load with

    def applied(self) -> dict[str, bytes]:
        files = dict(ORIGINAL)
        self.change(files)
        return files


def _record_named(record: str | None, expected: int | str | None) -> bool:
    if expected is None or expected == "edition":
        return record == expected
    if expected == "any":
        return record is not None
    return record == f"line {expected}" or (record is not None and record.endswith(f"(line {expected})"))


def _field_named(field: str | None, expected: tuple[str, ...]) -> bool:
    if not expected:
        return field is None
    return field is not None and any(field == e or field.startswith(f"{e}[") for e in expected)


def _dump(record: dict[str, Any], ascii: bool = False) -> str:
    return json.dumps(record, ensure_ascii=ascii)


def _set_line(file: str, number: int, text: str) -> Callable[[dict[str, bytes]], None]:
    """A change replacing line ``number`` (1-based) of a JSON Lines file."""

    def change(files: dict[str, bytes]) -> None:
        lines = list(LINES[file])
        lines[number - 1] = text
        files[file] = ("\n".join(lines) + "\n").encode("utf-8")

    return change


def _insert_line(file: str, number: int, text: str) -> Callable[[dict[str, bytes]], None]:
    """A change inserting ``text`` so that it becomes line ``number`` (1-based)."""

    def change(files: dict[str, bytes]) -> None:
        lines = list(LINES[file])
        lines.insert(number - 1, text)
        files[file] = ("\n".join(lines) + "\n").encode("utf-8")

    return change


def _set_record(
    file: str, number: int, record: dict[str, Any], ascii: bool = False
) -> Callable[[dict[str, bytes]], None]:
    """A change replacing a record; ``ascii`` escapes every non-ASCII character (``\\u....``)."""
    if file == "edition.json":

        def change(files: dict[str, bytes]) -> None:
            files[file] = (json.dumps(record, indent=2, ensure_ascii=ascii) + "\n").encode("utf-8")

        return change
    return _set_line(file, number, _dump(record, ascii))


def _put(draw: st.DrawFn, record: dict[str, Any], info: FieldInfo, value: str) -> None:
    """Set the field to ``value``, or for an array field insert it among the elements."""
    if info.json == "array":
        items = list(record[info.name])
        items.insert(draw(st.integers(0, len(items))), value)
        record[info.name] = items
    else:
        record[info.name] = value


_text = st.text(st.characters(codec="utf-8"), max_size=12)
_json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _text
)
_json_values = st.recursive(
    _json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=6,
)
_record_files = st.sampled_from(list(CLASSES))
_list_files = st.sampled_from(list(LINES))


@st.composite
def _record(draw: st.DrawFn, files: Iterable[str] = CLASSES) -> tuple[str, int, dict[str, Any]]:
    """A file, a 1-based record line of it (1 for edition.json) and a copy of that record."""
    file = draw(st.sampled_from(list(files)))
    if file == "edition.json":
        return file, 1, dict(EDITION)
    number = draw(st.integers(1, len(RECORDS[file])))
    return file, number, dict(RECORDS[file][number - 1])


def _where(file: str, number: int) -> int | str:
    return "edition" if file == "edition.json" else number


# --- the file as a whole


@st.composite
def missing_file(draw: st.DrawFn) -> Mutation:
    file = draw(st.sampled_from(DATA_FILES))
    as_directory = draw(st.booleans())

    def change(files: dict[str, bytes]) -> None:
        if as_directory:
            files[file] = DIRECTORY
        else:
            del files[file]

    return Mutation("missing", file, None, (), f"directory={as_directory}", change)


@st.composite
def empty_file(draw: st.DrawFn) -> Mutation:
    file = draw(st.sampled_from(DATA_FILES))
    blank = draw(st.text(st.sampled_from(" \t\r\n"), max_size=5))

    def change(files: dict[str, bytes]) -> None:
        files[file] = blank.encode()

    return Mutation("empty", file, None, (), repr(blank), change)


@st.composite
def truncated_file(draw: st.DrawFn) -> Mutation:
    file = draw(st.sampled_from(DATA_FILES))
    data = ORIGINAL[file]
    if file == "edition.json":
        # any prefix that stops before the closing brace
        cut = draw(st.integers(1, data.rindex(b"}")))
        record: int | str = "any"  # "edition" for the JSON error, its line for a split character
    else:
        # a cut at a line boundary leaves a valid, shorter file: cut inside a line
        cut = draw(st.integers(1, len(data) - 1).filter(lambda c: data[c - 1 : c] != b"\n"))
        record = data[:cut].count(b"\n") + 1

    def change(files: dict[str, bytes]) -> None:
        files[file] = data[:cut]

    return Mutation("truncated", file, record, (), f"cut at byte {cut} of {len(data)}", change)


@st.composite
def not_utf8(draw: st.DrawFn) -> Mutation:
    file = draw(st.sampled_from(DATA_FILES))
    data = ORIGINAL[file]
    at = draw(st.integers(0, len(data)))
    bad = draw(
        st.sampled_from([b"\xff", b"\xfe", b"\x80", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"])
    )

    def change(files: dict[str, bytes]) -> None:
        files[file] = data[:at] + bad + data[at:]

    return Mutation("not UTF-8", file, data[:at].count(b"\n") + 1, (), f"{bad!r} at byte {at}", change)


@st.composite
def oversized_file(draw: st.DrawFn) -> Mutation:
    # The limit is lowered to the largest real file, so every real file passes it.
    limit = max(len(data) for data in ORIGINAL.values())
    file = draw(st.sampled_from(DATA_FILES))
    grow = limit - len(ORIGINAL[file]) + draw(st.integers(1, 1000))

    def change(files: dict[str, bytes]) -> None:
        files[file] = ORIGINAL[file] + b"\n" * grow

    return Mutation("too large", file, None, (), f"{grow} bytes more, limit {limit}", change, limit=limit)


# --- one line's JSON


@st.composite
def blank_line(draw: st.DrawFn) -> Mutation:
    file = draw(_list_files)
    number = draw(st.integers(1, len(LINES[file])))
    blank = draw(st.text(st.sampled_from(" \t\r"), max_size=3))
    return Mutation("blank line", file, number, (), repr(blank), _insert_line(file, number, blank))


@st.composite
def not_an_object(draw: st.DrawFn) -> Mutation:
    file = draw(_list_files)
    number = draw(st.integers(1, len(LINES[file])))
    value = draw(_json_values.filter(lambda v: not isinstance(v, dict)))
    return Mutation("not an object", file, number, (), _dump(value), _set_line(file, number, _dump(value)))


@st.composite
def broken_line(draw: st.DrawFn) -> Mutation:
    file = draw(_list_files)
    number = draw(st.integers(1, len(LINES[file])))
    line = LINES[file][number - 1]
    cut = draw(st.integers(1, len(line) - 1))  # a line is one object: any strict prefix is invalid
    return Mutation("broken JSON", file, number, (), line[:cut], _set_line(file, number, line[:cut]))


@st.composite
def monstrous_value(draw: st.DrawFn) -> Mutation:
    """A value the JSON parser itself chokes on: nested too deeply, or an integer too long to convert."""
    file, number, record = draw(_record())
    key = draw(st.sampled_from(list(record)))
    depth = 100_000
    raw = draw(st.sampled_from(["[" * depth + "]" * depth, "9" * 5_000, '{"a":' * depth + "0" + "}" * depth]))
    record[key] = "@@placeholder@@"
    dumped = _dump(record) if file != "edition.json" else json.dumps(record, indent=2)
    text = dumped.replace('"@@placeholder@@"', raw)

    def change(files: dict[str, bytes]) -> None:
        if file == "edition.json":
            files[file] = (text + "\n").encode()
        else:
            _set_line(file, number, text)(files)

    # the error is the JSON parser's: the line, no field
    return Mutation("monstrous value", file, _where(file, number), (), f"{key}: {raw[:12]}...", change)


# --- one record's keys and values


@st.composite
def dropped_key(draw: st.DrawFn) -> Mutation:
    file, number, record = draw(_record())
    key = draw(st.sampled_from([f.name for f in FIELDS[file].values() if f.required]))
    del record[key]
    return Mutation("dropped key", file, _where(file, number), (key,), key, _set_record(file, number, record))


@st.composite
def extra_key(draw: st.DrawFn) -> Mutation:
    file, number, record = draw(_record())
    key = draw(_text.filter(lambda k: k not in record))
    record[key] = draw(_json_values)
    return Mutation("extra key", file, _where(file, number), (key,), key, _set_record(file, number, record))


@st.composite
def repeated_key(draw: st.DrawFn) -> Mutation:
    file, number, record = draw(_record())
    key = draw(st.sampled_from(list(record)))
    value = draw(st.sampled_from([record[key]]) | _json_values)
    if file == "edition.json":
        head = ORIGINAL[file].decode().rstrip()[:-1].rstrip()
        text = f"{head},\n  {json.dumps(key)}: {json.dumps(value)}\n}}\n"

        def change(files: dict[str, bytes]) -> None:
            files[file] = text.encode()

    else:
        line = LINES[file][number - 1]
        change = _set_line(file, number, f"{line[:-1]}, {json.dumps(key)}: {json.dumps(value)}}}")
    return Mutation("repeated key", file, _where(file, number), (key,), f"{key}: {value!r}", change)


# A value of each JSON type, to put where another type belongs.
_OF_JSON_TYPE: dict[str, st.SearchStrategy[Any]] = {
    "null": st.none(),
    "boolean": st.booleans(),
    "integer": st.integers(-(10**12), 10**12),
    "number": st.sampled_from([2021.0, 0.0, -1.5]) | st.floats(allow_nan=False, allow_infinity=False),
    "string": st.sampled_from(["", "2021", "x"]) | _text,
    "array": st.lists(
        _json_scalars.filter(lambda v: type(v) is not str), min_size=1, max_size=3
    ),  # non-strings
    "object": st.dictionaries(_text, _json_values, max_size=3),
}


def _wrong_json_types(info: FieldInfo) -> list[str]:
    """The JSON types that do not belong in the field (an array of strings is the only array that does)."""
    right = {"string": "string", "integer": "integer", "boolean": "boolean", "array": ""}[info.json]
    return [t for t in _OF_JSON_TYPE if t != right and not (t == "null" and info.optional)]


@st.composite
def wrong_type(draw: st.DrawFn) -> Mutation:
    file, number, record = draw(_record())
    info = draw(st.sampled_from(list(FIELDS[file].values())))
    json_type = draw(st.sampled_from(_wrong_json_types(info)))
    value = draw(_OF_JSON_TYPE[json_type])
    record[info.name] = value
    return Mutation(
        "wrong type",
        file,
        _where(file, number),
        (info.name,),
        f"{info.name}: {json_type} {value!r}",
        _set_record(file, number, record),
    )


@st.composite
def unknown_enum_value(draw: st.DrawFn) -> Mutation:
    enum_fields = [(file, f) for file in CLASSES for f in FIELDS[file].values() if f.enum is not None]
    file, info = draw(st.sampled_from(enum_fields))
    _, number, record = draw(_record([file]))
    assert info.enum is not None
    values = {member.value for member in info.enum}
    bogus = draw(
        st.one_of(
            st.sampled_from(
                [v.upper() for v in values] + [v.lower() for v in values] + [f" {v}" for v in values]
            ),
            _text,
        ).filter(lambda v: v not in values)
    )
    _put(draw, record, info, bogus)
    return Mutation(
        "unknown enum value",
        file,
        _where(file, number),
        (info.name,),
        f"{info.name}: {bogus!r}",
        _set_record(file, number, record),
    )


@st.composite
def lone_surrogate(draw: st.DrawFn) -> Mutation:
    """A string holding a lone surrogate, escaped as JSON allows (\\udc80): valid UTF-8, not text."""
    text_fields = [
        (file, f)
        for file in CLASSES
        for f in FIELDS[file].values()
        if f.json in ("string", "array") and f.enum is None
    ]
    file, info = draw(st.sampled_from(text_fields))
    _, number, record = draw(_record([file]))
    surrogate = draw(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF))
    base = record[info.name] if isinstance(record[info.name], str) else draw(_text)
    at = draw(st.integers(0, len(base)))
    value = base[:at] + surrogate + base[at:]
    _put(draw, record, info, value)
    return Mutation(
        "lone surrogate",
        file,
        _where(file, number),
        (info.name,),
        f"{info.name}: {value!r}",
        _set_record(file, number, record, ascii=True),  # escaped, so the file itself is valid UTF-8
    )


# --- references, uniqueness, ranges, arithmetic

KNOWN_IDS = {
    "institutions.jsonl": {r["id"] for r in RECORDS["institutions.jsonl"]},
    "countries.jsonl": {r["code"] for r in RECORDS["countries.jsonl"]},
    "corrections.jsonl": {
        r["id"]
        for file in ("agreements.jsonl", "institutions.jsonl", "budget.jsonl", "offices.jsonl")
        for r in RECORDS[file]
    },
}


@st.composite
def dangling_reference(draw: st.DrawFn) -> Mutation:
    target = draw(
        st.sampled_from(
            [
                ("agreements.jsonl", "partners", "institutions.jsonl"),
                ("institutions.jsonl", "country", "countries.jsonl"),
                ("offices.jsonl", "country", "countries.jsonl"),
                ("corrections.jsonl", "record", "corrections.jsonl"),
            ]
        )
    )
    file, key, known = target
    _, number, record = draw(_record([file]))
    code_like = st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), min_size=2, max_size=2)
    unknown = draw((code_like | _text).filter(lambda u: u not in KNOWN_IDS[known]))
    if key == "partners":
        position = draw(st.integers(0, len(record["partners"]) - 1))
        partners = list(record["partners"])
        partners[position] = unknown
        record["partners"] = partners
        field = f"partners[{position}]"
    else:
        record[key] = unknown
        field = key
    return Mutation(
        "dangling reference", file, number, (field,), repr(unknown), _set_record(file, number, record)
    )


def _first_referrer(file: str, removed: dict[str, Any]) -> tuple[str, int, str] | None:
    """Where the first reference to a removed institution or country is: file, line, field."""
    if file == "institutions.jsonl":
        referrers = [
            ("agreements.jsonl", k, f"partners[{r['partners'].index(removed['id'])}]")
            for k, r in enumerate(RECORDS["agreements.jsonl"], start=1)
            if removed["id"] in r["partners"]
        ]
    else:
        referrers = [
            (ref, k, "country")
            for ref in ("institutions.jsonl", "offices.jsonl")
            for k, r in enumerate(RECORDS[ref], start=1)
            if r["country"] == removed["code"]
        ]
    return referrers[0] if referrers else None


REFERRED_TO = [
    (file, number, referrer)
    for file in ("institutions.jsonl", "countries.jsonl")
    for number, record in enumerate(RECORDS[file], start=1)
    if (referrer := _first_referrer(file, record)) is not None  # a country nobody uses may go
]


@st.composite
def removed_target(draw: st.DrawFn) -> Mutation:
    """Remove an institution or a country that others refer to: the first reference is named."""
    file, number, (ref_file, ref_number, field) = draw(st.sampled_from(REFERRED_TO))

    def change(files: dict[str, bytes]) -> None:
        lines = list(LINES[file])
        del lines[number - 1]
        files[file] = ("\n".join(lines) + "\n").encode()

    return Mutation("removed target", ref_file, ref_number, (field,), f"{file} line {number}", change)


@st.composite
def duplicate_id(draw: st.DrawFn) -> Mutation:
    file = draw(
        st.sampled_from(
            ["countries.jsonl", "institutions.jsonl", "agreements.jsonl", "offices.jsonl", "budget.jsonl"]
        )
    )
    original = draw(st.integers(1, len(LINES[file])))
    copy_at = draw(st.integers(original + 1, len(LINES[file]) + 1))  # after the original
    key = "code" if file == "countries.jsonl" else "id"
    return Mutation(
        "duplicate id",
        file,
        copy_at,
        (key,),
        f"line {original} again as line {copy_at}",
        _insert_line(file, copy_at, LINES[file][original - 1]),
    )


@st.composite
def duplicate_agreement(draw: st.DrawFn) -> Mutation:
    """The same agreement again under a new id (and its own printed text, notes and source line)."""
    file = "agreements.jsonl"
    original = draw(st.integers(1, len(LINES[file])))
    copy_at = draw(st.integers(original + 1, len(LINES[file]) + 1))
    record = dict(RECORDS[file][original - 1])
    record["id"] = draw(_text.filter(lambda i: i not in {r["id"] for r in RECORDS[file]}))
    record["printed"] = draw(st.sampled_from([record["printed"], record["printed"] + " (again)"]))
    record["source_line"] = draw(st.integers(1, 10_000))
    record["notes"] = draw(st.lists(_text.filter(str.strip), max_size=2))
    return Mutation(
        "duplicate agreement",
        file,
        copy_at,
        ("id",),
        f"line {original} again as line {copy_at}",
        _insert_line(file, copy_at, _dump(record)),
    )


_outside_history = st.integers(max_value=FOUNDED - 1) | st.integers(min_value=LAST_YEAR + 1)


@st.composite
def year_out_of_range(draw: st.DrawFn) -> Mutation:
    file, key = draw(
        st.sampled_from(
            [
                ("agreements.jsonl", "concluded"),
                ("offices.jsonl", "established"),
                ("offices.jsonl", "succeeds_established"),
                ("budget.jsonl", "fiscal_year"),
                ("edition.json", "fiscal_year"),
            ]
        )
    )
    _, number, record = draw(_record([file]))
    if file == "budget.jsonl":  # every line is of the edition's fiscal year
        year = draw(st.integers().filter(lambda y: y != EDITION["fiscal_year"]))
    elif file == "edition.json":  # a later fiscal year than as_of's next would be a forecast
        year = draw(st.integers(max_value=FOUNDED - 1) | st.integers(min_value=LAST_YEAR + 2))
    else:
        year = draw(_outside_history)
    record[key] = year
    return Mutation(
        "year out of range",
        file,
        _where(file, number),
        (key,),
        f"{key}: {year}",
        _set_record(file, number, record),
    )


@st.composite
def negative_amount(draw: st.DrawFn) -> Mutation:
    file = "budget.jsonl"
    _, number, record = draw(_record([file]))
    record["amount_million_yen"] = draw(st.integers(max_value=-1))
    return Mutation(
        "negative amount",
        file,
        number,
        ("amount_million_yen",),
        str(record["amount_million_yen"]),
        _set_record(file, number, record),
    )


@st.composite
def unbalanced_budget(draw: st.DrawFn) -> Mutation:
    """One amount or printed percent changed: some sum or percent no longer agrees.

    The line named may be another one than the changed line (a category whose items no longer sum).
    """
    file = "budget.jsonl"
    _, number, record = draw(_record([file]))
    if record["percent"] is not None and draw(st.booleans()):
        key = "percent"
        old_tenths = int(Decimal(record[key]) * 10)
        tenths = draw(st.integers(0, 9999).filter(lambda n: n != old_tenths))
        record[key] = f"{tenths // 10}.{tenths % 10}"
    else:
        key = "amount_million_yen"
        old = record[key]
        record[key] = old + draw(st.integers(-old, 10**7).filter(bool))
    return Mutation(
        "unbalanced budget",
        file,
        "any",
        (key,),
        f"line {number} {key}: {record[key]}",
        _set_record(file, number, record),
    )


@st.composite
def orphan_breakdown(draw: st.DrawFn) -> Mutation:
    file = "budget.jsonl"
    breakdowns = [k for k, r in enumerate(RECORDS[file], start=1) if r["kind"] == "breakdown"]
    number = draw(st.sampled_from(breakdowns))
    record = dict(RECORDS[file][number - 1])
    record["parent"] = draw(_text.filter(lambda p: p != record["parent"]))
    # the parent loses a part (its sum is named first) and the part has no parent
    return Mutation(
        "orphan breakdown",
        file,
        "any",
        ("parent", "amount_million_yen"),
        repr(record["parent"]),
        _set_record(file, number, record),
    )


# --- the meaning of a record (issue 13): each rule of "What a valid edition is"

_ALPHA_2 = frozenset(__import__("tokyotech_partners._m49", fromlist=["COUNTRIES"]).COUNTRIES)


@st.composite
def unassigned_country(draw: st.DrawFn) -> Mutation:
    file = "countries.jsonl"
    _, number, record = draw(_record([file]))
    letters = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    code = draw(
        st.sampled_from(["XX", "AA", "QM", "ZZ", "XK", "UK", "EU"]) | st.builds(str.__add__, letters, letters)
    )
    code = draw(st.just(code).filter(lambda c: c not in _ALPHA_2))
    record["code"] = code
    return Mutation("unassigned country", file, number, ("code",), code, _set_record(file, number, record))


@st.composite
def id_not_a_slug(draw: st.DrawFn) -> Mutation:
    file, number, record = draw(_record(["institutions.jsonl", "offices.jsonl"]))
    ids = {r["id"] for r in RECORDS[file]}
    bogus = draw(
        (st.sampled_from(["", "../etc/passwd", "a\nb", "A", "a--b", "-a", "a-", "a b", "é"]) | _text).filter(
            lambda i: i not in ids and not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i)
        )
    )
    record["id"] = bogus
    return Mutation("id not a slug", file, number, ("id",), repr(bogus), _set_record(file, number, record))


_BLANK_FIELDS = [
    ("countries.jsonl", "name"),
    ("countries.jsonl", "labels"),
    ("institutions.jsonl", "name"),
    ("institutions.jsonl", "aliases"),
    ("institutions.jsonl", "former_names"),
    ("institutions.jsonl", "notes"),
    ("offices.jsonl", "name"),
    ("offices.jsonl", "city"),
    ("offices.jsonl", "area"),
    ("offices.jsonl", "succeeds"),
    ("agreements.jsonl", "partner_unit"),
    ("agreements.jsonl", "counterpart_doubt"),
    ("agreements.jsonl", "printed"),
]


@st.composite
def blank_text(draw: st.DrawFn) -> Mutation:
    file, key = draw(st.sampled_from(_BLANK_FIELDS))
    _, number, record = draw(_record([file]))
    blank = draw(st.text(st.sampled_from(" \t\u3000\u00a0"), max_size=3))
    _put(draw, record, FIELDS[file][key], blank)
    return Mutation(
        "blank text", file, number, (key,), f"{key}: {blank!r}", _set_record(file, number, record)
    )


@st.composite
def name_of_two_institutions(draw: st.DrawFn) -> Mutation:
    """An institution's name or alias made another's name (up to case, accents and punctuation)."""
    file = "institutions.jsonl"
    count = len(RECORDS[file])
    i, j = draw(st.lists(st.integers(1, count), min_size=2, max_size=2, unique=True))
    record = dict(RECORDS[file][j - 1])
    name = RECORDS[file][i - 1]["name"]
    name = draw(st.sampled_from([name, name.upper(), name.lower(), f" {name}.", name.replace(" ", "-")]))
    if draw(st.booleans()):
        record["name"] = name
        where, fields = max(i, j), ("name",)  # the later of the two names is the one refused
    else:
        record["aliases"] = [*record["aliases"], name]
        where, fields = j, ("aliases",)
    return Mutation("shared name", file, where, fields, f"line {j}: {name!r}", _set_record(file, j, record))


@st.composite
def date_not_yyyy_mm_dd(draw: st.DrawFn) -> Mutation:
    """as_of in another ISO 8601 form (3.11's fromisoformat takes some), or later than the data version."""
    record = dict(EDITION)
    version_year = int(EDITION["data_version"].split(".")[0])
    record["as_of"] = draw(
        st.sampled_from(["20210501", "2021-W17-6", "2021-121", "2021-5-1", "2021-05-01T00:00", " 2021-05-01"])
        | st.dates(dt.date(version_year + 1, 1, 1)).map(dt.date.isoformat)
    )
    return Mutation(
        "as_of", EDITION_FILE, "edition", ("as_of",), record["as_of"], _set_record(EDITION_FILE, 1, record)
    )


_INTEGER_FIELDS = [(file, f.name) for file in CLASSES for f in FIELDS[file].values() if f.json == "integer"]


@st.composite
def integer_out_of_range(draw: st.DrawFn) -> Mutation:
    file, key = draw(st.sampled_from(_INTEGER_FIELDS))
    _, number, record = draw(_record([file]))
    digits = draw(st.integers(19, 4000))
    record[key] = draw(st.sampled_from([1, -1])) * (10 ** (digits - 1) + draw(st.integers(0, 10**6)))
    if abs(record[key]) < 2**63:
        record[key] = 2**63
    return Mutation(
        "huge integer",
        file,
        _where(file, number),
        (key,),
        f"{key}: {digits} digits",
        _set_record(file, number, record),
    )


@st.composite
def repeated_element(draw: st.DrawFn) -> Mutation:
    file, key = "agreements.jsonl", draw(st.sampled_from(["counterparts", "exchange_types"]))
    numbers = [k for k, r in enumerate(RECORDS[file], start=1) if r[key]]
    number = draw(st.sampled_from(numbers))
    record = dict(RECORDS[file][number - 1])
    items = list(record[key])
    items.insert(draw(st.integers(0, len(items))), draw(st.sampled_from(items)))
    record[key] = items
    return Mutation("repeated element", file, number, (key,), repr(items), _set_record(file, number, record))


@st.composite
def doubt_out_of_place(draw: st.DrawFn) -> Mutation:
    file = "agreements.jsonl"
    numbers = [k for k, r in enumerate(RECORDS[file], start=1) if r["level"] == "institutional"]
    number = draw(st.sampled_from(numbers))
    record = dict(RECORDS[file][number - 1])
    record["counterpart_doubt"] = draw(_text)
    return Mutation(
        "doubt at institution level",
        file,
        number,
        ("counterpart_doubt",),
        "",
        _set_record(file, number, record),
    )


@st.composite
def office_out_of_succession(draw: st.DrawFn) -> Mutation:
    file = "offices.jsonl"
    _, number, record = draw(_record([file]))
    if draw(st.booleans()):  # it succeeds itself
        record["succeeds"] = draw(st.sampled_from([record["name"], record["name"].upper()]))
        record["succeeds_established"] = record["established"]
        field = "succeeds"
    else:  # it succeeds an office established after it
        record["succeeds"] = record.get("succeeds") or "An earlier office"
        record["succeeds_established"] = draw(st.integers(record["established"] + 1, LAST_YEAR + 5))
        field = "succeeds_established"
    return Mutation(
        "office succession", file, number, (field,), repr(record), _set_record(file, number, record)
    )


@st.composite
def budget_meaning(draw: st.DrawFn) -> Mutation:
    """A budget that adds up but means nothing: a side missing, all amounts zero, a percent missing."""
    file = "budget.jsonl"
    kind = draw(st.sampled_from(["one side", "all zero", "percent missing"]))
    records = [dict(r) for r in RECORDS[file]]
    if kind == "one side":
        side = draw(st.sampled_from(["revenue", "expenditure"]))
        records = [r for r in records if r["side"] != side]
        where: int | str | None = None  # the budget as a whole
        fields: tuple[str, ...] = ("side",)
    elif kind == "all zero":
        for r in records:
            r["amount_million_yen"] = 0
        where, fields = "any", ("amount_million_yen",)
    else:
        numbers = [k for k, r in enumerate(records, start=1) if r["kind"] != "breakdown"]
        where = draw(st.sampled_from(numbers))
        records[where - 1]["percent"] = None
        fields = ("percent",)
    text = "".join(_dump(r) + "\n" for r in records)

    def change(files: dict[str, bytes]) -> None:
        files[file] = text.encode()

    return Mutation("budget meaning", file, where, fields, kind, change)


@st.composite
def duplicate_correction(draw: st.DrawFn) -> Mutation:
    file = "corrections.jsonl"
    number = draw(st.integers(1, len(LINES[file])))
    copy_at = draw(st.integers(number + 1, len(LINES[file]) + 1))
    return Mutation(
        "duplicate correction",
        file,
        copy_at,
        ("record",),
        f"line {number}",
        _insert_line(file, copy_at, LINES[file][number - 1]),
    )


SEMANTIC_DEFECTS = [
    unassigned_country(),
    id_not_a_slug(),
    blank_text(),
    name_of_two_institutions(),
    date_not_yyyy_mm_dd(),
    integer_out_of_range(),
    repeated_element(),
    doubt_out_of_place(),
    office_out_of_succession(),
    budget_meaning(),
    duplicate_correction(),
]

FILE_DEFECTS = [missing_file(), empty_file(), truncated_file(), not_utf8(), oversized_file()]
SYNTAX_DEFECTS = [blank_line(), not_an_object(), broken_line(), monstrous_value()]
RECORD_DEFECTS = [
    dropped_key(),
    extra_key(),
    repeated_key(),
    wrong_type(),
    unknown_enum_value(),
    lone_surrogate(),
]
CONSISTENCY_DEFECTS = [
    dangling_reference(),
    removed_target(),
    duplicate_id(),
    duplicate_agreement(),
    year_out_of_range(),
    negative_amount(),
    unbalanced_budget(),
    orphan_breakdown(),
]


def mutations(kinds: Iterable[st.SearchStrategy[Mutation]] | None = None) -> st.SearchStrategy[Mutation]:
    """One defect of the real data: a kind, then a file, a record, a field and a value."""
    chosen = (
        list(kinds)
        if kinds is not None
        else FILE_DEFECTS + SYNTAX_DEFECTS + RECORD_DEFECTS + CONSISTENCY_DEFECTS + SEMANTIC_DEFECTS
    )
    return st.one_of(chosen)


# ------------------------------------------------------------ running them


def _write(files: dict[str, bytes], root: Path) -> None:
    root.mkdir()
    for name, data in files.items():
        if data is DIRECTORY:
            (root / name).mkdir()
        else:
            (root / name).write_bytes(data)


def _load_mutated(mutation: Mutation) -> ttp.DatasetError:
    files = mutation.applied()
    assert files != ORIGINAL, "the mutation changed nothing"
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        root = Path(tmp) / "edition"
        _write(files, root)
        if mutation.limit is not None:
            patch.setattr(_read, "MAX_FILE_BYTES", mutation.limit)
        with pytest.raises(ttp.DatasetError) as caught:  # anything else escaping fails the test
            ttp.load(root)
    return caught.value


def _check(mutation: Mutation) -> None:
    error = _load_mutated(mutation)
    note(f"error: {error}  (file={error.file!r}, record={error.record!r}, field={error.field!r})")
    assert error.file == mutation.file
    assert _record_named(error.record, mutation.record), (error.record, mutation.record)
    assert _field_named(error.field, mutation.fields), (error.field, mutation.fields)
    assert str(error).startswith(mutation.file)


def _then_packaged_is_intact(ds: ttp.Dataset, run: Callable[[], None]) -> None:
    fresh = ttp.structure_dataset(ttp.unstructure_dataset(ds))
    run()
    # The packaged edition is untouched: the same cached object, equal to a copy made before,
    # and its files on disk still read to an equal dataset.
    assert ttp.load() is ds
    assert ds == fresh
    assert ttp.load(PACKAGED) == ds


# One @given function per group (not one shared inner function), so that each has its own
# entry in the example database.


@given(mutations(FILE_DEFECTS))
def _whole_file_defects(mutation: Mutation) -> None:
    _check(mutation)


@given(mutations(SYNTAX_DEFECTS))
def _json_syntax_defects(mutation: Mutation) -> None:
    _check(mutation)


@given(mutations(RECORD_DEFECTS))
def _key_type_and_enum_defects(mutation: Mutation) -> None:
    _check(mutation)


@given(mutations(CONSISTENCY_DEFECTS))
def _consistency_defects(mutation: Mutation) -> None:
    _check(mutation)


@given(mutations(SEMANTIC_DEFECTS))
def _semantic_defects(mutation: Mutation) -> None:
    _check(mutation)


def test_an_unmutated_copy_loads(ds: ttp.Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    # The control for every test below: copying alone, and the lowered size limit, break nothing.
    monkeypatch.setattr(_read, "MAX_FILE_BYTES", max(len(data) for data in ORIGINAL.values()))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "edition"
        _write(dict(ORIGINAL), root)
        copy = ttp.load(root)
    assert copy is not ds
    assert copy == ds


def test_defects_of_whole_files(ds: ttp.Dataset) -> None:
    _then_packaged_is_intact(ds, _whole_file_defects)


def test_defects_of_json_syntax(ds: ttp.Dataset) -> None:
    _then_packaged_is_intact(ds, _json_syntax_defects)


def test_defects_of_keys_types_and_enums(ds: ttp.Dataset) -> None:
    _then_packaged_is_intact(ds, _key_type_and_enum_defects)


def test_defects_of_consistency(ds: ttp.Dataset) -> None:
    _then_packaged_is_intact(ds, _consistency_defects)


def test_defects_of_meaning(ds: ttp.Dataset) -> None:
    _then_packaged_is_intact(ds, _semantic_defects)


def test_load_refuses_a_path_that_is_not_a_directory(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("{}")
    for path in (tmp_path / "nothing-here", tmp_path / "a-file"):
        with pytest.raises(ttp.DatasetError, match="not a directory"):
            ttp.load(path)


def _error_of(changed: dict[str, list[dict[str, Any]]], tmp_path: Path) -> ttp.DatasetError:
    files = dict(ORIGINAL)
    for name, records in changed.items():
        files[name] = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    with pytest.raises(ttp.DatasetError) as info:
        ttp.load(tmp_path)
    return info.value


def test_a_record_is_named_by_its_id_and_line_in_the_checks_of_every_kind(tmp_path: Path) -> None:
    agreements = [dict(r) for r in RECORDS["agreements.jsonl"]]
    agreements[4]["id"] = agreements[3]["id"]  # a duplicate id: named by the record that repeats it
    assert _error_of({"agreements.jsonl": agreements}, tmp_path).record == f"{agreements[4]['id']} (line 5)"

    agreements = [dict(r) for r in RECORDS["agreements.jsonl"]]
    agreements[6]["concluded"] = 1700  # a rule of the checks
    assert _error_of({"agreements.jsonl": agreements}, tmp_path).record == f"{agreements[6]['id']} (line 7)"

    agreements = [dict(r) for r in RECORDS["agreements.jsonl"]]
    agreements[2]["level"] = "university"  # a structuring error, named from the JSON object
    assert _error_of({"agreements.jsonl": agreements}, tmp_path).record == f"{agreements[2]['id']} (line 3)"

    institutions = [dict(r) for r in RECORDS["institutions.jsonl"]]
    institutions[9]["aliases"] = [institutions[1]["name"]]  # another institution's name
    error = _error_of({"institutions.jsonl": institutions}, tmp_path)
    assert (error.record, error.field) == (f"{institutions[9]['id']} (line 10)", "aliases[0]")

    budget = [dict(r) for r in RECORDS["budget.jsonl"]]
    budget[3]["fiscal_year"] += 1
    assert _error_of({"budget.jsonl": budget}, tmp_path).record == f"{budget[3]['id']} (line 4)"

    countries = [dict(r) for r in RECORDS["countries.jsonl"]]
    countries[5] = dict(countries[4])  # a country has a code, not an id: named by its line
    assert _error_of({"countries.jsonl": countries}, tmp_path).record == "line 6"
