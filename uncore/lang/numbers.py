"""Numbers, dates, percentages, paragraph labels and UN document symbols, found in text of any
UN language and normalised so that the same quantity compares equal across languages.

Two parts of untm rely on this: the aligner uses the values as anchors (a sentence that says
``A/RES/68/218`` and ``14 November 2017`` pairs with the one saying ``第68/218号决议`` and
``2017年11月14日``), and QA's ``number-mismatch`` check compares the value sets of source and
target. Because QA fails builds on the result, precision matters more than coverage: forms that
are ambiguous are either left out or marked ``spelled`` (words such as *one*, 一, *второй*,
which QA treats as weak evidence: they can satisfy a number on the other side, never raise one).

Values:

* ``number`` / ``ordinal`` / ``year``: canonical decimal (``1234.5``, ``72``, ``2017``),
  multipliers applied (``3.5 亿`` = ``350 million`` = ``350 млн`` → ``350000000``);
* ``percent``: ``5%`` (``5 per cent``, ``百分之五``, ``5 процентов``);
* ``date``: ISO 8601, ``2017-11-14``; without year ``--11-14``; month and year ``2017-11``;
* ``time``: ``15:00`` (``3 p.m.``, ``下午3时``, ``15 ч. 00 м.``);
* ``symbol``: the UN document symbol, atomic (``A/RES/68/218``, ``S/2015/305``, ``68/218``);
* ``label``: a paragraph label at the start of the text (``10.`` → ``10``, ``(a)`` → ``a``).

Everything is a pure function of ``(text, lang)``; the patterns are compiled once at import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from uncore.lang import data_language
from uncore.lang.scripts import HAN_CLASS

__all__ = [
    "GROUP_SEPARATOR",
    "NumberToken",
    "extract_numbers",
    "has_digits",
    "number_values",
    "paragraph_label",
    "same_quantity",
]


@dataclass(frozen=True, slots=True)
class NumberToken:
    """One number-like expression: ``text[start:end] == surface``; ``value`` is comparable
    across languages; ``spelled`` is true when it is written in words (weak evidence)."""

    kind: str
    value: str
    start: int
    end: int
    surface: str
    spelled: bool = False


# --- normalisation of the working copy (length-preserving, so spans stay valid) -------------

_FOLD = {ord(c): ord("0") + i for i, c in enumerate("０１２３４５６７８９")}
_FOLD.update({ord(c): ord("0") + i for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")})
_FOLD.update({ord(c): ord("0") + i for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")})
_FOLD.update({ord(c): ord("1") + i for i, c in enumerate("⑴⑵⑶⑷⑸⑹⑺⑻⑼")})
_FOLD.update({ord(c): ord("1") + i for i, c in enumerate("①②③④⑤⑥⑦⑧⑨")})
_FOLD.update({ord(c): ord(z) for c, z in zip("㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩", "一二三四五六七八九十", strict=True)})
_FOLD.update(
    {ord("％"): ord("%"), ord("／"): ord("/"), ord("．"): ord("."), ord("٫"): ord("."), ord("٬"): ord(",")}
)
# Most texts have none of these: the search is cheaper than translating every character.
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(c)) for c in _FOLD) + "]")
# Cyrillic look-alikes typed in Latin document symbols (А/69/1 with a Cyrillic А is common).
_HOMOGLYPHS = str.maketrans("АВСЕКМНОРТХаесорх", "ABCEKMHOPTXaecopx")

_SPACE = "[ \u00a0\u2009\u202f]"
# Currency written against the number (Euro1.5 million, $A45,000, US$5): masked out before
# matching so the glued-to-letters rule does not drop the number.
_CURRENCY = re.compile(r"(?:Euro|EUR|USD|US\$|\$A|A\$|NZ\$|Can\$|CHF|SwF|RMB|Rs\.?)(?=\d)")
# digits glued to letters (H1N1, G77) are not numbers
_NOT_BEFORE = r"(?<![0-9A-Za-zА-Яа-яЁё])(?<!\d[.,])"
_NOT_AFTER = r"(?![0-9A-Za-zА-Яа-яЁё])"

# Decimal mark per language: UN English and Chinese write 1,234.5 / 1 234.5; Russian, French and
# Spanish 1 234,5. (Spanish UN texts also group with dots: 1.234.567.)
_DECIMAL_COMMA = {"ru", "fr", "es", "de", "uz"}
_DOT_GROUPS = {"es", "de"}  # 1.234.567; in Russian and French UN texts 140.2 is a section number

# How UN editorial style groups thousands, per language: UN Chinese, Russian and French
# documents separate groups with a (non-breaking) space (100 000), UN English with commas.
GROUP_SEPARATOR = {"zh": " ", "ru": " ", "fr": " ", "en": ","}

_NUM_POINT = rf"\d{{1,3}}(?:(?:,|{_SPACE})\d{{3}})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?"
_NUM_COMMA = rf"\d{{1,3}}(?:(?:\.|{_SPACE})\d{{3}})+(?:,\d+)?(?!\d)|\d+(?:,\d+)?"
_NUM_COMMA_SPACE = rf"\d{{1,3}}(?:{_SPACE}\d{{3}})+(?:,\d+)?(?!\d)|\d+\.\d+|\d+(?:,\d+)?"
# The same after their first digit (\d{1,3} → \d then \d{0,2}, \d+ → \d then \d*: the same
# matches, tried in the same order), and _NOT_BEFORE as seen from after that digit, for the scan
# of `_patterns`: a pattern that opens with a digit is searched by skipping to the next digit,
# one that opens with a look-around is tried at every position of the text.
_NUM_TAIL = {
    _NUM_POINT: rf"\d{{0,2}}(?:(?:,|{_SPACE})\d{{3}})+(?:\.\d+)?(?!\d)|\d*(?:\.\d+)?",
    _NUM_COMMA: rf"\d{{0,2}}(?:(?:\.|{_SPACE})\d{{3}})+(?:,\d+)?(?!\d)|\d*(?:,\d+)?",
    _NUM_COMMA_SPACE: rf"\d{{0,2}}(?:{_SPACE}\d{{3}})+(?:,\d+)?(?!\d)|\d*\.\d+|\d*(?:,\d+)?",
}
_NOT_BEFORE_DIGIT = r"(?<![0-9A-Za-zА-Яа-яЁё]\d)(?<!\d[.,]\d)"

_MULTIPLIERS: dict[str, int] = {
    "thousand": 10**3,
    "million": 10**6,
    "millions": 10**6,
    "billion": 10**9,
    "billions": 10**9,
    "trillion": 10**12,
    "тыс": 10**3,
    "тысяча": 10**3,
    "тысячи": 10**3,
    "тысяч": 10**3,
    "тысячам": 10**3,
    "млн": 10**6,
    "миллион": 10**6,
    "миллиона": 10**6,
    "миллионов": 10**6,
    "миллионам": 10**6,
    "млрд": 10**9,
    "миллиард": 10**9,
    "миллиарда": 10**9,
    "миллиардов": 10**9,
    "трлн": 10**12,
    "триллион": 10**12,
    "триллиона": 10**12,
    "триллионов": 10**12,
    "milliard": 10**9,
    "milliards": 10**9,
    "millón": 10**6,
    "millones": 10**6,
    "mil millones": 10**9,
    "billón": 10**12,
    "billones": 10**12,
    "万": 10**4,
    "亿": 10**8,
    "万亿": 10**12,
    "千万": 10**7,
    "百万": 10**6,
    "千": 10**3,
}
_MULT_RE = (
    "mil millones|thousand|millions?|billions?|trillion|milliards?|millón|millones|billón"
    "|billones|тыс\\.?|тысяч[аи]?|тысячам|млн\\.?|миллион(?:а|ов|ам)?|млрд\\.?"
    "|миллиард(?:а|ов)?|трлн\\.?|триллион(?:а|ов)?"
)

_PERCENT_RE = (
    r"%|per\s?cent\b|percent\b|процент[а-я]*|проц\.|pour\s?cent|por\s?ciento"
    r"|في\s?المائة|في\s?المئة"
)

# --- numerals written in words --------------------------------------------------------------

_EN_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_EN_ORD_UNITS = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_EN_ORD_TENS = [
    "",
    "",
    "twentieth",
    "thirtieth",
    "fortieth",
    "fiftieth",
    "sixtieth",
    "seventieth",
    "eightieth",
    "ninetieth",
]

_EN_CARD = {w: i for i, w in enumerate(_EN_UNITS) if i}
_EN_CARD.update({w: 10 * i for i, w in enumerate(_EN_TENS) if w})
_EN_ORD = {w: i for i, w in enumerate(_EN_ORD_UNITS) if i}
_EN_ORD.update({w: 10 * i for i, w in enumerate(_EN_ORD_TENS) if w})

_FR_CARD = {
    w: i
    for i, w in enumerate(
        [
            "zéro",
            "un",
            "deux",
            "trois",
            "quatre",
            "cinq",
            "six",
            "sept",
            "huit",
            "neuf",
            "dix",
            "onze",
            "douze",
            "treize",
            "quatorze",
            "quinze",
            "seize",
        ]
    )
    if i
}
_FR_CARD.update({"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60})
_ES_CARD = {
    w: i
    for i, w in enumerate(
        [
            "cero",
            "uno",
            "dos",
            "tres",
            "cuatro",
            "cinco",
            "seis",
            "siete",
            "ocho",
            "nueve",
            "diez",
            "once",
            "doce",
            "trece",
            "catorce",
            "quince",
        ]
    )
    if i
}
_ES_CARD.update(
    {
        "veinte": 20,
        "treinta": 30,
        "cuarenta": 40,
        "cincuenta": 50,
        "sesenta": 60,
        "setenta": 70,
        "ochenta": 80,
        "noventa": 90,
        "una": 1,
    }
)
_FR_ORD = {
    "premier": 1,
    "première": 1,
    "deuxième": 2,
    "troisième": 3,
    "quatrième": 4,
    "cinquième": 5,
    "sixième": 6,
    "septième": 7,
    "huitième": 8,
    "neuvième": 9,
    "dixième": 10,
}
_ES_ORD = {
    "primero": 1,
    "primera": 1,
    "primer": 1,
    "segundo": 2,
    "segunda": 2,
    "tercero": 3,
    "tercera": 3,
    "tercer": 3,
    "cuarto": 4,
    "cuarta": 4,
    "quinto": 5,
    "quinta": 5,
    "sexto": 6,
    "sexta": 6,
    "séptimo": 7,
    "séptima": 7,
    "octavo": 8,
    "octava": 8,
    "noveno": 9,
    "novena": 9,
    "décimo": 10,
    "décima": 10,
}

_RU_CARD_LEMMAS = {
    "один": 1,
    "два": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
    "одиннадцать": 11,
    "двенадцать": 12,
    "тринадцать": 13,
    "четырнадцать": 14,
    "пятнадцать": 15,
    "шестнадцать": 16,
    "семнадцать": 17,
    "восемнадцать": 18,
    "девятнадцать": 19,
    "двадцать": 20,
    "тридцать": 30,
    "сорок": 40,
    "пятьдесят": 50,
    "шестьдесят": 60,
    "семьдесят": 70,
    "восемьдесят": 80,
    "девяносто": 90,
    "сто": 100,
}
_RU_ORD_LEMMAS = {
    "первый": 1,
    "второй": 2,
    "третий": 3,
    "четвёртый": 4,
    "пятый": 5,
    "шестой": 6,
    "седьмой": 7,
    "восьмой": 8,
    "девятый": 9,
    "десятый": 10,
    "одиннадцатый": 11,
    "двенадцатый": 12,
    "тринадцатый": 13,
    "четырнадцатый": 14,
    "пятнадцатый": 15,
    "шестнадцатый": 16,
    "семнадцатый": 17,
    "восемнадцатый": 18,
    "девятнадцатый": 19,
    "двадцатый": 20,
    "тридцатый": 30,
    "сороковой": 40,
    "пятидесятый": 50,
    "шестидесятый": 60,
    "семидесятый": 70,
    "восьмидесятый": 80,
    "девяностый": 90,
    "сотый": 100,
}
# Russian word forms that are also ordinary words and would only add noise.
_RU_AMBIGUOUS: set[str] = set()  # forms left out (none so far: numerals are weak evidence)


@lru_cache(maxsize=1)
def _russian_forms() -> dict[str, tuple[int, bool]]:
    """Every inflected form of the Russian numerals above, generated once with pymorphy3 (a
    maintained morphological dictionary) rather than suffix rules: сорока, двадцати, седьмого…"""
    from uncore.lang.words import morph as analyser

    morph = analyser()
    forms: dict[str, tuple[int, bool]] = {}
    for lemmas, ordinal in ((_RU_CARD_LEMMAS, False), (_RU_ORD_LEMMAS, True)):
        for lemma, value in lemmas.items():
            for parse in morph.parse(lemma):
                if parse.normal_form.replace("ё", "е") != lemma.replace("ё", "е"):
                    continue
                # pymorphy3 tags один as an adjective (it agrees like one)
                if parse.tag.POS not in ({"ADJF"} if ordinal or lemma == "один" else {"NUMR"}):
                    continue
                for form in parse.lexeme:
                    word = form.word.replace("ё", "е")
                    if word not in _RU_AMBIGUOUS:
                        forms.setdefault(word, (value, ordinal))
                break
    return forms


_ZH_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10**4, "亿": 10**8}
# Words after which a bare numeral is a number: 附件一 (annex 1), 备选办法二 (alternative 2).
_ZH_NAMED_BEFORE = {"附件", "附录", "附表", "办法", "方案", "选项", "表格", "阶段"}
_ZH_NUMERAL = "〇零一二两三四五六七八九十百千万亿"
# Counters that make a bare Chinese numeral a quantity (一些, 统一, 一致 are not numbers).
_ZH_COUNTERS = "届次个项名条款段章节年月日天周岁倍人国类种份件起号层批轮期位座所家点分"


def _zh_value(chars: str) -> int | None:
    """Value of a Chinese numeral (七十二 → 72, 二〇一七 → 2017, 三千五百万 → 35000000)."""
    if not chars:
        return None
    if all(c in _ZH_DIGITS for c in chars) and len(chars) > 1:
        return int("".join(str(_ZH_DIGITS[c]) for c in chars))  # 二〇一七: digit by digit
    total, section, digit = 0, 0, None
    for c in chars:
        if c in _ZH_DIGITS:
            digit = _ZH_DIGITS[c]
        elif c in _ZH_UNITS:
            section += (1 if digit is None else digit) * _ZH_UNITS[c]
            digit = None
        elif c in _ZH_BIG:
            section += digit or 0
            if section == 0:
                return None
            total += section * _ZH_BIG[c]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


# --- months ---------------------------------------------------------------------------------

_EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_FR_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
_ES_MONTHS = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]
_RU_MONTHS = [
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
]
_AR_MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيه",
    "يوليه",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]


@lru_cache(maxsize=512)
def _month_number(word: str) -> int | None:
    low = word.lower()
    for months in (_EN_MONTHS, _FR_MONTHS, _ES_MONTHS, _AR_MONTHS):
        for i, m in enumerate(months):
            if low == m.lower():
                return i + 1
    if low == "setiembre":
        return 9
    if low in {"май", "мая", "мае"}:
        return 5
    for i, stem in enumerate(_RU_MONTHS):
        if i != 4 and low.startswith(stem):
            return i + 1
    for i, name in enumerate(("يونيو", "يوليو")):
        if word == name:
            return 6 + i
    return None


_MONTHS_BY_LANG = {
    "fr": _FR_MONTHS,
    "es": [*_ES_MONTHS, "setiembre"],
    "ar": [*_AR_MONTHS, "يونيو", "يوليو"],
    "ru": [
        r"январ[ьяе]",
        r"феврал[ьяе]",
        r"марта?е?",
        r"апрел[ьяе]",
        r"ма[йяе]",
        r"июн[ьяе]",
        r"июл[ьяе]",
        r"августа?е?",
        r"сентябр[ьяе]",
        r"октябр[ьяе]",
        r"ноябр[ьяе]",
        r"декабр[ьяе]",
    ],
}
_YEAR_WORD = r"(?:\s*(?:года|году|год|г\.))?"

# --- the patterns, in priority order (an earlier match claims its span) ---------------------

_SYMBOL = re.compile(
    # A/RES/68/218, S/2015/305, E/CN.6/2015/1, A/C.2/72/L.5, A/HRC/29/L.1/Rev.1, ECE/TRANS/WP.29/1
    r"(?<![0-9A-Za-zА-Яа-яЁё/])[A-ZАВСЕКМНОРТХ]{1,8}(?:\.\d+)?"
    r"(?:/(?:[A-ZАВСЕКМНОРТХ]{1,10}(?:\.\d+)*|\d+(?:\.\d+)?|(?:Rev|Add|Corr|Amend|Sup)\.\d+))+"
    r"(?:/(?:Rev|Add|Corr|Amend)\.\d+)*(?![0-9A-Za-zА-Яа-яЁё/])"
    # 68/218, 2178 (2014) is handled as numbers; resolution numbers session/number:
    r"|(?<![0-9A-Za-zА-Яа-яЁё/.,])\d{2}/\d{1,3}(?![0-9A-Za-zА-Яа-яЁё/]|[.,]\d)"
)

_TIME = re.compile(
    r"(?<!\d)(\d{1,2})(?:[.:](\d{2}))?\s*(a\.m\.|p\.m\.|noon|h\b)"  # 3 p.m., 10.30 a.m., 10 h
    r"|(上午|下午|晚上|中午|凌晨)?(\d{1,2})时(?!期(?!间)|[代间候])(?:(\d{1,2})分)?"  # 下午3时30分
    r"|(?<!\d)(\d{1,2})\s*(?:ч\.|час\.|часов|часа|час)(?![А-Яа-яЁё])(?:\s*(\d{2})\s*(?:м\.|мин\.?|минут[аы]?))?"
    r"|(?<![\d.,:])(\d{1,2}):(\d{2})(?![\d:])"  # 15:00
    # military time in UN incident reports: 1310 hours, 2359Z, at 0300
    r"|(?<![\d.,])([01]\d|2[0-3])([0-5]\d)(?:\s*(?:hours|hrs\.?)|Z"
    r"|(?=\s*(?:and|to|-|–)\s*[012]\d{3}\s*(?:hours|hrs)))(?![A-Za-z\d])"
    r"|(?<=[Aa]t )(0\d|1[0-7])([0-5]\d)(?![\d.,]\d|\d)"
)


@lru_cache(maxsize=16)
def _date_patterns(code: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Day-month(-year), month-year and month-alone patterns for ``code``'s month names plus
    the English ones (English dates are quoted in every language version)."""
    names = "|".join(_EN_MONTHS + _MONTHS_BY_LANG.get(code, []))
    dmy = re.compile(
        rf"(?=\d)(?<!\d)(1er|\d{{1,2}})(?:\s*(?:--|[-–—−]|to|al?|y|et|au|и|по|до|and)\s*(\d{{1,2}}))?\s+"
        rf"(?:de\s+)?({names})(?![A-Za-zА-Яа-яЁё])(?:,?\s+(?:de(?:l)?\s+)?(\d{{4}}){_YEAR_WORD})?"
    )
    my = re.compile(
        rf"(?<![A-Za-zА-Яа-яЁё])({names})(?![A-Za-zА-Яа-яЁё]),?\s+(?:de(?:l)?\s+)?(\d{{4}})"
        rf"(?!\d){_YEAR_WORD}"
    )
    alone = re.compile(rf"(?<![A-Za-zА-Яа-яЁё])({names})(?![A-Za-zА-Яа-яЁё])")
    return dmy, my, alone


