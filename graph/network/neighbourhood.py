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

from ..model.iris import DATA_GRAPH_FILTER, TR_NS
from .rules import EDGE_FILTER, HUB_CLASSES, is_hub
from .projection import Projection, decorate, graph_from_rows, node_dates, project, vocabulary

__all__ = ["around", "projection_for", "BATCH"]

#: Frontier nodes per query.
BATCH = 200



def _entailed(store, triple: str) -> str:
    """A pattern for an entailed triple where the store keeps its entailments."""
    return f"GRAPH <{store.entailed_graph}> {{ {triple} }}" if store.entailed_graph else triple


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


def _control_links(store, nodes: list[str]) -> list[dict]:
    """The parent links of every chain of control that starts or ends at one of ``nodes``
    (their ancestors and descendants are read from the entailed closure, without a
    transitive path), so that the control-closure edges of those nodes are those of the
    whole projection even where a chain runs through a node that was not expanded."""
    chain = set(nodes)
    for batch in _batches(nodes):
        values = _values(batch)
        for r in store.select(f"""SELECT DISTINCT ?x WHERE {{ VALUES ?n {{ {values} }}
              {{ {_entailed(store, "?n tr:controlledBy ?x")} }} UNION {{ {_entailed(store, "?x tr:controlledBy ?n")} }} }}"""):
            chain.add(r["x"].value)
    rows = []
    for batch in _batches(sorted(chain)):
        values = _values(batch)
        rows += store.select(f"""SELECT ?s ?p ?o ?g WHERE {{ VALUES ?p {{ tr:parentOrganization tr:subsidiary }}
              {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}
              UNION {{ VALUES ?o {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}
              {DATA_GRAPH_FILTER} {EDGE_FILTER} }}""")
    return rows


def _chains(store, nodes: list[str]) -> tuple[list[dict], set[str]]:
    """The stated parent links of every chain through ``nodes``, and the nodes one control
    link away (entailed ``controlledBy`` either way).

    In the projection a firm is linked by ``controlledBy`` to every ancestor of its parent
    chain, one hop away; the edge is built from the chain's stated links (see
    :func:`graph.network.projection.graph_from_rows`). So expanding a node also fetches
    the links of its whole chains, and its ancestors and descendants join the frontier.
    """
    rows: list[dict] = []
    linked: set[str] = set()
    for batch in _batches(sorted(nodes)):
        values = _values(batch)
        for r in store.select(f"""SELECT ?s ?p ?o ?g ?x WHERE {{
              {{ SELECT DISTINCT ?x WHERE {{ VALUES ?n {{ {values} }}
                  {{ {_entailed(store, "?n tr:controlledBy ?x")} }} UNION {{ {_entailed(store, "?x tr:controlledBy ?n")} }} }} }}
              VALUES ?p {{ tr:parentOrganization tr:subsidiary }}
              {{ GRAPH ?g {{ ?x ?p ?o }} BIND(?x AS ?s) }} UNION {{ GRAPH ?g {{ ?s ?p ?x }} BIND(?x AS ?o) }}
              {DATA_GRAPH_FILTER} {EDGE_FILTER} }}"""):
            linked.add(r["x"].value)
            rows.append(r)
    return rows, linked


