"""Entailments users rely on, materialised into one named graph.

The ontology's inverse properties, the transitive closure of control (parent
organisation chains, by the rule of :mod:`graph.model.control`) and class membership
through ``rdfs:subClassOf`` are written into the graph ``https://w3id.org/techreg/graph/entailed`` with plain SPARQL updates, so they
work the same in every store and can be rebuilt after a load, and merged into the
default graph with the asserted facts. Asserted facts
stay in their sources' graphs; the entailed graph holds no provenance of its own.
"""

from __future__ import annotations

from .iris import DATA_GRAPH_FILTER, ENTAILED_GRAPH, ONTOLOGY_IRI

__all__ = ["materialise", "ENTAILMENT_UPDATES"]

_DATA = DATA_GRAPH_FILTER

ENTAILMENT_UPDATES = [
    # take the previous entailments out of the merged default graph, unless also asserted
    f"""DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{ENTAILED_GRAPH}> {{ ?s ?p ?o }}
        FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ENTAILED_GRAPH}>) }} }}""",
    f"DROP SILENT GRAPH <{ENTAILED_GRAPH}>",
    # inverse properties, both ways
    f"""INSERT {{ GRAPH <{ENTAILED_GRAPH}> {{ ?o ?q ?s }} }}
        WHERE {{ GRAPH <{ONTOLOGY_IRI}> {{ {{ ?p owl:inverseOf ?q }} UNION {{ ?q owl:inverseOf ?p }} }}
                 GRAPH ?g {{ ?s ?p ?o }} {_DATA} }}""",
    # class membership through rdfs:subClassOf
    f"""INSERT {{ GRAPH <{ENTAILED_GRAPH}> {{ ?x a ?super }} }}
        WHERE {{ GRAPH ?g {{ ?x a ?c }} {_DATA}
                 GRAPH <{ONTOLOGY_IRI}> {{ ?c rdfs:subClassOf ?direct }}
                 # the rest of the chain in the default graph (which holds the ontology): Virtuoso 7
                 # cannot follow a path inside GRAPH <...> unless one end is a constant
                 ?direct rdfs:subClassOf* ?super
                 FILTER(isIRI(?super)) }}""",
    # the default graph is the merge of all graphs: add the entailments to it
    f"""INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ENTAILED_GRAPH}> {{ ?s ?p ?o }} }}""",
]


def _control_update(store) -> str | None:
    """The control closure (:mod:`graph.model.control`) as one INSERT DATA into the entailed graph."""
    from .control import PARENT_EDGES_QUERY, control_chains

    links: dict[tuple[str, str], set[str]] = {}
    for r in store.select(PARENT_EDGES_QUERY):
        links.setdefault((r["s"].value, r["o"].value), set()).add(r["g"].value)
    triples = [f"<{child}> tr:controlledBy <{parent}> . <{parent}> tr:controls <{child}> ."
               for child, parent, _, _ in control_chains((c, p, g) for (c, p), g in links.items())]
    if not triples:
        return None
    return f"INSERT DATA {{ GRAPH <{ENTAILED_GRAPH}> {{ " + "\n".join(triples) + " } }"


def materialise(store) -> None:
    """Rebuild the entailed graph of a store from its asserted graphs and the ontology.

    Parameters
    ----------
    store : graph.stores.Store
        Any store with SPARQL update.
    """
    *rebuild, merge = ENTAILMENT_UPDATES
    for update in rebuild:
        store.update(update)
    control = _control_update(store)
    if control:
        store.update(control)
    store.update(merge)
