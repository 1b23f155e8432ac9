"""Merge several TMX files into one: identical units once, and on conflict the newest unit.

Two passes over the inputs, so the units themselves are never all in memory: the first decides,
per source segment, which unit wins (by ``changedate``, else ``creationdate``; a unit without
dates is the oldest; on a tie the later input wins, as an update would); the second streams the
winners to the writer in input order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tmx.identity import content_key, source_key
from tmx.reader import read_header, read_tmx
from tmx.units import TranslationUnit
from tmx.validate import PROGRESS_EVERY
from tmx.writer import TmxWriter

_OLDEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Conflict:
    """Two units with the same source segment and different translations."""

    source: str
    kept: str  # FILE#N (tuid) of the unit kept
    dropped: str
    kept_date: str | None
    dropped_date: str | None


@dataclass(frozen=True)
class MergeResult:
    read: int
    written: int
    duplicates: int
    conflicts: tuple[Conflict, ...]


def unit_date(tu: TranslationUnit) -> datetime:
    """When the unit was last touched: its own dates, else its newest variant's, else never."""
    dates = [tu.changedate, tu.creationdate]
    dates += [d for v in tu.variants for d in (v.changedate, v.creationdate)]
    known = [d if d.tzinfo else d.replace(tzinfo=UTC) for d in dates if d is not None]
    return max(known) if known else _OLDEST


def _label(path: Path, position: int, tu: TranslationUnit) -> str:
    return f"{path.name}#{position + 1}" + (f" (tuid {tu.tuid})" if tu.tuid else "")


def _iso(date: datetime) -> str | None:
    return None if date == _OLDEST else date.strftime("%Y-%m-%dT%H:%M:%SZ")


def merge_files(
    inputs: Sequence[str | Path],
    output: str | Path,
    srclang: str | None = None,
    progress: Callable[[int], None] | None = None,
    **writer: Any,
) -> MergeResult:
    """Merge ``inputs`` into ``output`` (written atomically). ``srclang`` defaults to the first
    input's header; ``writer`` takes further ``TmxWriter`` keywords. ``progress`` is told of
    every ``PROGRESS_EVERY`` units read (each input is read twice: to choose, then to write)."""
    paths = [Path(p) for p in inputs]
    headers = [read_header(p) for p in paths]
    srclang = srclang or next((h.srclang for h in headers if h.srclang), None) or "*all*"

    seen: set[bytes] = set()
    winners: dict[bytes, tuple[datetime, int, int]] = {}
    conflicts: list[Conflict] = []
    keep: list[bytearray] = []
    read = duplicates = 0
    for index, path in enumerate(paths):
        flags = bytearray()
        for position, tu in enumerate(read_tmx(path)):
            read += 1
            if progress is not None and read % PROGRESS_EVERY == 0:
                progress(PROGRESS_EVERY)
            flags.append(0)
            ckey = content_key(tu)
            if ckey in seen:
                duplicates += 1
                continue
            seen.add(ckey)
            skey = source_key(tu, srclang) or ckey
            date = unit_date(tu)
            previous = winners.get(skey)
            if previous is not None:
                old_date, old_index, old_position = previous
                new_wins = date >= old_date
                if new_wins:
                    (keep[old_index] if old_index < index else flags)[old_position] = 0
                conflicts.append(_conflict(paths, srclang, tu, index, position, date, previous, new_wins))
                if not new_wins:
                    continue
            winners[skey] = (date, index, position)
            flags[position] = 1
        keep.append(flags)

    first = headers[0]
    options: dict[str, Any] = {
        "adminlang": first.adminlang or "en",
        "datatype": first.datatype or "plaintext",
    }
    options.update(writer)
    with TmxWriter(output, srclang=srclang, **options) as out:
        for index, path in enumerate(paths):
            flags = keep[index]
            for position, tu in enumerate(read_tmx(path)):
                if progress is not None and position % PROGRESS_EVERY == PROGRESS_EVERY - 1:
                    progress(PROGRESS_EVERY)
                if flags[position]:
                    out.write(tu)
        written = out.count
    return MergeResult(read, written, duplicates, tuple(conflicts))


def _conflict(
    paths: list[Path],
    srclang: str,
    tu: TranslationUnit,
    index: int,
    position: int,
    date: datetime,
    previous: tuple[datetime, int, int],
    new_wins: bool,
) -> Conflict:
    old_date, old_index, old_position = previous
    variant = tu.variant(srclang) if srclang != "*all*" else tu.variants[0]
    source = variant.text if variant else ""
    new_label = _label(paths[index], position, tu)
    old_label = f"{paths[old_index].name}#{old_position + 1}"
    if new_wins:
        return Conflict(source, new_label, old_label, _iso(date), _iso(old_date))
    return Conflict(source, old_label, new_label, _iso(old_date), _iso(date))
