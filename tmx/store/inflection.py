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
    # only runs of words that each begin as a wanted lemma does can be its forms (inflection
    # changes endings): parsing every word of every candidate cost a cold process 100–200 ms
    # a query, and a loop over every word of 200 candidates 10–15 ms, where the expression
    # finds the few runs worth parsing
    spans = []
    for match in _runs(tuple(wanted)).finditer(text.lower()):
        if all(ru_lemma(match.group(i + 1)) == lemma for i, lemma in enumerate(wanted)):
            spans.append((match.start(1), match.end(len(wanted))))
    return tuple(spans)


@lru_cache(maxsize=1_000)
def _runs(wanted: tuple[str, ...]) -> re.Pattern[str]:
    """Where ``len(wanted)`` neighbouring words (as ``_WORD`` finds them) each begin with the
    first letter of one of the ``wanted`` lemmas (ё as е): each such run, also where runs
    overlap (the look-ahead matches at every word's start)."""
    initials = {lemma[:1] for lemma in wanted if lemma[:1] not in ("", "ё")}
    letters = "".join(sorted(re.escape(c) for c in initials | ({"ё"} if "е" in initials else set())))
    if not letters:
        return re.compile(r"(?!)")  # no word can begin as these lemmas do
    word = rf"([{letters}]\w*)"
    followers = rf"\W+{word}" * (len(wanted) - 1)
    return re.compile(rf"(?<!\w)(?={word}{followers}(?!\w))")


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
