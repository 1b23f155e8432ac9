"""QA of translations: terminology, numbers, punctuation and memory checks over units.

``run_checks(units, termbase=, memory=, source=, targets=, checks=)`` yields ``Finding``s;
``report`` renders them (table, JSON, CSV, XLSX, HTML); ``ignore`` reads ignore files.
"""

from qa.findings import CHECK_IDS, CHECKS, CheckInfo, Finding, Severity
from qa.ignore import IgnoreList
from qa.runner import run_checks, select_checks

__all__ = [
    "CHECKS",
    "CHECK_IDS",
    "CheckInfo",
    "Finding",
    "IgnoreList",
    "Severity",
    "run_checks",
    "select_checks",
]
