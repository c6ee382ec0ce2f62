"""Everything about one entity: labels, identifiers, relations both ways, and the actions
and listings it takes part in, each fact with the sources that state it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from ..model.classes import is_event
from ..model.iris import DATA_GRAPH_FILTER
from ..lookup.sources import predicate_labels, sources
from ..model.iris import RDF_TYPE
from ..lookup.names import curie, name_index, resolve

__all__ = ["Fact", "Event", "Description", "describe"]

_DATE_KEYS = ("announced", "startDate", "endDate", "pricingDate", "listingDate", "delistingDate",
              "dateAdopted", "datePromulgated", "datePublished", "dateEffective", "dateApplicable")


@dataclass
class Fact:
    """One statement about the entity; ``direction`` is ``out`` (entity is subject) or ``in``."""

    direction: str
    predicate: str
    predicate_label: str
    value: str
    value_label: str
    is_iri: bool
    datatype: str | None
    language: str | None
    sources: list[str] = field(default_factory=list)


@dataclass
class Event:
    """An action, listing or stake the entity takes part in, flattened for reading."""

    iri: str
    label: str
    classes: list[str]
    role: str
    via: str | None
    dates: dict[str, str]
    values: dict[str, str]
    links: dict[str, list[str]]
    sources: list[str]


@dataclass
class Description:
    """The answer of :func:`describe`."""

    iri: str
    curie: str
    label: str
    labels: list[dict]
    aliases: list[str]
    classes: list[str]
    identifiers: dict[str, list[str]]
    dates: dict[str, str]
    values: dict[str, list[str]]
    relations: list[Fact]
    events: list[Event]
    sources: dict[str, dict]

    def as_dict(self) -> dict:
        """A JSON-ready dictionary."""
        return asdict(self)


def _local(iri: str) -> str:
    return iri.split("#", 1)[1] if "#" in iri else curie(iri)


def _facts(store, iri: str) -> list[tuple[str, str, ox.Term, str]]:
    node = f"<{iri}>"
    rows = store.select(
        f"""SELECT ?dir ?p ?v ?g WHERE {{
              {{ GRAPH ?g {{ {node} ?p ?v }} BIND("out" AS ?dir) }}
              UNION {{ GRAPH ?g {{ ?v ?p {node} }} BIND("in" AS ?dir) }}
              {DATA_GRAPH_FILTER}
            }}"""
    )
    return [(r["dir"].value, r["p"].value, r["v"], r["g"].value) for r in rows]


def _group(raw) -> dict[tuple[str, str, str], tuple[ox.Term, list[str]]]:
    grouped: dict[tuple[str, str, str], tuple[ox.Term, list[str]]] = {}
    for direction, pred, value, graph in raw:
        key = (direction, pred, str(value))
        term, graphs = grouped.setdefault(key, (value, []))
        if graph not in graphs:
            graphs.append(graph)
    for _, graphs in grouped.values():
        graphs.sort()
    return grouped


def describe(store, name: str, as_of=None) -> Description:
    """Describe one entity.

    Parameters
    ----------
    store : graph.stores.Store
    name : str
        Anything :func:`graph.lookup.names.resolve` accepts.
    as_of : str or datetime.date, optional
        Keep only the actions started and the listings live on that day.

    Returns
    -------
    Description
    """
    iri = resolve(store, name)
    index = name_index(store)
    plabels = predicate_labels(store)
    docs = sources(store)
    cited: list[str] = []

    def cite(graphs: list[str]) -> list[str]:
        for g in graphs:
            if g not in cited:
                cited.append(g)
        return graphs

    labels, aliases, relations = [], [], []
    identifiers: dict[str, list[str]] = {}
    dates: dict[str, str] = {}
    values: dict[str, list[str]] = {}
    event_links: list[tuple[str, str, str | None]] = []
    related: list[str] = []
    for (direction, pred, _), (term, graphs) in sorted(_group(_facts(store, iri)).items()):
        local = _local(pred)
        if direction == "out" and pred == RDF_TYPE:
            continue
        if direction == "out" and isinstance(term, ox.Literal):
            if local == "label":
                labels.append({"value": term.value, "lang": term.language})
            elif local == "altLabel":
                aliases.append(term.value)
            elif local in ("wikidata", "mic", "lei", "identifier"):
                identifiers.setdefault(local, []).append(term.value)
            elif local in _DATE_KEYS:
                dates[local] = term.value
            else:
                values.setdefault(local, []).append(term.value)
            cite(graphs)
            continue
        other = term.value
        other_classes = index.classes(other)
        if direction == "in" and is_event(other_classes):
            event_links.append((other, local, None))
            cite(graphs)
            continue
        relations.append(Fact(direction, curie(pred), plabels.get(pred, local), curie(other), index.label(other),
                              True, None, None, cite(graphs)))
        if direction == "out" and local in ("operates", "subsidiary") or direction == "in" and local == "parentOrganization":
            related.append(other)
    # events on what the entity operates or owns directly
    for other in related:
        for (direction, pred, _), (term, _graphs) in _group(_facts(store, other)).items():
            if direction == "in" and is_event(index.classes(term.value)):
                event_links.append((term.value, _local(pred), other))
    events = []
    seen = set()
    for event_iri, role, via in event_links:
        if event_iri in seen:
            continue
        seen.add(event_iri)
        events.append(_event(store, event_iri, role, via, index, cite))
    if as_of is not None:
        from ..model.dates import in_force, parse_date

        day = parse_date(as_of, "--as-of")
        events = [e for e in events if in_force(e.dates, day)]
    events.sort(key=lambda e: (min(e.dates.values()) if e.dates else "9999", e.label))
    zh_first = sorted(labels, key=lambda l: (l["lang"] != "en", l["lang"] or ""))
    return Description(
        iri=iri, curie=curie(iri), label=index.label(iri), labels=zh_first, aliases=sorted(set(aliases)),
        classes=index.classes(iri), identifiers=identifiers, dates=dates, values=values,
        relations=relations, events=events,
        sources={g: (docs[g].as_dict() if g in docs else {"iri": g, "title": g}) for g in cited},
    )


def _event(store, iri, role, via, index, cite) -> Event:
    dates, vals, links, graphs_all = {}, {}, {}, []
    for (direction, pred, _), (term, graphs) in sorted(_group(_facts(store, iri)).items()):
        if direction != "out":
            continue
        local = _local(pred)
        if local in ("type", "label", "altLabel"):
            graphs_all += [g for g in graphs if g not in graphs_all]
            continue
        if isinstance(term, ox.Literal):
            (dates if local in _DATE_KEYS else vals)[local] = term.value
        else:
            links.setdefault(local, []).append(index.label(term.value))
        graphs_all += [g for g in graphs if g not in graphs_all]
    cite(graphs_all)
    return Event(iri, index.label(iri), index.classes(iri), role, index.label(via) if via else None,
                 dates, vals, links, graphs_all)
