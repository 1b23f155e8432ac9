"""Russian concordance by lemma, for both stores: *Совет Безопасности* also finds *Совета
Безопасности* and *Советом Безопасности*, as a translator looking for how a name was rendered
expects (Russian writes a name in six cases).

Both stores ask their word index for a segment holding a form of each of the query's words
(``query_forms``; SQLite its full-text index, PostgreSQL its word keys) and keep a candidate
only when its words, lemmatised as the term finder does (pymorphy3), hold the query's lemmas in
order (``lemma_spans``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from tmx.store.rows import TOKEN
from uncore.lang.words import morph, ru_lemma

_WORD = re.compile(r"\w+")


MAX_INFLECTED_WORDS = 6  # a name or a phrase; a pasted sentence is looked up as it is written


def inflected(lang: str, needle: str | None = None) -> bool:
    """Whether concordance in ``lang`` also finds the words of the query ``needle`` inflected:
    Russian queries of up to ``MAX_INFLECTED_WORDS`` words (a 21-word sentence cost SQLite
    10× the literal search, for hits nobody asked for: a pasted sentence has fuzzy matches)."""
    if lang != "ru":
        return False
    return needle is None or 0 < len(_WORD.findall(needle)) <= MAX_INFLECTED_WORDS


def query_forms(needle: str) -> list[tuple[str, ...]]:
    """For each word of ``needle``, its forms (``word_forms``) that are one word of a store's
    index (``TOKEN``): a segment holding the query's words inflected holds one of each. Empty
    when a word has no such form (then only the literal search can find the query)."""
    words = _WORD.findall(needle)
    groups = [tuple(form for form in word_forms(word) if TOKEN.fullmatch(form)) for word in words]
    return groups if groups and all(groups) else []


def lemma_spans(text: str, needle: str) -> tuple[tuple[int, int], ...]:
    """Where the words of ``needle`` occur in ``text`` inflected (same lemmas, in order)."""
    wanted = [ru_lemma(w) for w in _WORD.findall(needle)]
    if not wanted:
        return ()
    words = list(_WORD.finditer(text.lower()))
    # only the words that begin as a wanted lemma does can be its forms (inflection changes
    # endings): parsing every word of every candidate cost a cold process 100–200 ms a query
    initials = {lemma[:1] for lemma in wanted}
    lemmas = [ru_lemma(m.group()) if m.group()[:1].replace("ё", "е") in initials else None for m in words]
    spans = []
    for i in range(len(words) - len(wanted) + 1):
        if lemmas[i : i + len(wanted)] == wanted:
            spans.append((words[i].start(), words[i + len(wanted) - 1].end()))
    return tuple(spans)


@lru_cache(maxsize=20_000)
def word_forms(word: str) -> tuple[str, ...]:
    """Every form (lower-case; with ё and with е) of the lexemes of ``word`` whose lemma is
    the one ``ru_lemma`` gives it: what a segment may write for it."""
    word = word.lower()
    lemma = ru_lemma(word)
    forms = {word, word.replace("ё", "е")}
    for parse in morph().parse(word):
        if str(parse.normal_form).replace("ё", "е") == lemma:
            for form in parse.lexeme:
                forms.update((form.word, form.word.replace("ё", "е")))
    return tuple(sorted(forms))
