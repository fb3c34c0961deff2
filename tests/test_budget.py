"""The FY2021 budget: pinned figures, the source's arithmetic, and the checker's power."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given

import tokyotech_partners as ttp
from tokyotech_partners import BudgetCategory, BudgetLine, BudgetSide, LineKind
from tokyotech_partners.strategies import budgets, perturbed_budgets


def _side(ds: ttp.Dataset, side: BudgetSide) -> list[BudgetLine]:
    return [b for b in ds.budget_lines if b.side is side]


def test_totals_are_pinned(ds: ttp.Dataset) -> None:
    for side in BudgetSide:
        (total,) = [b for b in _side(ds, side) if b.kind is LineKind.TOTAL]
        assert total.amount_million_yen == 51_890
        assert total.percent == Decimal("100.0")
        assert total.fiscal_year == 2021


def test_categories_are_pinned(ds: ttp.Dataset) -> None:
    for side in BudgetSide:
        categories = {
            b.category: (b.amount_million_yen, b.percent)
            for b in _side(ds, side)
            if b.kind is LineKind.CATEGORY
        }
        assert categories == {
            BudgetCategory.INSTITUTE_WIDE: (28_948, Decimal("55.8")),
            BudgetCategory.SCHOOLS: (1_117, Decimal("2.2")),
            BudgetCategory.SPECIFIED_CONTRIBUTIONS: (21_825, Decimal("42.0")),
        }


def test_sums_per_side(ds: ttp.Dataset) -> None:
    for side in BudgetSide:
        lines = _side(ds, side)
        (total,) = [b for b in lines if b.kind is LineKind.TOTAL]
        categories = [b for b in lines if b.kind is LineKind.CATEGORY]
        assert sum(c.amount_million_yen for c in categories) == total.amount_million_yen
        for c in categories:
            items = [b for b in lines if b.kind is LineKind.ITEM and b.category is c.category]
            assert sum(i.amount_million_yen for i in items) == c.amount_million_yen
            # the category's printed percent is the sum of its items' printed percents
            assert sum((i.percent for i in items if i.percent), Decimal(0)) == c.percent
            for i in items:
                assert i.percent == ttp.percent_of(i.amount_million_yen, total.amount_million_yen)
        breakdowns = [b for b in lines if b.kind is LineKind.BREAKDOWN]
        for parent in {b.parent for b in breakdowns}:
            (item,) = [
                b
                for b in lines
                if b.kind is LineKind.ITEM
                and b.item == parent
                and b.category is BudgetCategory.SPECIFIED_CONTRIBUTIONS
            ]
            parts = [b.amount_million_yen for b in breakdowns if b.parent == parent]
            assert sum(parts) == item.amount_million_yen


def test_specified_contributions_percent_is_printed_not_computed(ds: ttp.Dataset) -> None:
    # 21,825 / 51,890 rounds to 42.1; the source prints 42.0, the sum of its items' percents.
    (line,) = [
        b
        for b in ds.budget_lines
        if b.side is BudgetSide.REVENUE
        and b.kind is LineKind.CATEGORY
        and b.category is BudgetCategory.SPECIFIED_CONTRIBUTIONS
    ]
    assert ttp.percent_of(line.amount_million_yen, 51_890) == Decimal("42.1")
    assert line.percent == Decimal("42.0")


def test_revenue_equals_expenditure(ds: ttp.Dataset) -> None:
    totals = {b.side: b.amount_million_yen for b in ds.budget_lines if b.kind is LineKind.TOTAL}
    assert totals[BudgetSide.REVENUE] == totals[BudgetSide.EXPENDITURE]


def test_breakdowns_are_both_printed_lists(ds: ttp.Dataset) -> None:
    for side in BudgetSide:
        parts = {
            (b.parent, b.item): b.amount_million_yen for b in _side(ds, side) if b.kind is LineKind.BREAKDOWN
        }
        assert sorted(parts.values()) == [1_029, 1_047, 1_240, 2_153, 5_477, 6_277]
        assert {p for p, _ in parts} == {"Commissioned projects", "Operating grants"}


def test_packaged_budget_passes_the_checker(ds: ttp.Dataset) -> None:
    assert ttp.check_budget(ds.budget_lines) == ()


@given(budgets())
def test_checker_accepts_every_consistent_budget(lines: tuple[BudgetLine, ...]) -> None:
    assert ttp.check_budget(lines) == ()


@given(perturbed_budgets())
def test_checker_rejects_one_perturbed_amount(case: tuple[tuple[BudgetLine, ...], str]) -> None:
    lines, changed = case
    problems = ttp.check_budget(lines)
    assert problems, f"changing {changed} went unnoticed"


def test_checker_rejects_each_perturbed_packaged_line(ds: ttp.Dataset) -> None:
    import attrs

    for k, line in enumerate(ds.budget_lines):
        changed = list(ds.budget_lines)
        changed[k] = attrs.evolve(line, amount_million_yen=line.amount_million_yen + 1)
        assert ttp.check_budget(changed), line.id


def test_checker_rejects_a_wrong_printed_percent(ds: ttp.Dataset) -> None:
    import attrs

    for k, line in enumerate(ds.budget_lines):
        if line.percent is None or line.kind is LineKind.TOTAL:
            continue
        changed = list(ds.budget_lines)
        changed[k] = attrs.evolve(line, percent=line.percent + Decimal("0.1"))
        assert ttp.check_budget(changed), line.id
