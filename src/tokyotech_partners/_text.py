"""Small helpers for text a person reads."""

from __future__ import annotations

__all__ = ["clip"]


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, ending in "…" where it was cut.

    >>> clip("Massachusetts Institute of Technology", 12)
    'Massachuset…'
    """
    return text if len(text) <= width else text[: width - 1] + "…"
