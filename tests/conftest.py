"""Shared fixtures: the shipped rules, and ../shared when it is beside the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

import factcheck
from factcheck.resources import shipped_rules_dir, shipped_seeds_dir

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def rules() -> factcheck.RuleSet:
    return factcheck.load_rules()


@pytest.fixture(scope="session")
def rules_dir() -> Path:
    return shipped_rules_dir()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return shipped_seeds_dir()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside this checkout")
    return SHARED
