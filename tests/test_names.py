"""The names researchers type: institutions, countries and world regions."""

from __future__ import annotations

import attrs
import pytest

import tokyotech_partners as ttp

DS = ttp.load()

# The short names the issue asks for, and who they name.
COMMON = {
    "TUM": "technical-university-of-munich",
    "NUS": "national-university-of-singapore",
    "HKUST": "hong-kong-university-of-science-and-technology",
    "KTH": "kth-royal-institute-of-technology",
    "ETH": "eth-zurich",
    "ETH Zurich": "eth-zurich",
    "EPFL": "epfl",
    "UBC": "university-of-british-columbia",
    "LMU": "ludwig-maximilians-universitat-munchen",
    "SNU": "seoul-national-university",
    "KAIST": "kaist",
    "POSTECH": "pohang-university-of-science-and-technology",
    "KAUST": "kaust",
    "NTNU": "ntnu",
    "DTU": "technical-university-of-denmark",
    "TU Delft": "delft-university-of-technology",
    "RWTH": "rwth-aachen-university",
    "RMIT": "rmit-university",
}
# What a person types that names one partner by whole words or word beginnings.
WORDS = {
    "Tsinghua": "tsinghua-university",
    "ETH": "eth-zurich",
    "Sapienza": "sapienza-university-of-rome",
    "KTH": "kth-royal-institute-of-technology",
    "Chalmers": "chalmers-university-of-technology",
    "TU Munich": "technical-university-of-munich",
    "bogazici": "bogazici-university",
    "Imperial College": "imperial-college-london",
    "imperial coll": "imperial-college-london",
    "Boreskov": "boreskov-institute-of-catalysis",
}
# Names several partners answer to: a lookup must list them all, never pick one.
AMBIGUOUS = {
    "NTU": {"nanyang-technological-university", "national-taiwan-university"},
    "UW": {
        "university-of-washington",
        "university-of-wisconsin-madison",
        "university-of-waterloo",
        "university-of-warsaw",
    },
    "UNIGE": {"university-of-geneva", "university-of-genoa"},
    "KU": {"korea-university", "kasetsart-university"},
    "Munich": {"technical-university-of-munich", "ludwig-maximilians-universitat-munchen"},
}
# Misspellings and the suggestion that must come first.
MISSPELT = {
    "Tsinghau University": "Tsinghua University",
    "Chalmrs": "Chalmers University of Technology",
    "Imperial Colege London": "Imperial College London",
    "Massachusets Institute of Technology": "Massachusetts Institute of Technology",
    "Universty of Oxford": "University of Oxford",
    "Boreskov Institute of Catalisis": "Boreskov Institute of Catalysis",
    "Uppsala Universty": "Uppsala University",
    "Universty of Stutgart": "University of Stuttgart",
    "Nanyang Technolgical University": "Nanyang Technological University",
    "Seoul Nationl University": "Seoul National University",
}


@pytest.mark.parametrize(("text", "expected"), sorted(COMMON.items()))
def test_common_short_names_resolve(text: str, expected: str) -> None:
    assert DS.lookup_institution(text).id == expected
    assert DS.lookup_institution(text.lower()).id == expected


def test_common_names_are_marked_as_not_printed() -> None:
    tum = DS.institution("technical-university-of-munich")
    assert "TUM" in tum.common_names
    assert "TUM" not in tum.aliases  # the printed aliases stay what the source prints


@pytest.mark.parametrize(("text", "expected"), sorted(WORDS.items()))
def test_words_of_one_name_resolve_to_it(text: str, expected: str) -> None:
    assert DS.lookup_institution(text).id == expected
    assert [a.id for a in DS.agreements_where(partner=text)] == [a.id for a in DS.agreements_of(expected)]
    assert DS.agreements_of(text) == DS.agreements_of(expected)


def test_tsinghua_is_not_national_tsing_hua() -> None:
    assert DS.lookup_institution("Tsinghua").id == "tsinghua-university"
    assert DS.lookup_institution("Tsing Hua").id == "national-tsing-hua-university"


@pytest.mark.parametrize(("text", "expected"), sorted(AMBIGUOUS.items()))
def test_ambiguous_names_list_every_match(text: str, expected: set[str]) -> None:
    with pytest.raises(ttp.AmbiguousNameError) as info:
        DS.lookup_institution(text)
    assert {m.id for m in info.value.matches} == expected  # type: ignore[attr-defined]
    assert isinstance(info.value, LookupError)
    for inst_id in expected:
        assert inst_id in str(info.value)
    with pytest.raises(ttp.AmbiguousNameError):
        DS.agreements_where(partner=text)


def test_every_name_resolves_to_its_institution_and_only_listed_names_are_shared() -> None:
    owners: dict[str, set[str]] = {}
    for inst in DS.institutions:
        for name in (inst.id, *inst.names):
            owners.setdefault(name.casefold(), set()).add(inst.id)
    shared = {name: ids for name, ids in owners.items() if len(ids) > 1}
    assert shared == {name.casefold(): ids for name, ids in AMBIGUOUS.items() if name != "Munich"}
    for name, ids in owners.items():
        if len(ids) == 1:
            assert DS.lookup_institution(name).id in ids, name


@pytest.mark.parametrize(("text", "expected"), sorted(MISSPELT.items()))
def test_a_near_miss_is_the_first_suggestion(text: str, expected: str) -> None:
    with pytest.raises(ttp.InstitutionNotFoundError) as info:
        DS.lookup_institution(text)
    assert info.value.suggestions[0] == expected  # type: ignore[attr-defined]
    assert "search_institutions" in str(info.value)


