"""Shared fixtures: paths to the real UN data in ../shared (present locally and in CI)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared" / "data").resolve()
SCHEMAS = (ROOT / ".." / "shared" / "schemas").resolve()
EXAMPLES = ROOT / "examples"


_SANDBOX = Path(tempfile.mkdtemp(prefix="untm-tests-"))


# Property tests (hypothesis): a fixed budget and a fixed sequence of examples, so CI is
# repeatable and bounded; `HYPOTHESIS_PROFILE=deep` explores more on a developer's machine.
try:
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "ci", max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    settings.register_profile("deep", max_examples=3000, deadline=None)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
except ImportError:  # hypothesis is a test extra; only the property tests need it
    pass


def pytest_configure(config: pytest.Config) -> None:
    """Never let a test read or write the user's own termbase or memory: point the default
    locations into a throwaway directory for the whole run (tests that need a particular store
    still pass --termbase/--tm or their own path)."""
    os.environ["UNTM_TERMBASE"] = str(_SANDBOX / "termbase.sqlite")
    os.environ["UNTM_TM"] = str(_SANDBOX / "memory.sqlite")
    os.environ["XDG_DATA_HOME"] = str(_SANDBOX / "xdg")


def shared_path(*parts: str) -> Path:
    """A path under ../shared/data; fails the test loudly (never skips) when the data is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"real test data missing: {path} (expected ../shared beside the checkout)")
    return path


def unpc_paragraphs(lang: str, limit: int) -> list[list[str]]:
    """The gold sentences of the first ``limit`` unpc-dev tuples in ``lang``, grouped back into
    their document paragraphs (``.ids`` gives ``lang:paragraph:sentence``), in sentence order."""
    data = shared_path("unpc-dev")
    ids = (data / "UNv1.0.devset.ids").read_text(encoding="utf-8").splitlines()[:limit]
    sents = (data / f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines()[:limit]
    groups: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for row, sentence in zip(ids, sents, strict=True):
        doc, *positions = row.split()
        para, index = dict(p.split(":", 1) for p in positions)[lang].split(":")
        groups.setdefault((doc, para), []).append((int(index), sentence.strip()))
    return [[s for _, s in sorted(group)] for group in groups.values()]


def schema_path(name: str) -> Path:
    path = SCHEMAS / name
    if not path.exists():
        pytest.fail(f"schema missing: {path} (expected ../shared/schemas beside the checkout)")
    return path


@pytest.fixture
def seed_zh() -> Path:
    return shared_path("seed", "A72-samarkand-communique.zh.txt")


@pytest.fixture(scope="session")
def bundled():  # type: ignore[no-untyped-def]
    """The bundled UN termbase in memory, built once per session (termbase and QA tests)."""
    from termbase.store import Termbase

    return Termbase.open(":memory:")


@pytest.fixture(scope="session")
def matcher(bundled):  # type: ignore[no-untyped-def]
    from uncore.lang.terms import TermMatcher

    return TermMatcher(bundled, ["zh", "ru", "en"])


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """One throw-away PostgreSQL server for the run (Debian's package; .ci/run installs it), its
    URL; each test takes a database of its own with ``tests.pgserver.new_database``."""
    from tests import pgserver

    if not pgserver.available():
        pytest.fail("PostgreSQL is not installed (Debian package 'postgresql'; .ci/run installs it)")
    with pgserver.server() as url:
        yield url
