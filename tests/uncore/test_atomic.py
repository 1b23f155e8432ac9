from pathlib import Path

import pytest

from uncore.atomic import atomic_output
from uncore.errors import InputError


def test_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "out.tmx"
    with pytest.raises(InputError), atomic_output(target) as handle:
        handle.write("<tmx>partial")
        raise InputError("bad segment", path="in.tmx", line=3)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(target) as handle:
        handle.write("new")
        raise RuntimeError
    assert target.read_text(encoding="utf-8") == "old"


def test_success_replaces(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.txt"
    with atomic_output(target) as handle:
        handle.write("新")
    assert target.read_text(encoding="utf-8") == "新"


def test_error_message_names_file_and_line() -> None:
    assert str(InputError("truncated", path="a.tmx", line=4, column=7)) == "a.tmx:4:7: truncated"


def test_output_gets_the_permissions_of_an_ordinary_new_file(tmp_path: Path) -> None:
    import os

    mask = os.umask(0o022)
    try:
        target = tmp_path / "shared.tmx"
        with atomic_output(target) as handle:
            handle.write("<tmx/>")
        assert target.stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(mask)
