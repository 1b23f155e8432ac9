"""Fixtures shared by the termbase tests: the bundled termbase, built once per session."""

from __future__ import annotations

import pytest

from termbase.match import TermMatcher
from termbase.store import Termbase


@pytest.fixture(scope="session")
def bundled() -> Termbase:
    return Termbase.open(":memory:")


@pytest.fixture(scope="session")
def matcher(bundled: Termbase) -> TermMatcher:
    return TermMatcher(bundled, ["zh", "ru", "en"])
