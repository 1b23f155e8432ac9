"""Strict and lax precision / recall / F1 of alignments, as ``../shared/data/README.md`` defines
them (the scoring of Vecalign and Bertalign, after Sennrich & Volk 2011).

* Precision runs over every predicted bead, 1-0 and 0-1 included; recall over the gold beads
  with sentences on both sides, checked against the predicted beads with both sides.
* Strict: a bead counts when the other alignment has exactly that bead.
  Lax: when some bead of the other alignment shares at least one sentence on each side.
* Counts are summed over all documents of a set before dividing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from uncore.errors import InputError

Link = tuple[tuple[int, ...], tuple[int, ...]]
_LINE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*$")


def parse_align(text: str, path: str | None = None) -> list[Link]:
    """Read ``[i,j]:[k]`` lines (0-based, ``[]`` for nothing); blank lines are ignored."""
    links: list[Link] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if not match:
            raise InputError(
                f"not an alignment line (expected [i,j]:[k]): {line[:60]!r}", path=path, line=number
            )
        src, tgt = (tuple(int(x) for x in part.replace(" ", "").split(",") if x) for part in match.groups())
        links.append((src, tgt))
    return links


def read_align(path: str | Path) -> list[Link]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read alignment file: {error}", path=path) from error
    return parse_align(text, str(path))


def format_align(links: Iterable[Link]) -> str:
    return "".join(f"[{','.join(map(str, s))}]:[{','.join(map(str, t))}]\n" for s, t in links)


@dataclass(frozen=True)
class Counts:
    """Summable counts: predicted beads and their strict/lax hits; gold (two-sided) beads and
    the strict/lax hits among them."""

    pred: int = 0
    pred_strict: int = 0
    pred_lax: int = 0
    gold: int = 0
    gold_strict: int = 0
    gold_lax: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self._tuple(), other._tuple(), strict=True)))

    def _tuple(self) -> tuple[int, ...]:
        return (self.pred, self.pred_strict, self.pred_lax, self.gold, self.gold_strict, self.gold_lax)


@dataclass(frozen=True)
class Scores:
    strict_p: float
    strict_r: float
    strict_f1: float
    lax_p: float
    lax_r: float
    lax_f1: float
    counts: Counts

    @classmethod
    def of(cls, c: Counts) -> Scores:
        def f1(p: float, r: float) -> float:
            return 2 * p * r / (p + r) if p + r else 0.0

        sp = c.pred_strict / c.pred if c.pred else 0.0
        sr = c.gold_strict / c.gold if c.gold else 0.0
        lp = c.pred_lax / c.pred if c.pred else 0.0
        lr = c.gold_lax / c.gold if c.gold else 0.0
        return cls(sp, sr, f1(sp, sr), lp, lr, f1(lp, lr), c)


def _hits(beads: Sequence[Link], other: Sequence[Link]) -> tuple[int, int]:
    """(strict, lax) hits of ``beads`` against ``other``."""
    exact = {(tuple(s), tuple(t)) for s, t in other}
    src_map: dict[int, set[int]] = {}
    for k, (s, t) in enumerate(other):
        if s and t:
            for i in s:
                src_map.setdefault(i, set()).add(k)
    tgt_of = [set(t) for _, t in other]
    strict = lax = 0
    for s, t in beads:
        if (tuple(s), tuple(t)) in exact:
            strict += 1
            lax += 1
            continue
        if s and t:
            candidates = set().union(*(src_map.get(i, set()) for i in s))
            if any(tgt_of[k] & set(t) for k in candidates):
                lax += 1
    return strict, lax


def count(gold: Sequence[Link], pred: Sequence[Link]) -> Counts:
    """Counts for one document."""
    pred = [(s, t) for s, t in pred if s or t]
    gold = [(s, t) for s, t in gold if s or t]
    p_strict, p_lax = _hits(pred, gold)
    gold_both = [(s, t) for s, t in gold if s and t]
    pred_both = [(s, t) for s, t in pred if s and t]
    g_strict, g_lax = _hits(gold_both, pred_both)
    return Counts(len(pred), p_strict, p_lax, len(gold_both), g_strict, g_lax)


def score(pairs: Iterable[tuple[Sequence[Link], Sequence[Link]]]) -> Scores:
    """Scores summed over documents: ``pairs`` yields (gold, predicted) per document."""
    total = Counts()
    for gold, pred in pairs:
        total = total + count(gold, pred)
    return Scores.of(total)


def score_paths(gold: str | Path, pred: str | Path) -> Scores:
    """Score two files, or two directories holding files of the same names (``*.align``)."""
    gold, pred = Path(gold), Path(pred)
    if gold.is_dir() != pred.is_dir():
        raise InputError("--gold and --pred must both be files or both be directories", path=pred)
    if not gold.is_dir():
        return score([(read_align(gold), read_align(pred))])
    names = sorted(p.name for p in gold.iterdir() if p.is_file() and not p.name.startswith("."))
    if not names:
        raise InputError("no gold alignment files in directory", path=gold)
    missing = [name for name in names if not (pred / name).is_file()]
    if missing:
        raise InputError(f"no prediction for {len(missing)} gold file(s), e.g. {missing[0]}", path=pred)
    return score((read_align(gold / name), read_align(pred / name)) for name in names)
