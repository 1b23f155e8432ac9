"""``empty`` and ``untranslated``: the target is blank, or it is still the source text (or is
not in the target language's script at all)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from qa.findings import Finding, Severity
from qa.view import UnitView
from uncore.lang import data_language, dominant_script
from uncore.lang.scripts import SCRIPT_PROBES, UNKNOWN_SCRIPT

_LETTERS = re.compile(r"[^\W\d_]{2,}")
_SPACES = re.compile(r"\s+")
_SAMPLE = 200  # characters enough to tell a script; dominant_script is slow on long texts


@lru_cache(maxsize=64)
def _script(code: str) -> str:
    return data_language(code).script


def empty(view: UnitView) -> Iterator[Finding]:
    if view.source is None or not view.source.text.strip():
        return
    for target in view.targets:
        if not target.text.strip():
            yield Finding(
                view.tuid,
                target.text,
                target.tag,
                "empty",
                Severity.ERROR,
                "",
                None,
                None,
                None,
                f"the {target.tag} version is empty",
            )


def untranslated(view: UnitView) -> Iterator[Finding]:
    """Identical text, or text in the source's script instead of the target's, counts only when
    it is running text (three words or more, some of them lower-case): acronyms, names, symbols
    and boilerplate are rightly left as they are."""
    source = view.source
    if source is None:
        return
    if not source.text.strip():
        return
    src: str | None = None
    for target in view.targets:
        wanted = _script(target.code)
        probe = SCRIPT_PROBES.get(wanted)
        if probe is not None and target.text != source.text and probe.search(target.text, 0, _SAMPLE):
            continue  # some of it is in the target's script: translated
        tgt = _SPACES.sub(" ", target.text).strip()
        if not tgt:
            continue
        if src is None:
            src = _SPACES.sub(" ", source.text).strip()
        words = _LETTERS.findall(tgt)
        # Names, titles and boilerplate (Abdullah Sarwaji, Distr.: General, Empresa Argentina
        # de Soluciones) rightly stay as they are: only running text, with lower-case words,
        # counts as untranslated.
        running = len(words) >= 3 and any(len(w) >= 3 and w.islower() for w in words)
        if not running:
            continue
        if tgt == src and source.code != target.code:
            yield Finding(
                view.tuid,
                target.text,
                target.tag,
                "untranslated",
                Severity.ERROR,
                tgt,
                None,
                0,
                len(target.text),
                f"the {target.tag} text is the same as the {source.tag} source",
            )
            continue
        if wanted == UNKNOWN_SCRIPT:
            continue  # a language untm has no rules for (it, pt): only identical text is judged
        found = dominant_script(tgt, sample=_SAMPLE)
        if found is None or found == wanted or (wanted == "Hant" and found == "Hans"):
            continue
        if found == dominant_script(src, sample=_SAMPLE):
            yield Finding(
                view.tuid,
                target.text,
                target.tag,
                "untranslated",
                Severity.ERROR,
                tgt,
                None,
                0,
                len(target.text),
                f"the {target.tag} text is written in {found}, like the source, not in {wanted}",
            )
