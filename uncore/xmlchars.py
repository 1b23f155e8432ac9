"""Characters XML 1.0 cannot carry, and what untm does about them.

TMX and TBX are XML 1.0: C0 control characters other than tab, line feed and carriage return,
lone surrogates and U+FFFE/U+FFFF cannot be written. untm never drops them silently:

* from data a user typed or imported (a table, ``term add``), they are refused, naming where;
* from documents (PDF, DOCX, text), where they are layout (a form feed between pages, a vertical
  tab for a manual line break), the readers turn them into the line break or space they meant.
"""

from __future__ import annotations

import re

XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\x0b\x0c]")


def first_invalid(text: str) -> str | None:
    """``U+0001``-style name of the first character of ``text`` XML cannot carry, or None."""
    found = XML_INVALID.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def layout_to_text(text: str) -> str:
    """Document text with layout controls as what they mean: a form feed or vertical tab is a
    line break, any other control character XML cannot carry a space."""
    if XML_INVALID.search(text) is None:
        return text
    return XML_INVALID.sub(" ", _LINE_BREAKS.sub("\n", text))
