"""``techreg serve`` against a real uvicorn process on 127.0.0.1: the SPARQL 1.1 Protocol,
the same answers as ``techreg query`` and the memory store, limits and security headers."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Server:
    """A running ``python -m graph serve`` process."""

    port: int
    process: subprocess.Popen = field(repr=False)
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def sparql(self) -> str:
        return self.base + "/sparql"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp_path: Path, *args: str, store: str | None = None) -> Server:
    """Start ``python -m graph serve --port P ARGS`` and wait until /sparql answers."""
    port = free_port()
    log = tmp_path / f"serve-{port}.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "graph"] + (["--store", store] if store else []) + [
        "serve", "--port", str(port), *args]
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    server = Server(port, process, log)
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            pytest.fail(f"techreg serve exited with {process.returncode}: {log.read_text(errors='replace')}")
        try:
            if httpx.get(server.sparql, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            pytest.fail("techreg serve did not answer within 60 s")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The default server: memory store, rate limit raised for the tests."""
    s = start_server(tmp_path_factory.mktemp("serve"), "--rate-limit", "0")
    yield s
    s.stop()


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a tr:Company }"
JSON = "application/sparql-results+json"


def _count(response) -> int:
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# -- the protocol ------------------------------------------------------------------


def test_get_post_form_and_post_direct_give_the_same_answer(server, memory_store):
    expected = int(memory_store.select(COUNT)[0]["n"].value)
    assert expected > 50
    get = httpx.get(server.sparql, params={"query": COUNT}, headers={"Accept": JSON})
    form = httpx.post(server.sparql, data={"query": COUNT}, headers={"Accept": JSON})
    direct = httpx.post(server.sparql, content=COUNT.encode(), headers={"Content-Type": "application/sparql-query",
                                                                        "Accept": JSON})
    for r in (get, form, direct):
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith(JSON)
        assert _count(r) == expected


