"""The documentation: API reference coverage, generated data dictionary, tested examples, build."""

from __future__ import annotations

import enum
import importlib.util
import inspect
import io
import re
import shlex
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
import ttp_docs as _docs

import tokyotech_partners as ttp
from tokyotech_partners import _enums, _model
from tokyotech_partners._cli import main

DOCS = Path(__file__).resolve().parent.parent / "docs"
API = DOCS / "api.rst"

_DIRECTIVE = re.compile(r"^\.\. (autofunction|autoclass|autoexception|autodata|automodule):: (\S+)", re.M)


def _documented() -> dict[str, str]:
    """Name -> autodoc directive, for every entry of the API reference page."""
    return {name: kind for kind, name in _DIRECTIVE.findall(API.read_text(encoding="utf-8"))}


def _doc_pages() -> list[Path]:
    skip = {"_build", "_generated"}
    return [p for p in sorted(DOCS.rglob("*.md")) if not skip & set(p.relative_to(DOCS).parts)]


# ------------------------------------------------------------------ API reference


def test_api_reference_documents_every_public_name() -> None:
    documented = _documented()
    missing = [name for name in ttp.__all__ if name not in documented]
    assert not missing, f"not in docs/api.rst: {missing}"
    assert documented.get("tokyotech_partners.strategies") == "automodule"


def test_api_reference_documents_only_public_names() -> None:
    unknown = [name for name in _documented() if name not in ttp.__all__ and "." not in name]
    assert not unknown


@pytest.mark.parametrize("name", ttp.__all__)
def test_every_public_name_has_a_docstring(name: str) -> None:
    value = getattr(ttp, name)
    if inspect.isclass(value) or inspect.isroutine(value):
        own = value.__dict__.get("__doc__") if inspect.isclass(value) else value.__doc__
        assert own, f"{name} has no docstring of its own"
        assert own.strip(), f"{name} has an empty docstring"
    else:  # data: a ``#:`` comment where it is defined, which the docs build shows
        assert _docs.data_docs().get(name, "").strip(), f"{name} has no #: comment"


def test_every_public_function_of_strategies_has_a_docstring() -> None:
    strategies = pytest.importorskip("tokyotech_partners.strategies")
    assert strategies.__doc__
    public = [
        v
        for n, v in vars(strategies).items()
        if not n.startswith("_") and inspect.isfunction(v) and v.__module__ == strategies.__name__
    ]
    assert public
    assert all(inspect.getdoc(v) for v in public)


# ------------------------------------------------------------------ data dictionary


def _model_members() -> tuple[list[type], list[type[enum.Enum]]]:
    classes = [v for v in vars(_model).values() if inspect.isclass(v) and attrs.has(v)]
    enums = [
        v
        for v in vars(_enums).values()
        if inspect.isclass(v) and issubclass(v, enum.Enum) and v not in (enum.Enum, _enums._Described)
    ]
    return classes, enums


def test_data_dictionary_covers_the_whole_model() -> None:
    classes, enums = _model_members()
    assert set(_docs.MODEL_CLASSES) == set(classes)
    assert set(_docs.ENUMS) == set(enums)


@pytest.mark.parametrize("cls", _docs.MODEL_CLASSES, ids=lambda c: c.__name__)
def test_every_model_field_has_a_description(cls: type) -> None:
    missing = [f.name for f in attrs.fields(cls) if not str(f.metadata.get("description", "")).strip()]
    assert not missing, f"{cls.__name__} fields without metadata={{'description': ...}}: {missing}"


@pytest.mark.parametrize("kind", _docs.ENUMS, ids=lambda k: k.__name__)
def test_every_enum_member_has_a_description(kind: type[enum.Enum]) -> None:
    assert all(_docs.member_description(member).strip() for member in kind)


