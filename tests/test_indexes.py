"""The indexed queries and the pruned search give exactly what the plain definitions give."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tokyotech_partners as ttp
from tokyotech_partners import _names
from tokyotech_partners.strategies import datasets

DS = ttp.load()
NAMES = sorted({name for inst in DS.institutions for name in (inst.id, *inst.names)})


def _typo(draw: st.DrawFn) -> str:
    """A real name with one character dropped, doubled or changed, or a few of its words."""
    name = draw(st.sampled_from(NAMES))
    k = draw(st.integers(0, max(0, len(name) - 1)))
    kind = draw(st.sampled_from(["drop", "double", "change", "words", "as is"]))
    if kind == "drop":
        return name[:k] + name[k + 1 :]
    if kind == "double":
        return name[:k] + name[k : k + 1] * 2 + name[k + 1 :]
    if kind == "change":
        return name[:k] + draw(st.sampled_from("aeiouxz ")) + name[k + 1 :]
    if kind == "words":
        words = name.split()
        start = draw(st.integers(0, len(words) - 1))
        return " ".join(words[start : start + draw(st.integers(1, 3))])
    return name


queries = st.composite(_typo)() | st.text(min_size=0, max_size=12)
limits = st.none() | st.integers(0, 12)


@given(text=queries, limit=limits)
def test_search_is_the_plain_scan(text: str, limit: int | None) -> None:
    assert DS.search_institutions(text, limit) == _names.search_plain(DS._index, text, limit)


@given(dataset=datasets(max_institutions=12), text=st.text(max_size=10), limit=limits)
def test_search_is_the_plain_scan_on_generated_editions(
    dataset: ttp.Dataset, text: str, limit: int | None
) -> None:
    for query in (text, *(i.name[:6] for i in dataset.institutions[:3])):
        assert dataset.search_institutions(query, limit) == _names.search_plain(dataset._index, query, limit)


def _by_scan(ds: ttp.Dataset, **filters: object) -> tuple[ttp.Agreement, ...]:
    """What agreements_where means, one agreement at a time (no index)."""

    def keep(a: ttp.Agreement) -> bool:
        checks = {
            "level": lambda v: a.level is v,
            "region": lambda v: a.region is v,
            "world_region": lambda v: v in a.world_regions,
            "subregion": lambda v: v in a.subregions,
            "country": lambda v: v in a.countries,
            "exchange": lambda v: v in a.exchange_types,
            "counterpart": lambda v: v in a.counterparts,
            "partner": lambda v: v in {p.id for p in a.partners},
        }
        for name, value in filters.items():
            if name == "since" and a.concluded < value:  # type: ignore[operator]
                return False
            if name == "until" and a.concluded > value:  # type: ignore[operator]
                return False
            if name in checks and not checks[name](value):
                return False
        return True

    return tuple(a for a in ds.agreements if keep(a))


@given(
    level=st.none() | st.sampled_from(ttp.AgreementLevel),
    region=st.none() | st.sampled_from(ttp.Region),
    world_region=st.none() | st.sampled_from(ttp.WorldRegion),
    subregion=st.none() | st.sampled_from(ttp.SubRegion),
    country=st.none() | st.sampled_from([c.code for c in DS.countries]),
    exchange=st.none() | st.sampled_from(ttp.ExchangeType),
    counterpart=st.none() | st.sampled_from(ttp.Counterpart),
    since=st.none() | st.integers(1960, 2022),
    until=st.none() | st.integers(1960, 2022),
    partner=st.none() | st.sampled_from([i.id for i in DS.institutions]),
)
def test_indexed_filters_select_what_a_scan_selects(**filters: object) -> None:
    given_filters = {k: v for k, v in filters.items() if v is not None}
    assert DS.agreements_where(**given_filters) == _by_scan(DS, **given_filters)  # type: ignore[arg-type]


def test_indexes_follow_the_dataset_they_belong_to() -> None:
    # a changed copy has its own index: the queries see its records, not the original's
    fewer = attrs.evolve(DS, agreements=DS.agreements[:10])
    assert fewer.agreements_where(level="institutional") == tuple(
        a for a in DS.agreements[:10] if a.level is ttp.AgreementLevel.INSTITUTIONAL
    )
    assert DS.agreements_where() == DS.agreements


def _counted_one_by_one(agreements: tuple[ttp.Agreement, ...], key: str) -> dict[object, int]:
    getter = ttp.KEYS[key][0]
    expected: dict[object, int] = {}
    for agreement in agreements:
        for value in set(getter(agreement)):
            expected[value] = expected.get(value, 0) + 1
    return expected


@given(datasets(), st.sampled_from(sorted(ttp.KEYS)))
def test_count_by_gives_the_counts_of_its_keys_on_any_dataset(ds: ttp.Dataset, key: str) -> None:
    got = ttp.count_by(ds.agreements, key)
    assert got == _counted_one_by_one(ds.agreements, key)
    assert list(got.values()) == sorted(got.values(), reverse=True) or key in ("decade", "concluded")


@pytest.mark.parametrize("key", sorted(ttp.KEYS))
def test_count_by_counts_each_value_once_per_agreement(key: str) -> None:
    assert ttp.count_by(DS.agreements, key) == _counted_one_by_one(DS.agreements, key)
    assert ttp.count_by(DS.agreements, lambda a: [a.level, a.level]) == ttp.count_by(DS.agreements, "level")
