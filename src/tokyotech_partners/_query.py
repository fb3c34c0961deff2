"""Filters and institution lookups behind the :class:`Dataset` query methods."""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

from ._errors import UnknownValueError
from ._model import Agreement, AgreementLevel, Counterpart, ExchangeType, Institution, Region

if TYPE_CHECKING:
    from ._dataset import Dataset

__all__ = [
    "CounterpartFilter",
    "CountryFilter",
    "ExchangeFilter",
    "InstitutionNotFoundError",
    "LevelFilter",
    "PartnerFilter",
    "RegionFilter",
    "agreements_where",
    "fold",
    "lookup_institution",
    "resolve_country",
    "resolve_enum",
    "search_institutions",
]

E = TypeVar("E", bound=enum.Enum)

#: A filter value: one member or plain value/name, or several (any of them matches).
LevelFilter = AgreementLevel | str | Iterable[AgreementLevel | str]
RegionFilter = Region | str | Iterable[Region | str]
ExchangeFilter = ExchangeType | str | Iterable[ExchangeType | str]
CounterpartFilter = Counterpart | str | Iterable[Counterpart | str]
CountryFilter = str | Iterable[str]
PartnerFilter = Institution | str | Iterable[Institution | str]

_NON_WORD = re.compile(r"[^0-9a-z]+")
_DROPPED = re.compile(r"[.'\u2019`]")


class InstitutionNotFoundError(UnknownValueError):
    """No institution has this name, alias or id; ``suggestions`` names the closest."""


InstitutionNotFoundError.__module__ = "tokyotech_partners"


