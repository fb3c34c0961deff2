"""The dataset as one SQLite database (the standard library's :mod:`sqlite3`).

The tables, their columns, keys and descriptions come from the declarations
the data package uses (:data:`~tokyotech_partners._tables.TABLES` and
:data:`~tokyotech_partners._tidy.DERIVED_TABLES`) and from the model's
annotations: a scalar column keeps its type (``INTEGER`` years, ``REAL``
percents, ``TEXT`` names, enum values and ISO dates, ``NULL`` for a missing
value), and a field that holds several values becomes a link table, one row
per value. Nothing about a field is written here twice.
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import os
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ._enums import in_declared_order
from ._export import _value, columns
from ._files import target_path, write_built
from ._model import Edition
from ._schema import _unwrap, annotation_of, description_of, is_multi
from ._tables import TABLES, ForeignKey, Table
from ._tidy import DERIVED_TABLES, build

if TYPE_CHECKING:
    import sqlite3

    from ._dataset import Dataset

__all__ = ["VIEWS", "to_sqlite"]

#: Multi-valued columns of ``agreements`` that the tidy tables already hold, one row per value.
_HELD_ELSEWHERE = frozenset(
    {
        "partners",
        "partner_names",
        "countries",
        "world_regions",
        "subregions",
        "counterparts",
        "exchange_types",
    }
)

#: The views of the database: name -> what it answers, then its query.
VIEWS: dict[str, tuple[str, str]] = {
    "agreement_countries": (
        "Each agreement's partner countries, one row each (country NULL for an agreement whose "
        "partners are all multinational bodies): the countries count_by(..., 'country') counts.",
        """SELECT DISTINCT agreement_id, country FROM agreement_partners WHERE country IS NOT NULL
UNION ALL
SELECT id, NULL FROM agreements
 WHERE id NOT IN (SELECT agreement_id FROM agreement_partners WHERE country IS NOT NULL)""",
    ),
    "agreements_with_partners": (
        "One row per agreement and partner: the agreement's level, year, decade and heading, "
        "the partner's id and name, its country's code, name and UN M49 region.",
        """SELECT a.id AS agreement_id, a.level, a.concluded, a.concluded / 10 * 10 AS decade, a.region,
       p.position, p.institution_id, p.institution_name, p.country,
       c.name AS country_name, c.world_region
  FROM agreements AS a
  JOIN agreement_partners AS p ON p.agreement_id = a.id
  LEFT JOIN countries AS c ON c.code = p.country""",
    ),
    "agreements_per_country": (
        "How many agreements have a partner in each country, most first (country NULL: "
        "agreements with multinational bodies only).",
        """SELECT ac.country, COALESCE(c.name, 'multinational') AS country_name, COUNT(*) AS agreements
  FROM agreement_countries AS ac
  LEFT JOIN countries AS c ON c.code = ac.country
 GROUP BY ac.country
 ORDER BY agreements DESC, ac.country IS NULL, ac.country""",
    ),
    "agreements_per_decade": (
        "How many agreements were concluded in each decade, by level, earliest first.",
        """SELECT concluded / 10 * 10 AS decade, COUNT(*) AS agreements,
       SUM(level = 'institutional') AS institutional, SUM(level = 'school') AS school
  FROM agreements
 GROUP BY decade
 ORDER BY decade""",
    ),
}


@attrs.frozen
class _Column:
    name: str
    definition: str
    description: str


@attrs.frozen
class _Spec:
    """One table of the database: its columns, keys, and how to get its rows from a dataset."""

    name: str
    description: str
    columns: tuple[_Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    rows: Callable[[Dataset], Iterable[tuple[object, ...]]]

    def create(self) -> list[str]:
        """The statements that create the table and its indexes."""
        parts = [(c.definition, c.description) for c in self.columns]
        if self.primary_key:
            parts.append((f"PRIMARY KEY ({', '.join(self.primary_key)})", ""))
        for fk in self.foreign_keys:
            target = f"{fk.table} ({', '.join(fk.reference)})"
            parts.append((f"FOREIGN KEY ({', '.join(fk.fields)}) REFERENCES {target}", ""))
        lines = [f"CREATE TABLE {self.name} (", f"    -- {self.description}"]
        for k, (text, comment) in enumerate(parts):
            comma = "," if k < len(parts) - 1 else ""
            lines.append(f"    {text}{comma}" + (f"  -- {comment}" if comment else ""))
        statements = ["\n".join([*lines, ")"])]
        for fk in self.foreign_keys:
            if fk.fields != self.primary_key[: len(fk.fields)]:
                index = f"{self.name}_{'_'.join(fk.fields)}"
                statements.append(f"CREATE INDEX {index} ON {self.name} ({', '.join(fk.fields)})")
        return statements

    def insert(self) -> str:
        """The statement that inserts one row."""
        return f"INSERT INTO {self.name} VALUES ({', '.join('?' for _ in self.columns)})"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _column(cls: type[Any], name: str, constraints: dict[str, Any], description: str = "") -> _Column:
    """The SQL column of ``cls``'s scalar column ``name``: type, NOT NULL and CHECK constraints."""
    kind, optional = _unwrap(annotation_of(cls, name))
    checks = []
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        sql = "TEXT"
        checks.append(f"{name} IN ({', '.join(_literal(str(m.value)) for m in kind)})")
    elif kind is bool:
        sql = "INTEGER"
        checks.append(f"{name} IN (0, 1)")
    elif kind is int:
        sql = "INTEGER"
    elif kind in (float, Decimal):
        sql = "REAL"
    else:
        sql = "TEXT"
    if "minimum" in constraints:
        checks.append(f"{name} >= {int(constraints['minimum'])}")
    definition = f"{name} {sql}" + ("" if optional else " NOT NULL")
    definition += "".join(f" CHECK ({check})" for check in checks)
    return _Column(name, definition, _one_line(description or description_of(cls, name)))


