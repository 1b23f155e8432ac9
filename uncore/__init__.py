"""Shared foundations of untm's libraries: the error family, the language registry, atomic output.

Every library (``aligner``, ``tmx``, ``termbase``) may import ``uncore``; ``uncore`` imports none
of them. It exists so that the libraries agree on what a language is and how a user error looks
without importing each other's internals.
"""

from uncore.atomic import atomic_output
from uncore.errors import InputError, UntmError, UsageError
from uncore.lang import Language, language

__all__ = ["InputError", "Language", "UntmError", "UsageError", "atomic_output", "language"]
