"""Sphinx configuration of the tokyotech_partners documentation.

Build with ``sphinx-build -W --keep-going -b html docs docs/_build/html`` from a
checkout where the package is installed (``pip install -e .``).

On every build, ``builder-inited`` regenerates from the installed package, with the
generators in ``_ext/`` (documentation tools that do not ship in the wheel):

- ``_generated/data-dictionary.md``: the data dictionary (model, fields, enums);
- ``_generated/source.md``: the edition's source, date and checksum;
- ``_generated/corrections.md``: the corrections log, from the packaged data;
- ``_static/agreements-per-year.png`` and ``_static/partner-map.png``: the charts of the
  README and the docs (rewritten only if they changed).

This module imports nothing from Sphinx at module level, so that pytest's
``--doctest-modules`` can import it without Sphinx installed.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Any

import attrs

import tokyotech_partners as ttp

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))  # the generators: documentation tools, not in the wheel

import ttp_corrections as _corrections  # noqa: E402 -- needs the path above
import ttp_docs as _docs  # noqa: E402 -- needs the path above

GENERATED = DOCS / "_generated"
CHART = DOCS / "_static" / "agreements-per-year.png"
MAP = DOCS / "_static" / "partner-map.png"

# -- Project -----------------------------------------------------------------

project = "tokyotech_partners"
author = "tokyotech_partners developers"
copyright = "tokyotech_partners developers; data published by Tokyo Institute of Technology"
release = ttp.__version__
version = ".".join(release.split(".")[:2])

# -- General -----------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_generated", "Thumbs.db", ".DS_Store"]

# Every cross-reference must resolve; what cannot (outside this project, without
# intersphinx, which would need the network) is listed here.
nitpicky = True
nitpick_ignore = [
    # the standard library's and other packages' types in signatures (intersphinx would need the network)
    ("py:class", "collections.abc.Callable"),
    ("py:class", "collections.abc.Hashable"),
    ("py:class", "collections.abc.Iterable"),
    ("py:class", "collections.abc.Mapping"),
    ("py:class", "datetime.date"),
    ("py:class", "decimal.Decimal"),
    ("py:class", "os.PathLike"),
    ("py:class", "Path"),
    ("py:class", "pathlib.Path"),
    ("py:class", "Figure"),
    ("py:class", "pandas.DataFrame"),
    ("py:class", "pandas.Series"),
    ("py:class", "pyarrow.Table"),
    ("py:class", "polars.DataFrame"),
    ("py:class", "hypothesis.strategies.SearchStrategy"),
]

# -- MyST --------------------------------------------------------------------

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- autodoc -----------------------------------------------------------------

autodoc_member_order = "bysource"
autodoc_typehints = "signature"

# -- HTML --------------------------------------------------------------------

html_theme = "alabaster"
html_title = f"tokyotech_partners {release}"
html_static_path = ["_static"]
html_theme_options = {
    "description": "Tokyo Tech's overseas partner agreements, offices and FY2021 budget as typed data",
    "fixed_sidebar": True,
}

# -- Generated pages ---------------------------------------------------------


def _write_if_changed(path: Path, text: str) -> None:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def generate(app: Any = None) -> None:
    """Write the generated pages and the chart from the installed package."""
    ds = ttp.load()
    _write_if_changed(GENERATED / "data-dictionary.md", _docs.data_dictionary(ds))
    _write_if_changed(GENERATED / "source.md", _docs.source_markdown(ds))
    _write_if_changed(GENERATED / "corrections.md", _corrections.render_markdown(ds))
    _docs.write_chart(CHART, ds)
    _docs.write_chart(MAP, ds, kind="map")


def _optional_pages(app: Any, docname: str, source: list[str]) -> None:
    """Drop ``performance`` from the index's toctree while docs/performance.md does not exist."""
    if docname == "index" and not (DOCS / "performance.md").exists():
        source[0] = "\n".join(line for line in source[0].split("\n") if line.strip() != "performance")


def _fill_docstrings(app: Any, what: str, name: str, obj: object, options: Any, lines: list[str]) -> None:
    """Give autodoc the meanings it cannot find by itself.

    - a public data name re-exported by ``tokyotech_partners``: its ``#:``
      comment in the private module defining it (and, for ``KEYS``, the keys);
    - an enum: each member, with its value and description;
    - an attrs field: its ``description`` metadata.
    """
    prefix, _, short = name.rpartition(".")
    if what == "data" and prefix == "tokyotech_partners":
        # autodoc looks for a ``#:`` comment in __init__.py only, then falls back to the type's docstring
        text = _docs.data_docs().get(short)
        if text:
            lines[:] = [text]
        if short == "KEYS":
            lines += ["", *(f'- ``"{key}"``: {meaning}' for key, (_, meaning) in ttp.KEYS.items())]
    elif what == "class" and isinstance(obj, type) and issubclass(obj, enum.Enum):
        # autodoc gives enum members no docstring of their own: list them in the class's
        for member in obj:
            lines += [
                "",
                f".. attribute:: {member.name}",
                f"   :value: {member.value!r}",
                "",
                f"   {_docs.member_description(member)}",
            ]
    elif what == "attribute" and not lines and prefix.startswith("tokyotech_partners."):
        owner = getattr(ttp, prefix.split(".")[1], None)
        if isinstance(owner, type) and attrs.has(owner) and short in attrs.fields_dict(owner):
            description = attrs.fields_dict(owner)[short].metadata.get("description")
            if description:
                lines.append(description)


def _always_reread_index(
    app: Any, env: Any, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Re-read the index on every build, so that an optional page added since is put in its toctree."""
    return ["index"]


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", generate)
    app.connect("source-read", _optional_pages)
    app.connect("env-get-outdated", _always_reread_index)
    app.connect("autodoc-process-docstring", _fill_docstrings)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
