"""Who may change the termbase through the page, and that only the page can make the change.

The one request that changes data is ``POST /term`` (add a term, docs/web.md); ``POST /qa``
only reads but is a POST, so it needs the CSRF token too. Every refusal is checked against
the termbase file itself, through a connection of its own: nothing may have changed.
Through Flask's test client, then ``untm serve`` through click's CliRunner (what it refuses
before it listens) and as a real server over HTTP.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from werkzeug.test import Client

from termbase.store import Termbase
from untm.cli import main
from untm.web import create_app
from untm.web.auth import TOKEN_ENV, Access, basic_auth_user, same_origin

SECRET = "correct-horse-battery-staple-42"
NEW = {"concept": "country-KOR", "lang": "zh", "text": "韩国政府X", "status": "admitted"}
UNTM = str(Path(sys.executable).with_name("untm"))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled UN termbase in a file, built once; each test copies it."""
    path = tmp_path_factory.mktemp("auth") / "seeded.sqlite"
    Termbase.open(path).close()
    return path


@pytest.fixture
def termbase(seeded: Path, tmp_path: Path) -> Path:
    path = tmp_path / "termbase.sqlite"
    path.write_bytes(seeded.read_bytes())
    return path


def app_client(termbase: Path, access: Access | None = None) -> FlaskClient:
    return create_app(termbase.parent / "no-memory.sqlite", termbase, access).test_client()


def basic(password: str, user: str = "terminologist") -> dict[str, str]:
    encoded = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


def page_token(client: FlaskClient, path: str = "/") -> str:
    html = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def korea_zh(termbase: Path) -> tuple[list[str], int]:
    """The Chinese terms of country-KOR and the termbase's revision, read by a connection of
    its own (what another translator's server would see)."""
    with Termbase.open(termbase) as base:
        concept = base.get("country-KOR")
        assert concept is not None
        return [t.text for t in concept.terms_in("zh")], base.revision


def test_look_ups_and_qa_need_no_password(termbase: Path) -> None:
    client = app_client(termbase, Access(secret=SECRET.encode()))
    page = client.get("/?q=南朝鲜")
    assert page.status_code == 200 and 'data-approved="大韩民国"' in page.get_data(as_text=True)
    assert "asks for the team's password" in page.get_data(as_text=True)
    assert client.get("/search", query_string={"q": "大韩民国"}).status_code == 200
    qa = client.post(
        "/qa",
        data={"source_lang": "ru", "target_lang": "zh", "source": "", "target": "南朝鲜代表发言。"}
        | {"csrf_token": page_token(client)},
    )
    assert qa.status_code == 200 and "deprecated-term" in qa.get_data(as_text=True)


def test_a_change_without_the_password_is_401_and_changes_nothing(termbase: Path) -> None:
    before = korea_zh(termbase)
    client = app_client(termbase, Access(secret=SECRET.encode()))
    token = page_token(client)
    for headers in ({}, basic("wrong-password-wrong-password"), {"Authorization": "Basic !!!"}):
        refused = client.post("/term", data=NEW | {"csrf_token": token}, headers=headers)
        assert refused.status_code == 401
        assert refused.headers["WWW-Authenticate"].startswith('Basic realm="untm"')
        assert "needs the team&#39;s password" in refused.get_data(as_text=True)
    assert korea_zh(termbase) == before and NEW["text"] not in before[0]


def test_a_wrong_or_missing_csrf_token_is_403_and_changes_nothing(termbase: Path) -> None:
    before = korea_zh(termbase)
    client = app_client(termbase, Access(secret=SECRET.encode()))
    token = page_token(client)
    other = page_token(app_client(termbase, Access(secret=b"another-servers-secret-123")))
    for data in (NEW, NEW | {"csrf_token": "0" * 64}, NEW | {"csrf_token": other}):
        refused = client.post("/term", data=data, headers=basic(SECRET))
        assert refused.status_code == 403 and "CSRF token" in refused.get_data(as_text=True)
    stranger = app_client(termbase, Access(secret=SECRET.encode()))  # the token, not its cookie
    assert stranger.post("/term", data=NEW | {"csrf_token": token}, headers=basic(SECRET)).status_code == 403
    for header in ({"Origin": "http://attacker.example"}, {"Origin": "null"}):
        refused = client.post("/term", data=NEW | {"csrf_token": token}, headers=basic(SECRET) | header)
        assert refused.status_code == 403 and "another site" in refused.get_data(as_text=True)
    referer = {"Referer": "http://attacker.example/page"}
    assert (
        client.post("/term", data=NEW | {"csrf_token": token}, headers=basic(SECRET) | referer).status_code
        == 403
    )
    assert korea_zh(termbase) == before
    qa = client.post("/qa", data={"target": "南朝鲜代表发言。"})  # reading, but a POST: the token too
    assert qa.status_code == 403


