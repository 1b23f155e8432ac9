"""``untm term …``: look up UN terms, manage the termbase, mine term candidates.

A thin layer over ``termbase``: the group opens the termbase (``--termbase`` or
``$UNTM_TERMBASE`` — a SQLite file or a team's ``postgresql://`` URL — else the default file,
seeded with the bundled UN termbase) and each command does one thing with it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from termbase.exchange import EXPORT_FORMATS, IMPORT_FORMATS, read_concepts, write_concepts
from termbase.lookup import LookupResult, lookup
from termbase.model import Status, Term, TermType
from termbase.store import ENV, TermStore, open_termbase
from uncore.lang import UN_LANGUAGES, language
from untm.inputs import InputPath, text_argument
from untm.options import TERMBASE
from untm.output import emit, output_options, render_rows

_IN = InputPath(text_suffix=".tsv")
_OUT = click.Path(dir_okay=False, path_type=Path)


def note_if_outdated(base: TermStore) -> None:
    """Tell the user (once, on stderr) that their termbase predates the bundled UN termbase."""
    if base.bundled_outdated:
        click.echo(
            "untm: note: this untm ships a newer UN termbase than the one in "
            f"{base.path}; run `untm term update` to load it",
            err=True,
        )


def _open(ctx: click.Context) -> TermStore:
    obj = ctx.ensure_object(dict)  # the group's dict: sub-contexts inherit their parent's obj
    if "termbase" not in obj:
        obj["termbase"] = open_termbase(obj.get("termbase_path"))
        ctx.call_on_close(obj["termbase"].close)
        if ctx.info_name != "update":
            note_if_outdated(obj["termbase"])
    return obj["termbase"]


@click.group()
@click.option(
    "--termbase",
    "termbase_path",
    type=TERMBASE,
    envvar=ENV,
    default=None,
    show_envvar=True,
    help="Termbase: a SQLite file, or a team's PostgreSQL database (postgresql://user@host/db). "
    "Default: ~/.local/share/untm/termbase.sqlite, created from the bundled UN termbase on first use.",
)
@click.pass_context
def term(ctx: click.Context, termbase_path: Path | str | None) -> None:
    """Look up approved UN terms and manage the termbase.

    \b
    Examples:
      untm term lookup 南朝鲜
      untm term lookup "Republic of Korea" --format json
      untm term --termbase postgresql://untm@dbhost/un_tm lookup 安理会
      untm term export un.tbx
      untm term extract aligned.tmx --source ru --target zh
    """
    ctx.ensure_object(dict)["termbase_path"] = termbase_path


def _result_rows(results: list[LookupResult], langs: list[str]) -> list[dict[str, Any]]:
    rows = []
    for r in results:
        row: dict[str, Any] = {
            "match": r.match,
            "score": r.score,
            "concept": r.concept_id,
            "found": r.term.text,
            "lang": r.term.lang,
            "status": r.status.value,
            "form": r.term.type.value,
        }
        # the other languages in the register of the term found: full names for a full name
        renderings = r.preferred
        for lang in langs:
            preferred = renderings.get(lang)
            row[lang] = preferred.text if preferred else ""
        rows.append(row)
    return rows


def _warning(result: LookupResult, langs: list[str]) -> str:
    uses = [result.concept.preferred(lang) for lang in langs]
    use = " / ".join(t.text for t in uses if t is not None)
    return f"!! {result.term.text} ({result.term.lang}) is {result.status.value.upper()} — use {use}"


@term.command("update")
@click.option(
    "--discard-local",
    is_flag=True,
    help="Also drop the terms you added to bundled concepts (they are kept by default).",
)
@click.pass_context
def update_command(ctx: click.Context, discard_local: bool) -> None:
    """Load the UN termbase bundled with this untm into the termbase.

    Bundled concepts (member states, UN bodies, …) are replaced by the bundled version; your
    own concepts are kept, and so are the terms you added to bundled concepts (a term such as
    南韩 added to the Republic of Korea) unless --discard-local.

    \b
    Example:
      untm term update
    """
    base = _open(ctx)
    local = base.local_terms()
    kept = sum(len(terms) for terms in local.values())
    count = base.update_bundled(discard_local=discard_local)
    click.echo(f"{count} bundled concepts loaded into {base.path or 'the in-memory termbase'}")
    if kept:
        what = "discarded (--discard-local)" if discard_local else "kept (--discard-local drops them)"
        click.echo(f"{kept} terms you added to {len(local)} bundled concepts {what}", err=True)


@term.command("lookup")
@click.argument("query")
@click.option("--lang", default=None, help="Only match terms in this language (results show all).")
@click.option("--limit", default=10, show_default=True, help="At most this many concepts.")
@click.option("--no-fuzzy", is_flag=True, help="Exact and prefix matches only.")
@output_options(formats=("table", "json", "tsv", "csv"))
@click.pass_context
def lookup_command(
    ctx: click.Context,
    query: str,
    lang: str | None,
    limit: int,
    no_fuzzy: bool,
    fmt: str,
    output: Path | None,
) -> None:
    """Look QUERY up in any language: exact, then prefix, then fuzzy matches.

    Input is normalised (full/half width, Traditional → Simplified, ё → е, case). A deprecated
    or superseded match says loudly what to use instead. A whole sentence finds the terms in
    it; QUERY "-" reads standard input.

    \b
    Example:
      untm term lookup 南朝鲜
      → !! 南朝鲜 (zh) is DEPRECATED — use 大韩民国 / Республика Корея / Republic of Korea
    """
    base = _open(ctx)
    query = text_argument(query)
    results = lookup(base, query, lang, limit=limit, fuzzy=not no_fuzzy)
    langs = list(UN_LANGUAGES)
    if fmt == "json":
        payload = [
            {
                "concept": r.concept_id,
                "match": r.match,
                "score": r.score,
                "found": r.term.text,
                "lang": r.term.lang,
                "status": r.status.value,
                "type": r.term.type.value,
                "subject": r.concept.subject,
                "use_instead": ({k: v.text for k, v in r.preferred.items()} if r.status.is_bad else None),
                "preferred": {k: v.text for k, v in r.preferred.items()},
                "terms": [
                    {
                        "lang": t.lang,
                        "term": t.text,
                        "status": t.status.value,
                        "type": t.type.value,
                        "source": t.source,
                    }
                    for t in r.concept.terms
                ],
            }
            for r in results
        ]
        emit(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", output)
        return
    shown = [lang for lang in ("zh", "ru", "en") if any(r.concept.preferred(lang) for r in results)] or langs
    text = render_rows(_result_rows(results, shown), fmt) if results else ""
    if fmt == "table":
        # Exact deprecated hits are the answer, so they go first; others are noted after the table.
        direct = ("exact", "lemma")
        direct_hits = [r for r in results if r.match in direct]
        loud = [_warning(r, ["zh", "ru", "en"]) for r in direct_hits if r.status.is_bad]
        quiet = [_warning(r, ["zh", "ru", "en"]) for r in results if r.status.is_bad and r not in direct_hits]
        if not results:
            text = f"no match for {query!r}\n"
        text = "".join(w + "\n" for w in loud) + ("\n" if loud else "") + text
        text += "".join(w + "\n" for w in quiet)
    emit(text, output)


@term.command("import")
@click.argument("file", type=_IN)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(IMPORT_FORMATS),
    default=None,
    help="Input format (default: from the file name).",
)
@click.option("--replace", is_flag=True, help="Replace concepts whose id already exists.")
@click.pass_context
def import_command(ctx: click.Context, file: Path, fmt: str | None, replace: bool) -> None:
    """Import TBX (v3 or 2008), CSV, TSV or XLSX in one transaction (all or nothing).

    \b
    Example:
      untm term import unterm-extract.tbx
      untm term import glossary.xlsx --replace
    """
    base = _open(ctx)
    count = base.import_concepts(read_concepts(file, fmt), replace=replace)
    click.echo(f"imported {count} concepts from {file} (termbase revision {base.revision})")


@term.command("export")
@click.argument("file", type=_OUT)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default=None,
    help="Output format (default: from the file name; omegat must be asked for).",
)
@click.option("--source", default=None, help="Source language (TBX xml:lang; OmegaT glossary).")
@click.option("--target", default=None, help="Target language (OmegaT glossary).")
@click.pass_context
def export_command(
    ctx: click.Context, file: Path, fmt: str | None, source: str | None, target: str | None
) -> None:
    """Export the termbase as TBX-Basic v3, CSV, TSV, XLSX or an OmegaT glossary.

    \b
    Example:
      untm term export un.tbx
      untm term export glossary.txt --format omegat --source ru --target zh
    """
    base = _open(ctx)
    count = write_concepts(iter(base), file, fmt, source=source, target=target)
    click.echo(f"wrote {count} {'lines' if fmt == 'omegat' else 'entries'} to {file}")


@term.command("add")
@click.argument("concept_id")
@click.argument("lang")
@click.argument("text")
@click.option(
    "--status", type=click.Choice([s.value for s in Status]), default="preferred", show_default=True
)
@click.option(
    "--type",
    "term_type",
    type=click.Choice([t.value for t in TermType]),
    default="fullForm",
    show_default=True,
)
@click.option("--source", default=None, help="Where the term comes from.")
@click.option("--note", default=None)
@click.option("--not-inside", multiple=True, help="A context in which this term must not be matched.")
@click.pass_context
def add_command(
    ctx: click.Context,
    concept_id: str,
    lang: str,
    text: str,
    status: str,
    term_type: str,
    source: str | None,
    note: str | None,
    not_inside: tuple[str, ...],
) -> None:
    """Add a term to a concept (the concept is created if new).

    \b
    Example:
      untm term add country-KOR zh 南韩 --status deprecated --type variant
    """
    base = _open(ctx)
    new = Term(
        language(lang).code,
        text,
        Status(status),
        TermType(term_type),
        source=source,
        note=note,
        not_inside=tuple(not_inside),
    )
    base.add_term(concept_id, new)
    click.echo(f"added {text!r} ({new.lang}, {status}) to {concept_id}")


@term.command("list")
@click.option("--lang", default=None, help="Only terms in this language.")
@click.option("--status", type=click.Choice([s.value for s in Status]), default=None)
@click.option("--limit", type=int, default=None, help="At most this many rows.")
@output_options()
@click.pass_context
def list_command(
    ctx: click.Context, lang: str | None, status: str | None, limit: int | None, fmt: str, output: Path | None
) -> None:
    """List terms, one row per term, with what to use instead of deprecated ones.

    \b
    Example:
      untm term list --status deprecated --lang ru
    """
    base = _open(ctx)
    code = language(lang).code if lang else None
    rows: list[dict[str, Any]] = []
    for concept in base:
        for t in concept.terms:
            if (code and t.lang != code) or (status and t.status.value != status):
                continue
            use = concept.replacement(t)
            rows.append(
                {
                    "concept": concept.id,
                    "lang": t.lang,
                    "term": t.text,
                    "status": t.status.value,
                    "type": t.type.value,
                    "use_instead": use.text if use else "",
                }
            )
            if limit is not None and len(rows) >= limit:
                break
        if limit is not None and len(rows) >= limit:
            break
    emit(render_rows(rows, fmt, ["concept", "lang", "term", "status", "type", "use_instead"]), output)


@term.command("stats")
@output_options()
@click.pass_context
def stats_command(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Counts of concepts and terms, by language and by status.

    \b
    Example:
      untm term stats --format json
    """
    base = _open(ctx)
    stats = base.stats()
    rows: list[dict[str, Any]] = [
        {"what": "concepts", "count": stats.concepts},
        {"what": "terms", "count": stats.terms},
        *({"what": f"lang {k}", "count": v} for k, v in stats.by_lang),
        *({"what": f"status {k}", "count": v} for k, v in stats.by_status),
        {"what": "revision", "count": base.revision},
    ]
    emit(render_rows(rows, fmt, ["what", "count"]), output)


