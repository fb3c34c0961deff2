"""The readable summary printed by ``python -m tokyotech_partners``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ._budget import check_budget
from ._dataset import Dataset
from ._enums import AgreementLevel, BudgetSide, LineKind, Region
from ._text import clip

__all__ = ["balance_line", "budget_table", "summary", "table"]


def table(
    rows: Sequence[tuple[str, ...]],
    right: frozenset[int] = frozenset(),
    *,
    flex: int | None = None,
    width: int = 80,
) -> list[str]:
    """Rows as aligned text lines, indented by two spaces; columns in ``right`` right-aligned.

    Column ``flex``, if given, is clipped (with "…") so that no line is wider than ``width``.
    """
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    if flex is not None:
        others = sum(w for i, w in enumerate(widths) if i != flex)
        room = max(width - 2 - 2 * (len(widths) - 1) - others, 8)
        rows = [tuple(clip(c, room) if i == flex else c for i, c in enumerate(row)) for row in rows]
        widths[flex] = min(widths[flex], room)
    out = []
    for row in rows:
        cells = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(row)]
        out.append("  " + "  ".join(cells).rstrip())
    return out


def summary(ds: Dataset, *, top: int = 10, oldest: int = 5) -> str:
    """A plain-text summary of the dataset, at most 80 columns wide.

    >>> import tokyotech_partners as ttp
    >>> from tokyotech_partners._summary import summary
    >>> print(summary(ttp.load()).splitlines()[0])
    Tokyo Tech overseas partners, as of 2021-05-01 (data 2021.3)
    """
    lines = [
        f"Tokyo Tech overseas partners, as of {ds.as_of.isoformat()} (data {ds.edition.data_version})",
        "",
    ]
    by_level = Counter(a.level for a in ds.agreements)
    lines.append(
        f"Agreements: {len(ds.agreements)} "
        f"({by_level[AgreementLevel.INSTITUTIONAL]} institution-level, "
        f"{by_level[AgreementLevel.SCHOOL]} school-level) "
        f"with {len(ds.institutions)} institutions"
    )
    lines.append("")
    lines.append("By region")
    lines += _region_table(ds)

    lines.append("")
    lines.append(f"Countries with most agreements (top {top}; an agreement counts once per country)")
    per_country = Counter(code for a in ds.agreements for code in a.countries)
    ranked = sorted(per_country.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    lines += table([(code, ds.country_name(code), str(n)) for code, n in ranked], right=frozenset({2}))

    lines.append("")
    lines.append(f"Oldest agreements ({oldest})")
    old = sorted(ds.agreements, key=lambda a: (a.concluded, a.id))[:oldest]
    lines += table(
        [
            (
                str(a.concluded),
                a.id,
                clip(" / ".join(p.name for p in a.partners), 50),
                a.level.value,
            )
            for a in old
        ]
    )

    lines.append("")
    lines.append("Offices")
    lines += table(
        [(o.name, f"{o.city}, {ds.country_name(o.country)}", f"since {o.established}") for o in ds.offices]
    )
    lines.extend(
        f"  ({o.name} succeeds {o.succeeds}, est. {o.succeeds_established})" for o in ds.offices if o.succeeds
    )

    lines.append("")
    lines.append(f"Budget FY{ds.fiscal_year} (million yen)")
    for side in BudgetSide:
        lines += budget_table(ds, side)
    lines.append(balance_line(ds))
    lines.append("")
    lines.append(f"Corrections to the printed source: {len(ds.corrections)}")
    lines.append(
        "School-level rows whose Tokyo Tech counterpart reading is uncertain: "
        f"{sum(a.counterparts_uncertain for a in ds.agreements)}"
    )
    return "\n".join(lines)


def _region_table(ds: Dataset) -> list[str]:
    """Agreements per regional heading, by level."""
    rows: list[tuple[str, ...]] = [("region", "institutional", "school", "all")]
    for region in Region:
        here = [a for a in ds.agreements if a.region is region]
        if not here:
            continue
        n_inst = sum(a.level is AgreementLevel.INSTITUTIONAL for a in here)
        rows.append((region.value, str(n_inst), str(len(here) - n_inst), str(len(here))))
    return table(rows, right=frozenset({1, 2, 3}))


def budget_table(ds: Dataset, side: BudgetSide) -> list[str]:
    """One side of the budget as indented, aligned lines (breakdowns marked "-")."""
    rows: list[tuple[str, ...]] = []
    for b in ds.budget_lines:
        if b.side is not side:
            continue
        indent = {
            LineKind.TOTAL: "",
            LineKind.CATEGORY: "  ",
            LineKind.ITEM: "    ",
            LineKind.BREAKDOWN: "      - ",
        }[b.kind]
        percent = f"{b.percent}%" if b.percent is not None else ""
        rows.append((indent + clip(b.label, 56 - len(indent)), f"{b.amount_million_yen:,}", percent))
    return [f"  {side.value.capitalize()}", *("  " + row for row in table(rows, right=frozenset({1, 2})))]


def balance_line(ds: Dataset) -> str:
    """The result of the budget's balance check, with every problem on its own line."""
    problems = check_budget(ds.budget_lines)
    if not problems:
        return "  Balance check: OK (every sum and percent agrees; revenue = expenditure)"
    return "\n".join(["  Balance check: FAILED", *(f"    {p}" for p in problems)])
