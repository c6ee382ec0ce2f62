"""A company's exposure to laws and regulators: every law and regulator within reach,
with the best path to each, grouped by route (its own actions and listings, its parents',
its subsidiaries', its products')."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.classes import is_law
from ..model.dates import parse_date
from .paths import NodeInfo, Path, Search, build_path, check_max_hops, explain, node_info

__all__ = ["ExposureItem", "Exposure", "exposure", "route_group"]

@dataclass
class ExposureItem:
    """A law or regulator an entity is connected to, with its best path."""

    entity: NodeInfo
    kind: str
    route: str
    path: Path

    @property
    def route_type(self) -> str:
        """What the route means (see :mod:`graph.network.routes`)."""
        return self.path.route_type


@dataclass
class Exposure:
    """The answer of :func:`exposure`, grouped by route."""

    source: NodeInfo
    max_hops: int
    items: list[ExposureItem]
    hidden_precedents: int = 0
    alternatives: list = None
    names: dict = field(default_factory=dict)  # iri -> {label_en, label_zh}, under --lang only

    def groups(self) -> dict[str, list[ExposureItem]]:
        out: dict[str, list[ExposureItem]] = {}
        for item in self.items:
            out.setdefault(item.route, []).append(item)
        return out

    def as_dict(self) -> dict:
        from dataclasses import asdict

        def node(n: NodeInfo) -> dict:
            return {**asdict(n), **self.names.get(n.iri, {})}

        return {
            "entity": node(self.source),
            "max_hops": self.max_hops,
            "hidden_precedents": self.hidden_precedents,
            "alternatives": self.alternatives or [],
            "routes": {
                route: [{"entity": node(i.entity), "kind": i.kind, "route_type": i.route_type,
                         "route_phrase": i.path.route, "hops": i.path.hops,
                         "cost": round(i.path.cost, 3), "sentence": i.path.sentence,
                         "path": [node(n) for n in i.path.nodes], "edges": [asdict(e) for e in i.path.edges]}
                        for i in items]
                for route, items in self.groups().items()
            },
        }




def route_group(path: Path) -> str:
    """The group of an exposure route: ``own actions``, ``via parent X``..., from its first hop."""
    first = path.edges[0]
    other = path.nodes[1]
    if first.predicate in ("target", "listedCompany", "stakeHolder", "stakeIn") and first.direction == "backward":
        kind = "listings" if "Listing" in other.types else ("stakes" if "Stake" in other.types else "actions")
        return f"own {kind}"
    if first.predicate in ("parentOrganization", "controlledBy") and first.direction == "forward":
        return f"via parent {other.label}"
    if first.predicate in ("parentOrganization", "controlledBy") and first.direction == "backward":
        return f"via subsidiary {other.label}"
    if first.predicate == "operates" and first.direction == "forward":
        return f"via product {other.label}"
    if first.predicate == "operates" and first.direction == "backward":
        return f"via operator {other.label}"
    return f"via {other.label}"


def exposure(store, entity: str, *, max_hops: int = 4, as_of=None, precedent: bool = False,
             jurisdiction=None, type_=None, lang=("en",)) -> Exposure:
    """Every law and regulator an entity is connected to, grouped by route.

    Parameters
    ----------
    store : graph.stores.Store
    entity : str
        A company (or any entity) by name, id or IRI.
    max_hops : int
        How far to look.
    as_of : str or datetime.date, optional
        Only facts in force that day.
    precedent : bool
        Keep laws and regulators reached only through other firms' actions.
    jurisdiction : str, optional
        Only laws and regulators of this jurisdiction or one inside it.
    type_ : str, optional
        Only laws and regulators of this class or a subclass (``Statute``, ``Regulator``).
    lang : tuple of str
        Label languages (:func:`graph.lookup.lang.parse_lang`); the order is the same in
        every language.

    Returns
    -------
    Exposure
        One item per law or regulator, with the best route to it: ranked by route type
        (:data:`graph.network.routes.ROUTE_ORDER`), then by cost; grouped by where the
        route starts (its own actions and listings, its parents', subsidiaries', products').
    """
    import networkx as nx

    from .neighbourhood import projection_for
    from .routes import rank
    from ..answers.filters import make_filter
    from ..lookup.names import choose

    check_max_hops(max_hops)
    as_of = parse_date(as_of, "--as-of")
    keep = make_filter(store, jurisdiction, type_)
    choice = choose(store, entity)
    s = choice.iri
    projection = projection_for(store, [s], max_hops)
    search = Search(projection, as_of=as_of, keep=[s])
    from .routes import route_context

    search.routes = route_context(store, s)
    items = []
    hidden = 0
    if s in search.view:
        _, paths = nx.single_source_dijkstra(search.simple, s, weight=search.weight)
        hop_ok = nx.single_source_shortest_path_length(search.view, s, cutoff=max_hops)
        for node in sorted(hop_ok, key=lambda n: projection.label(n).casefold()):
            classes = set(projection.classes(node))
            kind = "law" if is_law(classes) else "regulator" if "Regulator" in classes else None
            if node == s or kind is None or (keep.active and not keep.accepts(node)):
                continue
            nodes = paths[node]
            if len(nodes) - 1 > max_hops:
                nodes = nx.shortest_path(search.view, s, node)
            path = build_path(search, nodes)
            if path.route_type != "precedent" and rank(path.route_type) > 0:
                path = _better(search, s, node, path, max_hops)
            elif path.route_type == "precedent":
                path = _better(search, s, node, path, max_hops)
            if path.route_type == "precedent" and not precedent:
                hidden += 1
                continue
            items.append(ExposureItem(node_info(projection, node), kind, route_group(path), path))
    items.sort(key=lambda i: (rank(i.route_type), round(i.path.cost, 9), i.kind, i.entity.label))
    result = Exposure(node_info(projection, s), max_hops, items, hidden, choice.alternatives)
    if tuple(lang) != ("en",):
        from .language import relabel_exposure

        relabel_exposure(store, result, lang, lambda p: explain(p, search.routes), route_group)
    return result


def _better(search, s: str, t: str, best: Path, max_hops: int, tries: int = 6) -> Path:
    """The best-ranked route among the few cheapest paths (the cheapest may be a precedent)."""
    from .routes import rank

    for nodes in search.candidates(s, t, tries):
        if len(nodes) - 1 > max_hops:
            continue
        path = build_path(search, nodes)
        if rank(path.route_type) < rank(best.route_type):
            best = path
            if rank(best.route_type) == 0:
                break
    return best
