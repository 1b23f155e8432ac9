"""Property tests: every termbase untm can hold survives export → import → export, in TBX, CSV,
TSV and XLSX, and its second export is identical to the first (ids escaped reversibly, cells
with tabs, line breaks and formula-looking starts kept)."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from termbase.exchange import read_concepts, write_concepts
from termbase.model import Concept, Status, Term, TermType
from termbase.store import Termbase
from uncore.errors import InputError
from uncore.xmlchars import XML_INVALID

_HARD = "\r\n\t\\\"'=+-@/ #&<>.:_\u0301\u200f\u00a0\u3000«»“”,;"
_CHAR = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs",)).filter(lambda ch: XML_INVALID.match(ch) is None),
    st.sampled_from(_HARD),
)
# what untm holds: text without surrounding white space (the store trims it), not empty
TEXT = st.text(_CHAR, min_size=1, max_size=25).map(str.strip).filter(bool)
OPTIONAL = st.one_of(st.none(), TEXT)
TERM = st.builds(
    Term,
    lang=st.sampled_from(["zh", "ru", "en", "fr", "es", "ar"]),
    text=TEXT,
    status=st.sampled_from(list(Status)),
    type=st.sampled_from(list(TermType)),
    note=OPTIONAL,
    source=OPTIONAL,
    context=OPTIONAL,
)
CONCEPT = st.builds(
    Concept,
    id=TEXT,
    terms=st.lists(TERM, min_size=1, max_size=3, unique_by=lambda t: (t.lang, t.text)).map(tuple),
    note=OPTIONAL,
    definition=OPTIONAL,
    subject=OPTIONAL,
)
TERMBASES = st.lists(CONCEPT, min_size=1, max_size=4, unique_by=lambda c: c.id)


def _stored(concepts: list[Concept], folder: Path) -> list[Concept]:
    base = Termbase.open(folder / "tb.sqlite", seed=False)
    base.import_concepts(concepts)
    held = list(base)
    base.close()
    return held


def _by_language(concepts: list[Concept]) -> list[Concept]:
    """Concepts by id, terms by language (TBX groups a concept's terms into one section per
    language; within a language the order is kept)."""
    return sorted(
        (replace(c, terms=tuple(sorted(c.terms, key=lambda t: t.lang))) for c in concepts), key=lambda c: c.id
    )


@pytest.mark.parametrize("fmt", ["tbx", "csv", "tsv", "xlsx"])
@given(termbase=TERMBASES)
def test_export_import_export_is_identical(fmt: str, termbase: list[Concept]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        held = _stored(termbase, folder)
        first = folder / f"one.{fmt}"
        write_concepts(held, first, fmt)
        back = list(read_concepts(first, fmt))
        again = folder / f"two.{fmt}"
        write_concepts(back, again, fmt)
        assert _by_language(back) == _by_language(held)
        if fmt != "xlsx":  # a workbook carries its save time; its cells are compared above
            assert again.read_bytes() == first.read_bytes()


@given(st.sampled_from(["\x01", "\x08", "\x0b", "\x1f", "\ufffe"]))
def test_characters_xml_cannot_carry_are_refused(bad: str) -> None:
    with tempfile.TemporaryDirectory() as name:
        base = Termbase.open(Path(name) / "tb.sqlite", seed=False)
        with pytest.raises(InputError, match=r"U\+"):
            base.add_term("c1", Term("en", f"General{bad}Assembly"))
        assert len(base) == 0
        base.close()
