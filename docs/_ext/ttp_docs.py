"""Documentation generated from the model and the packaged data (used by ``docs/conf.py``).

Nothing here is public API: the Sphinx build calls these functions so that the
data dictionary, the description of the source and the chart in the docs are
always those of the installed package, never copied by hand.

>>> from tokyotech_partners import Region
>>> member_description(Region.MULTI_REGION)
'One agreement whose parties are in different regions.'
"""

from __future__ import annotations

import ast
import decimal
import enum
import importlib
import inspect
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from tokyotech_partners import Correction, Dataset, Edition, load
from tokyotech_partners._enums import ENUMS, declared_order
from tokyotech_partners._model import MODEL_CLASSES
from tokyotech_partners._schema import description_of
from tokyotech_partners._tables import TABLES
from tokyotech_partners._text import clip
from tokyotech_partners._tidy import DERIVED_TABLES, build

__all__ = [
    "ENUMS",
    "MODEL_CLASSES",
    "cell",
    "data_dictionary",
    "data_docs",
    "field_description",
    "member_description",
    "source_markdown",
    "write_chart",
]

# Public data names whose meaning is not a ``#:`` comment in the package's modules.
_EXTRA_DATA_DOCS = {
    "__version__": "The installed package's version; the data's is :attr:`Edition.data_version`.",
}


def member_description(member: enum.Enum) -> str:
    """What an enum member means (its ``description``); :class:`LookupError` if it has none."""
    try:
        return str(member.description)  # type: ignore[attr-defined]
    except (AttributeError, KeyError):
        raise LookupError(f"{type(member).__name__}.{member.name} has no description") from None


def field_description(cls: type[Any], name: str) -> str:
    """The ``description`` metadata of the attrs field ``name`` of ``cls``; LookupError if missing."""
    if name not in attrs.fields_dict(cls):
        raise KeyError(name)
    return description_of(cls, name)


