"""Render a QA run: a table for people, JSON/CSV for pipelines, XLSX for revisers who work in
spreadsheets, and a self-contained HTML page grouped by check with each span highlighted in
its sentence.

Every format carries the run's summary (the parameters that change the result: languages,
checks, termbase revision and size, memory, untm version) so that a report can be reproduced,
in the spirit of sacrebleu's signatures.
"""

from __future__ import annotations

import html
import io
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qa.findings import CHECK_IDS, CHECK_INFO, Finding, Severity
from uncore.atomic import atomic_path
from uncore.cells import CsvRows, cell_value, to_cell

FORMATS = ("table", "json", "csv", "xlsx", "html")
COLUMNS = (
    "tuid",
    "lang",
    "check",
    "severity",
    "found",
    "suggestion",
    "start",
    "end",
    "message",
    "concept",
    "segment",
)
_TABLE_COLUMNS = ("tuid", "lang", "check", "severity", "found", "suggestion", "message")


def summarize(findings: Sequence[Finding], parameters: dict[str, Any]) -> dict[str, Any]:
    """The summary block: the run's parameters, a one-line signature and the counts."""
    by_severity = Counter(f.severity.value for f in findings)
    by_check = Counter(f.check for f in findings)
    summary = dict(parameters)
    summary["findings"] = len(findings)
    summary["by_severity"] = {s.value: by_severity.get(s.value, 0) for s in reversed(Severity)}
    summary["by_check"] = {c: by_check[c] for c in CHECK_IDS if by_check.get(c)}
    summary["signature"] = signature(parameters)
    return summary


def signature(parameters: dict[str, Any]) -> str:
    """``untm-qa|v:0.1.0|src:en|tgt:zh,ru|checks:…|tb:rev3,211|tm:no`` — what to quote beside
    a count of findings."""
    tb = parameters.get("termbase") or {}
    parts = [
        "untm-qa",
        f"v:{parameters.get('untm', '?')}",
        f"src:{parameters.get('source') or '-'}",
        f"tgt:{','.join(parameters.get('targets') or []) or '-'}",
        f"checks:{','.join(parameters.get('checks') or [])}",
        f"tb:{'rev' + str(tb.get('revision')) + ',' + str(tb.get('concepts')) if tb else 'no'}",
        f"tm:{'yes' if parameters.get('memory') else 'no'}",
    ]
    return "|".join(parts)


def render_text(findings: Sequence[Finding], summary: dict[str, Any], fmt: str) -> str:
    """json, csv or html as text (xlsx is binary: ``write_xlsx``; the table is laid out by the
    CLI from ``table_rows``)."""
    if fmt == "json":
        data = {"summary": summary, "findings": [f.as_dict() for f in findings]}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = CsvRows(buf)  # CR quoted; formula-looking cells guarded, as in the XLSX report
        writer.writerow(COLUMNS)
        for f in findings:
            row = f.as_dict()
            writer.writerow(["" if row[c] is None else cell_value(row[c]) for c in COLUMNS])
        return buf.getvalue()
    if fmt == "html":
        return render_html(findings, summary)
    raise ValueError(f"render_text does not do {fmt!r}")


TABLE_COLUMNS = _TABLE_COLUMNS


