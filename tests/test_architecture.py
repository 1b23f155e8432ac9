"""The layering rules of docs/architecture.md, enforced by parsing every module's imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ("uncore", "aligner", "tmx", "termbase", "qa", "untm")
ALLOWED = {
    "uncore": set(),
    "aligner": {"uncore"},
    "tmx": {"uncore"},
    "termbase": {"uncore", "tmx"},
    "qa": {"uncore", "tmx", "termbase"},
    "untm": set(PROJECT),
}


def _imports(path: Path) -> set[str]:
    return _all_imports(path) & set(PROJECT)


def test_each_package_imports_only_what_it_may() -> None:
    wrong = []
    for package, allowed in ALLOWED.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            for imported in _imports(path) - allowed - {package}:
                wrong.append(f"{path.relative_to(ROOT)} imports {imported}")
    assert wrong == []


def test_reading_units_loads_no_store() -> None:
    probe = (
        "import sys, tmx.units, tmx.reader\n"
        "print(sorted(m for m in ('sqlite3', 'rapidfuzz') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


# What only uncore/lang may know: word-key libraries and hand-written character ranges.
_LANGUAGE_LIBRARIES = {"snowballstemmer", "Stemmer", "pymorphy3", "jieba", "opencc"}
_CHARACTER_RANGES = ("\\u3400", "\\u4e00", "\\u9fff", "\\u0400-", "\\u0600-")


def _all_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_language_knowledge_has_one_home() -> None:
    """Stemmers, lemmatisers, Chinese word cutters and character classes live in uncore/lang."""
    home = ROOT / "uncore" / "lang"
    wrong = []
    for package in PROJECT:
        for path in sorted((ROOT / package).rglob("*.py")):
            if home in path.parents:
                continue
            for library in _all_imports(path) & _LANGUAGE_LIBRARIES:
                wrong.append(f"{path.relative_to(ROOT)} imports {library}")
            source = path.read_text(encoding="utf-8")
            wrong += [f"{path.relative_to(ROOT)} spells {r}" for r in _CHARACTER_RANGES if r in source]
    assert wrong == []


def test_the_six_languages_are_listed_once() -> None:
    """Code asks uncore.lang.UN_LANGUAGES instead of writing the list again."""
    listed = []
    for package in PROJECT:
        for path in sorted((ROOT / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            if '"zh", "ru", "en", "fr", "es", "ar"' in source:
                listed.append(str(path.relative_to(ROOT)))
    assert listed == []
