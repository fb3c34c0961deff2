"""The query API: filters, lookups, counting."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tokyotech_partners as ttp
from tokyotech_partners import AgreementLevel, Counterpart, ExchangeType, Region

DS = ttp.load()
FILTER_VALUES = {
    "level": st.sampled_from([*AgreementLevel, "school", "institutional", "SCHOOL"]),
    "country": st.sampled_from(["DE", "Germany", "fr", "U.K.", "JP", "Korea", "TW", "United States"]),
    "region": st.sampled_from([*Region, "europe", "Asia", "Multi-Region"]),
    "exchange": st.sampled_from([*ExchangeType, "S", "S*", "F", "Student exchange", "double degree"]),
    "counterpart": st.sampled_from([*Counterpart, "Engineering", "School of Science", "GSIC", "ila"]),
    "since": st.integers(1970, 2022),
    "until": st.integers(1970, 2022),
    "partner": st.sampled_from(["mit", "Tsinghua University", "EPFL", "NYCU", "seoul national university"]),
}


def test_agreements_where_without_filters_is_everything() -> None:
    assert DS.agreements_where() == DS.agreements


def test_country_by_code_name_and_label_agree() -> None:
    by_code = DS.agreements_where(country="GB")
    assert by_code == DS.agreements_where(country="United Kingdom") == DS.agreements_where(country="U.K.")
    assert len(by_code) == 17
    assert all("GB" in a.countries for a in by_code)


def test_several_values_mean_any() -> None:
    de = set(DS.agreements_where(country="DE"))
    fr = set(DS.agreements_where(country="FR"))
    both = set(DS.agreements_where(country=["DE", "France"]))
    assert both == de | fr


def test_student_exchange_in_germany() -> None:
    found = DS.agreements_where(country="Germany", exchange="S")
    assert [a.id for a in found][:3] == ["I-083", "I-084", "I-085"]
    assert all(ExchangeType.S in a.exchange_types and "DE" in a.countries for a in found)


def test_double_degree_is_its_own_type() -> None:
    assert [a.id for a in DS.agreements_where(exchange="S*")] == ["S-019", "S-031"]
    assert DS.agreements_where(exchange="double degree") == DS.agreements_where(exchange="S*")


@pytest.mark.parametrize(
    ("kwargs", "suggestion"),
    [
        ({"country": "Germny"}, "Germany"),
        ({"region": "Eurpe"}, "Europe"),
        ({"counterpart": "Enginering"}, "Engineering"),
        ({"level": "schol"}, "school"),
        ({"exchange": "Studnt exchange"}, "Student exchange"),
    ],
)
def test_unknown_values_raise_with_suggestion(kwargs: dict[str, str], suggestion: str) -> None:
    with pytest.raises(ttp.UnknownValueError) as info:
        DS.agreements_where(**kwargs)  # type: ignore[arg-type]
    assert suggestion in info.value.suggestions
    assert suggestion in str(info.value)


def test_bad_year_type_raises() -> None:
    with pytest.raises(ttp.UnknownValueError):
        DS.agreements_where(since="2010")  # type: ignore[arg-type]


def test_lookup_is_case_and_accent_insensitive() -> None:
    assert DS.lookup_institution("ECOLE POLYTECHNIQUE FEDERALE DE LAUSANNE").id == "epfl"
    assert DS.lookup_institution("Bogazici University").id == "bogazici-university"
    assert DS.lookup_institution("UPMC").id == "sorbonne-university"
    assert DS.lookup_institution("kaist").id == "kaist"


def test_lookup_round_trips_every_name_alias_and_id() -> None:
    for inst in DS.institutions:
        for key in (inst.id, *inst.names):
            assert DS.lookup_institution(key) is inst, key


def test_lookup_failure_is_a_lookup_error_naming_close_matches() -> None:
    with pytest.raises(LookupError) as info:
        DS.lookup_institution("Uppsala Universty")
    assert isinstance(info.value, ttp.InstitutionNotFoundError)
    assert "Uppsala University" in info.value.suggestions  # type: ignore[attr-defined]


def test_search_is_ranked_and_deterministic() -> None:
    first = DS.search_institutions("university of tokyo technology")
    assert first == DS.search_institutions("university of tokyo technology")
    assert DS.search_institutions("Oxford")[0].id == "university-of-oxford"
    assert DS.search_institutions("massachusetts")[0].id == "mit"
    assert DS.search_institutions("") == ()


def test_agreements_of_accepts_institution_or_id() -> None:
    mit = DS.institution("mit")
    assert DS.agreements_of(mit) == DS.agreements_of("mit") == DS.agreements_where(partner="MIT")
    with pytest.raises(KeyError):
        DS.agreements_of("no-such-id")


@given(
    st.dictionaries(st.sampled_from(sorted(FILTER_VALUES)), st.none(), min_size=1, max_size=4).flatmap(
        lambda keys: st.fixed_dictionaries({k: FILTER_VALUES[k] for k in keys})
    )
)
def test_filters_are_an_intersection_of_single_filters(filters: dict[str, object]) -> None:
    combined = DS.agreements_where(**filters)  # type: ignore[arg-type]
    assert set(combined) <= set(DS.agreements)
    singles = [set(DS.agreements_where(**{k: v})) for k, v in filters.items()]  # type: ignore[arg-type]
    assert set(combined) == set.intersection(*singles)
    order = [DS.agreements.index(a) for a in combined]
    assert order == sorted(order)


@pytest.mark.parametrize("key", ["level", "region", "decade", "concluded"])
def test_count_by_single_valued_key_sums_to_total(key: str) -> None:
    counts = ttp.count_by(DS.agreements, key)
    assert sum(counts.values()) == len(DS.agreements)


@given(
    st.sets(st.sampled_from(range(len(DS.agreements))), max_size=40),
    st.sampled_from(["level", "region", "decade"]),
)
def test_count_by_single_valued_key_sums_for_any_subset(indices: set[int], key: str) -> None:
    subset = [DS.agreements[i] for i in sorted(indices)]
    assert sum(ttp.count_by(subset, key).values()) == len(subset)


def test_count_by_multi_valued_key_counts_each_value_once() -> None:
    counts = ttp.count_by(DS.agreements, "exchange_type")
    assert counts["F"] == sum(ExchangeType.F in a.exchange_types for a in DS.agreements)
    assert sum(counts.values()) == sum(len(a.exchange_types) for a in DS.agreements)
    per_country = ttp.count_by(DS.agreements_where(partner="NTNU"), "country")
    assert per_country["NO"] == 2
    assert per_country["JP"] == 1


def test_count_by_rejects_unknown_key() -> None:
    with pytest.raises(ttp.UnknownValueError):
        ttp.count_by(DS.agreements, "colour")


def test_crosstab_margins_match_count_by() -> None:
    table = ttp.crosstab(DS.agreements, "region", "level")
    by_region = ttp.count_by(DS.agreements, "region")
    for region, row in table.items():
        assert sum(row.values()) == by_region[region]
    assert sum(itertools.chain.from_iterable(r.values() for r in table.values())) == 237


def test_budget_helpers() -> None:
    totals = ttp.budget_totals(DS.budget_lines)
    assert [t.amount_million_yen for t in totals if t.category is None] == [51_890, 51_890]
    rec = ttp.reconcile_budget(DS.budget_lines)
    assert rec[0].category is None
    assert all(r.balanced for r in rec)
    shares = {s.id: s.share_percent for s in ttp.budget_shares(DS.budget_lines)}
    assert str(shares["revenue/total"]) == "100.00"
    assert str(shares["revenue/specified-contributions"]) == "42.06"
