"""Any SPARQL 1.1 endpoint as a store: the same interface as :class:`graph.stores.Store`.

``open_store("sparql:QUERY_URL[,UPDATE_URL]")`` talks to a remote triple store (Fuseki,
GraphDB, Virtuoso, Neptune, QLever, an Oxigraph server) over HTTP with the SPARQL 1.1
protocol (over httpx, with a total deadline and a size cap per request: :mod:`.http`):

* SELECT and ASK are sent with ``Accept: application/sparql-results+json`` and parsed
  by pyoxigraph into the same terms and rows the local store gives; CONSTRUCT and
  DESCRIBE come back as N-Triples and are returned as a ``pyoxigraph.QueryTriples``.
* Updates go to the update endpoint (for Virtuoso, the same URL as queries).
* The project prefixes are prepended to every query and update, as in the local store.

The data model on the endpoint
------------------------------
The same as the local store's (:mod:`graph.stores.local`), laid out so that it works on
engines whose default graph is a graph of its own (Oxigraph, Fuseki) and on engines whose
default graph is the union of the named graphs (Virtuoso, GraphDB, Neptune): every fact
sits in the named graph of its source, the merge and the entailments in a named graph of
their own, and every query names its dataset with the protocol's ``default-graph-uri``
and ``named-graph-uri`` parameters (see :mod:`graph.stores.layout`). So a query without
``GRAPH`` sees every fact once and ``GRAPH ?g`` finds the sources, whatever the engine
and however it is configured. Tested engines: Oxigraph server and Virtuoso 7.2.

Loads are all or nothing: :meth:`SparqlStore.add` writes the quads to staging graphs
(in requests of at most :data:`CHUNK_TRIPLES` triples, which engines' request limits
allow) that no query's dataset includes, then switches them in with one update request
(copy into the source graphs and the merged graph, list them in the catalog, drop the
staging graphs), which the endpoint runs as one transaction.

Changes are tracked only locally: ``generation`` is bumped on every write made through
this object, so caches keyed on it (name index, network projection) stay right for
one's own loads, but changes other clients make to the endpoint are not seen until a
new store object is opened.
"""

from __future__ import annotations

import os
import re
import urllib.parse
import uuid
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from ..errors import BadInput
from ..model.iris import ENTAILED_GRAPH, ONTOLOGY_IRI, sparql_prologue
from .base import Store
from .http import Answer, Endpoint, RemoteError, RequestRejected
from .layout import (_STAGING_CLASS, CATALOG_GRAPH, MERGED_GRAPH, NAMED_GRAPH_CLASS, STAGING_NS, _chunks,
                     _staging_graph, _switch, insert_data, rewrite_update, uses_graph)
from .normalise import boolean_variables, normalise_json
from .rdfio import parse_files, serialize_quads
from .rowlimit import count_query, cut_error

__all__ = ["CHUNK_TRIPLES", "SparqlStore", "open_remote", "QuerySyntaxError", "DEFAULT_TIMEOUT", "DEFAULT_UPDATE_TIMEOUT"]

#: Seconds a query may wait for the endpoint's answer (socket timeout).
DEFAULT_TIMEOUT = 30.0
#: Seconds an update (a load, the entailments) may wait for the endpoint's answer.
DEFAULT_UPDATE_TIMEOUT = 600.0

#: The most triples sent in one INSERT DATA request (Virtuoso's SPARQL compiler and
#: engines' request size limits refuse much bigger ones).
CHUNK_TRIPLES = 5000
_RESULTS_JSON = "application/sparql-results+json"
_RESULTS_XML = "application/sparql-results+xml"
_ACCEPT_RESULTS = f"{_RESULTS_JSON}, {_RESULTS_XML};q=0.8"
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.5"
_USER_AGENT = "techreg (SPARQL 1.1 protocol client)"

# The prologue (BASE / PREFIX declarations, comments) before the query form keyword.
_PROLOGUE_ITEM = re.compile(
    r"""\s+ | \#[^\n]*                     # whitespace, comments
      | BASE \s* <[^>]*>                    # BASE <iri>
      | PREFIX \s+ [^\s:]* : \s* <[^>]*>    # PREFIX p: <iri>""",
    re.IGNORECASE | re.VERBOSE,
)
_FORM = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


class QuerySyntaxError(BadInput, SyntaxError):
    """The endpoint rejected a query or update as malformed (HTTP 400).

    It is both a :class:`graph.errors.BadInput` (exit 2) and a ``SyntaxError``, like the
    error pyoxigraph raises for the local store; the message is the endpoint's own
    (for an Oxigraph server: ``error at LINE:COLUMN: ...``, lines counted with the
    prepended project prefixes, exactly as for the local store).
    """


