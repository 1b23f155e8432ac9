"""Russian concordance by lemma (``tmx.store.inflection``): where a query's words stand
inflected in a segment, on real UN sentences."""

from __future__ import annotations

import random
import re

from tests.tmx.unpc import unpc_lines
from tmx.store.inflection import lemma_spans, word_forms
from uncore.lang.words import ru_lemma

_WORD = re.compile(r"\w+")


def _every_word(text: str, needle: str) -> tuple[tuple[int, int], ...]:
    """The plain reading of the rule: lemmatise every word that begins as a wanted lemma does
    and look at each run of neighbouring words (what ``lemma_spans`` did before it found the
    runs with one expression)."""
    wanted = [ru_lemma(w) for w in _WORD.findall(needle)]
    if not wanted:
        return ()
    words = list(_WORD.finditer(text.lower()))
    initials = {lemma[:1] for lemma in wanted}
    lemmas = [ru_lemma(m.group()) if m.group()[:1].replace("ё", "е") in initials else None for m in words]
    return tuple(
        (words[i].start(), words[i + len(wanted) - 1].end())
        for i in range(len(words) - len(wanted) + 1)
        if lemmas[i : i + len(wanted)] == wanted
    )


def test_inflected_names_are_found_and_marked() -> None:
    text = "Заседание Совета Безопасности; Советом, Безопасности и совет безопасности"
    assert lemma_spans(text, "совет безопасности") == ((10, 29), (31, 52), (55, 73))
    assert lemma_spans("совет совет совет", "совет совет") == ((0, 11), (6, 17))  # runs overlap
    assert lemma_spans("под ёлкой", "елка") == ((4, 9),)  # ё written, е asked
    assert lemma_spans("Совета по правам человека", "совет безопасности") == ()
    assert lemma_spans("Совета", "") == ()


def test_the_expression_finds_what_a_look_at_every_word_finds() -> None:
    """On 3,000 pairs of a unpc-dev sentence and a run of one to four words from it or from
    another sentence, written as there or with its words in other forms."""
    lines = unpc_lines("ru", 4000)
    rng = random.Random(5)
    found = 0
    for _ in range(3000):
        text = rng.choice(lines)
        source = rng.choice(lines) if rng.random() < 0.3 else text
        words = list(_WORD.finditer(source))
        if not words:
            continue
        start = rng.randrange(len(words))
        run = words[start : start + rng.choice([1, 2, 2, 3, 4])]
        needle = source[run[0].start() : run[-1].end()].lower()
        if rng.random() < 0.3:
            needle = " ".join(rng.choice(word_forms(w.group().lower()) or (w.group(),)) for w in run)
        spans = lemma_spans(text, needle)
        assert spans == _every_word(text, needle), (needle, text)
        found += bool(spans)
    assert found > 1500
