"""The groups of ``tr:`` classes the code treats alike (local names, as in the ontology).

A test checks these sets against ``ontology/techreg.ttl``: the action types are exactly
the subclasses of ``tr:RegulatoryAction``, the law types those of ``tr:Law``.
"""

__all__ = ["ACTION_CLASSES", "EVENT_CLASSES", "LAW_CLASSES", "ENTITY_CLASSES", "is_event", "is_law"]

#: Kinds of regulatory action (the event nodes of actions).
ACTION_CLASSES = frozenset({
    "RegulatoryAction", "CybersecurityReview", "Investigation", "Penalty", "AppRemoval",
    "RegistrationSuspension", "IPOSuspension", "Delisting", "GatekeeperDesignation",
    "Determination", "Order", "Approval", "Lawsuit", "CourtRuling",
})
#: Event nodes: n-ary relations with dates (actions, listings, stakes), not entities.
EVENT_CLASSES = ACTION_CLASSES | {"Listing", "Stake"}
#: Kinds of law.
LAW_CLASSES = frozenset({"Law", "Statute", "Regulation", "Measures", "Provisions", "Directive"})
#: Classes an import file may give an entity.
ENTITY_CLASSES = frozenset({
    "Company", "Regulator", "Legislature", "Exchange", "Product", "Law", "Jurisdiction",
    "Person", "Court", "GovernmentBody", "Organization",
})


def is_event(classes) -> bool:
    """Whether a node with these classes is an event node (action, listing or stake)."""
    return bool(EVENT_CLASSES & set(classes))


def is_law(classes) -> bool:
    """Whether a node with these classes is a law."""
    return bool(LAW_CLASSES & set(classes))