@lru_cache(maxsize=16)
def _month_gate(code: str) -> re.Pattern[str] | None:
    """The month names of ``_date_patterns`` without look-arounds: a necessary condition of
    ``alone``, and a scan that skips quickly to the first letters of the names. Not for Russian,
    whose stems (ма-) begin so many words that the gate costs more than it saves."""
    if code == "ru":
        return None
    return re.compile("|".join(_EN_MONTHS + _MONTHS_BY_LANG.get(code, [])))


_DATE_MDY = re.compile(
    rf"\b({'|'.join(_EN_MONTHS)})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*(\d{{1,2}}))?(?!\d)"
    rf"(?:,?\s+(\d{{4}}))?"
)
# what it needs, without the \b that makes it be tried at every position: most dates are 14 May
_DATE_MDY_GATE = re.compile(rf"(?:{'|'.join(_EN_MONTHS)})\s+\d")
_ZHN = "[〇零一二三四五六七八九十]"
_DATE_ZH = re.compile(
    rf"(?:(\d{{4}}|{_ZHN}{{4}})\s*年\s*)?(\d{{1,2}}|{_ZHN}{{1,3}})\s*月"
    rf"(?:\s*(\d{{1,2}}|{_ZHN}{{1,3}})(?:\s*日|(?=\s*[至到和、\-–—~]\s*\d{{1,2}}\s*日))"
    rf"(?:\s*[至到和、\-–—~]\s*(\d{{1,2}})\s*日)?)?"
)
# What a time needs somewhere in the text; most texts have none, and _TIME is a slow scan
# (substring tests are much cheaper than a regex of alternatives).
_TIME_HINTS = ("时", "ч.", " час", "Z", "a.m.", "p.m.", "noon", "hour", "hrs", " h ", "t 0", "t 1")
_COLON_TIME = re.compile(r"\d:\d\d")


