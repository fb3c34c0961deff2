"""The budget's arithmetic: how the printed figures must agree with each other."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from ._model import BudgetLine, BudgetSide, LineKind

__all__ = ["check_budget", "percent_of"]

_HUNDRED = Decimal(100)
_ONE_DECIMAL = Decimal("0.1")


def percent_of(amount: int, total: int) -> Decimal:
    """``amount`` as a percentage of ``total``, rounded half-up to one decimal.

    >>> percent_of(19_352, 51_890)
    Decimal('37.3')
    >>> percent_of(1, 40)
    Decimal('2.5')
    """
    return (Decimal(amount) * _HUNDRED / Decimal(total)).quantize(_ONE_DECIMAL, ROUND_HALF_UP)


def check_budget(lines: Iterable[BudgetLine]) -> tuple[str, ...]:
    """Every way the budget lines disagree with each other; empty when consistent.

    Per side: exactly one total, printed 100.0 %; the categories sum to the
    total; each category's items sum to it; each breakdown sums to its parent
    item; each item's percent is its amount over the total rounded half-up to
    one decimal, and each category's percent is the sum of its items' printed
    percents (that is how the source prints 42.0 for 21,825 / 51,890). Across
    sides: revenue and expenditure totals are equal.

    >>> import tokyotech_partners as ttp
    >>> ttp.check_budget(ttp.load().budget_lines)
    ()
    """
    problems: list[str] = []
    by_side: dict[BudgetSide, list[BudgetLine]] = {}
    for line in lines:
        by_side.setdefault(line.side, []).append(line)
    totals: dict[BudgetSide, int] = {}
    for side, side_lines in sorted(by_side.items(), key=lambda kv: kv[0].value):
        totals_here = [b for b in side_lines if b.kind is LineKind.TOTAL]
        if len(totals_here) != 1:
            problems.append(f"{side.value}: {len(totals_here)} total lines, expected 1")
            continue
        total = totals_here[0]
        totals[side] = total.amount_million_yen
        if total.percent is not None and total.percent != _HUNDRED:
            problems.append(f"{total.id}: total percent {total.percent}, expected 100.0")
        categories = [b for b in side_lines if b.kind is LineKind.CATEGORY]
        category_sum = sum(b.amount_million_yen for b in categories)
        if category_sum != total.amount_million_yen:
            problems.append(
                f"{side.value}: categories sum to {category_sum}, total is {total.amount_million_yen}"
            )
        for category in categories:
            items = [b for b in side_lines if b.kind is LineKind.ITEM and b.category is category.category]
            item_sum = sum(b.amount_million_yen for b in items)
            if item_sum != category.amount_million_yen:
                problems.append(
                    f"{category.id}: items sum to {item_sum}, category is {category.amount_million_yen}"
                )
            printed = [b.percent for b in items]
            if category.percent is not None and None not in printed:
                percent_sum = sum((p for p in printed if p is not None), Decimal(0))
                if percent_sum != category.percent:
                    problems.append(
                        f"{category.id}: items' percents sum to {percent_sum}, "
                        f"category prints {category.percent}"
                    )
            for item in items:
                if total.amount_million_yen <= 0:
                    break
                expected = percent_of(item.amount_million_yen, total.amount_million_yen)
                if item.percent is not None and item.percent != expected:
                    problems.append(f"{item.id}: percent {item.percent}, expected {expected}")
                parts = [
                    b
                    for b in side_lines
                    if b.kind is LineKind.BREAKDOWN and b.category is item.category and b.parent == item.item
                ]
                if parts:
                    part_sum = sum(b.amount_million_yen for b in parts)
                    if part_sum != item.amount_million_yen:
                        problems.append(
                            f"{item.id}: breakdown sums to {part_sum}, item is {item.amount_million_yen}"
                        )
        orphans = [
            b
            for b in side_lines
            if b.kind is LineKind.BREAKDOWN
            and not any(
                i.kind is LineKind.ITEM and i.category is b.category and i.item == b.parent
                for i in side_lines
            )
        ]
        problems.extend(f"{b.id}: parent {b.parent!r} is not an item of its category" for b in orphans)
        problems.extend(
            f"{b.id}: amount {b.amount_million_yen} is negative"
            for b in side_lines
            if b.amount_million_yen < 0
        )
    if len(set(totals.values())) > 1:
        problems.append(
            "revenue and expenditure totals differ: "
            + ", ".join(f"{side.value} {amount}" for side, amount in totals.items())
        )
    return tuple(problems)
