"""The concept-oriented UN termbase: model, SQLite store, TBX/CSV/XLSX exchange, matching, QA."""
