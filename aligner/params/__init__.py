"""Parameters of the aligner that are estimated from data, shipped as package data.

``length.json`` holds the Gale–Church length model per ordered language pair; it is written by
``python -m aligner.params.estimate`` (see that module for the sources) and read by
``aligner.scorers.length``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def length_params() -> dict[str, dict[str, float]]:
    """``{"zh-en": {"c": ..., "s2": ..., "n": ...}, ...}`` (ratio and variance per source char)."""
    text = resources.files(__package__).joinpath("length.json").read_text(encoding="utf-8")
    return json.loads(text)["pairs"]