def _sql(value: object) -> object:
    """``value`` as SQLite stores it."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("ses"):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def _items(ds: Dataset, table: Table) -> tuple[Any, ...]:
    if any(table is t for t in DERIVED_TABLES):
        return build(ds, table)
    return tuple(getattr(ds, table.name))


def _table_spec(table: Table) -> _Spec:
    cls = table.record
    names = [n for n in columns(cls) if not is_multi(annotation_of(cls, n))]
    hints = set(attrs.fields_dict(cls))
    keys = tuple(fk for fk in table.foreign_keys if set(fk.fields) <= hints & set(names))

    def rows(ds: Dataset) -> Iterable[tuple[object, ...]]:
        return [tuple(_sql(_value(item, n)) for n in names) for item in _items(ds, table)]

    return _Spec(
        table.name,
        _one_line((inspect.getdoc(cls) or cls.__name__).split("\n\n")[0]),
        tuple(_column(cls, n, dict(table.constraints.get(n, {}))) for n in names),
        table.primary_key,
        keys,
        rows,
    )


def _link_spec(table: Table, field: str) -> _Spec:
    """The link table of ``table``'s multi-valued text column ``field``: one row per value, in order."""
    owner, (key,) = _singular(table.name), table.primary_key
    owner_key, value = f"{owner}_{key}", _singular(field)

    def rows(ds: Dataset) -> Iterable[tuple[object, ...]]:
        return [
            (getattr(item, key), k, _sql(v))
            for item in _items(ds, table)
            for k, v in enumerate(in_declared_order(getattr(item, field)), start=1)
        ]

    return _Spec(
        f"{owner}_{field}",
        f"The {field} column of {table.name}: one row per value, in order.",
        (
            _Column(owner_key, f"{owner_key} TEXT NOT NULL", f"The {owner}'s {key}."),
            _Column("position", "position INTEGER NOT NULL CHECK (position >= 1)", "1 for the first value."),
            _Column(value, f"{value} TEXT NOT NULL", _one_line(description_of(table.record, field))),
        ),
        (owner_key, "position"),
        (ForeignKey((owner_key,), table.name, table.primary_key),),
        rows,
    )


