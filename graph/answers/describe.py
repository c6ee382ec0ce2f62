"""Everything about one entity: labels, identifiers, relations both ways, and the actions
and listings it takes part in, each fact with the sources that state it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from ..model.classes import ACTION_CLASSES, is_event
from ..model.iris import DATA_GRAPH_FILTER
from ..lookup.sources import predicate_labels, sources
from ..model.iris import RDF_TYPE
from ..lookup.names import choose, curie, name_index

__all__ = ["Fact", "Event", "Description", "describe"]

#: Properties that hold one value: two values from different sources are a conflict.
SINGLE_VALUED = frozenset({"announced", "startDate", "endDate", "pricingDate", "listingDate", "delistingDate",
                           "dateAdopted", "datePromulgated", "datePublished", "dateEffective", "dateApplicable",
                           "amount", "currency"})

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
    via_kind: str | None = None  # product, subsidiary or parent: how the entity is tied to it
    properties: dict[str, list[dict]] = field(default_factory=dict)  # name -> [{value, sources}]
    conflicts: list[str] = field(default_factory=list)


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
    properties: dict[str, list[dict]] = field(default_factory=dict)  # name -> [{value, sources}]
    conflicts: list[str] = field(default_factory=list)
    alternatives: list[dict] = field(default_factory=list)

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


def describe(store, name: str, as_of=None, lang=("en",)) -> Description:
    """Describe one entity.

    Parameters
    ----------
    store : graph.stores.Store
    name : str
        Anything :func:`graph.lookup.names.resolve` accepts.
    as_of : str or datetime.date, optional
        Keep only the actions started and the listings live on that day.
    lang : tuple of str
        Label languages (:func:`graph.lookup.lang.parse_lang`) for the entity, the
        entities it relates to and its events; ``labels`` always lists every label.

    Returns
    -------
    Description
    """
    choice = choose(store, name)
    iri = choice.iri
    index = name_index(store)

    def shown(other: str) -> str:
        return index.shown(other, lang)

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
    properties: dict[str, list[dict]] = {}
    event_links: list[tuple[str, str, str | None, str | None]] = []
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
                dates[local] = min(dates.get(local, term.value), term.value)
            else:
                values.setdefault(local, []).append(term.value)
            if local not in ("label", "altLabel"):
                properties.setdefault(local, []).append({"value": term.value, "sources": list(graphs)})
            cite(graphs)
            continue
        other = term.value
        other_classes = index.classes(other)
        if direction == "in" and is_event(other_classes):
            event_links.append((other, local, None, None))
            cite(graphs)
            continue
        relations.append(Fact(direction, curie(pred), plabels.get(pred, local), curie(other), shown(other),
                              True, None, None, cite(graphs)))
    # roll-up: events on its products and subsidiaries (any depth), and on its parents
    for other, kind in _related(store, iri):
        for (direction, pred, _), (term, _graphs) in _group(_facts(store, other)).items():
            classes = index.classes(term.value)
            if direction == "in" and is_event(classes) and (kind != "parent" or ACTION_CLASSES & set(classes)):
                event_links.append((term.value, _local(pred), other, kind))
    events = []
    seen = set()
    for event_iri, role, via, kind in event_links:
        if event_iri in seen:
            continue
        seen.add(event_iri)
        events.append(_event(store, event_iri, role, via, index, cite, kind, shown))
    if as_of is not None:
        from ..model.dates import in_force, parse_date

        day = parse_date(as_of, "--as-of")
        events = [e for e in events if in_force(e.dates, day)]
    events.sort(key=lambda e: (min(e.dates.values()) if e.dates else "9999", index.label(e.iri)))
    zh_first = sorted(labels, key=lambda l: (l["lang"] != "en", l["lang"] or ""))
    return Description(
        iri=iri, curie=curie(iri), label=shown(iri), labels=zh_first, aliases=sorted(set(aliases)),
        classes=index.classes(iri), identifiers=identifiers, dates=dates, values=values,
        relations=relations, events=events, properties=properties, conflicts=_conflicts(properties),
        alternatives=choice.alternatives,
        sources={g: (docs[g].as_dict() if g in docs else {"iri": g, "title": g}) for g in cited},
    )


def _conflicts(properties: dict[str, list[dict]]) -> list[str]:
    return sorted(k for k, vals in properties.items() if k in SINGLE_VALUED and len({v["value"] for v in vals}) > 1)


def _related(store, iri: str) -> list[tuple[str, str]]:
    """What an entity's page rolls up: its products and subsidiaries (any depth, and their
    products), and its parents (any depth), each with how it is tied."""
    rows = store.select(f"""
        SELECT DISTINCT ?x ?kind WHERE {{
          {{ ?x (tr:parentOrganization|tr:controlledBy)+ <{iri}> BIND("subsidiary" AS ?kind) }}
          UNION {{ <{iri}> tr:operates ?x BIND("product" AS ?kind) }}
          UNION {{ ?s (tr:parentOrganization|tr:controlledBy)+ <{iri}> . ?s tr:operates ?x BIND("product" AS ?kind) }}
          UNION {{ <{iri}> (tr:parentOrganization|tr:controlledBy)+ ?x BIND("parent" AS ?kind) }}
          FILTER(?x != <{iri}>)
        }}""")
    order = {"product": 0, "subsidiary": 1, "parent": 2}
    seen: dict[str, str] = {}
    for r in rows:
        x, kind = r["x"].value, r["kind"].value
        if x not in seen or order[kind] < order[seen[x]]:
            seen[x] = kind
    return sorted(seen.items(), key=lambda item: (order[item[1]], item[0]))


def _event(store, iri, role, via, index, cite, via_kind=None, shown=None) -> Event:
    shown = shown or index.label
    dates, vals, links, graphs_all = {}, {}, {}, []
    properties: dict[str, list[dict]] = {}
    for (direction, pred, _), (term, graphs) in sorted(_group(_facts(store, iri)).items()):
        if direction != "out":
            continue
        local = _local(pred)
        if local in ("type", "label", "altLabel"):
            graphs_all += [g for g in graphs if g not in graphs_all]
            continue
        if isinstance(term, ox.Literal):
            target = dates if local in _DATE_KEYS else vals
            target[local] = min(target.get(local, term.value), term.value) if local in _DATE_KEYS else term.value
            properties.setdefault(local, []).append({"value": term.value, "sources": list(graphs)})
        else:
            links.setdefault(local, []).append(shown(term.value))
        graphs_all += [g for g in graphs if g not in graphs_all]
    cite(graphs_all)
    return Event(iri, shown(iri), index.classes(iri), role, shown(via) if via else None,
                 dates, vals, links, graphs_all, via_kind, properties, _conflicts(properties))
