"""``techreg serve`` pages in a real headless Chromium (Debian's /usr/bin/chromium through
Playwright): search, an entity page, a path, a library form, the query editor running a
query, hostile labels; no request to another host and no console error on any page."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_serve import hostile_store, start_server

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve-browser")
    s = start_server(tmp, "--rate-limit", "0", store=hostile_store(tmp))
    yield s
    s.stop()


class Tab:
    """A browser tab on the server: requests to any other host are aborted and recorded."""

    def __init__(self, browser, base: str):
        self.base = base
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        def route(r):
            url = r.request.url
            self.requests.append(url)
            if url.startswith(base + "/") or url == base:
                r.continue_()
            else:
                self.foreign.append(url)
                r.abort()

        self.page.on("dialog", dialog)
        self.context.route("**/*", route)

    def goto(self, path: str):
        response = self.page.goto(self.base + path, wait_until="networkidle")
        assert response is not None and response.status == 200, path
        return response

    def check_clean(self):
        assert self.foreign == []
        assert self.errors == []
        assert self.dialogs == []

    def close(self):
        self.context.close()


@pytest.fixture
def tab(browser, server):
    t = Tab(browser, server.base)
    yield t
    try:
        t.check_clean()
    finally:
        t.close()


def test_search_from_the_home_page(tab):
    tab.goto("/")
    tab.page.fill(".big-search input[name=q]", "运满满")
    tab.page.click(".big-search button")
    tab.page.wait_for_selector("#hits")
    links = tab.page.locator("#hits a")
    assert links.count() >= 1
    assert any(href.startswith("/id/") for href in links.evaluate_all("els => els.map(e => e.getAttribute('href'))"))


def test_entity_page_shows_sources_incoming_links_and_a_view(tab):
    tab.goto("/id/full-truck-alliance")
    assert "Full Truck Alliance" in tab.page.inner_text("h1")
    assert tab.page.locator("#facts tbody tr").count() > 3
    assert tab.page.locator("#facts a.src").count() > 3  # every statement cites its sources
    assert tab.page.locator("#incoming tbody tr").count() >= 1
    assert tab.page.locator("#sources li").count() >= 1
    # follow a source citation to the source's page, which lists what it states
    href = tab.page.locator("#facts a.src").first.get_attribute("href")
    assert href.startswith("/source/")
    tab.goto(href)
    assert "statements" in tab.page.inner_text("h2")
    # the neighbourhood view: a framed page of this server, drawn by vis-network
    tab.goto("/id/full-truck-alliance")
    frame = tab.page.frame_locator("iframe.view")
    frame.locator("canvas").first.wait_for(timeout=30_000)


def test_a_path_page(tab):
    tab.goto("/path?from=Yunmanman&to=Data+Security+Law")
    first = tab.page.locator("#path-1")
    assert first.count() == 1
    assert "Cyberspace Administration of China" in first.inner_text()
    assert first.locator("table.hops tbody tr").count() >= 1
    assert first.locator(".cites a").count() >= 1


def test_a_library_form(tab):
    tab.goto("/queries/actions-by-regulator")
    tab.page.fill("#params input[name=regulator]", "SAMR")
    tab.page.click("#params button")
    tab.page.wait_for_selector("#result")
    assert tab.page.locator("#result tbody tr").count() >= 1
    permalink = tab.page.get_attribute("#permalink", "href")
    assert "regulator=SAMR" in permalink and "run=1" in permalink


def test_the_query_editor_runs_a_query(tab):
    tab.goto("/query")
    tab.page.wait_for_selector(".yasqe .CodeMirror")
    query = "SELECT ?law ?label WHERE { ?law a tr:Statute ; rdfs:label ?label FILTER(lang(?label) = 'en') } LIMIT 3"
    tab.page.evaluate("q => { window.techregYasgui.getTab().setQuery(q); }",
                      "PREFIX tr: <https://w3id.org/techreg/ontology#>\n"
                      "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + query)
    tab.page.click(".yasqe_queryButton")
    tab.page.wait_for_selector(".yasr table tbody tr", timeout=30_000)
    assert tab.page.locator(".yasr table tbody tr").count() == 3
    assert any(u.startswith(tab.base + "/sparql") for u in tab.requests)
    # the library's queries are offered as examples
    assert tab.page.locator("#examples option").count() > 30


def test_hostile_labels_are_text_in_the_browser(tab):
    tab.goto("/id/hostile")
    assert tab.page.inner_text("h1") == "<script>alert(1)</script>"
    assert "<img src=x onerror=alert(2)>" in tab.page.inner_text("#labels")
    assert tab.page.locator("main script, main img").count() == 0
    tab.goto("/search?q=script")
    assert "<script>alert(1)</script>" in tab.page.inner_text("#hits")
    tab.goto("/source/hostile-test")
    assert tab.page.locator("a[href^='javascript:']").count() == 0