@term.command("extract")
@click.argument("aligned", type=_IN)
@click.option("--source", required=True, help="Source language of the candidate pairs.")
@click.option("--target", required=True, help="Target language of the candidate pairs.")
@click.option("--min-count", default=3, show_default=True, help="Minimum segment pairs containing both.")
@click.option("--max-n", default=4, show_default=True, help="Longest n-gram in words.")
@click.option("--limit", default=200, show_default=True, help="At most this many candidates (0: all).")
@click.option("--input-format", default=None, help="Format of ALIGNED (default: from its name).")
@click.option(
    "--termbase-file",
    type=_OUT,
    default=None,
    help="Also write the candidates as a CSV/TSV/XLSX termbase file for `untm term import`.",
)
@output_options()
@click.option("-q", "--quiet", is_flag=True, help="No progress bar on a terminal.")
def extract_command(
    aligned: Path,
    source: str,
    target: str,
    min_count: int,
    max_n: int,
    limit: int,
    input_format: str | None,
    termbase_file: Path | None,
    fmt: str,
    output: Path | None,
    quiet: bool,
) -> None:
    """Mine candidate term pairs from an aligned memory (TMX, TSV, …) for review.

    Scored by Dice co-occurrence over n-grams (lemmas for Russian, stems for English, jieba
    words for Chinese), mutual best pairs only, ranked by Dice then log-likelihood.

    \b
    Example:
      untm term extract aligned.tmx --source ru --target zh --limit 50
    """
    from termbase.extract import extract, pairs_from_units
    from termbase.model import Concept
    from termbase.tabular import write_table
    from tmx.convert import read_units

    src, tgt = language(source).code, language(target).code
    from untm.progress import counted, progress

    with progress(unit="TU", desc="reading", quiet=quiet) as bar:
        units = counted(read_units(aligned, input_format), bar)
        candidates = extract(
            pairs_from_units(units, src, tgt), src, tgt, min_count=min_count, max_n=max_n, limit=limit or None
        )
    rows = [
        {
            "source": c.source,
            "target": c.target,
            "dice": c.dice,
            "llr": c.llr,
            "count": c.count,
            "source_count": c.source_count,
            "target_count": c.target_count,
        }
        for c in candidates
    ]
    emit(
        render_rows(rows, fmt, ["source", "target", "dice", "llr", "count", "source_count", "target_count"]),
        output,
    )
    if termbase_file is not None:
        note = f"candidate extracted from {aligned.name}: Dice {{}}, {{}} segment pairs — to review"
        concepts = [
            Concept(
                id=f"cand-{i + 1}",
                source=f"untm term extract {aligned.name}",
                terms=(
                    Term(src, c.source, Status.ADMITTED, TermType.VARIANT, note=note.format(c.dice, c.count)),
                    Term(tgt, c.target, Status.ADMITTED, TermType.VARIANT, note=note.format(c.dice, c.count)),
                ),
            )
            for i, c in enumerate(candidates)
        ]
        write_table(concepts, termbase_file)


def _termbase_here(ctx: click.Context, _param: click.Parameter, value: Path | str | None) -> None:
    """``--termbase`` given after the subcommand (`untm term import x.tbx --termbase X`)."""
    if value is not None:
        ctx.ensure_object(dict)["termbase_path"] = value


for _command in term.commands.values():
    _command.params.append(
        click.Option(
            ["--termbase"],
            type=TERMBASE,
            expose_value=False,
            is_eager=True,
            callback=_termbase_here,
            help="Termbase file or postgresql:// URL (as `untm term --termbase`).",
        )
    )
