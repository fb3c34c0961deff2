"""The typed, immutable model of the dataset.

Every class here is a frozen, slotted attrs class; every collection in them is a
tuple or a frozenset, and every closed set of values is an enum of ``_enums``.
The meaning of each field is written once, in its ``description`` metadata.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Iterable
from decimal import Decimal

import attrs

from ._enums import (
    AgreementLevel,
    BudgetCategory,
    BudgetSide,
    CorrectionKind,
    Counterpart,
    ExchangeType,
    LineKind,
    OfficeKind,
    Region,
    SubRegion,
    WorldRegion,
)
from ._text import clip

__all__ = [
    "MODEL_CLASSES",
    "Agreement",
    "BudgetLine",
    "Correction",
    "Country",
    "Edition",
    "Institution",
    "Office",
]


def _tuple_of_str(value: Iterable[str]) -> tuple[str, ...]:
    """Accept one string or any iterable of strings; keep a tuple."""
    if isinstance(value, str):
        return (value,)
    return tuple(value)


@functools.cache  # a few hundred codes at most; indexes ask for each agreement
def _m49(code: str | None) -> tuple[WorldRegion | None, SubRegion | None]:
    """The UN M49 region and sub-region of an alpha-2 code (None, None for none or an unknown code)."""
    from ._m49 import COUNTRIES  # reference data, read on first use

    entry = COUNTRIES.get(code) if code is not None else None
    if entry is None or entry[2] is None or entry[3] is None:
        return None, None
    return WorldRegion(entry[2]), SubRegion(entry[3])


def _ids(values: Iterable[str], width: int = 120) -> str:
    """A list of ids as in a repr, cut (with the number left out) where it would be too long."""
    values = list(values)
    shown: list[str] = []
    for value in values:
        if shown and len(repr(shown)) + len(repr(value)) > width:
            break
        shown.append(value)
    text = ", ".join(repr(v) for v in shown)
    left = len(values) - len(shown)
    return f"[{text}{f', … {left} more' if left else ''}]"


def _html(record: object, *extra: str) -> str:
    from ._display import record_html  # built only when a notebook asks

    return record_html(record, extra)


@attrs.frozen
class Country:
    """A country: ISO 3166-1 codes and names, its UN M49 region, how the source prints it.

    ``name`` is the English name in common use (South Korea, Vietnam);
    ``iso_name`` the ISO 3166-1 English short name (Korea, Republic of; Viet
    Nam). Country filters match the code, the alpha-3 and numeric codes, both
    names, the printed labels and the aliases.
    """

    code: str = attrs.field(
        metadata={"description": "ISO 3166-1 alpha-2 code; institutions and offices refer to it."}
    )
    name: str = attrs.field(metadata={"description": "English name in common use (such as South Korea)."})
    iso_name: str = attrs.field(
        metadata={"description": "ISO 3166-1 English short name (such as Korea, Republic of)."}
    )
    alpha3: str = attrs.field(metadata={"description": "ISO 3166-1 alpha-3 code."})
    numeric: str = attrs.field(metadata={"description": "ISO 3166-1 numeric code, three digits."})
    world_region: WorldRegion | None = attrs.field(
        metadata={
            "description": "UN M49 region (Taiwan placed as Unicode CLDR places it); None only "
            "where M49 gives none."
        }
    )
    subregion: SubRegion | None = attrs.field(
        metadata={"description": "UN M49 sub-region; None only where M49 gives none."}
    )
    labels: tuple[str, ...] = attrs.field(
        default=(),
        converter=_tuple_of_str,
        metadata={
            "description": "How the source prints the country (such as U.K.); matched by country filters."
        },
    )
    aliases: tuple[str, ...] = attrs.field(
        default=(),
        converter=_tuple_of_str,
        metadata={
            "description": "Other names in use, official and former (such as Holland, Viet Nam); "
            "matched by country filters. Not printed by the source."
        },
    )

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the country filters match: name, ISO name, labels and aliases."""
        return (self.name, self.iso_name, *self.labels, *self.aliases)

    def __repr__(self) -> str:
        where = self.subregion.value if self.subregion is not None else None
        return f"Country({self.code!r}, {clip(self.name, 60)!r}, subregion={where!r})"

    def _repr_html_(self) -> str:
        return _html(self)


