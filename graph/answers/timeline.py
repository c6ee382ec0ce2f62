"""Dated facts in order: what happened to an entity (or in the whole graph) and when."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..errors import BadInput
from ..model.iris import DATA_GRAPH_FILTER
from ..model.dates import DATE_PROPERTIES, parse_date

__all__ = ["TimelineEntry", "timeline", "merge_timelines"]

@dataclass
class TimelineEntry:
    """One dated fact: the date, what the date is, the node it is about and its sources.

    An action with no date at all has ``date`` ``None`` and ``what`` ``"undated"``; it is
    listed after the dated facts. ``via`` names the product, subsidiary or parent the fact
    is on when it is not on the entity itself.
    """

    date: str | None
    what: str
    property: str
    iri: str
    label: str
    classes: list[str]
    about: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    via: str | None = None
    via_kind: str | None = None  # product, subsidiary or parent

    def as_dict(self) -> dict:
        return asdict(self)


def timeline(store, entity: str | None = None, *, start=None, end=None, jurisdiction=None,
             type_=None) -> list[TimelineEntry]:
    """List dated facts in date order.

    Parameters
    ----------
    store : graph.stores.Store
    entity : str, optional
        Limit to this entity: its own dates, and the actions, listings and stakes on it,
        its products and its subsidiaries. ``None`` for the whole graph.
    start, end : str or datetime.date, optional
        The first and last day to include. Undated actions are listed whatever the
        period, as undated, since nothing says they fall outside it.
    jurisdiction : str, optional
        Only facts on nodes in this jurisdiction or one inside it (see
        :mod:`graph.answers.filters`).
    type_ : str, optional
        Only facts on nodes of this class or a subclass (``Penalty``, ``Law``).

    Returns
    -------
    list of TimelineEntry
        Sorted by date, then label, undated last; each with the sources that state the date.
    """
    from ..lookup.names import curie, name_index, resolve
    from ..model.classes import ACTION_CLASSES
    from .filters import make_filter

    start, end = parse_date(start, "--from"), parse_date(end, "--to")
    if start and end and start > end:
        raise BadInput(f"--from {start} is after --to {end}")
    values = " ".join(f"tr:{p}" for p in DATE_PROPERTIES)
    keep = make_filter(store, jurisdiction, type_)
    scope = ""
    iri = None
    if entity is not None:
        iri = resolve(store, entity)
        # the entity, its products and subsidiaries (any depth) and theirs, and its parents
        # (for their actions only: a subsidiary's timeline names its group's actions)
        scope = f"""{{ <{iri}> (^tr:parentOrganization|^tr:controlledBy)*/tr:operates? ?about }}
                    UNION {{ <{iri}> (tr:parentOrganization|tr:controlledBy)+ ?about .
                             ?e tr:target ?about ; a tr:RegulatoryAction }}
                    ?e (tr:target|tr:listedCompany|tr:issuedBy|tr:stakeHolder|tr:stakeIn)? ?about ."""
    filters = []
    if start:
        filters.append(f'?d >= "{start}"^^xsd:date')
    if end:
        filters.append(f'?d <= "{end}"^^xsd:date')
    where_dates = f"FILTER({' && '.join(filters)})" if filters else ""
    rows = store.select(f"""
        SELECT DISTINCT ?d ?p ?e ?g ?about WHERE {{
          {scope}
          VALUES ?p {{ {values} }}
          GRAPH ?g {{ ?e ?p ?d }} {DATA_GRAPH_FILTER}
          {where_dates}
        }}""")
    actions = " ".join(f"tr:{c}" for c in sorted(ACTION_CLASSES))
    undated_rows = store.select(f"""
        SELECT DISTINCT ?e ?g ?about WHERE {{
          {scope}
          VALUES ?t {{ {actions} }}
          GRAPH ?g {{ ?e a ?t }} {DATA_GRAPH_FILTER}
          FILTER NOT EXISTS {{ VALUES ?p {{ {values} }} ?e ?p ?any }}
        }}""")
    index = name_index(store)
    labels = {}
    for r in store.select(f"SELECT ?p ?l WHERE {{ VALUES ?p {{ {values} }} ?p rdfs:label ?l }}"):
        labels[r["p"].value] = r["l"].value
    grouped: dict[tuple[str | None, str, str], list[str]] = {}
    via: dict[str, str | None] = {}

    def note_via(e: str, row) -> None:
        about = row["about"].value if entity is not None and row["about"] is not None else None
        on_self = about is None or about == iri or about == e
        if on_self or via.get(e, "") is None:
            via[e] = None
        elif e not in via:
            via[e] = about

    for r in rows:
        if keep.active and not keep.accepts(r["e"].value):
            continue
        key = (r["d"].value, r["p"].value, r["e"].value)
        graphs = grouped.setdefault(key, [])
        if r["g"].value not in graphs:
            graphs.append(r["g"].value)
        note_via(r["e"].value, r)
    for r in undated_rows:
        if keep.active and not keep.accepts(r["e"].value):
            continue
        graphs = grouped.setdefault((None, "undated", r["e"].value), [])
        if r["g"].value not in graphs:
            graphs.append(r["g"].value)
        note_via(r["e"].value, r)
    about_of: dict[str, list[str]] = {}
    if grouped:
        events = " ".join(f"<{e}>" for e in {k[2] for k in grouped})
        for r in store.select(f"""SELECT ?e ?x WHERE {{ VALUES ?e {{ {events} }}
                                   ?e tr:target|tr:listedCompany|tr:stakeIn ?x }}"""):
            about_of.setdefault(r["e"].value, []).append(index.label(r["x"].value))
    kinds: dict[str, str] = {}
    if iri is not None and any(via.values()):
        for r in store.select(f"""SELECT ?x ?kind WHERE {{
                {{ <{iri}> (tr:parentOrganization|tr:controlledBy)+ ?x BIND("parent" AS ?kind) }}
                UNION {{ ?x (tr:parentOrganization|tr:controlledBy)+ <{iri}> BIND("subsidiary" AS ?kind) }} }}"""):
            kinds[r["x"].value] = r["kind"].value
    entries = [
        TimelineEntry(d, "undated" if d is None else labels.get(p, p.rsplit("#", 1)[-1]),
                      "" if d is None else curie(p), e, index.label(e), index.classes(e),
                      sorted(set(about_of.get(e, []))), sorted(graphs),
                      index.label(via[e]) if via.get(e) else None,
                      kinds.get(via[e], "product") if via.get(e) else None)
        for (d, p, e), graphs in grouped.items()
    ]
    entries.sort(key=lambda t: (t.date is None, t.date or "", t.label.casefold(), t.property))
    return entries


def merge_timelines(lists: list[list[TimelineEntry]]) -> list[TimelineEntry]:
    """The timelines of several entities as one: repeats dropped, in date order (undated
    entries last); a single timeline as it is."""
    if len(lists) == 1:
        return list(lists[0])
    seen, out = set(), []
    for rows in lists:
        for r in rows:
            key = (r.date, r.property, r.iri)
            if key not in seen:
                seen.add(key)
                out.append(r)
    out.sort(key=lambda t: (t.date is None, t.date or "", t.label.casefold(), t.property))
    return out
