"""What a path from a firm to a law or regulator means: its route type.

Route types, best first (:data:`ROUTE_ORDER`):

``action``
    an action against the firm, its parent, subsidiary or product that cites the law
    (or was taken by the regulator);
``regulator``
    a regulator that acted against the firm (or its group) and enforces the law;
``listing``
    a listing of the firm (or its group) on an exchange whose regulator enforces the law
    (HFCAA via the SEC);
``designation``
    a designation of the firm or its service (DMA gatekeeper, DSA very large platform);
``jurisdiction``
    the jurisdiction the firm operates in;
``other``
    any other route through the firm's own group and facts;
``loose``
    an ``other`` route through an authority (regulator, legislature, government body,
    court) that took no action against the firm's group (DiDi Global to COPPA through the
    HFCAA and Congress): it says how the law sits in the landscape, not why it binds the firm;
``precedent``
    a route through another firm's action: it says what a regulator did to someone
    else, not what binds this firm. Ranked last and hidden unless asked for.

The classification reads the path whatever search found it (in memory or in a store).
With a :class:`RouteContext` (:func:`route_context`) it also uses the data about the firm:
its group (parents, subsidiaries and products at any depth), the actions against the group
and their issuers. An action against a member of the group is then never precedent (two
actions of one case, such as a fine that is part of an investigation), another firm of the
group is not "another firm", and ``loose`` routes are told from ``other`` ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.classes import ACTION_CLASSES

__all__ = ["ROUTE_ORDER", "Route", "RouteContext", "route_context", "classify", "rank"]

ROUTE_ORDER = ("action", "regulator", "listing", "designation", "jurisdiction", "other", "loose", "precedent")
_AUTHORITIES = {"Regulator", "Legislature", "GovernmentBody", "Court"}
_GROUP = {"parentOrganization", "controlledBy", "operates"}
_DESIGNATIONS = {"GatekeeperDesignation"}


@dataclass
class Route:
    """A path's route type and a phrase that says it."""

    type: str
    phrase: str


@dataclass(frozen=True)
class RouteContext:
    """What the data says about the firm a route starts at.

    ``group`` holds the firm, its parents, their subsidiaries and the products any of them
    operates (any depth); ``actions`` the actions against a member of the group; ``acted``
    the authorities that issued one of those actions.
    """

    firm: str
    group: frozenset = field(default_factory=frozenset)
    actions: frozenset = field(default_factory=frozenset)
    acted: frozenset = field(default_factory=frozenset)


_UP = "tr:parentOrganization|tr:controlledBy|^tr:operates"
_DOWN = "^tr:parentOrganization|^tr:controlledBy|tr:operates"


def route_context(store, firm: str) -> RouteContext:
    """The group of ``firm``, the actions against it and their issuers (cached per store).

    Every property path starts at a written IRI (Virtuoso evaluates those).
    """
    def build():
        tops = {r["top"].value for r in store.select(f"SELECT DISTINCT ?top WHERE {{ <{firm}> ({_UP})* ?top }}")
                if r["top"] is not None}
        group = set(tops) | {firm}
        for top in sorted(tops):
            group |= {r["m"].value for r in store.select(f"SELECT DISTINCT ?m WHERE {{ <{top}> ({_DOWN})* ?m }}")
                      if r["m"] is not None}
        values = " ".join(f"<{m}>" for m in sorted(group) if not m.startswith("_:"))
        rows = store.select(f"""SELECT DISTINCT ?a ?i WHERE {{ VALUES ?m {{ {values} }} ?a tr:target ?m .
                                 OPTIONAL {{ ?a tr:issuedBy ?i }} }}""") if values else []
        actions = frozenset(r["a"].value for r in rows)
        acted = frozenset(r["i"].value for r in rows if r.get("i") is not None)
        return RouteContext(firm, frozenset(group), actions, acted)

    return store.cached(("route-context", firm), build)


def _member(hops) -> str:
    """How the last group member reached relates to the firm: itself, parent, subsidiary, product."""
    if not hops:
        return ""
    last = hops[-1]
    if last.predicate == "operates":
        return "product " if last.direction == "forward" else "operator "
    return "parent " if last.direction == "forward" else "subsidiary "


