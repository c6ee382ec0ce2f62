"""Choosing what a view shows: the neighbourhood of entities, paths in their context, a
query's result or everything, with the class filters, ``--as-of`` and size limits."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..errors import BadInput
from ..model.iris import RDF_TYPE as _RDF_TYPE
from ..model.iris import TR_NS as _TR
from ..network.rules import is_hub
from ..model.dates import in_force


#: The most nodes a view may have before it is refused (a browser handles ~2,500 well).
DEFAULT_MAX_NODES = 2500
#: The most edges a view may have before it is refused.
DEFAULT_MAX_EDGES = 10000

_EVENT_ROOTS = ("RegulatoryAction", "Listing", "Stake")


@dataclass
class ViewGraph:
    """What a view shows, before it is drawn.

    Attributes
    ----------
    graph : networkx.MultiDiGraph
        Nodes (IRIs) with ``label``, ``classes`` and ``dates``; edges keyed by the
        predicate's local name with ``label``, ``sources`` and ``entailed``.
    title : str
        A one-line description of the view.
    seeds : set of str
        The nodes the user named.
    highlight_nodes, highlight_edges : set
        Nodes and ``(source, target, key)`` edges on a path.
    literals : dict
        Extra literal values per node (from a query result): IRI -> list of (name, value).
    """

    graph: object
    title: str
    seeds: set = field(default_factory=set)
    highlight_nodes: set = field(default_factory=set)
    highlight_edges: set = field(default_factory=set)
    literals: dict = field(default_factory=dict)
    removed: list = field(default_factory=list)
    dropped_by_keep: dict = field(default_factory=dict)



def class_hierarchy(store) -> dict[str, set[str]]:
    """Map every ``tr:`` class's local name to itself and its ``tr:`` superclasses."""
    return store.cached("class-hierarchy", lambda: _read_hierarchy(store))


def _read_hierarchy(store) -> dict[str, set[str]]:
    from ..model.iris import ONTOLOGY_IRI

    out: dict[str, set[str]] = {}
    rows = store.select(
        f"""SELECT ?c ?sup WHERE {{ GRAPH <{ONTOLOGY_IRI}> {{ ?c a owl:Class . ?c rdfs:subClassOf* ?sup }}
              FILTER(STRSTARTS(STR(?c), STR(tr:)) && STRSTARTS(STR(?sup), STR(tr:))) }}"""
    )
    for row in rows:
        out.setdefault(row["c"].value[len(_TR):], set()).add(row["sup"].value[len(_TR):])
    for name, supers in out.items():
        supers.add(name)
    return out


def ancestors(hierarchy, classes) -> set[str]:
    out: set[str] = set()
    for c in classes:
        out |= hierarchy.get(c, {c})
    return out


def check_classes(hierarchy, names, option) -> set[str]:
    known = {c.casefold(): c for c in hierarchy}
    out = set()
    for name in names:
        text = str(name).strip()
        if text.startswith("tr:"):
            text = text[3:]
        elif text.startswith(_TR):
            text = text[len(_TR):]
        hit = known.get(text.casefold())
        if hit is None:
            close = difflib.get_close_matches(text.casefold(), list(known), n=3, cutoff=0.5)
            hint = "; did you mean: " + ", ".join(known[c] for c in close) + "?" if close else ""
            raise BadInput(f"{option}: no class named {name!r}{hint} (classes: {', '.join(sorted(hierarchy))})")
        out.add(hit)
    return out


def _is_event(hierarchy, classes) -> bool:
    return bool(ancestors(hierarchy, classes) & set(_EVENT_ROOTS))


def _base(store, hierarchy, as_of, drop, seeds=None, hops: int = 0, induced: bool = True):
    """The projection without the nodes the filters leave out (a read-only subgraph view).

    On a remote endpoint only the part within ``hops`` of ``seeds`` is fetched."""
    from ..network.neighbourhood import projection_for

    projection = projection_for(store, seeds, hops, induced=induced)
    g = projection.graph
    if not as_of and not drop:
        return projection, g
    keep = []
    for node, attrs in g.nodes(data=True):
        if drop and set(attrs.get("classes", ())) & drop:
            continue
        if as_of and not in_force(attrs.get("dates") or {}, as_of):
            continue
        keep.append(node)
    return projection, g.subgraph(keep)


def _copy(g, nodes, store, extra_seeds=()):
    """An independent MultiDiGraph of ``nodes`` and every edge among them."""
    import networkx as nx

    from ..lookup.names import name_index

    out = nx.MultiDiGraph()
    sub = g.subgraph(nodes)
    out.add_nodes_from((n, dict(sub.nodes[n])) for n in sorted(sub.nodes))
    out.add_edges_from((u, v, k, dict(d)) for u, v, k, d in sorted(sub.edges(keys=True, data=True),
                                                                   key=lambda e: e[:3]))
    index = name_index(store)
    for n in extra_seeds:
        if n not in out:  # an entity with no links at all: still show it
            out.add_node(n, label=index.label(n), classes=index.classes(n), dates={})
    return out


