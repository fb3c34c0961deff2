"""Structuring the records of a valid edition without cattrs; cattrs stays the judge of a defect.

:func:`structure_fast` builds a record from a JSON object when every key and
value is exactly what the converter accepts, and returns ``None`` at the first
thing it is not sure of. The caller then structures the same object with the
cattrs converter, which gives the same record or the detailed error naming the
field. So a valid edition loads without generating any cattrs code (or even
importing cattrs), and a defective one is reported exactly as before; a test
checks that both paths give equal datasets.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import sys
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

__all__ = ["structure_fast"]

T = TypeVar("T")

_PERCENT = re.compile(r"[0-9]{1,3}\.[0-9]")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class _Unsure(Exception):
    """A value the fast path does not take: the converter decides."""


def _text(value: object) -> str:
    if type(value) is not str:
        raise _Unsure
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: the converter refuses it
            raise _Unsure from None
    return value


_INT_LIMIT = 2**63  # as the converter's: integers lie within a signed 64-bit integer


def _integer(value: object) -> int:
    if type(value) is not int or not -_INT_LIMIT <= value < _INT_LIMIT:
        raise _Unsure
    return value


def _boolean(value: object) -> bool:
    if type(value) is not bool:
        raise _Unsure
    return value


def _decimal(value: object) -> Any:
    if type(value) is not str or not _PERCENT.fullmatch(value):
        raise _Unsure
    from decimal import Decimal

    return Decimal(value)


def _date(value: object) -> dt.date:
    if type(value) is not str or not _DATE.fullmatch(value):
        raise _Unsure
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Unsure from None


def _member(kind: type[enum.Enum]) -> Callable[[object], Any]:
    members = {m.value: m for m in kind}

    def member(value: object) -> Any:
        if type(value) is not str:
            raise _Unsure
        try:
            return members[value]
        except KeyError:
            raise _Unsure from None

    return member


def _optional(inner: Callable[[object], Any]) -> Callable[[object], Any]:
    def optional(value: object) -> Any:
        return None if value is None else inner(value)

    return optional


def _collection(inner: Callable[[object], Any], into: type) -> Callable[[object], Any]:
    def collection(value: object) -> Any:
        if type(value) is not list:
            raise _Unsure
        items = [inner(v) for v in value]
        if into is frozenset:
            made = frozenset(items)
            if len(made) != len(items):  # an element twice: the converter decides
                raise _Unsure
            return made
        return tuple(items)

    return collection


def _scalar(kind: Any) -> Callable[[object], Any]:
    simple: dict[Any, Callable[[object], Any]] = {str: _text, int: _integer, bool: _boolean, dt.date: _date}
    if kind in simple:
        return simple[kind]
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return _member(kind)
    if getattr(kind, "__name__", "") == "Decimal":
        return _decimal
    raise TypeError(f"no fast structuring for {kind!r}")


def _resolved(annotation: str, namespace: dict[str, Any]) -> Callable[[object], Any]:
    """The parser of an annotation as the model writes it (``str | None``, ``tuple[str, ...]``).

    Read directly rather than through :func:`typing.get_type_hints`, which
    compiles every annotation: the model's annotations are simple, and one
    that is not raises :class:`TypeError`, so a test notices.
    """
    text = annotation.strip()
    if text.endswith("| None"):
        return _optional(_resolved(text[: -len("| None")], namespace))
    for prefix, into in (("tuple[", tuple), ("frozenset[", frozenset)):
        if text.startswith(prefix) and text.endswith("]"):
            inner = text[len(prefix) : -1].removesuffix(", ...").strip()
            return _collection(_scalar(_name(inner, namespace)), into)
    return _scalar(_name(text, namespace))


def _name(text: str, namespace: dict[str, Any]) -> Any:
    builtin = {"str": str, "int": int, "bool": bool}
    if text in builtin:
        return builtin[text]
    head, _, attribute = text.partition(".")
    value = namespace[head]
    return getattr(value, attribute) if attribute else value


def _parser(annotation: Any) -> Callable[[object], Any]:
    """The function that takes a JSON value of ``annotation``'s type, or raises :class:`_Unsure`."""
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        return _optional(_parser(inner))
    if origin in (tuple, frozenset):
        return _collection(_scalar(args[0]), origin)
    return _scalar(annotation)


_PLANS: dict[type, tuple[dict[str, Callable[[object], Any]], frozenset[str]]] = {}


def _plan(cls: type) -> tuple[dict[str, Callable[[object], Any]], frozenset[str]]:
    """For each field of ``cls``, its parser; and the fields without a default."""
    plan = _PLANS.get(cls)
    if plan is None:
        namespace = vars(sys.modules[cls.__module__])
        fields = attrs.fields(cls)
        parsers = {
            f.name: _resolved(f.type, namespace) if isinstance(f.type, str) else _parser(f.type)
            for f in fields
        }
        required = frozenset(f.name for f in fields if f.default is attrs.NOTHING)
        plan = _PLANS[cls] = (parsers, required)
    return plan


def structure_fast(raw: object, cls: type[T]) -> T | None:
    """``raw`` as a ``cls``, when it is exactly what the converter would accept; else ``None``."""
    if type(raw) is not dict:
        return None
    parsers, required = _plan(cls)
    if not required <= raw.keys() or not raw.keys() <= parsers.keys():
        return None
    try:
        return cls(**{key: parsers[key](value) for key, value in raw.items()})
    except (_Unsure, TypeError, ValueError):
        return None
