"""The RDF dataset projected into a networkx MultiDiGraph for path finding.

Nodes are resources under the ``id:`` namespace: entities and event nodes (actions,
listings, stakes), each with its label, ``tr:`` classes and dates. Edges are
object-property statements between them, in the canonical direction of each inverse
pair (``parentOrganization``, not ``subsidiary``), keyed by the predicate's local name
and carrying the sources (named graphs) that state them. Literals, ``rdf:type``,
ontology terms and source documents are not path material. The transitive closure of
control (``controlledBy`` over parent chains) is added as entailed edges whose sources
are those of the chain. The projection is built once per store generation and reused.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..model.dates import DATE_PROPERTIES
from ..model.iris import DATA_GRAPH_FILTER
from ..model.iris import ID_NS, ONTOLOGY_IRI
from ..model.iris import TR_NS as _TR

__all__ = ["Projection", "project", "vocabulary", "graph_from_rows", "decorate", "node_dates"]

@dataclass
class Projection:
    """A store projected for traversal.

    Attributes
    ----------
    graph : networkx.MultiDiGraph
        Node attributes ``label``, ``classes``, ``dates``; edge key = predicate local name,
        attributes ``predicate``, ``label``, ``sources``, ``entailed``.
    predicate_labels : dict
        Local name -> English label of every object property.
    inverse_labels : dict
        Local name of a canonical property -> label of its inverse.
    """

    graph: object
    predicate_labels: dict
    inverse_labels: dict
    generation: int
    degrees: dict | None = None
    cache: dict = field(default_factory=dict)  # derived structures, such as the weighted search graph

    def degree(self, node: str) -> int:
        """The node's number of links in the whole store (a partial projection knows it
        from the store, not from the part it holds)."""
        if self.degrees is not None and node in self.degrees:
            return self.degrees[node]
        return self.graph.degree(node)

    def label(self, node: str) -> str:
        return self.graph.nodes[node].get("label", node) if node in self.graph else node

    def classes(self, node: str) -> list[str]:
        return self.graph.nodes[node].get("classes", []) if node in self.graph else []


def project(store) -> Projection:
    """Project a store into a MultiDiGraph (cached until the store changes).

    Parameters
    ----------
    store : graph.stores.Store

    Returns
    -------
    Projection
    """
    return store.cached("projection", lambda: _project(store))


def _project(store) -> Projection:
    # Building creates millions of small objects that all live on: the cyclic collector
    # would walk them again and again as they are made, so it waits until the end, and
    # the survivors are then frozen out of its later passes (gc.freeze).
    enabled = gc.isenabled()
    gc.disable()
    try:
        labels, inverse_of = vocabulary(store)
        g = _graph_from_edges(_edge_rows(store), labels, inverse_of)
        decorate(store, g, node_dates(store))
        projection = Projection(g, labels, {canon: labels[inv] for inv, canon in inverse_of.items()},
                                store.generation)
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    return projection


def _edge_rows(store) -> Iterator[tuple[str, str, str, str]]:
    """The statements of :data:`graph.network.rules.EDGE_PATTERN` as (s, p, o, g) strings.

    The ``tr:`` predicates are given as ``VALUES`` (every property the ontology declares,
    but its datatype properties; the ontology tests require every predicate of the data
    to be declared), so that Oxigraph reads them from its predicate index
    instead of filtering every quad, and the ``id:`` test on both ends is a string test
    here rather than a string function per row in the engine.
    """
    predicates = [r["p"].value for r in store.select(
        f"""SELECT DISTINCT ?p WHERE {{ GRAPH <{ONTOLOGY_IRI}> {{ ?p a ?kind }}
              FILTER(?kind IN (owl:ObjectProperty, owl:TransitiveProperty, owl:SymmetricProperty, rdf:Property))
              FILTER(STRSTARTS(STR(?p), STR(tr:)))
              FILTER NOT EXISTS {{ GRAPH <{ONTOLOGY_IRI}> {{ ?p a owl:DatatypeProperty }} }} }}""")]
    values = " ".join(f"<{p}>" for p in sorted(predicates))
    rows = store.query(f"""SELECT ?s ?p ?o ?g WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ ?s ?p ?o }}
                             {DATA_GRAPH_FILTER} FILTER(isIRI(?o)) }}""")
    for s, p, o, g in rows:
        s, o = s.value, o.value
        if s.startswith(ID_NS) and o.startswith(ID_NS):
            yield s, p.value, o, g.value


def vocabulary(store) -> tuple[dict[str, str], dict[str, str]]:
    """Return the labels of the object properties and the map inverse -> canonical property
    (read from the ontology once per store generation)."""
    return store.cached("vocabulary", lambda: _vocabulary(store))


def _vocabulary(store) -> tuple[dict[str, str], dict[str, str]]:
    inverse_of: dict[str, str] = {}
    labels: dict[str, str] = {}
    for row in store.select(
        f"""SELECT ?p ?l ?inv WHERE {{ GRAPH <{ONTOLOGY_IRI}> {{
              ?p a owl:ObjectProperty ; rdfs:label ?l . OPTIONAL {{ ?p owl:inverseOf ?inv }} }} }}"""
    ):
        p = row["p"].value[len(_TR):]
        labels[p] = row["l"].value
        if row["inv"] is not None:
            inverse_of[p] = row["inv"].value[len(_TR):]
    return labels, inverse_of


def graph_from_rows(rows, labels: dict[str, str], inverse_of: dict[str, str]):
    """Build the MultiDiGraph from ``?s ?p ?o ?g`` rows: canonical direction, one edge per
    statement with all its sources, plus the control closure."""
    return _graph_from_edges(((r["s"].value, r["p"].value, r["o"].value, r["g"].value) for r in rows),
                             labels, inverse_of)


def _graph_from_edges(rows: Iterable[tuple[str, str, str, str]], labels: dict[str, str], inverse_of: dict[str, str]):
    import networkx as nx

    cut = len(_TR)
    edges: dict[tuple[str, str, str], list[str]] = {}
    for s, p, o, graph in rows:
        p = p[cut:]
        if p in inverse_of:  # stated with the inverse property: store it canonically
            s, o, p = o, s, inverse_of[p]
        graphs = edges.setdefault((s, o, p), [])
        if graph not in graphs:
            graphs.append(graph)
    g = nx.MultiDiGraph()
    for (s, o, p), graphs in sorted(edges.items()):
        g.add_edge(s, o, key=p, predicate=_TR + p, label=labels.get(p, p), sources=sorted(graphs), entailed=False)
    _add_control_closure(g, labels)
    return g


def decorate(store, g, dates: dict[str, dict[str, str]]) -> None:
    """Put label, classes and dates on every node of a projected graph."""
    from ..lookup.names import name_lookup

    index = name_lookup(store)
    for node in sorted(g.nodes):
        g.nodes[node]["label"] = index.label(node)
        g.nodes[node]["classes"] = index.classes(node)
        g.nodes[node]["dates"] = dates.get(node, {})


def _add_control_closure(g, labels) -> None:
    """Add controlledBy edges for parent chains of two or more links (the rule of
    :func:`graph.model.control.control_chains`)."""
    from ..model.control import control_chains

    links = [(s, o, data["sources"]) for s, o, k, data in g.edges(keys=True, data=True) if k == "parentOrganization"]
    for child, parent, depth, chain in control_chains(links):
        if depth >= 2:
            g.add_edge(child, parent, key="controlledBy", predicate=_TR + "controlledBy",
                       label=labels.get("controlledBy", "controlled by"), sources=chain, entailed=True)


def node_dates(store, nodes: list[str] | None = None) -> dict[str, dict[str, str]]:
    if nodes is None:
        values = " ".join(f"tr:{p}" for p in DATE_PROPERTIES)
        rows = store.select(
            f"""SELECT ?s ?p ?d WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ ?s ?p ?d }} {DATA_GRAPH_FILTER} }}""")
    else:
        # given the nodes, the properties as a filter: with both as VALUES Oxigraph joins
        # them after reading every date of the store (20 s instead of 0.3 s at 1M quads)
        values = ", ".join(f"tr:{p}" for p in DATE_PROPERTIES)
        rows = []
        for i in range(0, len(nodes), 500):
            subjects = " ".join(f"<{n}>" for n in nodes[i:i + 500])
            rows += store.select(f"""SELECT ?s ?p ?d WHERE {{ VALUES ?s {{ {subjects} }} GRAPH ?g {{ ?s ?p ?d }}
                                     FILTER(?p IN ({values})) {DATA_GRAPH_FILTER} }}""")
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        out.setdefault(row["s"].value, {})[row["p"].value[len(_TR):]] = row["d"].value
    return out
