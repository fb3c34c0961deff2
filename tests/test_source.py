"""The data against the source text it was transcribed from.

These tests read the source file themselves: every agreement row of the print
is accounted for exactly once, the printed cell, year and exchange types agree,
the counterparts follow the documented reading rule, and every departure from
a printed country label is in the corrections log.
"""

from __future__ import annotations

import hashlib
import re

import pytest

import tokyotech_partners as ttp
from tokyotech_partners import AgreementLevel, CorrectionKind, Counterpart

from .conftest import ROOT, SOURCE

YEAR = re.compile(r"(18|19|20)\d\d")
MARKS = {"○", "GSIC", "CITL"}
COLUMNS = [
    Counterpart.SCIENCE,
    Counterpart.ENGINEERING,
    Counterpart.MATERIALS_AND_CHEMICAL_TECHNOLOGY,
    Counterpart.COMPUTING,
    Counterpart.LIFE_SCIENCE_AND_TECHNOLOGY,
    Counterpart.ENVIRONMENT_AND_SOCIETY,
    Counterpart.ILA,
    Counterpart.IIR,
    Counterpart.CENTER,
]


def _lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").split("\n")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def _agreement_rows() -> dict[int, AgreementLevel]:
    """Line number -> level of every row of the source that carries a year cell."""
    rows: dict[int, AgreementLevel] = {}
    level = None
    for number, line in enumerate(_lines(), start=1):
        if "[Institutional-level Agreements]" in line:
            level = AgreementLevel.INSTITUTIONAL
        elif "[School-level Agreements]" in line:
            level = AgreementLevel.SCHOOL
        elif line.startswith("Tokyo Tech ANNEXes"):
            level = None
        if level is not None and any(YEAR.fullmatch(c) for c in _cells(line)):
            rows[number] = level
    return rows


def test_packaged_source_copy_matches_edition(ds: ttp.Dataset) -> None:
    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    assert digest == ds.edition.source_sha256


def test_shared_source_is_unchanged() -> None:
    shared = ROOT.parent / "shared" / "source" / SOURCE.name
    if not shared.exists():
        pytest.skip("no shared/source beside this checkout")
    assert shared.read_bytes() == SOURCE.read_bytes()


def test_headings_print_the_pinned_counts() -> None:
    text = SOURCE.read_text(encoding="utf-8")
    assert "[Institutional-level Agreements] (109 agreements)" in text
    assert "[School-level Agreements] (128 agreements)" in text
    levels = list(_agreement_rows().values())
    assert levels.count(AgreementLevel.INSTITUTIONAL) == 109
    assert levels.count(AgreementLevel.SCHOOL) == 128


def test_every_source_row_is_accounted_for_exactly_once(ds: ttp.Dataset) -> None:
    rows = _agreement_rows()
    used = [a.source_line for a in ds.agreements]
    assert len(used) == len(set(used)), "two agreements claim the same source row"
    assert set(used) == set(rows)
    for a in ds.agreements:
        assert rows[a.source_line] is a.level, a.id


def test_printed_year_and_exchange_are_on_the_row(ds: ttp.Dataset) -> None:
    lines = _lines()
    for a in ds.agreements:
        cells = _cells(lines[a.source_line - 1])
        assert a.printed in cells, a.id
        year_at = cells.index(str(a.concluded))
        printed_types = cells[year_at + 1].replace("·", " ").split()
        assert {ttp.ExchangeType(t) for t in printed_types} == a.exchange_types, a.id


def _read_counterparts(cells: list[str], printed: str) -> tuple[frozenset[Counterpart], bool]:
    """The documented reading rule; returns the counterparts and whether the reading is certain."""
    name_at = cells.index(printed)
    year_at = next(i for i, c in enumerate(cells) if YEAR.fullmatch(c))
    between = cells[name_at + 1 : year_at]
    certain = name_at == 1  # a name outside its own column means the row is shifted
    if name_at == 0 and len(between) > len(COLUMNS) and between[0] == "":
        between = between[1:]  # the name moved into the country column; its own cell stayed empty
        certain = False
    if len(between) != len(COLUMNS):
        certain = False
    found: set[Counterpart] = set()
    for position, cell in enumerate(between):
        if cell in ("GSIC", "CITL"):
            found.add(Counterpart(cell))
        elif cell == "○":
            found.add(COLUMNS[position])
        else:
            assert cell == "", (printed, cell)
    if not found:
        certain = False
    return frozenset(found), certain