def table_rows(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    """The rows of the ``table`` format (the CLI lays them out with its shared table code)."""
    return [
        {c: getattr(f, c) if c != "severity" else f.severity.value for c in _TABLE_COLUMNS} for f in findings
    ]


def write_xlsx(findings: Sequence[Finding], summary: dict[str, Any], path: str | Path) -> None:
    """Findings on one sheet (filterable, frozen header), the summary on a second."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "findings"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    fills = {
        "error": PatternFill("solid", fgColor="F8D7DA"),
        "warning": PatternFill("solid", fgColor="FFF3CD"),
    }
    for f in findings:
        row = f.as_dict()
        sheet.append(["" if row[c] is None else _xlsx_safe(row[c]) for c in COLUMNS])
        fill = fills.get(f.severity.value)
        if fill is not None:
            sheet.cell(row=sheet.max_row, column=COLUMNS.index("severity") + 1).fill = fill
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for letter, width in zip("ABCDEFGHIJK", (10, 8, 18, 9, 24, 24, 6, 6, 60, 16, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    info = book.create_sheet("summary")
    for key, value in summary.items():
        info.append(
            [key, value if isinstance(value, str | int | float) else json.dumps(value, ensure_ascii=False)]
        )
    with atomic_path(path) as tmp:
        book.save(tmp)


def _xlsx_safe(value: Any) -> Any:
    """openpyxl refuses control characters; a formula-looking text must stay text."""
    if isinstance(value, str):
        value = to_cell("".join(ch for ch in value if ch in "\t\n" or ord(ch) >= 32))
    return value


_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","Noto Sans",sans-serif;margin:2rem;color:#222}
h1{font-size:1.4rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #eee;padding:.3rem;
vertical-align:top;text-align:left} th{background:#f6f6f6}
mark{background:#ffd54f;padding:0 .1em} .sev-error{color:#b00020;font-weight:600}
.sev-warning{color:#8a6d00} .sev-info{color:#666} .ctx{max-width:48rem} .sig{font-family:monospace;
font-size:.85rem;color:#555} .desc{color:#555;font-size:.9rem} .sugg{color:#1b5e20}
"""


def render_html(findings: Sequence[Finding], summary: dict[str, Any]) -> str:
    """One page, no external resources: a section per check, each finding with its span marked
    in the text of its language version."""
    esc = html.escape
    counts = summary.get("by_severity", {})
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>untm QA report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>untm QA report</h1>",
        f'<p class="sig">{esc(str(summary.get("signature", "")))}</p>',
        "<p>" + ", ".join(f"{esc(str(n))} {esc(k)}" for k, n in counts.items()) + "</p>",
    ]
    grouped: dict[str, list[Finding]] = {}
    for f in findings:
        grouped.setdefault(f.check, []).append(f)
    for check in [c for c in CHECK_IDS if c in grouped] + sorted(set(grouped) - set(CHECK_IDS)):
        items = grouped[check]
        info = CHECK_INFO.get(check)
        parts.append(f'<section id="{esc(check)}"><h2>{esc(check)} ({len(items)})</h2>')
        if info:
            parts.append(f'<p class="desc">{esc(info.description)}</p>')
        parts.append(
            "<table><tr><th>unit</th><th>lang</th><th>severity</th><th>text</th>"
            "<th>found → suggestion</th><th>message</th></tr>"
        )
        for f in items:
            suggestion = f' → <span class="sugg">{esc(f.suggestion)}</span>' if f.suggestion else ""
            parts.append(
                f"<tr><td>{esc(f.tuid)}</td><td>{esc(f.lang)}</td>"
                f'<td class="sev-{esc(f.severity.value)}">{esc(f.severity.value)}</td>'
                f'<td class="ctx" lang="{esc(f.lang)}">{_context(f)}</td>'
                f"<td>{esc(f.found)}{suggestion}</td><td>{esc(f.message)}</td></tr>"
            )
        parts.append("</table></section>")
    if not findings:
        parts.append("<p>No findings.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _context(f: Finding, width: int = 80) -> str:
    """The finding's text around its span, the span in ``<mark>``."""
    text = f.segment or ""
    if f.start is None or f.end is None or not 0 <= f.start <= f.end <= len(text):
        short = text if len(text) <= 2 * width else text[: 2 * width] + "…"
        return html.escape(short)
    left = max(0, f.start - width)
    right = min(len(text), f.end + width)
    return (
        ("…" if left else "")
        + html.escape(text[left : f.start])
        + "<mark>"
        + html.escape(text[f.start : f.end])
        + "</mark>"
        + html.escape(text[f.end : right])
        + ("…" if right < len(text) else "")
    )
