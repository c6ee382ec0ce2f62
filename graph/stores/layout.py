"""The data layout of a remote store, the same on every SPARQL 1.1 engine.

Engines differ in what their default graph is: Oxigraph and Fuseki keep it as a graph of
its own, Virtuoso (and Neptune, GraphDB, Stardog...) answer with the union of all named
graphs and refuse or redirect writes to it. techreg's model needs a default graph that
holds every fact once (the merge of the source graphs) plus the entailments, so a remote
store never relies on the engine's default graph:

* every fact sits in the named graph of its source, as locally;
* the merge and the entailments sit in the named graph :data:`MERGED_GRAPH`;
* the named graph :data:`CATALOG_GRAPH` lists the data graphs (``?g a sd:NamedGraph``);
* loads are written first to staging graphs under :data:`STAGING_NS`, which no dataset
  includes, and switched in by one update at the end.

Every query is sent with the SPARQL protocol's dataset parameters: ``default-graph-uri``
names the merged graph, and ``named-graph-uri`` the catalogued graphs (when the query
uses ``GRAPH`` at all), so a query without ``GRAPH`` sees every fact once and ``GRAPH ?g``
finds the sources and nothing else (no merged, staging or engine-internal graphs).

Updates written for the model ("the default graph is the merge") are rewritten per
operation by :func:`rewrite_update`: ``INSERT``/``DELETE ... WHERE`` get ``WITH`` the merged
graph (where their templates write) and ``USING``/``USING NAMED`` clauses (what their
``WHERE`` reads); triples of ``INSERT DATA``/``DELETE DATA`` outside ``GRAPH`` go to the
merged graph; ``CLEAR``/``DROP DEFAULT`` act on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from ..errors import BadInput
from ..model.iris import GRAPH_NS

__all__ = ["MERGED_GRAPH", "CATALOG_GRAPH", "STAGING_NS", "NAMED_GRAPH_CLASS", "rewrite_update",
           "uses_graph", "tokens", "insert_data"]

MERGED_GRAPH = GRAPH_NS + "merged"
CATALOG_GRAPH = GRAPH_NS + "catalog"
STAGING_NS = GRAPH_NS + "staging/"
NAMED_GRAPH_CLASS = "http://www.w3.org/ns/sparql-service-description#NamedGraph"
_STAGING_CLASS = STAGING_NS + "Load"
#: The most triples in one GRAPH block of an update (Virtuoso's parser runs out of stack
#: on a few thousand).
_BLOCK = 1000

# SPARQL's lexical grammar, as far as needed to find operations, braces and keywords:
# strings, IRIs and comments are single tokens, so nothing inside them is read as syntax.
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<word>[A-Za-z_][\w\-]*(?::[\w\-.:%\\]*)?|[?$][\w]+|:[\w\-.:%\\]*)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


def tokens(text: str) -> list[tuple[str, str, int]]:
    """Split SPARQL text into ``(kind, text, offset)`` tokens, whitespace and comments dropped.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of tuple
        ``kind`` is ``string``, ``iri``, ``word`` (keywords, prefixed names, variables) or
        ``other`` (punctuation).
    """
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind not in ("ws", "comment"):
            out.append((kind, m.group(), m.start()))
    return out


def uses_graph(text: str) -> bool:
    """Tell whether a query has the keyword ``GRAPH`` outside strings, IRIs and comments
    (only then does it need its named graphs listed)."""
    return any(kind == "word" and value.upper() == "GRAPH" for kind, value, _ in tokens(text))


def _operations(text: str):
    """Yield ``(prologue_and_operation_text, operation_tokens)`` for each operation of an update."""
    toks = tokens(text)
    depth = 0
    start_tok = 0
    start_off = 0
    for i, (kind, value, off) in enumerate(toks):
        if kind == "other" and value in "{[(":
            depth += 1
        elif kind == "other" and value in "}])":
            depth -= 1
        elif kind == "other" and value == ";" and depth == 0:
            yield text[start_off:off], toks[start_tok:i], start_off
            start_tok, start_off = i + 1, off + 1
    if any(True for _ in toks[start_tok:]):
        yield text[start_off:], toks[start_tok:], start_off


def _skip_prologue(toks, i=0):
    while i < len(toks):
        word = toks[i][1].upper()
        if toks[i][0] == "word" and word == "BASE":
            i += 2
        elif toks[i][0] == "word" and word == "PREFIX":
            i += 3
        else:
            break
    return i


def _block_end(toks, i):
    """The index of the ``}`` closing the ``{`` at ``toks[i]``."""
    depth = 0
    for j in range(i, len(toks)):
        if toks[j][0] == "other" and toks[j][1] == "{":
            depth += 1
        elif toks[j][0] == "other" and toks[j][1] == "}":
            depth -= 1
            if depth == 0:
                return j
    raise BadInput("SPARQL update: unbalanced braces")


def _wrap_data(text, toks, i, base, merged):
    """Rewrite the quad block of INSERT/DELETE DATA starting at ``toks[i]`` (its ``{``):
    the triples outside ``GRAPH`` blocks are put into ``GRAPH <merged>``."""
    end = _block_end(toks, i)
    pieces = []
    j = i + 1
    loose: list[str] = []
    while j < end:
        kind, value, off = toks[j]
        if kind == "word" and value.upper() == "GRAPH":
            close = _block_end(toks, j + 2)
            pieces.append(text[off - base: toks[close][2] - base + 1])
            j = close + 1
            continue
        nxt = toks[j + 1][2] if j + 1 < len(toks) else len(text) + base
        loose.append(text[off - base: min(nxt, toks[end][2]) - base])
        j += 1
    body = " ".join(pieces)
    if "".join(loose).strip(" .\n\t"):
        body += f" GRAPH <{merged}> {{ {' '.join(loose)} }}"
    return text[: toks[i][2] - base] + "{ " + body + " }" + text[toks[end][2] - base + 1:]


def rewrite_update(text: str, merged: str, named: list[str]) -> str:
    """Rewrite an update written for "the default graph is the merge" for the remote layout.

    Parameters
    ----------
    text : str
        The update, with its prologue; one or more operations separated by ``;``.
    merged : str
        The IRI of the merged graph.
    named : list of str
        The graphs ``GRAPH`` patterns in ``WHERE`` clauses may read.

    Returns
    -------
    str

    Raises
    ------
    graph.errors.BadInput
        For ``CLEAR``/``DROP`` of ``ALL`` or ``NAMED`` (on a shared engine they would reach
        far beyond techreg's graphs).
    """
    using = f" USING <{merged}> " + " ".join(f"USING NAMED <{g}>" for g in named) + " "
    out = []
    for op_text, toks, base in _operations(text):
        i = _skip_prologue(toks)
        if i >= len(toks):
            out.append(op_text)
            continue
        head = toks[i][1].upper()
        nxt = toks[i + 1][1].upper() if i + 1 < len(toks) else ""
        if head in ("INSERT", "DELETE") and nxt == "DATA":
            out.append(_wrap_data(op_text, toks, i + 2, base, merged))
        elif head == "DELETE" and nxt == "WHERE":
            end = _block_end(toks, i + 2)
            pattern = op_text[toks[i + 2][2] - base: toks[end][2] - base + 1]
            out.append(op_text[: toks[i][2] - base] + f"WITH <{merged}> DELETE {pattern}{using}WHERE {pattern}"
                       + op_text[toks[end][2] - base + 1:])
        elif head in ("INSERT", "DELETE", "WITH"):
            target = merged
            if head == "WITH":
                target = toks[i + 1][1].strip("<>")
            has_using = any(k == "word" and v.upper() == "USING" for k, v, _ in toks[i:])
            where = _top_level_where(toks, i)
            rewritten = op_text
            if not has_using and where is not None:
                clause = using.replace(f"USING <{merged}>", f"USING <{target}>", 1)
                cut = toks[where][2] - base
                rewritten = rewritten[:cut] + clause + rewritten[cut:]
            if head != "WITH":
                cut = toks[i][2] - base
                rewritten = rewritten[:cut] + f"WITH <{merged}> " + rewritten[cut:]
            out.append(rewritten)
        elif head in ("CLEAR", "DROP"):
            rest = [v.upper() for _, v, _ in toks[i + 1:]]
            if "ALL" in rest or "NAMED" in rest:
                raise BadInput(f"{head} ALL/NAMED is refused on a remote store: name the graphs to {head.lower()}")
            if "SILENT" not in rest:  # Virtuoso fails on graphs not "explicitly created"
                cut = toks[i][2] - base + len(head)
                op_text = op_text[:cut] + " SILENT" + op_text[cut:]
                toks = tokens(op_text)
                base = 0
                i = _skip_prologue(toks)
            if "DEFAULT" in rest:
                k = next(j for j in range(i + 1, len(toks)) if toks[j][1].upper() == "DEFAULT")
                op_text = (op_text[: toks[k][2] - base] + f"GRAPH <{merged}>"
                           + op_text[toks[k][2] - base + len("DEFAULT"):])
            out.append(op_text)
        else:
            out.append(op_text)
    return ";\n".join(out)


def _top_level_where(toks, i):
    depth = 0
    for j in range(i, len(toks)):
        kind, value, _ = toks[j]
        if kind == "other" and value == "{":
            depth += 1
        elif kind == "other" and value == "}":
            depth -= 1
        elif depth == 0 and kind == "word" and value.upper() == "WHERE":
            return j
    return None


def insert_data(quads: Iterable[ox.Quad], merge_default: bool = False) -> str:
    """Write quads as one SPARQL ``INSERT DATA`` operation, grouped by graph.

    Parameters
    ----------
    quads : iterable of pyoxigraph.Quad
    merge_default : bool
        Also write every triple (once) into the default graph (for stores whose default
        graph holds the merge; the remote layout keeps it in a named graph instead).

    Returns
    -------
    str
        The update; terms are written in N-Triples syntax, which SPARQL accepts.
    """
    by_graph: dict[ox.NamedNode | ox.DefaultGraph, list[str]] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name, []).append(f"{q.subject} {q.predicate} {q.object} .")
    if merge_default:
        merged = by_graph.setdefault(ox.DefaultGraph(), [])
        for g, lines in list(by_graph.items()):
            if not isinstance(g, ox.DefaultGraph):
                merged.extend(lines)
        by_graph[ox.DefaultGraph()] = list(dict.fromkeys(merged))
    parts = ["INSERT DATA {"]
    for g, lines in by_graph.items():
        if isinstance(g, ox.DefaultGraph):
            parts.extend(lines)
            continue
        # blocks of at most _BLOCK triples: Virtuoso's parser runs out of stack on a few thousand
        for i in range(0, len(lines), _BLOCK):
            parts.append(f"GRAPH {g} {{")
            parts.extend(lines[i:i + _BLOCK])
            parts.append("}")
    parts.append("}")
    return "\n".join(parts)


def _chunks(quads: list[ox.Quad], size: int) -> Iterator[list[ox.Quad]]:
    """Split quads into requests of at most ``size``; quads with blank nodes all go into
    the first request, since a blank node label means one node only within a request."""
    blank = [q for q in quads if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)]
    plain = [q for q in quads if not (isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode))]
    first = blank + plain[: max(0, size - len(blank))]
    yield first
    for i in range(len(first) - len(blank), len(plain), size):
        yield plain[i:i + size]


def _staging_graph(load: str, target: str) -> str:
    """The staging graph of ``target`` in one load: the target's IRI after the load's prefix,
    so that the switch can compute the target from it."""
    return f"{STAGING_NS}{load}/{target}"


def _switch(staging: dict[str, str], load: str) -> str:
    """The one update that switches staged graphs in: copy each into its graph and into
    the merged graph, catalog the graphs, empty the staging graphs, drop the load's mark.

    Four operations whatever the number of graphs (Virtuoso compiles a request into one
    statement and refuses one with an operation per graph); the target of each staging
    graph is computed from its IRI rather than bound by VALUES (which Virtuoso 7 gets wrong
    for data with blank nodes or typed literals).
    """
    prefix = f"{STAGING_NS}{load}/"
    using = " ".join(f"USING NAMED <{s}>" for s in staging.values())
    catalog = " ".join(f"<{g}> a <{NAMED_GRAPH_CLASS}> ." for g in staging if g != MERGED_GRAPH)
    ops = [f"INSERT {{ GRAPH ?t {{ ?s ?p ?o }} GRAPH <{MERGED_GRAPH}> {{ ?s ?p ?o }} }} {using} "
           f"WHERE {{ GRAPH ?st {{ ?s ?p ?o }} BIND(IRI(STRAFTER(STR(?st), \"{prefix}\")) AS ?t) }}"]
    if catalog:
        ops.append(f"INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ {catalog} }} }}")
    ops.append(f"DELETE {{ GRAPH ?st {{ ?s ?p ?o }} }} {using} WHERE {{ GRAPH ?st {{ ?s ?p ?o }} }}")
    ops.append(f"DELETE DATA {{ GRAPH <{CATALOG_GRAPH}> {{ <{STAGING_NS}{load}> a <{_STAGING_CLASS}> }} }}")
    return " ;\n".join(ops)
