"""Questions as pages: paths, exposure, timelines, the query library as forms, the query
editor (YASGUI, served from this package) and the interactive views they link to."""

from __future__ import annotations

import urllib.parse

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ..errors import TechregError
from ..model.iris import ID_NS, PREFIXES
from .render import error_page, page

__all__ = ["ROUTES", "result_table"]

#: The page of an interactive view may be framed by this server's own pages only.
_VIEW_FRAMING = "frame-ancestors 'self'"


def _bad(message: str, title: str = "Cannot answer") -> HTMLResponse:
    return error_page(400, message, title)


def path_page(request: Request):
    from ..lookup.sources import sources
    from ..network.paths import find_paths

    q = request.query_params
    src, dst = q.get("from", "").strip(), q.get("to", "").strip()
    values = {"from": src, "to": dst, "k": q.get("k", "3"), "max_hops": q.get("max_hops", "6")}
    if not (src and dst):
        return page("path.html", title="Path", form=values, result=None, docs={}, view=None)
    store = request.app.state.store
    try:
        result = find_paths(store, src, dst, k=int(values["k"]), max_hops=int(values["max_hops"]))
    except ValueError:
        return _bad("k and max_hops must be whole numbers")
    except TechregError as exc:
        return _bad(str(exc))
    view = "/view/path?" + urllib.parse.urlencode({"from": result.source.iri, "to": result.target.iri,
                                                  "k": values["k"]}) if result.paths else None
    return page("path.html", title=f"Path: {result.source.label} → {result.target.label}", form=values,
                result=result, docs=sources(store), view=view)


def exposure_page(request: Request):
    from ..lookup.sources import sources
    from ..network.exposure import exposure

    store = request.app.state.store
    slug = request.path_params["slug"]
    try:
        result = exposure(store, ID_NS + slug, max_hops=int(request.query_params.get("max_hops", "4")))
    except ValueError:
        return _bad("max_hops must be a whole number")
    except TechregError as exc:
        return error_page(404, str(exc))
    return page("exposure.html", title=f"Exposure: {result.source.label}", result=result,
                groups=result.groups(), docs=sources(store))


def timeline_page(request: Request):
    from ..answers.timeline import timeline
    from ..lookup.sources import sources

    q = request.query_params
    form = {k: q.get(k, "").strip() for k in ("entity", "from", "to", "type")}
    store = request.app.state.store
    entries = None
    if q.get("all") or any(form[k] for k in ("entity", "from", "to")):
        try:
            entries = timeline(store, form["entity"] or None, start=form["from"] or None, end=form["to"] or None)
        except TechregError as exc:
            return _bad(str(exc))
        if form["type"]:
            entries = [e for e in entries if form["type"] in e.classes]
    return page("timeline.html", title="Timeline", form=form, entries=entries, docs=sources(store))


def _library():
    from ..query.library import library

    return library()


def queries_page(request: Request):
    return page("queries.html", title="Query library", queries=list(_library().values()))


def result_table(result) -> tuple[list[str], list[list[dict]]]:
    """A SELECT or ASK result as column names and rows of cells (``text``, ``iri``)."""
    if result.kind == "boolean":
        return ["answer"], [[{"text": "yes" if result.boolean() else "no", "iri": None}]]
    if result.kind == "graph":
        return ["subject", "predicate", "object"], [
            [{"text": getattr(t, "value", str(t)), "iri": getattr(t, "value", None) if type(t).__name__ == "NamedNode" else None}
             for t in (tr.subject, tr.predicate, tr.object)] for tr in result.triples()]
    names = result.variables
    rows = []
    for row in result.rows():
        cells = []
        for n in names:
            term = row[n]
            if term is None:
                cells.append({"text": "", "iri": None})
            else:
                is_iri = type(term).__name__ == "NamedNode"
                cells.append({"text": term.value, "iri": term.value if is_iri else None})
        rows.append(cells)
    return names, rows


