"""Punctuation checks: half-width ``, ; : ? !`` inside Chinese/Japanese text
(``cjk-punctuation``), and brackets or quotation marks opened and not closed
(``unbalanced-brackets``).

Half-width marks are only reported right after a CJK character, so ``3.5``, ``A/72/1``,
``U.S.`` and Latin quotations inside Chinese text are left alone. An unbalanced pair in a
target is only reported when the source is balanced (a sentence split inside a quotation leaves
both versions unbalanced, which is no error of the translator)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from qa.findings import Finding, Severity
from qa.view import UnitView, Version
from uncore.lang.scripts import CJK_CLASS, LATIN_OR_CYRILLIC_LETTER

_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_HALF_AFTER_CJK = re.compile(rf"(?<=[{CJK_CLASS}])[,;:?!](?![\d/])")

_PAIRS = (
    ("(", ")"),
    ("（", "）"),
    ("[", "]"),
    ("【", "】"),
    ("《", "》"),
    ("〈", "〉"),
    ("“", "”"),
    ("‘", "’"),
    ("«", "»"),
    ("「", "」"),
    ("『", "』"),
    ("<<", ">>"),
)


def cjk_punctuation(view: UnitView) -> Iterator[Finding]:
    for version in view.targets:
        if not version.is_cjk:
            continue
        for m in _HALF_AFTER_CJK.finditer(version.text):
            mark = m.group()
            yield Finding(
                view.tuid,
                version.text,
                version.tag,
                "cjk-punctuation",
                Severity.WARNING,
                mark,
                _FULL_WIDTH[mark],
                m.start(),
                m.end(),
                f"half-width {mark!r} in {version.tag} text; use {_FULL_WIDTH[mark]!r}",
            )


_LIST_LABEL = re.compile(rf"(?:^|[\s;:,—–-])(?:{LATIN_OR_CYRILLIC_LETTER}|\d{{1,2}}|[ivxIVX]{{1,5}})\)$")
_OPENING = {o: c for o, c in _PAIRS}
_CLOSING = {c: o for o, c in _PAIRS}
# Chinese texts mix half- and full-width parentheses, 汇总(同上，表1和表2）: one family.
_FAMILY = {"（": "(", "）": ")"}
_MARKS = re.compile("|".join(re.escape(m) for m in sorted([*_OPENING, *_CLOSING], key=len, reverse=True)))
# A text with none of the marks' characters (most) costs one scan (a set's isdisjoint() would
# build a string object per character).
_ANY_MARK = re.compile("[" + re.escape("".join(sorted(set("".join([*_OPENING, *_CLOSING]))))) + "]")


def _unbalanced(text: str) -> list[tuple[int, str, str]]:
    """(position, mark, its partner) for each mark left without its partner; each kind of pair
    is balanced on its own, so a stray ``《`` does not hide a stray ``(``."""
    out: list[tuple[int, str, str]] = []
    if _ANY_MARK.search(text) is not None:
        stacks: dict[str, list[int]] = {}
        for m in _MARKS.finditer(text):
            mark = _FAMILY.get(m.group(), m.group())
            if mark in _OPENING:
                stacks.setdefault(mark, []).append(m.start())
            else:
                opening = _CLOSING[mark]
                stack = stacks.get(opening)
                if stack:
                    stack.pop()
                elif not (mark == ")" and _LIST_LABEL.search(text, 0, m.end())):
                    # (a) b) 1) iv) without an opening bracket are list labels, not orphans
                    out.append((m.start(), mark, opening))
        for opening, positions in stacks.items():
            out.extend((pos, opening, _OPENING[opening]) for pos in positions)
    if text.count('"') % 2:
        out.append((text.rindex('"'), '"', '"'))
    return sorted(out)


def unbalanced_brackets(view: UnitView) -> Iterator[Finding]:
    if view.source is not None and _unbalanced(view.source.text):
        return  # the source is unbalanced too: a segmentation artefact, nothing to report
    for version in view.targets:
        yield from _report(view, version)


def _report(view: UnitView, version: Version) -> Iterator[Finding]:
    for pos, mark, partner in _unbalanced(version.text):
        yield Finding(
            view.tuid,
            version.text,
            version.tag,
            "unbalanced-brackets",
            Severity.WARNING,
            mark,
            partner,
            pos,
            pos + len(mark),
            f"{mark!r} without its {partner!r}",
        )
