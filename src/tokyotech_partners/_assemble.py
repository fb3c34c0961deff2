"""Structuring an edition's records and assembling them into a :class:`Dataset`.

Each record is structured as soon as it is read: by the table's plain
structurer (:mod:`._structurers`) when it takes it, by the cattrs converter
otherwise, which gives the same record or the detailed error. :func:`assemble`
asks for the tables in the order of :data:`TABLES` and checks each with its
rules (:mod:`._check`) before the next is read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from ._check import (
    check_agreements,
    check_budget_lines,
    check_corrections,
    check_countries,
    check_edition,
    check_institutions,
    check_offices,
    record_name,
)
from ._dataset import Dataset
from ._errors import DatasetError
from ._fast import fast_structurer, structure_fast
from ._model import Edition
from ._structurers import agreement as agreement_fast
from ._tables import EDITION_FILE, TABLES, Table

__all__ = [
    "NO_RECORDS",
    "Structure",
    "TableRows",
    "assemble",
    "convert",
    "json_object",
    "structure",
    "structure_dataset",
]

T = TypeVar("T")


def json_object(value: object, number: int, file: str) -> dict[str, Any]:
    """The JSON value of line ``number``, which must be an object."""
    if not isinstance(value, dict):
        raise DatasetError("is not a JSON object", file=file, record=f"line {number}")
    return value


def structure(raw: Any, cls: type[T], file: str, record: str | int) -> T:
    """``raw`` structured into ``cls``; a defect raises :class:`DatasetError` naming the field.

    The fast path takes what is plainly valid; anything else goes to the cattrs
    converter, which structures it the same way or says what is wrong.
    ``record`` is how errors name it, or its line number.
    """
    fast = structure_fast(raw, cls)
    return fast if fast is not None else convert(raw, cls, file, record)


def convert(raw: Any, cls: type[T], file: str, record: str | int) -> T:
    """``raw`` structured into ``cls`` by the cattrs converter; its first error as a DatasetError."""
    from ._converter import converter, structure_errors  # imported only when needed

    try:
        return converter.structure(raw, cls)
    except Exception as exc:
        message, field = structure_errors(exc)[0]
        if isinstance(record, int):
            record = record_name(record, raw.get("id") if isinstance(raw, dict) else None)
        raise DatasetError(message, file=file, record=record, field=field) from exc


#: How one record of a table is structured: given its JSON object and its line number.
Structure = Callable[[dict[str, Any], int], Any]
#: The structured records of one table, each with its line number, in file order: given the
#: table and how to structure each record as soon as it is read. Errors name a record by its
#: id and line (:func:`record_name`), made only when an error needs it.
TableRows = Callable[[Table, Structure], Sequence[tuple[int, Any]]]


#: The message of a table without records.
NO_RECORDS = "has no records: every table of an edition has at least one"

# ------------------------------------------------------------------ the whole


def assemble(edition: Edition, rows: TableRows) -> Dataset:
    """Check the edition, then each table in turn as ``rows`` gives it, references against earlier tables.

    ``rows`` is asked for each table once, in the order of :data:`TABLES`,
    after the tables before it are checked: so the first defect found stops
    the reading of the later files. Agreements are structured with their
    partners, found among the institutions already checked.
    """
    check_edition(edition)
    last_year = edition.as_of.year
    by_key = {table.key: table for table in TABLES}

    def table_rows(key: str, fast: Callable[[Any], Any] | None = None) -> Sequence[tuple[int, Any]]:
        """The table's rows, each structured by ``fast`` (its structurer by default) or the converter."""
        table = by_key[key]
        fast = fast or fast_structurer(table.stored_as)

        def structure_one(raw: dict[str, Any], number: int) -> Any:
            record = fast(raw)
            # the stored class only when the converter is needed: the agreements' is created on first use
            return record if record is not None else convert(raw, table.stored_as, table.file, number)

        return rows(table, structure_one)

    countries = table_rows("countries")
    codes = check_countries(countries, by_key["countries"].file)
    institutions = table_rows("institutions")
    index = check_institutions(institutions, by_key["institutions"].file, codes)
    # an agreement with its partners, or (from the converter) an AgreementRecord that the check converts
    agreement_rows = table_rows("agreements", lambda raw: agreement_fast(raw, index))
    agreements = check_agreements(agreement_rows, by_key["agreements"].file, index, last_year)
    offices = table_rows("offices")
    check_offices(offices, by_key["offices"].file, codes, last_year)
    budget = table_rows("budget")
    check_budget_lines(budget, by_key["budget"].file, edition)
    corrections = table_rows("corrections")
    known = {a.id for a in agreements} | set(index) | {b.id for _, b in budget} | {o.id for _, o in offices}
    check_corrections(corrections, by_key["corrections"].file, known)
    return Dataset(
        edition=edition,
        countries=tuple(c for _, c in countries),
        institutions=tuple(i for _, i in institutions),
        agreements=tuple(agreements),
        offices=tuple(o for _, o in offices),
        budget_lines=tuple(b for _, b in budget),
        corrections=tuple(c for _, c in corrections),
    )


def structure_dataset(raw: Mapping[str, Any]) -> Dataset:
    """Build and validate a :class:`Dataset` from unstructured data.

    ``raw`` maps ``"edition"`` to the edition (a dict) and each table's key
    (``countries``, ``institutions``, ``agreements``, ``offices``, ``budget``,
    ``corrections``: the data files' names without extension) to its records,
    a list of dicts, as :func:`unstructure_dataset` returns them. Every defect
    raises :class:`DatasetError`.
    """
    if not isinstance(raw, Mapping):
        raise TypeError(f"structure_dataset takes a mapping of the tables, not {type(raw).__name__}")

    def rows(table: Table, structure_one: Structure) -> list[tuple[int, Any]]:
        value = raw.get(table.key)
        if not isinstance(value, list):
            raise DatasetError("expected a list of records", file=table.file)
        if not value:
            raise DatasetError(NO_RECORDS, file=table.file)
        return [
            (number, structure_one(json_object(item, number, table.file), number))
            for number, item in enumerate(value, start=1)
        ]

    if not isinstance(raw.get("edition"), dict):
        raise DatasetError("expected a JSON object", file=EDITION_FILE)
    edition = structure(raw["edition"], Edition, EDITION_FILE, "edition")
    return assemble(edition, rows)
