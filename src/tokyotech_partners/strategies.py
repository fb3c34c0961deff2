"""Hypothesis strategies for property tests of code that uses this library.

Requires the ``hypothesis`` extra (``pip install '.[test]'`` in a clone);
``import tokyotech_partners`` alone never imports hypothesis.

Every strategy here except :func:`perturbed_budgets` (which exists to break a
budget) generates values that :func:`tokyotech_partners.load` would accept:
ids are unique, partners exist, years are in range, budgets balance, no
name is two institutions'.

>>> from hypothesis import given
>>> from tokyotech_partners import check_budget
>>> from tokyotech_partners.strategies import budgets
>>> @given(budgets())
... def test_balanced(lines):
...     assert check_budget(lines) == ()
>>> test_balanced()
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import attrs

from ._errors import MissingExtraError

try:
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover -- exercised without the extra
    raise MissingExtraError("hypothesis", "test", "tokyotech_partners.strategies") from None

from ._budget import percent_of
from ._check import content_key
from ._dataset import Dataset
from ._enums import (
    AgreementLevel,
    BudgetCategory,
    BudgetSide,
    CorrectionKind,
    Counterpart,
    ExchangeType,
    LineKind,
    OfficeKind,
    Region,
    SubRegion,
    WorldRegion,
)
from ._model import Agreement, BudgetLine, Correction, Country, Edition, Institution, Office
from ._tables import FOUNDED
from ._text import fold

__all__ = [
    "agreements",
    "budgets",
    "countries",
    "datasets",
    "institutions",
    "perturbed_budgets",
]

_CODES = ("CN", "DE", "FR", "GB", "JP", "KR", "TH", "US")
_COMMON_NAMES = ("NTU", "UW", "Tech")
_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() != "")


def _country(code: str) -> Country:
    from ._m49 import COUNTRIES

    alpha3, numeric, region, subregion = COUNTRIES[code]
    return Country(
        code=code,
        name=f"Country {code}",
        iso_name=f"Country {alpha3}",
        alpha3=alpha3,
        numeric=numeric,
        world_region=WorldRegion(region) if region else None,
        subregion=SubRegion(subregion) if subregion else None,
        labels=(code,),
    )


def countries() -> st.SearchStrategy[tuple[Country, ...]]:
    """The small fixed country table the other strategies draw codes from."""
    return st.just(tuple(_country(c) for c in _CODES))


@st.composite
def institutions(draw: st.DrawFn, index: int | None = None, taken: set[str] | None = None) -> Institution:
    """One institution; ``index`` makes its id unique among siblings.

    ``taken`` holds the folded names its siblings already use: its id, name
    and aliases are kept apart from them (and added), as a valid edition
    requires; its names in common use may be shared.
    """
    suffix = draw(st.integers(0, 10**6)) if index is None else index
    used = set() if taken is None else taken
    used.add(fold(f"inst-{suffix}"))
    used.update(fold(name) for name in _COMMON_NAMES)  # only ever common names, which may be shared

    def fresh(text: str) -> bool:
        key = fold(text)
        if key in used:
            return False
        used.add(key)
        return True

    return Institution(
        id=f"inst-{suffix}",
        name=draw(_text.filter(fresh)),
        country=draw(st.none() | st.sampled_from(_CODES)),
        aliases=tuple(draw(st.lists(_text.filter(fresh), max_size=2))),
        former_names=(),
        common_names=tuple(draw(st.lists(st.sampled_from(_COMMON_NAMES), max_size=1))),
        grande_ecole=draw(st.booleans()),
        notes=tuple(draw(st.lists(_text, max_size=1))),
    )


@st.composite
def agreements(
    draw: st.DrawFn,
    partners: tuple[Institution, ...] | None = None,
    index: int = 0,
    as_of_year: int = 2021,
) -> Agreement:
    """One agreement whose partners are drawn from ``partners``."""
    pool = partners if partners else (draw(institutions(index=index)),)
    level = draw(st.sampled_from(AgreementLevel))
    chosen = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique_by=lambda i: i.id))
    counterparts: frozenset[Counterpart] = frozenset()
    doubt = None
    if level is AgreementLevel.SCHOOL:
        counterparts = frozenset(draw(st.sets(st.sampled_from(Counterpart), max_size=3)))
        if not counterparts or draw(st.booleans()):
            doubt = draw(_text)
    return Agreement(
        id=f"A-{index:06d}",
        level=level,
        partners=tuple(chosen),
        partner_unit=draw(st.none() | _text),
        counterparts=counterparts,
        concluded=draw(st.integers(FOUNDED, as_of_year)),
        exchange_types=frozenset(draw(st.sets(st.sampled_from(ExchangeType), min_size=1))),
        region=draw(st.sampled_from(Region)),
        printed=draw(_text),
        source_line=index + 1,
        counterpart_doubt=doubt,
        notes=tuple(draw(st.lists(_text, max_size=1))),
    )


def _split(draw: st.DrawFn, amount: int, parts: int) -> list[int]:
    """``amount`` as ``parts`` non-negative integers that sum to it."""
    cuts = sorted(draw(st.lists(st.integers(0, amount), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, amount]
    return [b - a for a, b in itertools.pairwise(bounds)]


def _category(
    draw: st.DrawFn, side: BudgetSide, cat: BudgetCategory, amount: int, total: int, fiscal_year: int
) -> list[BudgetLine]:
    """A category line of ``amount``, its items (one maybe unlabelled) and some items' breakdowns."""
    n_items = draw(st.integers(1, 4))
    unlabelled = draw(st.integers(-1, n_items - 1))
    items = _split(draw, amount, n_items)
    percents = [percent_of(a, total) for a in items]
    lines = [
        BudgetLine(
            id=f"{side.value}/{cat.name}",
            fiscal_year=fiscal_year,
            side=side,
            kind=LineKind.CATEGORY,
            category=cat,
            item=None,
            parent=None,
            amount_million_yen=amount,
            percent=sum(percents, Decimal(0)),
        )
    ]
    for k, (item_amount, item_percent) in enumerate(zip(items, percents, strict=True)):
        label = None if k == unlabelled else f"item {k}"
        lines.append(
            BudgetLine(
                id=f"{side.value}/{cat.name}/{k}",
                fiscal_year=fiscal_year,
                side=side,
                kind=LineKind.ITEM,
                category=cat,
                item=label,
                parent=None,
                amount_million_yen=item_amount,
                percent=item_percent,
            )
        )
        if label is not None and draw(st.booleans()):
            parts = _split(draw, item_amount, draw(st.integers(2, 4)))
            lines.extend(
                BudgetLine(
                    id=f"{side.value}/{cat.name}/{k}/{j}",
                    fiscal_year=fiscal_year,
                    side=side,
                    kind=LineKind.BREAKDOWN,
                    category=cat,
                    item=f"part {j}",
                    parent=label,
                    amount_million_yen=part,
                    percent=None,
                )
                for j, part in enumerate(parts)
            )
    return lines