@attrs.frozen
class Institution:
    """One real partner institution, however often and however spelt it appears.

    ``country`` is the ISO 3166-1 alpha-2 code of the institution's real
    country, ``None`` only for a multinational body (a consortium, a forum).
    ``aliases`` holds acronyms, former names and the printed spelling where it
    differs from ``name``; ``former_names`` repeats the former names alone.
    ``common_names`` holds the short names people use that the source does not
    print (TUM, NUS): common usage, kept apart from what was printed.
    """

    id: str = attrs.field(
        metadata={"description": "Stable slug identifying the institution; agreements refer to it."}
    )
    name: str = attrs.field(
        metadata={"description": "The correct name (a differing printed spelling is an alias)."}
    )
    country: str | None = attrs.field(
        metadata={"description": "Alpha-2 code of its real country; None only for a multinational body."}
    )
    aliases: tuple[str, ...] = attrs.field(
        default=(),
        converter=_tuple_of_str,
        metadata={
            "description": "Acronyms, former names and the printed spelling where it differs from the name."
        },
    )
    former_names: tuple[str, ...] = attrs.field(
        default=(),
        converter=_tuple_of_str,
        metadata={"description": "Former names printed by the source (also among the aliases)."},
    )
    common_names: tuple[str, ...] = attrs.field(
        default=(),
        converter=_tuple_of_str,
        metadata={
            "description": "Short names in common use that the source does not print (such as TUM); "
            "a name several institutions share (NTU) is ambiguous and resolves to none of them."
        },
    )
    grande_ecole: bool = attrs.field(
        default=False,
        metadata={"description": "Whether the source's footnote marks it as a French grande école."},
    )
    notes: tuple[str, ...] = attrs.field(
        default=(),
        converter=_tuple_of_str,
        metadata={"description": "The source's footnotes about the institution and notes on its reading."},
    )

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by every alias and every name in common use."""
        return (self.name, *self.aliases, *self.common_names)

    @property
    def world_region(self) -> WorldRegion | None:
        """The UN M49 region of its country (None for a multinational body)."""
        return _m49(self.country)[0]

    @property
    def subregion(self) -> SubRegion | None:
        """The UN M49 sub-region of its country (None for a multinational body)."""
        return _m49(self.country)[1]

    def __repr__(self) -> str:
        return f"Institution({self.id!r}, {clip(self.name, 90)!r}, country={self.country!r})"

    def _repr_html_(self) -> str:
        return _html(self)


def _institutions(value: Iterable[Institution]) -> tuple[Institution, ...]:
    """Any iterable of institutions, kept as a tuple."""
    return tuple(value)


def _counterparts(value: Iterable[Counterpart]) -> frozenset[Counterpart]:
    """Any iterable of counterparts, kept as a frozenset."""
    return frozenset(value)


def _exchange_types(value: Iterable[ExchangeType]) -> frozenset[ExchangeType]:
    """Any iterable of exchange types, kept as a frozenset."""
    return frozenset(value)


@attrs.frozen
class Agreement:
    """One academic cooperation agreement: one row of the source's tables.

    ``counterparts`` is empty at institution level. ``counterpart_doubt`` is
    ``None`` where the counterpart reading is certain and otherwise says why it
    is not (see the reading rule in the docs).
    """

    id: str = attrs.field(
        metadata={
            "description": "Stable, unique id; the packaged edition numbers rows in source order, "
            "I-nnn at institution level and S-nnn at school level."
        }
    )
    level: AgreementLevel = attrs.field(
        metadata={"description": "Whether it binds Tokyo Tech as a whole or one of its units."}
    )
    partners: tuple[Institution, ...] = attrs.field(
        converter=_institutions, metadata={"description": "The partner institutions, in the order printed."}
    )
    partner_unit: str | None = attrs.field(
        metadata={"description": "The school, department or centre at the partner, as printed."}
    )
    counterparts: frozenset[Counterpart] = attrs.field(
        converter=_counterparts,
        metadata={"description": "Tokyo Tech units party to it; empty at institution level or when unknown."},
    )
    concluded: int = attrs.field(metadata={"description": "The year the agreement was concluded."})
    exchange_types: frozenset[ExchangeType] = attrs.field(
        converter=_exchange_types, metadata={"description": "The types of exchange it provides for."}
    )
    region: Region = attrs.field(metadata={"description": "The regional heading the source files it under."})
    printed: str = attrs.field(metadata={"description": "The partner cell exactly as the source prints it."})
    source_line: int = attrs.field(
        metadata={"description": "The 1-based line of the source file the row is on."}
    )
    counterpart_doubt: str | None = attrs.field(
        default=None,
        metadata={"description": "Why the counterpart reading is uncertain; None where it is certain."},
    )
    notes: tuple[str, ...] = attrs.field(
        default=(), converter=_tuple_of_str, metadata={"description": "Notes on how the row was read."}
    )

    @property
    def countries(self) -> frozenset[str]:
        """The alpha-2 codes of the partners' countries (multinational bodies omitted)."""
        return frozenset(p.country for p in self.partners if p.country is not None)

    @property
    def world_regions(self) -> frozenset[WorldRegion]:
        """The UN M49 regions of the partners' countries (multinational bodies omitted)."""
        return frozenset(r for p in self.partners if (r := p.world_region) is not None)

    @property
    def subregions(self) -> frozenset[SubRegion]:
        """The UN M49 sub-regions of the partners' countries (multinational bodies omitted)."""
        return frozenset(r for p in self.partners if (r := p.subregion) is not None)

    @property
    def counterparts_uncertain(self) -> bool:
        """Whether the Tokyo Tech counterparts could not be read with certainty."""
        return self.counterpart_doubt is not None

    @property
    def decade(self) -> int:
        """The decade the agreement was concluded in (1990 for 1991)."""
        return self.concluded // 10 * 10

    def __repr__(self) -> str:
        partners = _ids(p.id for p in self.partners)
        return f"Agreement({self.id!r}, {self.level.value}, {self.concluded}, partners={partners})"

    def _repr_html_(self) -> str:
        return _html(self, "countries")


