"""Pinned counts and per-record invariants of the packaged dataset."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter

import attrs
import pytest

import tokyotech_partners as ttp
from tokyotech_partners import AgreementLevel, Counterpart, LineKind

MODEL_CLASSES = (
    ttp.Agreement,
    ttp.Institution,
    ttp.Office,
    ttp.BudgetLine,
    ttp.Country,
    ttp.Correction,
    ttp.Edition,
)


def test_load_returns_the_same_object(ds: ttp.Dataset) -> None:
    assert ttp.load() is ds


def test_edition(ds: ttp.Dataset) -> None:
    assert ds.as_of == dt.date(2021, 5, 1)
    assert ds.fiscal_year == 2021
    assert ds.edition.source_file == "international-collaboration-and-budget-2021.txt"


def test_pinned_counts(ds: ttp.Dataset) -> None:
    by_level = Counter(a.level for a in ds.agreements)
    assert by_level[AgreementLevel.INSTITUTIONAL] == 109
    assert by_level[AgreementLevel.SCHOOL] == 128
    assert len(ds.agreements) == 237
    assert len(ds.offices) == 5
    assert Counter(o.kind for o in ds.offices) == {
        ttp.OfficeKind.ANNEX: 2,
        ttp.OfficeKind.OVERSEAS_OFFICE: 3,
    }


def test_ids_are_unique_and_in_source_order(ds: ttp.Dataset) -> None:
    ids = [a.id for a in ds.agreements]
    assert ids == [f"I-{k:03d}" for k in range(1, 110)] + [f"S-{k:03d}" for k in range(1, 129)]
    assert len({i.id for i in ds.institutions}) == len(ds.institutions)
    lines = [a.source_line for a in ds.agreements]
    assert lines[:109] == sorted(lines[:109])
    assert lines[109:] == sorted(lines[109:])


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_one_institution_per_name(ds: ttp.Dataset) -> None:
    # Two records whose names or aliases fold to the same text would be one institution twice.
    # Only a name in common use may be shared, and then it is ambiguous (tests/test_names.py).
    owners: dict[str, str] = {}
    for inst in ds.institutions:
        for name in {_fold(n) for n in (inst.name, *inst.aliases)}:
            assert owners.setdefault(name, inst.id) == inst.id, (name, owners[name], inst.id)


def test_every_institution_has_an_agreement(ds: ttp.Dataset) -> None:
    assert all(ds.agreements_of(i) for i in ds.institutions)


@pytest.mark.parametrize(
    ("institution", "expected"),
    [
        ("tsinghua-university", ["I-002", "S-002"]),
        ("nycu", ["I-037", "S-031", "S-032", "S-033", "S-034", "S-035"]),
        ("mit", ["S-051", "S-052", "S-053"]),
        ("university-of-oxford", ["S-114", "S-115", "S-116"]),
        ("sorbonne-university", ["S-067", "S-068"]),
        ("eth-zurich", ["I-100", "S-124"]),
        ("seoul-national-university", ["I-025", "S-127"]),
        ("lomonosov-moscow-state-university", ["I-095", "S-099", "S-100", "S-101"]),
    ],
)
def test_repeated_institutions_are_one_record(ds: ttp.Dataset, institution: str, expected: list[str]) -> None:
    assert [a.id for a in ds.agreements_of(institution)] == expected


@pytest.mark.parametrize(
    ("agreement", "country"),
    [
        ("I-091", "IT"),  # Sapienza, printed beside "Netherlands"
        ("I-099", "SE"),  # Uppsala, printed beside "Switzerland"
        ("I-101", "CH"),  # EPFL, printed beside "U.K."
        ("I-102", "CH"),  # University of Zurich, under the displaced "U.K."
        ("I-016", "ID"),  # Bandung, under "India"
        ("I-019", "KR"),  # KAIST, under "Indonesia"
        ("I-031", "SG"),  # NUS, under "Philippines"
        ("I-034", "TW"),  # National Cheng Kung, under "Singapore"
        ("S-015", "ID"),  # Bandung, printed beside "Korea"
        ("S-039", "TH"),  # Thammasat, above the "Thailand" label
        ("S-085", "IS"),  # Reykjavik, under "Germany"
        ("S-086", "IT"),  # Messina, under "Germany"
    ],
)
def test_displaced_labels_are_corrected(ds: ttp.Dataset, agreement: str, country: str) -> None:
    (a,) = [a for a in ds.agreements if a.id == agreement]
    assert a.countries == {country}
    assert any(c.record == agreement and c.kind is ttp.CorrectionKind.COUNTRY for c in ds.corrections)


def test_label_inside_the_name_column(ds: ttp.Dataset) -> None:
    (cambodia,) = [a for a in ds.agreements if a.id == "I-014"]
    assert cambodia.printed == "Institute of Technology of Cambodia"
    assert cambodia.countries == {"KH"}


def test_multi_party_agreements(ds: ttp.Dataset) -> None:
    parties = {a.id: [p.id for p in a.partners] for a in ds.agreements if len(a.partners) > 1}
    assert parties["S-124"] == ["ut-battelle", "eth-zurich"]
    assert parties["S-123"] == ["university-of-bristol", "kyoto-university"]
    assert len(parties["S-096"]) == 8
    assert set(parties) == {"S-010", "S-069", "S-096", "S-123", "S-124", "S-127", "S-128"}


def test_footnotes_are_data(ds: ttp.Dataset) -> None:
    grandes = sorted(i.id for i in ds.institutions if i.grande_ecole)
    assert grandes == [
        "arts-et-metiers-paristech",
        "ecole-des-ponts-paristech",
        "ecole-polytechnique",
        "mines-paristech",
    ]
    assert any("7 institutions" in n for n in ds.institution("paristech").notes)
    nycu = ds.institution("nycu")
    assert nycu.former_names == ("National Chiao Tung University",)
    assert ds.institution("sorbonne-university").former_names == ("UPMC",)


def test_every_agreement_invariant(ds: ttp.Dataset) -> None:
    for a in ds.agreements:
        assert 1881 <= a.concluded <= ds.as_of.year, a.id
        assert a.exchange_types, a.id
        assert a.partners, a.id
        assert a.printed.strip() == a.printed, a.id
        if a.level is AgreementLevel.INSTITUTIONAL:
            assert a.counterparts == frozenset(), a.id
            assert a.counterpart_doubt is None, a.id
            assert a.id.startswith("I-")
        else:
            assert a.id.startswith("S-")
            assert a.counterparts or a.counterparts_uncertain, a.id
        assert all(p is ds.institution(p.id) for p in a.partners), a.id


def test_every_institution_invariant(ds: ttp.Dataset) -> None:
    codes = {c.code for c in ds.countries}
    for inst in ds.institutions:
        assert inst.country is None or inst.country in codes, inst.id
        assert inst.name not in inst.aliases, inst.id
        assert set(inst.former_names) <= set(inst.aliases), inst.id
        assert len(set(inst.aliases)) == len(inst.aliases), inst.id
    multinational = sorted(i.id for i in ds.institutions if i.country is None)
    assert multinational == [
        "aotule",
        "aspire-league",
        "generation-iv-international-forum",
        "ipresca",
        "jrc-european-commission",
        "mamaself",
        "njarc",
    ]


def test_uncertain_counterparts_without_marks(ds: ttp.Dataset) -> None:
    unmarked = sorted(a.id for a in ds.agreements if a.level is AgreementLevel.SCHOOL and not a.counterparts)
    assert unmarked == ["S-037", "S-047", "S-058"]
    assert all(ds.agreements[[x.id for x in ds.agreements].index(i)].counterparts_uncertain for i in unmarked)


def test_named_centres(ds: ttp.Dataset) -> None:
    gsic = sorted(a.id for a in ds.agreements if Counterpart.GSIC in a.counterparts)
    citl = sorted(a.id for a in ds.agreements if Counterpart.CITL in a.counterparts)
    assert gsic == ["S-028", "S-045", "S-124"]
    assert citl == ["S-060", "S-063", "S-106"]


def test_offices(ds: ttp.Dataset) -> None:
    bangkok = next(o for o in ds.offices if o.id == "annex-bangkok")
    assert (bangkok.country, bangkok.established) == ("TH", 2018)
    assert (bangkok.succeeds, bangkok.succeeds_established) == ("Tokyo Tech Thailand Office", 2002)
    assert sorted(o.country for o in ds.offices) == ["CN", "DE", "EG", "PH", "TH"]


def test_model_classes_are_frozen_and_slotted() -> None:
    for cls in MODEL_CLASSES:
        assert attrs.has(cls)
        assert "__slots__" in cls.__dict__, cls
        assert cls.__setattr__ is not object.__setattr__, cls


def test_collections_are_tuples_and_frozensets(ds: ttp.Dataset) -> None:
    for record in (*ds.agreements, *ds.institutions, *ds.offices, *ds.budget_lines):
        for field in attrs.fields(type(record)):
            value = getattr(record, field.name)
            assert not isinstance(value, (list, set, dict)), (record, field.name)
    for name in (
        "countries",
        "institutions",
        "agreements",
        "offices",
        "budget_lines",
        "corrections",
    ):
        assert isinstance(getattr(ds, name), tuple)


def test_exchange_type_and_counterpart_descriptions() -> None:
    assert ttp.ExchangeType("S*").description == "Double degree"
    assert ttp.ExchangeType("F").description == "Faculty and researcher exchange"
    assert Counterpart("Mat. and Chem. Tech.").full_name == "School of Materials and Chemical Technology"
    assert all(c.full_name for c in Counterpart)


def test_budget_line_labels(ds: ttp.Dataset) -> None:
    unlabelled = [b for b in ds.budget_lines if b.kind is LineKind.ITEM and b.item is None]
    assert [(b.side.value, b.amount_million_yen, str(b.percent)) for b in unlabelled] == [
        ("revenue", 3283, "6.3"),
        ("expenditure", 3283, "6.3"),
    ]
    assert unlabelled[0].label == "(no label in source)"