def test_the_password_and_the_token_add_the_term(termbase: Path) -> None:
    client = app_client(termbase, Access(secret=SECRET.encode()))
    token = page_token(client, "/?q=大韩民国")
    added = client.post(
        "/term",
        data=NEW | {"csrf_token": token},
        headers=basic(SECRET) | {"Origin": "http://localhost"},
    )
    assert added.status_code == 303 and added.headers["Location"].startswith("/?q=")
    terms, revision = korea_zh(termbase)
    assert NEW["text"] in terms
    page = client.get(added.headers["Location"]).get_data(as_text=True)
    assert f'<span class="term admitted">{NEW["text"]}</span>' in page  # the next look-up sees it
    again = client.post("/term", data=NEW | {"csrf_token": token}, headers=basic(SECRET))
    assert again.status_code == 400 and "already in concept" in again.get_data(as_text=True)
    assert korea_zh(termbase) == (terms, revision)


def test_a_network_server_without_auth_is_read_only(termbase: Path) -> None:
    before = korea_zh(termbase)
    client = app_client(termbase, Access(writes=False))
    html = client.get("/?q=南朝鲜").get_data(as_text=True)
    assert 'id="term-form"' not in html and 'data-approved="大韩民国"' in html
    refused = client.post("/term", data=NEW | {"csrf_token": page_token(client)}, headers=basic(SECRET))
    assert refused.status_code == 403 and "read-only" in refused.get_data(as_text=True)
    assert korea_zh(termbase) == before


def test_on_loopback_without_auth_the_token_is_still_needed(termbase: Path) -> None:
    """One translator's own server: no password, but another web page open in the same
    browser must not be able to post to 127.0.0.1."""
    before = korea_zh(termbase)
    client = app_client(termbase)
    assert client.post("/term", data=NEW).status_code == 403
    assert korea_zh(termbase) == before
    assert client.post("/term", data=NEW | {"csrf_token": page_token(client)}).status_code == 303
    assert NEW["text"] in korea_zh(termbase)[0]


def test_bad_terms_are_refused_with_the_form_kept(termbase: Path) -> None:
    before = korea_zh(termbase)
    client = app_client(termbase)
    token = page_token(client)
    for change, message in (
        ({"concept": "two words"}, "one word"),
        ({"text": "  "}, "Type the term"),
        ({"lang": "xx-Nope"}, "xx-Nope"),
        ({"status": "approved"}, "Unknown status"),
    ):
        refused = client.post("/term", data=NEW | change | {"csrf_token": token})
        html = refused.get_data(as_text=True)
        assert refused.status_code == 400 and message in html, html[:2000]
        assert '<details id="add-term" aria-label="Add a term" open>' in html
    assert korea_zh(termbase) == before


def test_basic_auth_and_origin_rules() -> None:
    secret = SECRET.encode()
    assert basic_auth_user(basic(SECRET, "李")["Authorization"], secret) == "李"
    assert basic_auth_user(basic(SECRET, "")["Authorization"], secret) == "-"
    assert basic_auth_user(f"Bearer {SECRET}", secret) is None
    assert basic_auth_user("Basic " + base64.b64encode(b"no-colon").decode(), secret) is None
    assert same_origin("http://10.0.0.5:8080", None, "10.0.0.5:8080")
    assert same_origin("https://untm.example", None, "untm.example")  # behind a TLS proxy
    assert not same_origin("http://10.0.0.5:9090", None, "10.0.0.5:8080")
    assert same_origin(None, "http://10.0.0.5:8080/?q=x", "10.0.0.5:8080")
    assert same_origin(None, None, "10.0.0.5:8080")  # curl: the token decides


