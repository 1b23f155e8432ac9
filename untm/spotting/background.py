"""The memory at large (``Background``): how common each phrase is in a sample of the memory,
against which a phrase's share of the query's hits is an association, not just a frequency
("of the", "United Nations" are everywhere)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from untm.spotting.words import _longest, phrases, tokens


class Background:
    """How often each phrase occurs in a sample of the memory, per language: the "at large"
    that the units holding the query are compared with. Built once per memory revision."""

    def __init__(self, samples: Mapping[str, Iterable[str]]) -> None:
        self.df: dict[str, Counter[str]] = {}
        self.size: dict[str, int] = {}
        self.glosses: dict[tuple[str, str, str], frozenset[str]] = {}
        for lang, texts in samples.items():
            counts: Counter[str] = Counter()
            n = 0
            for text in texts:
                n += 1
                counts.update(set(phrases(tokens(text, lang), _longest(lang))[0]))
            self.df[lang], self.size[lang] = counts, n

    def share(self, lang: str, key: str) -> float:
        """Smoothed share of the sample's segments that hold ``key``."""
        counts = self.df.get(lang)  # (asked for every candidate phrase: no Counter made per call)
        return ((counts.get(key, 0) if counts is not None else 0) + 0.5) / (self.size.get(lang, 0) + 1)

    def least(self, lang: str) -> float:
        """The smallest ``share`` in ``lang``: that of a phrase the sample does not hold."""
        return 0.5 / (self.size.get(lang, 0) + 1)
