from __future__ import annotations

import os
import sys
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
