"""Arrow tables and polars DataFrames of records and counts, with the model's types.

Both are built from one description of the columns (:class:`Kind`), derived
from the record classes' annotations: a list column for a field with several
values, a dictionary-encoded column (polars: ``Enum``) for an enum, integer
years, dates, and nulls for missing values. pyarrow and polars are each
imported only by the function that needs it.
"""

from __future__ import annotations

import datetime as dt
import enum
import typing
from collections.abc import Hashable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from ._enums import (
    AgreementLevel,
    Counterpart,
    ExchangeType,
    Region,
    SubRegion,
    WorldRegion,
    in_declared_order,
)
from ._errors import require
from ._export import _items, _record, _value, columns
from ._schema import _unwrap, annotation_of

if TYPE_CHECKING:
    import polars
    import pyarrow

__all__ = ["Kind", "to_arrow", "to_polars"]


@attrs.frozen
class Kind:
    """The type of a column: ``base`` is string, int, bool, float, date, enum or list."""

    base: str
    categories: tuple[str, ...] = ()
    item: Kind | None = None


_STRING, _INT, _BOOL, _FLOAT, _DATE = Kind("string"), Kind("int"), Kind("bool"), Kind("float"), Kind("date")

#: The keys of :func:`count_by` whose values are an enum's: their columns are dictionary-encoded.
_ENUM_KEYS: dict[str, type[enum.Enum]] = {
    "level": AgreementLevel,
    "region": Region,
    "world_region": WorldRegion,
    "subregion": SubRegion,
    "exchange_type": ExchangeType,
    "counterpart": Counterpart,
}

Column = tuple[str, Kind, list[Any]]


def _enum_kind(cls: type[enum.Enum]) -> Kind:
    return Kind("enum", tuple(str(member.value) for member in cls))


def _kind(annotation: Any) -> Kind:
    """The column type of a field of type ``annotation``."""
    kind, _ = _unwrap(annotation)
    if typing.get_origin(kind) in (tuple, frozenset):
        element = typing.get_args(kind)[0]
        return Kind("list", item=_STRING if attrs.has(element) else _kind(element))
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return _enum_kind(kind)
    scalars: dict[Any, Kind] = {bool: _BOOL, int: _INT, float: _FLOAT, Decimal: _FLOAT, dt.date: _DATE}
    return scalars.get(kind, _STRING)


def _plain(value: object, kind: Kind) -> object:
    """``value`` as a column of ``kind`` holds it: ids for records, values for enum members."""
    if value is None:
        return None
    if kind.base == "list" and kind.item is not None and isinstance(value, Iterable):
        return [_plain(v, kind.item) for v in in_declared_order(value)]
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return float(value)
    if attrs.has(type(value)):
        return getattr(value, "id", repr(value))
    return value


def _infer(values: list[Any]) -> Kind:
    """The narrowest column type of plain ``values`` (None aside); text if they are of several types."""
    present = [v for v in values if v is not None]
    if all(isinstance(v, bool) for v in present):
        return _BOOL
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return _INT
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return _FLOAT
    return _STRING


def _key_column(name: str, values: list[Any]) -> Column:
    if name in _ENUM_KEYS:
        kind = _enum_kind(_ENUM_KEYS[name])
        if all(v is None or v in kind.categories for v in values):
            return name, kind, values
    kind = _infer(values)
    return name, kind, values if kind is not _STRING else [None if v is None else str(v) for v in values]


def _record_columns(items: list[object]) -> list[Column]:
    if not items:
        return []
    cls = type(items[0])
    if all(type(i) is cls for i in items):
        kinds = [(n, _kind(annotation_of(cls, n))) for n in columns(cls)]
        return [(n, k, [_plain(_value(i, n), k) for i in items]) for n, k in kinds]
    records = [_record(i) for i in items]  # records of several classes: their flat columns
    names = list(dict.fromkeys(k for r in records for k in r))
    return [_key_column(n, [r.get(n) for r in records]) for n in names]


def _columns(items: Iterable[object] | Mapping[Hashable, Any], function: str) -> list[Column]:
    """The columns of records, of a :func:`count_by` result or of a :func:`crosstab` result (long)."""
    if not isinstance(items, Mapping):
        return _record_columns(_items(items, function))
    rows = list(items.items())
    if rows and all(isinstance(v, Mapping) for _, v in rows):
        row_key = getattr(items, "row_key", "row")
        col_key = getattr(items, "col_key", "column")
        cells = [(r, c, n) for r, counts in rows for c, n in counts.items()]
        return [
            _key_column(row_key, [r for r, _, _ in cells]),
            _key_column(col_key, [c for _, c, _ in cells]),
            ("agreements", _INT, [n for _, _, n in cells]),
        ]
    if all(isinstance(v, int) and not isinstance(v, bool) for _, v in rows):
        key = getattr(items, "key", "value")
        return [_key_column(key, [k for k, _ in rows]), ("agreements", _INT, [v for _, v in rows])]
    raise TypeError(
        f"{function} takes records or the result of count_by or crosstab, "
        f"not a {type(items).__name__} of {type(rows[0][1]).__name__}"
    )


