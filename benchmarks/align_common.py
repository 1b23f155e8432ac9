"""Shared bits of the alignment benchmarks: the NLTK Gale–Church peer and the result table."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from nltk.translate.gale_church import LanguageIndependent, align_blocks

from aligner.align import AlignConfig
from aligner.evaluate import Link, Scores
from aligner.scorers.length import LengthModel, text_length


def gale_church_links(
    src: Sequence[str], tgt: Sequence[str], src_lang: str | None = None, tgt_lang: str | None = None
) -> list[Link]:
    """NLTK's Gale–Church on the same sentences, as beads. With languages given, NLTK gets
    our estimated ratio and variance (a fair peer for zh, whose character counts are a third of
    English's); without, its language-independent defaults (c=1, s2=6.8).

    ``align_blocks`` returns sentence-index pairs; consecutive pairs sharing a sentence are
    joined back into beads, and unpaired sentences become 1-0 / 0-1.
    """
    params = LanguageIndependent
    if src_lang and tgt_lang:
        model = LengthModel.for_pair(src_lang, tgt_lang)

        class Estimated(LanguageIndependent):
            AVERAGE_CHARACTERS = model.c
            VARIANCE_CHARACTERS = model.s2

        params = Estimated
    pairs = align_blocks([max(1, text_length(s)) for s in src], [max(1, text_length(t)) for t in tgt], params)
    beads: list[tuple[set[int], set[int]]] = []
    for i, j in pairs:
        if beads and (i in beads[-1][0] or j in beads[-1][1]):
            beads[-1][0].add(i)
            beads[-1][1].add(j)
        else:
            beads.append(({i}, {j}))
    seen_s = {i for b in beads for i in b[0]}
    seen_t = {j for b in beads for j in b[1]}
    links: list[Link] = [(tuple(sorted(s)), tuple(sorted(t))) for s, t in beads]
    links += [((i,), ()) for i in range(len(src)) if i not in seen_s]
    links += [((), (j,)) for j in range(len(tgt)) if j not in seen_t]
    return links


def table(rows: Sequence[tuple[str, str, Scores, float | None]], title: str) -> str:
    """A markdown table of scores; a row whose speed is ``None`` (no aligner ran) shows "–"."""
    head = f"{title}\n| pair | system | strict P | strict R | strict F1 | lax F1 | sentences/s |\n"
    head += "|---|---|---|---|---|---|---|\n"
    return head + "".join(
        f"| {pair} | {name} | {s.strict_p:.4f} | {s.strict_r:.4f} | {s.strict_f1:.4f} | {s.lax_f1:.4f} "
        f"| {'–' if speed is None else f'{speed:,.0f}'} |\n"
        for pair, name, s, speed in rows
    )


def with_weights(config: AlignConfig, settings: list[str]) -> AlignConfig:
    """``config`` with ``Weights`` fields overridden from ``name=value`` strings."""
    changes: dict[str, object] = {}
    for setting in settings:
        name, _, value = setting.partition("=")
        current = getattr(config.weights, name)
        changes[name] = bool(int(value)) if isinstance(current, bool) else type(current)(float(value))
    return dataclasses.replace(config, weights=dataclasses.replace(config.weights, **changes))
