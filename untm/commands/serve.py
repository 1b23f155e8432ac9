"""``untm serve``: the local web page for translators (termbase + memory search, QA pane)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from untm.commands.tm import tm_option


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but a loopback address exposes your memories "
                   "to the network.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@tm_option
@click.option("--termbase", "termbase_path", type=click.Path(dir_okay=False, path_type=Path),
              envvar="UNTM_TERMBASE", show_envvar=True, default=None,
              help="Termbase file (default: ~/.local/share/untm/termbase.sqlite, seeded with the "
                   "bundled UN termbase).")
def serve(host: str, port: int, tm_path: str | None, termbase_path: Path | None) -> None:
    """Serve the search-and-QA page on this computer (http://127.0.0.1:8080 by default).

    One search box looks the query up in the termbase and the memory as you type; /?q=南朝鲜
    links work without JavaScript. Enter copies the approved term. Stop with Ctrl+C.

    \b
    Example:
      untm serve --tm un.sqlite
      untm serve --port 9000
    """
    from untm.web import create_app

    if not _is_loopback(host):
        click.echo(f"untm: warning: listening on {host}: anyone who can reach this computer can "
                   "read your memory and termbase", err=True)
    app = create_app(tm_path, termbase_path)
    click.echo(f"untm: serving on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    app.run(host=host, port=port, threaded=False, debug=False, load_dotenv=False)