def query_form_page(request: Request):
    from ..lookup.names import name_index
    from ..query.params import bind_params
    from ..query.run import run_query
    from ..query.safety import check_safety

    name = request.path_params["name"]
    queries = _library()
    if name not in queries:
        return error_page(404, f"No library query named {name!r}.")
    lq = queries[name]
    q = request.query_params
    given = {p.name: q.get(p.name, "").strip() for p in lq.params}
    values = {k: v for k, v in given.items() if v}
    run = "run" in q or bool(values)
    store = request.app.state.store
    settings = request.app.state.settings
    names, rows, error = None, None, None
    if run:
        try:
            check_safety(lq.text, local_graphs=set(store.named_graphs()))
            text = bind_params(store, lq.text, values, lq.params)
            result = run_query(store, text, timeout=settings.timeout)
        except TechregError as exc:
            error = str(exc)
        else:
            fmt = q.get("format")
            if fmt in ("csv", "json", "tsv", "xml") and result.kind != "graph":
                from .protocol import MEDIA_TYPES

                return Response(result.serialize(fmt), media_type=MEDIA_TYPES[fmt],
                                headers={"Content-Disposition": f'inline; filename="{name}.{fmt}"'})
            names, rows = result_table(result)
    link = "/queries/" + name + "?" + urllib.parse.urlencode({"run": "1", **values})
    return page("query_form.html", title=lq.question or name, q=lq, given=given, names=names, rows=rows,
                error=error, permalink=link, label=name_index(store).label, run=run,
                csv_link=link + "&format=csv", json_link=link + "&format=json")


def editor_page(request: Request):
    from ..model.iris import sparql_prologue

    prologue = sparql_prologue("")
    examples = [{"name": q.name, "question": q.question, "text": q.text} for q in _library().values()]
    config = {"endpoint": "/sparql", "prologue": prologue, "prefixes": PREFIXES, "examples": examples,
              "initial": request.query_params.get("query") or ""}
    # YASGUI sets inline styles from its script: styles may be inline here, scripts may not
    csp = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
           "font-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; "
           "frame-ancestors 'none'")
    return page("editor.html", title="SPARQL query editor", config=config, headers={"Content-Security-Policy": csp})


def _view(request: Request, **kwargs) -> Response:
    from ..views.build import render_html, view

    store = request.app.state.store
    try:
        net = view(store, max_nodes=300, **kwargs)
    except TechregError as exc:
        return HTMLResponse(f"<!doctype html><title>no view</title><p>{_escape(str(exc))}</p>",
                            headers={"Content-Security-Policy": "default-src 'none'; " + _VIEW_FRAMING,
                                     "X-Frame-Options": "SAMEORIGIN"})
    # the page carries its own policy (script hashes) in a meta element; this one allows the frame
    return HTMLResponse(render_html(net), headers={"Content-Security-Policy": _VIEW_FRAMING,
                                                   "X-Frame-Options": "SAMEORIGIN"})


def _escape(text: str) -> str:
    import html

    return html.escape(text)


def view_entity(request: Request):
    try:
        depth = max(0, min(2, int(request.query_params.get("depth", "1"))))
    except ValueError:
        depth = 1
    return _view(request, entities=[ID_NS + request.path_params["slug"]], depth=depth)


def view_path(request: Request):
    q = request.query_params
    try:
        k = max(1, min(10, int(q.get("k", "3"))))
    except ValueError:
        k = 3
    return _view(request, path=(q.get("from", ""), q.get("to", "")), k=k)


ROUTES = [
    Route("/path", path_page),
    Route("/exposure/{slug:path}", exposure_page),
    Route("/timeline", timeline_page),
    Route("/queries", queries_page),
    Route("/queries/{name}", query_form_page),
    Route("/query", editor_page),
    Route("/view/id/{slug:path}", view_entity),
    Route("/view/path", view_path),
]