def _is_hub(hierarchy, projection, node) -> bool:
    classes = projection.graph.nodes[node].get("classes", ())
    return is_hub(ancestors(hierarchy, classes), projection.degree(node))


def select_neighbourhood(store, names, depth, hierarchy, as_of, drop) -> ViewGraph:
    from ..lookup.names import curie, resolve

    seeds = []
    for name in names:
        iri = resolve(store, name)
        if iri not in seeds:
            seeds.append(iri)
    projection, g = _base(store, hierarchy, as_of, drop, seeds, depth)
    seen = set(seeds)
    frontier = [s for s in seeds if s in g]
    for _ in range(depth):
        nxt = []
        for node in frontier:
            if node not in seeds and _is_hub(hierarchy, projection, node):
                continue
            for other in sorted(set(g.successors(node)) | set(g.predecessors(node))):
                if other not in seen:
                    seen.add(other)
                    nxt.append(other)
        frontier = nxt
    graph = _copy(g, seen, store, extra_seeds=seeds)
    labels = ", ".join(graph.nodes[s].get("label") or curie(s) for s in seeds)
    title = f"Around {labels} (depth {depth})" + (f", as of {as_of}" if as_of else "")
    return ViewGraph(graph, title, seeds=set(seeds))


def select_all(store, hierarchy, as_of, drop) -> ViewGraph:
    projection, g = _base(store, hierarchy, as_of, drop)
    return ViewGraph(_copy(g, list(g.nodes), store), "The whole knowledge base" +
                     (f" as of {as_of}" if as_of else ""))


def select_paths(store, result, hierarchy, as_of, drop, context_budget: int = 40) -> ViewGraph:
    """Path nodes and edges, plus one link of context around them while it stays small."""
    path_nodes = sorted({n.iri for p in result.paths for n in p.nodes})
    projection, g = _base(store, hierarchy, as_of, drop, path_nodes, 1)
    on_path: list[str] = []
    edges = set()
    for p in result.paths:
        for n in p.nodes:
            if n.iri not in on_path:
                on_path.append(n.iri)
        for hop in p.edges:
            pred = hop.predicate.rsplit("#", 1)[-1]
            s, t = (hop.source, hop.target) if hop.direction == "forward" else (hop.target, hop.source)
            edges.add((s, t, pred))
    ends = [result.source.iri, result.target.iri]
    context: set[str] = set()
    for group in (ends, on_path):
        more = set()
        for node in group:
            if node in g and (node in ends or not _is_hub(hierarchy, projection, node)):
                more |= set(g.successors(node)) | set(g.predecessors(node))
        if len(context | more) > context_budget:
            break
        context |= more
    graph = _copy(g, set(on_path) | context, store, extra_seeds=on_path)
    for s, t, pred in edges:  # a path edge the filters removed from the base stays visible
        if not graph.has_edge(s, t, pred) and projection.graph.has_edge(s, t, pred):
            graph.add_edge(s, t, key=pred, **dict(projection.graph.edges[s, t, pred]))
    title = (f"Paths from {result.source.label} to {result.target.label}"
             f" ({len(result.paths)} shown)")
    return ViewGraph(graph, title, seeds=set(ends), highlight_nodes=set(on_path), highlight_edges=edges)


def _read_query(query: str) -> tuple[str, str]:
    """Return (name, text) of a query given as text, a file, ``@file`` or a library name."""
    from ..query.library import load_query

    spec = str(query).strip()
    try:
        text, meta = load_query(spec)
    except BadInput as exc:
        raise BadInput(f"--query: {exc}") from None
    name = getattr(meta, "name", None) or ("query" if "{" in spec else spec)
    return name, text


def _term_key(term) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1] or iri