@st.composite
def budgets(draw: st.DrawFn, fiscal_year: int = 2021) -> tuple[BudgetLine, ...]:
    """A consistent two-sided budget: every sum, percent and the balance agree."""
    category_amounts = {cat: draw(st.integers(1, 60_000)) for cat in BudgetCategory}
    total = sum(category_amounts.values())
    lines: list[BudgetLine] = []
    for side in BudgetSide:
        lines.append(
            BudgetLine(
                id=f"{side.value}/total",
                fiscal_year=fiscal_year,
                side=side,
                kind=LineKind.TOTAL,
                category=None,
                item=None,
                parent=None,
                amount_million_yen=total,
                percent=Decimal("100.0"),
            )
        )
        for cat, amount in category_amounts.items():
            lines.extend(_category(draw, side, cat, amount, total, fiscal_year))
    return tuple(lines)


@st.composite
def perturbed_budgets(draw: st.DrawFn) -> tuple[tuple[BudgetLine, ...], str]:
    """A consistent budget with exactly one amount changed, and that line's id."""
    lines = list(draw(budgets()))
    k = draw(st.integers(0, len(lines) - 1))
    delta = draw(st.integers(-1000, 1000).filter(lambda d: d != 0))
    old = lines[k]
    lines[k] = attrs.evolve(old, amount_million_yen=old.amount_million_yen + delta)
    return tuple(lines), old.id


@st.composite
def datasets(draw: st.DrawFn, max_institutions: int = 8, max_agreements: int = 12) -> Dataset:
    """A whole consistent dataset, valid as :func:`tokyotech_partners.load` requires.

    Every table has at least one record, so that the dataset written with
    :func:`tokyotech_partners.write_edition` loads back with ``load(path)``.
    """
    as_of = draw(st.dates(dt.date(FOUNDED + 1, 1, 1), dt.date(2100, 12, 31)))
    n_inst = draw(st.integers(1, max_institutions))
    taken: set[str] = set()
    insts = tuple(draw(institutions(index=i, taken=taken)) for i in range(n_inst))
    agreement_list: list[Agreement] = []
    seen: set[tuple[object, ...]] = set()
    for k in range(draw(st.integers(1, max(1, max_agreements)))):
        agreement = draw(agreements(partners=insts, index=k, as_of_year=as_of.year))
        content = content_key(agreement)
        if content not in seen:
            seen.add(content)
            agreement_list.append(agreement)
    offices = tuple(
        Office(
            id=f"office-{k}",
            name=draw(_text),
            kind=draw(st.sampled_from(OfficeKind)),
            city=draw(_text),
            country=draw(st.sampled_from(_CODES)),
            established=draw(st.integers(FOUNDED, as_of.year)),
        )
        for k in range(draw(st.integers(1, 3)))
    )
    return Dataset(
        edition=Edition(
            title=draw(_text),
            publisher=draw(_text),
            as_of=as_of,
            fiscal_year=as_of.year,
            data_version=f"{as_of.year}.{draw(st.integers(1, 9))}",
            source_file="source.txt",
            source_sha256="0" * 64,
            licence=draw(_text),
            current_name=draw(_text),
            current_short_name=draw(_text),
            merged_on=draw(st.dates(as_of, dt.date(2100, 12, 31))),
        ),
        countries=draw(countries()),
        institutions=insts,
        agreements=tuple(agreement_list),
        offices=offices,
        budget_lines=draw(budgets(fiscal_year=as_of.year)),
        corrections=tuple(
            dict.fromkeys(  # no correction twice
                Correction(
                    record=draw(st.sampled_from([a.id for a in agreement_list] + [i.id for i in insts])),
                    field=draw(st.sampled_from(["partners", "partners[].country", "counterparts"])),
                    kind=draw(st.sampled_from(CorrectionKind)),
                    printed=draw(_text),
                    recorded=draw(_text),
                    reason=draw(_text),
                )
                for _ in range(draw(st.integers(1, 3)))
            )
        ),
    )
