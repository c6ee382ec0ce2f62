"""What the path search may pass through and what each relation costs: one home for the
hub rule, the relation weights and the statements that count as edges.

Hubs are nodes that explain nothing when a path runs through them: jurisdictions, and
any node with more than :data:`HUB_DEGREE` links. They are reached but not passed
through (not expanded by in-store searches, not traversed by the path search, not
expanded in views) unless the user asks for them.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model.iris import DATA_GRAPH_FILTER

__all__ = ["HUB_CLASSES", "HUB_DEGREE", "RELATION_WEIGHTS", "MAX_HOPS_LIMIT", "is_hub", "relation_weight",
           "EDGE_FILTER", "EDGE_PATTERN"]

#: Classes whose members are hubs.
HUB_CLASSES = frozenset({"Jurisdiction"})
#: Nodes with more links than this are hubs.
HUB_DEGREE = 200
#: Relations that explain little weigh more than the default of 1.
RELATION_WEIGHTS = {"jurisdiction": 6.0, "affiliation": 6.0}
#: The longest path a search considers.
MAX_HOPS_LIMIT = 12

#: A SPARQL filter keeping ``?s ?p ?o`` to statements between entities with a ``tr:`` relation.
EDGE_FILTER = ("FILTER(isIRI(?o) && STRSTARTS(STR(?p), STR(tr:)) "
               "&& STRSTARTS(STR(?s), STR(id:)) && STRSTARTS(STR(?o), STR(id:)))")
#: The statements projected as edges: ``?s ?p ?o`` in source graph ``?g``.
EDGE_PATTERN = f"GRAPH ?g {{ ?s ?p ?o }} {DATA_GRAPH_FILTER} {EDGE_FILTER}"


def is_hub(classes: Iterable[str], degree: int) -> bool:
    """Whether a node with these classes (superclasses included) and links is a hub."""
    return bool(HUB_CLASSES & set(classes)) or degree > HUB_DEGREE


def relation_weight(predicate: str) -> float:
    """The cost of one hop along a relation (its local name)."""
    return RELATION_WEIGHTS.get(predicate, 1.0)
