"""Charts of the dataset (the ``plot`` extra: matplotlib, imported only when a chart is drawn)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ._aggregate import count_by, crosstab
from ._enums import AgreementLevel, BudgetCategory, BudgetSide, Counterpart, LineKind
from ._errors import MissingExtraError
from ._model import Agreement, BudgetLine
from ._text import clip, quote

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ._dataset import Dataset

__all__ = ["plot_agreements_per_year", "plot_budget", "plot_counterparts", "plot_countries"]

_LEVEL_COLOURS = {AgreementLevel.INSTITUTIONAL: "#1f4e79", AgreementLevel.SCHOOL: "#7fb3d5"}
_CATEGORY_COLOURS = {
    BudgetCategory.INSTITUTE_WIDE: "#1f4e79",
    BudgetCategory.SCHOOLS: "#c55a11",
    BudgetCategory.SPECIFIED_CONTRIBUTIONS: "#548235",
}


def dataset_first(ds: object, function: str) -> None:
    """A :class:`TypeError` naming ``function`` unless ``ds`` is a dataset (the charts take it first)."""
    from ._dataset import Dataset

    if not isinstance(ds, Dataset):
        raise TypeError(
            f"{function} takes the dataset first, then the agreements if any: "
            f"{function}(ds, ds.agreements_where(...)), not {type(ds).__name__}"
        )


def _figure(width: float, height: float) -> Figure:
    try:
        from ._figure import Figure as ShownFigure
    except ImportError:
        raise MissingExtraError("matplotlib", "plot", "plotting") from None
    return ShownFigure(figsize=(width, height), layout="constrained")


def _source_note(fig: Figure, ds: Dataset) -> None:
    # supxlabel, unlike fig.text, gets room of its own from the constrained layout
    fig.supxlabel(
        f"Source: Tokyo Tech, as of {ds.as_of.isoformat()}; "
        f"tokyotech_partners data {ds.edition.data_version}",
        x=0.99,
        ha="right",
        fontsize=7,
        color="#555555",
    )


def plot_agreements_per_year(ds: Dataset, agreements: Sequence[Agreement] | None = None) -> Figure:
    """Agreements concluded per year, stacked by level; returns a matplotlib Figure.

    >>> import tokyotech_partners as ttp
    >>> fig = ttp.plot_agreements_per_year(ttp.load())
    >>> fig.axes[0].get_title()
    'Agreements concluded per year (237 agreements)'
    """
    dataset_first(ds, "plot_agreements_per_year")
    chosen = ds.agreements if agreements is None else tuple(agreements)
    if not chosen:
        raise ValueError("no agreements to plot")
    table = crosstab(chosen, "concluded", "level")
    years = list(range(min(a.concluded for a in chosen), max(a.concluded for a in chosen) + 1))
    fig = _figure(10, 4.8)
    from matplotlib.ticker import MaxNLocator

    ax = fig.add_subplot()
    bottom = [0] * len(years)
    for level in AgreementLevel:
        heights = [int(table.get(y, {}).get(level.value, 0)) for y in years]
        ax.bar(years, heights, bottom=bottom, label=level.description, color=_LEVEL_COLOURS[level])
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_title(f"Agreements concluded per year ({len(chosen)} agreements)")
    ax.set_xlabel("Year concluded")
    ax.set_ylabel(f"Agreements in force on {ds.as_of.isoformat()}")
    ax.legend(frameon=False, loc="upper left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _source_note(fig, ds)
    return fig


def plot_countries(ds: Dataset, agreements: Sequence[Agreement] | None = None, top: int = 15) -> Figure:
    """The ``top`` countries by number of agreements, as horizontal bars.

    An agreement with partners in several countries counts once for each.

    >>> import tokyotech_partners as ttp
    >>> fig = ttp.plot_countries(ttp.load(), top=5)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()][::-1]  # top to bottom
    ['China', 'France', 'United States', 'Taiwan', 'United Kingdom']
    """
    dataset_first(ds, "plot_countries")
    if isinstance(top, bool) or not isinstance(top, int):
        raise TypeError(f"top must be an int, got {type(top).__name__} {quote(top)}")
    if top < 1:
        raise ValueError(f"top must be positive, got {top}")
    chosen = ds.agreements if agreements is None else tuple(agreements)
    counts = [(code, n) for code, n in count_by(chosen, "country").items() if code is not None]
    if not counts:
        raise ValueError("no agreements with a partner country to plot")
    shown = counts[:top]
    fig = _figure(8, 0.35 * len(shown) + 1.4)
    ax = fig.add_subplot()
    names = [ds.country_name(str(code)) for code, _ in shown][::-1]
    values = [n for _, n in shown][::-1]
    bars = ax.barh(names, values, color="#1f4e79")
    ax.bar_label(bars, padding=3, fontsize=8)
    ax.set_title(f"Agreements by partner country (top {len(shown)} of {len(counts)})")
    ax.set_xlabel("Agreements (an agreement counts once per partner country)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.08)
    _source_note(fig, ds)
    return fig


def plot_counterparts(ds: Dataset, agreements: Sequence[Agreement] | None = None) -> Figure:
    """School-level agreements per Tokyo Tech counterpart, uncertain readings shown apart.

    >>> import tokyotech_partners as ttp
    >>> fig = ttp.plot_counterparts(ttp.load())
    >>> fig.get_suptitle()
    'School-level agreements by Tokyo Tech counterpart (128 agreements)'
    """
    dataset_first(ds, "plot_counterparts")
    chosen = [
        a for a in (ds.agreements if agreements is None else agreements) if a.level is AgreementLevel.SCHOOL
    ]
    units = list(Counterpart)
    certain = [sum(c in a.counterparts and not a.counterparts_uncertain for a in chosen) for c in units]
    doubtful = [sum(c in a.counterparts and a.counterparts_uncertain for a in chosen) for c in units]
    unknown = sum(not a.counterparts for a in chosen)
    labels = [c.full_name for c in units] + ["No mark in the source"]
    fig = _figure(9, 5.5)
    ax = fig.add_subplot()
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, [*certain, 0], color="#1f4e79", label="read with certainty")
    ax.barh(positions, [*doubtful, unknown], left=[*certain, 0], color="#f4b183", label="uncertain reading")
    ax.set_yticks(positions, labels)
    fig.suptitle(f"School-level agreements by Tokyo Tech counterpart ({len(chosen)} agreements)")
    ax.set_xlabel("Agreements (an agreement counts once per counterpart)")
    ax.legend(frameon=False, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    _source_note(fig, ds)
    return fig


def _budget_side(ax: Any, lines: Sequence[BudgetLine]) -> None:
    """One side's items as horizontal bars, breakdowns as segments, amounts and percents beside."""
    items = [b for b in lines if b.kind is LineKind.ITEM]
    labels = []
    positions = list(range(len(items)))[::-1]
    for position, item in zip(positions, items, strict=True):
        assert item.category is not None
        colour = _CATEGORY_COLOURS[item.category]
        parts = [
            b
            for b in lines
            if b.kind is LineKind.BREAKDOWN and b.parent == item.item and b.category is item.category
        ]
        left = 0
        for k, part in enumerate(parts):
            amount = part.amount_million_yen
            ax.barh(position, amount, left=left, color=colour, alpha=1.0 - 0.18 * k, edgecolor="white")
            if amount > 1800:
                ax.text(
                    left + amount / 2,
                    position,
                    f"{amount:,}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white",
                )
            left += amount
        if not parts:
            ax.barh(position, item.amount_million_yen, color=colour)
        ax.text(
            item.amount_million_yen + 250,
            position,
            f"{item.amount_million_yen:,} ({item.percent}%)",
            va="center",
            fontsize=8,
        )
        labels.append(clip(item.label, 46) + (" (split)" if parts else ""))
    ax.set_yticks(positions, labels, fontsize=8)


