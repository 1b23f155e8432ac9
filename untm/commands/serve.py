"""``untm serve``: the local web page for translators (termbase + memory search, QA pane)."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import click

from untm.commands.tm import tm_option
from untm.options import termbase_option


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
@termbase_option(
    "Termbase file (default: ~/.local/share/untm/termbase.sqlite, seeded with the bundled UN termbase).",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow a non-loopback --host: anyone who can reach the address can read the memory "
    "and the termbase; without --auth the page is read-only.",
)
@click.option(
    "--auth",
    is_flag=True,
    help="Changes from the page (adding a term) need HTTP basic auth with the password in "
    "$UNTM_WEB_TOKEN (any user name); look-ups and QA stay open. Never on the command line.",
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
@click.option(
    "--workers",
    default=min(os.cpu_count() or 1, 4),
    show_default="the cores, at most 4",
    type=click.IntRange(1, 64),
    help="Server processes sharing the port (each with --threads threads): Python runs one "
    "thread at a time per process, so a team's searches need one process per core.",
)
@click.option("-v", "--verbose", is_flag=True, help="Log one line per request on standard error.")
def serve(
    host: str,
    port: int,
    tm_path: str | None,
    termbase_path: Path | None,
    allow_remote: bool,
    auth: bool,
    allowed: tuple[str, ...],
    threads: int,
    workers: int,
    verbose: bool,
) -> None:
    """Serve the search-and-QA page on this computer (http://127.0.0.1:8080 by default).

    One search box looks the query up in the termbase and the memory as you type; /?q=南朝鲜
    links work without JavaScript. Enter copies the approved term. Stop with Ctrl+C. Runs on
    waitress, a production WSGI server, with --threads requests at once.

    For a team (docs/web.md, "Authentication for a team"): --host 0.0.0.0 --allow-remote,
    and --auth with the team's password in $UNTM_WEB_TOKEN so that terminologists can add
    terms; every form that changes data also carries a CSRF token.

    \b
    Example:
      untm serve --tm un.sqlite
      untm serve --port 9000 --verbose
      UNTM_WEB_TOKEN=... untm serve --host 0.0.0.0 --allow-remote --auth
    """
    import socket

    from waitress import serve as waitress_serve

    from uncore.errors import UsageError
    from untm.web import create_app
    from untm.web.auth import TOKEN_ENV, access_for
    from untm.web.collector import settle
    from untm.web.guard import access_log, allowed_hosts, host_guard

    loopback = _is_loopback(host)
    if not loopback and not allow_remote:
        raise UsageError(
            f"--host {host} would expose the memory to the network: add --allow-remote "
            "if that is what you want (look-ups are open to anyone who can reach it)"
        )
    access = access_for(auth=auth, loopback=loopback)  # before listening: no secret, no server
    if not loopback and not auth:
        click.echo(
            f"untm: warning: listening on {host}: there is no authentication (--auth); anyone who "
            "can reach this address can read your memory and termbase, and changes are refused",
            err=True,
        )
    elif not loopback:
        click.echo(
            f"untm: warning: listening on {host}: changes need the password in ${TOKEN_ENV}, "
            "look-ups are open to anyone who can reach this address; basic auth sends the "
            "password in clear over plain HTTP, so serve a team through HTTPS (docs/web.md)",
            err=True,
        )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as error:
        listener.close()
        raise UsageError(
            f"cannot listen on {host}:{port}: {error.strerror or error} "
            "(another program uses the port? try --port)"
        ) from None
    listener.listen(1024)
    port = listener.getsockname()[1]
    app = create_app(tm_path, termbase_path, access)
    app.extensions["untm"].warm()  # once, before the workers fork: they share it
    settle()  # what it loaded, out of the garbage collector's way (untm.web.collector)
    wsgi = host_guard(app, allowed_hosts(host, port, allowed))
    if verbose:
        wsgi = access_log(wsgi)
    workers = workers if hasattr(os, "fork") else 1
    click.echo(
        f"untm: serving on http://{host}:{port}/ ({workers} process{'es' if workers > 1 else ''}, "
        f"{threads} threads each; Ctrl+C to stop)",
        err=True,
    )

    def run() -> None:
        if hasattr(os, "fork") and os.environ.get("UNTM_WEB_LANE", "1") != "0":  # 0: measure without it
            app.extensions["untm"].start_lane((listener.fileno(),))
        waitress_serve(wsgi, sockets=[listener], threads=threads, ident="untm", _quiet=True)

    children = [_fork_worker(run) for _ in range(workers - 1)]
    try:
        run()
    finally:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for pid in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        listener.close()


def _fork_worker(run: Callable[[], None]) -> int:
    """A server process sharing the listening socket (the kernel hands each connection to one
    of them, as in gunicorn's pre-fork model). It ends with its parent: on SIGTERM from it, or
    by itself within a second if the parent is killed."""
    pid = os.fork()
    if pid:
        return pid
    # SIGTERM: the CLI's handler ends a forked process at once (untm.cli._terminated)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C goes to the parent, which stops us
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()
    try:
        run()
    finally:
        os._exit(0)