@pytest.mark.parametrize("accept, media, check", [
    ("application/sparql-results+xml", "application/sparql-results+xml", lambda t: "<sparql" in t),
    ("text/csv", "text/csv", lambda t: t.splitlines()[0].strip() == "s,label"),
    ("text/tab-separated-values", "text/tab-separated-values", lambda t: t.splitlines()[0].strip() == "?s\t?label"),
    ("application/json", "application/sparql-results+json", lambda t: json.loads(t)["head"]["vars"] == ["s", "label"]),
    ("text/html;q=0.9, text/csv;q=0.5", "text/csv", lambda t: t.startswith("s,label")),
])
def test_content_negotiation_for_solutions(server, accept, media, check):
    query = 'SELECT ?s ?label WHERE { ?s a tr:Regulator ; rdfs:label ?label FILTER(lang(?label) = "en") } ORDER BY ?s LIMIT 5'
    r = httpx.get(server.sparql, params={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(media)
    assert check(r.text)
    assert r.headers["vary"] == "Accept"


@pytest.mark.parametrize("accept, media", [
    ("text/turtle", "text/turtle"), ("application/n-triples", "application/n-triples"),
    ("application/ld+json", "application/ld+json"), ("*/*", "text/turtle"),
])
def test_content_negotiation_for_graphs(server, memory_store, accept, media):
    import pyoxigraph as ox

    query = "CONSTRUCT { ?s a tr:Regulator } WHERE { ?s a tr:Regulator }"
    expected = {str(t) for t in memory_store.query(query)}
    r = httpx.post(server.sparql, data={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(media)
    fmt = ox.RdfFormat.from_media_type(media)
    assert {str(t) for t in ox.parse(r.content, format=fmt)} == expected


def test_ask_and_format_parameter(server):
    r = httpx.get(server.sparql, params={"query": "ASK { ?s a tr:Law }"})
    assert r.json()["boolean"] is True
    r = httpx.get(server.sparql, params={"query": "SELECT ?s WHERE { ?s a tr:Law } LIMIT 2", "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv") and len(r.text.splitlines()) == 3


def test_bad_syntax_is_400_with_the_parser_message(server):
    r = httpx.post(server.sparql, data={"query": "SELECT ?s WHERE { ?s a }"})
    assert r.status_code == 400
    assert "line 1, column" in r.text and "SELECT ?s WHERE { ?s a }" in r.text


@pytest.mark.parametrize("request_args", [
    {"method": "POST", "content": b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
     "headers": {"Content-Type": "application/sparql-update"}},
    {"method": "POST", "data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
    {"method": "GET", "params": {"update": "DROP ALL"}},
    {"method": "POST", "data": {"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}},
    {"method": "POST", "data": {"query": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"}},
])
def test_updates_and_unsafe_queries_are_refused_with_403(server, memory_store, request_args):
    args = dict(request_args)
    r = httpx.request(args.pop("method"), server.sparql, **args)
    assert r.status_code == 403, r.text
    assert "--allow-remote" not in r.text
    assert not memory_store.ask("ASK { <urn:a> ?p ?o }")
    # and the server's own store is unchanged
    check = httpx.get(server.sparql, params={"query": "ASK { <urn:a> ?p ?o }"})
    assert check.json()["boolean"] is False


def test_other_protocol_errors(server):
    assert httpx.post(server.sparql, content=b"x", headers={"Content-Type": "text/plain"}).status_code == 415
    assert httpx.get(server.sparql).status_code == 400
    r = httpx.get(server.sparql, params={"query": COUNT, "default-graph-uri": "urn:x"})
    assert r.status_code == 400 and "default-graph-uri" in r.text
    r = httpx.get(server.sparql, params={"query": COUNT}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    # a browser asking for the endpoint without a query gets the editor
    r = httpx.get(server.sparql, headers={"Accept": "text/html"})
    assert r.status_code == 303 and r.headers["location"] == "/query"


def test_security_headers_on_every_kind_of_response(server):
    for r in (httpx.get(server.base + "/"), httpx.get(server.sparql, params={"query": "ASK {}"}),
              httpx.get(server.base + "/no/such/page"), httpx.get(server.base + "/static/style.css")):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";")[0]
    editor = httpx.get(server.base + "/query").headers["content-security-policy"]
    assert "script-src 'self';" in editor and "frame-ancestors 'none'" in editor


def test_request_body_limits(server):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1_100_000
    r = httpx.post(server.sparql, content=big.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


def test_a_slow_body_is_cut_off(tmp_path):
    s = start_server(tmp_path, "--rate-limit", "0")
    try:
        with socket.create_connection(("127.0.0.1", s.port), timeout=30) as sock:
            sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                         b"Content-Length: 100\r\n\r\nSELECT")
            started = time.monotonic()
            answer = sock.recv(4096)
            assert answer.startswith(b"HTTP/1.1 408")
            assert 9 <= time.monotonic() - started < 20
    finally:
        s.stop()


# -- limits: rate and size ---------------------------------------------------------


def test_rate_limit_answers_429_with_retry_after_under_a_burst(tmp_path):
    s = start_server(tmp_path, "--rate-limit", "1", "--burst", "5")
    try:
        time.sleep(5)  # refill after the readiness probes
        with httpx.Client() as client:
            codes = [client.get(s.sparql, params={"query": "ASK {}"}) for _ in range(15)]
        ok = [r for r in codes if r.status_code == 200]
        limited = [r for r in codes if r.status_code == 429]
        assert 5 <= len(ok) <= 7 and len(limited) >= 8
        assert all(int(r.headers["retry-after"]) >= 1 for r in limited)
        time.sleep(int(limited[-1].headers["retry-after"]))
        assert httpx.get(s.sparql, params={"query": "ASK {}"}).status_code == 200
        # static files are not counted
        assert httpx.get(s.base + "/static/style.css").status_code == 200
    finally:
        s.stop()


def test_cut_results_are_signalled_and_refused_by_the_remote_store(tmp_path):
    from graph.errors import BadInput
    from graph.stores.remote import SparqlStore

    s = start_server(tmp_path, "--rate-limit", "0", "--max-rows", "5")
    try:
        r = httpx.get(s.sparql, params={"query": "SELECT ?s WHERE { ?s a tr:Company }"})
        assert r.headers["x-techreg-truncated"] == "5"
        assert len(r.json()["results"]["bindings"]) == 5
        r = httpx.get(s.sparql, params={"query": "CONSTRUCT WHERE { ?s a tr:Company }"},
                      headers={"Accept": "application/n-triples"})
        assert r.headers["x-techreg-truncated"] == "5" and len(r.text.strip().splitlines()) == 5
        r = httpx.get(s.sparql, params={"query": "SELECT ?s WHERE { ?s a tr:Company } LIMIT 5"})
        assert "x-techreg-truncated" not in r.headers
        store = SparqlStore(s.sparql)
        assert len(store.select("SELECT ?s WHERE { ?s a tr:Company } LIMIT 3")) == 3
        with pytest.raises(BadInput, match="cut the answer to 5 rows"):
            store.select("SELECT ?s WHERE { ?s a tr:Company }")
    finally:
        s.stop()


# -- the same answers as the command line --------------------------------------------


def _library_names():
    from graph.query.library import library

    return sorted(library())


@pytest.mark.parametrize("name", _library_names())
def test_every_library_query_answers_as_techreg_query(server, memory_store, name):
    from click.testing import CliRunner

    from graph.cli import cli
    from graph.query.library import load_query
    from graph.query.params import bind_params

    cli_result = CliRunner().invoke(cli, ["query", name, "--format", "json"], obj={"store": memory_store},
                                    catch_exceptions=False)
    assert cli_result.exit_code == 0, cli_result.output
    text, meta = load_query(name)
    bound = bind_params(memory_store, text, {}, meta.params)
    r = httpx.post(server.sparql, data={"query": bound}, headers={"Accept": JSON}, timeout=60)
    assert r.status_code == 200, r.text
    expected, got = json.loads(cli_result.stdout), r.json()
    assert got["head"]["vars"] == expected["head"]["vars"]
    if "boolean" in expected:
        assert got["boolean"] == expected["boolean"]
        return
    rows = expected["results"]["bindings"]
    ordered = "ORDER BY" in text.upper()
    canon = (lambda b: b) if ordered else (lambda b: sorted(json.dumps(x, sort_keys=True) for x in b))
    assert canon(got["results"]["bindings"]) == canon(rows)


def _techreg(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TECHREG_STORE", None)
    return subprocess.run([sys.executable, "-m", "graph", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)


@pytest.mark.slow
@pytest.mark.parametrize("command", [
    ["stats"], ["stats", "--format", "json"],
    ["show", "Full Truck Alliance"], ["show", "Data Security Law", "--format", "json"],
    ["path", "Yunmanman", "Data Security Law"], ["path", "Boss Zhipin", "Nasdaq", "--format", "json"],
    ["search", "运满满"],
])
def test_the_endpoint_as_a_sparql_store_answers_as_the_memory_store(server, command):
    memory = _techreg(*command)
    remote = _techreg("--store", f"sparql:{server.sparql}", *command)
    assert memory.returncode == 0, memory.stderr
    assert remote.returncode == memory.returncode, remote.stderr
    assert remote.stdout == memory.stdout
    assert len(memory.stdout) > 200


# -- pages ---------------------------------------------------------------------------


def test_entity_page_html_and_rdf(server, memory_store):
    import pyoxigraph as ox

    page = httpx.get(server.base + "/id/full-truck-alliance", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Full Truck Alliance" in page.text and "/source/" in page.text
    assert 'id="incoming"' in page.text
    ttl = httpx.get(server.base + "/id/full-truck-alliance", headers={"Accept": "text/turtle"})
    assert ttl.headers["content-type"].startswith("text/turtle")
    triples = {str(t) for t in ox.parse(ttl.content, format=ox.RdfFormat.TURTLE)}
    iri = "https://w3id.org/techreg/id/full-truck-alliance"
    expected = {str(t) for t in memory_store.query(
        f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}")}
    assert triples == expected and len(triples) > 10
    jsonld = httpx.get(server.base + "/id/full-truck-alliance", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert any(node.get("@id") == iri for node in jsonld.json())
    assert httpx.get(server.base + "/id/no-such-entity").status_code == 404


def test_home_page_lists_the_coverage_scopes(server, memory_store):
    from markupsafe import escape

    from graph.coverage.scopes import count_scopes, load_scopes

    page = httpx.get(server.base + "/")
    assert page.status_code == 200
    for scope in count_scopes(memory_store, load_scopes()):
        assert str(escape(scope.title)) in page.text
    assert "https://digital-markets-act.ec.europa.eu/gatekeepers_da" in page.text


def test_source_page_lists_every_fact_of_the_source(server, memory_store):
    graph = memory_store.named_graphs()[5]
    slug = graph.rsplit("/", 1)[-1]
    n = len(list(memory_store.quads(graph)))
    page = httpx.get(server.base + f"/source/{slug}")
    assert page.status_code == 200
    assert f"({n} statements)" in page.text
    assert page.text.count("<tr>") == n


def test_query_form_runs_with_parameters_and_offers_csv_and_json(server):
    page = httpx.get(server.base + "/queries/actions-by-regulator", params={"regulator": "SAMR"})
    assert page.status_code == 200 and 'id="result"' in page.text
    csv = httpx.get(server.base + "/queries/actions-by-regulator",
                    params={"run": "1", "regulator": "SAMR", "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    rows = csv.text.strip().splitlines()
    assert len(rows) > 1 and page.text.count("<tr>") == len(rows)
    bad = httpx.get(server.base + "/queries/actions-by-regulator", params={"regulator": "No Such Regulator X"})
    assert bad.status_code == 200 and "no entity named" in bad.text


HOSTILE_TRIG = """
@prefix tr: <https://w3id.org/techreg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
<https://w3id.org/techreg/source/hostile-test> {
  <https://w3id.org/techreg/id/hostile> a tr:Company ;
      rdfs:label "<script>alert(1)</script>"@en , "<img src=x onerror=alert(2)>"@zh ;
      tr:parentOrganization <https://w3id.org/techreg/id/tencent> .
  <https://w3id.org/techreg/source/hostile-test> a tr:Source ;
      dcterms:title "<b>bold</b> \\" onmouseover=\\"alert(3)" ; schema:url "javascript:alert(4)" .
}
"""


def hostile_store(tmp_path: Path) -> str:
    """An on-disk store: the knowledge base plus an entity and a source with hostile labels."""
    from graph.stores import load_bundled
    from graph.stores.local import LocalStore

    trig = tmp_path / "hostile.trig"
    trig.write_text(HOSTILE_TRIG, encoding="utf-8")
    location = tmp_path / "kb"
    store = LocalStore(location, f"oxigraph:{location}")
    load_bundled(store)
    store.load_paths([trig])
    store.flush()
    store.close()
    return f"oxigraph:{location}"


def test_hostile_labels_are_shown_as_text(tmp_path):
    s = start_server(tmp_path, "--rate-limit", "0", store=hostile_store(tmp_path))
    try:
        for path in ("/id/hostile", "/search?q=script", "/source/hostile-test", "/id/tencent"):
            r = httpx.get(s.base + path)
            assert r.status_code == 200, path
            text = r.text
            assert "<script>alert" not in text and "<img src=x" not in text and "<b>bold" not in text, path
            assert 'href="javascript:' not in text and '" onmouseover' not in text, path
        page = httpx.get(s.base + "/id/hostile").text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "&lt;img src=x onerror=alert(2)&gt;" in page
    finally:
        s.stop()


def test_a_query_past_the_time_limit_is_answered_503(tmp_path):
    s = start_server(tmp_path, "--rate-limit", "0", "--timeout", "1")
    try:
        heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        started = time.monotonic()
        r = httpx.post(s.sparql, data={"query": heavy}, timeout=30)
        assert r.status_code == 503 and "longer than 1 s" in r.text
        assert time.monotonic() - started < 10
        assert httpx.get(s.sparql, params={"query": "ASK { ?s a tr:Law }"}).json()["boolean"] is True
    finally:
        s.stop()


def test_the_wheel_carries_the_web_files(tmp_path):
    import zipfile

    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = dist.glob("techreg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("graph/web/static/yasgui/yasgui.min.js", "graph/web/static/yasgui/yasgui.min.css",
                 "graph/web/static/yasgui/LICENSE", "graph/web/static/editor.js", "graph/web/static/style.css",
                 "graph/web/templates/entity.html", "graph/web/templates/base.html", "graph/cli/serve.py"):
        assert name in names, name


def test_cors_only_for_the_origin_given(tmp_path, server):
    plain = httpx.get(server.sparql, params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert "access-control-allow-origin" not in plain.headers
    s = start_server(tmp_path, "--rate-limit", "0", "--cors", "https://example.org")
    try:
        pre = httpx.options(s.sparql, headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST",
                                               "Access-Control-Request-Headers": "content-type"})
        assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "https://example.org"
        r = httpx.get(s.sparql, params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
        assert r.headers["access-control-allow-origin"] == "https://example.org"
        assert "x-techreg-truncated" in r.headers["access-control-expose-headers"].lower()
        other = httpx.get(s.sparql, params={"query": "ASK {}"}, headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
    finally:
        s.stop()
