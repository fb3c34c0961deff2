"""The rules of a valid edition: each table's records checked, and against the tables before it.

Each table has its own check, named for it, and each rule its own line; a
failed rule raises :class:`DatasetError` naming the file, the record and the
field. :func:`._assemble.assemble` runs them in the order of :data:`TABLES`,
so that a table's references are checked against tables already checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ._budget import budget_problems
from ._enums import AgreementLevel
from ._errors import DatasetError
from ._model import Agreement, BudgetLine, Correction, Country, Edition, Institution, Office
from ._tables import EDITION_FILE, FOUNDED
from ._text import EXCERPT, digits, fold, is_slug, quote

if TYPE_CHECKING:
    from ._stored import AgreementRecord

__all__ = [
    "check_agreements",
    "check_budget_lines",
    "check_corrections",
    "check_countries",
    "check_edition",
    "check_institutions",
    "check_offices",
    "content_key",
    "record_name",
]

_HEX = "0123456789abcdef"


def _data_version(text: str) -> bool:
    """Whether ``text`` is YEAR.N: four ASCII digits, a point, one or more ASCII digits."""
    year, dot, number = text.partition(".")
    return bool(dot) and len(year) == 4 and digits(year) and digits(number)


def _blank(text: str | None) -> bool:
    """Whether a text field that is given holds nothing but white space."""
    return text is not None and not text.strip()


def record_name(number: int, ident: object) -> str:
    """How errors name the record of line ``number``: by its id (``ident``) where it has one."""
    if isinstance(ident, str) and len(ident) <= EXCERPT:
        return f"{ident} (line {number})"
    return f"line {number}"


def _named(number: int, record: object) -> str:
    """How errors name a structured record of line ``number``: named only when an error needs it."""
    return record_name(number, getattr(record, "id", None))


def _unique_ids(items: Iterable[tuple[int, Any]], file: str) -> None:
    seen: set[str] = set()
    for number, item in items:
        if item.id in seen:
            raise DatasetError(
                f"duplicate id {quote(item.id)}", file=file, record=_named(number, item), field="id"
            )
        seen.add(item.id)


def partner_ids(agreement: Agreement | AgreementRecord) -> tuple[str, ...]:
    """The ids of an agreement's partners, whether it holds them or their ids."""
    if isinstance(agreement, Agreement):
        return tuple([p.id for p in agreement.partners])
    return agreement.partners


def content_key(
    agreement: Agreement | AgreementRecord, partners: tuple[str, ...] | None = None
) -> tuple[object, ...]:
    """What makes two agreements the same agreement, whatever their ids, notes or printed text."""
    if partners is None:
        partners = partner_ids(agreement)
    return (
        agreement.level,
        partners,
        agreement.partner_unit,
        agreement.counterparts,
        agreement.concluded,
        agreement.exchange_types,
    )


# ------------------------------------------------------------------ one check per table


def check_edition(edition: Edition) -> None:
    """The edition's own fields: data version, source digest, fiscal year."""

    def fail(message: str, field: str) -> DatasetError:
        return DatasetError(message, file=EDITION_FILE, record="edition", field=field)

    if not _data_version(edition.data_version):
        raise fail(
            f"data version {quote(edition.data_version)} is not YEAR.N (such as '2021.1')", "data_version"
        )
    if len(edition.source_sha256) != 64 or edition.source_sha256.strip(_HEX):
        raise fail("source_sha256 is not 64 lowercase hexadecimal digits", "source_sha256")
    version_year = int(edition.data_version.partition(".")[0])
    if edition.as_of.year > version_year:
        raise fail(f"as_of {edition.as_of} is after data version {edition.data_version}'s year", "as_of")
    if not FOUNDED <= edition.fiscal_year <= edition.as_of.year + 1:
        raise fail(f"fiscal year {edition.fiscal_year} is out of range", "fiscal_year")


def _country_problem(country: Country) -> tuple[str, str] | None:
    """What is wrong with one country against ISO 3166-1 and UN M49, as ``(message, field)``."""
    from ._m49 import COUNTRIES  # reference data, read on first load

    reference = COUNTRIES.get(country.code)
    if reference is None:
        return f"{quote(country.code)} is not an assigned ISO 3166-1 alpha-2 code", "code"
    alpha3, numeric, region, subregion = reference
    if country.alpha3 != alpha3:
        return f"alpha-3 code {quote(country.alpha3)}, ISO 3166-1 gives {alpha3!r}", "alpha3"
    if country.numeric != numeric:
        return f"numeric code {quote(country.numeric)}, ISO 3166-1 gives {numeric!r}", "numeric"
    if (country.world_region and country.world_region.value) != region:
        return f"UN M49 puts {country.code} in region {region!r}", "world_region"
    if (country.subregion and country.subregion.value) != subregion:
        return f"UN M49 puts {country.code} in sub-region {subregion!r}", "subregion"
    for field in ("name", "iso_name"):
        if not getattr(country, field).strip():
            return "empty name", field
    for field in ("labels", "aliases"):
        for k, text in enumerate(getattr(country, field)):
            if not text.strip():
                return "empty text", f"{field}[{k}]"
    return None


