"""The page end to end in a real headless browser: Debian's chromium driven by Playwright.

The server runs in a thread on 127.0.0.1 on a free port. A missing chromium fails the test
(``.ci/run`` installs it); nothing here is skipped.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from werkzeug.serving import make_server

from tests.untm.test_cli_tm import unpc_tmx
from tmx.reader import read_tmx
from tmx.store import MemoryStore
from untm.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("browser")
    tm = tmp / "memory.sqlite"
    with MemoryStore(tm) as store:
        store.import_units(read_tmx(unpc_tmx(tmp / "unpc.tmx")))
    httpd = make_server("127.0.0.1", 0, create_app(tm, ":memory:"), threaded=False)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} missing: install Debian's chromium (.ci/run does)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=server, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    yield page
    context.close()


def test_typing_a_deprecated_name_shows_the_approved_term(page: Page) -> None:
    page.goto("/")
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type("南朝鲜")
    approved = page.locator(".card").first.locator(".approved .copy")
    expect(approved).to_have_text("大韩民国")
    expect(page.locator(".card").first.locator(".instead")).to_contain_text("use 大韩民国 instead")
    expect(page.locator(".card").first.locator(".matched .badge")).to_have_text("deprecated")
    assert "q=%E5%8D%97%E6%9C%9D%E9%B2%9C" in page.url  # the address bar follows the search
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_have_text("Copied 大韩民国")
    assert page.evaluate("navigator.clipboard.readText()") == "大韩民国"


def test_typing_a_russian_phrase_shows_the_chinese_beside_it(page: Page) -> None:
    page.goto("/")
    page.keyboard.type("правительство Республики Корея")
    row = page.locator(".concordance tr").first
    expect(row.locator("td.hit mark")).to_have_text("правительство Республики Корея")
    chinese = "大韩民国政府提名Seongmee Yoon填补柳先生辞职留下的空缺。"
    expect(row.locator('td[lang="zh"]')).to_contain_text(chinese)


def test_shared_link_works_without_javascript(browser: Browser, server: str) -> None:
    context = browser.new_context(base_url=server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/?q=南朝鲜")
    expect(page.locator(".card").first.locator(".approved .copy")).to_have_text("大韩民国")
    context.close()


def test_qa_pane_shows_findings_inline(page: Page) -> None:
    page.goto("/")
    page.locator("select[name=source_lang]").select_option("ru")
    page.locator("select[name=target_lang]").select_option("zh")
    page.locator("textarea[name=source]").fill("Республика Корея подписала 12 соглашений.")
    page.locator("textarea[name=target]").fill("南朝鲜签署了13项协定。")
    page.locator("textarea[name=target]").press("Control+Enter")
    findings = page.locator("#qa-results .finding")
    expect(findings.filter(has_text="deprecated-term")).to_have_count(1)
    expect(findings.filter(has_text="number-mismatch")).to_have_count(1)
    expect(page.locator("#qa-results .marked mark").first).to_have_text("南朝鲜")
    assert "/qa" not in page.url  # answered in place by fetch, the search box kept


def test_bad_input_stays_a_page(page: Page) -> None:
    page.goto("/")
    page.keyboard.type('"NEAR( OR *')
    expect(page.locator(".results .notice").first).to_contain_text("No term found")
    page.locator("textarea[name=target]").fill("大" * 30_000)  # the box caps the paste
    assert len(page.locator("textarea[name=target]").input_value()) == 20_000
    page.locator("#qa-form button[type=submit]").click()
    expect(page.locator("#qa-results")).not_to_be_empty()
    response = page.goto("/definitely-not-here")
    assert response is not None and response.status == 404
    expect(page.locator("#q")).to_be_visible()
