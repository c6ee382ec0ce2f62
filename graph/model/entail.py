"""Entailments users rely on, materialised where queries without ``GRAPH`` see them.

The ontology's inverse properties, the transitive closure of control (parent
organisation chains, by the rule of :mod:`graph.model.control`) and class membership
through ``rdfs:subClassOf`` are written with plain SPARQL updates, so they work the same
in every store and can be rebuilt after a load. Asserted facts stay in their sources'
graphs; the entailments hold no provenance of their own.

Where they go depends on the store (``store.entailed_graph``): a remote endpoint keeps
them in the named graph ``https://w3id.org/techreg/graph/entailed`` and merges that into
its default graph; Oxigraph in this process keeps them in the default graph only, as the
triples of the default graph that no named graph states (a second copy in a named graph
cost a third of the store on disk, in Oxigraph's six quad indexes, and no query read it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from .iris import DATA_GRAPH_FILTER, ENTAILED_GRAPH, ONTOLOGY_IRI, RDF_TYPE, TR_NS

__all__ = ["materialise", "superclasses", "ENTAILMENT_UPDATES", "DEFAULT_ENTAILMENT_UPDATES", "Rules", "rules",
           "entailed_by", "parent_links",
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


#: The same for a store whose entailments sit in the default graph only (no named graph).
DEFAULT_ENTAILMENT_UPDATES = [
    # take the previous entailments out: the default-graph triples no named graph states
    "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }",
    f"""INSERT {{ ?o ?q ?s }}
        WHERE {{ GRAPH <{ONTOLOGY_IRI}> {{ {{ ?p owl:inverseOf ?q }} UNION {{ ?q owl:inverseOf ?p }} }}
                 GRAPH ?g {{ ?s ?p ?o }} {_DATA} }}""",
    f"""INSERT {{ ?x a ?super }}
        WHERE {{ GRAPH ?g {{ ?x a ?c }} {_DATA}
                 GRAPH <{ONTOLOGY_IRI}> {{ ?c rdfs:subClassOf ?direct }}
                 ?direct rdfs:subClassOf* ?super
                 FILTER(isIRI(?super)) }}""",
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
    if store.entailed_graph is None:
        heads = ["INSERT DATA { ", " }"]
    else:
        heads = [f"INSERT DATA {{ GRAPH <{store.entailed_graph}> {{ ", " } }"]
    return [heads[0] + "\n".join(triples[i:i + CONTROL_PAIRS_PER_UPDATE]) + heads[1]
            for i in range(0, len(triples), CONTROL_PAIRS_PER_UPDATE)]


def materialise(store) -> None:
    """Rebuild the entailments of a store from its asserted graphs and the ontology.

    Parameters
    ----------
    store : graph.stores.Store
        Any store with SPARQL update; ``store.entailed_graph`` says where the
        entailments go (a named graph merged into the default graph, or the default
        graph alone).
    """
    if store.entailed_graph is None:
        rebuild, merge = DEFAULT_ENTAILMENT_UPDATES, None
    else:
        *rebuild, merge = ENTAILMENT_UPDATES
    for update in rebuild:
        store.update(update)
    for control in _control_updates(store):
        store.update(control)
    if merge:
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


def _parent_links_of(store, nodes: list[str], up: bool) -> Iterator[tuple[str, str]]:
    """The stated (child, parent) links of the data graphs whose child (``up``) or parent
    is one of ``nodes``, in batches of queries."""
    var = "?s" if up else "?o"
    for i in range(0, len(nodes), 500):
        values = " ".join(f"<{n}>" for n in nodes[i:i + 500])
        for r in store.select(f"""SELECT DISTINCT ?s ?o WHERE {{ VALUES {var} {{ {values} }}
              {{ GRAPH ?g {{ ?s tr:parentOrganization ?o }} }} UNION {{ GRAPH ?g {{ ?o tr:subsidiary ?s }} }}
              {_DATA} FILTER(isIRI(?s) && isIRI(?o)) }}"""):
            yield r["s"].value, r["o"].value


def _reach(store, starts: set[str], batch: dict[str, set[str]], up: bool) -> dict[str, set[str]]:
    """For each start, every node it reaches along parent links (``up``) or child links,
    over the store's links and the new ``batch`` (node to its neighbours that way)."""
    nxt: dict[str, set[str]] = {}
    frontier = set(starts)
    while frontier:
        for n in frontier:
            nxt.setdefault(n, set()).update(batch.get(n, ()))
        for child, parent in _parent_links_of(store, sorted(frontier), up):
            a, b = (child, parent) if up else (parent, child)
            nxt.setdefault(a, set()).add(b)
        frontier = {m for n in frontier for m in nxt[n]} - nxt.keys()
    out = {}
    for start in starts:
        seen, todo = set(), [start]
        while todo:
            for m in nxt.get(todo.pop(), ()):
                if m not in seen:
                    seen.add(m)
                    todo.append(m)
        out[start] = seen
    return out


def control_triples(store, extra_links: Iterable[tuple[str, str, str]] = ()) -> list[ox.Triple]:
    """The control entailments that new parent links add to the store's closure.

    A pair enters the closure through a new link ``child -> parent``: every node at or
    below the child comes under every node at or above the parent. The chains are walked
    from the new links only (a few queries per link of depth), so the cost follows the new
    links and their chains, not the store. The store's own parent links must already be
    closed (as :func:`materialise` and every write leave them); the triples returned may
    include some the store holds.

    Parameters
    ----------
    store : graph.stores.Store
    extra_links : iterable of (child, parent, graph)
        The stated parent links among the new quads (:func:`parent_links`).

    Returns
    -------
    list of pyoxigraph.Triple
        ``controlledBy`` and ``controls`` triples, sorted.
    """
    new = {(c, p) for c, p, _ in extra_links if c != p}
    if not new:
        return []
    ups: dict[str, set[str]] = {}
    downs: dict[str, set[str]] = {}
    for c, p in new:
        ups.setdefault(c, set()).add(p)
        downs.setdefault(p, set()).add(c)
    above = _reach(store, {p for _, p in new}, ups, up=True)
    below = _reach(store, {c for c, _ in new}, downs, up=False)
    pairs = {(x, y) for c, p in new for x in below[c] | {c} for y in above[p] | {p} if x != y}
    by, controls = ox.NamedNode(TR_NS + "controlledBy"), ox.NamedNode(TR_NS + "controls")
    out = []
    for child, parent in sorted(pairs):
        c, p = ox.NamedNode(child), ox.NamedNode(parent)
        out += [ox.Triple(c, by, p), ox.Triple(p, controls, c)]
    return out