# ------------------------------------------------------------------------ Arrow


def _arrow_type(pa: Any, kind: Kind) -> Any:
    if kind.base == "enum":
        return pa.dictionary(pa.int8() if len(kind.categories) < 128 else pa.int16(), pa.string())
    if kind.base == "list" and kind.item is not None:
        return pa.list_(_arrow_type(pa, kind.item))
    scalars = {"string": pa.string(), "int": pa.int64(), "bool": pa.bool_(), "float": pa.float64()}
    return scalars.get(kind.base, pa.date32())


def _arrow_array(pa: Any, kind: Kind, values: list[Any]) -> Any:
    if kind.base == "enum":  # every member in the dictionary, in declared order, present or not
        position = {c: k for k, c in enumerate(kind.categories)}
        indices = pa.array(
            [None if v is None else position[v] for v in values], _arrow_type(pa, kind).index_type
        )
        return pa.DictionaryArray.from_arrays(indices, pa.array(kind.categories, pa.string()))
    if kind.base == "list" and kind.item is not None:
        offsets, flat = [0], list[Any]()
        for value in values:
            flat.extend(value or ())
            offsets.append(len(flat))
        mask = pa.array([v is None for v in values], pa.bool_())
        child = _arrow_array(pa, kind.item, flat)
        return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), child, mask=mask)
    return pa.array(values, _arrow_type(pa, kind))


def to_arrow(items: Iterable[object] | Mapping[Hashable, Any]) -> pyarrow.Table:
    """A pyarrow Table of records or of a count, with the model's types (needs the ``arrow`` extra).

    Takes what :func:`to_dataframe` takes. Records give one column per key of
    :func:`to_records`, typed: a field with several values is a list column
    (an agreement's ``partners`` their ids, ``exchange_types`` their values),
    an enum a dictionary-encoded column whose dictionary is every member in
    declared order, years and counts ``int64``, percents ``float64``, dates
    ``date32``, and a missing value null. A :func:`count_by` result gives two
    columns, the key and ``agreements``; a :func:`crosstab` result three, long
    rather than wide: the row key, the column key and ``agreements``, one row
    per cell.

    DuckDB queries the table by its Python name (see the Arrow page of the docs).

    >>> import tokyotech_partners as ttp
    >>> table = ttp.to_arrow(ttp.load().agreements)
    >>> table.num_rows, str(table.schema.field("exchange_types").type)
    (237, 'list<item: dictionary<values=string, indices=int8, ordered=0>>')
    """
    pa = require("pyarrow", "arrow", "to_arrow")
    built = _columns(items, "to_arrow")
    schema = pa.schema([pa.field(name, _arrow_type(pa, kind)) for name, kind, _ in built])
    arrays = [_arrow_array(pa, kind, values) for _, kind, values in built]
    table: pyarrow.Table = pa.Table.from_arrays(arrays, schema=schema)
    return table


# ----------------------------------------------------------------------- polars


def _polars_type(pl: Any, kind: Kind) -> Any:
    if kind.base == "enum":
        return pl.Enum(list(kind.categories))
    if kind.base == "list" and kind.item is not None:
        return pl.List(_polars_type(pl, kind.item))
    scalars = {"string": pl.String, "int": pl.Int64, "bool": pl.Boolean, "float": pl.Float64}
    return scalars.get(kind.base, pl.Date)


def to_polars(items: Iterable[object] | Mapping[Hashable, Any]) -> polars.DataFrame:
    """A polars DataFrame of records or of a count, with the model's types (needs the ``polars`` extra).

    The columns of :func:`to_arrow`, in polars' types: ``List`` for a field
    with several values, ``Enum`` (its categories every member, in declared
    order) for an enum, ``Int64`` years and counts, ``Date`` dates and null for
    a missing value. It does not need pyarrow.

    >>> import polars as pl, tokyotech_partners as ttp
    >>> frame = ttp.to_polars(ttp.load().agreements)
    >>> frame.schema["level"], frame.schema["concluded"]
    (Enum(categories=['institutional', 'school']), Int64)
    >>> frame.group_by("level").len().sort("level").rows()
    [('institutional', 109), ('school', 128)]
    """
    pl = require("polars", "polars", "to_polars")
    built = _columns(items, "to_polars")
    frame: polars.DataFrame = pl.DataFrame(
        [pl.Series(name, values, dtype=_polars_type(pl, kind)) for name, kind, values in built]
    )
    return frame
