"""The :class:`Dataset`: one edition's records, with the queries they answer."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

import attrs

from . import _names, _query
from ._errors import InstitutionNotFoundError, UnknownValueError
from ._index import Index
from ._model import Agreement, BudgetLine, Correction, Country, Edition, Institution, Office
from ._text import quote

__all__ = ["Dataset"]

T = TypeVar("T")


def _shown(items: tuple[T, ...]) -> tuple[T, ...]:
    """``items`` as a tuple that a notebook shows as a table (imported on the first query, not at import)."""
    from ._display import Records

    return Records(items)


@attrs.frozen(eq=False)
class Dataset:
    """One edition of the data: every record, validated, with its indexes.

    Build one with :func:`load`. Two datasets are equal when their records are.
    """

    edition: Edition
    countries: tuple[Country, ...]
    institutions: tuple[Institution, ...]
    agreements: tuple[Agreement, ...]
    offices: tuple[Office, ...]
    budget_lines: tuple[BudgetLine, ...]
    corrections: tuple[Correction, ...]
    _index: Index = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", Index(self.countries, self.institutions, self.agreements))

    def _counts(self) -> list[tuple[str, int]]:
        return [
            ("agreements", len(self.agreements)),
            ("institutions", len(self.institutions)),
            ("offices", len(self.offices)),
            ("budget lines", len(self.budget_lines)),
            ("countries", len(self.countries)),
            ("corrections", len(self.corrections)),
        ]

    def __repr__(self) -> str:
        counts = ", ".join(f"{n} {what}" for what, n in self._counts())
        version, as_of = self.edition.data_version, self.as_of.isoformat()
        return f"<tokyotech_partners Dataset {version}, as of {as_of}: {counts}>"

    def _repr_html_(self) -> str:
        from ._display import html_table

        e = self.edition
        rows = [
            ("source", e.title if e.title.startswith(e.publisher) else f"{e.publisher}: {e.title}"),
            ("as of", e.as_of.isoformat()),
            ("budget", f"FY{e.fiscal_year}"),
            ("data version", e.data_version),
            *self._counts(),
        ]
        return html_table(["Dataset", ""], rows, caption="tokyotech_partners Dataset")

    def _records(self) -> tuple[object, ...]:
        return (
            self.edition,
            self.countries,
            self.institutions,
            self.agreements,
            self.offices,
            self.budget_lines,
            self.corrections,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return self._records() == other._records()

    def __hash__(self) -> int:
        return hash((self.edition, len(self.agreements)))

    @property
    def as_of(self) -> dt.date:
        """The date the agreements and offices are stated as of."""
        return self.edition.as_of

    @property
    def fiscal_year(self) -> int:
        """The fiscal year of the budget."""
        return self.edition.fiscal_year

    def institution(self, id: str) -> Institution:
        """The institution with exactly this id; :class:`KeyError` if none.

        The exact lookup, as ``pycountry``'s ``get``: for a name, an alias or
        what a person types, use :meth:`lookup_institution`.

        >>> import tokyotech_partners as ttp
        >>> ds = ttp.load()
        >>> ds.institution("mit").name
        'Massachusetts Institute of Technology'
        >>> ds.institution("Tsinghua University")
        Traceback (most recent call last):
        ...
        KeyError: "no institution has the id 'Tsinghua University'; \
ds.lookup_institution('Tsinghua University') finds it by name: 'tsinghua-university'"
        """
        try:
            return self._index.institution(id)
        except KeyError:
            hint = ""
            try:
                found = _names.resolve_institution(self._index, id)
                hint = f"; ds.lookup_institution({quote(id)}) finds it by name: {found.id!r}"
            except UnknownValueError:
                hint = "; ds.lookup_institution() finds an institution by name"
            raise KeyError(f"no institution has the id {quote(id)}{hint}") from None

    def agreements_of(self, institution: Institution | str) -> tuple[Agreement, ...]:
        """Every agreement the institution is a partner of, in source order.

        ``institution`` is an :class:`Institution` of this dataset, or its id,
        name, alias or a name in common use, resolved as by
        :meth:`lookup_institution`.

        >>> import tokyotech_partners as ttp
        >>> [a.id for a in ttp.load().agreements_of("Tsinghua")]
        ['I-002', 'S-002']
        """
        if isinstance(institution, Institution):
            if self._index.institution_or_none(institution.id) != institution:
                raise InstitutionNotFoundError(
                    f"{quote(institution.name)} ({institution.id}) is not an institution of this dataset"
                )
            return _shown(self._index.agreements_of(institution))
        if isinstance(institution, str):
            return _shown(self._index.agreements_of(self.lookup_institution(institution)))
        raise TypeError(f"agreements_of takes an Institution or a name, not {type(institution).__name__}")

    def agreements_where(
        self,
        *,
        level: _query.LevelFilter | None = None,
        country: _query.CountryFilter | None = None,
        region: _query.RegionFilter | None = None,
        world_region: _query.WorldRegionFilter | None = None,
        subregion: _query.SubRegionFilter | None = None,
        exchange: _query.ExchangeFilter | None = None,
        counterpart: _query.CounterpartFilter | None = None,
        since: int | None = None,
        until: int | None = None,
        partner: _query.PartnerFilter | None = None,
    ) -> tuple[Agreement, ...]:
        """The agreements that match every filter given, in source order.

        Each filter takes an enum member or what a person would type: its value
        or name, case- and accent-insensitive (``level="school"``,
        ``exchange="S"`` or ``"Student exchange"``, ``counterpart="Engineering"``
        or ``"School of Engineering"``). ``region`` is the heading the source
        files a row under (``"Europe"``, ``"Multi-Region"``); ``world_region``
        and ``subregion`` are where the partners are, by UN M49
        (``"Americas"``, ``"Northern Europe"``). ``country`` takes a code or a
        name (``"DE"``, ``"Germany"``, ``"U.K."``, ``"South Korea"``) and, like
        the regions, matches an agreement with any partner there; ``partner``
        takes an :class:`Institution` or a name, resolved as by
        :meth:`lookup_institution`. Several values for one filter mean any of
        them; filters combine as "and"; ``since`` and ``until`` are inclusive
        years. A value that matches nothing that exists raises
        :class:`UnknownValueError`, which suggests the closest valid values.

        >>> import tokyotech_partners as ttp
        >>> ds = ttp.load()
        >>> [a.id for a in ds.agreements_where(country="Germany", exchange="S", since=2016)]
        ['S-081', 'S-082', 'S-083', 'S-084', 'S-128']
        >>> americas = ds.agreements_where(world_region="Americas")
        >>> len(americas), len(ds.agreements_where(subregion="Northern Europe"))
        (26, 33)
        >>> len(ds.agreements_where(level="school", counterpart=["GSIC", "CITL"]))
        6
        >>> ds.agreements_where(country="Germny")
        Traceback (most recent call last):
        ...
        tokyotech_partners.UnknownValueError: unknown country 'Germny'; did you mean 'Germany'?
        """
        return _shown(
            _query.agreements_where(
                self._index,
                level=level,
                country=country,
                region=region,
                world_region=world_region,
                subregion=subregion,
                exchange=exchange,
                counterpart=counterpart,
                since=since,
                until=until,
                partner=partner,
            )
        )

    def lookup_institution(self, text: str) -> Institution:
        """The one institution ``text`` names: id, name, alias, common short name, or words of one.

        Case, accents and punctuation are ignored. First the whole text against
        every id, name, alias and name in common use (``"EPFL"``, ``"TUM"``);
        then the words typed as a run of whole words of one name
        (``"Tsinghua"``, ``"Imperial College"``), then as a run of word
        beginnings. A text that several institutions answer to raises
        :class:`AmbiguousNameError` listing them; one that none answers to
        raises :class:`InstitutionNotFoundError` (both are
        :class:`LookupError`) naming the closest, which
        :meth:`search_institutions` ranks.

        >>> import tokyotech_partners as ttp
        >>> ds = ttp.load()
        >>> ds.lookup_institution("epfl").name
        'École Polytechnique Fédérale de Lausanne'
        >>> ds.lookup_institution("Sapienza").id, ds.lookup_institution("bogazici").id
        ('sapienza-university-of-rome', 'bogazici-university')
        >>> ds.lookup_institution("NTU")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        tokyotech_partners.AmbiguousNameError: 'NTU' names 2 institutions: ...
        >>> ds.lookup_institution("Boreskov Institute of Catalisis")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        tokyotech_partners.InstitutionNotFoundError: no institution is called \
