"""The ontology's disjointness axioms, checked by an OWL RL closure of the bundled data."""

import pyoxigraph as ox
import pytest
import rdflib
from owlrl import DeductiveClosure, OWLRL_Semantics

from graph import resources
from graph.model.namespaces import TR
from graph.stores import open_store

# where owlrl records the inconsistencies it finds
ERRORS = rdflib.Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
DIDI = rdflib.URIRef("https://w3id.org/techreg/id/didi-global")


@pytest.fixture(scope="module")
def bundled_triples() -> rdflib.Graph:
    store = open_store("memory")
    nt = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").serialize(format=ox.RdfFormat.N_TRIPLES)
    g = rdflib.Graph()
    g.parse(str(resources.ontology_file()), format="turtle")
    g.parse(data=nt, format="nt")
    return g


def _inconsistencies(graph: rdflib.Graph, *extra) -> list[str]:
    g = rdflib.Graph()
    for t in graph:
        g.add(t)
    for t in extra:
        g.add(t)
    DeductiveClosure(OWLRL_Semantics, improved_datatypes=False).expand(g)
    return sorted(str(m) for m in g.objects(None, ERRORS.error))


@pytest.mark.slow
def test_bundled_data_is_consistent_and_mistyped_data_is_caught(bundled_triples):
    assert (DIDI, rdflib.RDF.type, rdflib.URIRef(TR.Company)) in bundled_triples
    assert _inconsistencies(bundled_triples) == []

    # a firm typed as a law, or as a government body, breaks an axiom (the ontology and the
    # firm's own facts are enough to show it, and keep the closure quick)
    ontology = rdflib.Graph().parse(str(resources.ontology_file()), format="turtle")
    for t in bundled_triples.triples((DIDI, None, None)):
        ontology.add(t)
    assert _inconsistencies(ontology) == []
    for wrong in (TR.Statute, TR.Regulator):
        found = _inconsistencies(ontology, (DIDI, rdflib.RDF.type, rdflib.URIRef(wrong)))
        assert found and all("didi-global" in m for m in found), wrong
