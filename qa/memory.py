"""``tm-deviation``: the memory already holds a translation of this source (the same segment
or a ≥ 95% fuzzy match) and the new target says something else.

The memory is any object with ``match(segment, source, target, minimum)`` returning matches that
have ``.target`` (the stored translation) and ``.score`` (0-100), best first, e.g.
``tmx.store.MemoryStore``; the CLI opens it, this module never imports the store. Similarity is
chrF (Popović 2015) as computed by sacrebleu, which works on characters and so treats Chinese
and inflected Russian fairly without a tokenizer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from sacrebleu.metrics import CHRF

from qa.findings import Finding, Severity
from qa.view import UnitView

DEFAULT_MINIMUM = 95  # fuzzy match percentage for a stored translation to count
DEFAULT_THRESHOLD = 60.0  # chrF below which the new target deviates


class Memory(Protocol):
    def match(self, segment: str, source: str, target: str, minimum: int) -> list[Any]: ...


_CHRF = CHRF()


def chrf(hypothesis: str, reference: str) -> float:
    return float(_CHRF.sentence_score(hypothesis, [reference]).score)


def tm_deviation(
    view: UnitView, memory: Memory, *, minimum: int = DEFAULT_MINIMUM, threshold: float = DEFAULT_THRESHOLD
) -> Iterator[Finding]:
    source = view.source
    if source is None or not source.text.strip():
        return
    for target in view.targets:
        if not target.text.strip():
            continue
        matches = memory.match(source.text, source.tag, target.tag, minimum)
        if not matches:
            continue
        best = matches[0]
        stored = best.target
        if not stored or stored.strip() == target.text.strip():
            continue
        score = chrf(target.text, stored)
        if score >= threshold:
            continue
        yield Finding(
            view.tuid,
            target.text,
            target.tag,
            "tm-deviation",
            Severity.WARNING,
            target.text,
            stored,
            0,
            len(target.text),
            f"the memory translates this source ({best.score}% match) differently; chrF of the "
            f"new {target.tag} text against it is {score:.1f} (< {threshold:g})",
        )
