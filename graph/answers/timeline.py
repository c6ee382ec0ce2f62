"""Dated facts in order: what happened to an entity (or in the whole graph) and when."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..errors import BadInput
from ..model.iris import DATA_GRAPH_FILTER
from ..model.dates import DATE_PROPERTIES, parse_date

__all__ = ["TimelineEntry", "timeline"]

@dataclass
class TimelineEntry:
    """One dated fact: the date, what the date is, the node it is about and its sources."""

    date: str
    what: str
    property: str
    iri: str
    label: str
    classes: list[str]
    about: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def timeline(store, entity: str | None = None, *, start=None, end=None) -> list[TimelineEntry]:
    """List dated facts in date order.

    Parameters
    ----------
    store : graph.stores.Store
    entity : str, optional
        Limit to this entity: its own dates, and the actions, listings and stakes on it,
        its products and its subsidiaries. ``None`` for the whole graph.
    start, end : str or datetime.date, optional
        The first and last day to include.

    Returns
    -------
    list of TimelineEntry
        Sorted by date, then label; each with the sources that state the date.
    """
    from ..lookup.names import curie, name_index, resolve

    start, end = parse_date(start, "--from"), parse_date(end, "--to")
    if start and end and start > end:
        raise BadInput(f"--from {start} is after --to {end}")
    values = " ".join(f"tr:{p}" for p in DATE_PROPERTIES)
    scope = ""
    if entity is not None:
        iri = resolve(store, entity)
        scope = f"""<{iri}> (tr:operates|^tr:controlledBy)? ?about .
                    ?e (tr:target|tr:listedCompany|tr:issuedBy|tr:stakeHolder|tr:stakeIn)? ?about ."""
    filters = []
    if start:
        filters.append(f'?d >= "{start}"^^xsd:date')
    if end:
        filters.append(f'?d <= "{end}"^^xsd:date')
    where_dates = f"FILTER({' && '.join(filters)})" if filters else ""
    rows = store.select(f"""
        SELECT ?d ?p ?e ?g WHERE {{
          {scope}
          VALUES ?p {{ {values} }}
          GRAPH ?g {{ ?e ?p ?d }} {DATA_GRAPH_FILTER}
          {where_dates}
        }}""")
    index = name_index(store)
    labels = {}
    for r in store.select(f"SELECT ?p ?l WHERE {{ VALUES ?p {{ {values} }} ?p rdfs:label ?l }}"):
        labels[r["p"].value] = r["l"].value
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for r in rows:
        key = (r["d"].value, r["p"].value, r["e"].value)
        graphs = grouped.setdefault(key, [])
        if r["g"].value not in graphs:
            graphs.append(r["g"].value)
    about_of: dict[str, list[str]] = {}
    if grouped:
        events = " ".join(f"<{e}>" for e in {k[2] for k in grouped})
        for r in store.select(f"""SELECT ?e ?x WHERE {{ VALUES ?e {{ {events} }}
                                   ?e tr:target|tr:listedCompany|tr:stakeIn ?x }}"""):
            about_of.setdefault(r["e"].value, []).append(index.label(r["x"].value))
    entries = [
        TimelineEntry(d, labels.get(p, p.rsplit("#", 1)[-1]), curie(p), e, index.label(e), index.classes(e),
                      sorted(set(about_of.get(e, []))), sorted(graphs))
        for (d, p, e), graphs in grouped.items()
    ]
    entries.sort(key=lambda t: (t.date, t.label.casefold(), t.property))
    return entries
