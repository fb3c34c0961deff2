"""Small helpers for text a person reads."""

from __future__ import annotations

import math

__all__ = ["EXCERPT", "clip", "quote"]

#: The most characters of a value a message quotes (see :func:`quote`).
EXCERPT = 60


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, ending in "…" where it was cut.

    >>> clip("Massachusetts Institute of Technology", 12)
    'Massachuset…'
    """
    return text if len(text) <= width else text[: width - 1] + "…"


def quote(value: object, limit: int = EXCERPT) -> str:
    """How a message quotes ``value``: its ``repr``, cut to a bounded excerpt.

    Every message that shows a value from outside (a data file, an argument)
    goes through here, so that no value, however long, is quoted whole and no
    integer is converted to text beyond Python's digit limit.

    >>> quote("Tokyo")
    "'Tokyo'"
    >>> quote("A" * 1000)
    "'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'… (1000 characters)"
    >>> quote(10**100)
    'an integer of about 101 digits'
    """
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        if -(10**limit) < value < 10**limit:
            return repr(value)
        digits = math.floor(math.log10(abs(value))) + 1  # log10 takes an int of any size
        return f"an integer of about {digits} digits"
    if isinstance(value, str):
        return repr(value) if len(value) <= limit else f"{value[:limit]!r}… ({len(value)} characters)"
    try:
        return clip(repr(value), limit)
    except (ValueError, RecursionError):  # a nested huge integer, or nesting too deep for repr
        return f"a {type(value).__name__}"
