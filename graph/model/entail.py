"""Entailments users rely on, materialised into one named graph.

The ontology's inverse properties, the transitive closure of control (parent
organisation chains, by the rule of :mod:`graph.model.control`) and class membership
through ``rdfs:subClassOf`` are written into the graph ``https://w3id.org/techreg/graph/entailed`` with plain SPARQL updates, so they
work the same in every store and can be rebuilt after a load, and merged into the
default graph with the asserted facts. Asserted facts
stay in their sources' graphs; the entailed graph holds no provenance of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from .iris import DATA_GRAPH_FILTER, ENTAILED_GRAPH, ONTOLOGY_IRI, RDF_TYPE, TR_NS

__all__ = ["materialise", "superclasses", "ENTAILMENT_UPDATES", "Rules", "rules", "entailed_by", "parent_links",
           "control_triples"]

_DATA = DATA_GRAPH_FILTER
_NOT_DATA = (ENTAILED_GRAPH, ONTOLOGY_IRI)
_PARENT = TR_NS + "parentOrganization"
_SUBSIDIARY = TR_NS + "subsidiary"

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


#: Control pairs per INSERT DATA request (two triples each): Virtuoso 7.2's SPARQL compiler
#: runs out of memory ("SP030 ... memory exhausted") on one request of a 100k-quad store's closure.
CONTROL_PAIRS_PER_UPDATE = 500


def _control_updates(store) -> list[str]:
    """The control closure (:mod:`graph.model.control`) as INSERT DATA requests into the
    entailed graph, of at most :data:`CONTROL_PAIRS_PER_UPDATE` pairs each."""
    from .control import PARENT_EDGES_QUERY, control_chains

    links: dict[tuple[str, str], set[str]] = {}
    for r in store.select(PARENT_EDGES_QUERY):
        links.setdefault((r["s"].value, r["o"].value), set()).add(r["g"].value)
    triples = [f"<{child}> tr:controlledBy <{parent}> . <{parent}> tr:controls <{child}> ."
               for child, parent, _, _ in control_chains((c, p, g) for (c, p), g in links.items())]
    return [f"INSERT DATA {{ GRAPH <{ENTAILED_GRAPH}> {{ " + "\n".join(triples[i:i + CONTROL_PAIRS_PER_UPDATE]) + " } }"
            for i in range(0, len(triples), CONTROL_PAIRS_PER_UPDATE)]


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
    for control in _control_updates(store):
        store.update(control)
    store.update(merge)


@dataclass(frozen=True)
class Rules:
    """The ontology's entailment rules, read once, to entail from new quads alone.

    Attributes
    ----------
    inverse : dict
        Property IRI to the IRIs of its inverses (both directions of ``owl:inverseOf``).
    supers : dict
        Class IRI to the IRIs of its superclasses (``rdfs:subClassOf+``).
    """

    inverse: dict[str, tuple[str, ...]]
    supers: dict[str, tuple[str, ...]]


def rules(store) -> Rules:
    """Read the inverse properties and the class hierarchy from a store's ontology graph."""
    inverse: dict[str, set[str]] = {}
    for r in store.select(f"SELECT ?p ?q WHERE {{ GRAPH <{ONTOLOGY_IRI}> {{ ?p owl:inverseOf ?q }} }}"):
        p, q = r["p"].value, r["q"].value
        inverse.setdefault(p, set()).add(q)
        inverse.setdefault(q, set()).add(p)
    supers = superclasses(store)
    return Rules({k: tuple(sorted(v)) for k, v in inverse.items()},
                 {k: tuple(sorted(v)) for k, v in supers.items()})


def superclasses(store) -> dict[str, set[str]]:
    """The superclasses (``rdfs:subClassOf+``, IRIs only) of each class of the ontology graph.

    The direct links are read and closed here: engines such as Virtuoso 7.2 refuse a
    transitive path inside ``GRAPH`` with neither end given ("transitive start not given").

    Parameters
    ----------
    store : graph.stores.Store

    Returns
    -------
    dict
        Class IRI to the set of its superclass IRIs (itself only on a cycle).
    """
    direct: dict[str, set[str]] = {}
    for r in store.select(f"""SELECT DISTINCT ?c ?super WHERE {{ GRAPH <{ONTOLOGY_IRI}> {{ ?c rdfs:subClassOf ?super }}
                                FILTER(isIRI(?super)) }}"""):
        direct.setdefault(r["c"].value, set()).add(r["super"].value)
    closed: dict[str, set[str]] = {}
    for c, ups in direct.items():
        seen: set[str] = set()
        todo = list(ups)
        while todo:
            s = todo.pop()
            if s not in seen:
                seen.add(s)
                todo.extend(direct.get(s, ()))
        closed[c] = seen
    return closed


def entailed_by(quads: Iterable[ox.Quad], rules: Rules) -> Iterator[ox.Triple]:
    """The inverse and class-membership triples entailed by new data quads alone.

    Both rules take one data triple as premise, so the entailments of a store with new
    quads are those it had plus these (and the control closure, see :func:`control_triples`).
    Quads outside the data graphs (ontology, entailed) entail nothing here.
    """
    inverse, supers = rules.inverse, rules.supers
    for q in quads:
        g = q.graph_name
        if not isinstance(g, ox.NamedNode) or g.value in _NOT_DATA:
            continue
        p = q.predicate.value
        if p in inverse and not isinstance(q.object, ox.Literal):
            for inv in inverse[p]:
                yield ox.Triple(q.object, ox.NamedNode(inv), q.subject)
        if p == RDF_TYPE and isinstance(q.object, ox.NamedNode) and q.object.value in supers:
            for sup in supers[q.object.value]:
                yield ox.Triple(q.subject, q.predicate, ox.NamedNode(sup))


def parent_links(quads: Iterable[ox.Quad]) -> Iterator[tuple[str, str, str]]:
    """The stated parent links (child, parent, graph) among new quads, as in
    :data:`graph.model.control.PARENT_EDGES_QUERY`."""
    for q in quads:
        g = q.graph_name
        if not isinstance(g, ox.NamedNode) or g.value in _NOT_DATA or not isinstance(q.object, ox.NamedNode):
            continue
        p = q.predicate.value
        if p == _PARENT:
            yield q.subject.value, q.object.value, g.value
        elif p == _SUBSIDIARY:
            yield q.object.value, q.subject.value, g.value


def control_triples(store, extra_links: Iterable[tuple[str, str, str]] = ()) -> list[ox.Triple]:
    """The whole control closure of the store's parent links plus ``extra_links``.

    The closure only grows when links are added, so the triples returned include every
    control entailment the store already holds.
    """
    from .control import PARENT_EDGES_QUERY, control_chains

    links: dict[tuple[str, str], set[str]] = {}
    for r in store.select(PARENT_EDGES_QUERY):
        if isinstance(r["s"], ox.NamedNode) and isinstance(r["o"], ox.NamedNode):
            links.setdefault((r["s"].value, r["o"].value), set()).add(r["g"].value)
    for child, parent, g in extra_links:
        links.setdefault((child, parent), set()).add(g)
    by, controls = ox.NamedNode(TR_NS + "controlledBy"), ox.NamedNode(TR_NS + "controls")
    out = []
    for child, parent, _, _ in control_chains((c, p, g) for (c, p), g in links.items()):
        c, p = ox.NamedNode(child), ox.NamedNode(parent)
        out += [ox.Triple(c, by, p), ox.Triple(p, controls, c)]
    return out
