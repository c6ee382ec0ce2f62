"""Counts that summarise a store: triples, entities per class, actions per type, sources."""

from __future__ import annotations

from ..model.iris import DATA_GRAPH_FILTER
from ..model.entail import superclasses
from ..model.iris import ENTAILED_GRAPH, ONTOLOGY_IRI, TR_NS

__all__ = ["stats"]

_ACTION, _LISTING, _STAKE = TR_NS + "RegulatoryAction", TR_NS + "Listing", TR_NS + "Stake"


def _under(supers: dict[str, set[str]]) -> dict[str, set[str]]:
    """Each of the top classes with its subclasses at any depth (``rdfs:subClassOf*``)."""
    return {top: {top} | {c for c, ups in supers.items() if top in ups} for top in (_ACTION, _LISTING, _STAKE)}


def _iris(iris) -> str:
    return " ".join(f"<{i}>" for i in sorted(iris))


def _count(store, where: str) -> int:
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return int(rows[0]["n"].value)


def stats(store, as_of=None) -> dict:
    """Summarise a store.

    Parameters
    ----------
    store : graph.stores.Store
    as_of : str or datetime.date, optional
        Also count what stood that day: actions started by then, listings live, laws
        adopted and laws in force (entered into force, not superseded).

    Returns
    -------
    dict
        ``triples`` (asserted, entailed, ontology, total), ``entities`` (count per
        asserted class), ``actions`` (count per action type), ``sources``,
        ``named_graphs``, ``listings``, ``laws``; with ``as_of``, an ``as_of`` section.
    """
    asserted = _count(store, f"GRAPH ?g {{ ?s ?p ?o }} {DATA_GRAPH_FILTER}")
    # entailments that no graph states (the same count whether a store keeps them in a
    # named graph or in the default graph alone)
    if store.entailed_graph is None:
        entailed = _count(store, "?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } }")
    else:
        entailed = _count(store, f"""GRAPH <{store.entailed_graph}> {{ ?s ?p ?o }}
                                     MINUS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{store.entailed_graph}>) }}""")
    ontology = _count(store, f"GRAPH <{ONTOLOGY_IRI}> {{ ?s ?p ?o }}")
    per_class = store.select(
        f"""SELECT ?cls (COUNT(DISTINCT ?e) AS ?n) WHERE {{
              GRAPH ?g {{ ?e a ?cls }} {DATA_GRAPH_FILTER}
              FILTER(STRSTARTS(STR(?cls), STR(tr:)))
            }} GROUP BY ?cls ORDER BY DESC(?n) ?cls"""
    )
    entities = {r["cls"].value.split("#", 1)[1]: int(r["n"].value) for r in per_class}
    # the class hierarchy is closed here, not by rdfs:subClassOf* inside GRAPH (which
    # Virtuoso 7.2 refuses: "transitive start not given")
    under = _under(superclasses(store))
    action_rows = store.select(
        f"""SELECT ?cls (COUNT(DISTINCT ?e) AS ?n) WHERE {{
              VALUES ?cls {{ {_iris(under[_ACTION])} }}
              GRAPH ?g {{ ?e a ?cls }} {DATA_GRAPH_FILTER}
            }} GROUP BY ?cls ORDER BY DESC(?n) ?cls"""
    )
    actions = {r["cls"].value.split("#", 1)[1]: int(r["n"].value) for r in action_rows}
    distinct_entities = _count(
        store,
        f"""SELECT DISTINCT ?e WHERE {{ GRAPH ?g {{ ?e a ?cls }} {DATA_GRAPH_FILTER}
              FILTER(STRSTARTS(STR(?e), STR(id:)))
              FILTER(?cls NOT IN ({", ".join(f"<{c}>" for c in sorted(under[_ACTION] | under[_LISTING] | under[_STAKE]))})) }}""",
    )
    total_actions = _count(store, "SELECT DISTINCT ?e WHERE { ?e a tr:RegulatoryAction }")
    result = {
        "triples": {"asserted": asserted, "entailed": entailed, "ontology": ontology,
                    "total": asserted + entailed + ontology},
        "entities": distinct_entities,
        "actions": total_actions,
        "listings": _count(store, "SELECT DISTINCT ?e WHERE { ?e a tr:Listing }"),
        "laws": _count(store, "SELECT DISTINCT ?e WHERE { ?e a tr:Law }"),
        "sources": _count(store, "SELECT DISTINCT ?e WHERE { ?e a tr:Source }"),
        "named_graphs": len([g for g in store.named_graphs() if g not in (ENTAILED_GRAPH, ONTOLOGY_IRI)]),
        "per_class": entities,
        "per_action_type": actions,
    }
    if as_of is not None:
        result["as_of"] = _as_of(store, as_of)
    return result


def _as_of(store, as_of) -> dict:
    from ..model.dates import parse_date

    day = f'"{parse_date(as_of, "--as-of")}"^^xsd:date'
    started = "COALESCE(?a, ?s, ?e)"
    return {
        "date": parse_date(as_of, "--as-of"),
        "actions_started": _count(store, f"""SELECT DISTINCT ?x WHERE {{ ?x a tr:RegulatoryAction .
            OPTIONAL {{ ?x tr:announced ?a }} OPTIONAL {{ ?x tr:startDate ?s }} OPTIONAL {{ ?x tr:endDate ?e }}
            FILTER(BOUND(?a) || BOUND(?s) || BOUND(?e)) FILTER({started} <= {day}) }}"""),
        "listings_live": _count(store, f"""SELECT DISTINCT ?x WHERE {{ ?x a tr:Listing ; tr:listingDate ?l
            FILTER(?l <= {day}) FILTER NOT EXISTS {{ ?x tr:delistingDate ?d FILTER(?d < {day}) }} }}"""),
        "laws_adopted": _count(store, f"""SELECT DISTINCT ?x WHERE {{ ?x a tr:Law ; tr:dateAdopted ?d
            FILTER(?d <= {day}) }}"""),
        "laws_in_force": _count(store, f"""SELECT DISTINCT ?x WHERE {{ ?x a tr:Law ; tr:dateEffective ?d
            FILTER(?d <= {day}) FILTER NOT EXISTS {{ ?n tr:supersedes ?x ; tr:dateEffective ?r FILTER(?r <= {day}) }} }}"""),
    }
