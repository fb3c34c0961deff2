"""The tables of a dataset and the lookups built on them, each built once, on first use."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ._model import Agreement, Country, Institution
from ._text import fold

__all__ = ["Index"]


class Index:
    """A dataset's tables with their lookups: by id, by code, by folded name, by word."""

    __slots__ = (
        "_agreements_of",
        "_by_code",
        "_by_id",
        "_country_keys",
        "_folded",
        "_longest_name",
        "_name_folds",
        "_name_keys",
        "_positions",
        "_search",
        "_words",
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
        self._agreements_of: dict[str, tuple[Agreement, ...]] | None = None
        self._longest_name: int | None = None
        self._folded: tuple[tuple[str, Institution], ...] | None = None
        self._name_keys: dict[str, tuple[Institution, ...]] | None = None
        self._words: tuple[tuple[tuple[str, ...], Institution], ...] | None = None
        self._country_keys: dict[str, str] | None = None
        self._name_folds: dict[str, str] | None = None
        self._positions: dict[str, dict[Any, list[int]]] | None = None
        self._search: tuple[tuple[str, frozenset[str], Institution], ...] | None = None

    def institution(self, id: str) -> Institution:
        """The institution with exactly this id; :class:`KeyError` if none."""
        if not isinstance(id, str):
            raise TypeError(f"an institution id is a str, not {type(id).__name__}")
        try:
            return self._by_id[id]
        except KeyError:
            raise KeyError(id) from None

    def institution_or_none(self, id: str) -> Institution | None:
        """The institution with exactly this id, or None."""
        return self._by_id.get(id)

    def agreements_of(self, institution: Institution) -> tuple[Agreement, ...]:
        """The agreements an institution of this dataset is a partner of."""
        if self._agreements_of is None:
            by_institution: dict[str, list[Agreement]] = {}
            for agreement in self.agreements:
                for partner in agreement.partners:
                    by_institution.setdefault(partner.id, []).append(agreement)
            self._agreements_of = {key: tuple(value) for key, value in by_institution.items()}
        return self._agreements_of.get(institution.id, ())

    @property
    def longest_name(self) -> int:
        """The length of the longest id, name, alias or common name: no lookup longer can match."""
        if self._longest_name is None:
            self._longest_name = max((len(n) for i in self.institutions for n in (i.id, *i.names)), default=0)
        return self._longest_name

    def country(self, code: str) -> Country:
        """The country with this alpha-2 code; :class:`KeyError` if none."""
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"no country has the code {code!r}") from None

    def folded_names(self) -> tuple[tuple[str, Institution], ...]:
        """Every id, name, alias and common name folded for matching, with its institution."""
        if self._folded is None:
            self._folded = tuple(
                (fold(key), inst) for inst in self.institutions for key in (inst.id, *inst.names)
            )
        return self._folded

    def folded_name(self, institution: Institution) -> str:
        """The institution's name, folded (its sort key among equal scores)."""
        if self._name_folds is None:
            self._name_folds = {inst.id: fold(inst.name) for inst in self.institutions}
        return self._name_folds.get(institution.id) or fold(institution.name)

    def by_name(self, folded: str) -> tuple[Institution, ...]:
        """The institutions whose id, name, alias or common name folds to ``folded``."""
        if self._name_keys is None:
            keys: dict[str, dict[str, Institution]] = {}
            for key, inst in self.folded_names():
                keys.setdefault(key, {})[inst.id] = inst
            self._name_keys = {key: tuple(found.values()) for key, found in keys.items()}
        return self._name_keys.get(folded, ())

    def name_words(self) -> tuple[tuple[tuple[str, ...], Institution], ...]:
        """Every folded name split into words, with its institution."""
        if self._words is None:
            self._words = tuple((tuple(key.split()), inst) for key, inst in self.folded_names() if key)
        return self._words

    def country_code(self, folded: str) -> str | None:
        """The code of the country whose code, alpha-3, numeric code or a name folds to ``folded``."""
        if self._country_keys is None:
            keys: dict[str, str] = {}
            for c in self.countries:
                for key in (c.code, c.alpha3, c.numeric, *c.names):
                    keys.setdefault(fold(key), c.code)
            self._country_keys = keys
        return self._country_keys.get(folded)

    def positions(self, field: str) -> dict[Any, list[int]]:
        """The positions of the agreements having each value of ``field``, in source order.

        ``field`` is ``"level"``, ``"region"``, ``"concluded"``, ``"country"``,
        ``"world_region"``, ``"subregion"``, ``"exchange_type"``,
        ``"counterpart"`` or ``"partner"`` (an institution's id); the index of
        every field is built together, once, in one pass over the agreements.
        """
        if self._positions is None:
            self._positions = _positions(self.agreements)
        return self._positions[field]

    def search_names(self) -> tuple[tuple[str, frozenset[str], Institution], ...]:
        """Every non-empty folded name with its set of words and its institution, for ranking."""
        if self._search is None:
            self._search = tuple(
                (key, frozenset(key.split()), inst) for key, inst in self.folded_names() if key
            )
        return self._search


def _positions(agreements: tuple[Agreement, ...]) -> dict[str, dict[Any, list[int]]]:
    index: dict[str, dict[Any, list[int]]] = {
        field: {}
        for field in (
            "level",
            "region",
            "concluded",
            "country",
            "world_region",
            "subregion",
            "exchange_type",
            "counterpart",
            "partner",
        )
    }
    for position, a in enumerate(agreements):
        values: tuple[tuple[str, Iterable[object]], ...] = (
            ("level", (a.level,)),
            ("region", (a.region,)),
            ("concluded", (a.concluded,)),
            ("country", a.countries),
            ("world_region", a.world_regions),
            ("subregion", a.subregions),
            ("exchange_type", a.exchange_types),
            ("counterpart", a.counterparts),
            ("partner", [p.id for p in a.partners]),
        )
        for field, found in values:
            table = index[field]
            for value in found:
                table.setdefault(value, []).append(position)
    return index
