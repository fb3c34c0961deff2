"""Serialisation round-trips and immutability, on the real data and on generated data."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given

import tokyotech_partners as ttp
from tokyotech_partners.strategies import agreements, datasets, institutions

PRIMITIVES = (str, int, float, bool, type(None))


def _only_primitives(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _only_primitives(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_only_primitives(v) for v in value)
    return isinstance(value, PRIMITIVES)


def test_packaged_dataset_round_trips(ds: ttp.Dataset) -> None:
    raw = ttp.unstructure_dataset(ds)
    assert _only_primitives(raw)
    again = ttp.structure_dataset(json.loads(json.dumps(raw)))
    assert again == ds
    assert again.agreements == ds.agreements
    assert again.institutions == ds.institutions


def test_unstructured_agreements_match_the_data_file(ds: ttp.Dataset) -> None:
    from importlib import resources

    text = (resources.files("tokyotech_partners") / "data" / "agreements.jsonl").read_text("utf-8")
    stored = [json.loads(line) for line in text.splitlines()]
    raw = ttp.unstructure_dataset(ds)["agreements"]
    assert [dict(sorted(r.items())) for r in raw] == [dict(sorted(r.items())) for r in stored]


@given(datasets())
def test_generated_datasets_round_trip(dataset: ttp.Dataset) -> None:
    raw = ttp.unstructure_dataset(dataset)
    assert _only_primitives(raw)
    assert ttp.structure_dataset(json.loads(json.dumps(raw))) == dataset


@given(institutions())
def test_institution_refuses_mutation(inst: ttp.Institution) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        inst.name = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        inst.extra = 1  # type: ignore[attr-defined]


@given(agreements())
def test_agreement_refuses_mutation(agreement: ttp.Agreement) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        agreement.concluded = 1900  # type: ignore[misc]
    assert isinstance(agreement.partners, tuple)
    assert isinstance(agreement.exchange_types, frozenset)


def test_packaged_records_refuse_mutation(ds: ttp.Dataset) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ds.agreements[0].concluded = 1999  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ds.budget_lines[0].amount_million_yen = 0  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ds.offices[0].city = "Osaka"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ds.agreements = ()  # type: ignore[misc]


def test_write_edition_reproduces_the_packaged_files(ds: ttp.Dataset, tmp_path: Path) -> None:
    from importlib import resources

    from tokyotech_partners._tables import DATA_FILES

    ttp.write_edition(ds, tmp_path)
    packaged = resources.files("tokyotech_partners") / "data"
    for name in DATA_FILES:
        assert (tmp_path / name).read_bytes() == packaged.joinpath(name).read_bytes(), name


@given(datasets())
def test_generated_editions_load_back_from_files(dataset: ttp.Dataset) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        assert ttp.load(ttp.write_edition(dataset, tmp)) == dataset


def test_records_built_by_hand_keep_tuples_and_frozensets(ds: ttp.Dataset) -> None:
    inst = ds.institutions[0]
    agreement = ttp.Agreement(
        id="S-999",
        level=ttp.AgreementLevel.SCHOOL,
        partners=[inst],  # type: ignore[arg-type]
        partner_unit=None,
        counterparts={ttp.Counterpart.ILA},  # type: ignore[arg-type]
        concluded=2000,
        exchange_types=[ttp.ExchangeType.F],  # type: ignore[arg-type]
        region=ttp.Region.ASIA,
        printed="x",
        source_line=1,
        notes=["a note"],  # type: ignore[arg-type]
    )
    assert isinstance(agreement.partners, tuple)
    assert isinstance(agreement.counterparts, frozenset)
    assert isinstance(agreement.exchange_types, frozenset)
    assert agreement.notes == ("a note",)
    assert hash(agreement) == hash(attrs.evolve(agreement))


def test_write_edition_refuses_what_load_would_refuse(ds: ttp.Dataset, tmp_path: Path) -> None:
    from decimal import Decimal

    lines = list(ds.budget_lines)
    lines[1] = attrs.evolve(lines[1], percent=Decimal("55.80"))
    with pytest.raises(ttp.DatasetError) as info:
        ttp.write_edition(attrs.evolve(ds, budget_lines=tuple(lines)), tmp_path / "bad")
    assert (info.value.file, info.value.field) == ("budget.jsonl", "percent")
    assert "55.80" in str(info.value)
    with pytest.raises(ttp.DatasetError) as empty:
        ttp.write_edition(attrs.evolve(ds, corrections=()), tmp_path / "empty")
    assert empty.value.file == "corrections.jsonl"
    assert not (tmp_path / "bad").exists()
    assert not (tmp_path / "empty").exists()


def test_write_edition_refuses_a_lone_surrogate(ds: ttp.Dataset, tmp_path: Path) -> None:
    # Such a string cannot be written as UTF-8: the error is a DatasetError, not UnicodeEncodeError.
    bad = attrs.evolve(ds.institutions[3], name="Bad \udc80 name")
    with pytest.raises(ttp.DatasetError) as info:
        ttp.write_edition(
            attrs.evolve(ds, institutions=(*ds.institutions[:3], bad, *ds.institutions[4:])), tmp_path
        )
    assert (info.value.file, info.value.field) == ("institutions.jsonl", "name")
    assert "surrogate" in str(info.value)
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("field", "value"),
    [("data_version", "banana"), ("data_version", "2021"), ("source_sha256", "abc")],
)
def test_edition_formats_are_checked(ds: ttp.Dataset, field: str, value: str) -> None:
    raw = ttp.unstructure_dataset(ds)
    raw["edition"][field] = value
    with pytest.raises(ttp.DatasetError) as info:
        ttp.structure_dataset(raw)
    assert (info.value.file, info.value.field) == ("edition.json", field)


def test_errors_survive_pickling() -> None:
    import pickle

    errors = [
        ttp.DatasetError("broken", file="agreements.jsonl", record="I-001 (line 1)", field="region"),
        ttp.UnknownValueError("unknown country 'X'", ("Germany",)),
        ttp.InstitutionNotFoundError("no institution", ("MIT",)),
        ttp.MissingExtraError("pandas", "pandas", "to_dataframe"),
    ]
    for error in errors:
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error)
        assert str(again) == str(error)
        assert vars(again) == vars(error)
