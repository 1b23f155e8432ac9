"""Real data for the QA tests: unpc-dev tuples; the bundled UN termbase and its matcher come from
tests/termbase/conftest.py (built once per run)."""

from __future__ import annotations

import pytest

from termbase.store import Termbase
from tests.conftest import shared_path
from tmx.units import TranslationUnit


@pytest.fixture(scope="session")
def termbase(bundled: Termbase) -> Termbase:
    """The bundled UN termbase of tests/termbase/conftest.py (whose ``matcher`` the QA tests share)."""
    return bundled


@pytest.fixture(scope="session")
def unpc() -> dict[str, list[str]]:
    """The unpc-dev tuples: ``unpc[lang][i]`` is line i (0-based) in that language."""
    return {
        lang: shared_path("unpc-dev", f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").split("\n")
        for lang in ("en", "zh", "ru")
    }


def tuple_unit(unpc: dict[str, list[str]], index: int, **changed: str) -> TranslationUnit:
    """Tuple ``index`` of unpc-dev as a unit, with some language versions replaced."""
    texts = {lang: changed.get(lang, unpc[lang][index]) for lang in ("en", "zh", "ru")}
    return TranslationUnit.from_texts(texts, tuid=str(index))
