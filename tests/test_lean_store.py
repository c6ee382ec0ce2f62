"""The leaner local store (issue 14): entailments held once, in the default graph; the
projection's edge query; the control closure grown from new links only."""

from __future__ import annotations

import pyoxigraph as ox

from graph.model.entail import control_triples, materialise
from graph.model.iris import ENTAILED_GRAPH, ID_NS, SRC_NS
from graph.network.projection import _edge_rows
from graph.network.rules import EDGE_PATTERN
from graph.stores.loading import load_files
from graph.stores.local import LocalStore
from graph.stores.loading import init_store

TR = "https://w3id.org/techreg/ontology#"


def test_projection_edges_are_the_edge_pattern(memory_store):
    rows = memory_store.select(f"SELECT ?s ?p ?o ?g WHERE {{ {EDGE_PATTERN} }}")
    expected = {(r["s"].value, r["p"].value, r["o"].value, r["g"].value) for r in rows}
    got = list(_edge_rows(memory_store))
    assert len(got) == len(expected) > 1000 and set(got) == expected


def test_entailments_sit_once_in_the_default_graph(tmp_path):
    store = LocalStore(tmp_path / "kb", "disk")
    init_store(store)
    assert ENTAILED_GRAPH not in store.named_graphs()
    # an inverse entailed from a stated link is seen without GRAPH, and no named graph holds it
    row = store.select("SELECT ?a ?b WHERE { GRAPH ?g { ?a tr:target ?b } } LIMIT 1")[0]
    a, b = row["a"].value, row["b"].value
    assert store.ask(f"ASK {{ <{b}> tr:targetOf <{a}> }}")
    assert not store.ask(f"ASK {{ GRAPH ?g {{ <{b}> tr:targetOf <{a}> }} }}")
    # the store holds the asserted quads, their merge and the entailments, nothing twice
    named = sum(1 for _ in store.quads())
    default = sum(1 for q in store._ox if isinstance(q.graph_name, ox.DefaultGraph))
    assert len(store) == named + default
    # exported as the entailed graph: exactly the default-graph triples no graph states
    exported = ox.parse(store.dump(ox.RdfFormat.N_QUADS, [ENTAILED_GRAPH]), format=ox.RdfFormat.N_QUADS)
    entailed = {(q.subject, q.predicate, q.object) for q in exported}
    assert (ox.NamedNode(b), ox.NamedNode(TR + "targetOf"), ox.NamedNode(a)) in entailed
    stated = {(q.subject, q.predicate, q.object) for q in store.quads()}
    assert not entailed & stated


def test_control_closure_grows_from_the_new_links_only(tmp_path):
    store = LocalStore(None, "memory")
    init_store(store)
    data = tmp_path / "chain.nq"
    # a chain c3 -> c2 -> c1 in one file, then c1 under c0 and c4 under c3 in a second
    g = f"<{SRC_NS}chain>"
    link = lambda c, p: f"<{ID_NS}chain-{c}> <{TR}parentOrganization> <{ID_NS}chain-{p}> {g} .\n"  # noqa: E731
    data.write_text(link(3, 2) + link(2, 1), encoding="utf-8")
    load_files(store, [data], check=False)
    more = tmp_path / "more.nq"
    more.write_text(link(1, 0) + link(4, 3), encoding="utf-8")
    new = {(t.subject.value[len(ID_NS):], t.object.value[len(ID_NS):]) for t in control_triples(
        store, [(f"{ID_NS}chain-1", f"{ID_NS}chain-0", SRC_NS + "chain"), (f"{ID_NS}chain-4", f"{ID_NS}chain-3", SRC_NS + "chain")])
        if t.predicate.value == TR + "controlledBy"}
    assert new == {("chain-1", "chain-0"), ("chain-2", "chain-0"), ("chain-3", "chain-0"),
                   ("chain-4", "chain-3"), ("chain-4", "chain-2"), ("chain-4", "chain-1"), ("chain-4", "chain-0")}
    load_files(store, [more], check=False)
    incremental = sorted(str(q) for q in store._ox)
    materialise(store)
    assert sorted(str(q) for q in store._ox) == incremental
