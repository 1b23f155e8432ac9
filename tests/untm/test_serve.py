"""`untm serve` as a translator starts it: a real waitress server on a free loopback port,
asked over HTTP — the Host check, a busy port, a remote address, punctuation-only queries."""

from __future__ import annotations

import contextlib
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


def _start(port: int, home: Path, *options: str, lane_workers: int | None = None) -> subprocess.Popen[str]:
    """`untm serve` on ``port`` with a termbase of its own under ``home`` (seeded with the
    bundled one), once it answers; ``lane_workers``: the processes of each spotting lane."""
    env = {k: v for k, v in os.environ.items() if k not in ("UNTM_TERMBASE", "UNTM_TM")}
    env["XDG_DATA_HOME"] = str(home)
    if lane_workers is not None:
        env["UNTM_WEB_LANE_WORKERS"] = str(lane_workers)
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
    """--workers 2: two processes answer on one port, each with its niced spotting lane; when
    the server is stopped (or killed) its worker and the lanes end too, within seconds, and
    nothing keeps serving."""
    import signal

    import psutil

    from untm.web.lane import lane_workers

    port = _free_port()
    process = _start(port, tmp_path, "--workers", "2")
    server = psutil.Process(process.pid)
    descendants = server.children(recursive=True)
    try:
        lanes = [p for p in descendants if p.nice() > server.nice()]
        # a worker; a lane for it and for the server
        assert len(lanes) == 2 * lane_workers() and len(descendants) == 1 + len(lanes)
        statuses = {
            _get(port, "/search?q=" + quote("南朝鲜") + spot)[0]
            for _ in range(10)
            for spot in ("", "&spot=1")
        }
        assert statuses == {200}
        process.send_signal(getattr(signal, stop))
        process.wait(timeout=30)
        _, alive = psutil.wait_procs(descendants, timeout=10)
        assert alive == []
    finally:  # a failed assertion must not leave a server behind
        for leftover in [server, *descendants]:
            with contextlib.suppress(psutil.NoSuchProcess):
                leftover.kill()
    with pytest.raises(OSError):
        _get(port, "/")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_renderings_from_the_lane_are_those_of_the_page_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, backend: str
) -> None:
    """The server spots renderings in its niced lane process (its own connections to the
    memory, SQLite or a team's PostgreSQL); what it answers is exactly what the same page
    computes in one process (Flask's test client, no lane)."""
    from tests import pgserver
    from tests.untm.test_cli_tm import unpc_tmx
    from tmx.reader import read_tmx
    from tmx.store import open_memory
    from untm.web import create_app

    if backend == "sqlite":
        tm = str(tmp_path / "memory.sqlite")
    else:
        tm = pgserver.new_database(request.getfixturevalue("postgres"))
    store = open_memory(tm)
    store.import_units(read_tmx(unpc_tmx(tmp_path / "unpc.tmx")))
    store.close()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("UNTM_TERMBASE", "UNTM_TM")}
    env["XDG_DATA_HOME"] = str(tmp_path / "home")
    process = subprocess.Popen(
        [UNTM, "serve", "--port", str(port), "--workers", "1", "--tm", str(tm)],
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(port, "/")[0] == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "untm serve did not start"
            time.sleep(0.3)
        lanes = [p for p in psutil_children(process.pid) if p.nice() > 0]
        before = sum(sum(lane.cpu_times()[:2]) for lane in lanes)
        monkeypatch.setenv("XDG_DATA_HOME", env["XDG_DATA_HOME"])  # the server's termbase
        monkeypatch.delenv("UNTM_TERMBASE", raising=False)
        client = create_app(tm).test_client()
        for query in ("Security Council", "устойчивого развития", "大韩民国", "Republic of Korea"):
            status, served = _get(port, f"/search?q={query}&spot=1")
            assert status == 200 and 'class="renderings"' in served
            asked = client.get("/search", query_string={"q": query, "spot": "1"})
            assert served == asked.get_data(as_text=True)
        assert "<mark>安全理事会</mark>" in _get(port, "/search?q=Security Council&spot=1")[1]
        # the lane spotted them: an idle lane's CPU time stays at 0.00; these four spottings cost it
        # 0.04-0.05 s on a quiet 2-core machine (a bound of 0.05 failed there once the spotting got faster)
        assert sum(sum(lane.cpu_times()[:2]) for lane in lanes) - before >= 0.02
        lanes[0].kill()  # a lane that dies (killed, out of memory): the server spots in its own threads
        lanes[0].wait(timeout=10)
        status, served = _get(port, "/search?q=General Assembly&spot=1")
        asked = client.get("/search", query_string={"q": "General Assembly", "spot": "1"})
        assert status == 200 and 'class="renderings"' in served
        assert served == asked.get_data(as_text=True)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_lane_of_several_processes_shares_out_the_renderings(tmp_path: Path) -> None:
    """UNTM_WEB_LANE_WORKERS=2: the server's lane is two niced processes; renderings asked at
    once are spotted by both (a long spotting does not hold up the next), and each answer is
    the one a lane of one process gives."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.untm.test_cli_tm import unpc_tmx
    from tmx.reader import read_tmx
    from tmx.store import open_memory

    home = tmp_path / "home"
    home.mkdir()
    store = open_memory(home / "none.sqlite")  # (the memory _start serves)
    store.import_units(read_tmx(unpc_tmx(tmp_path / "unpc.tmx")))
    store.close()
    queries = ["Security Council", "устойчивого развития", "大韩民国", "General Assembly", "human rights"]
    answers: dict[int, list[str]] = {}
    for workers in (2, 1):
        port = _free_port()
        process = _start(port, home, "--workers", "1", lane_workers=workers)
        try:
            lanes = [p for p in psutil_children(process.pid) if p.nice() > 0]
            assert len(lanes) == workers
            before = [sum(lane.cpu_times()[:2]) for lane in lanes]
            with ThreadPoolExecutor(len(queries)) as pool:
                got = list(pool.map(lambda q: _get(port, f"/search?q={q}&spot=1"), queries))  # noqa: B023
            assert all(status == 200 and 'class="renderings"' in body for status, body in got)
            answers[workers] = [body for _, body in got]
            if workers == 2:
                spent = [sum(lane.cpu_times()[:2]) - b for lane, b in zip(lanes, before, strict=True)]
                # each lane ran at least one clock tick (psutil counts in 1/100 s; an idle lane
                # blocked on its queue spends none): more than half a tick, since 0.03 - 0.02 is
                # 0.00999... in floating point (the old "> 0.01" failed under load on a lane
                # that had spent exactly one tick)
                assert all(cpu > 0.005 for cpu in spent), spent
        finally:
            process.terminate()
            process.wait(timeout=30)
    assert answers[2] == answers[1]


def test_lane_workers_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from untm.web.lane import LANE_WORKERS, lane_workers

    monkeypatch.setenv("UNTM_WEB_LANE_WORKERS", "3")
    assert lane_workers() == 3
    monkeypatch.setenv("UNTM_WEB_LANE_WORKERS", "0")
    assert lane_workers() == 1
    monkeypatch.setenv("UNTM_WEB_LANE_WORKERS", "many")
    assert lane_workers() == LANE_WORKERS
    monkeypatch.delenv("UNTM_WEB_LANE_WORKERS")
    assert lane_workers() == LANE_WORKERS


def psutil_children(pid: int) -> list:  # type: ignore[type-arg]
    import psutil

    return psutil.Process(pid).children(recursive=True)
