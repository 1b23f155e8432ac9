"""A segment's words as spotting sees them (``Token``: span, key, function word, whether a word
starts and ends there) and its phrases, the candidate renderings: runs of words without
punctuation inside and without a function word at either end. Keys are what make two forms one
rendering: jieba's dictionary words in Chinese, lemmas in Russian, Snowball stems elsewhere."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from uncore.lang import data_language
from uncore.lang.words import STOP_WORDS, TOKEN, jieba, ru_modifier, word_key
from untm.spotting.jieba_cut import _cut_block, _jieba_state

MAX_WORDS = 6  # the longest rendering considered, in words
MAX_PIECES = 10  # in Chinese, pieces of jieba words (朝鲜|民主|主义|人民|共和|国)
_JOINERS = re.compile(r"[\s\-‐'’]*")  # what may stand between the words of one phrase
_WORD_SPLIT = re.compile(f"({TOKEN.pattern})")  # a text into its words (``TOKEN``) and what is between
_ALNUM = re.compile(r"[^\W_]")  # a character str.isalnum() accepts (\w is those and "_")


class Token(NamedTuple):
    start: int
    end: int
    key: str
    stop: bool
    word_start: bool = True  # False: a piece that starts inside a jieba word (路斯 of 塞浦路斯)
    word_end: bool = True  # False: a phrase cannot end here (inside a Chinese word; a Russian adjective)


# Token(...) goes through namedtuple's __new__ written in Python; a segment has dozens of
# tokens and a rare query tokenises hundreds of segments, so they are built in C instead
_new_token: Callable[[type[Token], tuple[int, int, str, bool, bool, bool]], Token] = tuple.__new__
_WORDS: dict[str, _Words] = {}  # a spaced language's words as tokens see them
MAX_WORDS_KNOWN = 200_000  # per language; then forgotten and learnt again


def tokens(text: str, lang: str) -> tuple[Token, ...]:
    """The words of ``text`` with their keys: Chinese by jieba's dictionary, Russian by lemma,
    other spaced languages by Snowball stem."""
    starts, ends, about = _columns(text, lang)
    return tuple(
        _new_token(Token, (start, end, *fields))
        for start, end, fields in zip(starts, ends, about, strict=True)
    )


_PUNCTUATION = ("", True, True, True)  # a token's (key, stop, word_start, word_end) where a phrase stops


def _columns(text: str, lang: str) -> tuple[list[int], list[int], list[tuple[str, bool, bool, bool]]]:
    """``tokens`` as columns: each token's start, end, and (key, function word, word_start,
    word_end); a segment table is built from them without a ``Token`` made per word."""
    stops = STOP_WORDS.get(lang, frozenset())
    starts: list[int] = []
    ends: list[int] = []
    about: list[tuple[str, bool, bool, bool]] = []
    if not data_language(lang).joins_words:
        # a run of Chinese (a jieba block) is cut into pieces alone, and UN text repeats its
        # clauses: each block's pieces are kept (``_block_pieces``); anything else between
        # them is a character a token (punctuation stops a phrase; white space is no token)
        segmenter = jieba()
        state = _jieba_state(segmenter)
        pieces: dict[str, _Pieces] = state[4]
        han = segmenter.re_han_default
        at = 0
        for block in han.split(text):
            if not block:
                continue
            if han.match(block):
                found = pieces.get(block)
                if found is None:
                    if len(pieces) >= MAX_BLOCKS:
                        pieces.clear()  # (a long-running server: forgotten, not grown without end)
                        state[5].clear()
                    found = pieces[block] = _block_pieces(segmenter, state, block, stops)
                starts.extend(map(at.__add__, found[0]))
                ends.extend(map(at.__add__, found[1]))
                about.extend(found[2])
            else:
                for i, char in enumerate(block, at):
                    if _ALNUM.search(char):
                        about.append((char, char in stops, True, True))
                    elif not char.isspace():
                        about.append(_PUNCTUATION)
                    else:
                        continue
                    starts.append(i)
                    ends.append(i + 1)
            at += len(block)
        return starts, ends, about
    known = _WORDS.get(lang)
    if known is None or len(known) > MAX_WORDS_KNOWN:
        known = _WORDS[lang] = _Words(lang)  # (a long-running server: forgotten, not grown without end)
    # the text as [gap, word, gap, word, …, gap]: the words' spans are the parts' lengths summed
    parts = _WORD_SPLIT.split(text)
    about.extend(map(known.__getitem__, parts[1::2]))
    reached = list(itertools.accumulate(map(len, parts)))
    starts.extend(reached[0:-1:2])
    ends.extend(reached[1::2])
    # punctuation between two words (not a space, hyphen or apostrophe) stops a phrase there
    for k in reversed(
        [k for k, gap in enumerate(parts[2:-1:2], 1) if gap != " " and not _JOINERS.fullmatch(gap)]
    ):
        starts.insert(k, ends[k - 1])
        ends.insert(k, starts[k + 1])
        about.insert(k, _PUNCTUATION)
    return starts, ends, about


class _Words(dict[str, tuple[str, bool, bool, bool]]):
    """A spaced language's words as tokens see them: (key, function word, word_start,
    word_end), found at a word's first sight, then one look-up a word instead of the
    stemmer's, pymorphy3's and the stop list's."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.stops = STOP_WORDS.get(lang, frozenset())
        self.key = word_key(lang) or str.lower
        self.russian = lang == "ru"

    def __missing__(self, word: str) -> tuple[str, bool, bool, bool]:
        stop = word.lower() in self.stops or (len(word) <= 2 and word.islower())  # of, to, в, на
        modifier = self.russian and ru_modifier(word)
        found = self[word] = (self.key(word), stop, True, not modifier)
        return found


