"""Counts that summarise a store: triples, entities per class, actions per type, sources."""

from __future__ import annotations

from .facts import DATA_GRAPH_FILTER
from .namespaces import ENTAILED_GRAPH, ONTOLOGY_IRI

__all__ = ["stats"]



def _count(store, where: str) -> int:
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return int(rows[0]["n"].value)


def stats(store) -> dict:
    """Summarise a store.

    Parameters
    ----------
    store : graph.store.Store

    Returns
    -------
    dict
        ``triples`` (asserted, entailed, ontology, total), ``entities`` (count per
        asserted class), ``actions`` (count per action type), ``sources``,
        ``named_graphs``, ``listings``, ``laws``.
    """
    asserted = _count(store, f"GRAPH ?g {{ ?s ?p ?o }} {DATA_GRAPH_FILTER}")
    entailed = _count(store, f"GRAPH <{ENTAILED_GRAPH}> {{ ?s ?p ?o }}")
    ontology = _count(store, f"GRAPH <{ONTOLOGY_IRI}> {{ ?s ?p ?o }}")
    per_class = store.select(
        f"""SELECT ?cls (COUNT(DISTINCT ?e) AS ?n) WHERE {{
              GRAPH ?g {{ ?e a ?cls }} {DATA_GRAPH_FILTER}
              FILTER(STRSTARTS(STR(?cls), STR(tr:)))
            }} GROUP BY ?cls ORDER BY DESC(?n) ?cls"""
    )
    entities = {r["cls"].value.split("#", 1)[1]: int(r["n"].value) for r in per_class}
    action_rows = store.select(
        f"""SELECT ?cls (COUNT(DISTINCT ?e) AS ?n) WHERE {{
              GRAPH ?g {{ ?e a ?cls }} {DATA_GRAPH_FILTER}
              GRAPH <{ONTOLOGY_IRI}> {{ ?cls rdfs:subClassOf* tr:RegulatoryAction }}
            }} GROUP BY ?cls ORDER BY DESC(?n) ?cls"""
    )
    actions = {r["cls"].value.split("#", 1)[1]: int(r["n"].value) for r in action_rows}
    distinct_entities = _count(
        store,
        f"""SELECT DISTINCT ?e WHERE {{ GRAPH ?g {{ ?e a ?cls }} {DATA_GRAPH_FILTER}
              FILTER(STRSTARTS(STR(?e), STR(id:)))
              FILTER NOT EXISTS {{ GRAPH <{ONTOLOGY_IRI}> {{ ?cls rdfs:subClassOf* ?top
                 FILTER(?top IN (tr:RegulatoryAction, tr:Listing, tr:Stake)) }} }} }}""",
    )
    total_actions = _count(store, "SELECT DISTINCT ?e WHERE { ?e a tr:RegulatoryAction }")
    return {
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
