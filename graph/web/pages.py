"""Linked-data pages: the home page, search, an entity (``/id/SLUG``) and a source
(``/source/SLUG``); an entity's RDF on request (Turtle, N-Triples, JSON-LD).

Each handler is a plain function (Starlette runs it in a worker thread) that calls the
library and renders a template.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..errors import BadInput
from ..model.iris import DATA_GRAPH_FILTER, ID_NS, RDF_TYPE, SRC_NS
from .render import error_page, page

__all__ = ["ROUTES", "EXAMPLES", "wants"]

#: Example questions on the home page: (question, link).
EXAMPLES = [
    ("How is Yunmanman connected to the Data Security Law?", "/path?from=Yunmanman&to=Data+Security+Law"),
    ("How is Boss Zhipin connected to Nasdaq?", "/path?from=Boss+Zhipin&to=Nasdaq"),
    ("Which laws and regulators is Full Truck Alliance exposed to?", "/exposure/full-truck-alliance"),
    ("What happened to DiDi Global?", "/timeline?entity=DiDi+Global"),
    ("What happened between June and July 2021?", "/timeline?from=2021-06-01&to=2021-07-31"),
    ("Which exchanges list firms whose platforms the CAC reviewed?", "/queries/exchanges-of-reviewed-platforms"),
]

_RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "ntriples", "application/ld+json": "jsonld"}
_RDF_MEDIA = {"turtle": "text/turtle; charset=utf-8", "ntriples": "application/n-triples",
              "jsonld": "application/ld+json"}


def wants(request: Request) -> str:
    """``html`` unless the client prefers an RDF syntax (``turtle``, ``ntriples``, ``jsonld``).

    ``?format=`` overrides the ``Accept`` header.
    """
    fmt = request.query_params.get("format")
    if fmt in _RDF_MEDIA:
        return fmt
    best, best_q = "html", 0.0
    for part in request.headers.get("accept", "").split(","):
        fields = [f.strip().lower() for f in part.split(";")]
        q = next((float(f[2:]) for f in fields[1:] if f.startswith("q=") and f[2:].replace(".", "", 1).isdigit()), 1.0)
        kind = "html" if fields[0] in ("text/html", "application/xhtml+xml") else _RDF_TYPES.get(fields[0])
        if kind and q > best_q:
            best, best_q = kind, q
    return best


def home(request: Request):
    from ..coverage.scopes import count_scopes
    from ..query.library import library

    store = request.app.state.store
    queries = library()
    return page("home.html", title="techreg", examples=EXAMPLES, spec=store.spec,
                queries=[(q.name, q.question) for q in queries.values()][:8], scopes=count_scopes(store))


def search_page(request: Request):
    from ..lookup.names import search

    text = request.query_params.get("q", "").strip()
    hits = search(request.app.state.store, text, limit=50) if text else []
    return page("search.html", title=f"Search: {text}" if text else "Search", q=text, hits=hits)


def _facts(store, iri: str) -> list[dict]:
    """Every statement about the entity (both ways), each with the sources that state it."""
    from ..lookup.names import name_index
    from ..lookup.sources import predicate_labels

    rows = store.select(
        f"""SELECT ?dir ?p ?v ?g WHERE {{
              {{ GRAPH ?g {{ <{iri}> ?p ?v }} BIND("out" AS ?dir) }}
              UNION {{ GRAPH ?g {{ ?v ?p <{iri}> }} BIND("in" AS ?dir) }}
              {DATA_GRAPH_FILTER} }}""")
    index, plabels = name_index(store), predicate_labels(store)
    grouped: dict[tuple, dict] = {}
    for r in rows:
        value = r["v"]
        is_iri = type(value).__name__ == "NamedNode"
        key = (r["dir"].value, r["p"].value, str(value))
        fact = grouped.setdefault(key, {
            "direction": r["dir"].value, "predicate": r["p"].value,
            "predicate_label": plabels.get(r["p"].value) or r["p"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1],
            "value": value.value, "is_iri": is_iri,
            "label": index.label(value.value) if is_iri else value.value,
            "language": getattr(value, "language", None) if not is_iri else None,
            "datatype": (value.datatype.value if not is_iri and getattr(value, "datatype", None) else None),
            "sources": []})
        if r["g"].value not in fact["sources"]:
            fact["sources"].append(r["g"].value)
    facts = sorted(grouped.values(), key=lambda f: (f["direction"] != "out", f["predicate"] != RDF_TYPE,
                                                   f["predicate_label"], f["label"]))
    for f in facts:
        f["sources"].sort()
    return facts


def _group(store, iri: str) -> dict[str, list[str]]:
    """The corporate group: who controls the entity and whom it controls (parent chains)."""
    rows = store.select(f"""SELECT ?dir ?x WHERE {{
        {{ <{iri}> tr:controlledBy ?x BIND("up" AS ?dir) }} UNION {{ ?x tr:controlledBy <{iri}> BIND("down" AS ?dir) }} }}""")
    out: dict[str, list[str]] = {"up": [], "down": []}
    for r in rows:
        out[r["dir"].value].append(r["x"].value)
    return {k: sorted(set(v)) for k, v in out.items()}


def _rdf(store, iri: str, fmt: str, timeout: float) -> Response:
    from ..query.run import run_query

    result = run_query(store, f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} "
                              f"WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}", timeout=timeout)
    return Response(result.serialize(fmt), media_type=_RDF_MEDIA[fmt], headers={"Vary": "Accept"})


def entity_page(request: Request):
    from ..answers.describe import describe
    from ..answers.timeline import timeline
    from ..lookup.names import name_index
    from ..lookup.sources import sources

    store = request.app.state.store
    iri = ID_NS + request.path_params["slug"]
    index = name_index(store)
    if not index.classes(iri) and not store.ask(f"ASK {{ <{iri}> ?p ?o }}"):
        return error_page(404, f"No entity {iri} in this graph.")
    fmt = wants(request)
    if fmt != "html":
        return _rdf(store, iri, fmt, request.app.state.settings.timeout)
    d = describe(store, iri)
    try:
        entries = timeline(store, iri)
    except BadInput:
        entries = []
    facts = _facts(store, iri)
    docs = sources(store)
    cited = sorted({g for f in facts for g in f["sources"]} | set(d.sources))
    return page("entity.html", title=d.label, d=d, iri=iri, slug=request.path_params["slug"],
                facts_out=[f for f in facts if f["direction"] == "out"],
                facts_in=[f for f in facts if f["direction"] == "in"],
                timeline=entries, group=_group(store, iri), label=index.label,
                docs=docs, cited=cited, headers={"Vary": "Accept"})


def source_page(request: Request):
    from ..lookup.names import name_index
    from ..lookup.sources import predicate_labels, sources

    store = request.app.state.store
    iri = SRC_NS + request.path_params["slug"]
    docs = sources(store)
    graphs = store.cached(("web", "named-graphs"), lambda: set(store.named_graphs()))
    if iri not in graphs and iri not in docs:
        return error_page(404, f"No source {iri} in this graph.")
    rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
    index, plabels = name_index(store), predicate_labels(store)
    subjects: dict[str, list[dict]] = {}
    for r in rows:
        o = r["o"]
        is_iri = type(o).__name__ == "NamedNode"
        subjects.setdefault(r["s"].value, []).append({
            "predicate": r["p"].value,
            "predicate_label": plabels.get(r["p"].value) or r["p"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1],
            "value": o.value, "is_iri": is_iri, "label": index.label(o.value) if is_iri else o.value})
    ordered = sorted(subjects.items(), key=lambda kv: index.label(kv[0]).lower())
    for _, facts in ordered:
        facts.sort(key=lambda f: (f["predicate"] != RDF_TYPE, f["predicate_label"], f["label"]))
    doc = docs.get(iri)
    return page("source.html", title=(doc.title if doc and doc.title else iri), iri=iri, doc=doc,
                subjects=ordered, count=len(rows), label=index.label)


ROUTES = [
    Route("/", home),
    Route("/search", search_page),
    Route("/id/{slug:path}", entity_page),
    Route("/source/{slug:path}", source_page),
]