def _timed(work: str) -> bool:
    """Whether ``work`` has one of the _TIME_HINTS or a colon time (a loop, not ``any()`` of a
    generator: this runs for every text with digits)."""
    for hint in _TIME_HINTS:
        if hint in work:
            return True
    return ":" in work and _COLON_TIME.search(work) is not None


# What every alternative of _TIME needs (a digit right before its marker, look-arounds left out):
# the hints above also hit 时期, часть, т.ч., "hours of work", where no time follows a number.
_TIME_NEEDS = re.compile(
    r"\d(?:\s*(?:a\.m\.|p\.m\.|noon|h|ч|(?:and|to|-|–)\s*[012]\d{3}\s*h)|时|:\d\d|Z)|t [01]\d"
)
# (?=\d) first: a pattern that opens with a look-behind is tried at every position.
_DATE_NUMERIC = re.compile(r"(?=\d)(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")
_DATE_NUMERIC_GATE = re.compile(r"\d\.\d\d?\.\d{4}")  # what it needs, found without look-arounds

_SCALE_AFTER = re.compile(rf"\s+({_MULT_RE})(?![A-Za-zА-Яа-яЁё])")
_PERCENT_AFTER = re.compile(rf"\s*(?:{_PERCENT_RE})")
_ZH_PERCENT = re.compile(rf"百分之([\d.]+|[{_ZH_NUMERAL}点]+)")
_ZH_ORDINAL = re.compile(rf"第\s*(\d+(?:\.\d+)*|[{_ZH_NUMERAL}]+)")
_ZH_NUMERAL_RUN = re.compile(rf"[{_ZH_NUMERAL}]+")
# A month range under one year: 2014年7-8月 is July and August 2014 (two dates, not the number 7
# and the month 8). 2014年7月至8月 is already two dates.
_ZH_MONTH_RANGE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*[-–—~至到]\s*(\d{1,2})\s*月(?!\s*\d)")
# A clock hour in Chinese numerals: 2015年2月15日零时 (0000 hours), 下午三时. 一时 alone is also
# "for a while", so only after a date, with a period of the day, with minutes, or 零时.
_ZH_CLOCK = re.compile(
    r"(上午|下午|晚上|中午|凌晨)?(零|〇|[一二两三四五六七八九十]{1,3})时"
    r"(?:([〇零一二三四五六七八九十]{1,3})分)?(?![期间代候])"
)

