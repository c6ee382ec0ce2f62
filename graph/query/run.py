"""Running SPARQL within a time limit, and the results in the W3C formats.

Queries pass the safety gate (:mod:`.safety`), then run in the store's own engine (see
:func:`run_query`); results cross process boundaries as SPARQL JSON or N-Triples
(:class:`QueryResult`).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import BadInput
from ..model.iris import sparql_prologue
from .safety import check_safety

__all__ = ["QueryResult", "QueryTimeout", "run_query", "deadline_guard", "RESULT_FORMATS", "GRAPH_FORMATS"]

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


def run_query(store, text: str, *, timeout: float | None = 30.0, deadline: float | None = None,
              allow_remote: bool = False) -> QueryResult:
    """Check a query with the safety gate, then run it in the store's engine within a time limit.

    Parameters
    ----------
    store : graph.stores.Store
    text : str
        The query (project prefixes are added when missing), parameters already bound.
    timeout : float, optional
        Seconds before the query is stopped; ``None`` for no limit (trusted queries only:
        they then run in this process).
    deadline : float, optional
        A :func:`time.monotonic` instant the whole request must end by (it wins over
        ``timeout``), so that a command's limit covers its checks and output too.
    allow_remote : bool
        Let the gate pass ``SERVICE`` and ``FROM`` of other graphs.

    Returns
    -------
    QueryResult

    Raises
    ------
    BadInput
        A refused query, a syntax error (line, column and the offending text) or an
        unreachable endpoint.
    QueryTimeout
        When the time limit passes.

    Notes
    -----
    On a local store the query runs in a forked child process that reads the store and
    streams its serialized results back through a pipe; at the time limit the child is
    killed, so no runaway query outlives it. Unless ``allow_remote``, the child first
    forbids itself internet sockets and connections (:mod:`.sandbox`, seccomp), a second
    line behind the gate. Nothing is evaluated in this process (no pre-check on an empty
    store: that ran without a limit and sent SERVICE requests twice).
    """
    if deadline is None and timeout is not None:
        deadline = time.monotonic() + timeout
    limit = timeout if timeout is not None else (deadline - time.monotonic() if deadline else None)
    check_safety(text, allow_remote=allow_remote, local_graphs=store.named_graphs)
    if store.kind == "remote":
        remaining = None if deadline is None else _remaining(deadline, limit)
        try:
            return _evaluate(store, text, timeout=remaining)
        except SyntaxError as exc:
            raise _syntax_error(text, exc) from None
    if deadline is None:
        try:
            return _evaluate(store, text)
        except SyntaxError as exc:
            raise _syntax_error(text, exc) from None
    return _in_child(store, text, deadline, limit, offline=not allow_remote)


def _remaining(deadline: float, limit: float | None) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _timeout(limit or 0)
    return left


def _timeout(timeout: float) -> QueryTimeout:
    return QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped; "
                        "narrow it (LIMIT, more specific patterns) or raise --timeout")


def _in_child(store, text: str, deadline: float, limit: float | None, offline: bool = True) -> QueryResult:
    import os
    import pickle
    import select
    import signal

    from . import sandbox

    _remaining(deadline, limit)
    if offline:
        sandbox.available()  # load libseccomp here, so the child only installs the filter
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: evaluate, send, and leave without running any cleanup
        code = 0
        try:
            os.close(reader)
            if offline:
                sandbox.deny_network()  # behind the gate: the engine cannot open a connection
            try:
                outcome = ("ok", _evaluate(store, text))
            except SyntaxError as exc:
                outcome = ("syntax", str(exc))
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                outcome = ("error", f"{type(exc).__name__}: {exc}")
            data = memoryview(pickle.dumps(outcome))
            while data:
                data = data[os.write(writer, data[:1 << 20]):]
        except BaseException:  # noqa: BLE001 - the parent sees a closed pipe
            code = 1
        finally:
            os._exit(code)
    os.close(writer)
    chunks: list[bytes] = []
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([reader], [], [], left)[0]:
                raise _timeout(limit or 0)
            chunk = os.read(reader, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(reader)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    if not chunks:
        raise BadInput("the query process ended without an answer")
    status, value = pickle.loads(b"".join(chunks))
    if status == "syntax":
        raise _syntax_error(text, SyntaxError(value))
    if status == "error":
        raise BadInput(f"query failed: {value}")
    return value


class deadline_guard:
    """Raise :class:`QueryTimeout` in the main thread when ``deadline`` passes, so work in
    this process after the query (conversion, rendering) is bounded too.

    A no-op outside the main thread or without a deadline.
    """

    def __init__(self, deadline: float | None, limit: float | None):
        self.deadline, self.limit, self.armed = deadline, limit, False

    def __enter__(self):
        import signal
        import threading

        if self.deadline is None or threading.current_thread() is not threading.main_thread():
            return self
        left = max(self.deadline - time.monotonic(), 0.001)

        def ring(signum, frame):
            raise _timeout(self.limit or 0)

        self.previous = signal.signal(signal.SIGALRM, ring)
        signal.setitimer(signal.ITIMER_REAL, left)
        self.armed = True
        return self

    def __exit__(self, *exc):
        import signal

        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        return False
