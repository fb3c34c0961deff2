"""How the package's modules depend on each other: no circles, and the CLI through the public API."""

from __future__ import annotations

import ast
from pathlib import Path

import tokyotech_partners as ttp

PACKAGE = Path(ttp.__file__).resolve().parent


def _imports(module: str) -> set[str]:
    """The package's own modules ``module`` imports, type-only imports included."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module)
            else:  # from . import x
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "tokyotech_partners":
            found.add("__init__")
        elif isinstance(node, ast.Import):
            found.update("__init__" for alias in node.names if alias.name == "tokyotech_partners")
    return found


def _graph() -> dict[str, set[str]]:
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    return {m: _imports(m) & modules for m in modules}


def test_the_import_graph_has_no_circle() -> None:
    graph = _graph()
    # __init__ re-exports; only the command line imports the package itself, and nothing the
    # package imports imports the command line
    entry_points = {"_cli", "__main__"}
    assert {m for m, deps in graph.items() if "__init__" in deps} <= entry_points
    assert not entry_points & set().union(*(graph[m] for m in graph if m not in entry_points))
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        if state.get(module) == 1:
            raise AssertionError(f"import circle: {' -> '.join([*path, module])}")
        if state.get(module) == 2:
            return
        state[module] = 1
        for dep in sorted(graph[module] - {"__init__"}):
            visit(dep, [*path, module])
        state[module] = 2

    for module in sorted(graph):
        visit(module, [])


def test_the_circle_check_finds_a_circle() -> None:
    # the check above must be able to fail: a graph with a circle is reported
    graph = {"a": {"b"}, "b": {"a"}}
    state: dict[str, int] = {}
    found = []

    def visit(module: str) -> None:
        if state.get(module) == 1:
            found.append(module)
            return
        if state.get(module) == 2:
            return
        state[module] = 1
        for dep in graph[module]:
            visit(dep)
        state[module] = 2

    visit("a")
    assert found == ["a"]


def test_the_cli_goes_through_the_public_api() -> None:
    # the command line uses what a user can import, plus its own text layout helpers
    assert _imports("_cli") <= {"__init__", "_summary", "_text"}


def test_errors_are_defined_in_one_module() -> None:
    for name in ("TokyoTechPartnersError", "DatasetError", "UnknownValueError", "InstitutionNotFoundError"):
        defining = [p.name for p in PACKAGE.glob("*.py") if f"class {name}(" in p.read_text(encoding="utf-8")]
        assert defining == ["_errors.py"], (name, defining)


def test_folded_names_is_not_public() -> None:
    assert not hasattr(ttp.Dataset, "folded_names")


def test_the_tables_declaration_matches_the_dataset_and_the_model() -> None:
    import attrs

    from tokyotech_partners._stored import AgreementRecord
    from tokyotech_partners._tables import TABLES

    fields = [f.name for f in attrs.fields(ttp.Dataset) if not f.name.startswith("_")]
    assert fields == ["edition", *(table.name for table in TABLES)]
    for table in TABLES:
        names = {f.name for f in attrs.fields(table.record)}
        assert set(table.primary_key) <= names, table.name
        for key in table.foreign_keys:
            assert set(key.fields) <= names, (table.name, key)
            target = next(t for t in TABLES if t.name == key.table)
            assert TABLES.index(target) < TABLES.index(table), "a table refers only to tables read before it"
    # the stored agreement has exactly the agreement's fields, in the same order
    assert [f.name for f in attrs.fields(AgreementRecord)] == [f.name for f in attrs.fields(ttp.Agreement)]
