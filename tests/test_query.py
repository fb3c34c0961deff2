"""The query API: filters, lookups, counting."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tokyotech_partners as ttp
from tokyotech_partners import AgreementLevel, Counterpart, ExchangeType, Region

DS = ttp.load()


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


def test_wrong_argument_types_raise_type_error() -> None:
    with pytest.raises(TypeError, match="since must be a year"):
        DS.agreements_where(since="2010")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="level takes a member of AgreementLevel or a str"):
        DS.agreements_where(level=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="a country is a code or a name"):
        DS.agreements_where(country=[49])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="partner takes an Institution or a name"):
        DS.agreements_where(partner=[1.5])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        DS.lookup_institution(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        DS.institution(7)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ttp.structure_dataset([])  # type: ignore[arg-type]


def test_every_deliberate_error_is_a_library_error() -> None:
    for error in (
        ttp.DatasetError,
        ttp.UnknownValueError,
        ttp.InstitutionNotFoundError,
        ttp.MissingExtraError,
    ):
        assert issubclass(error, ttp.TokyoTechPartnersError)
    assert issubclass(ttp.UnknownValueError, LookupError)
    assert issubclass(ttp.MissingExtraError, ImportError)
    with pytest.raises(ttp.TokyoTechPartnersError):
        DS.lookup_institution("no such place at all")
    with pytest.raises(ttp.TokyoTechPartnersError):
        DS.agreements_where(region="Atlantis")


def test_lookup_is_case_and_accent_insensitive() -> None:
    assert DS.lookup_institution("ECOLE POLYTECHNIQUE FEDERALE DE LAUSANNE").id == "epfl"
    assert DS.lookup_institution("Bogazici University").id == "bogazici-university"
    assert DS.lookup_institution("UPMC").id == "sorbonne-university"
    assert DS.lookup_institution("kaist").id == "kaist"


def test_lookup_round_trips_every_name_alias_and_id() -> None:
    shared = {"NTU", "UW", "UNIGE", "KU"}  # common names of several institutions: ambiguous
    for inst in DS.institutions:
        for key in (inst.id, *inst.names):
            if key in shared:
                with pytest.raises(ttp.AmbiguousNameError) as info:
                    DS.lookup_institution(key)
                assert inst in info.value.matches
            else:
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
    with pytest.raises(ttp.InstitutionNotFoundError):
        DS.agreements_of("no-such-id")
    assert DS.agreements_of("Tsinghua University") == DS.agreements_of("tsinghua-university")


def _oracle_for(name: str, value: object) -> Callable[[ttp.Agreement], bool]:
    """What a filter value means, written out by hand, independent of agreements_where."""
    if name == "since":
        return lambda a: a.concluded >= value  # type: ignore[operator]
    if name == "until":
        return lambda a: a.concluded <= value  # type: ignore[operator]
    canonical = ORACLE[name][value]
    if name == "level":
        return lambda a: a.level is canonical
    if name == "region":
        return lambda a: a.region is canonical
    if name == "exchange":
        return lambda a: canonical in a.exchange_types
    if name == "counterpart":
        return lambda a: canonical in a.counterparts
    if name == "country":
        return lambda a: canonical in a.countries
    return lambda a: canonical in {p.id for p in a.partners}


ORACLE: dict[str, dict[object, object]] = {
    "level": {
        AgreementLevel.SCHOOL: AgreementLevel.SCHOOL,
        "school": AgreementLevel.SCHOOL,
        "INSTITUTIONAL": AgreementLevel.INSTITUTIONAL,
        "Institutional": AgreementLevel.INSTITUTIONAL,
    },
    "region": {
        Region.EUROPE: Region.EUROPE,
        "europe": Region.EUROPE,
        "Asia": Region.ASIA,
        "multi region": Region.MULTI_REGION,
        "NORTH_AMERICA": Region.NORTH_AMERICA,
    },
    "exchange": {
        ExchangeType.F: ExchangeType.F,
        "S": ExchangeType.S,
        "s": ExchangeType.S,
        "S*": ExchangeType.S_DOUBLE_DEGREE,
        "s*": ExchangeType.S_DOUBLE_DEGREE,
        "i": ExchangeType.I,
        "Student exchange": ExchangeType.S,
        "double degree": ExchangeType.S_DOUBLE_DEGREE,
    },
    "counterpart": {
        Counterpart.GSIC: Counterpart.GSIC,
        "Engineering": Counterpart.ENGINEERING,
        "School of Science": Counterpart.SCIENCE,
        "ila": Counterpart.ILA,
        "mat and chem tech": Counterpart.MATERIALS_AND_CHEMICAL_TECHNOLOGY,
    },
    "country": {
        "DE": "DE",
        "de": "DE",
        "Germany": "DE",
        "UK": "GB",
        "U.K.": "GB",
        "usa": "US",
        "Korea": "KR",
        "JP": "JP",
    },
    "partner": {
        "mit": "mit",
        "M.I.T.": "mit",
        "Tsinghua University": "tsinghua-university",
        "epfl": "epfl",
        "national chiao tung university": "nycu",
    },
}
FILTER_STRATEGIES = {name: st.sampled_from(list(values)) for name, values in ORACLE.items()} | {
    "since": st.integers(1970, 2022),
    "until": st.integers(1970, 2022),
}


@given(
    st.sets(st.sampled_from(sorted(FILTER_STRATEGIES)), min_size=1, max_size=4).flatmap(
        lambda names: st.fixed_dictionaries({n: FILTER_STRATEGIES[n] for n in sorted(names)})
    )
)
def test_filters_match_a_hand_written_oracle(filters: dict[str, object]) -> None:
    combined = DS.agreements_where(**filters)  # type: ignore[arg-type]
    tests = [_oracle_for(name, value) for name, value in filters.items()]
    expected = tuple(a for a in DS.agreements if all(t(a) for t in tests))
    assert combined == expected
    singles = [set(DS.agreements_where(**{k: v})) for k, v in filters.items()]  # type: ignore[arg-type]
    assert set(combined) == set.intersection(*singles)


def test_lowercase_codes_are_not_confused() -> None:
    assert DS.agreements_where(exchange="s") == DS.agreements_where(exchange=ExchangeType.S)
    assert len(DS.agreements_where(exchange="s")) == 207
    assert DS.agreements_where(exchange=" S* ") == DS.agreements_where(exchange=ExchangeType.S_DOUBLE_DEGREE)


def test_unknown_institution_object_is_refused() -> None:
    stranger = ttp.Institution(id="stranger", name="Nowhere University", country="JP")
    with pytest.raises(ttp.UnknownValueError):
        DS.agreements_where(partner=stranger)


def test_search_limit_must_be_sensible() -> None:
    assert len(DS.search_institutions("university", limit=0)) == 0
    with pytest.raises(ValueError, match="must not be negative"):
        DS.search_institutions("university", limit=-1)
    with pytest.raises(TypeError, match="limit must be an int"):
        DS.search_institutions("university", limit="3")  # type: ignore[arg-type]


def test_search_order_does_not_depend_on_record_order() -> None:
    import attrs

    shuffled = attrs.evolve(DS, institutions=DS.institutions[::-1])
    for query in ("university of technology", "national", "tokyo tech", "paris"):
        assert [i.id for i in shuffled.search_institutions(query, limit=None)] == [
            i.id for i in DS.search_institutions(query, limit=None)
        ], query


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


def test_keys_cannot_be_changed_by_a_user() -> None:
    with pytest.raises(TypeError):
        ttp.KEYS["level"] = (lambda a: ["oops"], "")  # type: ignore[index]
    assert ttp.count_by(DS.agreements, "level") == {"school": 128, "institutional": 109}


def test_numeric_keys_sort_numerically() -> None:
    table = ttp.crosstab(DS.agreements, lambda a: a.concluded - 2010, "level")
    assert list(table) == sorted(table)
    counts = ttp.count_by(DS.agreements[:1], lambda a: [1.5, -0.5, -2.0])
    assert list(counts) == [-2.0, -0.5, 1.5]