def query_form(sparql: str) -> str:
    """Return the form of a SPARQL query: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.

    Parameters
    ----------
    sparql : str
        The query, with or without a prologue.

    Returns
    -------
    str
        The upper-case keyword; ``SELECT`` when the form cannot be told (the endpoint
        then reports the syntax error).
    """
    pos = 0
    while True:
        m = _PROLOGUE_ITEM.match(sparql, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
    m = _FORM.match(sparql, pos)
    return m.group(1).upper() if m else "SELECT"


def _check_url(url: str, spec: str) -> str:
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadInput(f"store {spec!r}: {url!r} is not an http(s) URL of a SPARQL endpoint")
    return url.strip()


class SparqlStore(Store):
    """A remote SPARQL 1.1 endpoint with the interface of :class:`graph.stores.Store`.

    Parameters
    ----------
    query_url : str
        The SPARQL query endpoint, e.g. ``http://127.0.0.1:7878/query``.
    update_url : str, optional
        The SPARQL update endpoint, e.g. ``http://127.0.0.1:7878/update``; without it the
        store is read-only and every write raises :class:`graph.errors.BadInput`.
    spec : str, optional
        How the user named the store (for messages); by default ``sparql:`` and the URLs.
    timeout : float, optional
        Seconds a query waits for the endpoint (sent as the socket timeout); default 30.
    update_timeout : float, optional
        Seconds an update waits for the endpoint; default 600 (loads can be big).

    Notes
    -----
    The endpoint's default graph holds the merge of the named graphs, written by
    :meth:`add` (see the module documentation). ``generation`` counts only writes made
    through this object.
    """

    kind = "remote"
    persistent = True
    searches_in_store = True

    def __init__(self, query_url: str, update_url: str | None = None, spec: str | None = None, *,
                 timeout: float | None = DEFAULT_TIMEOUT, update_timeout: float | None = DEFAULT_UPDATE_TIMEOUT,
                 max_bytes: int | None = None):
        super().__init__(spec or ("sparql:" + query_url + (f",{update_url}" if update_url else "")))
        self.query_url = _check_url(query_url, self.spec)
        self.update_url = _check_url(update_url, self.spec) if update_url else None
        self.timeout = timeout
        self.update_timeout = update_timeout
        self._http = Endpoint(max_bytes)
        self._max_rows: int | None = None  # the endpoint's row limit, once it has named it

    def location(self) -> str | None:
        return self.query_url

    def limit_time(self, seconds: float | None) -> None:
        """Use ``seconds`` as the total deadline of every later query (and of updates, when shorter)."""
        if seconds is not None:
            self.timeout = seconds
            if self.update_timeout is None or self.update_timeout > seconds:
                self.update_timeout = seconds

    # -- HTTP ----------------------------------------------------------------

    def _post(self, url: str, field: str, text: str, accept: str | None, timeout: float | None,
              params: dict | None = None) -> Answer:
        """POST a query or update as a form within ``timeout`` seconds in all; return the answer."""
        form = {field: text, **(params or {})}
        try:
            answer = self._http.post(url, form, accept, timeout, field)
        except RequestRejected as exc:
            if exc.status == 400 and "union-graph" in exc.detail:
                raise BadInput(f"the endpoint {url} serves a union default graph and so refuses the "
                               "dataset that techreg names in every request; serve it without one "
                               "(Oxigraph: without --union-default-graph)") from None
            if exc.status == 400:
                err = QuerySyntaxError(exc.detail or f"the endpoint {url} rejected the {field} (HTTP 400)")
                err.url = url
                raise err from None
            raise
        if answer.cut:
            raise BadInput(f"SPARQL endpoint {url} cut the answer to {answer.cut} rows (its --max-rows limit), so "
                           "it would be incomplete; raise the server's --max-rows or narrow the query")
        if answer.max_rows:
            self._max_rows = answer.max_rows
        if answer.entailments == "default-graph" and self.entailed_graph is not None:
            # a techreg endpoint over a local store: its entailments sit in its default graph
            # only (no entailed graph), so read them there, as a local store does
            self.entailed_graph = None
            self._changed()
        return answer

    # -- reading -------------------------------------------------------------

    def _visible(self) -> list[str]:
        """The named graphs of every query's dataset: the catalogued data graphs, the
        ontology and the entailed graph (never the merged, catalog or staging graphs)."""
        def build():
            rows = self._run(f"SELECT ?g WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ ?g a <{NAMED_GRAPH_CLASS}> }} }}",
                             self.timeout, {})
            graphs = {r["g"].value for r in rows if isinstance(r["g"], ox.NamedNode)}
            return sorted(graphs | {ONTOLOGY_IRI, ENTAILED_GRAPH})
        return self.cached(("remote", "visible graphs"), build)

    def _dataset(self, text: str) -> dict:
        params = {"default-graph-uri": MERGED_GRAPH}
        if uses_graph(text):
            params["named-graph-uri"] = self._visible()
        return params

    def _run(self, text: str, timeout: float | None, params: dict):
        form = query_form(text)
        accept = _ACCEPT_GRAPH if form in ("CONSTRUCT", "DESCRIBE") else _ACCEPT_RESULTS
        answer = self._post(self.query_url, "query", text, accept, timeout, params)
        data, media = answer.body, answer.media
        try:
            if form == "SELECT" and _RESULT_FORMATS.get(media) is ox.QueryResultsFormat.JSON:
                data = normalise_json(data, boolean_variables(text))
            result, rows = _parse_answer(data, media)
        except (SyntaxError, ValueError, OverflowError, RecursionError) as exc:
            raise RemoteError(f"SPARQL endpoint {self.query_url} sent an answer that cannot be read "
                              f"({media or 'no media type'}): {exc}") from None
        limit = answer.max_rows or (self._max_rows if form in ("CONSTRUCT", "DESCRIBE") else None)
        if limit and rows is not None and rows >= limit:
            self._check_complete(text, rows, limit, timeout, params)
        return result

    def _check_complete(self, text: str, rows: int, limit: int, timeout, params: dict) -> None:
        """Raise :class:`AnswerCut` unless the query has no more solutions than the rows returned."""
        counting = count_query(text)
        total = None
        if counting is not None:
            try:
                answer = self._post(self.query_url, "query", counting, _ACCEPT_RESULTS, timeout, params)
                total = int(next(iter(_parse_answer(answer.body, answer.media)[0]))[0].value)
            except (RemoteError, SyntaxError, ValueError, StopIteration, TypeError):
                total = None
            if total is not None and total <= rows:
                return
        raise cut_error(self.query_url, rows, limit, total)

    def query(self, sparql: str, *, prefixes: bool = True, timeout: float | None = None):
        """Run a SPARQL query at the endpoint over techreg's dataset.

        The default graph is the merge of all sources plus the entailments; ``GRAPH``
        patterns see the source graphs, the ontology and the entailed graph.

        Parameters
        ----------
        sparql : str
            The query; the project prefixes are prepended unless ``prefixes`` is false.
        prefixes : bool
            Prepend the project prefixes the query does not declare itself.
        timeout : float, optional
            Seconds for the whole request; by default the store's ``timeout``.

        Returns
        -------
        pyoxigraph.QuerySolutions, QueryBoolean or QueryTriples
            The same kinds of results as the local store gives.

        Raises
        ------
        QuerySyntaxError
            If the endpoint rejects the query (HTTP 400).
        graph.errors.BadInput
            If the endpoint cannot be reached, misses the deadline, sends too much or
            answers with an error or an unreadable answer.
        """
        text = sparql_prologue(sparql) + sparql if prefixes else sparql
        return self._run(text, self.timeout if timeout is None else timeout, self._dataset(text))

    def select(self, sparql: str) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode | None]]:
        """Run a SELECT query and return its rows as dictionaries keyed by variable name.

        Parameters
        ----------
        sparql : str
            A SELECT query (project prefixes pre-bound).

        Returns
        -------
        list of dict
            Variable name to pyoxigraph term, or ``None`` where unbound.
        """
        result = self.query(sparql)
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names} for row in result]

    def ask(self, sparql: str) -> bool:
        """Run an ASK query.

        Returns
        -------
        bool
        """
        return bool(self.query(sparql))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Iterate over the quads of all named graphs, or of one.

        Parameters
        ----------
        graph : str, optional
            The IRI of one named graph.

        Returns
        -------
        iterator of pyoxigraph.Quad

        Notes
        -----
        The default graph (the merge of the named graphs) is not returned, as in the
        local store.
        """
        if graph:
            g = ox.NamedNode(graph)
            rows = self.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}", prefixes=False,
                              timeout=self.update_timeout)
            return iter([ox.Quad(r["s"], r["p"], r["o"], g) for r in rows])
        rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", prefixes=False,
                          timeout=self.update_timeout)
        return iter([ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows])

    def named_graphs(self) -> list[str]:
        """Return the IRIs of all named graphs, sorted.

        Returns
        -------
        list of str
        """
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", prefixes=False)
        return sorted(r["g"].value for r in rows if isinstance(r["g"], ox.NamedNode))

    def __len__(self) -> int:
        """The quads of the named graphs plus the triples of the default graph, as locally."""
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }")
        return int(rows[0]["n"].value)

    def dataset_ok(self) -> bool:
        """Tell whether the endpoint honours the protocol's dataset parameters.

        The catalog's triples must be seen when the catalog is named as the default graph,
        and not when the merged graph is.

        Returns
        -------
        bool
        """
        probe = f"ASK {{ ?g a <{NAMED_GRAPH_CLASS}> }}"
        with_catalog = bool(self._run(probe, self.timeout, {"default-graph-uri": CATALOG_GRAPH}))
        if not with_catalog:
            return True  # nothing catalogued yet: nothing to tell by
        return not bool(self._run(probe, self.timeout, {"default-graph-uri": MERGED_GRAPH}))

    def check_layout(self) -> None:
        """Refuse an endpoint that ignores the protocol's ``default-graph-uri`` parameter.

        Raises
        ------
        graph.errors.BadInput
        """
        if not self.dataset_ok():
            raise BadInput(
                f"the endpoint of {self.spec!r} ignores the SPARQL protocol's default-graph-uri "
                "parameter, on which techreg's remote layout relies (every query names the merged "
                "graph as its default graph)")

    # -- writing -------------------------------------------------------------

    def _update(self, text: str) -> None:
        if not self.update_url:
            raise BadInput(f"store {self.spec!r} is read-only: give the update endpoint as "
                           "sparql:QUERY_URL,UPDATE_URL to write to it")
        try:
            self._post(self.update_url, "update", text, None, self.update_timeout)
        finally:
            self._changed()

    def update(self, sparql: str) -> None:
        """Run a SPARQL update at the update endpoint (with the project prefixes).

        The update is written for techreg's model (the default graph is the merge of the
        sources plus the entailments) and rewritten for the remote layout by
        :func:`graph.stores.layout.rewrite_update`.

        Parameters
        ----------
        sparql : str
            One or more update operations, separated by ``;`` (one request, which the
            endpoint runs as one transaction).

        Raises
        ------
        graph.errors.BadInput
            If the store has no update endpoint, or the endpoint fails.
        """
        if not self.update_url:
            self._update("")  # raises the read-only message
        text = sparql_prologue(sparql) + sparql
        self._update(rewrite_update(text, MERGED_GRAPH, self._visible()))

    def add(self, quads: Iterable[ox.Quad]) -> int:
        """Add quads all or nothing: staged first, then switched in by one update.

        The quads go to staging graphs (one per target graph, no query's dataset includes
        them) in requests of at most :data:`CHUNK_TRIPLES` triples; one final request
        copies them into their graphs and into the merged graph, lists the graphs in the
        catalog and drops the staging graphs. A failure before that request leaves the
        store as it was (plus invisible staging graphs under ``graph/staging/``, which the
        next load through this client drops); the final request is one transaction.

        Parameters
        ----------
        quads : iterable of pyoxigraph.Quad
            In named graphs; quads in the default graph go to the merged graph only.

        Returns
        -------
        int
            The number of quads given.
        """
        quads = list(quads)
        if not quads:
            return 0
        if not self.update_url:
            self._update("")  # raises the read-only message
        self._drop_stale_staging()
        load = uuid.uuid4().hex
        targets = sorted({q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else MERGED_GRAPH
                          for q in quads})
        staging = {g: _staging_graph(load, g) for g in targets}
        self._update(f"INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ <{STAGING_NS}{load}> a <{_STAGING_CLASS}> }} }}")
        staged = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(
            staging[q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else MERGED_GRAPH])) for q in quads]
        for chunk in _chunks(staged, CHUNK_TRIPLES):
            text = insert_data(chunk)
            if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in chunk):
                # Virtuoso refuses blank nodes in INSERT DATA; a template with an empty WHERE
                # means the same (one solution: one new node per label) on every engine
                text = "INSERT {" + text[len("INSERT DATA {"):] + " WHERE {}"
            self._update(text)
        self._update(_switch(staging, load))
        return len(quads)

    def _drop_stale_staging(self) -> None:
        """Drop the staging graphs of loads that failed part-way (listed in the catalog)."""
        rows = self._run(f"SELECT ?load WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ ?load a <{_STAGING_CLASS}> }} }}",
                         self.timeout, {})
        loads = [r["load"].value for r in rows]
        if not loads:
            return
        graphs = self._run("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "
                           f"\"{STAGING_NS}\")) }}", self.update_timeout, {})
        ops = [f"DROP SILENT GRAPH <{r['g'].value}>" for r in graphs
               if any(r["g"].value.startswith(load + "/") for load in loads)]
        ops.append(f"DELETE DATA {{ GRAPH <{CATALOG_GRAPH}> {{ "
                   + " ".join(f"<{load}> a <{_STAGING_CLASS}> ." for load in loads) + " } }")
        self._update(" ;\n".join(ops))

    def load_paths(self, paths: Iterable, default_graph: str | None = None) -> None:
        """Parse RDF files here and send their quads in one ``INSERT DATA`` request.

        Raises
        ------
        graph.errors.ParseError
            With the file and line of a syntax error; nothing is sent.
        """
        self.add(parse_files(list(paths), default_graph=default_graph))

    def flush(self) -> None:
        """Do nothing: the endpoint commits every request itself."""

    def close(self) -> None:
        """Close the connections to the endpoint."""
        super().close()
        self._http.close()

    def dump(self, fmt: ox.RdfFormat, graphs: list[str] | None = None, *, default_graph: bool = False) -> bytes:
        """Serialize the given named graphs (default: all but the entailed graph).

        Parameters
        ----------
        fmt : pyoxigraph.RdfFormat
            Dataset formats (TriG, N-Quads, JSON-LD) keep the graphs; the others get the
            union of the triples.
        graphs : list of str, optional
            The IRIs of the graphs to write.
        default_graph : bool
            Also write the merged default graph.

        Returns
        -------
        bytes
        """
        keep = set(graphs) if graphs is not None else {g for g in self.named_graphs() if g != ENTAILED_GRAPH}
        quads = [q for q in self.quads() if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in keep]
        if default_graph:
            quads += [ox.Quad(r["s"], r["p"], r["o"], ox.DefaultGraph())
                      for r in self.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")]
        return serialize_quads(quads, fmt)


def _parse_answer(data: bytes, media: str):
    """Turn an endpoint's answer into pyoxigraph query results.

    pyoxigraph parses results lazily, so a broken answer would only fail while the caller
    iterates; the answer is read through once here so that every error surfaces now, as a
    ``SyntaxError`` or ``ValueError``, then parsed again for the caller. Returns the results
    and the number of rows or triples (``None`` for ASK).
    """
    results_format = _RESULT_FORMATS.get(media)
    if results_format is ox.QueryResultsFormat.JSON and b"nodeID://" in data:
        # Virtuoso names blank nodes "nodeID://b123", not a blank node label
        data = _VIRTUOSO_BNODE.sub(rb"\1", data)
    if results_format is not None:
        first = ox.parse_query_results(data, results_format)
        if isinstance(first, ox.QuerySolutions):
            rows = sum(1 for _ in first)
            return ox.parse_query_results(data, results_format), rows
        return first, None
    fmt = ox.RdfFormat.from_media_type(media) if media else None
    if fmt is None:
        raise ValueError(f"unexpected media type {media!r}")
    # Hand back a real QueryTriples, as the local store does, through a scratch store.
    triples = list(ox.parse(data, format=fmt))
    scratch = ox.Store()
    scratch.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }"), len(triples)


_VIRTUOSO_BNODE = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')
_RESULT_FORMATS = {
    _RESULTS_JSON: ox.QueryResultsFormat.JSON, "application/json": ox.QueryResultsFormat.JSON,
    _RESULTS_XML: ox.QueryResultsFormat.XML, "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML, "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


def open_remote(rest: str, spec: str | None = None) -> SparqlStore:
    """Open a remote store from the part of its specification after ``sparql:``.

    Parameters
    ----------
    rest : str
        ``QUERY_URL`` or ``QUERY_URL,UPDATE_URL``.
    spec : str, optional
        The whole specification as the user gave it (for messages).

    Returns
    -------
    SparqlStore

    Raises
    ------
    graph.errors.BadInput
        If a URL is missing or is not an http(s) URL.
    """
    spec = spec or f"sparql:{rest}"
    query_url, _, update_url = rest.partition(",")
    if not query_url.strip():
        raise BadInput(f"store {spec!r}: give the query URL, as sparql:QUERY_URL[,UPDATE_URL]")
    return SparqlStore(query_url.strip(), update_url.strip() or None, spec, timeout=_env_seconds(
        "TECHREG_REMOTE_TIMEOUT", DEFAULT_TIMEOUT), update_timeout=_env_seconds(
        "TECHREG_REMOTE_UPDATE_TIMEOUT", DEFAULT_UPDATE_TIMEOUT))


def _env_seconds(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value < 1e7:
        raise BadInput(f"{name}={raw!r}: give a positive number of seconds")
    return value
