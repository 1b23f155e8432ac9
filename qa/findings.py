"""What a QA check reports: a ``Finding`` with a ``Severity``, and the catalogue of checks.

A finding names the unit (``tuid``: the TMX tuid, XLIFF/PO unit id or segment number), the
language version it is in, the span of that version's text it is about (``start``/``end``,
``None`` when the problem is something *missing* from it), what was found and what to use
instead. It is a frozen value so reports, ignore files and tests can compare findings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True)
class Finding:
    """One problem in one language version of one unit."""

    tuid: str
    segment: str  # the text of the language version the finding is in
    lang: str
    check: str
    severity: Severity
    found: str
    suggestion: str | None
    start: int | None
    end: int | None
    message: str
    concept: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


@dataclass(frozen=True)
class CheckInfo:
    """A check's id, default severity and what it looks for (shown by ``untm qa --help`` and
    recorded in the report's summary)."""

    id: str
    severity: Severity
    needs: str  # "any": works on a single language too; "source": needs a source; "termbase"/"memory"
    description: str


CHECKS: tuple[CheckInfo, ...] = (
    CheckInfo("empty", Severity.ERROR, "source", "the target is empty while the source is not"),
    CheckInfo(
        "untranslated",
        Severity.ERROR,
        "source",
        "the target is the source text, or is not written in the target language's script",
    ),
    CheckInfo(
        "deprecated-term",
        Severity.ERROR,
        "termbase",
        "a deprecated or superseded term (targets: error; source: warning)",
    ),
    CheckInfo(
        "missing-term",
        Severity.WARNING,
        "termbase",
        "a source term's concept has an approved target term, and the target has none",
    ),
    CheckInfo(
        "short-form",
        Severity.WARNING,
        "termbase",
        "the source gives a full name and the target only its short form or acronym "
        "(United States of America → 美国 instead of 美利坚合众国)",
    ),
    CheckInfo(
        "inconsistent-term",
        Severity.WARNING,
        "termbase",
        "one concept rendered with different approved terms across the input (or one "
        "target term used for two source concepts)",
    ),
    CheckInfo(
        "number-mismatch",
        Severity.ERROR,
        "source",
        "a number, date, percentage, paragraph label or UN symbol differs from the source",
    ),
    CheckInfo(
        "number-format",
        Severity.WARNING,
        "any",
        "thousands grouped against the language's UN style (45,000 in Chinese text)",
    ),
    CheckInfo(
        "tm-deviation",
        Severity.WARNING,
        "memory",
        "the memory holds a translation of the same (≥95% fuzzy) source and the target "
        "differs from it (chrF below the threshold)",
    ),
    CheckInfo(
        "cjk-punctuation", Severity.WARNING, "any", "half-width , ; : ? ! inside Chinese or Japanese text"
    ),
    CheckInfo(
        "unbalanced-brackets",
        Severity.WARNING,
        "any",
        "an opening bracket or quotation mark without its closing one",
    ),
)

CHECK_IDS: tuple[str, ...] = tuple(c.id for c in CHECKS)
CHECK_INFO: dict[str, CheckInfo] = {c.id: c for c in CHECKS}