def select_query(store, query, hierarchy, as_of, drop, query_timeout: float = 30.0) -> ViewGraph:
    import networkx as nx
    import pyoxigraph as ox

    from ..lookup.sources import predicate_labels
    from ..network.neighbourhood import projection_for
    from ..lookup.names import curie, name_index

    from ..query.run import run_query

    name, text = _read_query(query)
    try:
        result = run_query(store, text, timeout=query_timeout)  # the safety gate runs first
    except BadInput as exc:
        raise BadInput(f"--query {name}: {exc}") from None
    if result.kind == "graph":
        triples = [(t.subject, t.predicate, t.object) for t in result.triples()]
    elif result.kind == "solutions":
        variables = list(result.variables)
        if not {"s", "p", "o"} <= set(variables):
            raise BadInput(f"--query {name}: a SELECT drawn as a graph must bind ?s ?p ?o; this one binds "
                           + (" ".join("?" + v for v in variables) or "nothing"))
        triples = [(r["s"], r["p"], r["o"]) for r in result.rows() if r["s"] and r["p"] and r["o"]]
    else:
        raise BadInput(f"--query {name}: an ASK query has no graph to draw; use CONSTRUCT or SELECT ?s ?p ?o")

    index = name_index(store)
    named = sorted({t.value for triple in triples for t in triple if isinstance(t, ox.NamedNode)})
    projection = projection_for(store, named, 0)
    pg = projection.graph
    plabels = predicate_labels(store)
    graph = nx.MultiDiGraph()
    literals: dict[str, list] = {}

    def node(term):
        key = _term_key(term)
        if key not in graph:
            if key in pg:
                graph.add_node(key, **{a: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v)
                                       for a, v in pg.nodes[key].items()})
            elif isinstance(term, ox.NamedNode):
                graph.add_node(key, label=index.label(key) if index.known(key) else curie(key),
                               classes=list(index.classes(key)), dates={})
            else:
                graph.add_node(key, label=key, classes=[], dates={})
        return key

    for s, p, o in triples:
        if isinstance(s, ox.Triple) or isinstance(o, ox.Triple):
            continue
        sk = node(s)
        if p.value == _RDF_TYPE and isinstance(o, ox.NamedNode):
            if o.value.startswith(_TR):
                cls = graph.nodes[sk].setdefault("classes", [])
                if o.value[len(_TR):] not in cls:
                    cls.append(o.value[len(_TR):])
            continue
        if isinstance(o, ox.Literal):
            literals.setdefault(sk, []).append((plabels.get(p.value, _local(p.value)), o.value))
            continue
        ok = node(o)
        key = _local(p.value)
        if graph.has_edge(sk, ok, key):
            continue
        data = pg.edges[sk, ok, key] if pg.has_edge(sk, ok, key) else {}
        graph.add_edge(sk, ok, key=key, predicate=p.value, label=plabels.get(p.value, data.get("label", key)),
                       sources=list(data.get("sources", [])), entailed=bool(data.get("entailed", False)))
    remove = []
    for n, attrs in graph.nodes(data=True):
        if drop and set(attrs.get("classes", ())) & drop:
            remove.append(n)
        elif as_of and not in_force(attrs.get("dates") or {}, as_of):
            remove.append(n)
    graph.remove_nodes_from(remove)
    return ViewGraph(graph, f"Result of {name}", literals=literals)


def keep_only(vg: ViewGraph, keep: set[str], hierarchy, names=None) -> None:
    """Keep the seeds, the path nodes and the nodes whose own classes are in ``keep`` (the
    classes already expanded to their subclasses where wanted, see :func:`expand_classes`)."""
    drop = [n for n, attrs in vg.graph.nodes(data=True)
            if n not in vg.seeds and n not in vg.highlight_nodes
            and not set(attrs.get("classes", ())) & keep]
    vg.dropped_by_keep.update({n: list(vg.graph.nodes[n].get("classes") or ["(no class)"]) for n in drop})
    vg.graph.remove_nodes_from(drop)
    vg.title += " — only " + ", ".join(sorted(names or keep))


def expand_classes(hierarchy, names, subclasses: bool = True) -> set[str]:
    """The classes a filter matches: ``names``, and with ``subclasses`` every class under them.

    Filters compare this set with each node's own (most specific) classes, so
    ``--exclude GovernmentBody`` also removes regulators (a subclass) while
    ``--exclude-only GovernmentBody`` removes only nodes typed ``GovernmentBody`` itself.
    """
    names = set(names)
    if not subclasses:
        return names
    return names | {c for c, supers in hierarchy.items() if supers & names}


def check_size(vg: ViewGraph, max_nodes: int, max_edges: int) -> None:
    n, m = vg.graph.number_of_nodes(), vg.graph.number_of_edges()
    if n > max_nodes or m > max_edges:
        what = (f"{n:,} nodes, over the limit of {max_nodes:,}" if n > max_nodes
                else f"{m:,} edges, over the limit of {max_edges:,}")
        raise BadInput(
            f"this view would have {what}; a browser cannot draw that usefully. Narrow it: a smaller "
            "--depth, fewer entities, --class CLASS to keep only some classes, --exclude CLASS "
            "(e.g. --exclude Jurisdiction), or --as-of DATE (from Python: view(..., max_nodes=N) "
            "raises the limit)")


# -- drawing --------------------------------------------------------------------------


