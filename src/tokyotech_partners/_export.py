"""Flat records, CSV, JSON, pandas and the Frictionless Data Package."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
import os
import typing
from collections.abc import Hashable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ._enums import in_declared_order
from ._errors import require
from ._files import target_path, write_files
from ._model import Agreement
from ._schema import CODE_SEPARATOR, TEXT_SEPARATOR, _unwrap, schemas
from ._tables import TABLES
from ._tidy import DERIVED_TABLES, build

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
        if not items:
            return None  # nothing is missing, not an empty string
        if all(attrs.has(type(v)) and hasattr(v, "id") for v in items):
            return CODE_SEPARATOR.join(v.id for v in items)
        if all(isinstance(v, enum.Enum) for v in items):
            return CODE_SEPARATOR.join(str(v.value) for v in items)
        return TEXT_SEPARATOR.join(str(v) for v in items)
    raise TypeError(f"cannot flatten {type(value).__name__}")


_AGREEMENT_EXTRAS = ("partner_names", "countries", "world_regions", "subregions", "counterparts_uncertain")
_PROPERTY_EXTRAS = ("label", "difference_million_yen", "balanced", "world_region", "subregion")


def columns(kind: type) -> list[str]:
    """The keys of the flat record of a ``kind`` (a record class of the library), in order."""
    if not attrs.has(kind):
        raise TypeError(f"{kind.__name__} is not one of the library's record classes")
    names = [field.name for field in attrs.fields(kind) if not field.name.startswith("_")]
    if kind is Agreement:
        names += _AGREEMENT_EXTRAS
    names += [p for p in _PROPERTY_EXTRAS if p not in names and isinstance(getattr(kind, p, None), property)]
    return names


def _value(item: object, name: str) -> object:
    """Column ``name`` of ``item``'s table, before flattening."""
    if name == "partner_names" and isinstance(item, Agreement):
        return tuple(p.name for p in item.partners)
    if name == "countries" and isinstance(item, Agreement):
        return tuple(sorted(item.countries))
    return getattr(item, name)


def _record(item: object, function: str = "to_records") -> Record:
    cls = type(item)
    if not attrs.has(cls):
        raise TypeError(_wrong(item, function))
    return {name: _primitive(_value(item, name)) for name in columns(cls)}


def _wrong(item: object, function: str) -> str:
    """Why ``item`` is not a record ``function`` can take, and what to pass instead."""
    kind = type(item).__name__
    hint = ""
    if kind == "Dataset":
        hint = "; pass one of its tables, such as ds.agreements"
    elif isinstance(item, str):
        hint = "; pass records, such as ds.agreements or the result of ds.agreements_where(...)"
    return f"{function} takes a collection of the library's records, not {kind}{hint}"


def _items(items: object, function: str) -> list[object]:
    """``items`` as a list of records, or a :class:`TypeError` naming ``function``."""
    if type(items).__name__ == "Dataset":
        raise TypeError(
            f"{function} takes one table of records, not the whole dataset: "
            f"pass ds.agreements, ds.institutions, ds.offices, ds.budget_lines, ..."
        )
    if attrs.has(type(items)):
        raise TypeError(f"{function} takes a collection of records; for one record pass [record]")
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise TypeError(_wrong(items, function))
    out = list(items)
    for item in out:
        if not attrs.has(type(item)):
            raise TypeError(_wrong(item, function))
    return out


def _json_value(value: object) -> object:
    """A value as JSON: several values as an array (empty if none), a missing value as null."""
    if isinstance(value, (tuple, list, set, frozenset)):
        return [
            _primitive(v) if not attrs.has(type(v)) else getattr(v, "id", None)
            for v in in_declared_order(value)
        ]
    return _primitive(value)


def to_records(items: Iterable[object]) -> list[Record]:
    """One flat dict of JSON primitives per record (the rows of :func:`to_csv`).

    Works on agreements, institutions, offices, budget lines, countries,
    corrections and the budget helpers' results. Enum members become their
    values, percents floats, dates ISO strings. Several values in one field
    are joined: codes, ids and enum values with ``";"`` (an agreement's
    ``partners`` are institution ids, ``"F;S;I"``), free text with ``" | "``;
    a field with no value is ``None``, never ``""``. Agreements also get
    ``partner_names``, ``countries`` and ``counterparts_uncertain``.

    >>> import tokyotech_partners as ttp
    >>> record = ttp.to_records(ttp.load().agreements[:1])[0]
    >>> record["id"], record["partners"], record["exchange_types"], record["countries"]
    ('I-001', 'harbin-institute-of-technology', 'F;S;I', 'CN')
    """
    return [_record(item) for item in _items(items, "to_records")]


