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
    expect(page.locator("select[name=source_lang]")).to_be_hidden()  # collapsed until asked for
    page.locator("#qa > summary").click()
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
    page.locator("#qa > summary").click()
    page.locator("textarea[name=target]").fill("大" * 30_000)  # the box caps the paste
    assert len(page.locator("textarea[name=target]").input_value()) == 20_000
    page.locator("#qa-form button[type=submit]").click()
    expect(page.locator("#qa-results")).not_to_be_empty()
    response = page.goto("/definitely-not-here")
    assert response is not None and response.status == 404
    expect(page.locator("#q")).to_be_visible()


def test_the_rendering_is_marked_summed_up_and_filters_the_hits(page: Page, tmp_path: Path) -> None:
    """Translation spotting: "Security Council" is marked in each language of each hit, the
    summary counts its renderings (the Russian cases as one), and a click on a rendering keeps
    the hits that use it. Screenshots at 1280 and 800 px show the layout (looked at when written:
    the memory's three columns share the width; the QA pane is a closed bar under it)."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    page.keyboard.type("Security Council")
    rows = page.locator(".concordance:not(.matches) tr")
    expect(rows.first.locator("td.hit mark")).to_have_text("Security Council")
    expect(rows.first.locator('td[lang="zh"] mark')).to_have_text("安全理事会")
    expect(rows.first.locator('td[lang="ru"] mark')).to_contain_text("Безопасности")
    summary = page.locator(".renderings")
    zh = summary.locator('a.rendering[lang="zh"]').first
    expect(zh).to_contain_text("安全理事会")
    ru = summary.locator('a.rendering[lang="ru"]').first
    expect(ru).to_contain_text("all cases")
    total = rows.count()
    assert total >= 10
    page.screenshot(path=str(tmp_path / "spotting-1280.png"), full_page=True)
    # the zh summary may hold a second rendering (安理会, 理事会); filtering by the first keeps
    # exactly the hits whose Chinese is marked with it
    first_count = int(zh.locator(".count").inner_text().strip("()").split(",")[0])
    zh.click()
    expect(page.locator("a.rendering.selected")).to_have_count(1)
    expect(rows).to_have_count(min(first_count, 20))
    for text in rows.locator('td[lang="zh"] mark').all_inner_texts():
        assert text == "安全理事会"
    assert "r=zh" in page.url
    page.locator("a.rendering.all").click()
    expect(rows).to_have_count(total)
    page.set_viewport_size({"width": 800, "height": 900})
    page.screenshot(path=str(tmp_path / "spotting-800.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 800  # no sideways scrolling at a narrow width


def test_copy_buttons_on_hits_and_terms(page: Page) -> None:
    page.goto("/")
    page.keyboard.type("Security Council")
    cell = page.locator(".concordance tr").first.locator('td[lang="zh"]')
    expect(cell.locator("mark")).to_have_text("安全理事会")
    button = cell.locator("button.copy")
    button.focus()  # reachable from the keyboard: a button, not a click handler on text
    page.keyboard.press("Enter")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == button.get_attribute("data-copy") and copied.startswith("安全理事会")
    assert copied in cell.inner_text()  # the whole segment, its marks left out
    expect(page.locator("#status")).to_contain_text("Copied")


def test_a_pasted_sentence_is_scanned_for_terms(page: Page) -> None:
    page.goto("/")
    page.locator("#q").fill("南朝鲜和北韩的代表在联合国发言。")
    page.locator("#q").press("Space")  # typing triggers the search
    scanned = page.locator(".scanned")
    expect(scanned.locator("mark.term.deprecated")).to_have_count(2)
    expect(scanned.locator("mark.term.preferred")).to_have_text("联合国")
    south = page.locator(".scan-term.deprecated").first
    expect(south).to_contain_text("南朝鲜")
    expect(south.locator("button.instead")).to_have_text("大韩民国")


def test_fuzzy_matches_show_what_differs(page: Page) -> None:
    """A pasted segment close to one in the memory: the match's differences are marked."""
    from tests.conftest import shared_path
    from tests.untm.test_cli_tm import LINES

    english = shared_path("unpc-dev", "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines()[LINES]
    sentence = next(s for s in english if 60 < len(s) < 160 and " the " in s)
    changed = sentence.replace(" the ", " this ", 1)
    page.goto("/?q=" + changed)
    diff = page.locator(".matches td.diff").first
    expect(diff.locator("ins")).to_contain_text("the")
    expect(diff.locator("del")).to_contain_text("this")