'Boreskov Institute of Catalisis'; ds.search_institutions(...) ranks the closest; \
did you mean 'Boreskov Institute of Catalysis', ...?
        """
        return _names.resolve_institution(self._index, text)

    def search_institutions(self, text: str, limit: int | None = 10) -> tuple[Institution, ...]:
        """Institutions ranked by how well their id, name or an alias matches ``text``.

        Exact matches first, then prefixes, substrings, shared words and similar
        spellings; ties are broken by name, then id, so the order is stable.

        >>> import tokyotech_partners as ttp
        >>> [i.id for i in ttp.load().search_institutions("oxford cambridge", limit=3)]
        ['university-of-cambridge', 'churchill-college-cambridge', 'university-of-oxford']
        """
        return _shown(_names.search_institutions(self._index, text, limit))

    def country_name(self, code: str | None) -> str:
        """The English name in common use of an alpha-2 code (``None``: "multinational")."""
        if code is None:
            return "multinational"
        return self._index.country(code).name

    def lookup_country(self, text: str) -> Country:
        """The country ``text`` names: a code (alpha-2, alpha-3, numeric) or a name.

        Names are the common and the ISO name, the labels the source prints
        and other names in use (``"South Korea"``, ``"Korea, Republic of"``,
        ``"Holland"``, ``"Türkiye"``). Case, accents and punctuation are
        ignored; if none matches, raises :class:`UnknownValueError` suggesting
        the closest.

        >>> import tokyotech_partners as ttp
        >>> ds = ttp.load()
        >>> ds.lookup_country("U.K.").code, ds.lookup_country("Viet Nam").name
        ('GB', 'Vietnam')
        """
        return self._index.country(_query.resolve_country(self._index, text))
