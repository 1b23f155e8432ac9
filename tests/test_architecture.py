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
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(PROJECT)


def test_each_package_imports_only_what_it_may() -> None:
    wrong = []
    for package, allowed in ALLOWED.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            for imported in _imports(path) - allowed - {package}:
                wrong.append(f"{path.relative_to(ROOT)} imports {imported}")
    assert wrong == []


def test_reading_units_loads_no_store() -> None:
    probe = ("import sys, tmx.units, tmx.reader\n"
             "print(sorted(m for m in ('sqlite3', 'rapidfuzz') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
