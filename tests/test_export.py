"""Flat records, CSV and JSON exports, the data package, pandas and the missing-extra message."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tokyotech_partners as ttp

DS = ttp.load()
PRIMITIVES = (str, int, float, bool, type(None))


@pytest.mark.parametrize(
    "table", ["agreements", "institutions", "offices", "budget_lines", "countries", "corrections"]
)
def test_records_are_flat_primitives(table: str) -> None:
    records = ttp.to_records(getattr(DS, table))
    assert len(records) == len(getattr(DS, table))
    for record in records:
        assert all(isinstance(v, PRIMITIVES) for v in record.values()), record


def _agreement_from_record(record: dict[str, object]) -> tuple[object, ...]:
    """What a record says about an agreement, rebuilt with the library's own types."""

    def split(value: object, separator: str = ttp.CODE_SEPARATOR) -> list[str]:
        if isinstance(value, list):  # JSON: an array
            return [str(v) for v in value]
        return [v for v in str(value or "").split(separator) if v]

    return (
        record["id"],
        ttp.AgreementLevel(record["level"]),
        tuple(DS.institution(i) for i in split(record["partners"])),
        record["partner_unit"] or None,
        frozenset(ttp.Counterpart(c) for c in split(record["counterparts"])),
        int(str(record["concluded"])),
        frozenset(ttp.ExchangeType(t) for t in split(record["exchange_types"])),
        ttp.Region(record["region"]),
        record["printed"],
        int(str(record["source_line"])),
        record["counterpart_doubt"] or None,
        tuple(split(record["notes"], ttp.TEXT_SEPARATOR)),
    )


def _agreement_fields(a: ttp.Agreement) -> tuple[object, ...]:
    return (
        a.id,
        a.level,
        a.partners,
        a.partner_unit,
        a.counterparts,
        a.concluded,
        a.exchange_types,
        a.region,
        a.printed,
        a.source_line,
        a.counterpart_doubt,
        a.notes,
    )


@given(st.lists(st.sampled_from(DS.agreements), max_size=30, unique=True), st.sampled_from(["csv", "json"]))
def test_exported_agreements_read_back_the_same(chosen: list[ttp.Agreement], fmt: str) -> None:
    if fmt == "csv":
        text = ttp.to_csv(chosen)
        rows = list(csv.DictReader(io.StringIO(text))) if text else []
    else:
        rows = json.loads(ttp.to_json(chosen))
    assert [_agreement_from_record(r) for r in rows] == [_agreement_fields(a) for a in chosen]


def test_csv_and_json_files(tmp_path: Path) -> None:
    ttp.to_csv(DS.budget_lines, tmp_path / "budget.csv")
    ttp.to_json(DS.institutions, tmp_path / "institutions.json")
    rows = list(csv.DictReader((tmp_path / "budget.csv").open(encoding="utf-8")))
    assert sum(int(r["amount_million_yen"]) for r in rows if r["kind"] == "total") == 2 * 51_890
    unlabelled = [r for r in rows if r["kind"] == "item" and r["item"] == ""]
    assert len(unlabelled) == 2
    institutions = json.loads((tmp_path / "institutions.json").read_text(encoding="utf-8"))
    assert {i["id"] for i in institutions} == {i.id for i in DS.institutions}


def test_datapackage_is_valid(tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    path = ttp.export_datapackage(DS, tmp_path / "pkg")
    report = frictionless.validate(str(path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    assert descriptor["as_of"] == "2021-05-01"
    names = [r["name"] for r in descriptor["resources"]]
    assert {"agreements", "institutions", "agreement_partners", "offices", "budget_lines"} <= set(names)
    partners = next(r for r in descriptor["resources"] if r["name"] == "agreement_partners")
    assert {fk["reference"]["resource"] for fk in partners["schema"]["foreignKeys"]} == {
        "agreements",
        "institutions",
        "countries",
    }
    rows = list(csv.DictReader((tmp_path / "pkg" / "agreement_partners.csv").open(encoding="utf-8")))
    assert len(rows) == sum(len(a.partners) for a in DS.agreements)


def test_datapackage_detects_a_dangling_partner(tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    path = ttp.export_datapackage(DS, tmp_path / "pkg")
    partners = tmp_path / "pkg" / "agreement_partners.csv"
    partners.write_text(
        partners.read_text(encoding="utf-8") + "I-001,2,no-such-institution,Nowhere,\n", encoding="utf-8"
    )
    assert not frictionless.validate(str(path)).valid


def test_dataframe() -> None:
    pytest.importorskip("pandas")
    frame = ttp.to_dataframe(DS.agreements)
    assert len(frame) == 237
    assert frame.loc[frame["id"] == "I-091", "countries"].item() == "IT"
    budget = ttp.to_dataframe(ttp.reconcile_budget(DS.budget_lines))
    assert budget["balanced"].all()


def test_missing_pandas_gives_one_clear_message() -> None:
    code = (
        "import sys; sys.modules['pandas'] = None\n"
        "import tokyotech_partners as ttp\n"
        "try:\n"
        "    ttp.to_dataframe(ttp.load().offices)\n"
        "except ttp.MissingExtraError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == (
        "to_dataframe needs pandas, which is not installed: "
        "pip install '.[pandas]' in a clone of the repository (the package is not on an index)"
    )


def test_empty_csv_keeps_its_header() -> None:
    assert ttp.to_csv([]) == ""
    header = ttp.to_csv([], kind=ttp.Agreement).strip().split(",")
    assert header == list(ttp.to_records(DS.agreements[:1])[0])