def _degrees(store, nodes: list[str], inverse_of: dict[str, str]) -> dict[str, int]:
    """Each node's degree in the whole projection: its statements counted once in their
    canonical direction (a fact stated with the inverse property is the same edge), plus
    the control-closure links of two or more steps (entailed ``controlledBy`` pairs that
    no stated parent link covers)."""
    tr = TR_NS
    out: dict[str, int] = {}
    for batch in _batches(sorted(nodes)):
        values = _values(batch)
        edges: dict[str, set[tuple[str, str, str]]] = {}
        for r in store.select(f"""SELECT DISTINCT ?n ?s ?p ?o WHERE {{
              {{ VALUES ?n {{ {values} }} GRAPH ?g {{ ?n ?p ?o }} BIND(?n AS ?s) }}
              UNION {{ VALUES ?n {{ {values} }} GRAPH ?g {{ ?s ?p ?n }} BIND(?n AS ?o) }}
              {DATA_GRAPH_FILTER} {EDGE_FILTER} }}"""):
            a, p, b = r["s"].value, r["p"].value[len(tr):], r["o"].value
            if p in inverse_of:
                a, b, p = b, a, inverse_of[p]
            edges.setdefault(r["n"].value, set()).add((a, p, b))
        for n, e in edges.items():
            out[n] = len(e)
        for r in store.select(f"""SELECT ?n (COUNT(*) AS ?d) WHERE {{
              {{ VALUES ?n {{ {values} }} {_entailed(store, "?n tr:controlledBy ?x")} BIND(?n AS ?c) BIND(?x AS ?q) }}
              UNION {{ VALUES ?n {{ {values} }} {_entailed(store, "?x tr:controlledBy ?n")} BIND(?x AS ?c) BIND(?n AS ?q) }}
              FILTER NOT EXISTS {{ GRAPH ?g {{ {{ ?c tr:parentOrganization ?q }} UNION {{ ?q tr:subsidiary ?c }} }}
                                   {DATA_GRAPH_FILTER} }}
              FILTER(?c != ?q) }} GROUP BY ?n"""):
            out[r["n"].value] = out.get(r["n"].value, 0) + int(r["d"].value)
    return out


def around(store, seeds: list[str], hops: int, towards: str | None = None,
           hub_classes: frozenset = HUB_CLASSES, induced: bool = False, expand_hubs: bool = True) -> Projection:
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
    expand_hubs : bool
        Expand nodes with more than ``HUB_DEGREE`` links (other than the seeds and
        ``towards``). A path search that does not pass through hubs passes ``False``: the
        paths it can use are all in the explored part still (their inner nodes are not
        hubs), and a hub's thousands of statements are not fetched.

    Returns
    -------
    graph.network.projection.Projection
        The explored statements, in the same form as the full projection.
    """
    from ..lookup.names import name_lookup

    index = name_lookup(store)
    labels, inverse_of = vocabulary(store)
    ends = set(seeds) | ({towards} if towards else set())
    degrees: dict[str, int] = {}
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
        if not expand_hubs:
            degrees.update(_degrees(store, sorted(n for n in todo if n not in degrees), inverse_of))
            todo = [n for n in todo if n in ends or not is_hub((), degrees.get(n, 0))]
        expanded |= set(todo)
        fresh = _edges(store, todo)
        chain_rows, linked = _chains(store, todo)
        rows += fresh + chain_rows
        nxt = {n for n in linked if n not in side["seen"]}
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
    rows += _control_links(store, sorted(expanded))
    g = graph_from_rows(rows, labels, inverse_of)
    for n in seeds + ([towards] if towards else []):
        g.add_node(n)
    decorate(store, g, node_dates(store, sorted(g.nodes)) if g.number_of_nodes() else {})
    degrees.update(_degrees(store, sorted(n for n in g.nodes if n not in degrees), inverse_of))
    degrees = {n: d for n, d in degrees.items() if n in g}
    return Projection(g, labels, {canon: labels[inv] for inv, canon in inverse_of.items()}, store.generation, degrees)


def projection_for(store, seeds: list[str] | None = None, hops: int = 6, towards: str | None = None,
                   induced: bool = False, expand_hubs: bool = True) -> Projection:
    """The projection to search: the whole graph for a local store (built once, cached),
    the explored part around ``seeds`` for a remote endpoint. A large on-disk store
    searches in the store for paths (``towards`` given), where the answers are the
    projection's; exposure and views there still use the projection."""
    if not store.searches_in_store or not seeds or (store.kind == "disk" and towards is None):
        return project(store)
    return around(store, seeds, hops, towards, induced=induced, expand_hubs=expand_hubs)
