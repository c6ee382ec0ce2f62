"""An endpoint that cuts answers at its row limit (Virtuoso's ResultSetMaxRows): the remote
store never returns a cut answer as if it were whole."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.stores.rowlimit import AnswerCut, count_query

LIMIT = 50


def test_the_count_query_wraps_the_select_and_keeps_its_prologue():
    text = "PREFIX ex: <https://example.org/>\n# a comment\nSELECT ?s WHERE { ?s ex:p ?o } ORDER BY ?s LIMIT 3"
    counting = count_query(text)
    assert counting.startswith("PREFIX ex: <https://example.org/>\n# a comment\nSELECT (COUNT(*)")
    store = ox.Store()
    for i in range(5):
        store.add(ox.Quad(ox.NamedNode(f"https://example.org/s{i}"), ox.NamedNode("https://example.org/p"), ox.Literal("x")))
    assert int(next(iter(store.query(counting)))[0].value) == 3
    assert count_query("CONSTRUCT WHERE { ?s ?p ?o }") is None


@pytest.fixture(scope="module")
def low_limit_virtuoso(tmp_path_factory):
    import conftest

    server = conftest._start_virtuoso(tmp_path_factory.mktemp("virtuoso-rows"), max_rows=LIMIT)
    try:
        store = server.store()
        e = "https://example.org/"
        store.add([ox.Quad(ox.NamedNode(f"{e}s{i:03}"), ox.NamedNode(f"{e}p"), ox.Literal(str(i)), ox.NamedNode(f"{e}g"))
                   for i in range(LIMIT * 3)])
        yield server
    finally:
        conftest._stop_virtuoso(server)


@pytest.mark.slow
def test_a_cut_answer_is_an_error_and_a_whole_one_is_returned(low_limit_virtuoso):
    store = low_limit_virtuoso.store()
    with pytest.raises(AnswerCut, match=f"returned {LIMIT} rows of {LIMIT * 3} solutions.*ResultSetMaxRows"):
        store.select("SELECT ?s WHERE { ?s <https://example.org/p> ?o }")
    with pytest.raises(AnswerCut):
        list(store.quads())
    # exactly as many solutions as the limit: the count shows the answer is whole
    rows = store.select(f"SELECT ?s WHERE {{ ?s <https://example.org/p> ?o }} ORDER BY ?s LIMIT {LIMIT}")
    assert len(rows) == LIMIT and rows[-1]["s"].value == f"https://example.org/s{LIMIT - 1:03}"
    assert len(store.select("SELECT ?s WHERE { ?s <https://example.org/p> ?o } LIMIT 10")) == 10
    # once the endpoint has named its limit, a CONSTRUCT of that many triples is refused too
    with pytest.raises(AnswerCut):
        store.query("CONSTRUCT WHERE { ?s <https://example.org/p> ?o }")


@pytest.mark.slow
def test_the_command_line_reports_a_cut_answer_with_exit_2(low_limit_virtuoso, run):
    result = run("--store", low_limit_virtuoso.spec, "query", "SELECT ?s ?o WHERE { ?s <https://example.org/p> ?o }")
    assert result.exit_code == 2
    assert "ResultSetMaxRows" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_thousands_of_named_graphs_in_one_query(low_limit_virtuoso):
    """Virtuoso echoes every named-graph-uri as a response header (about 200 kB for the
    2,500 graphs of a 100k-quad store); the client must read such headers."""
    store = low_limit_virtuoso.store()
    graphs = [f"https://example.org/graph/number-{i:05}" for i in range(3000)] + ["https://example.org/g"]
    rows = store._run("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", 60,
                      {"default-graph-uri": "https://w3id.org/techreg/graph/merged", "named-graph-uri": graphs})
    assert int(next(iter(rows))[0].value) == LIMIT * 3
