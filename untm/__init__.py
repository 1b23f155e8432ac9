"""untm: align UN documents into TMX memories, keep a UN termbase, QA new translations.

This package is the thin application layer (CLI and web page). The work is done by the
libraries ``aligner``, ``tmx`` and ``termbase``; nothing in them imports ``untm``.
"""

__version__ = "0.1.0"