def check_countries(countries: Sequence[tuple[int, Country]], file: str) -> frozenset[str]:
    """Each code is an ISO 3166-1 code, once, with its ISO codes, M49 regions and names; returns the codes."""
    codes: set[str] = set()
    for number, country in countries:
        problem = _country_problem(country)
        if problem is not None:
            raise DatasetError(problem[0], file=file, record=_named(number, country), field=problem[1])
        if country.code in codes:
            raise DatasetError(
                f"duplicate code {quote(country.code)}",
                file=file,
                record=_named(number, country),
                field="code",
            )
        codes.add(country.code)
    return frozenset(codes)


def check_institutions(
    institutions: Sequence[tuple[int, Institution]], file: str, codes: frozenset[str]
) -> dict[str, Institution]:
    """Unique slug ids, known countries, names; returns the institutions by id."""
    _unique_ids(institutions, file)
    for number, inst in institutions:
        if not is_slug(inst.id):
            message = f"id {quote(inst.id)} is not a slug (such as 'tokyo-university-of-science')"
            raise DatasetError(message, file=file, record=_named(number, inst), field="id")
        if inst.country is not None and inst.country not in codes:
            message = f"unknown country code {quote(inst.country)}"
            raise DatasetError(message, file=file, record=_named(number, inst), field="country")
        if not inst.name.strip():
            raise DatasetError("empty name", file=file, record=_named(number, inst), field="name")
        for field in ("aliases", "former_names", "common_names", "notes"):
            for k, text in enumerate(getattr(inst, field)):
                if not text.strip():
                    raise DatasetError(
                        "empty text", file=file, record=_named(number, inst), field=f"{field}[{k}]"
                    )
    _one_institution_per_name(institutions, file)
    return {inst.id: inst for _, inst in institutions}


def _one_institution_per_name(institutions: Sequence[tuple[int, Institution]], file: str) -> None:
    """No id, name or alias is another institution's (compared as lookups compare).

    A name in common use (``common_names``) may be shared by several
    institutions (it is ambiguous, and lookups say so), but it may not be
    another institution's id, name or alias.
    """
    owner: dict[str, str] = {}

    def taken(text: str, key: str, inst: Institution, number: int, field: str) -> DatasetError:
        message = f"{quote(text)} is already a name or alias of {quote(owner[key])}"
        return DatasetError(message, file=file, record=_named(number, inst), field=field)

    # names first, then ids, then aliases: an alias is what repeats a name
    for number, inst in institutions:
        key = fold(inst.name)
        if key and owner.setdefault(key, inst.id) != inst.id:
            raise taken(inst.name, key, inst, number, "name")
    for number, inst in institutions:
        key = inst.id.replace("-", " ")  # fold() of a slug, which check_institutions has made sure it is
        if owner.setdefault(key, inst.id) != inst.id:
            raise taken(inst.id, key, inst, number, "id")
    for number, inst in institutions:
        for k, alias in enumerate(inst.aliases):
            key = fold(alias)
            if key and owner.setdefault(key, inst.id) != inst.id:
                raise taken(alias, key, inst, number, f"aliases[{k}]")
    for number, inst in institutions:
        for k, text in enumerate(inst.common_names):
            other = owner.get(fold(text), inst.id)
            if other != inst.id:
                message = f"{quote(text)} is the id, name or an alias of {quote(other)}"
                raise DatasetError(
                    message, file=file, record=_named(number, inst), field=f"common_names[{k}]"
                )


def _agreement_problem(
    rec: Agreement | AgreementRecord,
    partners: tuple[str, ...],
    index: Mapping[str, Institution],
    last_year: int,
) -> tuple[str, str] | None:
    """What is wrong with one agreement by itself, as ``(message, field)``; None if nothing."""
    if not partners:
        return "an agreement needs at least one partner", "partners"
    if len(set(partners)) != len(partners):
        return "a partner is listed twice", "partners"
    for position, pid in enumerate(partners):
        if pid not in index:
            return f"unknown institution id {quote(pid)}", f"partners[{position}]"
    if not FOUNDED <= rec.concluded <= last_year:
        return f"year {rec.concluded} is not between {FOUNDED} and {last_year}", "concluded"
    if not rec.exchange_types:
        return "no type of exchange", "exchange_types"
    if rec.level is AgreementLevel.INSTITUTIONAL and rec.counterparts:
        return "an institution-level agreement has no Tokyo Tech counterpart", "counterparts"
    if rec.level is AgreementLevel.SCHOOL and not rec.counterparts and rec.counterpart_doubt is None:
        return "no counterpart and no recorded doubt", "counterpart_doubt"
    if rec.level is AgreementLevel.INSTITUTIONAL and rec.counterpart_doubt is not None:
        return "an institution-level agreement has no counterpart to doubt", "counterpart_doubt"
    if _blank(rec.counterpart_doubt):
        return "empty text (null where there is none)", "counterpart_doubt"
    if _blank(rec.partner_unit):
        return "empty text (null where there is none)", "partner_unit"
    if not rec.printed.strip():
        return "empty printed text", "printed"
    if rec.source_line < 1:
        return f"source line {rec.source_line} is not positive", "source_line"
    return None


