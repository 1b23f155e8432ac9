"""``untm tm …``: the translation memory store — import, export, concordance, fuzzy matches.

A thin layer over ``tmx.store``; the memory is chosen by ``--tm`` (a SQLite file, or a
``postgresql://`` URL for a team's shared memory), else ``$UNTM_TM``, else
``~/.local/share/untm/memory.sqlite``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from tmx.convert import detect_format, read_units
from tmx.reader import read_header
from tmx.store import ConcordanceHit, MemoryStore, default_path, lang_key, open_memory
from tmx.store.memory import import_lock
from tmx.store.postgres import is_url
from tmx.writer import TmxWriter
from uncore.atomic import atomic_path
from uncore.errors import UsageError
from uncore.lang import language
from untm.inputs import InputPath, text_argument
from untm.output import emit, output_options, render_rows
from untm.progress import progress

F = TypeVar("F", bound=Callable[..., Any])

MARK_OPEN, MARK_CLOSE = "⟦", "⟧"
# Files at least this big are read in a second process while this one writes the memory
# (tmx.store.importer; ~5,000 trilingual UN units): starting it costs more than it saves below.
PROCESS_BYTES = 4_000_000  # never occur in UN text, unlike «», 【】 or [ ]


def tm_option(func: F) -> F:
    """``--tm PATH|URL`` (env ``UNTM_TM``), shared with ``untm serve``."""
    return click.option(
        "--tm",
        "tm_path",
        type=str,
        envvar="UNTM_TM",
        default=None,
        show_envvar=True,
        help="Translation memory: a SQLite file (default: ~/.local/share/untm/memory.sqlite) or a "
        "team's PostgreSQL database (postgresql://user@host/db).",
    )(func)


def _open(path: str | Path | None, *, readonly: bool = True) -> MemoryStore:
    return open_memory(path or default_path(), readonly=readonly)


def _checked_lang(store: MemoryStore, code: str | None) -> str | None:
    """A language the memory holds, or one untm knows; a typo (``--lang zn``) is an error."""
    if code is not None and lang_key(code) not in store.languages():
        language(code)
    return code


def mark(
    text: str, spans: tuple[tuple[int, int], ...], open_: str = MARK_OPEN, close: str = MARK_CLOSE
) -> str:
    """``text`` with every span wrapped in the markers."""
    out: list[str] = []
    last = 0
    for start, end in spans:
        out.extend((text[last:start], open_, text[start:end], close))
        last = end
    out.append(text[last:])
    return "".join(out)


def hit_row(hit: ConcordanceHit, langs: list[str], marked: bool) -> dict[str, Any]:
    row: dict[str, Any] = {"tu": hit.tu_id, "lang": hit.lang}
    for lang in langs:
        text = hit.unit.text(lang)
        row[lang] = mark(text, hit.spans) if marked and lang == hit.lang and text is not None else text
    return row


@click.group()
def tm() -> None:
    """Keep translation memories in one searchable store: import, export, search, match.

    \b
    Example:
      untm tm import memory.tmx
      untm tm search 大韩民国
      untm tm match "Генеральная Ассамблея постановила" --source ru --target zh
    """


@tm.command("import")
@click.argument("files", nargs=-1, required=True, type=InputPath(text_suffix=".tsv"))
@tm_option
@click.option("--batch", "batch_size", default=5000, show_default=True, help="Units per transaction.")
@output_options(default="table", formats=("table", "json"))
@click.option("-q", "--quiet", is_flag=True, help="No progress bar on a terminal.")
def import_(
    files: tuple[Path, ...], tm_path: str | None, batch_size: int, fmt: str, output: Path | None, quiet: bool
) -> None:
    """Add TMX files (or any format `untm tmx convert` reads) to the memory.

    Streams each file in batches; units whose texts are already stored are skipped, so
    importing the same file twice adds nothing.

    \b
    Example:
      untm tm import A72.tmx S2015.tmx --tm un.sqlite
    """
    if batch_size < 1:
        raise UsageError("--batch must be at least 1")
    location = tm_path or str(default_path())
    if is_url(location):  # PostgreSQL serialises concurrent imports itself (ON CONFLICT)
        rows = _import_files(location, location, files, batch_size, quiet)
    else:
        with import_lock(location, lambda text: click.echo(f"untm: {text}", err=True)):
            if Path(location).exists():
                rows = _import_files(location, location, files, batch_size, quiet)
            else:
                # a new memory is built in a temporary file beside it and appears only when every
                # file imported: a failed or killed first import leaves no memory that opens but lies
                with atomic_path(location) as building:
                    rows = _import_files(str(building), location, files, batch_size, quiet)
    emit(render_rows(rows, fmt), output)


def _import_files(
    location: str, shown: str, files: tuple[Path, ...], batch_size: int, quiet: bool
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with _open(location, readonly=False) as store:
        for path in files:
            header: dict[str, Any] | None = None
            if detect_format(path) == "tmx":
                h = read_header(path)
                header = {
                    "srclang": h.srclang,
                    "adminlang": h.adminlang,
                    "datatype": h.datatype,
                    "segtype": h.segtype,
                    "props": h.props,
                    "notes": h.notes,
                    "udes": h.udes,
                }
            with progress(unit="TU", desc=path.name, quiet=quiet) as bar:
                if path.stat().st_size >= PROCESS_BYTES:  # read and prepare in a second process
                    stats = store.import_from(
                        functools.partial(read_units, path),
                        origin=str(path),
                        header=header,
                        batch_size=batch_size,
                        progress=bar.update,
                    )
                else:
                    stats = store.import_units(
                        read_units(path),
                        origin=str(path),
                        header=header,
                        batch_size=batch_size,
                        progress=bar.update,
                    )
            rows.append(
                {"file": str(path), "read": stats.read, "added": stats.added, "duplicates": stats.duplicates}
            )
        rows.append({"file": f"= {shown}", "read": None, "added": len(store), "duplicates": None})
    return rows


@tm.command()
@tm_option
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="TMX file to write (atomically).",
)
@click.option(
    "--srclang",
    default=None,
    help="Source language of the TMX header (default: the first imported file's, or *all*).",
)
def export(tm_path: str | None, output: Path, srclang: str | None) -> None:
    """Write the whole memory back as TMX 1.4b, with every prop, note and inline code imported.

    \b
    Example:
      untm tm export -o all.tmx
    """
    with _open(tm_path) as store:
        header = store.header()
        with TmxWriter(
            output,
            srclang=srclang or header.get("srclang") or "*all*",
            adminlang=header.get("adminlang") or "en",
            datatype=header.get("datatype") or "plaintext",
            segtype=header.get("segtype") or "sentence",
            props=[tuple(p) for p in header.get("props", ())],
            notes=header.get("notes", ()),
            udes=header.get("udes", ()),
        ) as writer:
            count = writer.write_all(store.export_units())
    click.echo(f"{count} units written to {output}", err=True)


@tm.command()
@click.argument("query")
@click.option(
    "--lang",
    default=None,
    help="Language to search in (default: every language written in the query's script).",
)
@click.option("--limit", default=50, show_default=True, help="At most this many units.")
@tm_option
@output_options()
def search(
    query: str, lang: str | None, limit: int, tm_path: str | None, fmt: str, output: Path | None
) -> None:
    """Concordance: every unit whose segment contains QUERY, other languages beside it.

    The match is marked ⟦like this⟧ in table, csv and tsv output; json gives the character
    offsets in "spans". Case-insensitive; a query under 3 characters (a two-character
    Chinese word) is answered by a slower scan. QUERY "-" reads standard input.

    \b
    Example:
      untm tm search 南朝鲜
      untm tm search "Совет Безопасности" --lang ru --format json
    """
    with _open(tm_path) as store:
        hits = store.search(text_argument(query), _checked_lang(store, lang), limit=limit)
        langs = store.languages()
    if fmt == "json":
        rows = [
            {
                "tu": h.tu_id,
                "tuid": h.unit.tuid,
                "lang": h.lang,
                "spans": [list(s) for s in h.spans],
                "texts": {v.lang: v.text for v in h.unit.variants},
            }
            for h in hits
        ]
        emit(render_rows(rows, fmt), output)
        return
    emit(render_rows([hit_row(h, langs, True) for h in hits], fmt, ["tu", "lang", *langs]), output)


@tm.command()
@click.argument("segment")
@click.option("--source", "-s", required=True, help="Language of SEGMENT.")
@click.option("--target", "-t", required=True, help="Language of the translations wanted.")
@click.option(
    "--min",
    "minimum",
    default=70,
    show_default=True,
    type=click.IntRange(0, 100),
    help="Lowest match percentage shown.",
)
@click.option("--limit", default=10, show_default=True)
@click.option(
    "--context",
    default=None,
    help="The preceding source segment: a 100% match "
    "after the same segment is a context match and comes first.",
)
@tm_option
@output_options()
def match(
    segment: str,
    source: str,
    target: str,
    minimum: int,
    limit: int,
    context: str | None,
    tm_path: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Fuzzy matches for SEGMENT, best first, with a CAT-style match percentage.

    score = 100 × (1 − edit distance / longer length), counted in words (characters for
    Chinese); 100 only for identical text, case-only differences 99. See docs/bench-tm.md.
    SEGMENT "-" reads standard input.

    \b
    Example:
      untm tm match "Генеральная Ассамблея постановила" --source ru --target zh --min 60
    """
    with _open(tm_path) as store:
        _checked_lang(store, source)
        _checked_lang(store, target)
        matches = store.match(
            text_argument(segment), source, target, minimum=minimum, limit=limit, context=context
        )
    rows = [
        {"score": m.score, "context": m.context, "source": m.source, "target": m.target, "tu": m.tu_id}
        for m in matches
    ]
    emit(render_rows(rows, fmt, ["score", "context", "source", "target", "tu"]), output)


@tm.command()
@tm_option
@output_options(default="table", formats=("table", "json"))
def info(tm_path: str | None, fmt: str, output: Path | None) -> None:
    """Where the memory is, how many units and which languages it holds.

    \b
    Example:
      untm tm info --tm un.sqlite
    """
    with _open(tm_path) as store:
        row = {
            "path": str(store.path),
            "units": len(store),
            "languages": " ".join(store.languages()),
            "bytes": store.size(),
            "consistent": store.consistent(),
        }
        if not row["consistent"]:
            click.echo(
                "untm: warning: an import into this memory was stopped before it finished: "
                "some units may not be found by a search yet; any `untm tm import` into it "
                "completes the index",
                err=True,
            )
    emit(render_rows([row], fmt), output)
