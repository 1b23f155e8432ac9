"""`untm serve` as a translator starts it: a real waitress server on a free loopback port,
asked over HTTP — the Host check, a busy port, a remote address, punctuation-only queries."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

UNTM = str(Path(sys.executable).with_name("untm"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str, host: str | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", quote(path, safe="/?=&"), headers={"Host": host or f"127.0.0.1:{port}"})
    response = conn.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


def _start(port: int, home: Path, *options: str) -> subprocess.Popen[str]:
    """`untm serve` on ``port`` with a termbase of its own under ``home`` (seeded with the
    bundled one), once it answers."""
    env = {k: v for k, v in os.environ.items() if k not in ("UNTM_TERMBASE", "UNTM_TM")}
    env["XDG_DATA_HOME"] = str(home)
    process = subprocess.Popen(
        [UNTM, "serve", "--port", str(port), *options, "--tm", str(home / "none.sqlite")],
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if _get(port, "/")[0] == 200:
                return process
        except OSError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, "untm serve did not start"
        time.sleep(0.3)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    port = _free_port()
    process = _start(port, tmp_path_factory.mktemp("serve"), "--verbose")
    yield port, process
    process.terminate()
    process.wait(timeout=30)


def test_the_page_answers_for_its_own_address_only(server: tuple[int, subprocess.Popen[str]]) -> None:
    port, _ = server
    status, body = _get(port, "/?q=南朝鲜")
    assert status == 200 and "大韩民国" in body
    assert _get(port, "/", host=f"localhost:{port}")[0] == 200
    status, body = _get(port, "/?q=南朝鲜", host="attacker.example")  # DNS rebinding
    assert status == 421 and "大韩民国" not in body


def test_punctuation_alone_is_not_searched(server: tuple[int, subprocess.Popen[str]]) -> None:
    port, _ = server
    status, body = _get(port, "/?q=((((((")
    assert status == 200 and "punctuation alone is not searched" in body


def test_a_busy_port_and_a_remote_address_are_one_clear_line(
    server: tuple[int, subprocess.Popen[str]],
) -> None:
    port, _ = server
    busy = subprocess.run([UNTM, "serve", "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert busy.returncode == 2
    assert busy.stderr.strip().startswith(f"untm: error: cannot listen on 127.0.0.1:{port}")
    assert "serving on" not in busy.stderr
    remote = subprocess.run(
        [UNTM, "serve", "--host", "0.0.0.0", "--port", str(_free_port())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert remote.returncode == 2 and "--allow-remote" in remote.stderr


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGKILL"])
def test_worker_processes_serve_and_end_with_the_server(tmp_path: Path, stop: str) -> None:
    """--workers 2: two processes answer on one port; when the server is stopped (or killed)
    its worker ends too, within seconds, and nothing keeps serving."""
    import signal

    import psutil

    port = _free_port()
    process = _start(port, tmp_path, "--workers", "2")
    workers = psutil.Process(process.pid).children()
    assert len(workers) == 1
    statuses = {_get(port, "/search?q=" + quote("南朝鲜"))[0] for _ in range(20)}
    assert statuses == {200}
    process.send_signal(getattr(signal, stop))
    process.wait(timeout=30)
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == []
    with pytest.raises(OSError):
        _get(port, "/")