def to_csv(
    items: Iterable[object],
    path: str | os.PathLike[str] | None = None,
    *,
    kind: type | None = None,
    overwrite: bool = False,
) -> str:
    """The records as CSV (header row first); also written to ``path`` if given.

    Missing values are empty cells, booleans ``true``/``false``; several
    values in one cell stay joined as in :func:`to_records` (``"F;S;I"``), so
    that every table is one flat sheet. ``kind`` (the
    record class, such as :class:`Agreement`) gives the header of an empty
    table; without it, no records make an empty text.

    >>> import tokyotech_partners as ttp
    >>> print(ttp.to_csv(ttp.load().offices[:1]).splitlines()[1])
    annex-bangkok,Tokyo Tech ANNEX Bangkok,annex,Pathum Thani,TH,2018,,Tokyo Tech Thailand Office,2002
    """
    records = [_record(item) for item in _items(items, "to_csv")]
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
    """The records as one JSON array of objects; also written to ``path`` if given.

    Each object has the keys of :func:`to_records`. A field that can hold
    several values is an array (``[]`` if it holds none): ids for records,
    values for enum members, as in ``"exchange_types": ["F", "S", "I"]``. A
    missing value is ``null``.

    >>> import json, tokyotech_partners as ttp
    >>> ds = ttp.load()
    >>> json.loads(ttp.to_json(ds.offices))[4]["city"]
    'Alexandria'
    >>> record = json.loads(ttp.to_json(ds.agreements[:1]))[0]
    >>> record["exchange_types"], record["counterparts"], record["partner_unit"]
    (['F', 'S', 'I'], [], None)
    """
    records = [
        {name: _json_value(_value(item, name)) for name in columns(type(item))}
        for item in _items(items, "to_json")
    ]
    text = json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    if path is not None:
        _write_one(path, text, overwrite, "to_json")
    return text


def _write_one(path: str | os.PathLike[str], text: str, overwrite: bool, what: str) -> None:
    """Write ``text`` to the file ``path`` as :func:`write_files` writes (replacing one if ``overwrite``)."""
    target = target_path(path, what)
    write_files(target.parent, {target.name: text}, overwrite=overwrite)


def _dtype(cls: type[Any], name: str) -> str:
    """The pandas dtype of column ``name`` of ``cls``'s table, from the field's or property's type."""
    hints = typing.get_type_hints(cls)
    if name in hints:
        annotation = hints[name]
    else:
        prop = getattr(cls, name, None)
        fget = prop.fget if isinstance(prop, property) else None
        annotation = typing.get_type_hints(fget).get("return", str) if fget is not None else str
    kind, optional = _unwrap(annotation)
    if kind is bool:
        return "boolean" if optional else "bool"
    if kind is int:
        return "Int64" if optional else "int64"
    if kind in (float, Decimal):
        return "float64"
    return "object"


def _records_frame(items: list[object], pd: Any) -> pandas.DataFrame:
    if not items:
        empty: pandas.DataFrame = pd.DataFrame()
        return empty
    cls = type(items[0])
    records = [_record(item, "to_dataframe") for item in items]
    names = (
        columns(cls)
        if all(type(i) is cls for i in items)
        else list(dict.fromkeys(k for r in records for k in r))
    )
    frame = pd.DataFrame.from_records(records, columns=names)
    for name in names:
        dtype = _dtype(cls, name) if all(type(i) is cls for i in items) else "object"
        if dtype == "object":
            # missing is NaN, as pandas.read_csv reads an empty cell
            frame[name] = frame[name].astype(object).where(frame[name].notna(), float("nan"))
        else:
            frame[name] = frame[name].astype(dtype)
    result: pandas.DataFrame = frame
    return result


def _label(key: str, value: Hashable, names: bool) -> Hashable:
    if not names:
        return value
    from ._read import load

    ds = load()
    if key == "country":
        return ds.country_name(value if isinstance(value, str) else None)
    if key == "partner" and isinstance(value, str):
        return ds.institution(value).name
    return value


def _index(pd: Any, key: str, values: list[Hashable], names: bool) -> Any:
    """An index of ``values`` named ``key``; with ``names``, the names beside country codes and ids."""
    if names and key in ("country", "partner"):
        return pd.MultiIndex.from_arrays(
            [values, [_label(key, v, names) for v in values]], names=[key, f"{key}_name"]
        )
    return pd.Index(values, name=key)


