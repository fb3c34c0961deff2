"""The one cattrs converter of the library, and its hooks.

Strict on the way in (a string is never coerced from a number, an int never
from a bool or a float), JSON primitives on the way out (tuples become lists,
frozensets sorted lists, dates ISO strings, decimals strings). Agreements
refer to their partners by institution id in the data files.
"""

from __future__ import annotations

import collections.abc as abc
import datetime as dt
import re
import types
import typing
from decimal import Decimal
from typing import Any

import cattrs
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.gen import make_dict_unstructure_fn, override
from cattrs.v import format_exception

from ._enums import declared_order
from ._model import Agreement
from ._text import EXCERPT, clip, quote

__all__ = ["converter", "structure_errors"]

_PERCENT = re.compile(r"[0-9]{1,3}\.[0-9]")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

#: Integers of a data file lie within a signed 64-bit integer, as CSV and database readers expect.
INT_LIMIT = 2**63


def _strict(kind: type[Any], name: str) -> Any:
    def hook(value: object, _: object) -> Any:
        if type(value) is not kind:
            raise TypeError(f"expected {name}, got {type(value).__name__} {quote(value)}")
        return value

    return hook


_exact_str = _strict(str, "a string")
_exact_int = _strict(int, "an integer")


def _structure_int(value: object, _: object) -> int:
    number: int = _exact_int(value, _)
    if not -INT_LIMIT <= number < INT_LIMIT:
        raise ValueError(f"{quote(number)} is out of range: an integer lies within ±2**63")
    return number


def _structure_str(value: object, _: object) -> str:
    """A string that is Unicode text: JSON can escape a lone surrogate, which no file can then hold."""
    text: str = _exact_str(value, _)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            surrogate = text[exc.start]
            raise ValueError(
                f"contains the lone surrogate {quote(surrogate)}: not text, no UTF-8 file can hold it"
            ) from None
    return text


def _structure_decimal(value: object, _: object) -> Decimal:
    if not isinstance(value, str) or not _PERCENT.fullmatch(value):
        raise ValueError(f"expected a percent string such as '37.3', got {quote(value)}")
    return Decimal(value)


def _structure_date(value: object, _: object) -> dt.date:
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO date string, got {quote(value)}")
    # only YYYY-MM-DD: Python 3.11's fromisoformat also takes 20210501 and 2021-W17-6, 3.10's does not
    if not _ISO_DATE.fullmatch(value):
        raise ValueError(f"expected a date written YYYY-MM-DD, got {quote(value)}")
    return dt.date.fromisoformat(value)


def _is_set_type(cls: Any) -> bool:
    return cls in (frozenset, set) or typing.get_origin(cls) in (frozenset, set, abc.Set)


def _set_to_list(values: abc.Set[Any]) -> list[Any]:
    return [converter.unstructure(v) for v in sorted(values, key=declared_order)]


def _is_list_type(cls: Any) -> bool:
    """``tuple[X, ...]`` and ``frozenset[X]``: the collections a data file stores as a JSON array."""
    args = typing.get_args(cls)
    if typing.get_origin(cls) is tuple:
        return len(args) == 2 and args[1] is Ellipsis
    return typing.get_origin(cls) is frozenset and len(args) == 1


def _list_only(cls: Any, conv: cattrs.Converter) -> Any:
    """Structure a JSON array only: cattrs alone would take a string or an object as an iterable."""
    as_tuple: Any = types.GenericAlias(tuple, (typing.get_args(cls)[0], ...))
    elements = homogenous_tuple_structure_factory(as_tuple, conv)
    into_set = typing.get_origin(cls) is frozenset

    def hook(value: object, _: object) -> Any:
        if type(value) is not list:
            raise TypeError(f"expected a list, got {type(value).__name__} {quote(value)}")
        items = elements(value, cls)
        if not into_set:
            return items
        unique = frozenset(items)
        if len(unique) != len(items):  # a set would silently fold the repeated element
            repeated = next(item for k, item in enumerate(items) if item in items[:k])
            raise ValueError(f"lists {quote(getattr(repeated, 'value', repeated))} twice")
        return unique

    return hook


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(
        forbid_extra_keys=True,
        unstruct_collection_overrides={abc.Set: sorted, abc.Sequence: list},
    )
    conv.register_unstructure_hook_func(_is_set_type, _set_to_list)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(bool, _strict(bool, "true or false"))
    conv.register_structure_hook_factory(_is_list_type, _list_only)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_unstructure_hook(
        Agreement,
        make_dict_unstructure_fn(
            Agreement,
            conv,
            partners=override(unstruct_hook=lambda ps: [p.id for p in ps]),
        ),
    )
    return conv


converter = _make_converter()


def _format_exception(exc: BaseException, type_: Any) -> str:
    """The wording cattrs gives a failure, followed by the hook's own message where it has one."""
    base = format_exception(exc, type_)
    if isinstance(exc, (ValueError, TypeError)) and str(exc) and str(exc) not in base:
        return f"{base}: {clip(str(exc), 2 * EXCERPT)}"
    return base


def structure_errors(exc: BaseException) -> list[tuple[str, str | None]]:
    """``(message, field)`` for each problem of a structuring error.

    The field is a path below the record (``notes[0]``), ``None`` for the
    record as a whole; an unexpected key is its own field.
    """
    extra: list[object] = []
    if isinstance(exc, cattrs.ClassValidationError):
        rest = [e for e in exc.exceptions if not isinstance(e, cattrs.ForbiddenExtraKeysError)]
        forbidden = [e for e in exc.exceptions if isinstance(e, cattrs.ForbiddenExtraKeysError)]
        extra = [key for e in forbidden for key in e.extra_fields]
        messages = (
            cattrs.transform_error(
                cattrs.ClassValidationError(exc.message, rest, exc.cl),
                path="$",
                format_exception=_format_exception,
            )
            if rest
            else []
        )
    elif isinstance(exc, cattrs.ForbiddenExtraKeysError):
        extra, messages = list(exc.extra_fields), []
    elif isinstance(exc, cattrs.BaseValidationError):
        messages = cattrs.transform_error(exc, path="$", format_exception=_format_exception)
    else:
        messages = [f"{clip(str(exc), 2 * EXCERPT)} @ $"]
    errors: list[tuple[str, str | None]] = []
    for text in messages:
        message, _, path = text.rpartition(" @ ")
        errors.append((message or text, path.removeprefix("$").lstrip(".") or None))
    errors.extend((f"unexpected key {quote(key)}", str(key)) for key in sorted(extra, key=repr))
    return errors or [(str(exc) or type(exc).__name__, None)]
