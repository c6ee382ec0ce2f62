"""HTML views: built by the library, driven through the CLI and opened in a real headless
Chromium (Debian's /usr/bin/chromium through Playwright, every network request blocked)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import require_system

from graph.errors import BadInput, UnknownName
from graph.views.build import render_html, view

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(1)</script>"

HOSTILE_TRIG = f"""
@prefix tr: <https://w3id.org/techreg/ontology#> .
@prefix id: <https://w3id.org/techreg/id/> .
@prefix src: <https://w3id.org/techreg/source/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

src:hostile {{
  src:hostile a tr:Source ; dcterms:title {json.dumps(SCRIPT + " title")} ;
      dcterms:publisher {json.dumps(IMG)} ; dcterms:issued "2021-07-02"^^xsd:date ;
      schema:url "https://example.org/a?b=<c>&d='e'"^^xsd:anyURI .
  id:evil-regulator a tr:Regulator ; rdfs:label {json.dumps(IMG)}@en , "恶意<b>监管</b>"@zh .
  id:evil-company a tr:Company ; rdfs:label {json.dumps(SCRIPT)}@en ;
      skos:altLabel "\\u2028line\\u2029sep & <amp>" .
  id:evil-law a tr:Statute ; rdfs:label "Law \\"quoted\\" & 'single' </style>"@en ;
      tr:dateAdopted "2021-06-10"^^xsd:date .
  id:evil-action a tr:Penalty ; rdfs:label "Fine <svg onload=alert(1)>"@en ;
      tr:issuedBy id:evil-regulator ; tr:target id:evil-company ; tr:legalBasis id:evil-law ;
      tr:announced "2021-07-02"^^xsd:date ; tr:amount "1000000"^^xsd:decimal ; tr:currency "CNY" .
}}
"""


# -- fixtures -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kb():
    """The bundled knowledge base in memory (read only)."""
    from graph.stores import open_store

    return open_store("memory")


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    """A small store whose labels, titles and aliases try to break out of the page."""
    from graph import resources
    from graph.model.entail import materialise
    from graph.model.iris import ONTOLOGY_IRI
    from graph.stores.local import LocalStore as Store
    from graph.stores.rdfio import parse_files

    path = tmp_path_factory.mktemp("hostile") / "hostile.trig"
    path.write_text(HOSTILE_TRIG, encoding="utf-8")
    store = Store(None)
    quads = parse_files([resources.ontology_file()], default_graph=ONTOLOGY_IRI)
    quads += parse_files([path])
    store.add(quads)
    materialise(store)
    return store


@pytest.fixture(scope="module")
def browser():
    require_system(CHROMIUM, "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class Page:
    """A view opened from disk with every request but the file itself aborted."""

    def __init__(self, browser, path: Path):
        self.url = path.resolve().as_uri()
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", dialog)
        self.context.route("**/*", lambda route: route.continue_() if route.request.url == self.url
                           else route.abort())
        self.page.goto(self.url)
        # wait_for_function would eval a string, which the page's CSP rightly forbids
        self.page.wait_for_selector("body[data-settled=true]", state="attached", timeout=60_000)

    def counts(self):
        return self.page.evaluate("""() => { const t = window.techreg, b = t.network.body;
            return [t.nodes.length, t.edges.length, b.nodeIndices.length, b.edgeIndices.length]; }""")

    def close(self):
        self.context.close()


def check_page(browser, path: Path, net, shot: Path) -> Page:
    """The common checks for every kind of view; returns the open page."""
    page = Page(browser, path)
    n, m = len(net.nodes), len(net.edges)
    graph = net.techreg_view.graph
    assert (n, m) == (graph.number_of_nodes(), graph.number_of_edges())
    assert page.counts() == [n, m, n, m]
    assert page.requests == [page.url], f"requests other than the file: {page.requests}"
    assert page.errors == []
    assert page.dialogs == []
    page.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    return page


# -- the page itself ------------------------------------------------------------------


def _tags(page: str) -> list[str]:
    """The start tags of a page as an HTML parser sees them (script bodies are not markup)."""
    from html.parser import HTMLParser

    tags: list[str] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append(tag)

    Collect().feed(page)
    return tags


def test_page_is_self_contained_and_locked_down(kb, tmp_path):
    out = tmp_path / "cac.html"
    view(kb, entities=["id:cac"], depth=1, output=out)
    page = out.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "<link" not in page
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src &#x27;none&#x27;" in csp or "default-src 'none'" in csp
    for directive in ("connect-src 'none'", "img-src data:", "style-src 'unsafe-inline'", "base-uri 'none'"):
        assert directive in csp.replace("&#x27;", "'")
    assert "unsafe-eval" not in csp and "script-src 'unsafe-inline'" not in csp
    assert _tags(page).count("script") == 3  # data (not executable), vis-network, the app


def test_hostile_strings_are_escaped_in_the_file(hostile_store, tmp_path):
    out = tmp_path / "hostile.html"
    view(hostile_store, all=True, output=out)
    page = out.read_text(encoding="utf-8")
    assert IMG not in page and SCRIPT not in page and "<svg onload" not in page
    assert "img" not in _tags(page) and "svg" not in _tags(page) and _tags(page).count("script") == 3
    assert "\u2028" not in page and "\u2029" not in page
    data = re.search(r'<script type="application/json" id="techreg-data">(.*?)</script>', page, re.S).group(1)
    labels = {n["fullLabel"] for n in json.loads(data)["nodes"]}
    assert IMG in labels and SCRIPT in labels


# -- in the browser -------------------------------------------------------------------


def test_entity_view_in_browser(browser, kb, tmp_path):
    out = tmp_path / "didi.html"
    net = view(kb, entities=["id:didi-global"], depth=2, output=out)
    labels = {n["fullLabel"] for n in net.nodes}
    groups = {n["group"] for n in net.nodes}
    assert {"Company", "Regulator", "Regulatory action", "Law"} <= groups
    assert any(label.startswith("New York Stock Exchange") for label in labels)
    assert "Cyberspace Administration of China" in labels
    page = check_page(browser, out, net, tmp_path / "didi.png")
    legend = page.page.locator("#legend-items").inner_text()
    assert "Regulator" in legend and "Regulatory action" in legend and "Listing" in legend
    # the search box focuses a node and shows its details as text
    page.page.fill("#search", "cyberspace administration")
    page.page.click("#search-form button[type=submit]")
    page.page.wait_for_selector("#details:not([hidden])")
    assert "Cyberspace Administration of China" in page.page.inner_text("#details-body")
    assert "source:" in page.page.inner_text("#details-body")
    selected = page.page.evaluate("() => window.techreg.network.getSelectedNodes()")
    assert len(selected) == 1
    page.close()


def test_path_view_in_browser(browser, kb, tmp_path):
    out = tmp_path / "path.html"
    net = view(kb, path=("Yunmanman", "Data Security Law"), k=2, output=out)
    vg = net.techreg_view
    assert vg.highlight_edges and vg.highlight_nodes <= set(vg.graph.nodes)
    assert sum(1 for e in net.edges if e.get("width", 1) > 2) == len(vg.highlight_edges)
    check_page(browser, out, net, tmp_path / "path.png").close()


def test_query_view_in_browser(browser, kb, tmp_path):
    rq = tmp_path / "cac-actions.rq"
    rq.write_text("""CONSTRUCT { ?a tr:issuedBy ?r ; tr:target ?t ; a ?c }
                     WHERE { ?a tr:issuedBy ?r ; tr:target ?t ; a ?c . FILTER(?r = id:cac) }""")
    out = tmp_path / "query.html"
    net = view(kb, query=str(rq), output=out)
    assert len(net.nodes) > 3 and all(e["label"] in ("issued", "target") for e in net.edges)
    check_page(browser, out, net, tmp_path / "query.png").close()
    # a SELECT with ?s ?p ?o gives the same kind of view
    select = view(kb, query="SELECT ?s ?p ?o WHERE { ?s tr:exchange ?o BIND(tr:exchange AS ?p) }")
    assert len(select.edges) > 0


def test_all_view_in_browser(browser, kb, tmp_path):
    from graph.network.projection import project

    out = tmp_path / "all.html"
    net = view(kb, all=True, output=out, cluster=False)  # every node drawn, none folded
    g = project(kb).graph
    assert (len(net.nodes), len(net.edges)) == (g.number_of_nodes(), g.number_of_edges())
    check_page(browser, out, net, tmp_path / "all.png").close()


def test_hostile_labels_stay_text_in_browser(browser, hostile_store, tmp_path):
    out = tmp_path / "hostile.html"
    net = view(hostile_store, entities=["id:evil-company"], depth=2, output=out)
    assert len(net.nodes) == 4
    page = check_page(browser, out, net, tmp_path / "hostile.png")
    p = page.page
    assert p.title() == f"Around {SCRIPT} (depth 2)"
    assert p.inner_text("#title") == f"Around {SCRIPT} (depth 2)"
    assert p.evaluate("() => document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
    assert p.evaluate("() => document.scripts.length") == 3
    # vis-network holds the labels as they are (it draws them on a canvas as text)
    shown = p.evaluate("() => window.techreg.nodes.get().map(n => n.fullLabel)")
    assert IMG in shown and SCRIPT in shown
    # hovering a node shows its tooltip as text
    pos = p.evaluate("""() => { const t = window.techreg, net = t.network;
        const id = t.nodes.get().find(n => n.label.startsWith('<img')).id;
        const xy = net.canvasToDOM(net.getPositions([id])[id]);
        const r = document.getElementById('network').getBoundingClientRect();
        return [r.left + xy.x, r.top + xy.y]; }""")
    p.mouse.move(*pos)
    p.wait_for_selector("#tooltip:not([hidden])", timeout=5000)
    tip = p.inner_text("#tooltip")
    assert IMG in tip and "恶意<b>监管</b>" in tip and SCRIPT + " title" in tip
    # the details panel, through the search box, shows the company's alias and source as text
    p.fill("#search", "/script")
    p.press("#search", "Enter")
    p.wait_for_selector("#details:not([hidden])")
    body = p.inner_text("#details-body")
    assert SCRIPT in body and "<amp>" in body
    p.fill("#search", "fine <svg")
    p.press("#search", "Enter")
    body = p.inner_text("#details-body")
    assert "Fine <svg onload=alert(1)>" in body and "1,000,000 CNY" in body
    assert page.dialogs == [] and page.errors == []
    page.close()


# -- filters and refusals (library) ---------------------------------------------------


def test_filters(kb):
    everything = view(kb, all=True)
    early = view(kb, all=True, as_of="2021-07-03")
    assert len(early.nodes) < len(everything.nodes)
    for node in early.techreg_view.graph.nodes(data=True):
        dates = node[1].get("dates", {})
        started = [dates[k] for k in ("announced", "startDate", "pricingDate", "listingDate", "dateAdopted",
                                      "datePromulgated") if k in dates]
        assert not started or min(started) <= "2021-07-03"  # started (or adopted) by then
        assert dates.get("delistingDate", "9999") > "2021-07-03"  # not yet ended
    no_places = view(kb, all=True, exclude=["Jurisdiction"])
    assert not any(n["group"] == "Jurisdiction" for n in no_places.nodes)
    laws = view(kb, entities=["id:cac"], classes=["Law"])
    assert {n["group"] for n in laws.nodes} == {"Law", "Regulator"}  # laws plus the named CAC


def test_bad_requests(kb, tmp_path):
    with pytest.raises(UnknownName, match="did you mean"):
        view(kb, entities=["Cyberspace Administraton"])
    with pytest.raises(BadInput, match="over the limit of 10"):
        view(kb, all=True, max_nodes=10)
    with pytest.raises(BadInput, match="did you mean: Law"):
        view(kb, all=True, classes=["Lawz"])
    with pytest.raises(BadInput, match="not a date"):
        view(kb, all=True, as_of="2021-13-01")
    with pytest.raises(BadInput, match="exactly one"):
        view(kb)
    with pytest.raises(BadInput, match=r"\?s \?p \?o"):
        view(kb, query="SELECT ?x WHERE { ?x ?y ?z }")


def test_render_html_of_plain_pyvis_network():
    from pyvis.network import Network

    net = Network(directed=True)
    net.add_node(1, label=IMG)
    net.add_node(2, label="b")
    net.add_edge(1, 2)
    page = render_html(net)
    assert IMG not in page and "\\u003cimg" in page


# -- the command line -----------------------------------------------------------------


def test_cli_writes_a_view(techreg, kb, tmp_path):
    out = tmp_path / "v.html"
    result = CliRunner().invoke(techreg, ["view", "id:didi-global", "--depth", "1", "-o", str(out)],
                                obj={"store": kb})
    assert result.exit_code == 0, result.output
    assert "nodes" in result.output and out.stat().st_size > 100_000


def test_cli_unknown_entity(techreg, kb, tmp_path):
    out = tmp_path / "v.html"
    result = CliRunner().invoke(techreg, ["view", "Cyberspace Administraton", "-o", str(out)], obj={"store": kb})
    assert result.exit_code == 2
    assert "did you mean" in result.output
    assert not out.exists()


def test_cli_over_limit(techreg, kb, tmp_path):
    out = tmp_path / "v.html"
    result = CliRunner().invoke(techreg, ["view", "--all", "--max-nodes", "20", "-o", str(out)], obj={"store": kb})
    assert result.exit_code == 2
    count = len(view(kb, all=True, max_nodes=100_000).nodes)
    assert f"{count:,} nodes" in result.output and "limit of 20" in result.output
    assert not out.exists()


@pytest.mark.parametrize("where", ["missing-dir", "file-as-dir", "directory"])
def test_cli_unwritable_output(techreg, kb, tmp_path, where):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a directory")
    target = {"missing-dir": tmp_path / "missing" / "v.html",
              "file-as-dir": blocker / "v.html",
              "directory": tmp_path}[where]
    before = sorted(p.name for p in tmp_path.iterdir())
    result = CliRunner().invoke(techreg, ["view", "id:cac", "-o", str(target)], obj={"store": kb})
    assert result.exit_code == 2, result.output
    assert "cannot write" in result.output or "is a directory" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_cli_write_failure_leaves_nothing(techreg, kb, tmp_path, monkeypatch):
    import graph.fileio

    def failing(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(graph.fileio, "atomic_write", failing)
    out = tmp_path / "v.html"
    result = CliRunner().invoke(techreg, ["view", "id:cac", "-o", str(out)], obj={"store": kb})
    assert result.exit_code == 2 and "No space left" in result.output
    assert list(tmp_path.iterdir()) == []


def test_cli_help_has_an_example(techreg):
    result = CliRunner().invoke(techreg, ["view", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "techreg view" in result.output