def data_docs() -> dict[str, str]:
    """The meaning of each public data name (not a class, function or module) of the package.

    Taken from the ``#:`` comment above its assignment in the private module
    ``tokyotech_partners/__init__.py`` imports it from. A public data name
    without one is missing from the result (a test checks there is none).
    """
    package = importlib.import_module("tokyotech_partners")
    directory = Path(inspect.getfile(package)).parent
    origin: dict[str, str] = {}  # public name -> the module file it is imported from
    # ast.walk also finds the imports under ``if TYPE_CHECKING:`` of the lazily loaded names
    for node in ast.walk(ast.parse((directory / "__init__.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            origin.update({alias.asname or alias.name: node.module for alias in node.names})
    out: dict[str, str] = {}
    for name in package.__all__:
        value = getattr(package, name)
        if inspect.isclass(value) or inspect.isroutine(value) or inspect.ismodule(value):
            continue
        if name in _EXTRA_DATA_DOCS:
            out[name] = _EXTRA_DATA_DOCS[name]
        elif name in origin:
            source = (directory / f"{origin[name]}.py").read_text(encoding="utf-8")
            comment = _comment_docs(source).get(name)
            if comment:
                out[name] = comment
    return out


def _comment_docs(source: str) -> dict[str, str]:
    """``NAME -> text`` for each module-level assignment preceded by ``#:`` comment lines."""
    lines = source.splitlines()
    docs: dict[str, str] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        elif isinstance(node, ast.AnnAssign):
            target = node.target
        else:
            continue
        if not isinstance(target, ast.Name):
            continue
        comment: list[str] = []
        number = node.lineno - 2
        while number >= 0 and lines[number].startswith("#:"):
            comment.insert(0, lines[number][2:].strip())
            number -= 1
        if comment:
            docs[target.id] = " ".join(comment)
    return docs


# ------------------------------------------------------------------ the data dictionary


def _type_text(annotation: object) -> str:
    """An annotation as written in the model (``_dt.date`` shown as ``datetime.date``)."""
    if isinstance(annotation, type):
        text = annotation.__qualname__
    elif isinstance(annotation, str):
        text = annotation
    else:  # a resolved generic or union: drop the module paths from its repr
        text = re.sub(r"\b(?:[A-Za-z_]\w*\.)+(?=[A-Za-z_])", "", repr(annotation))
    return text.replace("_dt.", "datetime.")


def _field_type(cls: type[Any], name: str) -> str:
    """The field's annotation as written (attrs' own ``type`` may have been resolved by cattrs)."""
    for klass in cls.__mro__:
        written = inspect.get_annotations(klass).get(name)
        if written is not None:
            return _type_text(written)
    return _type_text(attrs.fields_dict(cls)[name].type)


def _show(value: object) -> str:
    """A compact Python-like rendering of an example value."""
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if attrs.has(type(value)) and hasattr(value, "id"):
        return f"<{type(value).__name__} {value.id}>"
    if isinstance(value, frozenset):
        members = sorted(value, key=declared_order)
        return "frozenset({" + ", ".join(_show(v) for v in members) + "})"
    if isinstance(value, tuple):
        shown = [_show(v) for v in value]
        if len(shown) > 3:
            shown = [*shown[:2], f"… {len(shown) - 2} more"]
        return "(" + ", ".join(shown) + ("," if len(shown) == 1 else "") + ")"
    if isinstance(value, str):
        return repr(clip(value, 64))
    if isinstance(value, decimal.Decimal):
        return f"Decimal('{value}')"
    return repr(value)


def _informative(value: object) -> bool:
    if value is None or value is False:
        return False
    return not (isinstance(value, (tuple, frozenset, str)) and not value)


def _record_name(record: object) -> str:
    for key in ("id", "code"):
        if isinstance(getattr(record, key, None), str):
            return str(getattr(record, key))
    if isinstance(record, Correction):
        return f"{record.record} {record.field}"
    return type(record).__name__.lower()


def _records(ds: Dataset, cls: type[Any]) -> Sequence[Any]:
    if cls is Edition:
        return (ds.edition,)
    for table in DERIVED_TABLES:
        if table.record is cls:
            return build(ds, table)
    tables: dict[type[Any], Sequence[Any]] = {table.record: getattr(ds, table.name) for table in TABLES}
    return tables[cls]


def _example(records: Sequence[Any], get: Callable[[Any], object]) -> tuple[str, str]:
    """The first informative value in ``records`` (else the first value) and its record's name."""
    for record in records:
        value = get(record)
        if _informative(value):
            return _show(value), _record_name(record)
    if not records:
        return "", ""
    return _show(get(records[0])), _record_name(records[0])


def cell(text: str) -> str:
    """Text made safe for one cell of a Markdown table."""
    return text.replace("|", "\\|").replace("\t", " ").replace("\n", " ")


def _code(text: str) -> str:
    return f"``{cell(text)}``" if "`" in text else f"`{cell(text)}`"


def _first_line(doc: str | None) -> str:
    return (inspect.cleandoc(doc or "").split("\n\n")[0]).replace("\n", " ")


def _properties(cls: type[Any]) -> Iterable[tuple[str, property]]:
    for name, value in vars(cls).items():
        if isinstance(value, property) and not name.startswith("_"):
            yield name, value


def _class_section(ds: Dataset, cls: type[Any]) -> list[str]:
    records = _records(ds, cls)
    out = [
        f"### {cls.__name__}",
        "",
        _first_line(cls.__doc__),
        "",
        f"{len(records)} in the packaged data. API: {{py:class}}`tokyotech_partners.{cls.__name__}`.",
        "",
        "| field | type | meaning | example (record) |",
        "|---|---|---|---|",
    ]
    for field in attrs.fields(cls):
        value, where = _example(records, operator.attrgetter(field.name))
        out.append(
            f"| {_code(field.name)} | {_code(_field_type(cls, field.name))} | "
            f"{cell(field_description(cls, field.name))} | {_code(value)} ({cell(where)}) |"
        )
    derived = list(_properties(cls))
    if derived:
        out += [
            "",
            "Derived from the fields (read-only properties):",
            "",
            "| property | type | meaning | example (record) |",
            "|---|---|---|---|",
        ]
        for name, prop in derived:
            value, where = _example(records, operator.attrgetter(name))
            returns = inspect.get_annotations(prop.fget).get("return", "") if prop.fget else ""
            out.append(
                f"| {_code(name)} | {_code(_type_text(returns))} | "
                f"{cell(_first_line(prop.__doc__))} | {_code(value)} ({cell(where)}) |"
            )
    return [*out, ""]


def _enum_section(ds: Dataset, kind: type[enum.Enum]) -> list[str]:
    used = _enum_uses(ds)
    out = [
        f"### {kind.__name__}",
        "",
        _first_line(kind.__doc__),
        "",
        "| member | value | meaning | records |",
        "|---|---|---|---|",
    ]
    for member in kind:
        out.append(
            f"| {_code(member.name)} | {_code(repr(member.value))} | "
            f"{cell(member_description(member))} | {used.get(member, 0)} |"
        )
    return [*out, ""]


def _enum_uses(ds: Dataset) -> dict[enum.Enum, int]:
    """How many records of the packaged data carry each enum member."""
    counts: dict[enum.Enum, int] = {}
    for table in (ds.agreements, ds.offices, ds.budget_lines, ds.corrections):
        for record in table:
            members: set[enum.Enum] = set()
            for field in attrs.fields(type(record)):
                value = getattr(record, field.name)
                values = value if isinstance(value, frozenset) else (value,)
                members.update(v for v in values if isinstance(v, enum.Enum))
            for member in members:
                counts[member] = counts.get(member, 0) + 1
    return counts


def data_dictionary(ds: Dataset | None = None) -> str:
    """The data dictionary as Markdown: every model class, field and enum member.

    Field meanings come from the fields' ``description`` metadata, examples
    from ``ds`` (the packaged data by default). A field without a description
    or an enum member without a meaning raises :class:`LookupError`.
    """
    ds = load() if ds is None else ds
    out = [
        "<!-- Generated by docs/_ext/ttp_docs.py (data_dictionary); do not edit. -->",
        "",
        "## Records",
        "",
        f"Examples are the first informative values in the packaged data, edition "
        f"{ds.edition.data_version}; the record they come from is in brackets.",
        "",
    ]
    for cls in MODEL_CLASSES:
        out += _class_section(ds, cls)
    out += [
        "## Tidy tables",
        "",
        "Long tables derived from the records, one row per pair: the functions of the same names "
        "(such as `ttp.agreement_partners(ds.agreements)`) return them, and the data package holds "
        "them as CSV files.",
        "",
    ]
    for table in DERIVED_TABLES:
        section = _class_section(ds, table.record)
        section[0] += f" (`{table.name}`)"
        out += section
    out += [
        "## Enumerations",
        "",
        "Each filter of `Dataset.agreements_where()` accepts a member, its value or its name. "
        "*Records* counts the agreements, offices, budget lines and corrections carrying the member.",
        "",
    ]
    for kind in ENUMS:
        out += _enum_section(ds, kind)
    return "\n".join(out).rstrip("\n") + "\n"


# ------------------------------------------------------------------ the source


def source_markdown(ds: Dataset | None = None) -> str:
    """The edition's description of its source, as a Markdown list."""
    ds = load() if ds is None else ds
    e = ds.edition
    rows = [
        ("Title", e.title),
        ("Publisher", e.publisher),
        ("Agreements and offices as of", e.as_of.isoformat()),
        ("Budget fiscal year", f"FY{e.fiscal_year}"),
        ("Source file", f"`source/{e.source_file}`"),
        ("SHA-256 of the source file", f"`{e.source_sha256}`"),
        ("Data version", f"`{e.data_version}`"),
        ("Licence", e.licence),
    ]
    return "\n".join(
        [
            "<!-- Generated by docs/_ext/ttp_docs.py (source_markdown); do not edit. -->",
            "",
            *(f"- **{label}:** {value}" for label, value in rows),
            "",
            f"The packaged edition holds {len(ds.agreements)} agreements with "
            f"{len(ds.institutions)} institutions, {len(ds.offices)} offices, "
            f"{len(ds.budget_lines)} budget lines and {len(ds.corrections)} corrections.",
            "",
        ]
    )


def write_chart(path: str | Path, ds: Dataset | None = None, kind: str = "years") -> bool:
    """Draw a chart of the docs (``"years"`` or ``"map"``) to ``path`` (PNG); return whether it changed.

    The file is rewritten only when its bytes would differ, and carries no
    timestamp or software version, so that an unchanged chart stays unchanged.
    """
    import io

    from tokyotech_partners import plot_agreements_per_year, plot_map

    buffer = io.BytesIO()
    plot = {"years": plot_agreements_per_year, "map": plot_map}[kind]
    figure = plot(load() if ds is None else ds)
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    target = Path(path)
    data = buffer.getvalue()
    if target.is_file() and target.read_bytes() == data:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return True