def test_data_dictionary_shows_every_class_field_and_member(ds: ttp.Dataset) -> None:
    text = _docs.data_dictionary(ds)
    for cls in _docs.MODEL_CLASSES:
        assert f"### {cls.__name__}\n" in text
        for field in attrs.fields(cls):
            assert f"| `{field.name}` | " in text, f"{cls.__name__}.{field.name}"
            assert _docs.field_description(cls, field.name) in text
    for kind in _docs.ENUMS:
        assert f"### {kind.__name__}\n" in text
        for member in kind:
            assert f"| `{member.name}` | `{member.value!r}` | {_docs.member_description(member)} |" in text
    assert "| `source_sha256` | `str` |" in text
    assert ds.edition.source_sha256 in text


def test_data_dictionary_refuses_a_field_without_description() -> None:
    @attrs.frozen
    class Undescribed:
        id: str = attrs.field(metadata={"description": "described"})
        name: str = "x"

    assert _docs.field_description(Undescribed, "id") == "described"
    with pytest.raises(LookupError, match=r"Undescribed\.name has no description"):
        _docs.field_description(Undescribed, "name")


def test_data_dictionary_examples_come_from_the_data(ds: ttp.Dataset) -> None:
    text = _docs.data_dictionary(ds)
    assert "| `'I-001'` (I-001) |" in text
    assert f"`datetime.date({ds.as_of.year}, {ds.as_of.month}, {ds.as_of.day})` (edition)" in text


def test_source_page_describes_the_edition(ds: ttp.Dataset) -> None:
    text = _docs.source_markdown(ds)
    edition = ds.edition
    for value in (edition.title, edition.publisher, edition.source_file, edition.source_sha256):
        assert value in text
    assert edition.as_of.isoformat() in text
    assert f"FY{edition.fiscal_year}" in text


def test_chart_is_rewritten_only_when_it_changes(tmp_path: Path, ds: ttp.Dataset) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / "chart.png"
    assert _docs.write_chart(path, ds) is True
    assert path.read_bytes().startswith(b"\x89PNG")
    assert _docs.write_chart(path, ds) is False


# ------------------------------------------------------------------ examples


def _console_examples() -> list[tuple[str, str, str]]:
    """(page, command, expected output) for each ``$ tokyotech-partners ...`` line of a console block."""
    examples = []
    for page in _doc_pages():
        for block in re.findall(r"^```console\n(.*?)^```", page.read_text(encoding="utf-8"), re.M | re.S):
            for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
                command, _, output = chunk.partition("\n")
                examples.append((page.name, command, output))
    return examples


def test_docs_have_console_examples() -> None:
    assert _console_examples()


@pytest.mark.parametrize(("page", "command", "expected"), _console_examples())
def test_console_examples_print_what_the_docs_show(page: str, command: str, expected: str) -> None:
    program, *args = shlex.split(command)
    assert program == "tokyotech-partners", f"{page}: only tokyotech-partners commands can be checked"
    out, err = io.StringIO(), io.StringIO()
    assert main(args, out=out, err=err) == 0, err.getvalue()
    assert out.getvalue().rstrip("\n") == expected.rstrip("\n")


def test_every_page_is_in_a_toctree() -> None:
    listed: set[str] = set()
    for page in _doc_pages():
        for block in re.findall(r"^```\{toctree\}\n(.*?)^```", page.read_text(encoding="utf-8"), re.M | re.S):
            listed.update(line.strip() for line in block.splitlines() if line.strip() and line[0] != ":")
    pages = {p.relative_to(DOCS).with_suffix("").as_posix() for p in [*_doc_pages(), API]}
    assert pages - {"index"} <= listed


@pytest.mark.skipif(
    importlib.util.find_spec("sphinx") is None or importlib.util.find_spec("myst_parser") is None,
    reason="needs sphinx and myst-parser",
)
def test_docs_build_without_warnings(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(DOCS), str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    api = (tmp_path / "api.html").read_text(encoding="utf-8")
    for name in ttp.__all__:
        assert f'id="tokyotech_partners.{name}"' in api, name
    assert (tmp_path / "_images" / "agreements-per-year.png").is_file()
