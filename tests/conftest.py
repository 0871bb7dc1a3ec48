"""Shared fixtures; test files live in folders named after the package role they test."""

import os

import pytest

#: Run statistical tests at full size when MDA_SIM_FULL_STATS=1 (CI uses the small default).
FULL_STATS = os.environ.get("MDA_SIM_FULL_STATS") == "1"


@pytest.fixture
def full_stats() -> bool:
    return FULL_STATS