MAX_BLOCKS = 30_000  # runs of Chinese whose tokens are kept (~0.5 KB each)
_Pieces = tuple[tuple[int, ...], tuple[int, ...], tuple[tuple[str, bool, bool, bool], ...]]


def _block_pieces(segmenter: Any, state: tuple[Any, ...], block: str, stops: frozenset[str]) -> _Pieces:
    """The tokens of a run of Chinese: jieba's words, cut further where its search mode sees a
    word inside a word (塞浦路斯共和国 → 塞浦路斯 | 共和国), since a rendering may be part of a
    longer name. What jieba's ``tokenize(mode="search")`` yields, without its generators: the
    default cut (which tiles the text), plus the dictionary's 2- and 3-character words inside
    the words longer than them."""
    freq = state[0]  # the default tokenizer's dictionary (what tokenize looks in)
    words = {0}
    cuts: set[int] = set()
    start = 0
    for word in _cut_block(block, freq, state[2], state[3], segmenter.re_eng):
        width = len(word)
        if width > 2:
            for size in (2, 3) if width > 3 else (2,):
                for i in range(width - size + 1):
                    if freq.get(word[i : i + size]):
                        cuts.update((start + i, start + i + size))
        start += width
        words.add(start)
    starts: list[int] = []
    ends: list[int] = []
    about: list[tuple[str, bool, bool, bool]] = []
    kept: dict[tuple[str, bool, bool, bool], tuple[str, bool, bool, bool]] = state[5]
    for start, end in itertools.pairwise(sorted(cuts | words)):
        word = block[start:end]
        if _ALNUM.search(word):
            fields = (word, word in stops, start in words, end in words)
            about.append(kept.setdefault(fields, fields))  # (one tuple for every sight)
        elif not word.isspace():  # punctuation: a phrase stops here
            about.append(_PUNCTUATION)
        else:
            continue
        starts.append(start)
        ends.append(end)
    return tuple(starts), tuple(ends), tuple(about)


def _longest(lang: str) -> int:
    return MAX_WORDS if data_language(lang).joins_words else MAX_PIECES


def phrases(toks: Sequence[Token], max_words: int = MAX_WORDS) -> tuple[list[str], list[int], list[int]]:
    """Every phrase: up to ``max_words`` words, no punctuation inside, no function word at
    either end; as three lists: its key, its first token, its last token + 1."""
    keys: list[str] = []
    firsts: list[int] = []
    afters: list[int] = []
    add_key, add_first, add_after = keys.append, firsts.append, afters.append
    words = [tok.key for tok in toks]
    stops = [tok.stop for tok in toks]
    n_toks = len(toks)
    for i, key in enumerate(words):
        if not key or stops[i]:
            continue
        add_key(key)
        add_first(i)
        add_after(i + 1)
        for j in range(i + 1, min(n_toks, i + max_words)):
            word = words[j]
            if not word:
                break
            key = f"{key} {word}"
            if not stops[j]:
                add_key(key)
                add_first(i)
                add_after(j + 1)
    return keys, firsts, afters
