"""The typed, immutable model of the dataset.

Every class here is a frozen, slotted attrs class; every collection in them is a
tuple or a frozenset, and every closed set of values is an :class:`enum.Enum`.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable
from decimal import Decimal

import attrs

__all__ = [
    "Agreement",
    "AgreementLevel",
    "BudgetCategory",
    "BudgetLine",
    "BudgetSide",
    "Correction",
    "CorrectionKind",
    "Counterpart",
    "Country",
    "Edition",
    "ExchangeType",
    "Institution",
    "LineKind",
    "Office",
    "OfficeKind",
    "Region",
]


class AgreementLevel(enum.Enum):
    """Whether an agreement binds Tokyo Tech as a whole or one of its units."""

    INSTITUTIONAL = "institutional"
    SCHOOL = "school"

    @property
    def description(self) -> str:
        """The heading of the source table the level comes from."""
        return _LEVEL_DESCRIPTIONS[self]


_LEVEL_DESCRIPTIONS = {
    AgreementLevel.INSTITUTIONAL: "Institutional-level agreement",
    AgreementLevel.SCHOOL: "School-level agreement",
}


class ExchangeType(enum.Enum):
    """A type of exchange an agreement provides for (the source's legend)."""

    F = "F"
    S = "S"
    S_DOUBLE_DEGREE = "S*"
    I = "I"  # noqa: E741 -- the source's own one-letter code

    @property
    def description(self) -> str:
        """The legend's wording for this code."""
        return _EXCHANGE_DESCRIPTIONS[self]


_EXCHANGE_DESCRIPTIONS = {
    ExchangeType.F: "Faculty and researcher exchange",
    ExchangeType.S: "Student exchange",
    ExchangeType.S_DOUBLE_DEGREE: "Double degree",
    ExchangeType.I: "Academic information exchange",
}


class Counterpart(enum.Enum):
    """A Tokyo Tech unit party to a school-level agreement.

    The value is the column label the source prints; :attr:`full_name` is the
    name its note gives. ``CENTER`` is a mark (○) under "Centers" without a name.
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
        return _COUNTERPART_NAMES[self]


_COUNTERPART_NAMES = {
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
}


class Region(enum.Enum):
    """The regional heading the source files an agreement under."""

    ASIA = "Asia"
    MIDDLE_EAST = "Middle East"
    AFRICA = "Africa"
    OCEANIA = "Oceania"
    NORTH_AMERICA = "North America"
    CENTRAL_AND_SOUTH_AMERICA = "Central and South America"
    EUROPE = "Europe"
    MULTI_REGION = "Multi-Region"
    CONSORTIUM = "Program-/Project-based Consortium"


class OfficeKind(enum.Enum):
    """An ANNEX or an overseas office."""

    ANNEX = "annex"
    OVERSEAS_OFFICE = "overseas-office"

    @property
    def description(self) -> str:
        """The source's heading for this kind."""
        return "Tokyo Tech ANNEX" if self is OfficeKind.ANNEX else "Overseas Office"


class BudgetSide(enum.Enum):
    """Revenue or expenditure."""

    REVENUE = "revenue"
    EXPENDITURE = "expenditure"


class BudgetCategory(enum.Enum):
    """The three budget categories the source prints on each side."""

    INSTITUTE_WIDE = "Institute-wide"
    SCHOOLS = "Schools"
    SPECIFIED_CONTRIBUTIONS = "Specified contributions"


class LineKind(enum.Enum):
    """Where a budget line sits in the printed hierarchy."""

    TOTAL = "total"
    CATEGORY = "category"
    ITEM = "item"
    BREAKDOWN = "breakdown"


class CorrectionKind(enum.Enum):
    """What kind of departure from the printed text a correction records."""

    COUNTRY = "country"
    SPELLING = "spelling"
    SPLIT = "split"
    MERGE = "merge"
    COUNTERPART = "counterpart"
    READING = "reading"


def _tuple_of_str(value: Iterable[str]) -> tuple[str, ...]:
    """Accept one string or any iterable of strings; keep a tuple."""
    if isinstance(value, str):
        return (value,)
    return tuple(value)


@attrs.frozen
class Country:
    """A country: ISO 3166-1 alpha-2 code, English short name, printed labels."""

    code: str
    name: str
    labels: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)


@attrs.frozen
class Institution:
    """One real partner institution, however often and however spelt it appears.

    ``country`` is the ISO 3166-1 alpha-2 code of the institution's real
    country, ``None`` only for a multinational body (a consortium, a forum).
    ``aliases`` holds acronyms, former names and the printed spelling where it
    differs from ``name``; ``former_names`` repeats the former names alone.
    """

    id: str
    name: str
    country: str | None
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    former_names: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    grande_ecole: bool = False
    notes: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by every alias."""
        return (self.name, *self.aliases)


@attrs.frozen
class Agreement:
    """One academic cooperation agreement: one row of the source's tables.

    ``counterparts`` is empty at institution level. ``counterpart_doubt`` is
    ``None`` where the counterpart reading is certain and otherwise says why it
    is not (see the reading rule in the docs).
    """

    id: str
    level: AgreementLevel
    partners: tuple[Institution, ...]
    partner_unit: str | None
    counterparts: frozenset[Counterpart]
    concluded: int
    exchange_types: frozenset[ExchangeType]
    region: Region
    printed: str
    source_line: int
    counterpart_doubt: str | None = None
    notes: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)

    @property
    def countries(self) -> frozenset[str]:
        """The alpha-2 codes of the partners' countries (multinational bodies omitted)."""
        return frozenset(p.country for p in self.partners if p.country is not None)

    @property
    def counterparts_uncertain(self) -> bool:
        """Whether the Tokyo Tech counterparts could not be read with certainty."""
        return self.counterpart_doubt is not None

    @property
    def decade(self) -> int:
        """The decade the agreement was concluded in (1990 for 1991)."""
        return self.concluded // 10 * 10


@attrs.frozen
class Office:
    """A Tokyo Tech ANNEX or overseas office."""

    id: str
    name: str
    kind: OfficeKind
    city: str
    country: str
    established: int
    area: str | None = None
    succeeds: str | None = None
    succeeds_established: int | None = None


@attrs.frozen
class BudgetLine:
    """One figure of the FY budget, in million yen.

    ``item`` is ``None`` where the source prints no label (and on category and
    total lines, whose label is the category or "Total"). ``parent`` is the
    item a breakdown line belongs to. ``percent`` is the printed percentage,
    ``None`` where none is printed.
    """

    id: str
    fiscal_year: int
    side: BudgetSide
    kind: LineKind
    category: BudgetCategory | None
    item: str | None
    parent: str | None
    amount_million_yen: int
    percent: Decimal | None

    @property
    def label(self) -> str:
        """A readable label: the item, the category, "Total" or "(no label)"."""
        if self.kind is LineKind.TOTAL:
            return "Total"
        if self.kind is LineKind.CATEGORY:
            assert self.category is not None
            return self.category.value
        return self.item if self.item is not None else "(no label in source)"


@attrs.frozen
class Correction:
    """One place where the data departs from, or reads into, the printed text."""

    record: str
    field: str
    kind: CorrectionKind
    printed: str
    recorded: str
    reason: str


@attrs.frozen
class Edition:
    """What the dataset is an edition of."""

    title: str
    publisher: str
    as_of: _dt.date
    fiscal_year: int
    data_version: str
    source_file: str
    source_sha256: str
    licence: str
