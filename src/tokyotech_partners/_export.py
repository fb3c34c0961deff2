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
from typing import TYPE_CHECKING

import attrs

from ._enums import in_declared_order
from ._errors import require
from ._files import target_path, write_files
from ._model import Agreement
from ._schema import CODE_SEPARATOR, TEXT_SEPARATOR, schemas
from ._tables import TABLES

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


Record = dict[str, str | int | float | bool | None]


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
        items = in_declared_order(value)
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
    items: Iterable[object],
    path: str | os.PathLike[str] | None = None,
    *,
    kind: type | None = None,
    overwrite: bool = False,
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
        _write_one(path, text, overwrite, "to_csv")
    return text


def to_json(
    items: Iterable[object], path: str | os.PathLike[str] | None = None, *, overwrite: bool = False
) -> str:
    """The records as one JSON array of flat objects; also written to ``path`` if given.

    >>> import json, tokyotech_partners as ttp
    >>> json.loads(ttp.to_json(ttp.load().offices))[4]["city"]
    'Alexandria'
    """
    text = json.dumps(to_records(items), ensure_ascii=False, indent=1) + "\n"
    if path is not None:
        _write_one(path, text, overwrite, "to_json")
    return text


def _write_one(path: str | os.PathLike[str], text: str, overwrite: bool, what: str) -> None:
    """Write ``text`` to the file ``path`` as :func:`write_files` writes (replacing one if ``overwrite``)."""
    target = target_path(path, what)
    write_files(target.parent, {target.name: text}, overwrite=overwrite)


def to_dataframe(items: Iterable[object]) -> pandas.DataFrame:
    """The records as a pandas DataFrame (needs the ``pandas`` extra).

    >>> import tokyotech_partners as ttp
    >>> frame = ttp.to_dataframe(ttp.load().agreements)
    >>> frame.groupby("level").size().to_dict()
    {'institutional': 109, 'school': 128}
    """
    pd = require("pandas", "pandas", "to_dataframe")
    frame: pandas.DataFrame = pd.DataFrame.from_records(to_records(items))
    return frame


# ----------------------------------------------------------------- data package


def _partner_rows(agreements: Sequence[Agreement]) -> list[dict[str, object]]:
    return [
        {"agreement_id": a.id, "position": k, "institution_id": p.id}
        for a in agreements
        for k, p in enumerate(a.partners, start=1)
    ]


def _link_csv(agreements: Sequence[Agreement]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, ["agreement_id", "position", "institution_id"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(_partner_rows(agreements))
    return buffer.getvalue()


def export_datapackage(ds: Dataset, directory: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write the dataset as a Frictionless Data Package; return ``datapackage.json``'s path.

    One CSV per table (countries, institutions, agreements, agreement_partners,
    offices, budget_lines, corrections) and a ``datapackage.json`` with a
    Table Schema for each: field types, primary keys, and foreign keys from
    ``agreement_partners`` to ``agreements`` and ``institutions`` and from
    institutions and offices to countries. The package names the source, its
    as-of date and fiscal year. The directory is created if needed; the files
    are written as :func:`write_edition` writes them (an existing file is
    replaced only if ``overwrite`` is true, a symbolic link never).
    """
    out = target_path(directory, "export_datapackage")
    texts: dict[str, str] = {}
    tables = {table.name: to_csv(getattr(ds, table.name), kind=table.record) for table in TABLES}
    tables["agreement_partners"] = _link_csv(ds.agreements)
    table_schemas = schemas(columns)
    resources = []
    for name, schema in table_schemas.items():
        texts[f"{name}.csv"] = tables[name]
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
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
    texts["datapackage.json"] = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    write_files(out, texts, overwrite=overwrite)
    return out / "datapackage.json"
