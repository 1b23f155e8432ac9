"""SRX 2.0 reading/writing and the SRX semantics the compiled rules must keep."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.segment import Segmenter, shipped_srx_bytes
from aligner.srx import LanguageMap, Rule, SrxRules, parse_srx, read_srx, to_xml
from uncore.errors import InputError

SMALL = """<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
  <header segmentsubflows="yes" cascade="{cascade}"/>
  <body>
    <languagerules>
      <languagerule languagerulename="Special">
        <rule break="no"><beforebreak>\\bAbc\\.</beforebreak><afterbreak>\\s</afterbreak></rule>
      </languagerule>
      <languagerule languagerulename="Default">
        <rule break="yes"><beforebreak>\\.</beforebreak><afterbreak>\\s</afterbreak></rule>
        <rule break="no"><beforebreak>\\bAbc\\.</beforebreak><afterbreak>\\s</afterbreak></rule>
      </languagerule>
    </languagerules>
    <maprules>
      <languagemap languagepattern="EN.*" languagerulename="Special"/>
      <languagemap languagepattern=".*" languagerulename="Default"/>
    </maprules>
  </body>
</srx>
"""


def test_shipped_rules_parse_and_cover_the_un_languages() -> None:
    rules = parse_srx(shipped_srx_bytes())
    assert rules.cascade
    for code in ("zh", "ru", "en", "fr", "es", "ar", "ja", "de"):
        assert any(rule.breaks for rule in rules.rules_for(code)), code


def test_first_matching_rule_wins_and_cascade() -> None:
    text = "See Abc. Next one."
    cascading = Segmenter(parse_srx(SMALL.format(cascade="yes")))
    # cascade: Special's no-break comes before Default's break for English
    assert cascading.split(text, "en") == ["See Abc. Next one."]
    # for another language only Default applies, and there the break rule comes first
    assert cascading.split(text, "ru") == ["See Abc.", "Next one."]
    first_only = Segmenter(parse_srx(SMALL.format(cascade="no")))
    assert len(first_only.rules.rules_for("en")) == 1  # only the first matching map (Special)
    assert first_only.split(text, "en") == ["See Abc. Next one."]


def test_write_then_read_round_trip(tmp_path: Path) -> None:
    rules = parse_srx(shipped_srx_bytes())
    path = tmp_path / "rules.srx"
    path.write_bytes(to_xml(rules))
    again = read_srx(path)
    assert again == rules
    text = "Mr. Smith spoke on para. 5. The end. 与会者注意到。这是重要因素。"
    assert Segmenter(again).split(text, "en") == Segmenter(rules).split(text, "en")


def test_escaped_characters_survive_writing() -> None:
    rules = SrxRules((("X", (Rule(False, r"(?<!\d)a&b<c", r">"),)),), (LanguageMap(".*", "X"),))
    assert parse_srx(to_xml(rules)) == rules


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<srx", "not well-formed"),
        ("<other/>", "not an SRX file"),
        (
            """<srx xmlns="http://www.lisa.org/srx20"><body><languagerules><languagerule languagerulename="A">
        <rule><beforebreak>(unclosed</beforebreak></rule></languagerule></languagerules></body></srx>""",
            "bad regex",
        ),
        (
            """<srx xmlns="http://www.lisa.org/srx20"><body><maprules>
        <languagemap languagepattern=".*" languagerulename="Nope"/></maprules></body></srx>""",
            "unknown languagerule",
        ),
    ],
)
def test_bad_srx_is_an_input_error(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_srx(text, path="bad.srx")


def test_entities_are_not_expanded(tmp_path: Path) -> None:
    path = tmp_path / "evil.srx"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE srx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<srx xmlns="http://www.lisa.org/srx20"><body><languagerules>'
        '<languagerule languagerulename="A"><rule><beforebreak>&x;</beforebreak>'
        "</rule></languagerule></languagerules></body></srx>",
        encoding="utf-8",
    )
    rules = read_srx(path)
    assert "root:" not in rules.languagerules[0][1][0].before


# paragraph labels of every shape the readers know, and label-like starts that are not labels
LABELLED = [
    ("en", "12. The Committee notes the report."),
    ("en", "1.2 The Committee notes the report. It thanks the State party."),
    ("en", "(a) To welcome the plan;"),
    ("en", "(iv) The Committee notes the report."),
    ("en", "a) The Committee notes the report."),
    ("en", "IV.G. Conclusions and recommendations"),
    ("en", "A. The Committee notes the report."),
    ("en", "A. de Mistura spoke. He left."),
    ("en", "Article 3. Everyone has the right to life."),
    ("en", "- The Committee notes the report."),
    ("ru", "12. Комитет принимает к сведению доклад."),
    ("ru", "Статья 3 Каждый человек имеет право на жизнь."),
    ("ru", "– Комитет принимает к сведению доклад."),
    ("zh", "一、委员会注意到报告。"),
    ("zh", "（三）委员会注意到报告。"),
    ("zh", "第三条 人人有权享有生命。"),
    ("zh", "12.委员会注意到报告。"),
]


def test_labels_are_cut_as_the_readers_find_them() -> None:
    """The shipped rules cut a paragraph label off exactly where ``split_label`` finds one (the
    label the TMX units keep apart), and ``Segmenter.sentences`` puts it back on its sentence."""
    from aligner.read.furniture import split_label
    from tests.conftest import unpc_paragraphs

    ours = Segmenter.shipped()
    rows = [(lang, " ".join(gold)) for lang in ("ru", "en") for gold in unpc_paragraphs(lang, 4000)]
    rows += [("zh", "".join(gold)) for gold in unpc_paragraphs("zh", 4000)] + LABELLED
    labelled = 0
    for lang, text in rows:
        label, _ = split_label(text)
        segments = ours.split(text, lang)
        if label is None:
            assert not (len(segments) > 1 and split_label(segments[0] + " x")[0] == segments[0]), text
            continue
        labelled += 1
        assert segments[0] == label, text
        sentences = ours.sentences(text, lang)
        assert sentences[0].startswith(label) and "".join(sentences[0].split()).endswith(
            "".join(segments[1].split())
        ), text
        assert len(sentences) == len(segments) - 1
    assert labelled > 500


def test_omegat_reads_the_shipped_srx_and_segments_the_same(tmp_path: Path) -> None:
    """OmegaT's own SRX 2.0 binding and segmenter (run through Groovy, which the omegat package
    depends on) give exactly our sentences on real UN paragraphs in zh, ru and en."""
    import shutil
    import subprocess

    from tests.conftest import ROOT, unpc_paragraphs

    jar, groovy = Path("/usr/share/omegat/OmegaT.jar"), Path("/usr/share/java/groovy-all.jar")
    if shutil.which("java") is None or not jar.exists() or not groovy.exists():
        pytest.fail("OmegaT (Debian package 'omegat', with java and groovy) is not installed")
    rows = [
        (lang, joiner.join(gold))
        for lang, joiner in (("zh", ""), ("ru", " "), ("en", " "))
        for gold in unpc_paragraphs(lang, 400)
    ]
    rows += [
        ("en", "Mr. A. de Mistura spoke on para. 5, i.e. on 1.5 days. Food, water, etc. and more."),
        ("ru", "Согласно ст. 3 в 2015 г. Комитет выделил 10 млн. долл. США. Он согласился."),
        ("zh", '他说：“我们同意。”会议随后结束！本组织"系基于原则。"以及和平。'),
        *LABELLED,
    ]
    source = tmp_path / "paragraphs.txt"
    source.write_text("".join(f"{lang}\t{text}\n" for lang, text in rows), encoding="utf-8")
    run = subprocess.run(
        [
            "java",
            "-cp",
            f"{groovy}:{jar}",
            "groovy.ui.GroovyMain",
            str(ROOT / "benchmarks" / "omegat_segment.groovy"),
            str(ROOT / "aligner" / "rules" / "un.srx"),
            "-",
            str(source),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    omegat = [line.split("\t") for line in run.stdout.split("\n")[: len(rows)]]
    ours = Segmenter.shipped()
    assert len(rows) > 1000
    differing = [
        (lang, text)
        for (lang, text), theirs in zip(rows, omegat, strict=True)
        if ours.split(text, lang) != theirs
    ]
    assert differing == []
