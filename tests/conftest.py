from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import tokyotech_partners as ttp

settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

ROOT = Path(__file__).resolve().parent.parent
# The documentation generators live with the docs, not in the wheel; their tests import them from there.
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
SOURCE = ROOT / "source" / "international-collaboration-and-budget-2021.txt"


@pytest.fixture(scope="session")
def ds() -> ttp.Dataset:
    return ttp.load()


def run_from_zip(tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    """``code`` run in a fresh interpreter that imports the package from a zip of its files."""
    package = Path(ttp.__file__).resolve().parent
    archive = tmp_path / "tokyotech_partners.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in package.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                zf.write(path, Path("tokyotech_partners") / path.relative_to(package))
    preamble = f"import sys; sys.path.insert(0, {str(archive)!r})\n"
    return subprocess.run(
        [sys.executable, "-I", "-c", preamble + code], capture_output=True, text=True, check=False
    )
