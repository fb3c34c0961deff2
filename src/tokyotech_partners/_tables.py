"""The tables of an edition, declared once.

Each :class:`Table` names its data file, its record class (and the class its
file's records are structured into, where they differ), the :class:`Dataset`
attribute that holds it, its primary key and its foreign keys. Reading,
checking, writing, unstructuring, the data package export, the data
dictionary, the defect tests and the benchmark all derive from :data:`TABLES`:
a new table or field touches the model and this declaration.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ._model import Agreement, BudgetLine, Correction, Country, Institution, Office

__all__ = [
    "DATA_FILES",
    "EDITION_FILE",
    "FOUNDED",
    "TABLES",
    "ForeignKey",
    "Table",
    "table_named",
]

#: Tokyo Tech's founding year: no agreement or office can predate it.
FOUNDED = 1881


class ForeignKey:
    """``fields`` of a table refer to ``reference`` of the table called ``table``.

    A plain class, like :class:`Table`: the declaration is read on every load,
    and a plain class costs nothing to create.
    """

    __slots__ = ("fields", "reference", "table")

    def __init__(self, fields: tuple[str, ...], table: str, reference: tuple[str, ...]) -> None:
        self.fields = fields
        self.table = table
        self.reference = reference

    def __repr__(self) -> str:
        return f"ForeignKey({self.fields!r}, {self.table!r}, {self.reference!r})"


class Table:
    """One table of an edition.

    ``name`` is the :class:`Dataset` attribute and the exported table's name;
    ``key`` is the data file's stem and the key of
    :func:`unstructure_dataset`'s result. ``constraints`` adds Frictionless
    field constraints that the types do not give (such as a minimum).
    """

    __slots__ = ("constraints", "foreign_keys", "key", "name", "primary_key", "record", "stored")

    def __init__(
        self,
        name: str,
        key: str,
        record: type[Any],
        primary_key: tuple[str, ...],
        stored: str | None = None,
        foreign_keys: tuple[ForeignKey, ...] = (),
        constraints: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.name = name
        self.key = key
        self.record = record
        self.primary_key = primary_key
        self.stored = stored
        self.foreign_keys = foreign_keys
        self.constraints: Mapping[str, Mapping[str, Any]] = constraints or {}

    def __repr__(self) -> str:
        return f"Table({self.name!r}, {self.file!r})"

    @property
    def file(self) -> str:
        """The data file's name."""
        return f"{self.key}.jsonl"

    @property
    def stored_as(self) -> type[Any]:
        """The class a record of the data file is structured into by the converter.

        ``stored`` names a class of :mod:`._stored`, imported only when asked for.
        """
        if self.stored is None:
            return self.record
        from . import _stored

        stored: type[Any] = getattr(_stored, self.stored)
        return stored


_TO_COUNTRY = ForeignKey(("country",), "countries", ("code",))

#: The tables of an edition, in the order they are read and checked (a table's
#: foreign keys refer only to tables before it).
TABLES: tuple[Table, ...] = (
    Table("countries", "countries", Country, ("code",)),
    Table("institutions", "institutions", Institution, ("id",), foreign_keys=(_TO_COUNTRY,)),
    Table(
        "agreements",
        "agreements",
        Agreement,
        ("id",),
        stored="AgreementRecord",
        foreign_keys=(ForeignKey(("partners",), "institutions", ("id",)),),
        constraints=MappingProxyType(
            {
                "concluded": {"minimum": FOUNDED},
                "source_line": {"minimum": 1},
                "exchange_types": {"required": True},
            }
        ),
    ),
    Table("offices", "offices", Office, ("id",), foreign_keys=(_TO_COUNTRY,)),
    Table(
        "budget_lines",
        "budget",
        BudgetLine,
        ("id",),
        constraints=MappingProxyType({"amount_million_yen": {"minimum": 0}}),
    ),
    Table("corrections", "corrections", Correction, ()),
)

#: The file holding the edition's description (one :class:`Edition` as a JSON object).
EDITION_FILE = "edition.json"

#: The files of an edition, in the order they are read.
DATA_FILES: tuple[str, ...] = (EDITION_FILE, *(table.file for table in TABLES))


def table_named(name: str) -> Table:
    """The table whose ``name`` or ``key`` is ``name``."""
    for table in TABLES:
        if name in (table.name, table.key):
            return table
    raise KeyError(name)
