"""The classes an edition's records are stored as, where they differ from the model's.

Imported only where a record is structured by the cattrs converter (the fast
path builds the model's records directly): creating an attrs class generates
its methods, which a valid load need not pay for.
"""

from __future__ import annotations

import attrs

from ._enums import AgreementLevel, Counterpart, ExchangeType, Region

__all__ = ["AgreementRecord"]


@attrs.frozen
class AgreementRecord:
    """An agreement as stored: its partners as institution ids; otherwise the fields of :class:`Agreement`."""

    id: str
    level: AgreementLevel
    partners: tuple[str, ...]
    partner_unit: str | None
    counterparts: frozenset[Counterpart]
    concluded: int
    exchange_types: frozenset[ExchangeType]
    region: Region
    printed: str
    source_line: int
    counterpart_doubt: str | None
    notes: tuple[str, ...]