def plot_budget(ds: Dataset) -> Figure:
    """Revenue beside expenditure: every item, coloured by category, breakdowns stacked.

    >>> import tokyotech_partners as ttp
    >>> fig = ttp.plot_budget(ttp.load())
    >>> [ax.get_title() for ax in fig.axes]
    ['Revenue', 'Expenditure']
    """
    dataset_first(ds, "plot_budget")
    fig = _figure(14, 6.4)
    axes = fig.subplots(1, 2, sharex=True)
    for ax, side in zip(axes, BudgetSide, strict=True):
        _budget_side(ax, [b for b in ds.budget_lines if b.side is side])
        ax.set_title(side.value.capitalize())
        ax.set_xlabel("million yen")
        ax.spines[["top", "right"]].set_visible(False)
        ax.margins(x=0.22)
    from matplotlib.patches import Patch

    axes[0].legend(
        handles=[Patch(color=c, label=cat.value) for cat, c in _CATEGORY_COLOURS.items()],
        loc="lower right",
        frameon=False,
        fontsize=8,
    )
    totals = {b.side: b.amount_million_yen for b in ds.budget_lines if b.kind is LineKind.TOTAL}
    fig.suptitle(
        f"Budget FY{ds.fiscal_year} (million yen): revenue {totals[BudgetSide.REVENUE]:,}, "
        f"expenditure {totals[BudgetSide.EXPENDITURE]:,}; breakdowns shown as segments"
    )
    _source_note(fig, ds)
    return fig
