"""Shared fixtures: paths to the real UN data in ../shared (present locally and in CI)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared" / "data").resolve()
SCHEMAS = (ROOT / ".." / "shared" / "schemas").resolve()
EXAMPLES = ROOT / "examples"


def shared_path(*parts: str) -> Path:
    """A path under ../shared/data; fails the test loudly (never skips) when the data is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"real test data missing: {path} (expected ../shared beside the checkout)")
    return path


def schema_path(name: str) -> Path:
    path = SCHEMAS / name
    if not path.exists():
        pytest.fail(f"schema missing: {path} (expected ../shared/schemas beside the checkout)")
    return path


@pytest.fixture
def seed_zh() -> Path:
    return shared_path("seed", "A72-samarkand-communique.zh.txt")