# -- untm serve -----------------------------------------------------------------------------------


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The WSGI application `untm serve` would run (waitress is not started; the real server
    over HTTP is test_a_real_server_with_auth)."""
    import waitress

    apps: list[object] = []
    monkeypatch.setattr(waitress, "serve", lambda app, **_: apps.append(app))
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    return apps


def test_serve_refuses_a_network_address_without_allow_remote(served: list[object]) -> None:
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "0", "--auth"])
    assert result.exit_code == 2 and "--allow-remote" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not served


def test_serve_without_auth_warns_and_is_read_only(served: list[object], termbase: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            *("serve", "--host", "0.0.0.0", "--port", "0", "--allow-remote", "--workers", "1"),
            *("--termbase", str(termbase), "--tm", str(termbase.parent / "none.sqlite")),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "warning: listening on 0.0.0.0: there is no authentication (--auth)" in result.stderr
    assert "changes are refused" in result.stderr


@pytest.mark.parametrize("value", [None, "", "short"])
def test_serve_auth_without_a_secret_does_not_start(
    served: list[object], monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is not None:
        monkeypatch.setenv(TOKEN_ENV, value)
    result = CliRunner().invoke(main, ["serve", "--port", "0", "--auth"])
    assert result.exit_code == 2 and not served
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("untm: error:") and TOKEN_ENV in lines[0]
    assert "Traceback" not in result.output and "serving on" not in result.stderr


def test_serve_reads_the_secret_from_the_environment(
    served: list[object], monkeypatch: pytest.MonkeyPatch, termbase: Path
) -> None:
    monkeypatch.setenv(TOKEN_ENV, SECRET)
    result = CliRunner().invoke(
        main,
        [
            *("serve", "--host", "0.0.0.0", "--port", "0", "--allow-remote", "--auth", "--workers", "1"),
            *("--allowed-host", "untm.example", "--termbase", str(termbase), "--tm", str(termbase / "none")),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "changes need the password in $UNTM_WEB_TOKEN" in result.stderr
    assert SECRET not in result.output + result.stderr
    client = Client(served[0])  # type: ignore[arg-type]
    base = "http://untm.example/"
    page = client.get("/", base_url=base)
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.get_data(as_text=True))
    assert token
    data = NEW | {"csrf_token": token.group(1)}
    assert client.post("/term", data=data, base_url=base).status_code == 401
    assert client.post("/term", data=data, base_url=base, headers=basic(SECRET)).status_code == 303
    assert NEW["text"] in korea_zh(termbase)[0]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def real_server(termbase: Path) -> Iterator[int]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("UNTM_TERMBASE", "UNTM_TM")}
    env[TOKEN_ENV] = SECRET
    process = subprocess.Popen(
        [
            *(UNTM, "serve", "--port", str(port), "--auth", "--workers", "2"),
            *("--termbase", str(termbase), "--tm", str(termbase.parent / "none.sqlite")),
        ],
        stderr=subprocess.DEVNULL,
        env=env,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=5).request("HEAD", "/")
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, "untm serve did not start"
            time.sleep(0.3)
    try:
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_real_server_with_auth(real_server: int, termbase: Path) -> None:
    """`untm serve --auth --workers 2` over HTTP: the cookie and token of one worker's page are
    good on the other worker (the key is made before they fork)."""
    port = real_server
    host = {"Host": f"127.0.0.1:{port}"}

    def request(
        method: str, path: str, body: str = "", headers: dict[str, str] | None = None
    ) -> tuple[int, str, http.client.HTTPResponse]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(method, path, body=body.encode(), headers=host | (headers or {}))
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace"), response

    status, html, response = request("GET", "/")
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    assert status == 200 and cookie.startswith(f"untm_csrf_{port}=")
    assert "SameSite=Strict" in response.getheader("Set-Cookie", "")
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert token
    form = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    body = urlencode(NEW | {"csrf_token": token.group(1)})
    before = korea_zh(termbase)
    for _ in range(4):  # whichever worker answers
        assert request("POST", "/term", body, form)[0] == 401
        assert request("POST", "/term", body, form | basic("wrong-password-wrong-password"))[0] == 401
        assert (
            request("POST", "/term", body.replace("csrf_token=", "csrf_token=0"), form | basic(SECRET))[0]
            == 403
        )
    assert korea_zh(termbase) == before
    status, _, response = request("POST", "/term", body, form | basic(SECRET))
    assert status == 303 and NEW["text"] in korea_zh(termbase)[0]
    status, html, _ = request("GET", response.getheader("Location", ""))
    assert status == 200 and NEW["text"] in html
