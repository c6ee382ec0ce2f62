"""Explained paths between entities, and a company's exposure to laws and regulators.

Ranking rule (also in the README): a path's cost is the sum over its hops of the
relation's weight plus, for every node the path passes through, ``log2(1 + degree)``
(so well-connected nodes cost more to pass through than specific ones). Relations that
explain something (targets, issuers, legal bases, enforcement, ownership, operation,
listings) weigh 1; loose ones (jurisdiction, affiliation) weigh 6. Hub nodes, that is
jurisdictions and any node with more than ``HUB_DEGREE`` links, are not passed through
unless named with ``via``; when the only routes run through hubs, the result says so.
Equal costs are broken by hop count, then by the labels along the path, so answers do
not change from run to run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..model.classes import is_event
from ..errors import BadInput
from ..lookup.names import curie
from ..model.dates import in_force as _in_force
from ..model.dates import parse_date
from ..model.dates import when as _when
from .rules import MAX_HOPS_LIMIT, is_hub, relation_weight

__all__ = [
    "NodeInfo", "Hop", "Path", "PathResult", "Search", "find_paths", "build_path", "explain", "node_info", "sentence", "when", "check_max_hops",
]


# (forward phrase, backward phrase): "S <forward> O", "O <backward> S"
_PHRASES = {
    "target": ("targeted", "was the target of"),
    "issuedBy": ("was taken by", "took"),
    "legalBasis": ("was based on", "was the legal basis of"),
    "partOf": ("was part of", "included"),
    "enforces": ("enforces", "is enforced by"),
    "parentOrganization": ("is a subsidiary of", "is the parent of"),
    "controlledBy": ("is controlled by", "controls"),
    "operates": ("operates", "is operated by"),
    "listedCompany": ("is a listing of", "is listed as"),
    "exchange": ("trades on", "lists"),
    "mergedInto": ("merged into", "was formed from"),
    "passedBy": ("was passed by", "passed"),
    "amends": ("amends", "is amended by"),
    "implements": ("implements", "is implemented by"),
    "supersedes": ("supersedes", "is superseded by"),
    "oversees": ("oversees", "is overseen by"),
    "establishedBy": ("was established by", "established"),
    "jurisdiction": ("is in", "is the jurisdiction of"),
    "affiliation": ("is affiliated with", "has as an affiliate"),
    "stakeHolder": ("is held by", "holds"),
    "stakeIn": ("is a stake in", "has as a shareholding"),
}


@dataclass
class NodeInfo:
    """A node on a path."""

    iri: str
    label: str
    types: list[str]
    dates: dict[str, str] = field(default_factory=dict)


@dataclass
class Hop:
    """One edge of a path, in path order, with its true direction.

    ``direction`` is ``forward`` when the stored statement runs from ``source`` to
    ``target`` and ``backward`` when the path walks it against its direction.
    """

    source: str
    target: str
    predicate: str
    label: str
    direction: str
    sources: list[str]
    dates: dict[str, str]
    entailed: bool = False
    reading: str = ""  # the relation named in the direction walked ("target of" for <-target-)


@dataclass
class Path:
    """One path: its nodes, hops, cost and plain-English explanation."""

    nodes: list[NodeInfo]
    edges: list[Hop]
    cost: float
    hops: int
    sentence: str = ""
    through_hubs: list[str] = field(default_factory=list)
    route_type: str = ""  # see graph.network.routes
    route: str = ""


@dataclass
class PathResult:
    """The answer of :func:`find_paths`."""

    source: NodeInfo
    target: NodeInfo
    paths: list[Path]
    max_hops: int
    note: str = ""
    nearest: list[NodeInfo] = field(default_factory=list)
    hidden_precedents: int = 0
    names: dict = field(default_factory=dict)  # iri -> {label_en, label_zh}, under --lang only

    def as_dict(self) -> dict:
        from dataclasses import asdict

        def node(n: NodeInfo) -> dict:
            return {"iri": n.iri, "curie": curie(n.iri), "label": n.label, "types": n.types, **self.names.get(n.iri, {})}

        return {
            "from": node(self.source),
            "to": node(self.target),
            "max_hops": self.max_hops,
            "note": self.note or None,
            "paths": [
                {"hops": p.hops, "cost": round(p.cost, 3), "route_type": p.route_type, "route": p.route,
                 "sentence": p.sentence,
                 "through_hubs": p.through_hubs,
                 "nodes": [node(n) for n in p.nodes],
                 "edges": [asdict(e) for e in p.edges]}
                for p in self.paths
            ],
            "nearest": [node(n) for n in self.nearest],
            "hidden_precedents": self.hidden_precedents,
        }


def _base(projection, directed: bool):
    """The weighted simple graph of a projection, with its hubs: built once per projection.

    Each node pair keeps every relation that links it, cheapest first, as ``options``
    ``(weight, key, (u, v))``; a query that avoids a relation falls back to the next.
    """
    cached = projection.cache.get(("search", directed))
    if cached is not None:
        return cached
    import networkx as nx

    g = projection.graph
    degree = dict(g.degree()) if projection.degrees is None else {n: projection.degree(n) for n in g.nodes}
    penalty = {n: math.log2(1 + d) for n, d in degree.items()}
    hubs = {n for n, a in g.nodes(data=True) if is_hub(a.get("classes", ()), degree[n])}
    options: dict[tuple[str, str], list] = {}
    for u, v, k in g.edges(keys=True):
        if u == v:
            continue
        pair = (u, v) if directed or u <= v else (v, u)
        w = relation_weight(k) + (penalty[u] + penalty[v]) / 2
        options.setdefault(pair, []).append((w, k, (u, v)))
    simple = nx.DiGraph() if directed else nx.Graph()
    simple.add_nodes_from(g.nodes)
    simple.add_edges_from((a, b, {"options": sorted(opts), "weight": min(opts)[0]}) for (a, b), opts in options.items())
    cached = (simple, hubs)
    projection.cache[("search", directed)] = cached
    return cached


class Search:
    """A projection's weighted graph with the user's filters applied as a weight function
    (hidden nodes and relations weigh ``None``), so nothing is rebuilt per query."""

    def __init__(self, projection, *, avoid=(), as_of=None, directed=False, allow_hubs=False, keep=()):
        import networkx as nx

        g = projection.graph
        self.projection = projection
        self.directed = directed
        self.routes = None  # a graph.network.routes.RouteContext of the start, when known
        avoid_nodes, avoid_preds, avoid_classes = set(), set(), set()
        for item in avoid:
            kind, value = item
            {"node": avoid_nodes, "predicate": avoid_preds, "class": avoid_classes}[kind].add(value)
        self.simple, self.hubs = _base(projection, directed)
        dropped = set(avoid_nodes)
        if avoid_classes or as_of:
            for n, a in g.nodes(data=True):
                if avoid_classes & set(a.get("classes", ())):
                    dropped.add(n)
                elif as_of and not _in_force(a.get("dates", {}), as_of):
                    dropped.add(n)
        if not allow_hubs:
            dropped |= self.hubs
        dropped -= set(keep)
        self.dropped = dropped
        self.avoid_preds = avoid_preds
        self.view = nx.subgraph_view(self.simple, filter_node=lambda n: n not in dropped,
                                     filter_edge=lambda a, b: self.option(a, b) is not None)

    def option(self, a: str, b: str):
        """The cheapest relation still allowed between two nodes: (weight, key, (u, v)) or None."""
        for opt in self.simple[a][b]["options"]:
            if opt[1] not in self.avoid_preds:
                return opt
        return None

    def weight(self, a: str, b: str, data) -> float | None:
        if a in self.dropped or b in self.dropped:
            return None
        if not self.avoid_preds:  # the common case: the cheapest relation
            return data["weight"]
        opt = self.option(a, b)
        return None if opt is None else opt[0]

    def cost(self, nodes: list[str]) -> float:
        return sum(self.option(a, b)[0] for a, b in zip(nodes, nodes[1:]))

    def best(self, s: str, t: str) -> list[str] | None:
        """The cheapest path, or None."""
        import networkx as nx

        if s not in self.simple or t not in self.simple:
            return None
        try:
            return nx.bidirectional_dijkstra(self.simple, s, t, weight=self.weight)[1]
        except nx.NetworkXNoPath:
            return None

    def candidates(self, s: str, t: str, limit: int):
        """Yield simple paths in order of cost (Yen's algorithm), at most ``limit``."""
        import networkx as nx

        if s not in self.simple or t not in self.simple:
            return
        try:
            for i, nodes in enumerate(nx.shortest_simple_paths(self.simple, s, t, weight=self.weight)):
                if i >= limit:
                    return
                yield nodes
        except nx.NetworkXNoPath:
            return


def node_info(projection, iri: str) -> NodeInfo:
    a = projection.graph.nodes[iri] if iri in projection.graph else {}
    return NodeInfo(iri, a.get("label", curie(iri)), list(a.get("classes", [])), dict(a.get("dates", {})))


def build_path(search: Search, nodes: list[str]) -> Path:
    projection = search.projection
    g = projection.graph
    hops = []
    for a, b in zip(nodes, nodes[1:]):
        _, key, (u, v) = search.option(a, b)
        edge = g.get_edge_data(u, v, key)
        direction = "forward" if (u, v) == (a, b) else "backward"
        reading = edge["label"] if direction == "forward" else projection.inverse_labels.get(key, f"{edge['label']} of")
        event = b if direction == "backward" else a
        hops.append(Hop(a, b, key, edge["label"], direction, list(edge["sources"]),
                        dict(g.nodes[event].get("dates", {})) if is_event(g.nodes[event].get("classes", [])) else {},
                        bool(edge.get("entailed")), reading))
    infos = [node_info(projection, n) for n in nodes]
    path = Path(infos, hops, search.cost(nodes), len(hops),
                through_hubs=[projection.label(n) for n in nodes[1:-1] if n in search.hubs])
    return explain(path, search.routes)


def explain(path: Path, context=None) -> Path:
    """Set a path's route type, route phrase and sentence from its nodes and hops.

    Parameters
    ----------
    path : Path
        Its labels are used as they are (English, or relabelled for ``--lang``).
    context : graph.network.routes.RouteContext, optional
        The data about the firm the path starts at (see :func:`graph.network.routes.classify`).

    Returns
    -------
    Path
        The same object.
    """
    from .routes import classify

    route = classify(path, context)
    path.route_type, path.route = route.type, route.phrase
    path.sentence = f"{sentence(path)} Route: {route.type}, {route.phrase}."
    return path


def when(info: NodeInfo) -> str:
    """The phrase that dates an event node, e.g. `` (announced 5 Jul 2021)``."""
    return _when(info.dates)


def sentence(path: Path) -> str:
    """Explain a path in one plain-English sentence.

    Examples
    --------
    "Yunmanman was the target of Cybersecurity review of Yunmanman (announced 5 Jul 2021),
    which was taken by Cyberspace Administration of China, which enforces Data Security Law."
    """
    if not path.edges:
        return ""
    parts = []
    for i, hop in enumerate(path.edges):
        forward, backward = _PHRASES.get(hop.predicate, (hop.label, f"is the {hop.label} of"))
        verb = forward if hop.direction == "forward" else backward
        target = path.nodes[i + 1]
        obj = f"{target.label}{when(target) if is_event(target.types) else ''}"
        if i == 0:
            subject = path.nodes[0]
            parts.append(f"{subject.label}{when(subject) if is_event(subject.types) else ''} {verb} {obj}")
        else:
            parts.append(f"which {verb} {obj}")
    return ", ".join(parts) + "."


def _is_relation(store, text: str) -> bool:
    from .projection import vocabulary

    local = text.strip().split(":", 1)[1] if text.strip().startswith("tr:") else text.strip()
    return local in vocabulary(store)[0]


def _parse_constraints(store, projection, items, allow_class: bool):
    """Turn --via/--avoid values into ('node'|'predicate'|'class', value) pairs."""
    from ..lookup.names import resolve

    out = []
    if not items:
        return out
    classes = {c for _, a in projection.graph.nodes(data=True) for c in a.get("classes", [])}
    predicates = set(projection.predicate_labels)
    for raw in items:
        text = raw.strip()
        local = text.split(":", 1)[1] if text.startswith("tr:") else text
        if local in predicates:
            out.append(("predicate", local))
        elif allow_class and local in classes | {"Jurisdiction"}:
            out.append(("class", local))
        else:
            out.append(("node", resolve(store, text)))
    return out


def check_max_hops(max_hops) -> None:
    """Refuse a hop limit outside 1 to ``MAX_HOPS_LIMIT``.

    Raises
    ------
    BadInput
    """
    if not isinstance(max_hops, int) or not 1 <= max_hops <= MAX_HOPS_LIMIT:
        raise BadInput(f"--max-hops must be between 1 and {MAX_HOPS_LIMIT}, not {max_hops}")


def find_paths(store, source: str, target: str, *, k: int = 3, max_hops: int = 6, via=(), avoid=(),
               directed: bool = False, as_of=None, allow_hubs: bool = False, precedent: bool = False,
               lang=("en",)) -> PathResult:
    """Find the best paths between two entities.

    Parameters
    ----------
    store : graph.stores.Store
    source, target : str
        Names, ids or IRIs of the two entities.
    k : int
        How many alternative paths to return, best first.
    max_hops : int
        The longest path to consider (1 to ``MAX_HOPS_LIMIT``).
    via : iterable of str
        Predicates or entities every path must use.
    avoid : iterable of str
        Predicates, entities or classes no path may use.
    directed : bool
        Follow statements only in their stored direction.
    as_of : str or datetime.date, optional
        Only facts in force that day: actions started, listings not ended, laws adopted.
    allow_hubs : bool
        Let paths pass through hubs (jurisdictions, very high-degree nodes).
    precedent : bool
        Keep routes through other firms' actions (route type ``precedent``) even when
        other routes exist; they always rank after the others.
    lang : tuple of str
        Label languages (:func:`graph.lookup.lang.parse_lang`): labels, sentences and
        notes name entities in them; ranking is the same in every language.

    Returns
    -------
    PathResult
        ``paths`` is empty when none exists within ``max_hops``; ``note`` then says why
        and ``nearest`` lists reachable entities of the target's class.

    Raises
    ------
    BadInput
        Unknown or ambiguous names, equal endpoints, a bad ``max_hops`` or date.
    """
    from .neighbourhood import projection_for
    from ..lookup.names import resolve

    check_max_hops(max_hops)
    if k < 1 or k > 100:
        raise BadInput(f"-k must be between 1 and 100, not {k}")
    as_of = parse_date(as_of, "--as-of")
    s, t = resolve(store, source), resolve(store, target)
    if s == t:
        raise BadInput(f"{source!r} and {target!r} are the same entity ({curie(s)}); name two different ones")
    via_names = [resolve(store, v) for v in via if not _is_relation(store, v)]
    projection = projection_for(store, [s, *via_names], max_hops, towards=t, expand_hubs=allow_hubs)
    via_items = _parse_constraints(store, projection, via, allow_class=False)
    avoid_items = _parse_constraints(store, projection, avoid, allow_class=True)
    via_nodes = [v for kind, v in via_items if kind == "node"]
    via_preds = {v for kind, v in via_items if kind == "predicate"}
    search = Search(projection, avoid=avoid_items, as_of=as_of, directed=directed,
                     allow_hubs=allow_hubs, keep=[s, t, *via_nodes])
    from .routes import rank, route_context

    search.routes = route_context(store, s)

    pool = _collect(search, s, t, max(3 * k, k + 5), max_hops, via_nodes, via_preds)
    pool.sort(key=lambda p: (rank(p.route_type), round(p.cost, 9), p.hops, [n.label for n in p.nodes]))
    kept = [p for p in pool if p.route_type != "precedent"]
    hidden = 0
    if not precedent and kept:
        hidden = len(pool) - len(kept)
        pool = kept
    paths = pool[:k]
    result = PathResult(node_info(projection, s), node_info(projection, t), paths, max_hops, hidden_precedents=hidden)
    hub_paths = []
    if not paths:
        if not allow_hubs:  # the routes through hubs, to say so: explored with the hubs expanded
            projection = projection_for(store, [s, *via_names], max_hops, towards=t)
            search = Search(projection, avoid=avoid_items, as_of=as_of, directed=directed,
                            allow_hubs=allow_hubs, keep=[s, t, *via_nodes])
        hub_search = Search(projection, avoid=avoid_items, as_of=as_of, directed=directed,
                             allow_hubs=True, keep=[s, t, *via_nodes])
        hub_paths = [] if allow_hubs else _collect(hub_search, s, t, 1, max_hops, via_nodes, via_preds)
        result.nearest = _nearest_of_class(search, s, t, max_hops)
    if tuple(lang) != ("en",):
        from .language import relabel_result

        relabel_result(store, result, lang, lambda p: explain(p, search.routes), extra=hub_paths)
    if not paths:
        if hub_paths:
            hubs = ", ".join(hub_paths[0].through_hubs)
            result.note = (f"{result.source.label} and {result.target.label} are connected within {max_hops} hops "
                           f"only through {hubs}, which explains nothing; use --allow-hubs to see such paths")
        else:
            result.note = f"no path between {result.source.label} and {result.target.label} within {max_hops} hops"
    return result


def _collect(search: Search, s, t, k, max_hops, via_nodes, via_preds) -> list[Path]:
    found: list[list[str]] = []
    budget = max(50, 20 * k)
    if via_nodes:
        chain = [s, *via_nodes, t]
        legs = []
        for a, b in zip(chain, chain[1:]):
            leg = [p for p in search.candidates(a, b, budget) if len(p) - 1 <= max_hops][: max(k, 3)]
            if not leg:
                return []
            legs.append(leg)
        combos = [[]]
        for leg in legs:
            combos = [c + (p if not c else p[1:]) for c in combos for p in leg]
        found = [c for c in combos if len(c) == len(set(c)) and len(c) - 1 <= max_hops]
    elif k == 1 and not via_preds:  # the single best path: one bidirectional Dijkstra
        nodes = search.best(s, t)
        if nodes and len(nodes) - 1 <= max_hops:
            found.append(nodes)
        elif nodes:  # the cheapest path is too long: look further down the ranking
            found = [p for p in search.candidates(s, t, budget) if len(p) - 1 <= max_hops][:1]
    else:
        for nodes in search.candidates(s, t, budget):
            if len(nodes) - 1 > max_hops:
                continue
            found.append(nodes)
            if len(found) >= k and not via_preds:
                break
    if via_preds:
        found = [p for p in found if any(search.option(a, b)[1] in via_preds for a, b in zip(p, p[1:]))]
    paths = [build_path(search, nodes) for nodes in found]
    paths.sort(key=lambda p: (round(p.cost, 9), p.hops, [n.label for n in p.nodes]))
    return paths[:k]


def _nearest_of_class(search: Search, s: str, t: str, max_hops: int) -> list[NodeInfo]:
    import networkx as nx

    projection = search.projection
    wanted = set(projection.classes(t)) - {"Law"} or set(projection.classes(t))
    if s not in search.view:
        return []
    lengths = nx.single_source_shortest_path_length(search.view.to_undirected(as_view=True)
                                                    if search.directed else search.view, s, cutoff=max_hops)
    near = [n for n, d in sorted(lengths.items(), key=lambda x: (x[1], projection.label(x[0])))
            if n not in (s, t) and wanted & set(projection.classes(n))]
    return [node_info(projection, n) for n in near[:5]]