def test_counterparts_follow_the_reading_rule(ds: ttp.Dataset) -> None:
    lines = _lines()
    school = [a for a in ds.agreements if a.level is AgreementLevel.SCHOOL]
    for a in school:
        counterparts, certain = _read_counterparts(_cells(lines[a.source_line - 1]), a.printed)
        assert a.counterparts == counterparts, a.id
        if not certain:
            assert a.counterparts_uncertain, f"{a.id}: uncertain reading not recorded"


def test_uncertain_readings_are_in_the_corrections_log(ds: ttp.Dataset) -> None:
    logged = {c.record for c in ds.corrections if c.kind is CorrectionKind.COUNTERPART}
    uncertain = {a.id for a in ds.agreements if a.counterparts_uncertain}
    assert uncertain == logged


def test_counterpart_marks_are_all_counted() -> None:
    # every mark in the school-level tables belongs to exactly one agreement row
    rows = _agreement_rows()
    marks = sum(
        sum(c in MARKS for c in _cells(line))
        for number, line in enumerate(_lines(), start=1)
        if rows.get(number) is AgreementLevel.SCHOOL
    )
    assert marks == sum(len(a.counterparts) for a in ttp.load().agreements)


def _printed_labels() -> dict[int, str | None]:
    """For each agreement row: the country label printed on it or nearest above it."""
    countries = {label for c in ttp.load().countries for label in c.labels} | {"Consortium"}
    headings = {r.value for r in ttp.Region}
    out: dict[int, str | None] = {}
    current: str | None = None
    heading: str | None = None
    rows = _agreement_rows()
    for number, line in enumerate(_lines(), start=1):
        cells = _cells(line)
        filled = [c for c in cells if c]
        if filled and filled[0] in headings:
            if filled[0] != heading:
                current = None
            heading = filled[0]
            continue
        label = next((c for c in cells[:2] if c in countries), None)
        if label is not None:
            current = label
        if number in rows:
            out[number] = current
    return out


def test_country_departures_are_logged(ds: ttp.Dataset) -> None:
    code_of = {label: c.code for c in ds.countries for label in c.labels}
    labels = _printed_labels()
    for a in ds.agreements:
        label = labels[a.source_line]
        if label is None and len(a.partners) > 1:
            continue
        naive = code_of.get(label) if label else None
        for partner in a.partners:
            if partner.country != naive:
                logged = [
                    c
                    for c in ds.corrections
                    if c.record == a.id
                    and c.field == "partners[].country"
                    and c.recorded.startswith(partner.name)
                ]
                assert logged, f"{a.id}: {partner.name} is {partner.country}, label reads {label}"


def test_renamed_partners_are_logged(ds: ttp.Dataset) -> None:
    # A partner whose recorded name is not in the printed cell was respelt: the log must say so.
    spelled = {(c.record, c.recorded) for c in ds.corrections if c.kind is CorrectionKind.SPELLING}
    renamed = [(a.id, p.name) for a in ds.agreements for p in a.partners if p.name not in a.printed]
    assert renamed, "the source has misspellings; none found means this test lost its grip"
    for record, name in renamed:
        assert (record, name) in spelled, (record, name)


def test_corrections_log_in_repository_is_current(ds: ttp.Dataset) -> None:
    from ttp_corrections import render_markdown

    committed = (ROOT / "CORRECTIONS.md").read_text(encoding="utf-8")
    assert committed == render_markdown(ds), "run: python docs/_ext/ttp_corrections.py > CORRECTIONS.md"
