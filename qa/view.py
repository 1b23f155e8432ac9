"""What every check reads: one unit seen as source + targets, with the term hits and numbers of
each language version computed once and shared by all checks (that sharing is most of QA's
speed: the automaton and the number patterns run once per text, not once per check)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from uncore.lang import data_language
from uncore.lang.numbers import NumberToken, extract_numbers
from uncore.lang.terms import TermHit


@dataclass
class Version:
    """One language version of a unit: its tag as written in the input (``zh-CN``), the
    primary code (``zh``), its text, and whether the language is written in CJK script."""

    tag: str
    code: str
    text: str
    is_cjk: bool = False


@dataclass
class UnitView:
    """A unit under check. ``source`` is None for monolingual input (a single document)."""

    tuid: str
    source: Version | None
    targets: list[Version]
    matcher: Any = None  # uncore.lang.terms.TermMatcher or None
    _hits: dict[str, list[TermHit]] = field(default_factory=dict)
    _numbers: dict[tuple[str, bool], list[NumberToken]] = field(default_factory=dict)

    @property
    def versions(self) -> list[Version]:
        return ([self.source] if self.source else []) + self.targets

    def hits(self, version: Version) -> list[TermHit]:
        if self.matcher is None:
            return []
        found = self._hits.get(version.tag)
        if found is None:
            found = self.matcher.find(version.text, version.code) if version.text else []
            self._hits[version.tag] = found
        return found

    def has_terms(self) -> bool:
        """Whether any version has a term hit; the term checks have nothing to report
        otherwise. (``deprecated-term`` reads every version's hits anyway.)"""
        for version in self.versions:  # noqa: SIM110
            if self.hits(version):
                return True
        return False

    def numbers(self, version: Version, *, spelled: bool = False) -> list[NumberToken]:
        """The number tokens of a version; numbers in words only with ``spelled`` (they are
        weak evidence, looked for only when a strong token is left unanswered)."""
        key = (version.tag, spelled)
        found = self._numbers.get(key)
        if found is None:
            found = extract_numbers(version.text, version.code, spelled=spelled) if version.text else []
            self._numbers[key] = found
        return found


@lru_cache(maxsize=256)
def _lang(tag: str) -> tuple[str, bool]:
    found = data_language(tag)
    return found.code, found.is_cjk


def make_version(tag: str, text: str) -> Version:
    code, is_cjk = _lang(tag)
    return Version(tag, code, text or "", is_cjk)


def code_of(tag: str) -> str:
    """The primary language code of a tag (cached: called for every version of every unit)."""
    return _lang(tag)[0]
