"""jieba's default cut, spotting's own copy: every Chinese segment spotting meets is cut, and
jieba's ``Tokenizer.cut`` builds a DAG and values each word at every sight. Word for word the
same cut, at less CPU; the state (log-probabilities, and the token fields ``words`` keeps per run
of Chinese) is made again whenever jieba's dictionary changes."""

from __future__ import annotations

import math
from typing import Any

# jieba's default cut without its HMM (``Tokenizer.cut(text, HMM=False)``, with its own
# patterns), word for word the same (tests/untm/test_spotting.py compares them on unpc-dev) at
# ~0.6x its CPU: the dictionary route is found in one loop, without building the DAG, and each
# word's log-probability is computed once, not at every sight
_jieba_logs: dict[str, Any] = {}


def _jieba_state(segmenter: Any) -> tuple[Any, ...]:
    """(FREQ, total, log-probabilities, log of total, each block's pieces, the pieces' fields
    (key, function word, word_start, word_end) each kept once) of jieba's dictionary as it is
    now (all made again when a word is added)."""
    freq, total = segmenter.dt.FREQ, segmenter.dt.total
    state = _jieba_logs.get("state")
    if state is None or state[0] is not freq or state[1] != total:  # (a word added since)
        state = _jieba_logs["state"] = (freq, total, {}, math.log(total), {}, {})
    return state


def _jieba_cut(segmenter: Any, text: str) -> list[str]:
    han, skip = segmenter.re_han_default, segmenter.re_skip_default
    state = _jieba_state(segmenter)
    out: list[str] = []
    for block in han.split(text):
        if not block:
            continue
        if not han.match(block):
            for part in skip.split(block):
                if skip.match(part):
                    out.append(part)
                else:
                    out.extend(part)
            continue
        out.extend(_cut_block(block, state[0], state[2], state[3], segmenter.re_eng))
    return out


def _cut_block(
    block: str, freq: dict[str, int], logs: dict[str, float], logtotal: float, eng: Any
) -> tuple[str, ...]:
    """jieba's cut of one run of Chinese (``_jieba_cut``)."""
    out: list[str] = []
    # the likeliest route from each character to the end, from the end backwards: the
    # dictionary words starting there (or the character alone), the greatest log-probability
    # + the rest's, the longest of equals
    n = len(block)
    score = [0.0] * (n + 1)
    step = [0] * (n + 1)
    for start in range(n - 1, -1, -1):
        best, at = 0.0, -1
        i, frag = start, block[start]
        while i < n and frag in freq:
            if freq[frag]:
                value = logs.get(frag)
                if value is None:
                    value = logs[frag] = math.log(freq[frag]) - logtotal
                value += score[i + 1]
                if at < 0 or value >= best:
                    best, at = value, i
            i += 1
            frag = block[start : i + 1]
        if at < 0:
            frag = block[start]
            value = logs.get(frag)
            if value is None:
                value = logs[frag] = math.log(freq.get(frag) or 1) - logtotal
            best, at = value + score[start + 1], start
        score[start], step[start] = best, at
    x, run = 0, ""
    while x < n:
        y = step[x] + 1
        word = block[x:y]
        if y - x == 1 and eng.match(word):
            run += word
        else:
            if run:
                out.append(run)
                run = ""
            out.append(word)
        x = y
    if run:
        out.append(run)
    return tuple(out)
