"""The web page through Flask's test client: server-rendered search, QA pane, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.untm.test_cli_tm import unpc_tmx
from tmx.reader import read_tmx
from tmx.store import MemoryStore
from untm.web import create_app
from untm.web.views import MAX_QA_CHARS


@pytest.fixture(scope="module")
def memory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("web")
    tm = tmp / "memory.sqlite"
    with MemoryStore(tm) as store:
        store.import_units(read_tmx(unpc_tmx(tmp / "unpc.tmx")))
    return tm


@pytest.fixture(scope="module")
def client(memory: Path) -> FlaskClient:
    return create_app(memory, ":memory:").test_client()


def csrf(client: FlaskClient) -> str:
    """The CSRF token a page gives its forms (every POST needs it: tests/untm/test_web_auth.py)."""
    html = client.get("/").get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def text_of(html: str, css_class: str) -> list[str]:
    return re.findall(rf'class="{css_class}"[^>]*>([^<]*)<', html)


def test_query_in_the_url_is_rendered_on_the_server(client: FlaskClient) -> None:
    response = client.get("/?q=南朝鲜")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert text_of(html, "copy")[0] == "大韩民国"  # the approved term of the first card
    assert 'data-approved="大韩民国"' in html
    assert 'class="badge deprecated">deprecated' in html
    assert 'use <strong lang="zh">大韩民国</strong> instead' in html
    assert "Республика Корея" in html and "Republic of Korea" in html  # all languages beside


def test_concordance_hits_are_marked_with_other_languages(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "Республики Корея"}).get_data(as_text=True)
    assert "<mark>Республики Корея</mark>" in html
    assert "大韩民国政府提名Seongmee Yoon填补柳先生辞职留下的空缺。" in html


def test_copy_language_follows_to(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "南朝鲜", "to": "ru"}).get_data(as_text=True)
    assert 'data-approved="Республика Корея"' in html


def test_fragment_for_search_as_you_type(client: FlaskClient) -> None:
    html = client.get("/search", query_string={"q": "大韩民国"}).get_data(as_text=True)
    assert html.lstrip().startswith('<div class="results"') and "<html" not in html
    assert "<mark>大韩民国</mark>" in html


def test_qa_pane_reports_findings_inline(client: FlaskClient) -> None:
    response = client.post(
        "/qa",
        data={
            "source_lang": "ru",
            "target_lang": "zh",
            "source": "Республика Корея подписала 12 соглашений.",
            "target": "南朝鲜签署了13项协定。",
            "csrf_token": csrf(client),
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "deprecated-term" in html and "number-mismatch" in html
    assert "<mark>南朝鲜</mark>" in html and "<mark>13</mark>" in html
    single = client.post(
        "/qa",
        data={
            "source_lang": "ru",
            "target_lang": "zh",
            "source": "",
            "target": "南朝鲜代表发言。",
            "csrf_token": csrf(client),
        },
        headers={"X-Untm-Partial": "1"},
    )
    fragment = single.get_data(as_text=True)
    assert "<html" not in fragment and "deprecated-term" in fragment


def test_bad_input_gives_a_page_not_a_server_error(client: FlaskClient) -> None:
    empty = client.get("/?q=%20%00%20")
    assert empty.status_code == 200 and "Type a term" in empty.get_data(as_text=True)
    long = client.get("/", query_string={"q": "大" * 3000})
    assert long.status_code == 200 and "3,000 characters long" in long.get_data(as_text=True)
    syntax = client.get("/", query_string={"q": '"NEAR( OR *'})
    assert syntax.status_code == 200
    huge = client.post("/qa", data={"source": "x" * (20 * MAX_QA_CHARS)})
    assert huge.status_code == 413 and "too large" in huge.get_data(as_text=True)
    over = client.post(
        "/qa",
        data={
            "source_lang": "ru",
            "target_lang": "zh",
            "source": "д" * (MAX_QA_CHARS + 1),
            "target": "x",
            "csrf_token": csrf(client),
        },
    )
    assert over.status_code == 200 and "check at most" in over.get_data(as_text=True)
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and 'id="q"' in missing.get_data(as_text=True)


def test_missing_memory_is_a_notice(tmp_path: Path) -> None:
    client = create_app(tmp_path / "absent.sqlite", ":memory:").test_client()
    html = client.get("/?q=大韩民国").get_data(as_text=True)
    assert "Translation memory unavailable" in html and "untm tm import" in html
    assert 'data-approved="大韩民国"' in html  # the termbase still answers
    html = (
        create_app(tmp_path / "absent.sqlite", tmp_path / "absent-tb.sqlite")
        .test_client()
        .get("/?q=x")
        .get_data(as_text=True)
    )
    assert "Termbase unavailable" in html


def test_page_is_self_contained(client: FlaskClient) -> None:
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert not re.search(r'(src|href)="(https?:)?//', html)  # no CDN, works offline
    assert client.get("/static/untm.css").status_code == 200
    assert client.get("/static/untm.js").status_code == 200
    assert "autofocus" in html


def test_serve_binds_to_loopback_by_default(monkeypatch: pytest.MonkeyPatch, memory: Path) -> None:
    """The arguments `untm serve` gives its WSGI server (waitress; tests/untm/test_serve.py runs
    the real one over HTTP)."""
    import waitress
    from click.testing import CliRunner

    from untm.cli import main

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(
        waitress,
        "serve",
        lambda app, **kw: calls.append({**kw, "address": kw["sockets"][0].getsockname()[0]}),
    )
    result = CliRunner().invoke(
        main, ["serve", "--tm", str(memory), "--termbase", ":memory:", "--port", "0", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert calls[0]["address"] == "127.0.0.1" and calls[0]["threads"] == 8
    refused = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "0"])
    assert refused.exit_code == 2 and "--allow-remote" in refused.output and len(calls) == 1
    result = CliRunner().invoke(
        main, ["serve", "--host", "0.0.0.0", "--port", "0", "--allow-remote", "--workers", "1"]
    )
    assert "no authentication" in result.stderr
    assert calls[1]["address"] == "0.0.0.0"


def test_a_pasted_segment_gets_fuzzy_matches(client: FlaskClient, memory: Path) -> None:
    with MemoryStore(memory, readonly=True) as store:
        unit = store.search("Сон Ми Юн была", "ru")[0].unit  # line 1028 of unpc-dev
    ru, zh = unit.text("ru"), unit.text("zh")
    assert ru is not None and zh is not None
    html = client.get("/", query_string={"q": ru.replace("2004", "2005"), "to": "zh"}).get_data(as_text=True)
    table = html[html.index('class="concordance matches"') :]
    assert re.search(r'class="score">9\d%</span><span class="lang">ru</span>', table)
    assert zh in table.split("</table>")[0]


def test_hits_come_first_and_their_renderings_with_spot(client: FlaskClient) -> None:
    """As you type, /search answers with the hits and says their renderings are pending; the
    page then asks again with spot=1 and gets the marks and the summary. A deep link (/?q=)
    and a rendering filter (?r=) are spotted at once, with JavaScript off too."""
    quick = client.get("/search", query_string={"q": "Security Council"}).get_data(as_text=True)
    assert 'data-spotting="pending"' in quick and 'class="renderings"' not in quick
    assert '<td lang="zh" data-rendering' not in quick
    spotted = client.get("/search", query_string={"q": "Security Council", "spot": "1"}).get_data(
        as_text=True
    )
    assert "data-spotting" not in spotted and 'class="renderings"' in spotted
    assert "<mark>安全理事会</mark>" in spotted and 'data-rendering="zh:安全 理事 会"' in spotted
    page = client.get("/", query_string={"q": "Security Council"}).get_data(as_text=True)
    assert "<mark>安全理事会</mark>" in page
    only = client.get("/", query_string={"q": "Security Council", "r": "zh:安全 理事 会"}).get_data(
        as_text=True
    )
    assert 'aria-current="true"' in only and only.count("<tr data-tu") <= spotted.count("<tr data-tu")
