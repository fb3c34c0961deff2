"""How records and results show themselves: short reprs and compact HTML tables for notebooks.

Nothing here imports the rest of the package (the model imports this module),
and nothing here is imported by ``import tokyotech_partners`` beyond the
result types: the HTML is built only when a notebook asks for it. Every text
put into HTML passes through :func:`html.escape`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar

import attrs

from ._enums import in_declared_order
from ._text import clip

__all__ = ["MAX_ROWS", "Counts", "Crosstab", "Records", "html_table", "record_html", "short"]

#: At most this many rows of a result are shown in its HTML display; the rest are counted.
MAX_ROWS = 20
_MAX_COLUMNS = 16
_CELL = 60

T = TypeVar("T")

# The columns a table of records shows, by record class name (the rest are in each record's own display).
_BRIEF: dict[str, tuple[str, ...]] = {
    "Agreement": ("id", "level", "concluded", "partners", "countries", "exchange_types", "counterparts"),
    "Institution": ("id", "name", "country"),
    "Office": ("id", "name", "kind", "city", "country", "established"),
    "BudgetLine": ("id", "side", "kind", "label", "amount_million_yen", "percent"),
    "Country": ("code", "name", "world_region", "subregion"),
    "Correction": ("record", "field", "kind", "printed", "recorded"),
}


def short(value: object, width: int = _CELL) -> str:
    """``value`` as a short plain text for one table cell (records by id, enums by value)."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if attrs.has(type(value)):
        for key in ("id", "code"):
            if isinstance(getattr(value, key, None), str):
                return clip(str(getattr(value, key)), width)
        return clip(type(value).__name__, width)
    if isinstance(value, (tuple, list, frozenset, set)):
        items = in_declared_order(value)
        return clip(", ".join(short(v, width) for v in items), width)
    return clip(str(value), width)


def _name(value: object, width: int = _CELL) -> str:
    """Like :func:`short`, but an institution by its name (the table of agreements shows partners so)."""
    if isinstance(value, tuple) and value and all(hasattr(v, "name") and hasattr(v, "id") for v in value):
        return clip(" / ".join(str(v.name) for v in value), width)
    return short(value, width)


def _cell(value: object) -> object:
    """A number as it is (shown right-aligned), anything else as short text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return _name(value)


def html_table(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    caption: str | None = None,
    total: int | None = None,
    index: bool = True,
) -> str:
    """An escaped HTML table of at most :data:`MAX_ROWS` rows ("... N more rows" for the rest).

    ``total`` is the number of rows in all (``rows`` may be longer than what is
    shown; only the first :data:`MAX_ROWS` are read). ``index`` marks the first
    column as row headers.
    """
    import html

    shown: list[Sequence[object]] = []
    for row in rows:
        if len(shown) == MAX_ROWS:
            break
        shown.append(row)
    if total is None:
        total = len(shown)
    columns = list(header)[:_MAX_COLUMNS]
    cut = len(header) - len(columns)
    out = ['<table class="ttp">']
    if caption:
        out.append(f'<caption style="text-align:left">{html.escape(caption)}</caption>')
    out.append("<thead><tr>" + "".join(f"<th>{html.escape(str(h))}</th>" for h in columns))
    if cut:
        out.append(f"<th>… {cut} more columns</th>")
    out.append("</tr></thead><tbody>")
    for row in shown:
        cells = []
        for k, value in enumerate(list(row)[: len(columns)]):
            tag = "th" if index and k == 0 else "td"
            text = value if isinstance(value, str) else short(value)
            if isinstance(value, float):
                text = f"{value:,}"
            align = ' style="text-align:right"' if isinstance(value, (int, float)) else ""
            cells.append(f"<{tag}{align}>{html.escape(text)}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if total > len(shown):
        more = total - len(shown)
        out.append(f"<p>... {more} more row{'s' if more != 1 else ''} ({total} in all)</p>")
    return "\n".join(out)


def _columns(cls: type[Any]) -> tuple[str, ...]:
    brief = _BRIEF.get(cls.__name__)
    if brief is not None:
        return brief
    return tuple(f.name for f in attrs.fields(cls) if not f.name.startswith("_"))


def records_html(items: Sequence[object], caption: str | None = None) -> str:
    """One row per record: the columns that identify it (each record's own display has every field)."""
    if not items:
        return html_table([], [], caption=caption or "no records", index=False)
    first = type(items[0])
    if not all(type(i) is first for i in items) or not attrs.has(first):
        return html_table(
            ["", "value"], ((k, repr(v)) for k, v in enumerate(items)), caption=caption, total=len(items)
        )
    names = _columns(first)
    label = f"{len(items)} {first.__name__}{'s' if len(items) != 1 else ''}"
    return html_table(
        names,
        ([_cell(getattr(i, n)) for n in names] for i in items),
        caption=caption or label,
        total=len(items),
    )


def record_html(record: object, extra: Iterable[str] = ()) -> str:
    """One record as a two-column table, field and value (then the properties named in ``extra``)."""
    cls: type[Any] = type(record)
    names = [f.name for f in attrs.fields(cls) if not f.name.startswith("_")] + list(extra)
    rows = []
    for name in names:
        value = getattr(record, name)
        rows.append((name, _name(value, 200) if name == "partners" else short(value, 200)))
    import html as _html

    body = "".join(f"<tr><th>{_html.escape(n)}</th><td>{_html.escape(v)}</td></tr>" for n, v in rows)
    caption = f'<caption style="text-align:left">{_html.escape(cls.__name__)}</caption>'
    return f'<table class="ttp">{caption}{body}</table>'


def key_name(key: object) -> str:
    """A label for a key of :func:`count_by`: its name, or a function's name ("value" for a lambda)."""
    if isinstance(key, str):
        return key
    name = getattr(key, "__name__", "")
    return name if name and name != "<lambda>" else "value"


class Records(tuple[T, ...]):
    """A tuple of records that shows itself as a table in a notebook (otherwise a plain tuple)."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return records_html(self)


class Counts(dict[Hashable, int]):
    """The result of :func:`count_by`: a dict of counts that remembers its key."""

    __slots__ = ("key",)

    def __init__(self, counts: Iterable[tuple[Hashable, int]], key: str) -> None:
        super().__init__(counts)
        self.key = key

    def _repr_html_(self) -> str:
        return html_table(
            [self.key, "agreements"],
            ((("(none)" if k is None else str(k)), v) for k, v in self.items()),
            caption=f"count_by {self.key}: {len(self)} values",
            total=len(self),
        )


class Crosstab(dict[Hashable, dict[Hashable, int]]):
    """The result of :func:`crosstab`: rows of counts that remember the row and column keys."""

    __slots__ = ("col_key", "row_key")

    def __init__(
        self, rows: Iterable[tuple[Hashable, dict[Hashable, int]]], row_key: str, col_key: str
    ) -> None:
        super().__init__(rows)
        self.row_key = row_key
        self.col_key = col_key

    def _repr_html_(self) -> str:
        columns = list(next(iter(self.values()), {}))
        label: Callable[[Hashable], str] = lambda k: "(none)" if k is None else str(k)  # noqa: E731
        return html_table(
            [f"{self.row_key} \\ {self.col_key}", *(label(c) for c in columns)],
            ([label(r), *(row.get(c, 0) for c in columns)] for r, row in self.items()),
            caption=f"crosstab {self.row_key} x {self.col_key}: {len(self)} rows, {len(columns)} columns",
            total=len(self),
        )
