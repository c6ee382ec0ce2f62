"""Running SPARQL within a time limit, and the results in the W3C formats.

Queries run in the store's own engine (see :func:`run_query`); results cross thread and
process boundaries as SPARQL JSON or N-Triples (:class:`QueryResult`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import BadInput
from ..model.iris import sparql_prologue

__all__ = ["QueryResult", "QueryTimeout", "run_query", "RESULT_FORMATS", "GRAPH_FORMATS"]

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
}


class QueryTimeout(BadInput):
    """A query ran past its time limit and was stopped."""


@dataclass
class QueryResult:
    """The outcome of a query, in a form that crosses process boundaries.

    ``kind`` is ``solutions``, ``boolean`` or ``graph``; ``payload`` is SPARQL JSON
    results (solutions, boolean) or N-Triples (graph).
    """

    kind: str
    payload: bytes
    variables: list[str] = field(default_factory=list)

    def rows(self) -> list[dict]:
        """The solutions as dictionaries of pyoxigraph terms."""
        parsed = ox.parse_query_results(self.payload, format=ox.QueryResultsFormat.JSON)
        names = [v.value for v in parsed.variables]
        return [{n: row[n] for n in names} for row in parsed]

    def boolean(self) -> bool:
        return bool(ox.parse_query_results(self.payload, format=ox.QueryResultsFormat.JSON))

    def triples(self) -> list[ox.Triple]:
        return list(ox.parse(self.payload, format=ox.RdfFormat.N_TRIPLES))

    def serialize(self, fmt: str) -> bytes:
        """Serialize as a W3C result format (json, xml, csv, tsv) or an RDF syntax."""
        if self.kind == "graph":
            if fmt not in GRAPH_FORMATS:
                raise BadInput(f"a CONSTRUCT or DESCRIBE result is a graph: use --format {', '.join(GRAPH_FORMATS)}")
            from ..model.iris import PREFIXES

            prefixes = None if fmt == "ntriples" else dict(PREFIXES)
            return ox.serialize(self.triples(), format=GRAPH_FORMATS[fmt], prefixes=prefixes)
        if fmt not in RESULT_FORMATS:
            raise BadInput(f"a SELECT or ASK result is a table: use --format text, {', '.join(RESULT_FORMATS)}")
        if fmt == "json":
            return self.payload
        parsed = ox.parse_query_results(self.payload, format=ox.QueryResultsFormat.JSON)
        return parsed.serialize(format=RESULT_FORMATS[fmt])


def _evaluate(store, text: str, **options) -> QueryResult:
    result = store.query(text, **options)
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("boolean", result.serialize(format=ox.QueryResultsFormat.JSON))
    if isinstance(result, ox.QueryTriples):
        return QueryResult("graph", result.serialize(format=ox.RdfFormat.N_TRIPLES) or b"")
    variables = [v.value for v in result.variables]
    return QueryResult("solutions", result.serialize(format=ox.QueryResultsFormat.JSON), variables)


def _syntax_error(text: str, exc: SyntaxError) -> BadInput:
    message = str(exc)
    m = re.search(r"error at (\d+):(\d+)", message)
    offset = sparql_prologue(text).count("\n")
    if not m:
        return BadInput(f"SPARQL syntax error: {message}")
    line, col = int(m.group(1)) - offset, int(m.group(2))
    reason = message.split(":", 2)[-1].strip() if message.count(":") >= 2 else message
    lines = text.splitlines() or [""]
    shown = lines[line - 1] if 0 < line <= len(lines) else ""
    caret = " " * max(col - 1, 0) + "^"
    return BadInput(f"SPARQL syntax error at line {line}, column {col}: {reason}\n  {shown}\n  {caret}")


def run_query(store, text: str, *, timeout: float | None = 30.0, isolate: bool = False) -> QueryResult:
    """Run a query in the store's engine within a time limit.

    Parameters
    ----------
    store : graph.stores.Store
    text : str
        The query (project prefixes are added when missing).
    timeout : float, optional
        Seconds before the query is stopped; ``None`` for no limit.
    isolate : bool
        Run the query in a forked process that is killed at the time limit. By default it
        runs in a thread of this process (Oxigraph releases the GIL), which costs nothing
        but can only be abandoned, not stopped: the command line exits at once, but a
        long-running process (a notebook, a server) should isolate untrusted queries.

    Returns
    -------
    QueryResult

    Raises
    ------
    BadInput
        A syntax error (line, column and the offending text) or an unreachable endpoint.
    QueryTimeout
        When the time limit passes.
    """
    if store.kind == "remote":  # the endpoint enforces its own limit
        try:
            return _evaluate(store, text, timeout=timeout)  # the endpoint's socket time limit
        except SyntaxError as exc:
            raise _syntax_error(text, exc) from None
    try:  # parse first, so syntax errors come back at once and without a process
        ox.Store().query(sparql_prologue(text) + text)
    except SyntaxError as exc:
        raise _syntax_error(text, exc) from None
    except Exception:  # noqa: BLE001 - evaluation errors on the empty store are irrelevant
        pass
    if timeout is None:
        return _evaluate(store, text)
    if isolate:
        return _in_child(store, text, timeout)
    return _in_thread(store, text, timeout)


def _timeout(timeout: float) -> QueryTimeout:
    return QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped; "
                        "narrow it (LIMIT, more specific patterns) or raise --timeout")


def _in_thread(store, text: str, timeout: float) -> QueryResult:
    import threading

    outcome: list = []

    def work():
        try:
            outcome.append(("ok", _evaluate(store, text)))
        except BaseException as exc:  # noqa: BLE001 - reported to the caller
            outcome.append(("error", exc))

    worker = threading.Thread(target=work, name="techreg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive() or not outcome:
        raise _timeout(timeout)
    status, value = outcome[0]
    if status == "error":
        if isinstance(value, SyntaxError):
            raise _syntax_error(text, value) from None
        raise BadInput(f"query failed: {type(value).__name__}: {value}") from None
    return value


def _in_child(store, text: str, timeout: float) -> QueryResult:
    import multiprocessing as mp
    import pickle

    ctx = mp.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)

    def work():
        try:
            outcome = ("ok", _evaluate(store, text))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            outcome = ("error", f"{type(exc).__name__}: {exc}")
        writer.send_bytes(pickle.dumps(outcome))
        writer.close()

    proc = ctx.Process(target=work, daemon=True)
    proc.start()
    writer.close()
    try:
        if not reader.poll(timeout):
            raise _timeout(timeout)
        status, value = pickle.loads(reader.recv_bytes())
    except EOFError:
        raise BadInput("the query process ended without an answer") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        reader.close()
    if status == "error":
        raise BadInput(f"query failed: {value}")
    return value
