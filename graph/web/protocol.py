"""The SPARQL 1.1 Protocol at ``/sparql``: read-only, behind the command line's safety gate.

* ``GET /sparql?query=...``, ``POST`` as a form (``query=...``) or directly
  (``Content-Type: application/sparql-query``);
* updates (``application/sparql-update``, ``update=``) are refused with 403, and so are
  queries the safety gate refuses (SERVICE, LOAD, foreign FROM);
* malformed queries get 400 with the parser's message (line and column in the text sent);
* content negotiation: SPARQL JSON, XML, CSV and TSV results for SELECT and ASK;
  Turtle, N-Triples, JSON-LD and RDF/XML for CONSTRUCT and DESCRIBE (``format=`` in the
  URL overrides ``Accept``);
* each query runs within the time limit (503 past it), and at most ``max_rows``
  solutions or triples are sent: when the result is cut the response carries
  ``X-Techreg-Truncated: N`` (the number sent).
"""

from __future__ import annotations

import json
import re
import urllib.parse

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from ..errors import BadInput

__all__ = ["sparql_endpoint", "execute", "negotiate", "TRUNCATED_HEADER", "ENTAILMENTS_HEADER", "MEDIA_TYPES"]

TRUNCATED_HEADER = "X-Techreg-Truncated"
#: Tells a techreg remote store that this endpoint keeps its entailments in the default graph.
ENTAILMENTS_HEADER = "X-Techreg-Entailments"

#: Result formats by media type, for SELECT/ASK (``table``) and CONSTRUCT/DESCRIBE (``graph``).
_TABLE_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
_GRAPH_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "ntriples",
    "application/ld+json": "jsonld", "application/rdf+xml": "rdfxml",
}
#: The media type sent for each format.
MEDIA_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8", "ntriples": "application/n-triples",
    "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml",
}
_DEFAULT = {"table": "json", "graph": "turtle"}


def _accept(header: str) -> list[tuple[str, float]]:
    ranges = []
    for part in (header or "*/*").split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        ranges.append((fields[0].lower(), q))
    return ranges or [("*/*", 1.0)]


def negotiate(accept: str, kind: str) -> str | None:
    """Choose a result format from an ``Accept`` header.

    Parameters
    ----------
    accept : str
        The header (``*/*`` when empty).
    kind : str
        ``table`` (SELECT, ASK) or ``graph`` (CONSTRUCT, DESCRIBE).

    Returns
    -------
    str or None
        A format name (``json``, ``xml``, ``csv``, ``tsv``, ``turtle``, ``ntriples``,
        ``jsonld``, ``rdfxml``), or ``None`` when nothing acceptable is offered.
    """
    offers = _TABLE_TYPES if kind == "table" else _GRAPH_TYPES
    ranges = _accept(accept)
    best, best_q, best_rank = None, 0.0, 3
    for media, fmt in offers.items():
        major = media.split("/")[0]
        q, rank = None, 3
        for pattern, pq in ranges:
            r = 0 if pattern == media else 1 if pattern == f"{major}/*" else 2 if pattern == "*/*" else None
            if r is not None and r < rank:
                q, rank = pq, r
        if q is None or q <= 0:
            continue
        # the highest q wins; among equals an exact match, then the server's default
        if q > best_q or (q == best_q and (rank < best_rank or (rank == best_rank and fmt == _DEFAULT[kind]))):
            best, best_q, best_rank = fmt, q, rank
    return best


def _cut(result, max_rows: int | None):
    """Keep at most ``max_rows`` solutions or triples; return the result and how many were kept (or None)."""
    from ..query.run import QueryResult

    if not max_rows:
        return result, None
    if result.kind == "solutions":
        data = json.loads(result.payload)
        rows = data["results"]["bindings"]
        if len(rows) <= max_rows:
            return result, None
        data["results"]["bindings"] = rows[:max_rows]
        return QueryResult("solutions", json.dumps(data).encode("utf-8"), result.variables), max_rows
    if result.kind == "graph" and result.payload.count(b"\n") > max_rows:
        lines = result.payload.split(b"\n")
        return QueryResult("graph", b"\n".join(lines[:max_rows]) + b"\n"), max_rows
    return result, None


def execute(store, text: str, *, timeout: float, max_rows: int | None):
    """Check and run one query as the endpoint does.

    Parameters
    ----------
    store : graph.stores.Store
    text : str
        The query as sent.
    timeout : float
        Seconds before the query is stopped.
    max_rows : int, optional
        The most solutions or triples returned.

    Returns
    -------
    (graph.query.run.QueryResult, int or None)
        The result and, when it was cut, the number of rows kept.

    Raises
    ------
    PermissionError
        The safety gate refused the query (its message as the argument).
    graph.query.run.QueryTimeout
        Past the time limit.
    graph.errors.BadInput
        A syntax error (with line and column), or the query failed.
    """
    from ..query.run import run_query
    from ..query.safety import check_safety

    graphs = store.cached(("web", "named-graphs"), lambda: set(store.named_graphs()))
    try:
        check_safety(text, local_graphs=graphs)
    except BadInput as exc:
        _raise_syntax_error(text)  # a malformed query is a 400, whatever else it holds
        raise PermissionError(re.sub(r"\s*\(use --allow-remote[^)]*\)", "", str(exc))) from None
    return _cut(run_query(store, text, timeout=timeout), max_rows)


