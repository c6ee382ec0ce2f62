"""The part of a store's graph around some entities, fetched with batched SPARQL.

For a remote endpoint the whole-graph projection would pull every statement over the
network. Instead, :func:`around` expands from the given entities one hop at a time, with
one query per batch of frontier nodes (``VALUES`` of up to ``BATCH`` nodes), and, given a
target, from both ends, always the smaller frontier first, until the two depths add up
to the hop limit. Every path within the limit then lies in the explored part (each of
its statements touches a node expanded from one end or the other), so the answers are
those of the full projection: each node's degree is taken from the whole store, so
paths are ranked the same way too. Hubs (jurisdictions) are reached but not expanded,
as the path search does not pass through them.
"""

from __future__ import annotations

from ..model.iris import DATA_GRAPH_FILTER
from .rules import EDGE_FILTER, HUB_CLASSES
from .projection import Projection, decorate, graph_from_rows, node_dates, project, vocabulary

__all__ = ["around", "projection_for", "BATCH"]

#: Frontier nodes per query.
BATCH = 200



def _values(nodes) -> str:
    return " ".join(f"<{n}>" for n in nodes)


def _batches(nodes: list[str]):
    for i in range(0, len(nodes), BATCH):
        yield nodes[i:i + BATCH]


def _edges(store, nodes: list[str]) -> list[dict]:
    rows = []
    for batch in _batches(sorted(nodes)):
        values = _values(batch)
        rows += store.select(f"""SELECT ?s ?p ?o ?g WHERE {{
              {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}
              UNION {{ VALUES ?o {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}
              {DATA_GRAPH_FILTER} {EDGE_FILTER} }}""")
    return rows


def _degrees(store, nodes: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for batch in _batches(sorted(nodes)):
        values = _values(batch)
        for r in store.select(f"""SELECT ?n (COUNT(DISTINCT ?key) AS ?d) WHERE {{
              {{ VALUES ?n {{ {values} }} GRAPH ?g {{ ?n ?p ?o }} BIND(?n AS ?s)
                 BIND(CONCAT(STR(?n), " ", STR(?p), " ", STR(?o)) AS ?key) }}
              UNION {{ VALUES ?n {{ {values} }} GRAPH ?g {{ ?s ?p ?n }} BIND(?n AS ?o)
                 BIND(CONCAT(STR(?s), " ", STR(?p), " ", STR(?n)) AS ?key) }}
              {DATA_GRAPH_FILTER} {EDGE_FILTER} }} GROUP BY ?n"""):
            out[r["n"].value] = int(r["d"].value)
    return out


def around(store, seeds: list[str], hops: int, towards: str | None = None,
           hub_classes: frozenset = HUB_CLASSES, induced: bool = False) -> Projection:
    """Explore the graph around ``seeds`` (and ``towards``) with batched queries.

    Parameters
    ----------
    store : graph.stores.Store
    seeds : list of str
        Entity IRIs to start from.
    hops : int
        How far to explore (in total, both ends together when ``towards`` is given).
    towards : str, optional
        A target IRI: expand from both ends, the smaller frontier first, until the two
        depths add up to ``hops``.
    hub_classes : frozenset
        Classes of nodes that are reached but not expanded (they explain nothing).
    induced : bool
        Also fetch the statements among the nodes reached last (a neighbourhood view
        shows every link between the nodes it shows).

    Returns
    -------
    graph.network.projection.Projection
        The explored statements, in the same form as the full projection.
    """
    from ..lookup.names import name_index

    index = name_index(store)
    labels, inverse_of = vocabulary(store)
    sides = [{"seen": set(seeds), "frontier": set(seeds)}]
    if towards:
        sides.append({"seen": {towards}, "frontier": {towards}})
    rows: list[dict] = []
    expanded: set[str] = set()
    depth = 0
    while depth < hops:
        side = min((s for s in sides if s["frontier"]), key=lambda s: len(s["frontier"]), default=None)
        if side is None:
            break
        todo = [n for n in side["frontier"] if n not in expanded and not hub_classes & set(index.classes(n))]
        expanded |= set(todo)
        fresh = _edges(store, todo)
        rows += fresh
        nxt = set()
        for r in fresh:
            for n in (r["s"].value, r["o"].value):
                if n not in side["seen"]:
                    nxt.add(n)
        side["seen"] |= nxt
        side["frontier"] = nxt
        depth += 1
    if induced:
        reached = set().union(*(side["seen"] for side in sides))
        last = [n for n in reached if n not in expanded and not hub_classes & set(index.classes(n))]
        rows += [r for r in _edges(store, last) if r["s"].value in reached and r["o"].value in reached]
    g = graph_from_rows(rows, labels, inverse_of)
    for n in seeds + ([towards] if towards else []):
        g.add_node(n)
    decorate(store, g, node_dates(store, sorted(g.nodes)) if g.number_of_nodes() else {})
    degrees = _degrees(store, sorted(g.nodes))
    for node in g.nodes:  # the control closure adds links the count of statements does not see
        degrees[node] = degrees.get(node, 0) + sum(1 for *_, k in g.edges(node, keys=True) if k == "controlledBy") \
            + sum(1 for *_, k in g.in_edges(node, keys=True) if k == "controlledBy")
    return Projection(g, labels, {canon: labels[inv] for inv, canon in inverse_of.items()}, store.generation, degrees)


def projection_for(store, seeds: list[str] | None = None, hops: int = 6, towards: str | None = None,
                   induced: bool = False) -> Projection:
    """The projection to search: the whole graph for a local store (built once, cached),
    the explored part around ``seeds`` for a remote endpoint."""
    if not store.searches_in_store or not seeds:
        return project(store)
    return around(store, seeds, hops, towards, induced=induced)
