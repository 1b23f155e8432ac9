"""A throw-away PostgreSQL server for tests and benchmarks: Debian's ``initdb``/``pg_ctl`` in a
temporary folder, on a free loopback port, trust authentication, stopped and removed after.

PostgreSQL refuses to run as root; when we are root (CI), the server runs as the ``postgres``
user that Debian's package creates.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


def available() -> bool:
    return _bindir() is not None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(database: str = "untm", settings: dict[str, str] | None = None) -> Iterator[str]:
    """Start a server, create ``database``, yield its ``postgresql://`` URL; stop it after.
    ``settings``: more server settings (``shared_buffers``…), as a team's server would have."""
    bindir = _bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (Debian package 'postgresql')")
    root = Path(tempfile.mkdtemp(prefix="untm-pg-"))
    data, port = root / "data", _free_port()
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        root.chmod(0o755)
        prefix = ["runuser", "-u", "postgres", "--"]

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    try:
        run(
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        run(
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(root / "log"),
            "-w",
            "-t",
            "60",
            "-o",
            f"-c listen_addresses=127.0.0.1 -c port={port} -k {root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
            + "".join(f" -c {name}={value}" for name, value in (settings or {}).items()),
            "start",
        )
        base = f"postgresql://postgres@127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while (
            subprocess.run(
                [str(bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL
            ).returncode
            != 0
        ):
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not start: {(root / 'log').read_text(errors='replace')}")
            time.sleep(0.2)
        run(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", database)
        yield f"{base}/{database}"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        shutil.rmtree(root, ignore_errors=True)


def new_database(url: str) -> str:
    """A new, empty database on the server of ``url``; its URL (each test its own store)."""
    import uuid

    import psycopg

    name = "d" + uuid.uuid4().hex[:12]
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + "/" + name
