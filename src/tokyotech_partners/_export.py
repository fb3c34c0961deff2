"""Flat records, CSV, JSON, pandas and the Frictionless Data Package."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
import os
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ._errors import MissingExtraError
from ._model import (
    Agreement,
    AgreementLevel,
    BudgetCategory,
    BudgetLine,
    BudgetSide,
    Correction,
    CorrectionKind,
    Country,
    Institution,
    LineKind,
    Office,
    OfficeKind,
    Region,
    declared_order,
)

if TYPE_CHECKING:
    import pandas

    from ._dataset import Dataset

__all__ = [
    "CODE_SEPARATOR",
    "TEXT_SEPARATOR",
    "columns",
    "export_datapackage",
    "to_csv",
    "to_dataframe",
    "to_json",
    "to_records",
]

#: Joins several codes, ids or enum values in one flat field: ``"F;S;I"``.
CODE_SEPARATOR = ";"
#: Joins several free-text values (names, aliases, notes) in one flat field.
TEXT_SEPARATOR = " | "

Record = dict[str, str | int | float | bool | None]


def _in_order(values: Iterable[Any]) -> list[Any]:
    """A set in a stable order (enum members as declared); a sequence as it is."""
    return sorted(values, key=declared_order) if isinstance(values, (set, frozenset)) else list(values)


def _primitive(value: object) -> str | int | float | bool | None:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, enum.Enum):
        return value.value  # type: ignore[no-any-return]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, list, set, frozenset)):
        items = _in_order(value)
        if all(attrs.has(type(v)) and hasattr(v, "id") for v in items):
            return CODE_SEPARATOR.join(v.id for v in items)
        if all(isinstance(v, enum.Enum) for v in items):
            return CODE_SEPARATOR.join(str(v.value) for v in items)
        return TEXT_SEPARATOR.join(str(v) for v in items)
    raise TypeError(f"cannot flatten {type(value).__name__}")


_AGREEMENT_EXTRAS = ("partner_names", "countries", "counterparts_uncertain")
_PROPERTY_EXTRAS = ("label", "difference_million_yen", "balanced")


def columns(kind: type) -> list[str]:
    """The keys of the flat record of a ``kind`` (a record class of the library), in order."""
    if not attrs.has(kind):
        raise TypeError(f"{kind.__name__} is not one of the library's record classes")
    names = [field.name for field in attrs.fields(kind) if not field.name.startswith("_")]
    if kind is Agreement:
        names += _AGREEMENT_EXTRAS
    names += [p for p in _PROPERTY_EXTRAS if p not in names and isinstance(getattr(kind, p, None), property)]
    return names


def _record(item: object) -> Record:
    cls = type(item)
    if not attrs.has(cls):
        raise TypeError(f"to_records takes the library's records, not {cls.__name__}")
    out: Record = {}
    for name in columns(cls):
        if name == "partner_names" and isinstance(item, Agreement):
            out[name] = TEXT_SEPARATOR.join(p.name for p in item.partners)
        elif name == "countries" and isinstance(item, Agreement):
            out[name] = CODE_SEPARATOR.join(sorted(item.countries))
        else:
            out[name] = _primitive(getattr(item, name))
    return out


def to_records(items: Iterable[object]) -> list[Record]:
    """One flat dict of JSON primitives per record.

    Works on agreements, institutions, offices, budget lines, countries,
    corrections and the budget helpers' results. Enum members become their
    values, percents floats, dates ISO strings. Several values in one field
    are joined: codes, ids and enum values with ``";"`` (an agreement's
    ``partners`` are institution ids, ``"F;S;I"``), free text with ``" | "``.
    Agreements also get ``partner_names``, ``countries`` and
    ``counterparts_uncertain``.

    >>> import tokyotech_partners as ttp
    >>> record = ttp.to_records(ttp.load().agreements[:1])[0]
    >>> record["id"], record["partners"], record["exchange_types"], record["countries"]
    ('I-001', 'harbin-institute-of-technology', 'F;S;I', 'CN')
    """
    return [_record(item) for item in items]


def to_csv(
    items: Iterable[object], path: str | os.PathLike[str] | None = None, *, kind: type | None = None
) -> str:
    """The records as CSV (header row first); also written to ``path`` if given.

    Missing values are empty cells, booleans ``true``/``false``. ``kind`` (the
    record class, such as :class:`Agreement`) gives the header of an empty
    table; without it, no records make an empty text.

    >>> import tokyotech_partners as ttp
    >>> print(ttp.to_csv(ttp.load().offices[:1]).splitlines()[1])
    annex-bangkok,Tokyo Tech ANNEX Bangkok,annex,Pathum Thani,TH,2018,,Tokyo Tech Thailand Office,2002
    """
    records = to_records(items)
    buffer = io.StringIO(newline="")
    header = list(records[0]) if records else (columns(kind) if kind is not None else None)
    if header is not None:
        writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow(
                {
                    k: ("true" if v else "false") if isinstance(v, bool) else ("" if v is None else v)
                    for k, v in record.items()
                }
            )
    text = buffer.getvalue()
    if path is not None:
        Path(path).write_text(text, encoding="utf-8", newline="")
    return text


def to_json(items: Iterable[object], path: str | os.PathLike[str] | None = None) -> str:
    """The records as one JSON array of flat objects; also written to ``path`` if given.

    >>> import json, tokyotech_partners as ttp
    >>> json.loads(ttp.to_json(ttp.load().offices))[4]["city"]
    'Alexandria'
    """
    text = json.dumps(to_records(items), ensure_ascii=False, indent=1) + "\n"
    if path is not None:
        Path(path).write_text(text, encoding="utf-8", newline="\n")
    return text


def _require(module: str, extra: str, what: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(module, extra, what) from None


def to_dataframe(items: Iterable[object]) -> pandas.DataFrame:
    """The records as a pandas DataFrame (needs the ``pandas`` extra).

    >>> import tokyotech_partners as ttp
    >>> frame = ttp.to_dataframe(ttp.load().agreements)
    >>> frame.groupby("level").size().to_dict()
    {'institutional': 109, 'school': 128}
    """
    pd = _require("pandas", "pandas", "to_dataframe")
    frame: pandas.DataFrame = pd.DataFrame.from_records(to_records(items))
    return frame


# ----------------------------------------------------------------- data package


def _field(name: str, kind: str, description: str, **constraints: Any) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": kind, "description": description}
    if kind == "boolean":
        field["trueValues"] = ["true"]
        field["falseValues"] = ["false"]
    if constraints:
        field["constraints"] = constraints
    return field


def _values(kind: type[enum.Enum]) -> list[str]:
    return [str(m.value) for m in kind]


_SEP = f'several joined by "{CODE_SEPARATOR}"'
_TSEP = f'several joined by "{TEXT_SEPARATOR}"'

_SCHEMAS: dict[str, dict[str, Any]] = {
    "countries": {
        "fields": [
            _field("code", "string", "ISO 3166-1 alpha-2 code", required=True, unique=True),
            _field("name", "string", "English short name", required=True),
            _field("labels", "string", f"how the source prints the country, {_TSEP}"),
        ],
        "primaryKey": ["code"],
    },
    "institutions": {
        "fields": [
            _field("id", "string", "stable slug", required=True, unique=True),
            _field("name", "string", "the correct name", required=True),
            _field("country", "string", "alpha-2 code; empty for a multinational body"),
            _field("aliases", "string", f"acronyms, former names, printed spellings, {_TSEP}"),
            _field("former_names", "string", f"former names, {_TSEP}"),
            _field("grande_ecole", "boolean", 'a French "grande école" (footnote *)', required=True),
            _field("notes", "string", f"notes, {_TSEP}"),
        ],
        "primaryKey": ["id"],
        "foreignKeys": [{"fields": ["country"], "reference": {"resource": "countries", "fields": ["code"]}}],
    },
    "agreements": {
        "fields": [
            _field("id", "string", "stable id: I-nnn institution level, S-nnn school level", required=True),
            _field("level", "string", "agreement level", required=True, enum=_values(AgreementLevel)),
            _field("partners", "string", f"institution ids, {_SEP} (see agreement_partners)"),
            _field("partner_unit", "string", "school, department or centre at the partner"),
            _field("counterparts", "string", f"Tokyo Tech units party to it, {_SEP}"),
            _field("concluded", "integer", "year concluded", required=True, minimum=1881),
            _field("exchange_types", "string", f"F, S, S* or I, {_SEP}", required=True),
            _field("region", "string", "regional heading", required=True, enum=_values(Region)),
            _field("printed", "string", "the partner cell exactly as printed", required=True),
            _field("source_line", "integer", "line of the source file", required=True, minimum=1),
            _field("counterpart_doubt", "string", "why the counterpart reading is uncertain, if it is"),
            _field("notes", "string", f"notes, {_TSEP}"),
            _field("partner_names", "string", f"partner names, {_TSEP}"),
            _field("countries", "string", f"partner countries, {_SEP}"),
            _field("counterparts_uncertain", "boolean", "whether the counterpart reading is uncertain"),
        ],
        "primaryKey": ["id"],
    },
    "agreement_partners": {
        "fields": [
            _field("agreement_id", "string", "the agreement", required=True),
            _field("position", "integer", "1 for the first party", required=True, minimum=1),
            _field("institution_id", "string", "the partner institution", required=True),
        ],
        "primaryKey": ["agreement_id", "position"],
        "foreignKeys": [
            {"fields": ["agreement_id"], "reference": {"resource": "agreements", "fields": ["id"]}},
            {"fields": ["institution_id"], "reference": {"resource": "institutions", "fields": ["id"]}},
        ],
    },
    "offices": {
        "fields": [
            _field("id", "string", "stable id", required=True, unique=True),
            _field("name", "string", "name", required=True),
            _field("kind", "string", "ANNEX or overseas office", required=True, enum=_values(OfficeKind)),
            _field("city", "string", "city", required=True),
            _field("country", "string", "alpha-2 code", required=True),
            _field("established", "integer", "year established", required=True),
            _field("area", "string", "region of the country, where printed"),
            _field("succeeds", "string", "the office an ANNEX succeeds"),
            _field("succeeds_established", "integer", "the year that office was established"),
        ],
        "primaryKey": ["id"],
        "foreignKeys": [{"fields": ["country"], "reference": {"resource": "countries", "fields": ["code"]}}],
    },
    "budget_lines": {
        "fields": [
            _field("id", "string", "stable id", required=True, unique=True),
            _field("fiscal_year", "integer", "fiscal year", required=True),
            _field("side", "string", "revenue or expenditure", required=True, enum=_values(BudgetSide)),
            _field("kind", "string", "place in the hierarchy", required=True, enum=_values(LineKind)),
            _field("category", "string", "budget category", enum=_values(BudgetCategory)),
            _field("item", "string", "item label; empty where the source prints none"),
            _field("parent", "string", "the item a breakdown line details"),
            _field("amount_million_yen", "integer", "amount, million yen", required=True, minimum=0),
            _field("percent", "number", "printed percent of the side's total"),
            _field("label", "string", "readable label"),
        ],
        "primaryKey": ["id"],
    },
    "corrections": {
        "fields": [
            _field(
                "record",
                "string",
                "the record (agreement, institution, office or budget line id)",
                required=True,
            ),
            _field("field", "string", "the field", required=True),
            _field("kind", "string", "kind of departure", required=True, enum=_values(CorrectionKind)),
            _field("printed", "string", "what the source prints"),
            _field("recorded", "string", "what the data records"),
            _field("reason", "string", "why", required=True),
        ],
    },
}


def _partner_rows(agreements: Sequence[Agreement]) -> list[dict[str, object]]:
    return [
        {"agreement_id": a.id, "position": k, "institution_id": p.id}
        for a in agreements
        for k, p in enumerate(a.partners, start=1)
    ]


def export_datapackage(ds: Dataset, directory: str | os.PathLike[str]) -> Path:
    """Write the dataset as a Frictionless Data Package; return ``datapackage.json``'s path.

    One CSV per table (countries, institutions, agreements, agreement_partners,
    offices, budget_lines, corrections) and a ``datapackage.json`` with a
    Table Schema for each: field types, primary keys, and foreign keys from
    ``agreement_partners`` to ``agreements`` and ``institutions`` and from
    institutions and offices to countries. The package names the source, its
    as-of date and fiscal year. The directory is created if needed.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    tables: dict[str, str] = {
        "countries": to_csv(ds.countries, kind=Country),
        "institutions": to_csv(ds.institutions, kind=Institution),
        "agreements": to_csv(ds.agreements, kind=Agreement),
        "offices": to_csv(ds.offices, kind=Office),
        "budget_lines": to_csv(ds.budget_lines, kind=BudgetLine),
        "corrections": to_csv(ds.corrections, kind=Correction),
    }
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, ["agreement_id", "position", "institution_id"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(_partner_rows(ds.agreements))
    tables["agreement_partners"] = buffer.getvalue()
    resources = []
    for name in _SCHEMAS:
        (out / f"{name}.csv").write_text(tables[name], encoding="utf-8", newline="")
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _SCHEMAS[name],
            }
        )
    edition = ds.edition
    descriptor = {
        "profile": "tabular-data-package",
        "name": "tokyotech-partners",
        "title": edition.title,
        "version": edition.data_version,
        "description": (
            f"Tokyo Tech's overseas academic cooperation agreements and offices as of "
            f"{edition.as_of.isoformat()} and its budget for fiscal year {edition.fiscal_year}, "
            "transcribed from the published pages; departures from the print are in corrections."
        ),
        "sources": [{"title": f"{edition.publisher}: {edition.source_file}", "path": edition.source_file}],
        "licenses": [{"name": "MIT", "title": edition.licence}],
        "as_of": edition.as_of.isoformat(),
        "fiscal_year": edition.fiscal_year,
        "source_sha256": edition.source_sha256,
        "resources": resources,
    }
    path = out / "datapackage.json"
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