def _raise_syntax_error(text: str) -> None:
    import pyoxigraph as ox

    from ..model.iris import sparql_prologue
    from ..query.run import _syntax_error

    try:
        ox.Store().query(sparql_prologue(text) + text)
    except SyntaxError as exc:
        raise _syntax_error(text, exc) from None
    except Exception:  # noqa: BLE001 - evaluation on an empty store is irrelevant
        pass


def _first(values: list[str] | None) -> str | None:
    return values[0] if values else None


async def _read(request: Request) -> tuple[str | None, dict[str, list[str]], Response | None]:
    """The query text and the protocol parameters of a request, or an error response."""
    params = urllib.parse.parse_qs(request.url.query, keep_blank_values=True)
    if request.method == "GET":
        if "update" in params:
            return None, params, _refuse_update()
        return _first(params.get("query")), params, None
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if media == "application/sparql-update":
        return None, params, _refuse_update()
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        return None, params, PlainTextResponse("the request body is not UTF-8\n", status_code=400)
    if media == "application/x-www-form-urlencoded":
        form = urllib.parse.parse_qs(decoded, keep_blank_values=True)
        if "update" in form:
            return None, params, _refuse_update()
        for key, values in form.items():
            params.setdefault(key, []).extend(values)
        return _first(form.get("query")), params, None
    if media == "application/sparql-query":
        return decoded, params, None
    return None, params, PlainTextResponse(
        f"unsupported Content-Type {media or '(none)'!r}: send application/sparql-query, or a form "
        "(application/x-www-form-urlencoded) with query=\n", status_code=415)


def _dataset_of(store, params: dict):
    """The store to answer from, given the protocol's dataset parameters.

    A techreg remote store (:mod:`graph.stores.layout`) names its merged graph as the
    default graph and its visible graphs as the named graphs of every query; over a local
    store those are its default graph and its own named graphs, so the parameters are
    honoured by answering as usual. Its catalog graph is empty here (a local store has no
    catalog), so a query over it is answered from the ontology alone. Anything else: 400.
    """
    from ..model.iris import ENTAILED_GRAPH
    from ..stores.layout import CATALOG_GRAPH, MERGED_GRAPH

    defaults = params.get("default-graph-uri") or []
    named = params.get("named-graph-uri") or []
    if not defaults and not named:
        return store, None
    if store.kind == "remote":
        return None, PlainTextResponse("default-graph-uri and named-graph-uri are not supported over a remote "
                                       "store: use GRAPH in the query\n", status_code=400)
    known = set(store.named_graphs())
    if store.entailed_graph is None:
        # a remote store names the entailed graph too; a local store keeps its
        # entailments in its default graph only, so that graph is empty here
        known.add(ENTAILED_GRAPH)
    if any(g not in known for g in named) or not set(defaults) <= {MERGED_GRAPH, CATALOG_GRAPH} or len(defaults) > 1:
        return None, PlainTextResponse("default-graph-uri and named-graph-uri are supported only as techreg's "
                                       "remote stores send them; otherwise use GRAPH (or FROM with one of the "
                                       "store's graphs) in the query\n", status_code=400)
    if defaults == [CATALOG_GRAPH]:
        from ..stores import open_store

        return open_store("empty"), None
    return store, None


def _refuse_update() -> Response:
    return PlainTextResponse("this endpoint is read-only: SPARQL updates are refused\n", status_code=403)


async def sparql_endpoint(request: Request) -> Response:
    """Answer one SPARQL 1.1 Protocol request (see the module documentation)."""
    settings = request.app.state.settings
    store = request.app.state.store
    text, params, error = await _read(request)
    if error is not None:
        return error
    if text is None:
        if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
            return RedirectResponse("/query", status_code=303)
        return PlainTextResponse("give a query: GET /sparql?query=..., or POST it as a form (query=...) "
                                 "or as application/sparql-query\n", status_code=400)
    if len(params.get("query", [])) > 1:
        return PlainTextResponse("give one query parameter, not several\n", status_code=400)
    target, refusal = _dataset_of(store, params)
    if refusal is not None:
        return refusal
    from ..query.run import QueryTimeout

    try:
        result, kept = await run_in_threadpool(execute, target, text, timeout=settings.timeout,
                                               max_rows=settings.max_rows)
    except PermissionError as exc:
        return PlainTextResponse(f"{exc}\n", status_code=403)
    except QueryTimeout as exc:
        return PlainTextResponse(f"{exc}\n", status_code=503)
    except BadInput as exc:
        return PlainTextResponse(f"{exc}\n", status_code=400)
    kind = "graph" if result.kind == "graph" else "table"
    fmt = _first(params.get("format"))
    if fmt is not None and fmt not in (_TABLE_TYPES if kind == "table" else _GRAPH_TYPES).values():
        fmt = None
    fmt = fmt or negotiate(request.headers.get("accept", ""), kind)
    if fmt is None:
        offered = ", ".join(sorted(set(_TABLE_TYPES if kind == "table" else _GRAPH_TYPES)))
        return PlainTextResponse(f"no acceptable result format; this result can be sent as: {offered}\n",
                                 status_code=406)
    body = await run_in_threadpool(result.serialize, fmt)
    headers = {"Vary": "Accept"}
    if store.kind != "remote" and store.entailed_graph is None:
        headers[ENTAILMENTS_HEADER] = "default-graph"
    if kept is not None:
        headers[TRUNCATED_HEADER] = str(kept)
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=headers)