# --- numbers in words that are not plain numerals (weak evidence, read with the spelled ones) ---

# Digits glued to the end of a word: a space lost in extraction (стратегии2020, "Europe 2020
# strategy") or a name written solid (U235 for U-235, G77). Weak: a name, not a quantity.
# (Found as digit runs whose previous character is such a letter: a pattern opening with that
# look-behind tried it at every position of every segment, twice the time.)
_DIGIT_RUN = re.compile(r"\d+(?![0-9A-Za-zА-Яа-яЁё]|[.,]\d)")
_LATIN_CYRILLIC = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "абвгдежзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯЁё"
)
# A decade in words, which Russian writes where English has digits: шестидесятых годов = 1960s
# (the twentieth century: UN text of the twenty-first names its own decades in digits).
_RU_DECADES = {
    "двадцат": 20,
    "тридцат": 30,
    "сороков": 40,
    "пятидесят": 50,
    "шестидесят": 60,
    "семидесят": 70,
    "восьмидесят": 80,
    "девяност": 90,
}
_RU_DECADE_GATE = re.compile(r"(?:ых|ые|ым|ыми)\s+год")
_RU_DECADE = re.compile(
    rf"(?<![А-Яа-яЁё])({'|'.join(_RU_DECADES)})(?:ых|ые|ым|ыми)\s+год(?:ов|ы|ах|ам|ами)(?![А-Яа-яЁё])",
    re.IGNORECASE,
)
# A century in Roman numerals, as Russian, French and Spanish write it (Повестка дня на XXI век
# is Agenda 21; Cyrillic Х and І are typed for Latin X and I).
_ROMAN_CENTURY = re.compile(
    r"(?<![A-Za-zА-Яа-яЁё])([IVXХІ]{1,7})(?:\s+|-?e\s+)(?:век[а-я]*|вв\.|siècles?|siglos?)(?![A-Za-zА-Яа-яЁё])"
)
_CENTURY_HINTS = ("век", "вв.", "siècle", "siglo")
_ROMAN = {"I": 1, "V": 5, "X": 10}
# Russian compounds of a numeral's stem: десятилетний (10-year), двухгодичный, трехсторонний,
# пятидесятилетие (50th anniversary). Not десятилетие alone, which is "decade" (no number).
_RU_STEMS = {
    "одно": 1,
    "двух": 2,
    "трех": 3,
    "четырех": 4,
    "пяти": 5,
    "шести": 6,
    "семи": 7,
    "восьми": 8,
    "девяти": 9,
    "десяти": 10,
    "одиннадцати": 11,
    "двенадцати": 12,
    "пятнадцати": 15,
    "двадцати": 20,
    "тридцати": 30,
    "сорока": 40,
    "пятидесяти": 50,
    "шестидесяти": 60,
    "семидесяти": 70,
    "восьмидесяти": 80,
    "девяноста": 90,
    "ста": 100,
}
_RU_TENS_STEMS = "двадцати|тридцати|сорока|пятидесяти|шестидесяти|семидесяти|восьмидесяти|девяноста"
_RU_COMPOUND = re.compile(
    rf"(?<![А-Яа-яЁё])({_RU_TENS_STEMS})?({'|'.join(sorted(_RU_STEMS, key=len, reverse=True))})"
    r"(летн|лети|годичн|месячн|дневн|недельн|часов|кратн|сторонн)[а-я]*",
    re.IGNORECASE,
)
_RU_COMPOUND_GATE = ("летн", "лети", "годичн", "месячн", "дневн", "недельн", "часов", "кратн", "сторонн")
# After a numeral in words: a half (двух с половиной лет = 2.5 years) or decades (five decades =
# 50 years, два десятилетия = 20 лет).
_HALF_AFTER = re.compile(r"\s+(?:с\s+половиной|and\s+a\s+half)(?![A-Za-zА-Яа-яЁё])", re.IGNORECASE)
_DECADES_AFTER = re.compile(r"\s+(?:decades|десятилети[йяе])(?![A-Za-zА-Яа-яЁё])", re.IGNORECASE)

_LABEL = re.compile(
    r"^\s*(?:(\d{1,3}(?:\.\d{1,3})*)\.(?=\s|[^\x00-\x7f])|(\d{1,3}(?:\.\d{1,3})+)"
    r"(?=\s+(?![万亿%]|million|billion|per|млн|млрд|тыс|проц)\S)|\((\d{1,3}|[a-z]{1,2}|[ivxl]{1,6})\)(?=\s)|([a-zа-я]|[ivx]{1,5})\)(?=\s)"
    rf"|([{_ZH_NUMERAL}]{{1,3}})、|[(（]([{_ZH_NUMERAL}]{{1,3}})[)）])"
)

