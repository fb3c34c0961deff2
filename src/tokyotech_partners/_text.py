"""Small helpers for text: clipping what a person reads, quoting values, folding what a person types."""

from __future__ import annotations

import math
import unicodedata

__all__ = ["EXCERPT", "clip", "digits", "fold", "is_slug", "quote"]

#: The most characters of a value a message quotes (see :func:`quote`).
EXCERPT = 60

# Characters that vanish from a folded name: full stops and apostrophes.
_DROPPED = ".'\u2019`"
# Letters that Unicode does not decompose into a base letter and a mark, spelt as people type them.
_SPELT = str.maketrans({"ß": "ss", "ı": "i", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "þ": "th"})
# fold() of ASCII text, as a table for bytes.translate (one pass of C): the dropped marks vanish,
# letters are lowercased, other characters separate words.
_ASCII_DROPPED = b".'`"
_ASCII_FOLD = bytes(
    ord(chr(code).lower()) if chr(code).isalnum() else 32 if code < 128 else code for code in range(256)
)


class _Folding(dict[int, "str | None"]):
    """str.translate's table for decomposed text: what fold() does to each character.

    Combining marks, full stops and apostrophes vanish; a few letters are
    spelt out; other letters and digits stay; anything else separates words.
    Each character is looked up in Unicode once and remembered (up to a
    bound), so folding is one pass of C over the text.
    """

    def __missing__(self, code: int) -> str | None:
        character = chr(code)
        if unicodedata.combining(character) or character in _DROPPED:
            value: str | None = None
        elif code in _SPELT:
            value = _SPELT[code]
        else:  # \w of a regular expression: a letter or digit (the underscore separates words)
            value = character if character.isalnum() else " "
        if len(self) < 8192:
            self[code] = value
        return value


_FOLDING = _Folding()


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, ending in "…" where it was cut.

    >>> clip("Massachusetts Institute of Technology", 12)
    'Massachuset…'
    """
    return text if len(text) <= width else text[: width - 1] + "…"


def fold(text: str) -> str:
    """Text folded for matching: case, accents and punctuation ignored; any script kept.

    Full stops and apostrophes vanish (``"U.K."`` is ``"uk"``, ``"Mongkut's"``
    is ``"mongkuts"``); other punctuation separates words. Letters of every
    script are kept, so names in Chinese or Cyrillic match themselves.

    >>> fold("  École Polytechnique Fédérale, de Lausanne ")
    'ecole polytechnique federale de lausanne'
    >>> fold("M.I.T."), fold("King Mongkut's"), fold("Paris-Saclay"), fold("Łódź")
    ('mit', 'king mongkuts', 'paris saclay', 'lodz')
    >>> fold("清华大学"), fold("МИФИ")
    ('清华大学', 'мифи')
    """
    if text.isascii():  # the same result in one pass of C: names of any length fold fast
        return " ".join(text.encode().translate(_ASCII_FOLD, _ASCII_DROPPED).decode().split())
    return " ".join(unicodedata.normalize("NFKD", text.casefold()).translate(_FOLDING).split())


def digits(text: str) -> bool:
    """Whether ``text`` is one or more ASCII digits (as the regular expression ``[0-9]+``).

    The shape checks of a load are written with ``str`` methods rather than
    regular expressions: compiling a pattern costs more than all its uses.

    >>> digits("2021"), digits(""), digits("٢٠٢١"), digits("²")
    (True, False, False, False)
    """
    return text.isascii() and text.isdigit()


_SLUG_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789-"


def is_slug(text: str) -> bool:
    """Whether ``text`` is lowercase ASCII letters and digits in words joined by single hyphens.

    As the regular expression ``[a-z0-9]+(?:-[a-z0-9]+)*``.

    >>> is_slug("tokyo-university-of-science"), is_slug("Tokyo"), is_slug("a--b"), is_slug("-a")
    (True, False, False, False)
    """
    return (
        bool(text)
        and not text.strip(_SLUG_CHARACTERS)
        and text[0] != "-"
        and text[-1] != "-"
        and "--" not in text
    )


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