@attrs.frozen
class Office:
    """A Tokyo Tech ANNEX or overseas office."""

    id: str = attrs.field(metadata={"description": "Stable id of the office."})
    name: str = attrs.field(metadata={"description": "The office's name."})
    kind: OfficeKind = attrs.field(
        metadata={"description": "Whether it is a Tokyo Tech ANNEX or an overseas office."}
    )
    city: str = attrs.field(metadata={"description": "The city it is in."})
    country: str = attrs.field(metadata={"description": "Alpha-2 code of the country it is in."})
    established: int = attrs.field(metadata={"description": "The year it was established."})
    area: str | None = attrs.field(
        default=None, metadata={"description": "The region of the country, where the source prints one."}
    )
    succeeds: str | None = attrs.field(
        default=None, metadata={"description": "The name of the office it succeeds, if any."}
    )
    succeeds_established: int | None = attrs.field(
        default=None, metadata={"description": "The year the office it succeeds was established."}
    )

    def __repr__(self) -> str:
        return (
            f"Office({self.id!r}, {self.name!r}, {self.kind.value}, {self.country}, "
            f"established={self.established})"
        )

    def _repr_html_(self) -> str:
        return _html(self)


@attrs.frozen
class BudgetLine:
    """One figure of the FY budget, in million yen.

    ``item`` is ``None`` where the source prints no label (and on category and
    total lines, whose label is the category or "Total"). ``parent`` is the
    item a breakdown line belongs to. ``percent`` is the printed percentage,
    ``None`` where none is printed.
    """

    id: str = attrs.field(
        metadata={"description": "Stable id: side, category, item and breakdown as a slug path."}
    )
    fiscal_year: int = attrs.field(metadata={"description": "The fiscal year of the budget."})
    side: BudgetSide = attrs.field(metadata={"description": "Revenue or expenditure."})
    kind: LineKind = attrs.field(metadata={"description": "Where the line sits in the printed hierarchy."})
    category: BudgetCategory | None = attrs.field(
        metadata={"description": "The budget category; None on the total line."}
    )
    item: str | None = attrs.field(
        metadata={
            "description": "The label as printed; None on total and category lines and where none is printed."
        }
    )
    parent: str | None = attrs.field(
        metadata={"description": "On a breakdown line, the item it details; otherwise None."}
    )
    amount_million_yen: int = attrs.field(metadata={"description": "The amount, in million yen."})
    percent: Decimal | None = attrs.field(
        metadata={"description": "The printed percentage of the side's total; None where none is printed."}
    )

    @property
    def label(self) -> str:
        """A readable label: the item, the category, "Total" or "(no label in source)"."""
        if self.kind is LineKind.TOTAL:
            return "Total"
        if self.kind is LineKind.CATEGORY:
            assert self.category is not None
            return self.category.value
        return self.item if self.item is not None else "(no label in source)"

    def __repr__(self) -> str:
        return f"BudgetLine({self.id!r}, {clip(self.label, 60)!r}, {self.amount_million_yen} million yen)"

    def _repr_html_(self) -> str:
        return _html(self, "label")


