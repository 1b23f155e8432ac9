"""The concept-oriented UN termbase: model, SQLite store, TBX/CSV/XLSX exchange, matching, QA.

Only the model is imported here (it is light); the store, matcher and lookup live in
``termbase.store``, ``uncore.lang.terms`` and ``termbase.lookup`` so that importing the package
does not load pymorphy3, jieba or pandas.
"""

from termbase.model import Concept, Status, Term, TermType

__all__ = ["Concept", "Status", "Term", "TermType"]
