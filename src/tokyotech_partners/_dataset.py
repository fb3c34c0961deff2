"""Reading, validating and holding one edition of the dataset."""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import re
import sys
import threading
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import attrs

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:  # pragma: no cover -- Python 3.10
    from importlib.abc import Traversable

from . import _query
from ._budget import budget_problems
from ._converter import AgreementRecord, converter, structure_errors
from ._errors import DatasetError
from ._model import (
    Agreement,
    AgreementLevel,
    BudgetLine,
    Correction,
    Country,
    Edition,
    Institution,
    Office,
)

__all__ = [
    "DATA_FILES",
    "FOUNDED",
    "Dataset",
    "load",
    "structure_dataset",
    "unstructure_dataset",
    "write_edition",
]

#: Tokyo Tech's founding year: no agreement or office can predate it.
FOUNDED = 1881

#: The files of an edition, in the order they are read.
DATA_FILES = (
    "edition.json",
    "countries.jsonl",
    "institutions.jsonl",
    "agreements.jsonl",
    "offices.jsonl",
    "budget.jsonl",
    "corrections.jsonl",
)

_DATA_VERSION = re.compile(r"[0-9]{4}\.[0-9]+")
_SHA256 = re.compile(r"[0-9a-f]{64}")

#: A data file larger than this is refused before it is parsed.
MAX_FILE_BYTES = 64 * 1024 * 1024

T = TypeVar("T")


