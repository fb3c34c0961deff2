"""Filters and institution lookups behind the :class:`Dataset` query methods."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import TypeVar

from ._enums import AgreementLevel, Counterpart, ExchangeType, Region, SubRegion, WorldRegion
from ._errors import InstitutionNotFoundError, UnknownValueError
from ._index import Index
from ._model import Agreement, Institution
from ._names import resolve_institution
from ._text import fold, quote

__all__ = [
    "CounterpartFilter",
    "CountryFilter",
    "ExchangeFilter",
    "LevelFilter",
    "PartnerFilter",
    "RegionFilter",
    "SubRegionFilter",
    "WorldRegionFilter",
    "agreements_where",
    "resolve_country",
    "resolve_enum",
    "resolve_partners",
]

E = TypeVar("E", bound=enum.Enum)

#: A filter value: one member or plain value/name, or several (any of them matches).
LevelFilter = AgreementLevel | str | Iterable[AgreementLevel | str]
RegionFilter = Region | str | Iterable[Region | str]
ExchangeFilter = ExchangeType | str | Iterable[ExchangeType | str]
CounterpartFilter = Counterpart | str | Iterable[Counterpart | str]
WorldRegionFilter = WorldRegion | str | Iterable[WorldRegion | str]
SubRegionFilter = SubRegion | str | Iterable[SubRegion | str]
CountryFilter = str | Iterable[str]
PartnerFilter = Institution | str | Iterable[Institution | str]


def _suggest(text: str, choices: Iterable[str], n: int = 3) -> tuple[str, ...]:
    import difflib  # only when a value is unknown: not on the import path

    choices = list(dict.fromkeys(choices))
    by_fold: dict[str, str] = {}
    for choice in choices:
        by_fold.setdefault(fold(choice), choice)
    close = difflib.get_close_matches(fold(text), list(by_fold), n=n, cutoff=0.5)
    return tuple(by_fold[c] for c in close)


def resolve_enum(kind: type[E], value: object, what: str, extra: Mapping[str, E] | None = None) -> E:
    """An enum member from a member, its value, its name or (``extra``) other spellings.

    Matching is case-, accent- and punctuation-insensitive.

    >>> resolve_enum(Region, "europe", "region")
    <Region.EUROPE: 'Europe'>
    """
    if isinstance(value, kind):
        return value
    if not isinstance(value, str):
        raise TypeError(
            f"{what} takes a member of {kind.__name__} or a str, not {type(value).__name__} {value!r}"
        )
    # Values that fold alike ("S" and "S*") are told apart first by an exact, then by a
    # case-insensitive comparison; among folded spellings the first member declared wins.
    wanted = value.strip()
    for member in kind:
        if wanted == str(member.value):
            return member
    for member in kind:
        if wanted.casefold() in (str(member.value).casefold(), member.name.casefold()):
            return member
    spellings: dict[str, E] = {}
    for member in kind:
        spellings.setdefault(fold(member.name), member)
        spellings.setdefault(fold(str(member.value)), member)
    for key, member in (extra or {}).items():
        spellings.setdefault(fold(key), member)
    found = spellings.get(fold(value))
    if found is None:
        close = _suggest(value[:200], [str(m.value) for m in kind] + list(extra or {}))
        listed = "" if close else f"; the {what} values are {', '.join(repr(m.value) for m in kind)}"
        raise UnknownValueError(f"unknown {what} {quote(value)}{listed}", close)
    return found


def _exchange_extra() -> dict[str, ExchangeType]:
    return {t.description: t for t in ExchangeType} | {"double degree": ExchangeType.S_DOUBLE_DEGREE}


def _counterpart_extra() -> dict[str, Counterpart]:
    extra = {c.full_name: c for c in Counterpart}
    extra |= {
        "Materials and Chemical Technology": Counterpart.MATERIALS_AND_CHEMICAL_TECHNOLOGY,
        "Life Science and Technology": Counterpart.LIFE_SCIENCE_AND_TECHNOLOGY,
        "Environment and Society": Counterpart.ENVIRONMENT_AND_SOCIETY,
        "Center": Counterpart.CENTER,
        "Centre": Counterpart.CENTER,
    }
    return extra


def resolve_country(index: Index, value: object) -> str:
    """The alpha-2 code of the dataset's country that ``value`` names.

    ``value`` is an alpha-2, alpha-3 or numeric code, the common or the ISO
    name, a label the source prints or another name in use; case, accents and
    punctuation are ignored.

    >>> import tokyotech_partners as ttp
    >>> ds = ttp.load()
    >>> [ds.lookup_country(x).code for x in ("U.K.", "germany", "Viet Nam", "KOR", "344")]
    ['GB', 'DE', 'VN', 'KR', 'HK']
    """
    if not isinstance(value, str):
        raise TypeError(f"a country is a code or a name (str), not {type(value).__name__} {value!r}")
    code = index.country_code(fold(value[:200]))
    if code is not None:
        return code
    names = [name for c in index.countries for name in c.names]
    if len(value) <= 3:
        names += [c.code for c in index.countries] + [c.alpha3 for c in index.countries]
    raise UnknownValueError(f"unknown country {quote(value)}", _suggest(value[:200], names))


def _as_values(value: object) -> list[object]:
    if isinstance(value, (str, bytes, enum.Enum, Institution)) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def resolve_partners(index: Index, partner: PartnerFilter) -> set[str]:
    """The ids of the institutions ``partner`` names (an Institution, an id or a name, or several)."""
    ids: set[str] = set()
    for v in _as_values(partner):
        if isinstance(v, Institution):
            if index.institution_or_none(v.id) != v:
                raise InstitutionNotFoundError(f"{v.name!r} ({v.id}) is not an institution of this dataset")
            ids.add(v.id)
        elif isinstance(v, str):
            ids.add(resolve_institution(index, v).id)
        else:
            raise TypeError(f"partner takes an Institution or a name, not {type(v).__name__} {v!r}")
    return ids


def _region(value: object) -> Region:
    """A heading of the source; a UN M49 region given here is pointed to its own filter."""
    try:
        return resolve_enum(Region, value, "region")
    except UnknownValueError as exc:
        if isinstance(value, str) and fold(value) in {fold(m.value) for m in (*WorldRegion, *SubRegion)}:
            raise UnknownValueError(
                f"{value!r} is not a heading of the source (region); for the UN M49 region use "
                f"world_region={value!r} or subregion={value!r}"
            ) from exc
        raise


def _chosen(
    index: Index,
    level: LevelFilter | None,
    country: CountryFilter | None,
    region: RegionFilter | None,
    world_region: WorldRegionFilter | None,
    subregion: SubRegionFilter | None,
    exchange: ExchangeFilter | None,
    counterpart: CounterpartFilter | None,
) -> list[set[int]]:
    """For each filter given, the positions of the agreements it accepts."""
    wanted: list[tuple[str, set[object]]] = []
    if level is not None:
        wanted.append(("level", {resolve_enum(AgreementLevel, v, "level") for v in _as_values(level)}))
    if country is not None:
        wanted.append(("country", {resolve_country(index, v) for v in _as_values(country)}))
    if region is not None:
        wanted.append(("region", {_region(v) for v in _as_values(region)}))
    if world_region is not None:
        worlds = {resolve_enum(WorldRegion, v, "world region") for v in _as_values(world_region)}
        wanted.append(("world_region", set(worlds)))
    if subregion is not None:
        wanted.append(
            ("subregion", {resolve_enum(SubRegion, v, "sub-region") for v in _as_values(subregion)})
        )
    if exchange is not None:
        extra = _exchange_extra()
        kinds = {resolve_enum(ExchangeType, v, "exchange type", extra) for v in _as_values(exchange)}
        wanted.append(("exchange_type", set(kinds)))
    if counterpart is not None:
        extra_units = _counterpart_extra()
        units = {resolve_enum(Counterpart, v, "counterpart", extra_units) for v in _as_values(counterpart)}
        wanted.append(("counterpart", set(units)))
    return [_union(index, field, values) for field, values in wanted]


def _union(index: Index, field: str, values: Iterable[object]) -> set[int]:
    """The positions of the agreements with any of ``values`` in ``field``."""
    table = index.positions(field)
    found: set[int] = set()
    for value in values:
        found.update(table.get(value, ()))
    return found


def agreements_where(
    index: Index,
    *,
    level: LevelFilter | None = None,
    country: CountryFilter | None = None,
    region: RegionFilter | None = None,
    world_region: WorldRegionFilter | None = None,
    subregion: SubRegionFilter | None = None,
    exchange: ExchangeFilter | None = None,
    counterpart: CounterpartFilter | None = None,
    since: int | None = None,
    until: int | None = None,
    partner: PartnerFilter | None = None,
) -> tuple[Agreement, ...]:
    """The agreements matching every given filter; see :meth:`Dataset.agreements_where`.

    Every filter is looked up in the index of its field (built once, on the
    first query), so a query costs in proportion to what the filters select,
    not to the size of the dataset.
    """
    sets = _chosen(index, level, country, region, world_region, subregion, exchange, counterpart)
    for name, year in (("since", since), ("until", until)):
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise TypeError(f"{name} must be a year (an int), got {type(year).__name__} {year!r}")
    if since is not None or until is not None:
        years = index.positions("concluded")
        low = -(10**9) if since is None else since
        high = 10**9 if until is None else until
        sets.append(_union(index, "concluded", [y for y in years if low <= y <= high]))
    if partner is not None:
        sets.append(_union(index, "partner", resolve_partners(index, partner)))
    if not sets:
        return index.agreements
    sets.sort(key=len)
    chosen = sets[0].intersection(*sets[1:])
    agreements = index.agreements
    return tuple(agreements[p] for p in sorted(chosen))
