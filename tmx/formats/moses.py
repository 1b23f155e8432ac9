"""Moses plain-text pairs: ``corpus.ru`` and ``corpus.zh``, line *i* of each file is one unit
(the form MT training and sentence-alignment tools exchange)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from tmx.units import TranslationUnit, Variant
from uncore.atomic import atomic_output
from uncore.errors import InputError, UntmError
from uncore.lang import language


def moses_files(path: Path, langs: Sequence[str] | None = None) -> tuple[Path, dict[str, Path]]:
    """The corpus prefix and its per-language files. ``path`` is the prefix (``corpus``) or one
    of the files (``corpus.ru``); without ``langs`` every ``prefix.LANG`` sibling is taken."""
    prefix = path
    with contextlib.suppress(UntmError):
        if path.suffix and language(path.suffix[1:]) and path.is_file():
            prefix = path.with_suffix("")
    if langs:
        files = {lang: prefix.parent / f"{prefix.name}.{lang}" for lang in langs}
    else:
        files = {}
        for sibling in sorted(prefix.parent.glob(f"{prefix.name}.*")):
            tag = sibling.name[len(prefix.name) + 1 :]
            with contextlib.suppress(UntmError):
                language(tag)
                files[tag] = sibling
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing or len(files) < 2:
        raise InputError(
            "Moses corpus needs one file per language, e.g. corpus.ru and corpus.zh"
            + (f" (missing: {', '.join(missing)})" if missing else ""),
            path=path,
        )
    return prefix, files


def read(path: Path, langs: Sequence[str] | None = None) -> Iterator[TranslationUnit]:
    _, files = moses_files(path, langs)
    handles = {lang: open(p, encoding="utf-8") for lang, p in files.items()}  # noqa: SIM115
    try:
        line = 0
        while True:
            line += 1
            rows = {lang: h.readline() for lang, h in handles.items()}
            ended = [lang for lang, text in rows.items() if not text]
            if ended:
                if len(ended) != len(rows):
                    raise InputError(
                        f"Moses files differ in length: {', '.join(ended)} ended first",
                        path=files[ended[0]],
                        line=line,
                    )
                return
            variants = tuple(
                Variant(lang, text.rstrip("\r\n")) for lang, text in rows.items() if text.strip()
            )
            if variants:
                yield TranslationUnit(variants)
    finally:
        for h in handles.values():
            h.close()


def write(prefix: Path, units: Iterable[TranslationUnit], langs: Sequence[str]) -> int:
    """One file per language; units lacking any of ``langs`` are skipped so lines stay parallel."""
    count = 0
    with contextlib.ExitStack() as stack:
        outs = [stack.enter_context(atomic_output(prefix.parent / f"{prefix.name}.{lang}")) for lang in langs]
        for tu in units:
            found = [tu.variant(lang) for lang in langs]
            if any(v is None for v in found):
                continue
            for out, v in zip(outs, found, strict=True):
                assert v is not None
                out.write(" ".join(v.text.split("\n")) + "\n")
            count += 1
    return count
