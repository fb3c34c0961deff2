"""What ships: data files and py.typed in the package, the wheel's contents, a zipped install."""

from __future__ import annotations

import os
import zipfile
from importlib import resources
from pathlib import Path

import pytest

import tokyotech_partners as ttp
from tokyotech_partners._tables import DATA_FILES

from .conftest import run_from_zip

PACKAGE_FILES = [f"data/{name}" for name in DATA_FILES] + ["py.typed"]


def test_package_carries_its_data_and_py_typed() -> None:
    root = resources.files("tokyotech_partners")
    for name in PACKAGE_FILES:
        assert root.joinpath(name).is_file(), name


def test_version_comes_from_metadata() -> None:
    from importlib.metadata import version

    assert ttp.__version__ == version("tokyotech-partners")


def test_wheel_contents() -> None:
    wheel = os.environ.get("TTP_WHEEL")
    if not wheel:
        pytest.skip("TTP_WHEEL names the built wheel in the wheel run of .ci/run")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in PACKAGE_FILES:
        assert f"tokyotech_partners/{name}" in names, name
    package = {n.removeprefix("tokyotech_partners/") for n in names if n.startswith("tokyotech_partners/")}
    modules = {n for n in package if n.endswith(".py")}
    # only what a user's code can import: no documentation generators
    assert not {"_docs.py", "_corrections.py"} & modules
    installed = Path(ttp.__file__).resolve().parent
    assert modules == {p.name for p in installed.glob("*.py")}


def test_tests_run_against_the_installed_package() -> None:
    if not os.environ.get("TTP_EXPECT_INSTALLED"):
        pytest.skip("set in the wheel run of .ci/run")
    here = Path(ttp.__file__).resolve()
    assert "site-packages" in here.parts, here


def test_loads_from_a_zipped_install(tmp_path: Path) -> None:
    code = (
        "import tokyotech_partners as ttp\n"
        "ds = ttp.load()\n"
        "assert '.zip' in ttp.__file__, ttp.__file__\n"
        "print(len(ds.agreements), ds.as_of)\n"
    )
    done = run_from_zip(tmp_path, code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "237 2021-05-01"
