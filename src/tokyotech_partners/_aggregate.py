"""Counting agreements by a key, cross-tabulating, and the budget's totals and shares."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain
from operator import attrgetter
from types import MappingProxyType

import attrs

from ._display import Counts, Crosstab, Records, key_name
from ._enums import BudgetCategory, BudgetSide, LineKind, in_declared_order
from ._errors import UnknownValueError
from ._model import Agreement, BudgetLine
from ._text import quote

__all__ = [
    "KEYS",
    "CategoryTotal",
    "LineShare",
    "Reconciliation",
    "budget_shares",
    "budget_totals",
    "count_by",
    "crosstab",
    "reconcile_budget",
]

Key = str | Callable[[Agreement], object]


def _plain(value: object) -> Hashable:
    if isinstance(value, enum.Enum):
        return value.value  # type: ignore[no-any-return]
    return value if isinstance(value, Hashable) else repr(value)


#: The named keys of :func:`count_by` and :func:`crosstab`. Those marked
#: "several" can give one agreement several values.
KEYS: Mapping[str, tuple[Callable[[Agreement], Iterable[Hashable]], str]] = MappingProxyType(
    {
        "level": (lambda a: [a.level.value], "the agreement level"),
        "region": (lambda a: [a.region.value], "the source's regional heading (not a location)"),
        "concluded": (lambda a: [a.concluded], "the year concluded"),
        "decade": (lambda a: [a.decade], "the decade concluded (1990 for 1991)"),
        "country": (
            lambda a: sorted(a.countries) or [None],
            "several: each partner country (None for multinational bodies only)",
        ),
        "world_region": (
            lambda a: [r.value for r in in_declared_order(a.world_regions)] or [None],
            "several: each partner country's UN M49 region (None for multinational bodies only)",
        ),
        "subregion": (
            lambda a: [r.value for r in in_declared_order(a.subregions)] or [None],
            "several: each partner country's UN M49 sub-region (None for multinational bodies only)",
        ),
        "exchange_type": (
            lambda a: [t.value for t in in_declared_order(a.exchange_types)],
            "several: each type of exchange",
        ),
        "counterpart": (
            lambda a: [c.value for c in in_declared_order(a.counterparts)] or [None],
            "several: each Tokyo Tech counterpart (None at institution level or when unknown)",
        ),
        "partner": (lambda a: [p.id for p in a.partners], "several: each partner institution's id"),
    }
)


#: The named keys whose values have an order of their own: :func:`count_by` gives them in that order.
_ORDERED = frozenset({"decade", "concluded"})


def _key_function(key: Key) -> Callable[[Agreement], Iterable[Hashable]]:
    if callable(key):
        function = key

        def values(a: Agreement) -> list[Hashable]:
            result = function(a)
            if isinstance(result, (str, bytes, enum.Enum)) or not isinstance(result, Iterable):
                return [_plain(result)]
            return list(dict.fromkeys(_plain(v) for v in result))  # each value once per agreement

        return values
    if key not in KEYS:
        raise UnknownValueError(
            f"unknown key {quote(key)}; the keys are {', '.join(KEYS)}",
        )
    return KEYS[key][0]  # each value at most once per agreement, by construction


def count_by(agreements: Iterable[Agreement], key: Key) -> dict[Hashable, int]:
    """How many agreements have each value of ``key``: most frequent first, years and decades in order.

    ``key`` is one of :data:`KEYS` (``"country"``, ``"world_region"``,
    ``"subregion"``, ``"region"``, ``"level"``, ``"decade"``, ``"concluded"``,
    ``"exchange_type"``, ``"counterpart"``, ``"partner"``) or a function of an
    agreement returning a value or an iterable of values. Enum members are
    counted under their plain value.

    Where one agreement has several values of the key (several exchange types,
    counterparts, partners or partners' countries), it is counted once under
    each of them, so the counts can sum to more than the number of agreements.
    Ties are ordered by the key's value. The keys ``"decade"`` and
    ``"concluded"`` come in their own order, earliest first, instead.

    The result is a dict that remembers its key: :func:`to_dataframe` makes
    it a labelled pandas Series, and a notebook shows it as a table.

    >>> import tokyotech_partners as ttp
    >>> ds = ttp.load()
    >>> ttp.count_by(ds.agreements, "level")
    {'school': 128, 'institutional': 109}
    >>> list(ttp.count_by(ds.agreements, "country").items())[:3]
    [('CN', 23), ('FR', 22), ('US', 22)]
    >>> ttp.count_by(ds.agreements_where(country="DE"), lambda a: a.concluded >= 2010)
    {True: 7, False: 6}
    >>> ttp.count_by(ds.agreements, "decade")
    {1970: 2, 1980: 7, 1990: 41, 2000: 55, 2010: 120, 2020: 12}
    """
    values = _key_function(key)
    agreements = _agreements(agreements, "count_by")
    counter = _COUNTERS.get(key) if isinstance(key, str) else None
    counts = counter(agreements) if counter else Counter(chain.from_iterable(map(values, agreements)))
    if isinstance(key, str) and key in _ORDERED:
        order = sorted(counts.items(), key=lambda kv: _sortable(kv[0]))
    else:
        order = sorted(counts.items(), key=lambda kv: (-kv[1], _sortable(kv[0])))
    return Counts(order, key_name(key))


def _count_sets(field: str, empty: list[None]) -> Callable[[Iterable[Agreement]], Counter[Hashable]]:
    """Counting the members of a set field: each distinct set once, then its members by its count.

    The sets of exchange types and of counterparts are few (the loader makes
    each one once), so this is one pass of C over the agreements. ``empty`` is
    what an empty set counts as (as in :data:`KEYS`).
    """
    get = attrgetter(field)

    def count(agreements: Iterable[Agreement]) -> Counter[Hashable]:
        counts: Counter[Hashable] = Counter()
        for members, n in Counter(map(get, agreements)).items():
            for value in [m.value for m in members] or empty:
                counts[value] += n
        return counts

    return count


def _count_countries(agreements: Iterable[Agreement]) -> Counter[Hashable]:
    """Counting partner countries as :data:`KEYS` does, without building each agreement's set."""
    counts: Counter[Hashable] = Counter()
    for partners in map(attrgetter("partners"), agreements):
        if len(partners) == 1:
            counts[partners[0].country] += 1  # one partner: its country, or None for a multinational body
        else:
            for country in {p.country for p in partners} - {None} or {None}:
                counts[country] += 1
    return counts


def _count_partners(agreements: Iterable[Agreement]) -> Counter[Hashable]:
    """Counting partner ids as :data:`KEYS` does, in one pass of C over every partner."""
    partners = chain.from_iterable(map(attrgetter("partners"), agreements))
    return Counter(map(attrgetter("id"), partners))


#: Faster counters of the keys most asked for, giving what counting :data:`KEYS` gives (a test checks).
_COUNTERS: Mapping[str, Callable[[Iterable[Agreement]], Counter[Hashable]]] = MappingProxyType(
    {
        "exchange_type": _count_sets("exchange_types", []),
        "counterpart": _count_sets("counterparts", [None]),
        "country": _count_countries,
        "partner": _count_partners,
    }
)


def _agreements(agreements: Iterable[Agreement], function: str) -> Iterable[Agreement]:
    """``agreements``, or a :class:`TypeError` naming ``function`` for a dataset or other records."""
    if type(agreements).__name__ == "Dataset":
        raise TypeError(f"{function} takes agreements, such as ds.agreements, not the dataset")
    items = agreements if isinstance(agreements, (tuple, list)) else tuple(agreements)
    if items and not isinstance(items[0], Agreement):
        raise TypeError(
            f"{function} counts agreements, such as ds.agreements, not {type(items[0]).__name__} records"
        )
    return items


def _sortable(value: Hashable) -> tuple[int, float, str]:
    """Numbers first in numeric order, then everything else by its text, then None."""
    if value is None:
        return (2, 0.0, "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, float(value), "")
    return (1, 0.0, str(value))


def crosstab(
    agreements: Iterable[Agreement], row_key: Key, col_key: Key
) -> dict[Hashable, dict[Hashable, int]]:
    """Counts of agreements for each pair of a row value and a column value.

    The keys are as for :func:`count_by`; an agreement with several values of
    a key is counted once in each combination. Rows and columns are sorted by
    value; a missing combination is 0. The result is a dict of rows that
    remembers its keys: :func:`to_dataframe` makes it a labelled DataFrame.

    >>> import tokyotech_partners as ttp
    >>> table = ttp.crosstab(ttp.load().agreements, "decade", "level")
    >>> table[1990]
    {'institutional': 38, 'school': 3}
    """
    rows_of = _key_function(row_key)
    cols_of = _key_function(col_key)
    pairs: Counter[tuple[Hashable, Hashable]] = Counter()
    for agreement in _agreements(agreements, "crosstab"):
        for row in dict.fromkeys(rows_of(agreement)):
            for col in dict.fromkeys(cols_of(agreement)):
                pairs[(row, col)] += 1
    rows = sorted({r for r, _ in pairs}, key=_sortable)
    cols = sorted({c for _, c in pairs}, key=_sortable)
    return Crosstab(
        ((r, {c: pairs.get((r, c), 0) for c in cols}) for r in rows), key_name(row_key), key_name(col_key)
    )


@attrs.frozen
class CategoryTotal:
    """The amount of one budget category on one side (``category`` None: the side's total)."""

    side: BudgetSide
    category: BudgetCategory | None
    amount_million_yen: int
    percent: Decimal | None


@attrs.frozen
class LineShare:
    """One budget line's share of its side's total, computed (not printed)."""

    id: str
    side: BudgetSide
    kind: LineKind
    label: str
    amount_million_yen: int
    share_percent: Decimal


@attrs.frozen
class Reconciliation:
    """Revenue against expenditure for one category (``category`` None: the totals)."""

    category: BudgetCategory | None
    revenue_million_yen: int
    expenditure_million_yen: int

    @property
    def difference_million_yen(self) -> int:
        """Revenue minus expenditure."""
        return self.revenue_million_yen - self.expenditure_million_yen

    @property
    def balanced(self) -> bool:
        """Whether revenue equals expenditure."""
        return self.difference_million_yen == 0


def budget_totals(lines: Iterable[BudgetLine]) -> tuple[CategoryTotal, ...]:
    """The total and each category, per side, with the printed percents.

    >>> import tokyotech_partners as ttp
    >>> [(t.side.value, t.category and t.category.value, t.amount_million_yen)
    ...  for t in ttp.budget_totals(ttp.load().budget_lines)][:2]
    [('revenue', None, 51890), ('revenue', 'Institute-wide', 28948)]
    """
    return Records(
        CategoryTotal(b.side, b.category, b.amount_million_yen, b.percent)
        for b in lines
        if b.kind in (LineKind.TOTAL, LineKind.CATEGORY)
    )


def budget_shares(lines: Iterable[BudgetLine], places: int = 2) -> tuple[LineShare, ...]:
    """Each line's share of its side's total, in percent, rounded half-up to ``places``.

    >>> import tokyotech_partners as ttp
    >>> share = next(s for s in ttp.budget_shares(ttp.load().budget_lines) if s.label == "Personnel")
    >>> share.share_percent
    Decimal('32.88')
    """
    lines = tuple(lines)
    totals = {b.side: b.amount_million_yen for b in lines if b.kind is LineKind.TOTAL}
    quantum = Decimal(1).scaleb(-places)
    return Records(
        LineShare(
            id=b.id,
            side=b.side,
            kind=b.kind,
            label=b.label,
            amount_million_yen=b.amount_million_yen,
            share_percent=(Decimal(b.amount_million_yen) * 100 / Decimal(totals[b.side])).quantize(
                quantum, ROUND_HALF_UP
            ),
        )
        for b in lines
        if totals.get(b.side)
    )


def reconcile_budget(lines: Iterable[BudgetLine]) -> tuple[Reconciliation, ...]:
    """Revenue against expenditure, for the total and each category.

    >>> import tokyotech_partners as ttp
    >>> all(r.balanced for r in ttp.reconcile_budget(ttp.load().budget_lines))
    True
    """
    amounts: dict[tuple[BudgetSide, BudgetCategory | None], int] = {}
    for b in lines:
        if b.kind in (LineKind.TOTAL, LineKind.CATEGORY):
            amounts[(b.side, b.category)] = b.amount_million_yen
    categories: list[BudgetCategory | None] = [None, *BudgetCategory]
    return Records(
        Reconciliation(
            category=c,
            revenue_million_yen=amounts.get((BudgetSide.REVENUE, c), 0),
            expenditure_million_yen=amounts.get((BudgetSide.EXPENDITURE, c), 0),
        )
        for c in categories
        if (BudgetSide.REVENUE, c) in amounts or (BudgetSide.EXPENDITURE, c) in amounts
    )