def test_non_latin_names_of_an_edition_can_be_looked_up() -> None:
    tsinghua = DS.institution("tsinghua-university")
    mephi = DS.institution("mephi")
    edited = attrs.evolve(
        DS,
        institutions=tuple(
            attrs.evolve(i, aliases=(*i.aliases, "清华大学"))
            if i is tsinghua
            else attrs.evolve(i, aliases=(*i.aliases, "МИФИ"))
            if i is mephi
            else i
            for i in DS.institutions
        ),
    )
    assert edited.lookup_institution("清华大学").id == "tsinghua-university"
    assert edited.lookup_institution("мифи").id == "mephi"


def test_text_longer_than_any_name_is_refused_unread() -> None:
    with pytest.raises(ttp.InstitutionNotFoundError, match="longer than any name") as info:
        DS.lookup_institution("Tsinghua " * 20_000)
    assert len(str(info.value)) < 300


def test_institution_by_exact_id_points_to_the_name_lookup() -> None:
    with pytest.raises(KeyError, match="lookup_institution") as info:
        DS.institution("Tsinghua University")
    assert "tsinghua-university" in str(info.value)


# ------------------------------------------------------------------ countries


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("South Korea", "KR"),
        ("Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("Russian Federation", "RU"),
        ("Viet Nam", "VN"),
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("Turkey", "TR"),
        ("Czech Republic", "CZ"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("USA", "US"),
        ("United States of America", "US"),
        ("Hong Kong", "HK"),
        ("Taiwan", "TW"),
        ("Holland", "NL"),
        ("deu", "DE"),
        ("276", "DE"),
    ],
)
def test_countries_resolve_from_codes_and_usual_names(text: str, code: str) -> None:
    assert DS.lookup_country(text).code == code
    assert DS.agreements_where(country=text) == DS.agreements_where(country=code)


def test_country_table_agrees_with_iso_3166() -> None:
    pycountry = pytest.importorskip("pycountry")
    for country in DS.countries:
        iso = pycountry.countries.get(alpha_2=country.code)
        assert iso is not None, country.code
        assert (country.alpha3, country.numeric, country.iso_name) == (iso.alpha_3, iso.numeric, iso.name)
        common = getattr(iso, "common_name", iso.name)
        # the name in common use is ISO's own common name where it has one, else its short name,
        # except where English usage differs (listed)
        if country.code not in {"KR", "RU", "TR"}:
            assert country.name == common, country.code


def test_hkust_is_in_hong_kong_and_the_log_says_so() -> None:
    hkust = DS.lookup_institution("HKUST")
    assert hkust.country == "HK"
    assert DS.agreements_of(hkust)[0].region is ttp.Region.ASIA  # the printed heading stays
    logged = [c for c in DS.corrections if c.record == "I-012" and c.field == "partners[].country"]
    assert len(logged) == 1
    assert logged[0].recorded.endswith("HK")


# ------------------------------------------------------------------ world regions


def test_every_country_has_its_m49_region() -> None:
    expected = {
        "TW": (ttp.WorldRegion.ASIA, ttp.SubRegion.EASTERN_ASIA),  # as CLDR places it
        "HK": (ttp.WorldRegion.ASIA, ttp.SubRegion.EASTERN_ASIA),
        "KZ": (ttp.WorldRegion.ASIA, ttp.SubRegion.CENTRAL_ASIA),  # under the source's Europe heading
        "GB": (ttp.WorldRegion.EUROPE, ttp.SubRegion.NORTHERN_EUROPE),
        "US": (ttp.WorldRegion.AMERICAS, ttp.SubRegion.NORTHERN_AMERICA),
        "BR": (ttp.WorldRegion.AMERICAS, ttp.SubRegion.LATIN_AMERICA_AND_THE_CARIBBEAN),
        "EG": (ttp.WorldRegion.AFRICA, ttp.SubRegion.NORTHERN_AFRICA),
        "AU": (ttp.WorldRegion.OCEANIA, ttp.SubRegion.AUSTRALIA_AND_NEW_ZEALAND),
        "TR": (ttp.WorldRegion.ASIA, ttp.SubRegion.WESTERN_ASIA),
    }
    for code, (region, subregion) in expected.items():
        country = DS.lookup_country(code)
        assert (country.world_region, country.subregion) == (region, subregion), code
    for country in DS.countries:
        assert country.subregion is not None
        assert country.subregion.world_region is country.world_region


def test_region_filters_and_counts_agree() -> None:
    counts = ttp.count_by(DS.agreements, "world_region")
    for region in ttp.WorldRegion:
        chosen = DS.agreements_where(world_region=region.value)
        assert counts.get(region.value, 0) == len(chosen)
        assert all(any(p.world_region is region for p in a.partners) for a in chosen)
    subcounts = ttp.count_by(DS.agreements, "subregion")
    assert subcounts["Northern Europe"] == len(DS.agreements_where(subregion="northern europe"))
    table = ttp.crosstab(DS.agreements, "world_region", "level")
    assert sum(table["Europe"].values()) >= counts["Europe"]


def test_region_stays_the_heading_and_points_to_world_region() -> None:
    kazakh = DS.agreements_where(country="KZ")
    assert kazakh
    assert all(a.region is ttp.Region.EUROPE for a in kazakh)
    with pytest.raises(ttp.UnknownValueError, match="world_region='Americas'"):
        DS.agreements_where(region="Americas")


def test_the_merger_is_in_the_edition() -> None:
    edition = DS.edition
    assert (edition.current_name, edition.current_short_name) == (
        "Institute of Science Tokyo",
        "Science Tokyo",
    )
    assert edition.merged_on.isoformat() == "2024-10-01"
    assert edition.merged_on > edition.as_of
