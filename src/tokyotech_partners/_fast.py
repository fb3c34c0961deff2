"""Structuring the records of a valid edition without cattrs; cattrs stays the judge of a defect.

:func:`structure_fast` builds a record from a JSON object when every key and
value is exactly what the converter accepts, and returns ``None`` at the first
thing it is not sure of. The caller then structures the same object with the
cattrs converter, which gives the same record or the detailed error naming the
field. So a valid edition loads without generating any code (or even
importing cattrs), and a defective one is reported exactly as before; a test
checks that both paths give equal datasets.

The functions that do the work are in :mod:`._structurers`, written out by
``tools/build_structurers.py`` from the model's annotations: plain code, one
function per class, with each field checked inline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ._structurers import STRUCTURERS

__all__ = ["fast_structurer", "structure_fast"]

T = TypeVar("T")


def _unsure(raw: object) -> None:
    """The structurer of a class without one: the converter decides every record."""


def fast_structurer(cls: type[T]) -> Callable[[Any], T | None]:
    """The function that makes a JSON object a ``cls`` when it is plainly valid, else returns None."""
    return STRUCTURERS.get(cls, _unsure)


def structure_fast(raw: object, cls: type[T]) -> T | None:
    """``raw`` as a ``cls``, when it is exactly what the converter would accept; else ``None``."""
    return fast_structurer(cls)(raw)