def _edition_spec() -> _Spec:
    names = [f.name for f in attrs.fields(Edition)]
    return _Spec(
        "edition",
        "What the data is an edition of: one row.",
        tuple(_column(Edition, n, {}) for n in names),
        (),
        (),
        lambda ds: [tuple(_sql(getattr(ds.edition, n)) for n in names)],
    )


def specs() -> list[_Spec]:
    """Every table of the database, each after the tables its foreign keys refer to."""
    out = [_edition_spec()]
    for table in TABLES:
        out.append(_table_spec(table))
        cls = table.record
        for name in columns(cls):
            if is_multi(annotation_of(cls, name)) and not (
                table.name == "agreements" and name in _HELD_ELSEWHERE
            ):
                out.append(_link_spec(table, name))
        if table.name == "agreements":
            out.extend(_table_spec(t) for t in DERIVED_TABLES)
    return out


def _fill(connection: sqlite3.Connection, ds: Dataset) -> None:
    connection.execute("PRAGMA foreign_keys = ON")
    with connection:
        for spec in specs():
            for statement in spec.create():
                connection.execute(statement)
            connection.executemany(spec.insert(), spec.rows(ds))
        for name, (description, query) in VIEWS.items():
            connection.execute(f"CREATE VIEW {name} AS\n-- {description}\n{query}")
    problems = connection.execute("PRAGMA foreign_key_check").fetchall()
    if problems:  # pragma: no cover -- load() has checked every reference
        raise ValueError(f"to_sqlite: the dataset breaks its foreign keys: {problems[:5]}")


def to_sqlite(ds: Dataset, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write the dataset as one SQLite database file; return its path.

    Every table of the data package (:func:`export_datapackage`) is a table
    here, with its primary key, its foreign keys (enforced while writing, and
    ``PRAGMA foreign_key_check`` finds nothing), an index on each foreign key
    and the descriptions of the columns as comments in the schema. Scalar
    columns keep their type: ``INTEGER`` years and counts (booleans 0 or 1),
    ``REAL`` percents, ``TEXT`` for names, ids, enum values (checked against
    the enum) and ISO dates, and ``NULL`` for a missing value. A field that
    holds several values is a link table, one row per value: an agreement's
    partners, counterparts and exchange types are ``agreement_partners``,
    ``agreement_counterparts`` and ``agreement_exchange_types``, and text
    lists such as an institution's aliases are ``institution_aliases``
    (``institution_id``, ``position``, ``alias``). The table ``edition``
    holds the source, its as-of date and fiscal year.

    Four views answer common questions (the SQLite page of the docs
    describes them): ``agreement_countries``, ``agreements_with_partners``,
    ``agreements_per_country`` and ``agreements_per_decade``.

    The file is written under a temporary name in its directory and renamed
    into place; an existing file is replaced only if ``overwrite`` is true, a
    symbolic link never.

    >>> import sqlite3, tempfile, tokyotech_partners as ttp
    >>> path = ttp.to_sqlite(ttp.load(), tempfile.mkdtemp() + "/partners.sqlite")
    >>> db = sqlite3.connect(path)
    >>> db.execute("SELECT country, agreements FROM agreements_per_country LIMIT 2").fetchall()
    [('CN', 23), ('FR', 22)]
    >>> db.close()
    """
    import sqlite3

    target = target_path(path, "to_sqlite")

    def write(temporary: Path) -> None:
        connection = sqlite3.connect(temporary)
        try:
            _fill(connection, ds)
        finally:
            connection.close()

    write_built(target, write, overwrite=overwrite)
    return target
