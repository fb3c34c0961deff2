"""The long ("tidy") tables a researcher builds first, as records: one call each.

Each row class is a frozen attrs class like the model's, so :func:`to_dataframe`,
:func:`to_csv` and :func:`to_json` take the tables as they take any records,
and :data:`DERIVED_TABLES` declares them for the data package and the data
dictionary (their schemas are derived from these classes, as the other tables'
are from the model).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from ._display import Records
from ._enums import AgreementLevel, Counterpart, ExchangeType, in_declared_order
from ._model import Agreement
from ._tables import ForeignKey, Table

if TYPE_CHECKING:
    from ._dataset import Dataset

__all__ = [
    "DERIVED_TABLES",
    "AgreementCounterpart",
    "AgreementExchange",
    "AgreementPartner",
    "InstitutionSummary",
    "agreement_counterparts",
    "agreement_exchange_types",
    "agreement_partners",
    "build",
    "institution_summary",
]

_AGREEMENT_ID = {"description": "The agreement's id."}


@attrs.frozen
class AgreementPartner:
    """One partner of one agreement: a row of the agreement x partner table."""

    agreement_id: str = attrs.field(metadata=_AGREEMENT_ID)
    position: int = attrs.field(metadata={"description": "1 for the first party printed."})
    institution_id: str = attrs.field(metadata={"description": "The partner institution's id."})
    institution_name: str = attrs.field(metadata={"description": "The partner institution's name."})
    country: str | None = attrs.field(
        metadata={"description": "Alpha-2 code of the partner's country; None for a multinational body."}
    )


@attrs.frozen
class AgreementCounterpart:
    """One Tokyo Tech counterpart of one agreement: a row of the agreement x counterpart table.

    An agreement without counterparts (institution level, or no mark in the
    source) has no row.
    """

    agreement_id: str = attrs.field(metadata=_AGREEMENT_ID)
    counterpart: Counterpart = attrs.field(metadata={"description": "The Tokyo Tech unit party to it."})
    uncertain: bool = attrs.field(
        metadata={"description": "Whether the agreement's counterparts could not be read with certainty."}
    )


@attrs.frozen
class AgreementExchange:
    """One type of exchange of one agreement: a row of the agreement x exchange type table."""

    agreement_id: str = attrs.field(metadata=_AGREEMENT_ID)
    exchange_type: ExchangeType = attrs.field(metadata={"description": "A type of exchange it provides for."})


@attrs.frozen
class InstitutionSummary:
    """One partner institution with what its agreements add up to: one row per institution."""

    id: str = attrs.field(metadata={"description": "The institution's id."})
    name: str = attrs.field(metadata={"description": "The institution's name."})
    country: str | None = attrs.field(
        metadata={"description": "Alpha-2 code of its country; None for a multinational body."}
    )
    country_name: str = attrs.field(
        metadata={"description": 'English short name of its country ("multinational" for none).'}
    )
    agreements: int = attrs.field(metadata={"description": "How many agreements it is a partner of."})
    institutional: int = attrs.field(metadata={"description": "How many of them are institution-level."})
    school: int = attrs.field(metadata={"description": "How many of them are school-level."})
    first_year: int | None = attrs.field(
        metadata={"description": "The year its earliest agreement was concluded; None without agreements."}
    )
    latest_year: int | None = attrs.field(
        metadata={"description": "The year its latest agreement was concluded; None without agreements."}
    )


def agreement_partners(agreements: Iterable[Agreement]) -> tuple[AgreementPartner, ...]:
    """One row per partner of each agreement, with the partner's name and country.

    >>> import tokyotech_partners as ttp
    >>> ttp.agreement_partners(ttp.load().agreements)[0]
    AgreementPartner(agreement_id='I-001', position=1, institution_id='harbin-institute-of-technology', \
institution_name='Harbin Institute of Technology', country='CN')
    """
    return Records(
        AgreementPartner(a.id, k, p.id, p.name, p.country)
        for a in agreements
        for k, p in enumerate(a.partners, start=1)
    )


def agreement_counterparts(agreements: Iterable[Agreement]) -> tuple[AgreementCounterpart, ...]:
    """One row per Tokyo Tech counterpart of each agreement (none for an agreement without).

    >>> import tokyotech_partners as ttp
    >>> rows = ttp.agreement_counterparts(ttp.load().agreements_where(level="school"))
    >>> rows[0].agreement_id, rows[0].counterpart.value, rows[0].uncertain
    ('S-001', 'Engineering', True)
    """
    return Records(
        AgreementCounterpart(a.id, c, a.counterparts_uncertain)
        for a in agreements
        for c in in_declared_order(a.counterparts)
    )


def agreement_exchange_types(agreements: Iterable[Agreement]) -> tuple[AgreementExchange, ...]:
    """One row per type of exchange of each agreement.

    >>> import tokyotech_partners as ttp
    >>> [r.exchange_type.value for r in ttp.agreement_exchange_types(ttp.load().agreements[:1])]
    ['F', 'S', 'I']
    """
    return Records(
        AgreementExchange(a.id, t) for a in agreements for t in in_declared_order(a.exchange_types)
    )


def institution_summary(
    ds: Dataset, agreements: Iterable[Agreement] | None = None
) -> tuple[InstitutionSummary, ...]:
    """One row per institution: its country, its agreements by level, its first and latest year.

    Counts ``agreements`` (all of the dataset's by default); institutions
    come in the dataset's order (by id), those without an agreement among
    ``agreements`` included with zero counts and no years.

    >>> import tokyotech_partners as ttp
    >>> mit = next(r for r in ttp.institution_summary(ttp.load()) if r.id == "mit")
    >>> mit.agreements, mit.institutional, mit.school, mit.first_year, mit.latest_year
    (3, 0, 3, 1991, 2019)
    """
    chosen = ds.agreements if agreements is None else tuple(agreements)
    of: dict[str, list[Agreement]] = {}
    for a in chosen:
        for p in dict.fromkeys(p.id for p in a.partners):
            of.setdefault(p, []).append(a)
    rows = []
    for inst in ds.institutions:
        mine = of.get(inst.id, [])
        years = [a.concluded for a in mine]
        rows.append(
            InstitutionSummary(
                id=inst.id,
                name=inst.name,
                country=inst.country,
                country_name=ds.country_name(inst.country),
                agreements=len(mine),
                institutional=sum(a.level is AgreementLevel.INSTITUTIONAL for a in mine),
                school=sum(a.level is AgreementLevel.SCHOOL for a in mine),
                first_year=min(years) if years else None,
                latest_year=max(years) if years else None,
            )
        )
    return Records(rows)


_TO_AGREEMENT = ForeignKey(("agreement_id",), "agreements", ("id",))
_TO_COUNTRY = ForeignKey(("country",), "countries", ("code",))

#: The tables derived from the agreements, in the data package after ``agreements``.
DERIVED_TABLES: tuple[Table, ...] = (
    Table(
        "agreement_partners",
        "agreement_partners",
        AgreementPartner,
        ("agreement_id", "position"),
        foreign_keys=(_TO_AGREEMENT, ForeignKey(("institution_id",), "institutions", ("id",)), _TO_COUNTRY),
        constraints=MappingProxyType({"position": {"minimum": 1}}),
    ),
    Table(
        "agreement_counterparts",
        "agreement_counterparts",
        AgreementCounterpart,
        ("agreement_id", "counterpart"),
        foreign_keys=(_TO_AGREEMENT,),
    ),
    Table(
        "agreement_exchange_types",
        "agreement_exchange_types",
        AgreementExchange,
        ("agreement_id", "exchange_type"),
        foreign_keys=(_TO_AGREEMENT,),
    ),
    Table(
        "institution_summary",
        "institution_summary",
        InstitutionSummary,
        ("id",),
        foreign_keys=(ForeignKey(("id",), "institutions", ("id",)), _TO_COUNTRY),
        constraints=MappingProxyType({"agreements": {"minimum": 0}}),
    ),
)

_BUILDERS: dict[str, Callable[[Dataset], tuple[Any, ...]]] = {
    "agreement_partners": lambda ds: agreement_partners(ds.agreements),
    "agreement_counterparts": lambda ds: agreement_counterparts(ds.agreements),
    "agreement_exchange_types": lambda ds: agreement_exchange_types(ds.agreements),
    "institution_summary": institution_summary,
}


def build(ds: Dataset, table: Table) -> tuple[Any, ...]:
    """The rows of a derived table of ``ds``."""
    return _BUILDERS[table.name](ds)
