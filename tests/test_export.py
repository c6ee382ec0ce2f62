"""Exports: a complete N-Quads file answers like techreg; GraphML, GEXF and Cytoscape.js JSON."""

import json

import networkx as nx
import pyoxigraph as ox
import pytest

from graph.model.iris import sparql_prologue
from graph.network.projection import project
from graph.query.library import library
from graph.query.params import bind_params


def _canonical(result):
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    names = [v.value for v in result.variables]

    def cell(term):
        if term is None:
            return ""
        if isinstance(term, ox.Literal) and "; " in term.value:  # GROUP_CONCAT order is the store's
            return "; ".join(sorted(term.value.split("; ")))
        return str(term)

    return sorted(tuple(cell(row[n]) for n in names) for row in result)


def test_complete_nquads_in_a_plain_pyoxigraph_store_answers_every_library_query(run, memory_store, tmp_path):
    out = tmp_path / "kb.nq"
    assert run("export", "--format", "nquads", "--complete", "-o", str(out)).exit_code == 0
    plain = ox.Store()
    plain.load(path=str(out), format=ox.RdfFormat.N_QUADS)
    assert len(plain) == len(memory_store)
    for name, q in library().items():
        text = sparql_prologue(q.text) + bind_params(memory_store, q.text, {}, q.params)
        ours = _canonical(memory_store.query(text, prefixes=False))
        theirs = _canonical(plain.query(text))
        assert ours == theirs, name
        assert ours, name


def test_complete_needs_a_quad_format(run):
    result = run("export", "--format", "turtle", "--complete")
    assert result.exit_code == 2 and "trig or nquads" in result.stderr


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_hold_the_projection_with_attributes(run, memory_store, tmp_path, fmt, read):
    out = tmp_path / f"kb.{fmt}"
    assert run("export", "--format", fmt, "-o", str(out)).exit_code == 0
    g = read(out)
    projection = project(memory_store).graph
    assert g.number_of_nodes() == projection.number_of_nodes()
    assert g.number_of_edges() == projection.number_of_edges()
    node = g.nodes["id:cac-review-yunmanman-2021"]
    label = node.get("label")
    assert label == "Cybersecurity review of Yunmanman"
    assert "CybersecurityReview" in node["classes"]
    assert node["announced"] == "2021-07-05"
    assert g.nodes["id:yunmanman"]["label_zh"] == "运满满"


def test_cytoscape_json(run, memory_store):
    result = run("export", "--format", "cytoscape")
    data = json.loads(result.stdout)
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    projection = project(memory_store).graph
    assert len(nodes) == projection.number_of_nodes() and len(edges) == projection.number_of_edges()
    ids = {n["data"]["id"] for n in nodes}
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in edges)
    assert len({e["data"]["id"] for e in edges}) == len(edges)
