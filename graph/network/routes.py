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
``precedent``
    a route through another firm's action: it says what a regulator did to someone
    else, not what binds this firm. Ranked last and hidden unless asked for.

The classification reads the path whatever search found it (in memory or in a store).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.classes import ACTION_CLASSES

__all__ = ["ROUTE_ORDER", "Route", "classify", "rank"]

ROUTE_ORDER = ("action", "regulator", "listing", "designation", "jurisdiction", "other", "precedent")
_GROUP = {"parentOrganization", "controlledBy", "operates"}
_DESIGNATIONS = {"GatekeeperDesignation"}


@dataclass
class Route:
    """A path's route type and a phrase that says it."""

    type: str
    phrase: str


def _member(hops) -> str:
    """How the last group member reached relates to the firm: itself, parent, subsidiary, product."""
    if not hops:
        return ""
    last = hops[-1]
    if last.predicate == "operates":
        return "product " if last.direction == "forward" else "operator "
    return "parent " if last.direction == "forward" else "subsidiary "


def classify(path) -> Route:
    """The route type of a path that starts at a firm (a :class:`graph.network.paths.Path`).

    Parameters
    ----------
    path : graph.network.paths.Path

    Returns
    -------
    Route
    """
    nodes, edges = path.nodes, path.edges
    i = 0
    while i < len(edges) and edges[i].predicate in _GROUP:
        i += 1
    group_hops = edges[:i]
    member = nodes[i]
    whose = f"{_member(group_hops)}{member.label}" if group_hops else member.label
    actions = [n for n in nodes[1:] if ACTION_CLASSES & set(n.types)]
    rest = edges[i:]
    if not rest:
        return Route("other", f"through {whose}")
    first = rest[0]
    end = nodes[-1]
    if first.predicate in ("target", "stakeHolder", "stakeIn") and first.direction == "backward" \
            and ACTION_CLASSES & set(nodes[i + 1].types):
        action = nodes[i + 1]
        if len(actions) > 1:
            return Route("precedent", f"through another action ({actions[1].label})")
        tail = [e.predicate for e in rest[1:]]
        if _DESIGNATIONS & set(action.types):
            return Route("designation", f"designation of {whose} ({action.label})")
        if tail == ["legalBasis"]:
            return Route("action", f"direct action against {whose} ({action.label}) citing {end.label}")
        if tail == ["issuedBy"]:
            return Route("action", f"direct action against {whose} ({action.label}) by {end.label}")
        if tail[:1] == ["issuedBy"] and tail[1:] == ["enforces"]:
            return Route("regulator", f"{nodes[i + 2].label} acted against {whose} and enforces {end.label}")
        firms = [n for n in nodes[i + 2:-1] if {"Company", "Product"} & set(n.types)]
        if firms:
            return Route("precedent", f"through another firm ({firms[0].label})")
        return Route("other", f"through {action.label}")
    if actions:
        return Route("precedent", f"through another firm's action ({actions[0].label})")
    others = [n for n in nodes[i + 1:-1] if {"Company", "Product"} & set(n.types)]
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
