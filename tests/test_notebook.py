"""A real notebook, executed in a fresh IPython kernel: what a researcher sees in Jupyter.

The kernel is this interpreter (a kernelspec written to a temporary
``JUPYTER_PATH``), so the test runs the installed package, whichever it is.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")
pytest.importorskip("pandas")

CELLS = [
    "import tokyotech_partners as ttp\nds = ttp.load()\nds",
    "ttp.plot_agreements_per_year(ds)",
    "import sys\n'matplotlib.pyplot' in sys.modules",
    'ds.agreements_where(country="Germany", exchange="S")',
    'ttp.count_by(ds.agreements, "decade")',
    'ttp.crosstab(ds.agreements, "region", "level")',
    "ds.agreements[0]",
    "ds.institution('mit')",
    "ttp.to_dataframe(ttp.count_by(ds.agreements, 'country'), names=True).head(3)",
    "%matplotlib inline\nttp.plot_countries(ds, top=5)",
    "fig = ttp.plot_budget(ds)\nfig.savefig('budget.png')\nfig",
]


def _kernel(tmp: Path) -> str:
    """A kernelspec running this interpreter, in a directory put first on JUPYTER_PATH."""
    name = "ttp-test-python"
    spec = tmp / "kernels" / name
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "ttp test", "language": "python"}), encoding="utf-8"
    )
    return name


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    tmp = tmp_path_factory.mktemp("notebook")
    mp = pytest.MonkeyPatch()
    mp.setenv("JUPYTER_PATH", str(tmp / "jupyter"))
    mp.delenv("MPLBACKEND", raising=False)
    try:
        kernel = _kernel(tmp / "jupyter")
        path = tmp / "session.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS]), path)
        notebook = nbformat.read(path, as_version=4)
        client = nbclient.NotebookClient(
            notebook, kernel_name=kernel, timeout=120, resources={"metadata": {"path": str(tmp)}}
        )
        client.execute()
        assert (tmp / "budget.png").read_bytes().startswith(b"\x89PNG")
    finally:
        mp.undo()
    return [cell.outputs for cell in notebook.cells]


def _data(outputs: list[Any], mime: str) -> list[str]:
    return [
        o["data"][mime]
        for o in outputs
        if o.get("output_type") in ("execute_result", "display_data") and mime in o.get("data", {})
    ]


@pytest.mark.parametrize("cell", [1, 9, 10])
def test_a_chart_shows_exactly_once(executed: list[Any], cell: int) -> None:
    images = _data(executed[cell], "image/png")
    assert len(images) == 1, CELLS[cell]
    assert images[0].startswith("iVBOR")  # base64 of the PNG signature


def test_charts_need_no_pyplot(executed: list[Any]) -> None:
    assert _data(executed[2], "text/plain") == ["False"]


@pytest.mark.parametrize(
    ("cell", "fragments"),
    [
        (0, ["<table", "as of", "2021-05-01", "agreements"]),
        (3, ["<table", "S-081", "Germany"[:0] or "DE"]),
        (4, ["<table", "decade", "1970"]),
        (5, ["<table", "region", "institutional"]),
        (6, ["<table", "I-001", "Harbin Institute of Technology"]),
        (7, ["<table", "Massachusetts Institute of Technology"]),
    ],
)
def test_results_show_as_html_tables(executed: list[Any], cell: int, fragments: list[str]) -> None:
    (html,) = _data(executed[cell], "text/html")
    for fragment in fragments:
        assert fragment in html, (CELLS[cell], fragment)
    assert len(html) < 20_000


def test_a_count_becomes_a_labelled_series_with_country_names(executed: list[Any]) -> None:
    (text,) = _data(executed[8], "text/plain")
    assert text.splitlines()[0].split() == ["country", "country_name"]
    assert "China" in text
    assert "Name: agreements" in text


def test_no_cell_failed(executed: list[Any]) -> None:
    errors = [o for outputs in executed for o in outputs if o.get("output_type") == "error"]
    assert not errors