def fold(text: str) -> str:
    """Text folded for matching: case, accents and punctuation ignored.

    Full stops and apostrophes vanish (``"U.K."`` is ``"uk"``, ``"Mongkut's"``
    is ``"mongkuts"``); other punctuation separates words.

    >>> fold("  École Polytechnique Fédérale, de Lausanne ")
    'ecole polytechnique federale de lausanne'
    >>> fold("M.I.T."), fold("King Mongkut's"), fold("Paris-Saclay")
    ('mit', 'king mongkuts', 'paris saclay')
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = _DROPPED.sub("", bare.replace("ß", "ss").replace("ı", "i"))
    return _NON_WORD.sub(" ", bare).strip()


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
        raise UnknownValueError(f"{what} {value!r} is not one of {', '.join(m.value for m in kind)}")
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
        raise UnknownValueError(
            f"unknown {what} {value!r}",
            _suggest(value, [str(m.value) for m in kind] + list(extra or {})),
        )
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


def resolve_country(ds: Dataset, value: object) -> str:
    """An alpha-2 code of the dataset's country table from a code, name or printed label.

    >>> import tokyotech_partners as ttp
    >>> resolve_country(ttp.load(), "U.K."), resolve_country(ttp.load(), "germany")
    ('GB', 'DE')
    """
    if not isinstance(value, str):
        raise UnknownValueError(f"country {value!r} is not a string")
    wanted = fold(value)
    for country in ds.countries:
        if wanted in {fold(country.code), fold(country.name), *(fold(label) for label in country.labels)}:
            return country.code
    names = [c.name for c in ds.countries] + [label for c in ds.countries for label in c.labels]
    if len(value) <= 3:
        names += [c.code for c in ds.countries]
    raise UnknownValueError(f"unknown country {value!r}", _suggest(value, names))


def _as_values(value: object) -> list[object]:
    if isinstance(value, (str, bytes, enum.Enum, Institution)) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def agreements_where(
    ds: Dataset,
    *,
    level: LevelFilter | None = None,
    country: CountryFilter | None = None,
    region: RegionFilter | None = None,
    exchange: ExchangeFilter | None = None,
    counterpart: CounterpartFilter | None = None,
    since: int | None = None,
    until: int | None = None,
    partner: PartnerFilter | None = None,
) -> tuple[Agreement, ...]:
    """The agreements matching every given filter; see :meth:`Dataset.agreements_where`."""
    tests: list[Callable[[Agreement], bool]] = []
    if level is not None:
        levels = {resolve_enum(AgreementLevel, v, "level") for v in _as_values(level)}
        tests.append(lambda a: a.level in levels)
    if country is not None:
        codes = {resolve_country(ds, v) for v in _as_values(country)}
        tests.append(lambda a: not codes.isdisjoint(a.countries))
    if region is not None:
        regions = {resolve_enum(Region, v, "region") for v in _as_values(region)}
        tests.append(lambda a: a.region in regions)
    if exchange is not None:
        kinds = {
            resolve_enum(ExchangeType, v, "exchange type", _exchange_extra()) for v in _as_values(exchange)
        }
        tests.append(lambda a: not kinds.isdisjoint(a.exchange_types))
    if counterpart is not None:
        units = {
            resolve_enum(Counterpart, v, "counterpart", _counterpart_extra()) for v in _as_values(counterpart)
        }
        tests.append(lambda a: not units.isdisjoint(a.counterparts))
    for name, year in (("since", since), ("until", until)):
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise UnknownValueError(f"{name} must be a year (an int), got {year!r}")
    if since is not None:
        tests.append(lambda a: a.concluded >= since)
    if until is not None:
        tests.append(lambda a: a.concluded <= until)
    if partner is not None:
        ids: set[str] = set()
        for v in _as_values(partner):
            if isinstance(v, Institution):
                if v not in ds.institutions:
                    raise InstitutionNotFoundError(
                        f"{v.name!r} ({v.id}) is not an institution of this dataset"
                    )
                ids.add(v.id)
            elif isinstance(v, str):
                ids.add(lookup_institution(ds, v).id)
            else:
                raise UnknownValueError(f"partner {v!r} is neither an Institution nor a name")
        tests.append(lambda a: any(p.id in ids for p in a.partners))
    return tuple(a for a in ds.agreements if all(test(a) for test in tests))


def lookup_institution(ds: Dataset, text: str) -> Institution:
    """The institution whose id, name or alias equals ``text`` once folded."""
    wanted = fold(text)
    if wanted:
        for key, inst in ds.folded_names():
            if key == wanted:
                return inst
    by_name = {name: inst.name for inst in ds.institutions for name in inst.names}
    closest = tuple(dict.fromkeys(by_name[n] for n in _suggest(text, by_name)))
    if not closest:
        closest = tuple(i.name for i in search_institutions(ds, text, limit=3))
    raise InstitutionNotFoundError(f"no institution is called {text!r}", closest)


def _score(query: str, words: set[str], folded: str) -> float:
    if folded == query:
        return 100.0
    if folded.startswith(query):
        return 90.0 - min(len(folded) - len(query), 30) / 10
    if query in folded:
        return 80.0 - min(len(folded) - len(query), 30) / 10
    import difflib  # only when searching: not on the import path

    overlap = len(words & set(folded.split())) / len(words) if words else 0.0
    matcher = difflib.SequenceMatcher(None, query, folded)
    if 50.0 * matcher.quick_ratio() <= 60.0 * overlap:  # the ratio cannot win: skip computing it
        return 60.0 * overlap
    return max(60.0 * overlap, 50.0 * matcher.ratio())


def search_institutions(ds: Dataset, text: str, limit: int | None = 10) -> Sequence[Institution]:
    """Institutions ranked by how well a name, alias or id matches ``text``."""
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise UnknownValueError(f"limit must be a non-negative int or None, got {limit!r}")
    query = fold(text)
    if not query:
        return ()
    words = set(query.split())
    best: dict[str, tuple[float, Institution]] = {}
    for folded, inst in ds.folded_names():
        if not folded:
            continue
        score = _score(query, words, folded)
        if score > best.get(inst.id, (-1.0, inst))[0]:
            best[inst.id] = (score, inst)
    ranked = sorted(
        ((score, inst) for score, inst in best.values() if score >= 30.0),
        key=lambda pair: (-pair[0], fold(pair[1].name), pair[1].id),
    )
    chosen = ranked if limit is None else ranked[:limit]
    return tuple(inst for _, inst in chosen)
