"""The budget's arithmetic: how the printed figures must agree with each other."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal

from ._enums import BudgetSide, LineKind
from ._model import BudgetLine
from ._text import quote

__all__ = ["BudgetProblem", "budget_problems", "check_budget", "percent_of"]

_HUNDRED = Decimal(100)
# Exact for a Decimal of any size: the rounding is done in integers, this only shifts the point.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def percent_of(amount: int, total: int) -> Decimal:
    """``amount`` as a percentage of ``total``, rounded half-up to one decimal.

    >>> percent_of(19_352, 51_890)
    Decimal('37.3')
    >>> percent_of(1, 40)
    Decimal('2.5')

    Exact for amounts of any size (in integers, not in a decimal context's precision).
    A ``total`` of 0 raises :class:`ZeroDivisionError`.
    """
    if total == 0:
        raise ZeroDivisionError("percent_of a total of 0")
    numerator, denominator = abs(amount) * 1000, abs(total)
    tenths = (2 * numerator + denominator) // (2 * denominator)  # half-up, away from zero
    if (amount < 0) != (total < 0):
        tenths = -tenths
    return Decimal(tenths).scaleb(-1, _EXACT)


class BudgetProblem:
    """One disagreement in a budget: the line it is about (if one), the field, what is wrong.

    A plain class, like the tables' declaration: its module is imported on every load, and a
    plain class costs no code generation to create.
    """

    __slots__ = ("field", "line_id", "message")

    def __init__(self, line_id: str | None, field: str, message: str) -> None:
        self.line_id = line_id
        self.field = field
        self.message = message

    def __repr__(self) -> str:
        return f"BudgetProblem({self.line_id!r}, {self.field!r}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BudgetProblem):
            return NotImplemented
        return (self.line_id, self.field, self.message) == (other.line_id, other.field, other.message)

    def __hash__(self) -> int:
        return hash((self.line_id, self.field, self.message))

    def __str__(self) -> str:
        return f"{self.line_id}: {self.message}" if self.line_id else self.message


def check_budget(lines: Iterable[BudgetLine]) -> tuple[str, ...]:
    """Every way the budget lines disagree with each other; empty when consistent.

    Per side: exactly one total, printed 100.0 %; the categories sum to the
    total; each category's items sum to it; each breakdown sums to its parent
    item; each item's percent is its amount over the total rounded half-up to
    one decimal, and each category's percent is the sum of its items' printed
    percents (that is how the source prints 42.0 for 21,825 / 51,890). Across
    sides: revenue and expenditure totals are equal. Each problem is a line
    of text that starts with the id of the budget line it is about.

    >>> import tokyotech_partners as ttp
    >>> ttp.check_budget(ttp.load().budget_lines)
    ()
    """
    return tuple(str(problem) for problem in budget_problems(lines))


def _shape_problems(line: BudgetLine) -> list[BudgetProblem]:
    """A line whose category or parent does not fit its kind."""
    needs_category = line.kind is not LineKind.TOTAL
    if needs_category != (line.category is not None):
        expected = "a category" if needs_category else "no category"
        return [BudgetProblem(line.id, "category", f"a {line.kind.value} line has {expected}")]
    needs_parent = line.kind is LineKind.BREAKDOWN
    if needs_parent != (line.parent is not None):
        expected = "a parent" if needs_parent else "no parent"
        return [BudgetProblem(line.id, "parent", f"a {line.kind.value} line has {expected}")]
    if line.amount_million_yen < 0:
        return [
            BudgetProblem(
                line.id, "amount_million_yen", f"amount {quote(line.amount_million_yen)} is negative"
            )
        ]
    if line.percent is None and line.kind is not LineKind.BREAKDOWN:
        return [
            BudgetProblem(line.id, "percent", f"a {line.kind.value} line prints a percent, this has none")
        ]
    return []


def _category_problems(category: BudgetLine, side_lines: list[BudgetLine], total: int) -> list[BudgetProblem]:
    """A category's items against it, each item's percent, and each item's breakdown against it."""
    problems: list[BudgetProblem] = []
    items = [b for b in side_lines if b.kind is LineKind.ITEM and b.category is category.category]
    item_sum = sum(b.amount_million_yen for b in items)
    if item_sum != category.amount_million_yen:
        problems.append(
            BudgetProblem(
                category.id,
                "amount_million_yen",
                f"items sum to {quote(item_sum)}, category is {quote(category.amount_million_yen)}",
            )
        )
    printed = [b.percent for b in items]
    if category.percent is not None and None not in printed:
        percent_sum = sum((p for p in printed if p is not None), Decimal(0))
        if percent_sum != category.percent:
            problems.append(
                BudgetProblem(
                    category.id,
                    "percent",
                    f"items' percents sum to {percent_sum}, category prints {category.percent}",
                )
            )
    for item in items:
        if item.percent is not None:
            expected = percent_of(item.amount_million_yen, total)
            if item.percent != expected:
                problems.append(
                    BudgetProblem(item.id, "percent", f"percent {item.percent}, expected {expected}")
                )
        parts = [
            b
            for b in side_lines
            if b.kind is LineKind.BREAKDOWN and b.category is item.category and b.parent == item.item
        ]
        part_sum = sum(b.amount_million_yen for b in parts)
        if parts and part_sum != item.amount_million_yen:
            problems.append(
                BudgetProblem(
                    item.id,
                    "amount_million_yen",
                    f"breakdown sums to {quote(part_sum)}, item is {quote(item.amount_million_yen)}",
                )
            )
    return problems


def _side_problems(side: BudgetSide, side_lines: list[BudgetLine]) -> tuple[list[BudgetProblem], int | None]:
    """The problems of one side, and its total (None without exactly one total line)."""
    problems = [p for line in side_lines for p in _shape_problems(line)]
    totals_here = [b for b in side_lines if b.kind is LineKind.TOTAL]
    if len(totals_here) != 1:
        line_id = totals_here[1].id if totals_here else None
        problems.append(
            BudgetProblem(line_id, "kind", f"{side.value} has {len(totals_here)} total lines, expected 1")
        )
        return problems, None
    (total,) = totals_here
    if total.amount_million_yen <= 0:
        problems.append(BudgetProblem(total.id, "amount_million_yen", f"{side.value} total is not positive"))
        return problems, None
    if total.percent is not None and total.percent != _HUNDRED:
        problems.append(BudgetProblem(total.id, "percent", f"total percent {total.percent}, expected 100.0"))
    categories = [b for b in side_lines if b.kind is LineKind.CATEGORY]
    category_sum = sum(b.amount_million_yen for b in categories)
    if category_sum != total.amount_million_yen:
        problems.append(
            BudgetProblem(
                total.id,
                "amount_million_yen",
                f"categories sum to {quote(category_sum)}, total is {quote(total.amount_million_yen)}",
            )
        )
    for category in categories:
        problems.extend(_category_problems(category, side_lines, total.amount_million_yen))
    parents = {(i.category, i.item) for i in side_lines if i.kind is LineKind.ITEM}
    problems.extend(
        BudgetProblem(b.id, "parent", f"parent {quote(b.parent)} is not an item of its category")
        for b in side_lines
        if b.kind is LineKind.BREAKDOWN and b.parent is not None and (b.category, b.parent) not in parents
    )
    return problems, total.amount_million_yen


def budget_problems(lines: Iterable[BudgetLine]) -> list[BudgetProblem]:
    """The problems :func:`check_budget` reports, as records naming line and field."""
    by_side: dict[BudgetSide, list[BudgetLine]] = {}
    for line in lines:
        by_side.setdefault(line.side, []).append(line)
    problems = [
        BudgetProblem(None, "side", f"the budget has no {side.value} side")
        for side in BudgetSide
        if side not in by_side
    ]
    totals: dict[BudgetSide, tuple[int, str]] = {}
    for side, side_lines in sorted(by_side.items(), key=lambda kv: kv[0].value, reverse=True):
        found, total = _side_problems(side, side_lines)
        problems.extend(found)
        if total is not None:
            total_id = next(b.id for b in side_lines if b.kind is LineKind.TOTAL)
            totals[side] = (total, total_id)
    if len({amount for amount, _ in totals.values()}) > 1:
        problems.append(
            BudgetProblem(
                totals[BudgetSide.EXPENDITURE][1],
                "amount_million_yen",
                "revenue and expenditure totals differ: "
                + ", ".join(f"{side.value} {quote(amount)}" for side, (amount, _) in totals.items()),
            )
        )
    return problems
