"""SPARQL for people and scripts: the named query library, typed parameters, safety
checks, time limits and the W3C result formats.

A library query is a ``.rq`` file whose leading comment lines say what it answers::

    # Which exchanges list firms whose platforms the CAC reviewed in July 2021?
    # param regulator (entity, default id:cac): the reviewing authority

Parameters are bound with a ``VALUES`` block placed at the start of the query's
``WHERE`` clause, so they constrain the whole pattern, filters included. Queries run in
the store's own engine within a time limit (see :func:`run_query`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from . import resources
from .errors import BadInput
from .iris import sparql_prologue

__all__ = [
    "Param", "LibraryQuery", "QueryResult", "QueryTimeout",
    "library", "load_query", "bind_params", "check_safety", "run_query", "RESULT_FORMATS", "GRAPH_FORMATS",
]

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
}
_PARAM_LINE = re.compile(r"^#\s*param\s+\??(\w+)\s*(?:\(([^)]*)\))?\s*:?\s*(.*)$", re.I)
_KINDS = {"entity", "date", "string", "number", "iri"}


class QueryTimeout(BadInput):
    """A query ran past its time limit and was stopped."""


@dataclass
class Param:
    """A declared parameter of a library query."""

    name: str
    kind: str = "string"
    default: str | None = None
    description: str = ""


@dataclass
class LibraryQuery:
    """A named query of the library: its question, parameters and text."""

    name: str
    path: Path
    question: str
    params: list[Param]
    text: str


def _parse_header(name: str, path: Path, text: str) -> LibraryQuery:
    question_lines, params = [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _PARAM_LINE.match(line)
        if m:
            pname, spec, desc = m.group(1), m.group(2) or "", m.group(3).strip()
            kind, default = "string", None
            for part in (p.strip() for p in spec.split(",") if p.strip()):
                if part.lower().startswith("default"):
                    default = part.split(None, 1)[1].strip() if " " in part else None
                elif part.lower() in _KINDS:
                    kind = part.lower()
            params.append(Param(pname, kind, default, desc))
        elif not params:
            question_lines.append(line.lstrip("#").strip())
    return LibraryQuery(name, path, " ".join(q for q in question_lines if q), params, text)


def library() -> dict[str, LibraryQuery]:
    """Return the named queries of the library, by name (the file name without ``.rq``)."""
    out = {}
    for path in sorted(resources.queries_dir().glob("*.rq")):
        out[path.stem] = _parse_header(path.stem, path, path.read_text(encoding="utf-8"))
    return out


def load_query(spec: str) -> tuple[str, LibraryQuery | None]:
    """Find the text of a query given inline, as ``@file``, as a path or by library name.

    Returns
    -------
    (str, LibraryQuery or None)
        The query text and, for a library or file query, its parsed header.
    """
    text = spec.strip()
    if text.startswith("@") or (text.endswith(".rq") and "\n" not in text):
        path = Path(text[1:] if text.startswith("@") else text)
        if not path.is_file():
            raise BadInput(f"no query file {path}")
        body = path.read_text(encoding="utf-8")
        return body, _parse_header(path.stem, path, body)
    if re.fullmatch(r"[\w-]+", text):
        queries = library()
        if text in queries:
            return queries[text].text, queries[text]
        import difflib

        close = difflib.get_close_matches(text, list(queries), n=3, cutoff=0.5)
        hint = f"; did you mean: {', '.join(close)}?" if close else "; see techreg query --list"
        raise BadInput(f"no library query named {text!r}{hint}")
    return spec, None


def _term(store, name: str, value: str, kind: str) -> str:
    from .resolve import resolve

    if kind in ("entity", "iri"):
        return f"<{resolve(store, value)}>"
    if kind == "date":
        try:
            return f'"{date.fromisoformat(value).isoformat()}"^^xsd:date'
        except ValueError:
            raise BadInput(f"--param {name}: {value!r} is not a date (YYYY-MM-DD)") from None
    if kind == "number":
        try:
            float(value)
        except ValueError:
            raise BadInput(f"--param {name}: {value!r} is not a number") from None
        return value
    return ox.Literal(value).__str__()


def _guess_kind(value: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "date"
    if re.fullmatch(r"-?\d+(\.\d+)?", value):
        return "number"
    if re.match(r"^(https?://|id:|src:|tr:)", value):
        return "iri"
    return "string"


def bind_params(store, text: str, values: dict[str, str], declared: list[Param] | None = None) -> str:
    """Bind parameters as a ``VALUES`` block at the start of the ``WHERE`` clause.

    Declared parameters are typed (an entity is resolved by name; a date must be
    YYYY-MM-DD); their defaults apply when not given. Undeclared ones are typed from
    their look: a date, a number, an IRI or CURIE, else a string.

    Raises
    ------
    BadInput
        For an unknown parameter of a library query, a bad value or a query without
        a WHERE clause.
    """
    declared = declared or []
    kinds = {p.name: p.kind for p in declared}
    bindings = {p.name: p.default for p in declared if p.default is not None}
    for name, value in values.items():
        if declared and name not in kinds:
            raise BadInput(f"unknown parameter {name!r}; this query takes: {', '.join(kinds) or 'none'}")
        bindings[name] = value
    if not bindings:
        return text
    block = " ".join(
        f"VALUES ?{name} {{ {_term(store, name, value, kinds.get(name) or _guess_kind(value))} }}"
        for name, value in bindings.items()
    )
    stripped = _mask(text)
    m = re.search(r"\bWHERE\s*\{", stripped, re.I) or re.search(r"\{", stripped)
    if not m:
        raise BadInput("cannot bind parameters: the query has no WHERE clause")
    return text[: m.end()] + " " + block + " " + text[m.end():]


def _mask(text: str) -> str:
    """Blank out comments, strings and IRIs (same length) so keywords can be searched."""
    def blank(m):
        return " " * len(m.group(0))
    pattern = r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
    return re.sub(pattern, blank, text)


def check_safety(text: str, *, allow_remote: bool = False, local_graphs: set[str] | None = None) -> None:
    """Refuse queries that would reach outside the store, before anything is sent.

    ``SERVICE`` and ``LOAD`` are refused, and so is ``FROM``/``FROM NAMED`` with an IRI
    that is a file or not one of the store's graphs, unless ``allow_remote`` is true.
    Updates (INSERT, DELETE, CLEAR, DROP, ...) are never run by ``query``.
    """
    masked = _mask(text)
    if (re.search(r"(?<![?$\w:])(INSERT|DELETE)\s*(DATA|WHERE|\{)", masked, re.I)
            or re.search(r"(?<![?$\w:])(LOAD|CLEAR|DROP|CREATE|COPY|MOVE|ADD)\b", masked, re.I)):
        raise BadInput("techreg query is read-only: updates are not run (use techreg load or import to add data)")
    if allow_remote:
        return
    if re.search(r"(?<![?$\w:])SERVICE\b", masked, re.I):
        raise BadInput("SERVICE is refused: queries may not call other endpoints (use --allow-remote to permit it)")
    if re.search(r"(?<![?$\w:])LOAD\b", masked, re.I):
        raise BadInput("LOAD is refused: queries may not fetch data (use --allow-remote to permit it)")
    for m in re.finditer(r"(?<![?$\w:])FROM\b", masked, re.I):
        iri_match = re.match(r"\s*(?:NAMED\s+)?<([^>]*)>", text[m.end():], re.I)
        iri = iri_match.group(1) if iri_match else ""
        if iri.startswith("file:") or (local_graphs is not None and iri not in local_graphs):
            raise BadInput(f"FROM <{iri}> is refused: only the store's own graphs may be named (use --allow-remote to permit it)")


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
            from .iris import PREFIXES

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
    store : graph.store.Store or graph.remote.SparqlStore
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
    if not hasattr(store, "_ox"):  # a remote endpoint enforces its own limit
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
