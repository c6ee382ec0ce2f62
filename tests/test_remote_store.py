"""A SPARQL 1.1 endpoint as a store: a real ``oxigraph serve`` process, never a mock.

The bundled knowledge base is put into the server with ``init_store`` (fixture
``sparql_kb``) and every answer is compared with the in-memory default store.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph.errors import BadInput
from graph.model.iris import ENTAILED_GRAPH, ONTOLOGY_IRI, sparql_prologue
from graph.stores.remote import QuerySyntaxError, SparqlStore, insert_data, open_remote, query_form

ENTITIES = ["Full Truck Alliance", "Data Security Law", "id:cac", "Yunmanman", "id:boss-zhipin", "id:didi-global",
            "id:cac-review-didi-2021", "id:nyse"]
SEARCHES = ["运满满", "didi", "nasdaq", "cyberspace administration", "YMM"]


def _rows(rows):
    """Rows as sortable tuples of N-Triples strings (blank nodes aside)."""
    return sorted(tuple(sorted((k, str(v)) for k, v in r.items())) for r in rows)


def _unordered(data):
    """A description with every list sorted.

    The stores hand back rows in their own storage order (in memory vs on disk), and
    describe/search keep the order rows come in, so only the content is compared.
    """
    if isinstance(data, dict):
        return {k: _unordered(v) for k, v in data.items()}
    if isinstance(data, list):
        return sorted((_unordered(v) for v in data), key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return data


def _hits(hits):
    """Search hits by entity: score, kind, label and classes (the alias shown for a tie may differ)."""
    return {h.curie: (h.score, h.kind, h.label, h.classes) for h in hits}


def _no_blank(quads):
    return {str(q) for q in quads if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))}


# -- reading: the same answers as the memory store ------------------------------------


def test_select_rows_are_the_same_terms_as_the_local_store(sparql_kb, memory_store):
    query = """SELECT ?e ?label ?date WHERE {
                 ?e a tr:RegulatoryAction ; rdfs:label ?label . OPTIONAL { ?e tr:announced ?date } }"""
    remote = sparql_kb.store().select(query)
    local = memory_store.select(query)
    assert remote and _rows(remote) == _rows(local)
    # unbound variables are None, literals keep language and datatype
    assert any(r["date"] is None for r in remote) == any(r["date"] is None for r in local)
    dated = next(r for r in remote if r["date"] is not None)
    assert isinstance(dated["date"], ox.Literal)
    assert dated["date"].datatype == ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    assert isinstance(dated["e"], ox.NamedNode)


def test_query_results_have_the_local_types(sparql_kb, memory_store):
    store = sparql_kb.store()
    select = store.query("SELECT ?s WHERE { ?s a tr:Regulator } LIMIT 3")
    assert isinstance(select, ox.QuerySolutions) and [v.value for v in select.variables] == ["s"]
    ask = store.query("ASK { id:cac a tr:Regulator }")
    assert isinstance(ask, ox.QueryBoolean) and bool(ask)
    assert store.ask("ASK { id:cac a tr:Regulator }") is True
    assert store.ask("ASK { id:cac a tr:Exchange }") is False
    construct = "CONSTRUCT { id:cac ?p ?o } WHERE { id:cac ?p ?o }"
    triples = store.query(construct)
    assert isinstance(triples, ox.QueryTriples)
    assert {str(t) for t in triples} == {str(t) for t in memory_store.query(construct)}
    described = {str(t) for t in store.query("DESCRIBE id:cac")}
    assert described and all("cac" in t for t in described)


def test_default_graph_is_the_merge_of_named_graphs(sparql_kb):
    store = sparql_kb.store()
    assert store.dataset_ok() is True
    assert store.ask("ASK { id:cac a tr:Regulator }")  # no GRAPH needed


def test_counts_graphs_and_quads_are_the_same(sparql_kb, memory_store):
    store = sparql_kb.store()
    # a remote store keeps its entailments in a named graph too; a local one in its
    # default graph only
    assert store.named_graphs() == sorted(memory_store.named_graphs() + [ENTAILED_GRAPH])
    assert ONTOLOGY_IRI in store.named_graphs()
    entailed = list(store.quads(ENTAILED_GRAPH))
    assert len(store) == len(memory_store) + len(entailed)
    for graph in (None, ONTOLOGY_IRI, "https://w3id.org/techreg/source/digichina-cac-didi-review"):
        remote = [q for q in store.quads(graph) if q.graph_name.value != ENTAILED_GRAPH]
        local = list(memory_store.quads(graph))
        assert len(remote) == len(local)
        assert _no_blank(remote) == _no_blank(local)
    # the entailments no source states are the same
    stated = {str(ox.Triple(q.subject, q.predicate, q.object)) for q in store.quads()
              if q.graph_name.value != ENTAILED_GRAPH}
    local = ox.parse(memory_store.dump(ox.RdfFormat.N_QUADS, [ENTAILED_GRAPH]), format=ox.RdfFormat.N_QUADS)
    assert {str(ox.Triple(q.subject, q.predicate, q.object)) for q in _iri_only(entailed)} - stated \
        == {str(ox.Triple(q.subject, q.predicate, q.object)) for q in _iri_only(local)} != set()


def _iri_only(quads):
    return [q for q in quads if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))]


def test_the_default_graph_is_the_same(sparql_kb, memory_store):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    remote, local = sparql_kb.store().select(query), memory_store.select(query)
    assert len(remote) == len(local)
    assert _rows(r for r in remote if not isinstance(r["s"], ox.BlankNode) and not isinstance(r["o"], ox.BlankNode)) \
        == _rows(r for r in local if not isinstance(r["s"], ox.BlankNode) and not isinstance(r["o"], ox.BlankNode))


def test_asserted_data_is_the_same(sparql_kb, memory_store):
    store = sparql_kb.store()
    assert store.dump(ox.RdfFormat.N_QUADS) is not None
    asserted = [g for g in memory_store.named_graphs() if g != ENTAILED_GRAPH]
    remote = ox.Dataset(ox.parse(store.dump(ox.RdfFormat.N_QUADS, asserted), format=ox.RdfFormat.N_QUADS))
    local = ox.Dataset(ox.parse(memory_store.dump(ox.RdfFormat.N_QUADS, asserted), format=ox.RdfFormat.N_QUADS))
    remote.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    local.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    assert len(remote) == len(local) > 1000
    assert {str(q) for q in remote} == {str(q) for q in local}


def test_stats_are_the_same(sparql_kb, memory_store):
    from graph.answers.stats import stats

    remote, local = stats(sparql_kb.store()), stats(memory_store)
    assert remote == local
    assert remote["triples"]["asserted"] > 1000


@pytest.mark.parametrize("name", ENTITIES)
def test_show_is_the_same(sparql_kb, memory_store, name):
    from graph.answers.describe import describe

    remote = describe(sparql_kb.store(), name).as_dict()
    assert _unordered(remote) == _unordered(describe(memory_store, name).as_dict())
    assert remote["relations"] or remote["events"]


@pytest.mark.parametrize("text", SEARCHES)
def test_search_is_the_same(sparql_kb, memory_store, text):
    from graph.lookup.names import search

    remote, local = search(sparql_kb.store(), text), search(memory_store, text)
    assert remote
    assert _hits(remote) == _hits(local)
    assert [h.score for h in remote] == [h.score for h in local]
    assert remote[0].curie == local[0].curie


def test_cli_reads_a_remote_store(sparql_kb, techreg):
    runner = CliRunner()
    remote = runner.invoke(techreg, ["--store", sparql_kb.spec, "show", "Yunmanman", "--format", "json"])
    local = runner.invoke(techreg, ["--store", "memory", "show", "Yunmanman", "--format", "json"])
    assert remote.exit_code == 0, remote.output
    assert _unordered(json.loads(remote.output)) == _unordered(json.loads(local.output))
    env_store = runner.invoke(techreg, ["search", "运满满", "--format", "csv"], env={"TECHREG_STORE": sparql_kb.spec})
    assert env_store.exit_code == 0 and "id:yunmanman" in env_store.output, env_store.output


# -- writing --------------------------------------------------------------------------


def test_add_stores_every_term_and_bumps_the_generation(sparql_server):
    store = sparql_server.store()
    g = ox.NamedNode("https://example.org/g")
    quads = [ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"),
                     ox.Literal('tricky "quotes"\nnew line \\ 运满满', language="zh"), g),
             ox.Quad(ox.BlankNode(), ox.NamedNode("https://example.org/p"),
                     ox.Literal("12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), g)]
    assert store.generation == 0
    assert store.add(quads) == 2
    assert store.generation > 0
    generation = store.generation
    stored = list(store.quads("https://example.org/g"))
    assert {str(q.object) for q in stored} == {str(q.object) for q in quads}
    assert len(list(store.quads())) == 2
    assert len(store) == 4  # and their triples merged into the default graph, as locally
    assert store.ask("ASK { <https://example.org/s> ?p ?o }")
    store.update("DROP GRAPH <https://example.org/g> ; CLEAR DEFAULT")
    assert store.generation > generation and len(store) == 0


def test_add_is_all_or_nothing(sparql_server):
    """An INSERT DATA the endpoint rejects writes nothing, not even the quads before the bad one."""
    store = sparql_server.store()
    good = ox.Quad(ox.NamedNode("https://example.org/a"), ox.NamedNode("https://example.org/p"),
                   ox.NamedNode("https://example.org/b"), ox.NamedNode("https://example.org/g"))
    text = insert_data([good]).replace("}\n}", "}\nGRAPH <https://example.org/h> { <bad iri> <p> <o> . }\n}")
    with pytest.raises(QuerySyntaxError):
        store._update(text)
    assert sparql_server.count() == 0


def test_insert_data_groups_by_graph():
    n = ox.NamedNode
    text = insert_data([ox.Quad(n("https://e/s"), n("https://e/p"), n("https://e/o"), n("https://e/g1")),
                        ox.Quad(n("https://e/s"), n("https://e/p"), n("https://e/o"), n("https://e/g2")),
                        ox.Quad(n("https://e/s"), n("https://e/p"), n("https://e/x"), n("https://e/g1"))])
    assert text.count("GRAPH <https://e/g1>") == 1 and text.count("GRAPH <https://e/g2>") == 1
    scratch = ox.Store()
    scratch.update(text)
    assert len(scratch) == 3


def test_a_store_without_update_url_is_read_only(sparql_kb):
    store = SparqlStore(sparql_kb.query_url)
    assert len(store) > 1000
    with pytest.raises(BadInput, match="read-only"):
        store.update("DROP GRAPH <https://w3id.org/techreg/ontology>")
    assert len(store) > 1000


def test_init_refuses_an_oxigraph_server_with_a_union_default_graph(oxigraph_factory):
    # Oxigraph refuses named datasets when it serves a union default graph (Virtuoso,
    # whose default graph is a union too, takes them and is tested like the others)
    from graph.stores.loading import init_store

    server = oxigraph_factory(union_default_graph=True)
    with pytest.raises(BadInput, match="without --union-default-graph"):
        init_store(server.store())


# -- bad input ------------------------------------------------------------------------


def test_syntax_error_is_bad_input_and_syntax_error(sparql_kb):
    store = sparql_kb.store()
    with pytest.raises(QuerySyntaxError) as info:
        store.query("SELEC ?x WHERE { ?x ?p ?o }")
    assert isinstance(info.value, SyntaxError) and isinstance(info.value, BadInput)
    if "virtuoso" in type(sparql_kb).__name__.lower():  # the engine's own words, with the line
        assert "syntax error at 'SELEC'" in str(info.value) and "line 15" in str(info.value)
        return
    assert "error at" in str(info.value)
    # the same message as the local store gives, positions included
    with pytest.raises(SyntaxError) as local:
        ox.Store().query(sparql_prologue("") + "SELEC ?x WHERE { ?x ?p ?o }")
    assert str(info.value) == str(local.value)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_endpoint_is_bad_input_with_the_url():
    url = f"http://127.0.0.1:{_closed_port()}/query"
    with pytest.raises(BadInput) as info:
        SparqlStore(url).ask("ASK {}")
    assert url in str(info.value) and "refused" in str(info.value).lower()


def test_unreachable_endpoint_exits_2_on_the_command_line(techreg):
    url = f"http://127.0.0.1:{_closed_port()}/query"
    result = CliRunner().invoke(techreg, ["--store", f"sparql:{url}", "stats"])
    assert result.exit_code == 2
    assert url in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_http_error_names_the_url_and_status(sparql_kb):
    url = sparql_kb.base + "/no-such-endpoint"
    with pytest.raises(BadInput) as info:
        SparqlStore(url).ask("ASK {}")
    assert url in str(info.value) and "404" in str(info.value)


def test_timeout_stops_a_query_that_gets_no_answer():
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        with pytest.raises(BadInput, match="answer within 0.5 s") as info:
            SparqlStore(url, timeout=0.5).ask("ASK {}")
        assert url in str(info.value)
        with pytest.raises(BadInput, match="within 0.3 s"):
            SparqlStore(url).query("ASK {}", timeout=0.3)


@pytest.mark.parametrize("rest", ["file:///etc/passwd", "ftp://example.org/sparql", "localhost:7878/query", ""])
def test_only_http_urls_are_accepted(rest):
    with pytest.raises(BadInput):
        open_remote(rest, f"sparql:{rest}")


def test_open_remote_parses_both_urls():
    store = open_remote("http://h:1/query, http://h:1/update", "sparql:x")
    assert (store.query_url, store.update_url, store.spec) == ("http://h:1/query", "http://h:1/update", "sparql:x")
    assert open_remote("http://h:1/query").update_url is None


@pytest.mark.parametrize("text,form", [
    ("SELECT * {}", "SELECT"),
    ("# a comment with ASK\nPREFIX a: <http://x/#ASK>\nBASE <http://b/>\n  construct { } where {}", "CONSTRUCT"),
    ("prefix : <http://x/> DESCRIBE :a", "DESCRIBE"),
    ("PREFIX tr: <https://w3id.org/techreg/ontology#>\nASK { ?s a tr:Law }", "ASK"),
])
def test_query_form(text, form):
    assert query_form(text) == form


def test_help_stays_fast_without_importing_remote():
    """`techreg --help` does not import the remote store (nor urllib.request)."""
    code = "import sys, graph.cli; print('graph.stores.remote' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, check=True)
    assert out.stdout.strip() == "False"
