"""How much of the query a phrase renders by the glosses (CC-CEDICT for an English query
against Chinese, and the query's words' own renderings in the memory): a term of a phrase's fit,
which decides when a query occurs in too few hits for association to."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from untm.spotting.phrase_arrays import _Phrases


def _token_masks(glosses: Sequence[frozenset[str]], ids: np.ndarray, words: Sequence[str]) -> np.ndarray:
    """For each token (row; ``ids``: their keys' numbers, ``words`` the keys of the numbers),
    the query words (columns) it renders by the glosses (CC-CEDICT keys of a Chinese word count
    as English stems); each key is looked at once."""
    distinct, where = np.unique(ids, return_inverse=True)
    masks = np.zeros((len(distinct), len(glosses)), dtype=bool)
    for row, number in enumerate(distinct.tolist()):
        if keys := _word_glosses(words[number]):
            masks[row] = [not gloss.isdisjoint(keys) for gloss in glosses]
    found: np.ndarray = masks[where.reshape(-1)]
    return found


@lru_cache(maxsize=100_000)
def _word_glosses(word: str) -> frozenset[str]:
    """What a token of key ``word`` renders: the word itself, and its CC-CEDICT gloss stems as
    ``en:`` keys (none for punctuation)."""
    from aligner.scorers.lexical import cedict_keys

    return frozenset({word, *(f"en:{k}" for k in cedict_keys(word))}) if word else frozenset()


def _gloss_cover(glosses: Sequence[frozenset[str]], phrases: _Phrases) -> np.ndarray:
    """For every phrase, the share of the query's words it renders by the glosses, less half
    the share of its content words that render none."""
    masks = _token_masks(glosses, phrases.ids, phrases.tables[0].numbers.words)
    idle = ~masks.any(axis=1) & phrases.content
    # words rendered (and idle words) up to each token: a phrase's are the difference at its ends
    rendered = np.concatenate((np.zeros((1, len(glosses)), dtype=np.intp), np.cumsum(masks, axis=0)))
    idle_sum = np.concatenate(([0], np.cumsum(idle)))
    first, after = phrases.first, phrases.after
    covered = (rendered[after] - rendered[first] > 0).sum(axis=1)
    cover: np.ndarray = covered / len(glosses) - 0.5 * (idle_sum[after] - idle_sum[first]) / (after - first)
    return cover
