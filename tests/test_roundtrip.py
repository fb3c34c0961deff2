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

    from tokyotech_partners._dataset import DATA_FILES

    ttp.write_edition(ds, tmp_path)
    packaged = resources.files("tokyotech_partners") / "data"
    for name in DATA_FILES:
        assert (tmp_path / name).read_bytes() == packaged.joinpath(name).read_bytes(), name


@given(datasets())
def test_generated_editions_load_back_from_files(dataset: ttp.Dataset) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        assert ttp.load(ttp.write_edition(dataset, tmp)) == dataset
