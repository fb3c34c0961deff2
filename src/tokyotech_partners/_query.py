"""Filters and institution lookups behind the :class:`Dataset` query methods."""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from ._enums import AgreementLevel, Counterpart, ExchangeType, Region
from ._errors import InstitutionNotFoundError, UnknownValueError
from ._model import Agreement, Country, Institution
from ._text import quote

__all__ = [
    "CounterpartFilter",
    "CountryFilter",
    "ExchangeFilter",
    "Index",
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
# fold() of ASCII text: the dropped marks vanish, letters are lowercased, other characters separate words
_ASCII_FOLD = {
    code: None if chr(code) in ".'`" else chr(code).lower() if chr(code).isalnum() else " "
    for code in range(128)
}


class Index:
    """A dataset's tables and the lookups built on them (the folded names on first use)."""

    __slots__ = (
        "_agreements_of",
        "_by_code",
        "_by_id",
        "_folded",
        "_longest",
        "agreements",
        "countries",
        "institutions",
    )

    def __init__(
        self,
        countries: tuple[Country, ...],
        institutions: tuple[Institution, ...],
        agreements: tuple[Agreement, ...],
    ) -> None:
        self.countries = countries
        self.institutions = institutions
        self.agreements = agreements
        self._by_code = {country.code: country for country in countries}
        self._by_id = {inst.id: inst for inst in institutions}
        by_institution: dict[str, list[Agreement]] = {inst.id: [] for inst in institutions}
        for agreement in agreements:
            for partner in agreement.partners:
                by_institution.setdefault(partner.id, []).append(agreement)
        self._agreements_of = {key: tuple(value) for key, value in by_institution.items()}
        self._folded: tuple[tuple[str, Institution], ...] | None = None
        self._longest: int | None = None

    def institution(self, id: str) -> Institution:
        """The institution with exactly this id; :class:`KeyError` if none."""
        try:
            return self._by_id[id]
        except (KeyError, TypeError):
            if not isinstance(id, str):
                raise TypeError(f"an institution id is a str, not {type(id).__name__}") from None
            raise KeyError(f"no institution has the id {quote(id)}") from None

    def agreements_of(self, institution: Institution | str) -> tuple[Agreement, ...]:
        """The agreements an institution (or institution id) is a partner of."""
        if isinstance(institution, Institution):
            key = institution.id
        elif isinstance(institution, str):
            key = institution
        else:
            raise TypeError(f"expected an Institution or an id, not {type(institution).__name__}")
        if key not in self._agreements_of:
            raise KeyError(f"no institution has the id {quote(key)}")
        return self._agreements_of[key]

    def country(self, code: str) -> Country:
        """The country with this alpha-2 code; :class:`KeyError` if none."""
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"no country has the code {quote(code)}") from None

    def folded_names(self) -> tuple[tuple[str, Institution], ...]:
        """Every id, name and alias folded for matching, with its institution (built once)."""
        if self._folded is None:
            self._folded = tuple(
                (fold(key), inst) for inst in self.institutions for key in (inst.id, *inst.names)
            )
        return self._folded

    def longest_query(self) -> int:
        """The longest folded text that can still match an id, name or alias: longer ones match nothing.

        Bounding the query keeps lookups and searches as fast for a 100,000-character
        text as for a name: comparing it with every name would take seconds.
        """
        if self._longest is None:
            self._longest = 2 * max((len(key) for key, _ in self.folded_names()), default=0) + 64
        return self._longest


def fold(text: str) -> str:
    """Text folded for matching: case, accents and punctuation ignored.

    Full stops and apostrophes vanish (``"U.K."`` is ``"uk"``, ``"Mongkut's"``
    is ``"mongkuts"``); other punctuation separates words.

    >>> fold("  École Polytechnique Fédérale, de Lausanne ")
    'ecole polytechnique federale de lausanne'
    >>> fold("M.I.T."), fold("King Mongkut's"), fold("Paris-Saclay")
    ('mit', 'king mongkuts', 'paris saclay')
    """
    if text.isascii():  # the same result in one pass of C: names of any length fold fast
        return " ".join(text.translate(_ASCII_FOLD).split())
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
        raise TypeError(
            f"{what} takes a member of {kind.__name__} or a str, not {type(value).__name__} {quote(value)}"
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
        raise UnknownValueError(
            f"unknown {what} {quote(value)}",
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


def resolve_country(ds: Index, value: object) -> str:
    """An alpha-2 code of the dataset's country table from a code, name or printed label.

    >>> import tokyotech_partners as ttp
    >>> ds = ttp.load()
    >>> ds.lookup_country("U.K.").code, ds.lookup_country("germany").code
    ('GB', 'DE')
    """
    if not isinstance(value, str):
        raise TypeError(f"a country is a code or a name (str), not {type(value).__name__} {quote(value)}")
    wanted = fold(value)
    for country in ds.countries:
        if wanted in {fold(country.code), fold(country.name), *(fold(label) for label in country.labels)}:
            return country.code
    names = [c.name for c in ds.countries] + [label for c in ds.countries for label in c.labels]
    if len(value) <= 3:
        names += [c.code for c in ds.countries]
    raise UnknownValueError(f"unknown country {quote(value)}", _suggest(value, names))


def _as_values(value: object) -> list[object]:
    if isinstance(value, (str, bytes, enum.Enum, Institution)) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def agreements_where(
    ds: Index,
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
            raise TypeError(f"{name} must be a year (an int), got {type(year).__name__} {quote(year)}")
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
                        f"{quote(v.name)} ({v.id}) is not an institution of this dataset"
                    )
                ids.add(v.id)
            elif isinstance(v, str):
                ids.add(lookup_institution(ds, v).id)
            else:
                raise TypeError(f"partner takes an Institution or a name, not {type(v).__name__} {quote(v)}")
        tests.append(lambda a: any(p.id in ids for p in a.partners))
    return tuple(a for a in ds.agreements if all(test(a) for test in tests))


def lookup_institution(ds: Index, text: str) -> Institution:
    """The institution whose id, name or alias equals ``text`` once folded."""
    if not isinstance(text, str):
        raise TypeError(f"lookup_institution takes a str, not {type(text).__name__}")
    wanted = fold(text)
    if len(wanted) > ds.longest_query():
        raise InstitutionNotFoundError(f"no institution is called {quote(text)}: no name is that long")
    if wanted:
        for key, inst in ds.folded_names():
            if key == wanted:
                return inst
    by_name = {name: inst.name for inst in ds.institutions for name in inst.names}
    closest = tuple(dict.fromkeys(by_name[n] for n in _suggest(text, by_name)))
    if not closest:
        closest = tuple(i.name for i in search_institutions(ds, text, limit=3))
    raise InstitutionNotFoundError(f"no institution is called {quote(text)}", closest)


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


def search_institutions(ds: Index, text: str, limit: int | None = 10) -> tuple[Institution, ...]:
    """Institutions ranked by how well a name, alias or id matches ``text`` (none if far longer than any)."""
    if not isinstance(text, str):
        raise TypeError(f"search_institutions takes a str, not {type(text).__name__}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
        raise TypeError(f"limit must be an int or None, got {type(limit).__name__} {quote(limit)}")
    if limit is not None and limit < 0:
        raise ValueError(f"limit must not be negative, got {limit}")
    query = fold(text)
    if not query or len(query) > ds.longest_query():
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
