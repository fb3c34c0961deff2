"""The fast structuring path gives exactly what the cattrs converter gives, and defers every doubt to it."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tokyotech_partners as ttp
from tokyotech_partners._converter import converter
from tokyotech_partners._fast import structure_fast
from tokyotech_partners._model import Edition
from tokyotech_partners._stored import AgreementRecord
from tokyotech_partners._structurers import agreement
from tokyotech_partners._tables import TABLES
from tokyotech_partners.strategies import datasets


def _pairs(raw: dict[str, Any]) -> list[tuple[dict[str, Any], type]]:
    pairs: list[tuple[dict[str, Any], type]] = [(raw["edition"], Edition)]
    for table in TABLES:
        if table.stored is None:
            pairs += [(record, table.record) for record in raw[table.key]]
    return pairs


def _converters_agreement(record: dict[str, Any], index: dict[str, ttp.Institution]) -> ttp.Agreement:
    """The agreement the converter's AgreementRecord becomes, as the checks make it."""
    stored = converter.structure(record, AgreementRecord)
    fields = {f.name: getattr(stored, f.name) for f in attrs.fields(AgreementRecord)}
    return ttp.Agreement(**{**fields, "partners": tuple(index[pid] for pid in stored.partners)})


def _same_both_ways(raw: dict[str, Any]) -> None:
    raw = json.loads(json.dumps(raw))
    for record, cls in _pairs(raw):
        fast = structure_fast(record, cls)
        assert fast is not None, (cls.__name__, record)
        assert fast == converter.structure(record, cls)
    index = {i.id: i for i in (converter.structure(r, ttp.Institution) for r in raw["institutions"])}
    for record in raw["agreements"]:
        made = agreement(record, index)
        assert made is not None, record
        assert made == _converters_agreement(record, index)


def test_the_packaged_records_take_the_fast_path_and_equal_the_converters() -> None:
    _same_both_ways(ttp.unstructure_dataset(ttp.load()))


@given(datasets())
def test_generated_editions_take_the_fast_path_and_equal_the_converters(dataset: ttp.Dataset) -> None:
    _same_both_ways(ttp.unstructure_dataset(dataset))


def test_a_dataset_loaded_by_either_path_is_the_same(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    from tokyotech_partners import _assemble

    ttp.write_edition(ttp.load(), tmp_path / "edition")
    fast = ttp.load(tmp_path / "edition")
    monkeypatch.setattr(_assemble, "structure_fast", lambda raw, cls: None)  # cattrs for every record
    monkeypatch.setattr(_assemble, "fast_structurer", lambda cls: lambda raw: None)
    monkeypatch.setattr(_assemble, "agreement_fast", lambda raw, institutions: None)
    converted: list[type] = []
    convert = _assemble.convert

    def counted(raw: Any, cls: type, file: str, record: str | int) -> Any:
        converted.append(cls)
        return convert(raw, cls, file, record)

    monkeypatch.setattr(_assemble, "convert", counted)
    assert ttp.load(tmp_path / "edition") == fast == ttp.load()
    assert len(converted) == 1 + sum(len(getattr(fast, table.name)) for table in TABLES)  # all, edition too


_AGREEMENT = ttp.unstructure_dataset(ttp.load())["agreements"][0]
_INDEX = {inst.id: inst for inst in ttp.load().institutions}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("concluded", True),  # a bool is not an int
        ("concluded", 1980.0),
        ("concluded", 2**63),  # beyond 64 bits
        ("printed", 5),
        ("printed", "\udc80"),  # a lone surrogate
        ("exchange_types", ["F", "F"]),  # an element twice
        ("exchange_types", "F"),  # not a list
        ("level", "Institutional"),  # not the value
        ("region", None),
        ("notes", ("a",)),
        ("partner_unit", 3),
    ],
)
def test_anything_unusual_goes_to_the_converter(field: str, value: object) -> None:
    assert agreement(_AGREEMENT, _INDEX) is not None
    assert agreement({**_AGREEMENT, field: value}, _INDEX) is None


def test_unknown_or_missing_keys_go_to_the_converter() -> None:
    assert agreement({**_AGREEMENT, "colour": "red"}, _INDEX) is None
    assert agreement({k: v for k, v in _AGREEMENT.items() if k != "printed"}, _INDEX) is None
    assert agreement([], _INDEX) is None
    assert agreement(_AGREEMENT, _INDEX) is not None
    institution = ttp.unstructure_dataset(ttp.load())["institutions"][0]
    assert structure_fast(institution, ttp.Institution) is not None
    assert structure_fast({**institution, "colour": "red"}, ttp.Institution) is None
    assert structure_fast({k: v for k, v in institution.items() if k != "name"}, ttp.Institution) is None


@given(st.dates())
def test_dates_of_any_year_take_the_fast_path_as_the_converter_does(day: Any) -> None:
    raw = {**ttp.unstructure_dataset(ttp.load())["edition"], "as_of": day.isoformat()}
    fast = structure_fast(raw, Edition)
    if fast is not None:
        assert fast == converter.structure(raw, Edition)


def test_agreements_are_structured_with_their_partners_as_the_converter_and_the_checks_give_them() -> None:
    ds = ttp.load()
    index = {inst.id: inst for inst in ds.institutions}
    raw = ttp.unstructure_dataset(ds)["agreements"]
    assert [agreement(record, index) for record in raw] == list(ds.agreements)
    assert agreement({**raw[0], "partners": ["no-such-institution"]}, index) is None  # the checks name it
    assert agreement({**raw[0], "partners": [5]}, index) is None


def test_the_structurers_are_what_the_tool_writes_from_the_model() -> None:
    import subprocess
    import sys
    from pathlib import Path

    from tokyotech_partners import _structurers

    root = Path(__file__).resolve().parents[1]
    tool = root / "tools" / "build_structurers.py"
    if not tool.exists():
        pytest.skip("the tool is in the repository, not in the wheel")
    written = subprocess.run(
        [sys.executable, str(tool)], check=True, capture_output=True, text=True, encoding="utf-8"
    ).stdout
    assert written == Path(_structurers.__file__).read_text(encoding="utf-8"), (
        "run: python tools/build_structurers.py > src/tokyotech_partners/_structurers.py"
    )


def test_equal_sets_of_exchange_types_and_counterparts_are_one_object() -> None:
    ds = ttp.load()
    for field in ("exchange_types", "counterparts"):
        values = [getattr(a, field) for a in ds.agreements]
        assert len({id(v) for v in values}) == len(set(values)) < len(values)
