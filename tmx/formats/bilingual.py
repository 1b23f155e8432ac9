"""XLIFF 1.2 and PO through translate-toolkit (it handles their quirks well): bilingual, so
reading needs to know the languages and writing picks a source and a target."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from translate.storage import po, xliff

from tmx.units import TranslationUnit, Variant
from uncore.atomic import atomic_output
from uncore.errors import InputError

# A unit the aligner flagged for review (``x-untm-flagged`` = yes) leaves untm as a unit a CAT
# tool shows as unreviewed: XLIFF 1.2 approved="no" with state="needs-review-translation" and the
# score in a note, PO "fuzzy"; both come back as flagged.
FLAGGED, SCORE = "x-untm-flagged", "x-untm-score"
_NEEDS_REVIEW = 80  # translate-toolkit's state number for needs-review-translation
_SCORE_NOTE = "untm alignment score "
XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"


class _Xliff12Unit(xliff.xliffunit):
    namespace = XLIFF12


class Xliff12File(xliff.xlifffile):
    """translate-toolkit writes XLIFF 1.1 by default; CAT tools expect 1.2."""

    UnitClass = _Xliff12Unit
    namespace = XLIFF12
    XMLskeleton = xliff.xlifffile.XMLskeleton.replace("1.1", "1.2")


def _parse(path: Path, store_class: Any) -> Any:
    try:
        with open(path, "rb") as handle:
            return store_class.parsestring(handle.read())
    except Exception as error:  # translate-toolkit raises assorted types for bad input
        raise InputError(f"cannot read {store_class.__name__}: {error}", path=path) from None


def read_xliff(path: Path, source: str | None = None, target: str | None = None) -> Iterator[TranslationUnit]:
    store = _parse(path, xliff.xlifffile)
    src = source or store.getsourcelanguage() or "en"
    tgt = target or store.gettargetlanguage()
    if not tgt:
        raise InputError("XLIFF without target-language; give the target language", path=path)
    for unit in store.units:
        if unit.isheader() or not unit.source:
            continue
        variants = [Variant(src, str(unit.source))]
        if unit.target:
            variants.append(Variant(tgt, str(unit.target)))
        props = []
        notes = []
        for note in (unit.getnotes() or "").split("\n"):
            if note.startswith(_SCORE_NOTE):
                props.append((SCORE, note[len(_SCORE_NOTE) :].split(";")[0].strip()))
            elif note:
                notes.append(note)
        if unit.target:
            props.append((FLAGGED, "no" if unit.isapproved() else "yes"))
        # translate-toolkit ids are "FILE\x04ID"; the trans-unit id is the part after the EOT
        tuid = (unit.getid() or "").split("\x04")[-1] or None
        yield TranslationUnit(tuple(variants), tuid=tuid, notes=tuple(notes), props=tuple(props))


def read_po(path: Path, source: str | None = None, target: str | None = None) -> Iterator[TranslationUnit]:
    store = _parse(path, po.pofile)
    header = store.parseheader()
    src = source or header.get("X-Source-Language") or "en"  # msgid is English by gettext habit
    tgt = target or store.gettargetlanguage()
    if not tgt:
        raise InputError("PO without a Language header; give the target language", path=path)
    tgt = tgt.replace("_", "-")
    for unit in store.units:
        if unit.isheader() or not unit.source or unit.isobsolete():
            continue
        variants = [Variant(src, str(unit.source))]
        props: tuple[tuple[str, str], ...] = ()
        if unit.target:
            variants.append(Variant(tgt, str(unit.target)))
            props = ((FLAGGED, "yes" if unit.isfuzzy() else "no"),)
        yield TranslationUnit(tuple(variants), tuid=unit.getcontext() or None, props=props)


def _pairs(
    units: Iterable[TranslationUnit], source: str, target: str
) -> Iterator[tuple[TranslationUnit, str, str]]:
    for tu in units:
        src, tgt = tu.variant(source), tu.variant(target)
        if src is not None and tgt is not None:
            yield tu, src.text, tgt.text


def write_xliff(path: Path, units: Iterable[TranslationUnit], source: str, target: str) -> int:
    store = Xliff12File(sourcelanguage=source, targetlanguage=target)
    count = 0
    for tu, src, tgt in _pairs(units, source, target):
        unit = store.addsourceunit(src)
        unit.target = tgt
        count += 1
        unit.setid(tu.tuid or str(count))
        score = tu.prop(SCORE)
        if tu.prop(FLAGGED) == "yes":
            unit.set_state_n(_NEEDS_REVIEW)  # approved="no", state="needs-review-translation"
            unit.addnote(f"{_SCORE_NOTE}{score or '?'}; flagged for review", origin="translator")
        elif score is not None:
            unit.addnote(f"{_SCORE_NOTE}{score}", origin="translator")
    with atomic_output(path, "wb") as handle:
        handle.write(bytes(store))
    return count


def write_po(path: Path, units: Iterable[TranslationUnit], source: str, target: str) -> int:
    store = po.pofile()
    store.settargetlanguage(target.replace("-", "_"))
    store.updateheader(add=True, X_Source_Language=source)
    seen: set[str] = set()
    count = 0
    for tu, src, tgt in _pairs(units, source, target):
        unit = store.addsourceunit(src)
        unit.target = tgt
        if tu.prop(FLAGGED) == "yes":
            unit.markfuzzy(True)
        if src in seen:  # PO needs unique msgid; msgctxt tells repeats apart
            unit.setcontext(tu.tuid or str(count + 1))
        seen.add(src)
        count += 1
    with atomic_output(path, "wb") as handle:
        handle.write(bytes(store))
    return count