@typing.overload
def to_dataframe(  # type: ignore[overload-overlap]  # a count is a mapping, and iterable
    items: Mapping[Hashable, int], *, names: bool = False
) -> pandas.Series[int]: ...
@typing.overload
def to_dataframe(
    items: Mapping[Hashable, Mapping[Hashable, int]], *, names: bool = False
) -> pandas.DataFrame: ...
@typing.overload
def to_dataframe(items: Iterable[object], *, names: bool = False) -> pandas.DataFrame: ...
def to_dataframe(items: Iterable[object] | Mapping[Hashable, Any], *, names: bool = False) -> Any:
    """A labelled pandas table of records or of a count (needs the ``pandas`` extra).

    Takes what the queries and helpers return:

    - records (a table of the dataset, the result of
      :meth:`Dataset.agreements_where`, :func:`budget_shares`, the tidy tables
      such as :func:`agreement_partners`): a DataFrame, one column per key of
      :func:`to_records`. Several values in one cell stay joined
      (``"F;S;I"``); a missing value is ``NaN``, as ``pandas.read_csv``
      reads an empty cell of :func:`to_csv`, so that
      ``pandas.read_csv(path, dtype=frame.dtypes.to_dict())`` of the CSV gives
      an equal frame. Whole-number columns that can be missing are ``Int64``;
    - a :func:`count_by` result: a Series named ``"agreements"`` whose index
      is named after the key, in the result's order (decades and years
      earliest first, other keys most frequent first);
    - a :func:`crosstab` result: a DataFrame, rows and columns named after the
      keys.

    ``names=True`` puts the country names beside the codes of a
    ``"country"`` key and the institutions' names beside the ids of a
    ``"partner"`` key (a two-level index; the names of the packaged edition).

    >>> import tokyotech_partners as ttp
    >>> ds = ttp.load()
    >>> frame = ttp.to_dataframe(ds.agreements)
    >>> frame.groupby("level").size().to_dict()
    {'institutional': 109, 'school': 128}
    >>> counts = ttp.count_by(ds.agreements, "country")
    >>> ttp.to_dataframe(counts, names=True).head(3)  # doctest: +NORMALIZE_WHITESPACE
    country  country_name
    CN       China            23
    FR       France           22
    US       United States    22
    Name: agreements, dtype: int64
    """
    pd = require("pandas", "pandas", "to_dataframe")
    if isinstance(items, Mapping):
        rows = list(items.items())
        if rows and all(isinstance(v, Mapping) for _, v in rows):
            row_key = getattr(items, "row_key", "row")
            col_key = getattr(items, "col_key", "column")
            cols = list(dict.fromkeys(c for _, v in rows for c in v))
            return pd.DataFrame(
                [[v.get(c, 0) for c in cols] for _, v in rows],
                index=_index(pd, row_key, [k for k, _ in rows], names),
                columns=_index(pd, col_key, cols, names),
            )
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for _, v in rows):
            key = getattr(items, "key", "value")
            return pd.Series(
                [v for _, v in rows], index=_index(pd, key, [k for k, _ in rows], names), name="agreements"
            )
        raise TypeError(
            "to_dataframe takes records or the result of count_by or crosstab, "
            f"not a {type(items).__name__} of {type(rows[0][1]).__name__}"
        )
    if names:
        raise TypeError("to_dataframe(names=True) applies to the results of count_by and crosstab")
    return _records_frame(_items(items, "to_dataframe"), pd)


# ----------------------------------------------------------------- data package


def export_datapackage(ds: Dataset, directory: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write the dataset as a Frictionless Data Package; return ``datapackage.json``'s path.

    One CSV per table (countries, institutions, agreements, the tidy tables
    agreement_partners, agreement_counterparts, agreement_exchange_types and
    institution_summary, offices, budget_lines, corrections) and a
    ``datapackage.json`` with a Table Schema for each: field types, primary
    keys, and foreign keys from the tidy tables to ``agreements``,
    ``institutions`` and ``countries`` and from institutions and offices to
    countries. The tidy tables are those :func:`agreement_partners` and its
    siblings return. The package names the source, its
    as-of date and fiscal year. The directory is created if needed; the files
    are written as :func:`write_edition` writes them (an existing file is
    replaced only if ``overwrite`` is true, a symbolic link never).
    """
    out = target_path(directory, "export_datapackage")
    texts: dict[str, str] = {}
    tables = {table.name: to_csv(getattr(ds, table.name), kind=table.record) for table in TABLES}
    tables.update({t.name: to_csv(build(ds, t), kind=t.record) for t in DERIVED_TABLES})
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
