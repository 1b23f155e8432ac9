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
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but a loopback address needs --allow-remote.",
)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@tm_option
@click.option(
    "--termbase",
    "termbase_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="UNTM_TERMBASE",
    show_envvar=True,
    default=None,
    help="Termbase file (default: ~/.local/share/untm/termbase.sqlite, seeded with the bundled UN termbase).",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow a non-loopback --host: the page has no login, so anyone who can reach the "
    "address can read the memory and the termbase.",
)
@click.option(
    "--allowed-host",
    "allowed",
    multiple=True,
    metavar="NAME",
    help="Also answer requests for this host name (repeat); others are refused.",
)
@click.option(
    "--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Requests served at once."
)
@click.option("-v", "--verbose", is_flag=True, help="Log one line per request on standard error.")
def serve(
    host: str,
    port: int,
    tm_path: str | None,
    termbase_path: Path | None,
    allow_remote: bool,
    allowed: tuple[str, ...],
    threads: int,
    verbose: bool,
) -> None:
    """Serve the search-and-QA page on this computer (http://127.0.0.1:8080 by default).

    One search box looks the query up in the termbase and the memory as you type; /?q=南朝鲜
    links work without JavaScript. Enter copies the approved term. Stop with Ctrl+C. Runs on
    waitress, a production WSGI server, with --threads requests at once.

    \b
    Example:
      untm serve --tm un.sqlite
      untm serve --port 9000 --verbose
    """
    import socket

    from waitress import serve as waitress_serve

    from uncore.errors import UsageError
    from untm.web import create_app
    from untm.web.guard import access_log, allowed_hosts, host_guard

    if not _is_loopback(host):
        if not allow_remote:
            raise UsageError(
                f"--host {host} would expose the memory to the network: add --allow-remote "
                "if that is what you want (there is no login)"
            )
        click.echo(
            f"untm: warning: listening on {host}: there is no authentication; anyone who can "
            "reach this address can read your memory and termbase",
            err=True,
        )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            raise UsageError(
                f"cannot listen on {host}:{port}: {error.strerror or error} "
                "(another program uses the port? try --port)"
            ) from None
    app = create_app(tm_path, termbase_path)
    wsgi = host_guard(app, allowed_hosts(host, port, allowed))
    if verbose:
        wsgi = access_log(wsgi)
    click.echo(f"untm: serving on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    waitress_serve(wsgi, host=host, port=port, threads=threads, ident="untm", _quiet=True)
