"""Small helpers for text: clipping what a person reads, folding what a person types."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clip", "fold"]

_NON_WORD = re.compile(r"[\W_]+")
_DROPPED = re.compile(r"[.'\u2019`]")
# Letters that Unicode does not decompose into a base letter and a mark, spelt as people type them.
_SPELT = str.maketrans({"ß": "ss", "ı": "i", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "þ": "th"})


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
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_SPELT)
    return _NON_WORD.sub(" ", _DROPPED.sub("", bare)).strip()
