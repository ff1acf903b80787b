"""The report as a user sees it: headless Debian Chromium driven by Playwright.

The session fixture installs chromium with ``tests/browser_setup.sh`` (apt-get) when
/usr/bin/chromium is missing, and skips with the reason when that fails. Screenshots go to
``test-artifacts/`` (gitignored); one is copied to ``docs/screenshot.png`` for the README.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading
from pathlib import Path

import lxml.html
import pytest

from newstrace.present import write_report

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        try:
            done = subprocess.run(["sh", str(REPO / "tests" / "browser_setup.sh")], capture_output=True, text=True,
                                  timeout=900)
        except (OSError, subprocess.TimeoutExpired) as exc:
            pytest.skip(f"could not install chromium with tests/browser_setup.sh: {exc}")
        if done.returncode != 0 or not CHROMIUM.exists():
            pytest.skip(f"could not install chromium with tests/browser_setup.sh: {done.stderr.strip()[-500:]}")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (python) not installed")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield b
        b.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


def _http(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def site(report_sample_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("browser-site")
    write_report(report_sample_db, out, title="DHS leadership, 2022")
    server, url = _http(out)
    yield dict(dir=out, url=url)
    server.shutdown()
    server.server_close()


@pytest.fixture()
def page(browser):
    ARTIFACTS.mkdir(exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.set_default_timeout(10000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield pg
    ctx.close()
    assert errors == []


def test_browser_click_a_person_shows_their_quotes_and_sources(page, site):
    page.goto(site["url"] + "index.html")
    page.click(".people-list a:text-is('Chris Magnus')")
    page.wait_for_url(re.compile(r"people/person-chris-magnus\.html$"))
    assert page.inner_text("h1") == "Chris Magnus"
    assert page.inner_text(".roles-list .role") == "CBP Commissioner"
    group = page.locator("#said details.qgroup")
    assert group.count() == 1
    assert "no justification for me to resign" in group.locator("summary").inner_text()
    assert "2 articles" in group.locator("summary").inner_text()
    carriers = group.locator(".vhead a.art-ref")
    assert not carriers.first.is_visible()
    group.locator("summary").click()
    # issue #17: outlet and headline, never a file name
    assert carriers.locator(".outlet").all_inner_texts() == [
        "The New American — Biden’s CBP Chief Magnus Told to Resign or Be Fired",
        "CBP Commissioner Chris Magnus told to quit or be fired"]
    quotes = page.locator("#said .quote")
    assert quotes.count() == 2
    assert quotes.nth(0).locator(".art-ref .outlet").inner_text().startswith("The New American — ")
    page.screenshot(path=str(ARTIFACTS / "person.png"), full_page=True)
    # follow a source: the article opens at that quote, highlighted, with the speaker on hover
    carriers.first.click()
    page.wait_for_url(re.compile(r"articles/art004\.html#q-art004-q0$"))
    target = page.locator("#q-art004-q0")
    assert "I expressed to him" in target.inner_text()
    assert target.get_attribute("title") == "Chris Magnus (direct quote, told the newspaper)"


def test_browser_story_cast_links_to_people(page, site):
    page.goto(site["url"] + "stories/s-ice.html")
    cast = page.locator("#cast article.person h3")
    assert cast.all_inner_texts()[:2] == ["Alejandro Mayorkas", "Jon Feere"]
    page.click("#cast a.person-link:text-is('Jon Feere')")
    page.wait_for_url(re.compile(r"people/person-jon-feere\.html$"))
    assert "Biden’s DHS is allowing thousands of criminal aliens" in page.inner_text("#said")


def test_browser_open_a_quote_group_shows_the_diff(page, site):
    page.goto(site["url"] + "stories/s-ice.html#groups")
    group = page.locator("#g-g-1326")
    assert group.get_attribute("open") is None
    assert not group.locator("del.figure").is_visible()
    group.locator("summary").click()
    assert group.get_attribute("open") == ""
    removed, added = group.locator("del.figure"), group.locator("ins.figure")
    assert removed.first.is_visible() and added.first.is_visible()
    assert "1326" in " ".join(removed.all_inner_texts()) and "826" in " ".join(added.all_inner_texts())
    # the highlighting is really drawn: coloured backgrounds and an outline on the changed figure
    style = added.first.evaluate("e => { const s = getComputedStyle(e); return [s.backgroundColor, s.outlineStyle]; }")
    assert style[0] not in ("rgba(0, 0, 0, 0)", "transparent") and style[1] == "solid"
    group.screenshot(path=str(ARTIFACTS / "quote-group-diff.png"))

    # the README screenshot: the cast with the drifting quote opened in place
    page.goto(site["url"] + "stories/s-ice.html")
    cast_group = page.locator("#cast details[data-group='g-1326']")
    cast_group.locator("summary").click()
    page.locator("#cast").scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, document.querySelector('#cast').offsetTop - 70)")
    page.mouse.move(0, 0)
    shot = ARTIFACTS / "story.png"
    page.screenshot(path=str(shot))
    page.screenshot(path=str(ARTIFACTS / "story-full.png"), full_page=True)
    (REPO / "docs").mkdir(exist_ok=True)
    shutil.copyfile(shot, REPO / "docs" / "screenshot.png")


def test_browser_search_on_the_page(page, site):
    page.goto(site["url"] + "index.html")
    page.fill("#q", "1326")
    hits = page.locator("#results li")
    hits.first.wait_for()
    texts = hits.all_inner_texts()
    assert any(t.startswith("quote") and "Title 8 USC 1326" in t for t in texts)
    assert page.inner_text("#search-status") == f"{len(texts)} match{'es' if len(texts) != 1 else ''}"
    page.fill("#q", "magnus commissioner")
    texts = hits.all_inner_texts()
    assert any(t.startswith("person") and "Chris Magnus" in t for t in texts)
    page.screenshot(path=str(ARTIFACTS / "search.png"))
    page.click("#results a:text-is('Chris Magnus')")
    page.wait_for_url(re.compile(r"people/person-chris-magnus\.html$"))
    # the header search box on any page leads to the index with the query run
    page.fill("header input[name=q]", "Feere")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"index\.html\?q=Feere$"))
    assert "Jon Feere" in " ".join(page.locator("#results li").all_inner_texts())
    page.fill("#q", "zzzz no such words")
    assert page.inner_text("#search-status") == "no matches" and hits.count() == 0


def test_browser_hover_a_quote_shows_its_speaker(page, site):
    page.goto(site["url"] + "articles/art001.html")
    quote = page.locator("#q-art001-q0")
    assert page.evaluate("getComputedStyle(document.querySelector('#q-art001-q0'), '::after').content") == "none"
    quote.hover()
    tip = page.evaluate("getComputedStyle(document.querySelector('#q-art001-q0'), '::after').content")
    assert tip == '"Chris Magnus (direct quote, said)"'
    page.screenshot(path=str(ARTIFACTS / "article-hover.png"))


@pytest.mark.parametrize("path", ["index.html", "stories/s-ice.html", "articles/art003.html",
                                  "people/person-alejandro-mayorkas.html"])
def test_browser_narrow_screen_has_no_sideways_scroll(browser, site, path):
    ctx = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=1, is_mobile=True)
    pg = ctx.new_page()
    pg.goto(site["url"] + path)
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, (path, width)
    pg.screenshot(path=str(ARTIFACTS / f"narrow-{path.replace('/', '-').replace('.html', '')}.png"), full_page=True)
    ctx.close()


def test_browser_report_works_from_a_file_url(page, site):
    page.goto((site["dir"] / "index.html").as_uri())
    page.fill("#q", "noble mission")
    page.locator("#results li").first.wait_for()
    assert "noble mission" in page.inner_text("#results")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(251, 250, 247)"  # CSS loaded


# -- safety: nothing from the articles runs -------------------------------------------------------
@pytest.mark.parametrize("with_csp", [True, False], ids=["with-csp", "csp-stripped"])
def test_browser_hostile_report_runs_nothing(browser, report_hostile_db, tmp_path, with_csp):
    out = tmp_path / "hostile"
    write_report(report_hostile_db, out)
    server, url = _http(out)
    ctx = browser.new_context(viewport={"width": 1100, "height": 800})
    dialogs: list[str] = []
    csp_reports: list[str] = []
    try:
        if not with_csp:
            # Without the Content-Security-Policy meta tag only escaping stands between the payloads and the page.
            def strip(route):
                resp = route.fetch()
                body = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", resp.text())
                route.fulfill(response=resp, body=body)

            ctx.route(re.compile(r".*\.html(\?.*)?$"), strip)
        pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
        assert len(pages) == 5
        for rel in pages:
            pg = ctx.new_page()
            pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            pg.on("console", lambda m: csp_reports.append(m.text) if "Content Security Policy" in m.text else None)
            pg.set_viewport_size({"width": 375, "height": 740})
            pg.goto(url + rel)
            # long unbroken payloads wrap instead of pushing the page sideways
            assert pg.evaluate("document.documentElement.scrollWidth") <= 375, rel
            expected_title = lxml.html.fromstring((out / rel).read_bytes()).findtext(".//title")
            # poke everything a payload could hang on: hover, focus and click every element
            pg.evaluate("""() => {
                for (const el of document.querySelectorAll('body *')) {
                    for (const type of ['mouseover', 'mouseenter', 'focus', 'click', 'load', 'error']) {
                        el.dispatchEvent(new Event(type, {bubbles: false}));
                    }
                }
            }""")
            for hl in pg.locator(".hl").all()[:20]:
                hl.hover()
            pg.fill("#q", "pwned") if rel == "index.html" else None
            pg.wait_for_timeout(100)
            assert pg.evaluate("typeof window.__pwned") == "undefined", rel
            assert pg.evaluate("document.title") == expected_title, rel
            assert pg.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0, rel
            hrefs = pg.evaluate("[...document.querySelectorAll('[href]')].map(e => e.getAttribute('href'))")
            assert not [h for h in hrefs if re.match(r"\s*(javascript|data|vbscript):", h, re.I)], rel
            if rel == "index.html":
                shown = pg.inner_text("#results")
                assert "window.__pwned" in shown  # the payload is there, as text
            pg.close()
        assert dialogs == []
        assert csp_reports == []  # not even an attempt the policy had to block
    finally:
        ctx.close()
        server.shutdown()
        server.server_close()


@pytest.mark.model
def test_browser_end_to_end_on_the_sample_corpus(page, examples_dir, tmp_path):
    from newstrace.pipeline import analyze

    db = tmp_path / "sample.db"
    analyze([str(examples_dir)], str(db))
    out = tmp_path / "report"
    write_report(db, out)
    server, url = _http(out)
    try:
        page.goto(url + "index.html")
        page.locator(".story-card h3 a").first.click()
        page.wait_for_url(re.compile(r"stories/.+\.html$"))
        assert page.locator(".timeline li").count() >= 1
        people = page.locator("#cast a.person-link")
        if people.count():
            name = people.first.inner_text()
            people.first.click()
            assert page.inner_text("h1") == name
            page.go_back()
        groups = page.locator("details.qgroup summary")
        if groups.count():
            groups.first.click()
            assert page.locator("details.qgroup[open] .variants").first.is_visible()
        page.screenshot(path=str(ARTIFACTS / "sample-corpus-story.png"), full_page=True)
    finally:
        server.shutdown()
        server.server_close()