@attrs.frozen
class Correction:
    """One place where the data departs from, or reads into, the printed text."""

    record: str = attrs.field(
        metadata={
            "description": "The id of the record corrected (agreement, institution, office, budget line)."
        }
    )
    field: str = attrs.field(metadata={"description": "The field of that record the correction concerns."})
    kind: CorrectionKind = attrs.field(
        metadata={"description": "What kind of departure from the printed text it is."}
    )
    printed: str = attrs.field(metadata={"description": "What the source prints."})
    recorded: str = attrs.field(metadata={"description": "What the data records instead."})
    reason: str = attrs.field(metadata={"description": "Why the data departs from the print."})

    def __repr__(self) -> str:
        return f"Correction({self.record!r}, {self.field!r}, {self.kind.value})"

    def _repr_html_(self) -> str:
        return _html(self)


@attrs.frozen
class Edition:
    """What the dataset is an edition of."""

    title: str = attrs.field(metadata={"description": "The title of the source."})
    publisher: str = attrs.field(metadata={"description": "Who published the source."})
    as_of: _dt.date = attrs.field(
        metadata={"description": "The date the agreements and offices are stated as of."}
    )
    fiscal_year: int = attrs.field(metadata={"description": "The fiscal year of the budget."})
    data_version: str = attrs.field(
        metadata={"description": "The version of the transcribed data: the year, a dot, a release number."}
    )
    source_file: str = attrs.field(
        metadata={"description": "The name of the source file the data is transcribed from."}
    )
    source_sha256: str = attrs.field(
        metadata={"description": "The SHA-256 digest of that source file, in hex."}
    )
    licence: str = attrs.field(
        metadata={"description": "The terms the facts and this transcription are distributed under."}
    )
    current_name: str = attrs.field(
        metadata={
            "description": "The institute's name now: Tokyo Tech merged with Tokyo Medical and Dental "
            "University into it. Not stated by the source; the name to match in later bibliographic data."
        }
    )
    current_short_name: str = attrs.field(
        metadata={"description": "The short form of the current name, as the institute uses it."}
    )
    merged_on: _dt.date = attrs.field(
        metadata={"description": "The date the merger took effect (not stated by the source)."}
    )


#: The record classes of the model, in the order the data dictionary shows them.
MODEL_CLASSES: tuple[type, ...] = (Agreement, Institution, Office, BudgetLine, Country, Correction, Edition)