def classify(path, context: RouteContext | None = None) -> Route:
    """The route type of a path that starts at a firm (a :class:`graph.network.paths.Path`).

    Parameters
    ----------
    path : graph.network.paths.Path
    context : RouteContext, optional
        The data about the firm the path starts at (:func:`route_context`); without it the
        path alone decides (any second action is precedent, no route is ``loose``).

    Returns
    -------
    Route
    """
    route = _classify(path, context)
    if route.type == "other" and context is not None:
        idle = [n for n in path.nodes[1:-1] if _AUTHORITIES & set(n.types) and n.iri not in context.acted]
        if idle:
            return Route("loose", f"loosely, through {idle[0].label}, which took no action against "
                                  f"{path.nodes[0].label} or its group")
    return route


def _classify(path, context: RouteContext | None) -> Route:
    nodes, edges = path.nodes, path.edges
    i = 0
    while i < len(edges) and edges[i].predicate in _GROUP:
        i += 1
    group_hops = edges[:i]
    member = nodes[i]
    whose = f"{_member(group_hops)}{member.label}" if group_hops else member.label

    def own(n) -> bool:  # an action against the group, or a firm of the group
        return context is not None and (n.iri in context.actions or n.iri in context.group)

    actions = [n for n in nodes[1:] if ACTION_CLASSES & set(n.types)]
    foreign = [n for n in actions if not own(n)]
    rest = edges[i:]
    if not rest:
        return Route("other", f"through {whose}")
    first = rest[0]
    end = nodes[-1]
    if first.predicate in ("target", "stakeHolder", "stakeIn") and first.direction == "backward" \
            and ACTION_CLASSES & set(nodes[i + 1].types):
        j = i + 1
        while context is not None and j < len(edges) and edges[j].predicate == "partOf" \
                and ACTION_CLASSES & set(nodes[j + 1].types) and own(nodes[j + 1]):
            j += 1  # actions tied by tr:partOf, all against the group: one case
        action = nodes[j]
        case = f", part of one case with {nodes[i + 1].label}" if j > i + 1 else ""
        later = [n for n in nodes[j + 1:] if ACTION_CLASSES & set(n.types)]
        if later and (context is None or not all(own(n) for n in later)):
            other = next((n for n in later if not own(n)), later[0])
            return Route("precedent", f"through another action ({other.label})")
        firms = [n for n in nodes[j + 1:-1] if {"Company", "Product"} & set(n.types) and not own(n)]
        if later:  # further actions against the group, reached through a regulator or a law
            if firms:
                return Route("precedent", f"through another firm ({firms[0].label})")
            return Route("other", f"through {action.label} and {later[0].label}")
        tail = [e.predicate for e in edges[j:]]
        if _DESIGNATIONS & set(action.types):
            return Route("designation", f"designation of {whose} ({action.label}{case})")
        if tail == ["legalBasis"]:
            return Route("action", f"direct action against {whose} ({action.label}{case}) citing {end.label}")
        if tail == ["issuedBy"]:
            return Route("action", f"direct action against {whose} ({action.label}{case}) by {end.label}")
        if tail[:1] == ["issuedBy"] and tail[1:] == ["enforces"]:
            return Route("regulator", f"{nodes[-2].label} acted against {whose} and enforces {end.label}")
        if firms:
            return Route("precedent", f"through another firm ({firms[0].label})")
        return Route("other", f"through {action.label}")
    if foreign:
        return Route("precedent", f"through another firm's action ({foreign[0].label})")
    others = [n for n in nodes[i + 1:-1] if {"Company", "Product"} & set(n.types) and not own(n)]
    if others:
        return Route("precedent", f"through another firm ({others[0].label})")
    if first.predicate in ("target", "listedCompany") and first.direction == "forward":
        return Route("other", f"through {nodes[i + 1].label}")
    if first.predicate == "listedCompany" and first.direction == "backward":
        return Route("listing", f"listing of {whose} ({nodes[i + 1].label})")
    if first.predicate == "jurisdiction":
        return Route("jurisdiction", f"{whose} is in {nodes[i + 1].label}")
    return Route("other", f"through {whose}")


def rank(route_type: str) -> int:
    """The position of a route type in :data:`ROUTE_ORDER`."""
    return ROUTE_ORDER.index(route_type)
