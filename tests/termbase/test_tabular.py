"""CSV/TSV/XLSX: one row per term, round trips, and errors naming the row."""

from __future__ import annotations

import pytest

from termbase.model import Status
from termbase.tabular import read_table, write_omegat, write_table
from uncore.errors import InputError


@pytest.mark.parametrize("suffix", ["csv", "tsv", "xlsx"])
def test_round_trip_of_the_bundled_termbase(bundled, tmp_path, suffix):
    concepts = list(bundled)
    path = tmp_path / f"un.{suffix}"
    assert write_table(concepts, path) == sum(len(c.terms) for c in concepts)
    assert read_table(path) == concepts


def test_unknown_status_names_the_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "concept_id,lang,term,status\nc1,en,Korea,preferred\nc1,zh,韩国,obsolete\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"bad.csv:3: unknown term status 'obsolete'"):
        read_table(path)


def test_duplicate_and_missing_columns(tmp_path):
    dup = tmp_path / "dup.tsv"
    dup.write_text("concept_id\tlang\tterm\nc1\ten\tKorea\nc1\ten\tKorea\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"dup.tsv:3: duplicate term 'Korea' \(en\) in concept c1, first on"):
        read_table(dup)
    missing = tmp_path / "missing.csv"
    missing.write_text("id,lang,term\n1,en,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        read_table(missing)


def test_minimal_table_with_tbx_status_names(tmp_path):
    path = tmp_path / "min.csv"
    path.write_text(
        "concept_id,lang,term,status\nk,zh-CN,南朝鲜,deprecatedTerm-admn-sts\nk,zh,大韩民国,\n",
        encoding="utf-8",
    )
    (concept,) = read_table(path)
    assert [t.status for t in concept.terms] == [Status.DEPRECATED, Status.ADMITTED]
    assert concept.terms[0].lang == "zh"


def test_omegat_glossary(bundled, tmp_path):
    path = tmp_path / "glossary.txt"
    count = write_omegat(bundled, path, "ru", "zh")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert count == len(lines)
    assert all(len(line.split("\t")) == 3 for line in lines)
    assert (
        "Киргизия\t吉尔吉斯斯坦\tdeprecated: not the UN's name, use Кыргызстан; UN short form; "
        "also: 吉尔吉斯共和国 (country-KGZ)"
    ) in lines
    # pairs of the same register: full name with full name, short form with short form
    assert (
        "Исламская Республика Афганистан\t阿富汗伊斯兰共和国\tUN full name; also: 阿富汗 (country-AFG)"
    ) in lines
    assert "Афганистан\t阿富汗\tUN short form; also: 阿富汗伊斯兰共和国 (country-AFG)" in lines


def test_unreadable_files_are_input_errors(tmp_path):
    quote = tmp_path / "quote.csv"
    quote.write_text('concept_id,lang,term\nc1,en,"unclosed\nc2,en,x\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"quote\.csv: not a readable CSV table"):
        read_table(quote)
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    with pytest.raises(InputError, match=r"fake\.xlsx: not a readable XLSX table"):
        read_table(fake)
