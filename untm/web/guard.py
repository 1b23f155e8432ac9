"""What the page's server lets in: requests for the names it serves (DNS rebinding), and a
line per request in the log when asked.

A page elsewhere on the web can make a translator's browser send requests to 127.0.0.1 under a
name it controls (DNS rebinding) and read the answers — the memory. Refusing every ``Host`` that
is not the bound address (or a name given with ``--allowed-host``) closes that door.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def allowed_hosts(host: str, port: int, extra: Iterable[str] = ()) -> frozenset[str]:
    """The ``Host`` values a browser sends for this server: the address and its loopback names."""
    names = {host, *extra}
    if host in ("127.0.0.1", "localhost", "::1"):
        names |= {"127.0.0.1", "localhost", "[::1]"}
    return frozenset(f"{name}:{port}" for name in names) | frozenset(names)


def host_guard(app: Wsgi, allowed: frozenset[str]) -> Wsgi:
    """Refuse (421) a request whose ``Host`` header names another server."""

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST", "").lower()
        if host not in allowed:
            start_response("421 Misdirected Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"untm: this server answers only for its own address (see --allowed-host)\n"]
        return app(environ, start_response)

    return guarded


def access_log(app: Wsgi) -> Wsgi:
    """One line per request on stderr: method, path, status, milliseconds (``--verbose``)."""

    def logged(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        status: list[str] = []

        def start(code: str, headers: Any, *rest: Any) -> Any:
            status.append(code.split(" ", 1)[0])
            return start_response(code, headers, *rest)

        body = app(environ, start)
        query = environ.get("QUERY_STRING")
        path = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
        print(
            f"{environ.get('REQUEST_METHOD')} {path} {status[0] if status else '-'} "
            f"{(time.perf_counter() - started) * 1000:.0f} ms",
            file=sys.stderr,
            flush=True,
        )
        return body

    return logged
