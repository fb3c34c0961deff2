"""The closed sets of values of the model, each member with its meaning.

Every enum here has a ``description`` for each member, written once, below
its class: the data dictionary, the API reference and the Frictionless schema
are built from it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

__all__ = [
    "ENUMS",
    "AgreementLevel",
    "BudgetCategory",
    "BudgetSide",
    "CorrectionKind",
    "Counterpart",
    "ExchangeType",
    "LineKind",
    "OfficeKind",
    "Region",
    "SubRegion",
    "WorldRegion",
    "declared_order",
    "in_declared_order",
]

_DESCRIPTIONS: dict[enum.Enum, str] = {}

E = TypeVar("E", bound="_Described")


class _Described(enum.Enum):
    """An enum whose members each carry a description."""

    @property
    def description(self) -> str:
        """What the member means."""
        return _DESCRIPTIONS[self]


def _describe(kind: type[E], meanings: Mapping[E, str]) -> None:
    """Record the meaning of every member of ``kind``; a member left out is a bug."""
    missing = [member.name for member in kind if member not in meanings]
    if missing:  # pragma: no cover -- caught when the module is first imported
        raise LookupError(f"{kind.__name__} members without a description: {', '.join(missing)}")
    for member, meaning in meanings.items():
        _DESCRIPTIONS[member] = meaning


class AgreementLevel(_Described):
    """Whether an agreement binds Tokyo Tech as a whole or one of its units."""

    INSTITUTIONAL = "institutional"
    SCHOOL = "school"


_describe(
    AgreementLevel,
    {
        AgreementLevel.INSTITUTIONAL: "Institutional-level agreement",
        AgreementLevel.SCHOOL: "School-level agreement",
    },
)


class ExchangeType(_Described):
    """A type of exchange an agreement provides for (the source's legend)."""

    F = "F"
    S = "S"
    S_DOUBLE_DEGREE = "S*"
    I = "I"  # noqa: E741 -- the source's own one-letter code


_describe(
    ExchangeType,
    {
        ExchangeType.F: "Faculty and researcher exchange",
        ExchangeType.S: "Student exchange",
        ExchangeType.S_DOUBLE_DEGREE: "Double degree",
        ExchangeType.I: "Academic information exchange",
    },
)


class Counterpart(_Described):
    """A Tokyo Tech unit party to a school-level agreement.

    The value is the column label the source prints; :attr:`full_name` (and
    ``description``) is the name its note gives. ``CENTER`` is a mark (○)
    under "Centers" without a name.
    """

    SCIENCE = "Science"
    ENGINEERING = "Engineering"
    MATERIALS_AND_CHEMICAL_TECHNOLOGY = "Mat. and Chem. Tech."
    COMPUTING = "Computing"
    LIFE_SCIENCE_AND_TECHNOLOGY = "Life Sci. and Tech."
    ENVIRONMENT_AND_SOCIETY = "Envir. and Society"
    ILA = "ILA"
    IIR = "IIR"
    CENTER = "Centers"
    GSIC = "GSIC"
    CITL = "CITL"

    @property
    def full_name(self) -> str:
        """The unit's full name, as the source's note spells it."""
        return self.description


_describe(
    Counterpart,
    {
        Counterpart.SCIENCE: "School of Science",
        Counterpart.ENGINEERING: "School of Engineering",
        Counterpart.MATERIALS_AND_CHEMICAL_TECHNOLOGY: "School of Materials and Chemical Technology",
        Counterpart.COMPUTING: "School of Computing",
        Counterpart.LIFE_SCIENCE_AND_TECHNOLOGY: "School of Life Science and Technology",
        Counterpart.ENVIRONMENT_AND_SOCIETY: "School of Environment and Society",
        Counterpart.ILA: "Institute for Liberal Arts",
        Counterpart.IIR: "Institute of Innovative Research",
        Counterpart.CENTER: "A centre (not named by the source)",
        Counterpart.GSIC: "Global Scientific Information and Computing Center",
        Counterpart.CITL: "Center for Innovative Teaching and Learning",
    },
)


class Region(_Described):
    """The regional heading the source files an agreement under.

    A heading, not a location: the source files Kazakhstan under Europe and a
    German-led project under the consortium heading. Where a partner is, use
    :class:`WorldRegion` and :class:`SubRegion` (UN M49).
    """

    ASIA = "Asia"
    MIDDLE_EAST = "Middle East"
    AFRICA = "Africa"
    OCEANIA = "Oceania"
    NORTH_AMERICA = "North America"
    CENTRAL_AND_SOUTH_AMERICA = "Central and South America"
    EUROPE = "Europe"
    MULTI_REGION = "Multi-Region"
    CONSORTIUM = "Program-/Project-based Consortium"


_describe(
    Region,
    {
        **{
            heading: f'Agreements the source files under its "{heading.value}" heading.'
            for heading in (
                Region.ASIA,
                Region.MIDDLE_EAST,
                Region.AFRICA,
                Region.OCEANIA,
                Region.NORTH_AMERICA,
                Region.CENTRAL_AND_SOUTH_AMERICA,
                Region.EUROPE,
            )
        },
        Region.MULTI_REGION: "One agreement whose parties are in different regions.",
        Region.CONSORTIUM: "Agreements with a consortium, forum or project rather than one institution.",
    },
)


class WorldRegion(_Described):
    """A region of the UN M49 classification (where a country is, not a heading of the source)."""

    AFRICA = "Africa"
    AMERICAS = "Americas"
    ASIA = "Asia"
    EUROPE = "Europe"
    OCEANIA = "Oceania"


_describe(
    WorldRegion,
    {
        member: f"UN M49 region {code}."
        for member, code in zip(WorldRegion, ("002", "019", "142", "150", "009"), strict=True)
    },
)


class SubRegion(_Described):
    """A sub-region of the UN M49 classification."""

    NORTHERN_AFRICA = "Northern Africa"
    SUB_SAHARAN_AFRICA = "Sub-Saharan Africa"
    LATIN_AMERICA_AND_THE_CARIBBEAN = "Latin America and the Caribbean"
    NORTHERN_AMERICA = "Northern America"
    CENTRAL_ASIA = "Central Asia"
    EASTERN_ASIA = "Eastern Asia"
    SOUTH_EASTERN_ASIA = "South-eastern Asia"
    SOUTHERN_ASIA = "Southern Asia"
    WESTERN_ASIA = "Western Asia"
    EASTERN_EUROPE = "Eastern Europe"
    NORTHERN_EUROPE = "Northern Europe"
    SOUTHERN_EUROPE = "Southern Europe"
    WESTERN_EUROPE = "Western Europe"
    AUSTRALIA_AND_NEW_ZEALAND = "Australia and New Zealand"
    MELANESIA = "Melanesia"
    MICRONESIA = "Micronesia"
    POLYNESIA = "Polynesia"

    @property
    def world_region(self) -> WorldRegion:
        """The M49 region the sub-region is part of."""
        return WorldRegion(_SUBREGION_OF[self])


_SUBREGION_OF = {
    SubRegion.NORTHERN_AFRICA: "Africa",
    SubRegion.SUB_SAHARAN_AFRICA: "Africa",
    SubRegion.LATIN_AMERICA_AND_THE_CARIBBEAN: "Americas",
    SubRegion.NORTHERN_AMERICA: "Americas",
    SubRegion.CENTRAL_ASIA: "Asia",
    SubRegion.EASTERN_ASIA: "Asia",
    SubRegion.SOUTH_EASTERN_ASIA: "Asia",
    SubRegion.SOUTHERN_ASIA: "Asia",
    SubRegion.WESTERN_ASIA: "Asia",
    SubRegion.EASTERN_EUROPE: "Europe",
    SubRegion.NORTHERN_EUROPE: "Europe",
    SubRegion.SOUTHERN_EUROPE: "Europe",
    SubRegion.WESTERN_EUROPE: "Europe",
    SubRegion.AUSTRALIA_AND_NEW_ZEALAND: "Oceania",
    SubRegion.MELANESIA: "Oceania",
    SubRegion.MICRONESIA: "Oceania",
    SubRegion.POLYNESIA: "Oceania",
}
_M49_SUBREGION_CODES = (
    "015", "202", "419", "021", "143", "030", "035", "034", "145", "151", "154", "039", "155", "053",
    "054", "057", "061",
)  # fmt: skip
_describe(
    SubRegion,
    {
        member: f"UN M49 sub-region {code}, in {_SUBREGION_OF[member]}."
        for member, code in zip(SubRegion, _M49_SUBREGION_CODES, strict=True)
    },
)


class OfficeKind(_Described):
    """An ANNEX or an overseas office."""

    ANNEX = "annex"
    OVERSEAS_OFFICE = "overseas-office"


_describe(OfficeKind, {OfficeKind.ANNEX: "Tokyo Tech ANNEX", OfficeKind.OVERSEAS_OFFICE: "Overseas Office"})


class BudgetSide(_Described):
    """Revenue or expenditure."""

    REVENUE = "revenue"
    EXPENDITURE = "expenditure"


_describe(
    BudgetSide,
    {
        BudgetSide.REVENUE: "Where the money comes from.",
        BudgetSide.EXPENDITURE: "What the money is spent on.",
    },
)


class BudgetCategory(_Described):
    """The three budget categories the source prints on each side."""

    INSTITUTE_WIDE = "Institute-wide"
    SCHOOLS = "Schools"
    SPECIFIED_CONTRIBUTIONS = "Specified contributions"


_describe(
    BudgetCategory,
    {
        BudgetCategory.INSTITUTE_WIDE: "Funds of the institute as a whole.",
        BudgetCategory.SCHOOLS: "Funds allotted to the schools.",
        BudgetCategory.SPECIFIED_CONTRIBUTIONS: (
            "Funds given for a specified purpose: commissioned projects, subsidies and the like."
        ),
    },
)


class LineKind(_Described):
    """Where a budget line sits in the printed hierarchy."""

    TOTAL = "total"
    CATEGORY = "category"
    ITEM = "item"
    BREAKDOWN = "breakdown"


_describe(
    LineKind,
    {
        LineKind.TOTAL: "A side's total (100 %).",
        LineKind.CATEGORY: "One category's subtotal; its items sum to it.",
        LineKind.ITEM: "A line of a category.",
        LineKind.BREAKDOWN: "A part of an item (its parent); the parts of an item sum to it.",
    },
)


class CorrectionKind(_Described):
    """What kind of departure from the printed text a correction records."""

    COUNTRY = "country"
    SPELLING = "spelling"
    SPLIT = "split"
    MERGE = "merge"
    COUNTERPART = "counterpart"
    READING = "reading"


_describe(
    CorrectionKind,
    {
        CorrectionKind.COUNTRY: (
            "The real country, not the one a label printed on or above the row suggests."
        ),
        CorrectionKind.SPELLING: (
            "A misspelt name, recorded correctly; the printed spelling is kept as an alias."
        ),
        CorrectionKind.SPLIT: "One printed cell split into several parties, or into a party and its unit.",
        CorrectionKind.MERGE: "Several printed forms recorded as one institution.",
        CorrectionKind.COUNTERPART: (
            "A Tokyo Tech counterpart reading that is uncertain (see the reading rule)."
        ),
        CorrectionKind.READING: "A reading of an ambiguous or unprinted fact.",
    },
)

#: The closed sets of values of the model, in the order the data dictionary shows them.
ENUMS: tuple[type[_Described], ...] = (
    AgreementLevel,
    ExchangeType,
    Counterpart,
    Region,
    WorldRegion,
    SubRegion,
    OfficeKind,
    BudgetSide,
    BudgetCategory,
    LineKind,
    CorrectionKind,
)

_POSITIONS: dict[enum.Enum, int] = {member: k for kind in ENUMS for k, member in enumerate(kind)}


def declared_order(value: object) -> Any:
    """Sort key: an enum member's position in its enum (the source's own order), else the value."""
    if isinstance(value, enum.Enum):
        position = _POSITIONS.get(value)
        return position if position is not None else list(type(value)).index(value)
    return value


def in_declared_order(values: Iterable[Any]) -> list[Any]:
    """A set in a stable order (enum members as declared, other values sorted); a sequence as it is."""
    if isinstance(values, (set, frozenset)):
        return sorted(values, key=declared_order)
    return list(values)
