"""Ignore files: findings a team has reviewed and accepted, silenced across runs.

Format (UTF-8 text, one rule per line, ``#`` starts a comment)::

    # a member state's letter quotes its own name for the country: keep it
    check=deprecated-term lang=zh found=南朝鲜 tuid=17
    # this concept's wording is agreed with the author office
    check=missing-term concept=country-USA
    # numbers in this unit are a table the source lays out differently
    check=number-mismatch tuid="A/72/1 p.3"

Each rule is ``key=value`` pairs (quote values with spaces: ``found="South Korea"``); a finding
is ignored when it matches every key of some rule. Keys: ``check``, ``lang`` (``zh`` matches
``zh-CN``), ``found``, ``tuid``, ``concept``, ``suggestion``. A rule with no key, an unknown key
or an unknown check is an error naming the file and line, so a typo never silently ignores more
than intended.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from qa.findings import CHECK_IDS, Finding
from uncore.errors import InputError
from uncore.lang import language

KEYS = ("check", "lang", "found", "tuid", "concept", "suggestion")


@dataclass(frozen=True)
class IgnoreRule:
    fields: tuple[tuple[str, str], ...]
    line: int | None = None

    def matches(self, finding: Finding) -> bool:
        for key, value in self.fields:
            if key == "lang":
                if language(finding.lang).code != language(value).code:
                    return False
            elif str(getattr(finding, key) or "") != value:
                return False
        return True


@dataclass(frozen=True)
class IgnoreList:
    rules: tuple[IgnoreRule, ...] = ()

    @classmethod
    def load(cls, path: str | Path) -> IgnoreList:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"cannot read ignore file: {error}", path=path) from None
        return cls(tuple(parse_rules(text.splitlines(), path)))

    def ignores(self, finding: Finding) -> bool:
        return any(rule.matches(finding) for rule in self.rules)

    def filter(self, findings: Iterable[Finding]) -> Iterator[Finding]:
        for finding in findings:
            if not self.ignores(finding):
                yield finding


def parse_rules(lines: Iterable[str], path: str | Path | None = None) -> Iterator[IgnoreRule]:
    for number, raw in enumerate(lines, 1):
        try:
            parts = shlex.split(raw, comments=True)
        except ValueError as error:
            raise InputError(f"bad ignore rule: {error}", path=path, line=number) from None
        if not parts:
            continue
        fields: list[tuple[str, str]] = []
        for part in parts:
            key, sep, value = part.partition("=")
            if not sep or key not in KEYS:
                raise InputError(
                    f"bad ignore rule item {part!r}: expected KEY=VALUE with KEY one of {', '.join(KEYS)}",
                    path=path,
                    line=number,
                )
            if key == "check" and value not in CHECK_IDS:
                raise InputError(
                    f"unknown check {value!r} (known: {', '.join(CHECK_IDS)})", path=path, line=number
                )
            if key == "lang":
                try:
                    language(value)
                except Exception as error:
                    raise InputError(str(error), path=path, line=number) from None
            fields.append((key, value))
        yield IgnoreRule(tuple(fields), number)
