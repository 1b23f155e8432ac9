"""``number-mismatch``: numbers, dates, percentages, times, paragraph labels and UN symbols that
differ between the source and a target, compared through ``uncore.lang.numbers``.

The comparison is deliberately one of *sets*, with weak evidence on one side allowed to answer
strong evidence on the other: a translation may say a year once where the source says it
twice, write *seventy-second* as 第七十二届, or drop a footnote marker; none of that is a
number a reviser would change. What is reported:

* a strong source value with no counterpart in the target (missing or changed),
* a strong target value with no counterpart in the source (added or changed),
  paired with each other when both exist, so ``142 → 141`` is one finding with a suggestion;
* different paragraph labels, when both versions carry one (aligned text often loses labels on
  one side only, which is no error).

A pair with no digit on either side is compared by its labels only (numbers in words are weak,
and Chinese dates written in Chinese numerals are rare enough to leave to the reviser).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from qa.findings import Finding, Severity
from qa.view import UnitView
from uncore.lang.numbers import GROUP_SEPARATOR, NumberToken, has_digits, paragraph_label, same_quantity

CHECK = "number-mismatch"


def _unanswered(tokens: list[NumberToken], others: list[NumberToken]) -> list[NumberToken]:
    out: list[NumberToken] = []
    seen: set[str] = set()
    values = {other.value for other in others}  # an equal value answers (same_quantity's first test)
    for token in tokens:
        if token.spelled or token.kind == "label" or token.value in seen or token.value in values:
            continue
        if not any(same_quantity(token, other) for other in others):
            out.append(token)
            seen.add(token.value)
    return out


def number_mismatch(view: UnitView) -> Iterator[Finding]:
    source = view.source
    if source is None:
        return
    src_digits = has_digits(source.text)
    src_label = paragraph_label(source.text)
    for target in view.targets:
        if not target.text.strip():
            continue
        tgt_label = paragraph_label(target.text) if src_label else None
        if src_label and tgt_label and src_label.value != tgt_label.value:
            yield Finding(
                view.tuid,
                target.text,
                target.tag,
                CHECK,
                Severity.ERROR,
                tgt_label.surface,
                src_label.surface,
                tgt_label.start,
                tgt_label.end,
                f"paragraph label {tgt_label.surface!r} differs from the source's {src_label.surface!r}",
            )
        if not src_digits and not has_digits(target.text):
            continue  # nothing strong to compare (labels aside): skip the extraction
        src_tokens = view.numbers(source)
        tgt_tokens = view.numbers(target)
        missing = _unanswered(src_tokens, tgt_tokens)
        extra = _unanswered(tgt_tokens, src_tokens)
        if missing or extra:  # look again, with the numbers written in words as answers
            src_all = view.numbers(source, spelled=True)
            tgt_all = view.numbers(target, spelled=True)
            missing = _unanswered(src_tokens, tgt_all)
            extra = _unanswered(tgt_tokens, src_all)
        for token in extra:
            partner = _partner(token, missing)
            if partner is not None:
                missing.remove(partner)
                yield Finding(
                    view.tuid,
                    target.text,
                    target.tag,
                    CHECK,
                    Severity.ERROR,
                    token.surface,
                    partner.surface,
                    token.start,
                    token.end,
                    f"{token.surface!r} ({_describe(token)}) where the source has "
                    f"{partner.surface!r} ({_describe(partner)})",
                )
            else:
                yield Finding(
                    view.tuid,
                    target.text,
                    target.tag,
                    CHECK,
                    Severity.ERROR,
                    token.surface,
                    None,
                    token.start,
                    token.end,
                    f"{token.surface!r} ({_describe(token)}) is not in the source",
                )
        for token in missing:
            yield Finding(
                view.tuid,
                target.text,
                target.tag,
                CHECK,
                Severity.ERROR,
                token.surface,
                token.surface,
                None,
                None,
                f"the source's {token.surface!r} ({_describe(token)}) is missing from the {target.tag} text",
            )


_FAMILY = {
    "number": "n",
    "ordinal": "n",
    "year": "n",
    "percent": "n",
    "footnote": "n",
    "date": "d",
    "time": "t",
    "symbol": "s",
    "label": "l",
}


def _partner(token: NumberToken, candidates: list[NumberToken]) -> NumberToken | None:
    for candidate in candidates:
        if _FAMILY.get(candidate.kind) == _FAMILY.get(token.kind):
            return candidate
    return None


def _describe(token: NumberToken) -> str:
    if token.kind in {"number", "ordinal", "year"}:
        return token.value
    return f"{token.kind} {token.value}"


# Thousands grouped the other way than the language's UN style. Only unambiguous forms: two or
# more comma groups in Russian/French (1,234 alone could be a decimal), any comma group in
# Chinese, space groups in English.
_WRONG_GROUPING = {
    " ": {
        "zh": re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d,]|\.\d)"),
        "ru": re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3}){2,}(?![\d,])"),
        "fr": re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3}){2,}(?![\d,])"),
    },
    ",": {"en": re.compile(r"(?<![\d,.])(?<!\d )\d{1,3}(?:[ \u00a0]\d{3})+(?![\d])")},
}
# What every match of the patterns above contains: searched first, since a pattern that opens
# with a look-behind is tried at every position of the text.
_GROUP_GATE = {" ": re.compile(r"\d,\d{3}"), ",": re.compile(r"\d[ \u00a0]\d{3}")}


def number_format(view: UnitView) -> Iterator[Finding]:
    """``number-format``: thousands grouped against the target language's UN style (45,000 in
    Chinese text, where UN Chinese writes 45 000). Works on a single document too."""
    for version in view.targets:
        separator = GROUP_SEPARATOR.get(version.code)
        if separator is None:
            continue
        pattern = _WRONG_GROUPING.get(separator, {}).get(version.code)
        if pattern is None or _GROUP_GATE[separator].search(version.text) is None:
            continue
        for m in pattern.finditer(version.text):
            digits = re.sub(r"[^\d]", "", m.group())
            groups = [digits[max(0, i - 3) : i] for i in range(len(digits), 0, -3)][::-1]
            wanted = separator.join(groups)
            yield Finding(
                view.tuid,
                version.text,
                version.tag,
                "number-format",
                Severity.WARNING,
                m.group(),
                wanted,
                m.start(),
                m.end(),
                f"{m.group()!r}: UN {version.tag} style groups thousands as {wanted!r}",
            )
