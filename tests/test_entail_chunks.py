"""The control closure is written in requests small enough for Virtuoso's SPARQL compiler."""

import pyoxigraph as ox

from graph.model import entail
from graph.model.iris import ENTAILED_GRAPH, TR_NS


def test_control_closure_is_split_into_bounded_requests_and_is_whole():
    store = ox.Store()
    g = ox.NamedNode("https://example.org/source/registry")
    parent = ox.NamedNode(TR_NS + "parentOrganization")
    for chain in range(700):  # chains of three links: six control pairs each (every firm and each one above it)
        firms = [ox.NamedNode(f"https://w3id.org/techreg/id/c{chain}-f{i}") for i in range(4)]
        for child, up in zip(firms, firms[1:]):
            store.add(ox.Quad(child, parent, up, g))

    class Wrapped:  # the select/update interface of a techreg store over a bare pyoxigraph store
        entailed_graph = ENTAILED_GRAPH  # where a remote store keeps its entailments

        def select(self, q):
            from graph.model.iris import sparql_prologue
            result = store.query(sparql_prologue(q) + q)
            names = [v.value for v in result.variables]
            return [{n: row[n] for n in names} for row in result]

    updates = entail._control_updates(Wrapped())
    assert len(updates) > 1
    sizes = [u.count("tr:controlledBy") for u in updates]
    assert max(sizes) <= entail.CONTROL_PAIRS_PER_UPDATE
    from graph.model.iris import sparql_prologue
    for u in updates:
        store.update(sparql_prologue(u) + u)
    entailed = list(store.quads_for_pattern(None, ox.NamedNode(TR_NS + "controlledBy"), None, ox.NamedNode(ENTAILED_GRAPH)))
    assert len(entailed) == sum(sizes) == 700 * 6  # every firm controlled by each firm above it