_EN_ORDINAL_SUFFIX = r"st|nd|rd|th|er|e|ème|º|°|\.º|\.ª|ª"
_RU_ORDINAL_SUFFIX = r"й|я|е|го|му|м|х|ми|ой|ая|ое|ые|ых|ым|ого|ому|ом"
_EN_ORDINAL_DIGITS = re.compile(rf"(?=\d)(?<![\w.,])(\d+)(?:{_EN_ORDINAL_SUFFIX})(?![A-Za-z])")
_RU_ORDINAL_DIGITS = re.compile(rf"(?=\d)(?<![\w.,])(\d+)-(?:{_RU_ORDINAL_SUFFIX})(?![а-яё])")
# Necessary conditions of the two patterns above, without their look-arounds (which make a
# pattern be tried at every position): most texts have no ordinal in digits, and these scans
# are cheaper.
_EN_ORDINAL_GATE = re.compile(rf"\d(?:{_EN_ORDINAL_SUFFIX})")
_RU_ORDINAL_GATE = re.compile(rf"\d-(?:{_RU_ORDINAL_SUFFIX})")


@lru_cache(maxsize=16)
def _patterns(code: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The plain-number and number-with-multiplier-or-percent patterns for one decimal style."""
    num = (_NUM_COMMA if code in _DOT_GROUPS else _NUM_COMMA_SPACE) if code in _DECIMAL_COMMA else _NUM_POINT
    plain = re.compile(rf"{_NOT_BEFORE}(?:{num})(?:s\b|'s\b)?")
    scaled = re.compile(
        rf"(\d{_NOT_BEFORE_DIGIT}(?:{_NUM_TAIL[num]}))(?:\s*[多余]?(万亿|千万|百万|万|亿)|\)?{_SPACE}*(?:({_MULT_RE})(?![A-Za-zА-Яа-яЁё])))?"
        rf"(?:\s*({_PERCENT_RE}))?"
    )
    return plain, scaled


_SPACES_RE = re.compile(_SPACE)


def _decimal(raw: str, code: str) -> Decimal | None:
    """``1 234,5`` (ru) / ``1,234.5`` (en) → Decimal('1234.5')."""
    if raw.isdigit():
        return Decimal(raw)
    s = _SPACES_RE.sub("", raw)
    if code in _DOT_GROUPS:
        s = s.replace(".", "").replace(",", ".")
    elif code in _DECIMAL_COMMA:
        s = s.replace(",", ".")
    else:
        s = s.replace(",", "")
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def _fmt(value: Decimal | int) -> str:
    if isinstance(value, int):
        return str(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


_WORD_RE = re.compile(r"[A-Za-zÀ-ÿ]+|[А-Яа-яЁё]+")


_DIGIT = re.compile(r"\d")
_ANY_DIGIT = re.compile(r"[\d⑴-⑼①-⑨]")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_YEAR_PAIR = re.compile(r"((?:19|20)\d\d)((?:19|20)\d\d)")


@lru_cache(maxsize=64)
def _code(lang: str) -> str:
    return data_language(lang).code


@lru_cache(maxsize=64)
def _is_cjk(code: str) -> bool:
    return data_language(code).is_cjk


def _word_numbers(text: str, code: str) -> list[tuple[int, int, int, bool]]:
    """Spelled-out numbers: (start, end, value, ordinal). Compounds join: seventy-second,
    семьдесят второй, sixty nine, one hundred and eleven."""
    ru = _russian_forms() if code == "ru" else None
    words: list[tuple[int, int, int, bool]] = []
    for m in _WORD_RE.finditer(text):
        word = m.group().lower()
        found: tuple[int, bool] | None = None
        if ru is not None:
            found = ru.get(word.replace("ё", "е"))
        elif code == "en":
            found = _en_word(word)
        elif code == "fr":
            found = (
                (_FR_CARD[word], False)
                if word in _FR_CARD
                else ((_FR_ORD[word], True) if word in _FR_ORD else None)
            )
        elif code == "es":
            found = (
                (_ES_CARD[word], False)
                if word in _ES_CARD
                else ((_ES_ORD[word], True) if word in _ES_ORD else None)
            )
        if found is not None:
            words.append((m.start(), m.end(), found[0], found[1]))
    out: list[tuple[int, int, int, bool]] = []
    for item in words:
        if out:
            prev = out[-1]
            gap = text[prev[1] : item[0]].strip().lower()
            value, ordinal = item[2], item[3]
            joinable = not prev[3] and gap in {"", "-", "and", "и", "y", "et"}
            if joinable and value == 100 and prev[2] < 10 and gap == "":
                out[-1] = (prev[0], item[1], prev[2] * 100, ordinal)
                continue
            if joinable and prev[2] % 100 == 0 and prev[2] >= 100 and value < 100:
                out[-1] = (prev[0], item[1], prev[2] + value, ordinal)
                continue
            if (
                joinable
                and gap in {"", "-"}
                and prev[2] % 10 == 0
                and 20 <= prev[2] % 100 < 100
                and value < 10
            ):
                out[-1] = (prev[0], item[1], prev[2] + value, ordinal)
                continue
        out.append(item)
    return out


def _en_word(word: str) -> tuple[int, bool] | None:
    if word in _EN_CARD:
        return _EN_CARD[word], False
    if word == "hundred":
        return 100, False
    if word == "hundredth":
        return 100, True
    if word in _EN_ORD:
        return _EN_ORD[word], True
    if "-" in word:
        tens, _, unit = word.partition("-")
        if tens in _EN_CARD and _EN_CARD[tens] >= 20 and _EN_CARD[tens] % 10 == 0:
            if unit in _EN_CARD and _EN_CARD[unit] < 10:
                return _EN_CARD[tens] + _EN_CARD[unit], False
            if unit in _EN_ORD and _EN_ORD[unit] < 10:
                return _EN_CARD[tens] + _EN_ORD[unit], True
    return None


def _zh_or_digits(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else _zh_value(raw)


def extract_numbers(text: str, lang: str, *, spelled: bool = True) -> list[NumberToken]:
    """All number-like tokens of ``text`` in order of position (see the module docstring).

    ``spelled=False`` skips the numbers written in words outside Chinese (one, семьдесят
    второй, a month named alone): they are only weak evidence, so a caller comparing two
    texts can ask for them only when a strong token is left unanswered (QA does)."""
    code = _code(lang)
    work = text.translate(_FOLD) if _FOLDABLE.search(text) else text
    first_digit = _DIGIT.search(work)
    has_digit = first_digit is not None
    # Patterns that open with (?=\d) cannot match before the first digit: their scans start
    # there (look-behinds still see the text before it, so the matches are the same).
    first = first_digit.start() if first_digit is not None else 0
    if has_digit and _CURRENCY.search(work):
        work = _CURRENCY.sub(lambda m: " " * len(m.group()), work)
    taken = bytearray(len(work))
    tokens: list[NumberToken] = []

    def add(kind: str, value: str, start: int, end: int, spelled: bool = False) -> None:
        if start >= end or taken.find(1, start, end) != -1:
            return
        taken[start:end] = b"\x01" * (end - start)
        tokens.append(NumberToken(kind, value, start, end, text[start:end], spelled))

    label = _label(work, text)
    if label is not None:
        add(label.kind, label.value, label.start, label.end)

    for m in _SYMBOL.finditer(work) if has_digit and "/" in work else ():
        surface = m.group()
        if "/" not in surface:
            continue
        if surface[0].isdigit():
            add("symbol", surface, m.start(), m.end())
        elif any(ch.isdigit() for ch in surface):
            add("symbol", surface.translate(_HOMOGLYPHS), m.start(), m.end())

    _dates(work, code, add, has_digit, spelled, first)

    zh_period, zh_end = None, -1
    timed = has_digit and _timed(work) and _TIME_NEEDS.search(work) is not None
    for m in _TIME.finditer(work) if timed else ():
        g = m.groups()
        if g[10] is not None:
            hour, minute = int(g[10]), int(g[11])
        elif g[12] is not None:
            hour, minute = int(g[12]), int(g[13])
        elif g[2] is not None:
            hour, minute = int(g[0]), int(g[1] or 0)
            suffix = g[2]
            if suffix == "p.m." and hour < 12:
                hour += 12
            elif suffix == "a.m." and hour == 12:
                hour = 0
            elif suffix == "noon" and g[1] is None and hour != 12:
                continue
        elif g[4] is not None:
            hour, minute = int(g[4]), int(g[5] or 0)
            period = g[3]
            if period is None and zh_period and work[zh_end : m.start()].strip() in {"至", "到", "-", "–"}:
                period = zh_period  # 下午3时至6时: the second time is in the afternoon too
            if period in {"下午", "晚上"} and hour < 12:
                hour += 12
            zh_period, zh_end = period, m.end()
        elif g[6] is not None:
            hour, minute = int(g[6]), int(g[7] or 0)
        else:
            hour, minute = int(g[8]), int(g[9])
        if hour > 24 or minute > 59:
            continue
        add("time", f"{hour:02d}:{minute:02d}", m.start(), m.end())

    if code == "zh":
        _chinese(work, add)

    if has_digit:
        _digit_numbers(work, code, add, first)
    if code != "zh" and spelled:
        _word_forms(work, code, add, has_digit, first)
        for start, end, value, ordinal in _word_numbers(work, code):
            percent = _PERCENT_AFTER.match(work, end)
            scale = _SCALE_AFTER.match(work, end)
            half = None if ordinal else _HALF_AFTER.match(work, end)
            decades = None if ordinal else _DECADES_AFTER.match(work, end)
            if half:
                add("number", f"{value}.5", start, half.end(), spelled=True)
            elif decades:
                add("number", str(value * 10), start, decades.end(), spelled=True)
            elif percent and not ordinal:
                add("percent", f"{value}%", start, percent.end(), spelled=True)
            elif scale and not ordinal:  # two million
                factor = _MULTIPLIERS.get(re.sub(r"\s+", " ", scale.group(1).lower().rstrip(".")), 1)
                add("number", str(value * factor), start, scale.end(), spelled=True)
            else:
                add("ordinal" if ordinal else "number", str(value), start, end, spelled=True)

    tokens.sort(key=lambda t: t.start)
    if has_digit and _paged(work):
        tokens = _mark_pages(work, tokens)
    return tokens


def _word_forms(work: str, code: str, add, has_digit: bool, first: int) -> None:
    """The weak forms above that are not plain numerals: a decade or century in words, a Russian
    compound of a numeral's stem, digits glued to a word."""
    if code == "ru" and "год" in work and _RU_DECADE_GATE.search(work):
        for m in _RU_DECADE.finditer(work):
            add("year", str(1900 + _RU_DECADES[m.group(1).lower()]), m.start(), m.end(), spelled=True)
    for m in _ROMAN_CENTURY.finditer(work) if _centuried(work) else ():
        value = _roman(m.group(1).translate(_LATIN_ROMAN))
        if value:
            add("ordinal", str(value), m.start(), m.end(), spelled=True)
    if code == "ru" and any(part in work for part in _RU_COMPOUND_GATE):  # substring tests: fast
        for m in _RU_COMPOUND.finditer(work):
            if m.group(0).lower().startswith("десятилети"):
                continue  # десятилетие: "decade"
            tens = _RU_STEMS[m.group(1).lower()] if m.group(1) else 0
            value = tens + _RU_STEMS[m.group(2).lower()]
            add("number", str(value), m.start(), m.end(), spelled=True)
    for m in _DIGIT_RUN.finditer(work, first) if has_digit else ():
        if m.start() and work[m.start() - 1] in _LATIN_CYRILLIC:
            add("number", str(int(m.group())), m.start(), m.end(), spelled=True)


def _centuried(work: str) -> bool:
    for hint in _CENTURY_HINTS:  # noqa: SIM110
        if hint in work:
            return True
    return False


_LATIN_ROMAN = str.maketrans("ХІ", "XI")


def _roman(numeral: str) -> int | None:
    """XXI → 21 (I, V and X only: centuries); None if not a well-formed numeral."""
    total = 0
    for i, c in enumerate(numeral):
        value = _ROMAN[c]
        total += -value if i + 1 < len(numeral) and _ROMAN[numeral[i + 1]] > value else value
    return total if 0 < total <= 40 and _to_roman(total) == numeral else None


def _to_roman(value: int) -> str:
    out = ""
    for number, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out += letters
            value -= number
    return out


# Page references are localised: "(p. 31)" in English cites the English version of a report,
# "(стр. 34)" the Russian one, so they rightly differ and are only weak evidence.
_PAGE_BEFORE = re.compile(r"(?:\bpp?\.|\bpages?|\bpágs?\.|стр\.|\bс\.)\s*$", re.IGNORECASE)
_PAGE_HINTS = ("p.", "P.", "page", "Page", "стр.", "pág", "с.", "页")


def _paged(work: str) -> bool:
    """Whether ``work`` has one of the _PAGE_HINTS (a loop: cheaper than ``any()`` of a
    generator, and this runs for every text with digits)."""
    for hint in _PAGE_HINTS:  # noqa: SIM110
        if hint in work:
            return True
    return False


_RANGE_GAP = re.compile(r"\s*(?:--|[-–—−]|and|и|et|y|,)\s*")


def _mark_pages(work: str, tokens: list[NumberToken]) -> list[NumberToken]:
    out: list[NumberToken] = []
    for token in tokens:
        page = (
            token.kind in {"number", "ordinal", "year"}
            and not token.spelled
            and bool(
                _PAGE_BEFORE.search(work, max(0, token.start - 8), token.start)
                or (token.surface.startswith("第") and work[token.end : token.end + 1] == "页")
                or (out and out[-1].kind == "page" and _RANGE_GAP.fullmatch(work, out[-1].end, token.start))
            )
        )
        if page:
            token = NumberToken("page", token.value, token.start, token.end, token.surface, True)
        out.append(token)
    return out


def _label(work: str, text: str) -> NumberToken | None:
    m = _LABEL.match(work)
    if not m:
        return None
    raw = next(g for g in m.groups() if g)
    value = str(_zh_value(raw)) if raw[0] in _ZH_NUMERAL else raw.translate(_HOMOGLYPHS).lower()
    start, end = m.start(m.lastindex or 0), m.end(m.lastindex or 0)
    return NumberToken("label", value, start, end, text[start:end])


def paragraph_label(text: str) -> NumberToken | None:
    """The paragraph label at the start of ``text`` (``10.``, ``(a)``, ``一、``), if any: what
    ``extract_numbers`` gives as its ``label`` token, found without the rest of the work."""
    return _label(text.translate(_FOLD) if _FOLDABLE.search(text) else text, text)


def has_digits(text: str) -> bool:
    """Whether ``text`` has a digit of any script (ASCII, full-width, Arabic-Indic)."""
    return _ANY_DIGIT.search(text) is not None


def _digit_numbers(work: str, code: str, add, first: int = 0) -> None:
    """Numbers written with digits: ordinals (72nd, 72-й), then numbers with an optional
    multiplier (3.5 亿, 2,5 млрд) or percent sign, and years. ``first``: where the first digit
    is (the patterns all open with one)."""
    plain, scaled = _patterns(code)
    if code == "ru":
        ordinals = _RU_ORDINAL_DIGITS if "-" in work and _RU_ORDINAL_GATE.search(work, first) else None
    else:
        ordinals = _EN_ORDINAL_DIGITS if _EN_ORDINAL_GATE.search(work, first) else None
    for m in ordinals.finditer(work, first) if ordinals is not None else ():
        add("ordinal", str(int(m.group(1))), m.start(), m.end())

    for m in scaled.finditer(work, first):
        number, zh_mult, mult, percent = m.groups()
        start = m.start()
        value: Decimal | int | None
        if not (zh_mult or mult or percent) and number.isdigit():
            value = int(number)  # most numbers: _fmt gives the same as for Decimal(number), sooner
        else:
            value = _decimal(number, code)
        if value is None:
            continue
        factor = None
        if zh_mult:
            factor = _MULTIPLIERS[zh_mult]
        elif mult:
            key = mult.lower().rstrip(".")
            key = re.sub(r"\s+", " ", key)
            factor = _MULTIPLIERS.get(key)
            # "(80) million US dollars" (a Myanmar report; "(80) млн." in the Russian): the
            # bracketed amount is the number of millions; a ")" without its "(" is not
            closing = work.find(")", start + len(number), m.end())
            if closing >= 0 and (start == 0 or work[start - 1] != "("):
                factor = None
        end = m.end()
        if percent:
            add("percent", _fmt(value * (factor or 1)) + "%", start, end)
            continue
        if not factor:
            end = start + len(number)
            # trailing "s"/"'s" of 1990s: keep the year, drop the suffix
            if work[end : end + 1] in {"s", "'"}:
                tail = plain.match(work, start)
                if tail and tail.end() > end:
                    end = tail.end()
        if factor:
            add("number", _fmt(value * factor), start, end)
            continue
        digits = number.strip()
        pair = _YEAR_PAIR.fullmatch(digits) if len(digits) == 8 else None
        if pair and 0 < int(pair.group(2)) - int(pair.group(1)) <= 20:
            # 20142015: a biennium whose dash was lost when the text was extracted from PDF
            add("year", pair.group(1), start, start + 4)
            add("year", pair.group(2), start + 4, start + 8)
            continue
        hyphenated = start >= 2 and work[start - 1] == "-" and work[start - 2].isalpha()
        if hyphenated and len(digits) < 4:  # HFC-23, COP-12, КС-12: a name, weak evidence
            add("number", _fmt(value), start, end, spelled=True)
            continue
        if _looks_like_footnote(work, start, end, code) or _leading_note(work, start, end):
            add("footnote", digits, start, end, spelled=True)
            continue
        kind = "year" if len(digits) == 4 and _YEAR.fullmatch(digits) else "number"
        add(kind, _fmt(value), start, end)


_HAN_OR_CLOSE = re.compile(f"[{HAN_CLASS}》”」』]")


def _looks_like_footnote(work: str, start: int, end: int, code: str) -> bool:
    """A footnote reference pasted into running text (``website.3``, ``Questions,22 subject``,
    ``[23]``, ``管理活动1。``): weak evidence, since one language version often drops it."""
    if end - start > 3 or not work[start:end].isdigit():
        return False
    before = work[start - 1] if start else ""
    after = work[end] if end < len(work) else ""
    if before == "[" and after == "]":
        return True
    if _is_cjk(code):
        return bool(before and (_HAN_OR_CLOSE.match(before) or before in "、，；：")) and (
            after == "" or after in "。；，：、 "
        )
    return (
        start >= 2
        and before in '.,;:"”’)»'
        and work[start - 2].isalpha()
        and (after == "" or after in " \t;,.")
    )


def _leading_note(work: str, start: int, end: int) -> bool:
    """The number of a footnote whose text the segment is (``6 ОКООСВ Хорватии…``, ``6 克罗地亚
    在…``): up to three digits opening the segment, a space, then a capital or a Han character.
    The other versions often have the note without its number; a count that opens a sentence
    (``21 страна``, ``22 countries``) goes on in lower case, and dates (``6 February``) are
    read before this."""
    if end - start > 3 or work[:start].strip() or work[end : end + 1] != " ":
        return False
    following = work[end + 1 : end + 2]
    return following.isupper() or bool(_HAN_OR_CLOSE.match(following))


def _dates(work: str, code: str, add, has_digit: bool, spelled: bool, first: int = 0) -> None:
    dmy, my, alone = _date_patterns(code)
    if code == "zh" and "月" in work:
        for m in _ZH_MONTH_RANGE.finditer(work, first) if has_digit else ():
            year = int(m.group(1)) if m.group(1) else None
            one, two = int(m.group(2)), int(m.group(3))
            if 1 <= one < two <= 12:
                add("date", _iso(year, one, None), m.start(), m.end(2))
                add("date", _iso(year, two, None), m.start(3), m.end())
        for m in _DATE_ZH.finditer(work):
            year_raw, month_raw, day_raw, day2_raw = m.groups()
            month = _zh_or_digits(month_raw)
            if month is None or not 1 <= month <= 12:
                continue
            year = _zh_or_digits(year_raw) if year_raw else None
            day = _zh_or_digits(day_raw) if day_raw else None
            if day is not None and not 1 <= day <= 31:
                continue
            if day2_raw is None:
                add("date", _iso(year, month, day), m.start(), m.end())
            else:  # 2017年11月14日至16日: two dates
                first_end = m.end(3) + (1 if work[m.end(3) : m.end(3) + 1] == "日" else 0)
                add("date", _iso(year, month, day), m.start(), first_end)
                add("date", _iso(year, month, int(day2_raw)), first_end, m.end())
    gate = _month_gate(code)
    if not has_digit or (gate is not None and gate.search(work) is None) or alone.search(work) is None:
        if code != "zh" and spelled and not has_digit:
            _months_alone(work, alone, add)
        for m in (
            _DATE_NUMERIC.finditer(work, first)
            if has_digit and _DATE_NUMERIC_GATE.search(work, first)
            else ()
        ):
            day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if 1 <= day <= 31 and 1 <= month <= 12:
                add("date", _iso(year, month, day), m.start(), m.end())
        return
    for m in _DATE_NUMERIC.finditer(work, first) if _DATE_NUMERIC_GATE.search(work, first) else ():
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= day <= 31 and 1 <= month <= 12:
            add("date", _iso(year, month, day), m.start(), m.end())
    for m in dmy.finditer(work, first):
        day_raw, day2_raw, month_raw, year_raw = m.groups()
        month = _month_number(month_raw)
        day = 1 if day_raw == "1er" else int(day_raw)
        if month is None or not 1 <= day <= 31:
            continue
        year = int(year_raw) if year_raw else None
        if day2_raw is None:
            add("date", _iso(year, month, day), m.start(), m.end())
        else:
            add("date", _iso(year, month, day), m.start(), m.end(1))
            add("date", _iso(year, month, int(day2_raw)), m.start(2), m.end())
    for m in _DATE_MDY.finditer(work) if _DATE_MDY_GATE.search(work) else ():
        month = _month_number(m.group(1))
        day = int(m.group(2))
        if month is None or not 1 <= day <= 31:
            continue
        year = int(m.group(4)) if m.group(4) else None
        if m.group(3):
            add("date", _iso(year, month, day), m.start(), m.end(2))
            add("date", _iso(year, month, int(m.group(3))), m.start(3), m.end())
        else:
            add("date", _iso(year, month, day), m.start(), m.end())
    for m in my.finditer(work):
        month = _month_number(m.group(1))
        if month is not None:
            add("date", f"{int(m.group(2)):04d}-{month:02d}", m.start(), m.end())
    if code != "zh" and spelled:
        _months_alone(work, alone, add)


def _months_alone(work: str, alone: re.Pattern[str], add) -> None:
    """A month named alone ("in September", "в сентябре") is weak evidence: it can answer a
    Chinese 9月份, never raise a finding itself (May is also a verb)."""
    for m in alone.finditer(work):
        month = _month_number(m.group(1))
        if month is not None:
            add("date", f"--{month:02d}", m.start(), m.end(), True)


def _iso(year: int | None, month: int, day: int | None) -> str:
    if day is None:
        return f"{year:04d}-{month:02d}" if year else f"--{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def _chinese(work: str, add) -> None:
    """Chinese percentages (百分之五), ordinals (第七十二届, 第72次) and numerals that count
    something (三个, 二〇一七年); bare 一 in 一些 / 统一 / 一致 is not a number."""
    for m in _ZH_PERCENT.finditer(work) if "百分之" in work else ():
        raw = m.group(1)
        if raw[0].isdigit():
            value: Decimal | int | None = _decimal(raw, "zh")
        elif "点" in raw:
            whole, _, frac = raw.partition("点")
            w = _zh_value(whole)
            value = (
                None if w is None else Decimal(f"{w}." + "".join(str(_ZH_DIGITS.get(c, "")) for c in frac))
            )
        else:
            value = _zh_value(raw)
        if value is not None:
            add("percent", _fmt(value) + "%", m.start(), m.end(), spelled=not raw[0].isdigit())
    for m in _ZH_ORDINAL.finditer(work) if "第" in work else ():
        raw = m.group(1)
        if raw[0].isdigit():
            # 第68/218号 is a symbol, claimed earlier; 第2178(2014)号 → 2178
            add("ordinal", raw.lstrip("0") or "0", m.start(), m.end())
        else:
            value = _zh_value(raw)
            if value is not None:
                add("ordinal", str(value), m.start(), m.end(), spelled=True)
    for m in _ZH_CLOCK.finditer(work) if "时" in work else ():
        period, raw, minutes = m.groups()
        after_date = work[m.start() - 1 : m.start()] == "日"
        hour = _zh_value(raw)
        minute = _zh_value(minutes) if minutes else 0
        if hour is None or minute is None or hour > 24 or minute > 59:
            continue
        if not (period or minutes or raw in {"零", "〇"} or after_date):
            continue
        if period in {"下午", "晚上"} and hour < 12:
            hour += 12
        add("time", f"{hour:02d}:{minute:02d}", m.start(), m.end(), spelled=True)
    for m in _ZH_NUMERAL_RUN.finditer(work):
        raw = m.group()
        after = work[m.end() : m.end() + 1]
        before = work[m.start() - 1 : m.start()] if m.start() else ""
        if before in {"第", "之"}:
            continue
        countable = after and after in _ZH_COUNTERS
        compound = len(raw) >= 2 and any(c in "十百千" for c in raw) and raw not in {"千万", "万一"}
        named = work[max(0, m.start() - 2) : m.start()] in _ZH_NAMED_BEFORE
        if not (countable or compound or named):
            continue
        if raw in {"一", "两"} and not (countable or named):
            continue
        value = _zh_value(raw)
        if value is None:
            continue
        kind = "year" if after == "年" and len(raw) == 4 else "number"
        add(kind, str(value), m.start(), m.end(), spelled=True)


def number_values(text: str, lang: str) -> frozenset[str]:
    """The distinct values in ``text`` (what an aligner anchor compares)."""
    return frozenset(t.value for t in extract_numbers(text, lang))


_DOTTED_THOUSANDS = re.compile(r"\d{1,3}\.\d{3}")


def _date_parts(value: str) -> tuple[str | None, str | None, str | None] | None:
    """``2017-11-14`` → (2017, 11, 14); ``--11-14`` → (None, 11, 14); ``2017-11`` → (2017, 11, None)."""
    if value.startswith("--"):
        parts = value[2:].split("-")
        return None, parts[0], parts[1] if len(parts) > 1 else None
    parts = value.split("-")
    if len(parts) >= 2 and len(parts[0]) == 4 and parts[0].isdigit():
        return parts[0], parts[1], parts[2] if len(parts) > 2 else None
    return None


def same_quantity(a: NumberToken, b: NumberToken) -> bool:
    """Whether two tokens can stand for the same thing in two language versions.

    Equal values always do. Beyond that, a translation may leave out part of a date (the year
    said once per paragraph, the month named alone), give a year as part of a date, or move
    *per cent* onto the last of two numbers (45 and 46 per cent ↔ 45%和46%): these count as the
    same, so that QA does not report what a reviser would not change.
    """
    if a.value == b.value:
        return True
    da, db = _date_parts(a.value), _date_parts(b.value)
    if da and db:
        if da[1] != db[1]:
            return False
        return all(x is None or y is None or x == y for x, y in ((da[0], db[0]), (da[2], db[2])))
    if da and a.kind == "date" and b.kind in {"year", "number"}:
        return da[0] == b.value
    if db and b.kind == "date" and a.kind in {"year", "number"}:
        return db[0] == a.value
    for x, y in ((a, b), (b, a)):  # 22 часа ↔ 10 p.m. is not this, but 15 ч. ↔ 15 hours is
        if x.kind == "time" and y.kind == "number" and x.value == f"{y.value.zfill(2)}:00":
            return True
    for x, y in ((a, b), (b, a)):  # Law No. 18.561 ↔ Act No. 18561: a dot grouping thousands
        if _DOTTED_THOUSANDS.fullmatch(x.value) and x.value.replace(".", "") == y.value:
            return True
    if {a.kind, b.kind} <= {"percent", "number", "ordinal", "label"}:
        return a.value.rstrip("%") == b.value.rstrip("%")
    return False
