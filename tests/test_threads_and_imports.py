"""What a fresh interpreter sees: one load for many threads, and a light import.

Each test runs its script in a new interpreter, so the packaged edition is
not cached yet and ``sys.modules`` holds only what the script imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any

import pytest

import tokyotech_partners as ttp

THREADS = 16
HEAVY = ("pandas", "matplotlib", "hypothesis", "IPython", "html", "pyarrow", "polars", "duckdb", "sqlite3")


def _run(script: str, *args: str) -> Any:
    """Run ``script`` in a fresh interpreter; what it prints last, as JSON."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


CONCURRENT_FIRST_LOAD = """
    import json, sys, threading, time

    import tokyotech_partners as ttp
    from tokyotech_partners import _read

    reads = []
    real_read = _read._read

    def counting_read(root):
        reads.append(threading.get_ident())
        time.sleep(0.05)  # a slow disk: a window in which other threads could start a read too
        return real_read(root)

    _read._read = counting_read

    n = int(sys.argv[1])
    barrier = threading.Barrier(n)
    results = [None] * n
    errors = []

    def first_load(k):
        try:
            barrier.wait()
            results[k] = ttp.load()
        except BaseException as exc:
            errors.append(repr(exc))

    threads = [threading.Thread(target=first_load, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({
        "reads": len(reads),
        "returned": sum(r is not None for r in results),
        "distinct": len({id(r) for r in results}),
        "same_as_later": all(r is ttp.load() for r in results),
        "errors": errors,
        "agreements": len(results[0].agreements) if results[0] is not None else None,
        "reads_after": len(reads),
    }))
"""


def test_first_load_from_many_threads_reads_once(ds: ttp.Dataset) -> None:
    out = _run(CONCURRENT_FIRST_LOAD, str(THREADS))
    assert out["errors"] == []
    assert out["returned"] == THREADS
    assert out["distinct"] == 1  # one and the same object for every thread...
    assert out["reads"] == 1  # ...read once (0 would mean the cache was not cold)
    assert out["same_as_later"]
    assert out["reads_after"] == 1  # and later calls do not read again
    assert out["agreements"] == len(ds.agreements)


IMPORTS = """
    import importlib.abc, json, sys

    heavy = {heavy!r}
    attempted = []

    class Recorder(importlib.abc.MetaPathFinder):
        # records every attempt to import one of them, installed or not, even one caught by try/except
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in heavy:
                attempted.append(name)
            return None

    sys.meta_path.insert(0, Recorder())

    def loaded():
        return sorted(m for m in sys.modules if m.split(".")[0] in heavy)

    import {module}
    after_import = loaded()
    {then}
    print(json.dumps({{"after_import": after_import, "after_then": loaded(), "attempted": attempted}}))
"""


def test_import_pulls_in_no_heavy_module() -> None:
    out = _run(IMPORTS.format(heavy=HEAVY, module="tokyotech_partners", then="tokyotech_partners.load()"))
    assert out == {"after_import": [], "after_then": [], "attempted": []}


DEFERRED = """
    import sys
    import tokyotech_partners
    tokyotech_partners.load()
    deferred = {deferred!r}
    before = sorted(m for m in deferred if m in sys.modules)
    {then}
    after = sorted(m for m in deferred if m in sys.modules)
    import json
    print(json.dumps({{"before": before, "after": after}}))
"""


@pytest.mark.parametrize(
    ("module", "then"),
    [
        ("importlib.metadata", "tokyotech_partners.__version__"),
        ("difflib", "tokyotech_partners.load().search_institutions('tokio')"),
        ("tokyotech_partners._export", "tokyotech_partners.to_records"),
        ("tokyotech_partners._aggregate", "tokyotech_partners.count_by"),
        ("tokyotech_partners._plot", "tokyotech_partners.plot_budget"),
        ("tokyotech_partners._display", "tokyotech_partners.load().agreements_where(level='school')"),
        ("tokyotech_partners._tidy", "tokyotech_partners.agreement_partners"),
        ("html", "tokyotech_partners.load().agreements[0]._repr_html_()"),
        ("tokyotech_partners._sqlite", "tokyotech_partners.to_sqlite"),
        ("tokyotech_partners._arrow", "tokyotech_partners.to_arrow"),
        (
            "sqlite3",
            "import tempfile; "
            "tokyotech_partners.to_sqlite(tokyotech_partners.load(), tempfile.mkdtemp() + '/x')",
        ),
        ("pyarrow", "tokyotech_partners.to_arrow(tokyotech_partners.load().offices)"),
        ("polars", "tokyotech_partners.to_polars(tokyotech_partners.load().offices)"),
        ("cattrs", "tokyotech_partners.unstructure_dataset(tokyotech_partners.load())"),
        (
            "tokyotech_partners._stored",  # the agreements' stored class, for the converter alone
            "from tokyotech_partners._tables import table_named; table_named('agreements').stored_as",
        ),
    ],
)
def test_import_and_load_defer_what_they_do_not_need(module: str, then: str) -> None:
    # docs/performance.md counts on these staying out of 'import tokyotech_partners; load()';
    # the code after 'then' is what first needs each, and it does import it.
    out = _run(DEFERRED.format(deferred=[module], then=then))
    assert out == {"before": [], "after": [module]}


def test_the_import_check_sees_a_heavy_import() -> None:
    # The control: the same script notices hypothesis when a module does import it.
    out = _run(IMPORTS.format(heavy=HEAVY, module="tokyotech_partners.strategies", then="pass"))
    assert "hypothesis" in out["after_import"]
    assert "hypothesis" in out["attempted"]