_AGREEMENT_FIELDS = tuple(field.name for field in attrs.fields(Agreement))  # an AgreementRecord's too


def check_agreements(
    records: Sequence[tuple[int, Agreement | AgreementRecord]],
    file: str,
    index: Mapping[str, Institution],
    last_year: int,
) -> list[Agreement]:
    """Each agreement's rules, no agreement twice; returns the agreements with their partners.

    A record is an :class:`Agreement` (from the fast path, its partners
    already found in ``index``) or an :class:`AgreementRecord` (from the
    converter), which is made an agreement once it passes.
    """
    _unique_ids(records, file)
    agreements: list[Agreement] = []
    seen: dict[tuple[object, ...], str] = {}
    for number, rec in records:
        partners = partner_ids(rec)
        problem = _agreement_problem(rec, partners, index, last_year)
        if problem is not None:
            message, field = problem
            raise DatasetError(message, file=file, record=_named(number, rec), field=field)
        key = content_key(rec, partners)
        if key in seen:
            raise DatasetError(
                f"duplicates agreement {seen[key]}", file=file, record=_named(number, rec), field="id"
            )
        seen[key] = rec.id
        if not isinstance(rec, Agreement):  # an AgreementRecord
            fields = {name: getattr(rec, name) for name in _AGREEMENT_FIELDS}
            fields["partners"] = tuple(index[pid] for pid in partners)
            agreements.append(Agreement(**fields))
        else:
            agreements.append(rec)
    return agreements


def check_offices(
    offices: Sequence[tuple[int, Office]], file: str, codes: frozenset[str], last_year: int
) -> None:
    """Unique slug ids, names, known countries, years in range, a predecessor named with its year."""
    _unique_ids(offices, file)
    for number, office in offices:
        if not is_slug(office.id):
            message = f"id {quote(office.id)} is not a slug (such as 'annex-bangkok')"
            raise DatasetError(message, file=file, record=_named(number, office), field="id")
        for field in ("name", "city", "area", "succeeds"):
            if getattr(office, field) is not None and not getattr(office, field).strip():
                raise DatasetError("empty text", file=file, record=_named(number, office), field=field)
        if office.country not in codes:
            message = f"unknown country code {quote(office.country)}"
            raise DatasetError(message, file=file, record=_named(number, office), field="country")
        for field, year in (
            ("established", office.established),
            ("succeeds_established", office.succeeds_established),
        ):
            if year is not None and not FOUNDED <= year <= last_year:
                message = f"year {year} is not between {FOUNDED} and {last_year}"
                raise DatasetError(message, file=file, record=_named(number, office), field=field)
        _check_succession(office, file, number)


def _check_succession(office: Office, file: str, number: int) -> None:
    """An office succeeds another office, established no later than itself."""
    if (office.succeeds is None) != (office.succeeds_established is None):
        message = "succeeds and succeeds_established go together"
        raise DatasetError(message, file=file, record=_named(number, office), field="succeeds")
    if office.succeeds is not None and fold(office.succeeds) == fold(office.name):
        raise DatasetError(
            "an office does not succeed itself", file=file, record=_named(number, office), field="succeeds"
        )
    if office.succeeds_established is not None and office.succeeds_established > office.established:
        message = f"the office it succeeds was established in {office.succeeds_established}, after it"
        raise DatasetError(message, file=file, record=_named(number, office), field="succeeds_established")


def check_budget_lines(lines: Sequence[tuple[int, BudgetLine]], file: str, edition: Edition) -> None:
    """Unique ids, the edition's fiscal year, no negative amount, and the budget's arithmetic."""
    _unique_ids(lines, file)
    for number, line in lines:
        if line.fiscal_year != edition.fiscal_year:
            message = f"fiscal year {line.fiscal_year}, the edition's is {edition.fiscal_year}"
            raise DatasetError(message, file=file, record=_named(number, line), field="fiscal_year")
        if line.amount_million_yen < 0:
            message = f"negative amount {line.amount_million_yen}"
            raise DatasetError(message, file=file, record=_named(number, line), field="amount_million_yen")
    problems = budget_problems(line for _, line in lines)
    if problems:
        where_of = {line.id: _named(number, line) for number, line in lines}
        first = problems[0]
        raise DatasetError(
            "the budget does not balance: " + "; ".join(str(p) for p in problems),
            file=file,
            record=where_of.get(first.line_id or "", first.line_id),
            field=first.field,
        )


def check_corrections(corrections: Sequence[tuple[int, Correction]], file: str, known: set[str]) -> None:
    """Each correction is about a record of the edition, and none is given twice."""
    seen: set[Correction] = set()
    for number, correction in corrections:
        if correction.record not in known:
            message = f"refers to unknown record {quote(correction.record)}"
            raise DatasetError(message, file=file, record=_named(number, correction), field="record")
        if correction in seen:
            raise DatasetError(
                "repeats an earlier correction exactly",
                file=file,
                record=_named(number, correction),
                field="record",
            )
        seen.add(correction)