def _by_id(items: tuple[Any, ...]) -> dict[str, Any]:
    return {item.id: item for item in items}


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
    _institution_index: Mapping[str, Institution] = attrs.field(init=False, repr=False)
    _agreements_by_institution: Mapping[str, tuple[Agreement, ...]] = attrs.field(init=False, repr=False)
    _folded_names: tuple[tuple[str, Institution], ...] | None = attrs.field(
        init=False, default=None, repr=False
    )

    def __attrs_post_init__(self) -> None:
        by_institution: dict[str, list[Agreement]] = {i.id: [] for i in self.institutions}
        for agreement in self.agreements:
            for partner in agreement.partners:
                by_institution.setdefault(partner.id, []).append(agreement)
        object.__setattr__(self, "_institution_index", _by_id(self.institutions))
        object.__setattr__(
            self,
            "_agreements_by_institution",
            {key: tuple(value) for key, value in by_institution.items()},
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return unstructure_dataset(self) == unstructure_dataset(other)

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

        >>> import tokyotech_partners as ttp
        >>> ttp.load().institution("mit").name
        'Massachusetts Institute of Technology'
        """
        try:
            return self._institution_index[id]
        except KeyError:
            raise KeyError(f"no institution has the id {id!r}") from None

    def agreements_of(self, institution: Institution | str) -> tuple[Agreement, ...]:
        """Every agreement the institution (or institution id) is a partner of.

        >>> import tokyotech_partners as ttp
        >>> [a.id for a in ttp.load().agreements_of("tsinghua-university")]
        ['I-002', 'S-002']
        """
        key = institution if isinstance(institution, str) else institution.id
        if key not in self._agreements_by_institution:
            raise KeyError(f"no institution has the id {key!r}")
        return self._agreements_by_institution[key]

    def folded_names(self) -> tuple[tuple[str, Institution], ...]:
        """Every id, name and alias folded for matching, with its institution (built once)."""
        if self._folded_names is None:
            pairs = tuple(
                (_query.fold(key), inst) for inst in self.institutions for key in (inst.id, *inst.names)
            )
            object.__setattr__(self, "_folded_names", pairs)
            return pairs
        return self._folded_names

    def agreements_where(
        self,
        *,
        level: _query.LevelFilter | None = None,
        country: _query.CountryFilter | None = None,
        region: _query.RegionFilter | None = None,
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
        or ``"School of Engineering"``, ``region="Europe"``); ``country`` takes
        an alpha-2 code, an English name or the source's label (``"DE"``,
        ``"Germany"``, ``"U.K."``) and matches an agreement with any partner in
        that country; ``partner`` takes an :class:`Institution`, an id or a
        name. Several values for one filter mean any of them; filters combine
        as "and"; ``since`` and ``until`` are inclusive years. A value that
        matches nothing that exists raises :class:`UnknownValueError`, which
        suggests the closest valid values.

        >>> import tokyotech_partners as ttp
        >>> ds = ttp.load()
        >>> [a.id for a in ds.agreements_where(country="Germany", exchange="S", since=2016)]
        ['S-081', 'S-082', 'S-083', 'S-084', 'S-128']
        >>> len(ds.agreements_where(level="school", counterpart=["GSIC", "CITL"]))
        6
        >>> ds.agreements_where(country="Germny")
        Traceback (most recent call last):
        ...
        tokyotech_partners.UnknownValueError: unknown country 'Germny'; did you mean 'Germany'?
        """
        return _query.agreements_where(
            self,
            level=level,
            country=country,
            region=region,
            exchange=exchange,
            counterpart=counterpart,
            since=since,
            until=until,
            partner=partner,
        )

    def lookup_institution(self, text: str) -> Institution:
        """The institution whose id, name, alias or acronym is ``text``.

        Case, accents and punctuation are ignored. If none matches, raises
        :class:`InstitutionNotFoundError` (a :class:`LookupError`) naming the
        closest institutions.

        >>> import tokyotech_partners as ttp
        >>> ds = ttp.load()
        >>> ds.lookup_institution("epfl").name
        'École Polytechnique Fédérale de Lausanne'
        >>> ds.lookup_institution("national chiao tung university").id
        'nycu'
        >>> ds.lookup_institution("Boreskov Institute of Catalisis")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        tokyotech_partners.InstitutionNotFoundError: no institution is called \
'Boreskov Institute of Catalisis'; did you mean 'Boreskov Institute of Catalysis', ...?
        """
        return _query.lookup_institution(self, text)

    def search_institutions(self, text: str, limit: int | None = 10) -> tuple[Institution, ...]:
        """Institutions ranked by how well their id, name or an alias matches ``text``.

        Exact matches first, then prefixes, substrings, shared words and similar
        spellings; ties are broken by name, then id, so the order is stable.

        >>> import tokyotech_partners as ttp
        >>> [i.id for i in ttp.load().search_institutions("oxford cambridge", limit=3)]
        ['university-of-cambridge', 'churchill-college-cambridge', 'university-of-oxford']
        """
        return tuple(_query.search_institutions(self, text, limit))

    def country_name(self, code: str | None) -> str:
        """The English short name of an alpha-2 code (``None``: "multinational")."""
        if code is None:
            return "multinational"
        for country in self.countries:
            if country.code == code:
                return country.name
        raise KeyError(f"no country has the code {code!r}")


# --------------------------------------------------------------------- reading


def _read_text(root: Traversable, name: str) -> str:
    entry = root.joinpath(name)
    try:
        if not entry.is_file():
            raise DatasetError("the file is missing", file=name)
        with entry.open("rb") as handle:  # never more than the limit in memory
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise DatasetError(f"cannot be read ({exc.strerror or exc})", file=name) from exc
    if len(data) > MAX_FILE_BYTES:
        raise DatasetError(f"is more than the {MAX_FILE_BYTES} bytes allowed", file=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DatasetError(f"is not UTF-8 (byte {exc.start})", file=name, record=f"line {line}") from exc
    if not text.strip():
        raise DatasetError("the file is empty", file=name)
    return text


class _RepeatedKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(f"repeated key {key!r}")
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict, refusing a key given twice (``json`` would keep the last)."""
    value = dict(pairs)
    if len(value) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _RepeatedKeyError(key)
            seen.add(key)
    return value


def _decoder() -> json.JSONDecoder:
    # One per file read, not one per module: a decoder's scanner is not meant to be shared by threads.
    return json.JSONDecoder(object_pairs_hook=_object)


def _json_value(text: str, file: str, record: str, decoder: json.JSONDecoder) -> Any:
    try:
        return decoder.decode(text)
    except _RepeatedKeyError as exc:
        message = f"gives the key {exc.key!r} twice"
        raise DatasetError(message, file=file, record=record, field=exc.key) from exc
    except (ValueError, RecursionError) as exc:  # ValueError: also an integer of more than 4300 digits
        detail = (
            exc.msg
            if isinstance(exc, json.JSONDecodeError)
            else str(exc)
            if isinstance(exc, ValueError)
            else "nested too deeply"
        )
        raise DatasetError(f"is not valid JSON ({detail})", file=file, record=record) from exc


def _read_jsonl(root: Traversable, name: str) -> list[tuple[str, dict[str, Any]]]:
    text = _read_text(root, name)
    if not text.endswith("\n"):
        raise DatasetError(
            "does not end with a newline: the file looks truncated",
            file=name,
            record=f"line {text.count(chr(10)) + 1}",
        )
    rows: list[tuple[str, dict[str, Any]]] = []
    decoder = _decoder()
    for number, line in enumerate(text.split("\n")[:-1], start=1):
        where = f"line {number}"
        if not line.strip():
            raise DatasetError("is blank", file=name, record=where)
        rows.append(_named_record(_json_value(line, name, where, decoder), number, name))
    return rows


def _named_record(value: object, number: int, file: str) -> tuple[str, dict[str, Any]]:
    """A record and how errors name it: by its id where it has one, with its line number."""
    if not isinstance(value, dict):
        raise DatasetError("is not a JSON object", file=file, record=f"line {number}")
    if isinstance(value.get("id"), str):
        return f"{value['id']} (line {number})", value
    return f"line {number}", value


def _structure(raw: Any, cls: type[T], file: str, record: str) -> T:
    try:
        return converter.structure(raw, cls)
    except Exception as exc:
        message, field = structure_errors(exc)[0]
        raise DatasetError(message, file=file, record=record, field=field) from exc


def _structure_rows(rows: list[tuple[str, dict[str, Any]]], cls: type[T], file: str) -> list[tuple[str, T]]:
    return [(where, _structure(raw, cls, file, where)) for where, raw in rows]


def _unique_ids(items: list[tuple[str, Any]], file: str) -> None:
    seen: set[str] = set()
    for where, item in items:
        if item.id in seen:
            raise DatasetError(f"duplicate id {item.id!r}", file=file, record=where, field="id")
        seen.add(item.id)


def structure_dataset(raw: Mapping[str, Any]) -> Dataset:
    """Build and validate a :class:`Dataset` from unstructured data.

    ``raw`` maps each of :data:`DATA_FILES` (without extension: ``edition``,
    ``countries``, ...) to its content: a dict for the edition, a list of
    dicts for the others, as :func:`unstructure_dataset` returns them.
    Every defect raises :class:`DatasetError`.
    """
    files = {name.split(".")[0]: name for name in DATA_FILES}

    def rows(key: str) -> list[tuple[str, dict[str, Any]]]:
        value = raw.get(key)
        if not isinstance(value, list):
            raise DatasetError("expected a list of records", file=files[key])
        return [_named_record(item, number, files[key]) for number, item in enumerate(value, start=1)]

    if not isinstance(raw.get("edition"), dict):
        raise DatasetError("expected a JSON object", file=files["edition"])
    return _assemble(
        _structure(raw["edition"], Edition, files["edition"], "edition"),
        {key: rows(key) for key in files if key != "edition"},
    )


def _assemble(edition: Edition, raw_rows: Mapping[str, list[tuple[str, dict[str, Any]]]]) -> Dataset:
    """Structure every table, resolve references and check the whole."""
    for name in DATA_FILES[1:]:
        if not raw_rows[name.split(".")[0]]:
            raise DatasetError("has no records: every table of an edition has at least one", file=name)
    if not _DATA_VERSION.fullmatch(edition.data_version):
        raise DatasetError(
            f"data version {edition.data_version!r} is not YEAR.N (such as '2021.1')",
            file="edition.json",
            record="edition",
            field="data_version",
        )
    if not _SHA256.fullmatch(edition.source_sha256):
        raise DatasetError(
            "source_sha256 is not 64 lowercase hexadecimal digits",
            file="edition.json",
            record="edition",
            field="source_sha256",
        )
    last_year = edition.as_of.year
    if edition.fiscal_year < FOUNDED or edition.fiscal_year > last_year + 1:
        raise DatasetError(
            f"fiscal year {edition.fiscal_year} is out of range",
            file="edition.json",
            record="edition",
            field="fiscal_year",
        )

    countries = _structure_rows(raw_rows["countries"], Country, "countries.jsonl")
    codes: set[str] = set()
    for where, country in countries:
        if len(country.code) != 2 or not country.code.isascii() or not country.code.isupper():
            raise DatasetError(
                f"{country.code!r} is not an ISO 3166-1 alpha-2 code",
                file="countries.jsonl",
                record=where,
                field="code",
            )
        if country.code in codes:
            raise DatasetError(
                f"duplicate code {country.code!r}",
                file="countries.jsonl",
                record=where,
                field="code",
            )
        codes.add(country.code)

    institutions = _structure_rows(raw_rows["institutions"], Institution, "institutions.jsonl")
    _unique_ids(institutions, "institutions.jsonl")
    for where, inst in institutions:
        if inst.country is not None and inst.country not in codes:
            raise DatasetError(
                f"unknown country code {inst.country!r}",
                file="institutions.jsonl",
                record=where,
                field="country",
            )
        if not inst.name.strip():
            raise DatasetError("empty name", file="institutions.jsonl", record=where, field="name")
    index = {inst.id: inst for _, inst in institutions}

    records = _structure_rows(raw_rows["agreements"], AgreementRecord, "agreements.jsonl")
    _unique_ids(records, "agreements.jsonl")
    agreements: list[Agreement] = []
    seen_content: dict[tuple[Any, ...], str] = {}
    for where, rec in records:

        def fail(message: str, field: str, where: str = where) -> DatasetError:
            return DatasetError(message, file="agreements.jsonl", record=where, field=field)

        if not rec.partners:
            raise fail("an agreement needs at least one partner", "partners")
        if len(set(rec.partners)) != len(rec.partners):
            raise fail("a partner is listed twice", "partners")
        for position, pid in enumerate(rec.partners):
            if pid not in index:
                raise fail(f"unknown institution id {pid!r}", f"partners[{position}]")
        if not FOUNDED <= rec.concluded <= last_year:
            raise fail(f"year {rec.concluded} is not between {FOUNDED} and {last_year}", "concluded")
        if not rec.exchange_types:
            raise fail("no type of exchange", "exchange_types")
        if rec.level is AgreementLevel.INSTITUTIONAL and rec.counterparts:
            raise fail("an institution-level agreement has no Tokyo Tech counterpart", "counterparts")
        if rec.level is AgreementLevel.SCHOOL and not rec.counterparts and rec.counterpart_doubt is None:
            raise fail("no counterpart and no recorded doubt", "counterpart_doubt")
        if not rec.printed.strip():
            raise fail("empty printed text", "printed")
        if rec.source_line < 1:
            raise fail(f"source line {rec.source_line} is not positive", "source_line")
        content = (
            rec.level,
            rec.partners,
            rec.partner_unit,
            rec.counterparts,
            rec.concluded,
            rec.exchange_types,
        )
        if content in seen_content:
            raise fail(f"duplicates agreement {seen_content[content]}", "id")
        seen_content[content] = rec.id
        agreements.append(
            Agreement(
                id=rec.id,
                level=rec.level,
                partners=tuple(index[pid] for pid in rec.partners),
                partner_unit=rec.partner_unit,
                counterparts=rec.counterparts,
                concluded=rec.concluded,
                exchange_types=rec.exchange_types,
                region=rec.region,
                printed=rec.printed,
                source_line=rec.source_line,
                counterpart_doubt=rec.counterpart_doubt,
                notes=rec.notes,
            )
        )

    offices = _structure_rows(raw_rows["offices"], Office, "offices.jsonl")
    _unique_ids(offices, "offices.jsonl")
    for where, office in offices:
        if office.country not in codes:
            raise DatasetError(
                f"unknown country code {office.country!r}",
                file="offices.jsonl",
                record=where,
                field="country",
            )
        for field, year in (
            ("established", office.established),
            ("succeeds_established", office.succeeds_established),
        ):
            if year is not None and not FOUNDED <= year <= last_year:
                raise DatasetError(
                    f"year {year} is not between {FOUNDED} and {last_year}",
                    file="offices.jsonl",
                    record=where,
                    field=field,
                )
        if (office.succeeds is None) != (office.succeeds_established is None):
            raise DatasetError(
                "succeeds and succeeds_established go together",
                file="offices.jsonl",
                record=where,
                field="succeeds",
            )

    budget = _structure_rows(raw_rows["budget"], BudgetLine, "budget.jsonl")
    _unique_ids(budget, "budget.jsonl")
    for where, line in budget:
        if line.fiscal_year != edition.fiscal_year:
            raise DatasetError(
                f"fiscal year {line.fiscal_year}, the edition's is {edition.fiscal_year}",
                file="budget.jsonl",
                record=where,
                field="fiscal_year",
            )
        if line.amount_million_yen < 0:
            raise DatasetError(
                f"negative amount {line.amount_million_yen}",
                file="budget.jsonl",
                record=where,
                field="amount_million_yen",
            )
    problems = budget_problems(line for _, line in budget)
    if problems:
        where_of = {line.id: where for where, line in budget}
        first = problems[0]
        raise DatasetError(
            "the budget does not balance: " + "; ".join(str(p) for p in problems),
            file="budget.jsonl",
            record=where_of.get(first.line_id or "", first.line_id),
            field=first.field,
        )

    corrections = _structure_rows(raw_rows["corrections"], Correction, "corrections.jsonl")
    known = {a.id for a in agreements} | set(index) | {b.id for _, b in budget} | {o.id for _, o in offices}
    for where, corr in corrections:
        if corr.record not in known:
            raise DatasetError(
                f"refers to unknown record {corr.record!r}",
                file="corrections.jsonl",
                record=where,
                field="record",
            )

    return Dataset(
        edition=edition,
        countries=tuple(c for _, c in countries),
        institutions=tuple(i for _, i in institutions),
        agreements=tuple(agreements),
        offices=tuple(o for _, o in offices),
        budget_lines=tuple(b for _, b in budget),
        corrections=tuple(c for _, c in corrections),
    )


def unstructure_dataset(dataset: Dataset) -> dict[str, Any]:
    """The dataset as JSON primitives, one key per data file (see :func:`structure_dataset`)."""
    return {
        "edition": converter.unstructure(dataset.edition),
        "countries": converter.unstructure(dataset.countries),
        "institutions": converter.unstructure(dataset.institutions),
        "agreements": converter.unstructure(dataset.agreements),
        "offices": converter.unstructure(dataset.offices),
        "budget": converter.unstructure(dataset.budget_lines),
        "corrections": converter.unstructure(dataset.corrections),
    }


def write_edition(dataset: Dataset, directory: str | os.PathLike[str]) -> Path:
    """Write ``dataset`` in the layout :func:`load` reads; return the directory.

    ``edition.json`` and one JSON Lines file per table (see :data:`DATA_FILES`),
    UTF-8, one record per line in the dataset's order, each file ending in a
    newline: the packaged edition is written exactly this way, so a new edition
    can start as a copy of it. The dataset is validated first, as :func:`load`
    would validate the files, and a defect raises :class:`DatasetError` before
    anything is written. The directory is created if needed; existing data
    files in it are replaced.

    >>> import tempfile, tokyotech_partners as ttp
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     ttp.load(ttp.write_edition(ttp.load(), tmp)) == ttp.load()
    True
    """
    raw = unstructure_dataset(dataset)
    structure_dataset(raw)  # refuse to write what load() would refuse to read
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    (out / "edition.json").write_text(
        json.dumps(raw["edition"], ensure_ascii=False, indent=2) + "\n", encoding="utf-8", newline="\n"
    )
    for name in DATA_FILES[1:]:
        rows = raw[name.split(".")[0]]
        text = "".join(json.dumps(row, ensure_ascii=False, separators=(", ", ": ")) + "\n" for row in rows)
        (out / name).write_text(text, encoding="utf-8", newline="\n")
    return out


def _read(root: Traversable) -> Dataset:
    # Loading allocates many small objects and frees none of them; pausing the cyclic
    # garbage collector meanwhile keeps load time linear in the size of the edition
    # (docs/performance.md). It is switched back on however the load ends.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_unpaused(root)
    finally:
        if was_enabled:
            gc.enable()


def _read_unpaused(root: Traversable) -> Dataset:
    edition_raw = _json_value(_read_text(root, "edition.json"), "edition.json", "edition", _decoder())
    if not isinstance(edition_raw, dict):
        raise DatasetError("is not a JSON object", file="edition.json")
    edition = _structure(edition_raw, Edition, "edition.json", "edition")
    return _assemble(
        edition,
        {name.split(".")[0]: _read_jsonl(root, name) for name in DATA_FILES[1:]},
    )


_LOCK = threading.Lock()
_PACKAGED: Dataset | None = None


def load(path: str | os.PathLike[str] | None = None) -> Dataset:
    """The dataset: the packaged edition, or the edition in directory ``path``.

    The packaged edition is read on the first call and the same object is
    returned afterwards (safe from several threads). An edition from ``path``
    is read afresh on every call. Every defect raises :class:`DatasetError`.

    >>> import tokyotech_partners as ttp
    >>> ds = ttp.load()
    >>> ds is ttp.load(), ds.as_of, len(ds.agreements)
    (True, datetime.date(2021, 5, 1), 237)
    """
    global _PACKAGED
    if path is not None:
        root = Path(path)
        if not root.is_dir():
            raise DatasetError(f"{os.fspath(path)!r} is not a directory")
        return _read(root)
    if _PACKAGED is None:
        with _LOCK:
            if _PACKAGED is None:
                _PACKAGED = _read(resources.files("tokyotech_partners") / "data")
    return _PACKAGED
