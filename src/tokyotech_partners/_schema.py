"""The Frictionless Table Schemas of the exported tables, built from the model.

A field's type, whether it is required and its allowed values come from its
annotation; its description from its ``description`` metadata (a derived
column's from its property's docstring); keys and the constraints the types
cannot give from :data:`TABLES`. Nothing about a field is written here twice.
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import types
import typing
from decimal import Decimal
from typing import Any

import attrs

from ._tables import TABLES, Table

__all__ = ["CODE_SEPARATOR", "TEXT_SEPARATOR", "annotation_of", "description_of", "is_multi", "schemas"]

#: Joins several codes, ids or enum values in one flat field: ``"F;S;I"``.
CODE_SEPARATOR = ";"
#: Joins several free-text values (names, aliases, notes) in one flat field.
TEXT_SEPARATOR = " | "

_SCALARS: dict[type, str] = {
    str: "string",
    int: "integer",
    bool: "boolean",
    Decimal: "number",
    dt.date: "date",
}

#: Descriptions of the flat columns that are neither a field nor a property of their record.
EXTRA_DESCRIPTIONS = {"partner_names": "The partners' names, in the order printed."}


def description_of(cls: type[Any], name: str) -> str:
    """What column ``name`` of ``cls``'s flat records means; :class:`LookupError` if nothing says."""
    fields = attrs.fields_dict(cls)
    if name in fields:
        description = fields[name].metadata.get("description")
        if not isinstance(description, str) or not description.strip():
            raise LookupError(f"{cls.__name__}.{name} has no description in its metadata")
        return description
    prop = getattr(cls, name, None)
    if isinstance(prop, property) and prop.__doc__:
        return inspect.cleandoc(prop.__doc__).split("\n\n")[0].replace("\n", " ")
    if name in EXTRA_DESCRIPTIONS:
        return EXTRA_DESCRIPTIONS[name]
    raise LookupError(f"{cls.__name__}.{name} has no description")


#: The types of the flat columns that are neither a field nor a property of their record.
EXTRA_ANNOTATIONS: dict[str, Any] = {"partner_names": tuple[str, ...]}


def annotation_of(cls: type[Any], name: str) -> Any:
    """The type of column ``name`` of ``cls``'s flat records: its field's, property's or extra column's."""
    hints = typing.get_type_hints(cls)
    if name in hints:
        return hints[name]
    prop = getattr(cls, name, None)
    if isinstance(prop, property) and prop.fget is not None:
        return typing.get_type_hints(prop.fget).get("return", str)
    return EXTRA_ANNOTATIONS.get(name, str)


def is_multi(annotation: Any) -> bool:
    """Whether a column of type ``annotation`` holds several values (a tuple or frozenset)."""
    return typing.get_origin(_unwrap(annotation)[0]) in (tuple, frozenset)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """``(the type, whether None is allowed)`` of ``X | None``; other types as they are."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        return inner, True
    return annotation, False


def _typed_field(name: str, annotation: Any, description: str) -> dict[str, Any]:
    """A Table Schema field for a column of type ``annotation``."""
    kind, optional = _unwrap(annotation)
    field: dict[str, Any] = {"name": name, "type": "string", "description": description}
    constraints: dict[str, Any] = {}
    origin = typing.get_origin(kind)
    if origin in (tuple, frozenset):
        element = typing.get_args(kind)[0]
        joined = TEXT_SEPARATOR if element is str else CODE_SEPARATOR
        what = "ids" if attrs.has(element) else "values"
        field["description"] += f' Several {what} joined by "{joined}".'
    elif isinstance(kind, type) and issubclass(kind, enum.Enum):
        constraints["enum"] = [str(member.value) for member in kind]
    else:
        field["type"] = _SCALARS.get(kind, "string")
    if not optional and origin not in (tuple, frozenset):
        constraints["required"] = True
    if field["type"] == "boolean":
        field["trueValues"] = ["true"]
        field["falseValues"] = ["false"]
    field["constraints"] = constraints
    return field


def _table_schema(table: Table, columns: list[str]) -> dict[str, Any]:
    hints = typing.get_type_hints(table.record)
    fields = []
    for name in columns:
        if name in hints:
            annotation = hints[name]
        else:
            prop = getattr(table.record, name, None)
            annotation = typing.get_type_hints(prop.fget).get("return", str) if prop is not None else str
        field = _typed_field(name, annotation, description_of(table.record, name))
        field["constraints"].update(table.constraints.get(name, {}))
        if table.primary_key == (name,):
            field["constraints"]["unique"] = True
        if not field["constraints"]:
            del field["constraints"]
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    single = [fk for fk in table.foreign_keys if all(f in hints and _is_scalar(hints[f]) for f in fk.fields)]
    if single:
        schema["foreignKeys"] = [
            {"fields": list(fk.fields), "reference": {"resource": fk.table, "fields": list(fk.reference)}}
            for fk in single
        ]
    return schema


def _is_scalar(annotation: Any) -> bool:
    return typing.get_origin(_unwrap(annotation)[0]) not in (tuple, frozenset)


def schemas(columns: typing.Callable[[type], list[str]]) -> dict[str, dict[str, Any]]:
    """Every exported table's schema, by table name, in the data package's order.

    ``columns`` gives the flat columns of a record class. A multi-valued
    foreign key (an agreement's partners) is exported as a link table
    instead: the tables of :data:`~tokyotech_partners._tidy.DERIVED_TABLES`
    follow ``agreements``, their schemas derived from their row classes.
    """
    from ._tidy import DERIVED_TABLES

    out: dict[str, dict[str, Any]] = {}
    for table in TABLES:
        out[table.name] = _table_schema(table, columns(table.record))
        if table.name == "agreements":
            out.update({t.name: _table_schema(t, columns(t.record)) for t in DERIVED_TABLES})
    return out
