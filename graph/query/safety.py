"""The safety gate: queries that would reach outside the store or write to it are refused
before anything runs.

The gate reads the query with a tokenizer that follows SPARQL's grammar for strings,
IRIs, prefixed names, escapes and comments (:mod:`.lexer`) and decides on the tokens:

* ``SERVICE`` (any case) is refused, and so is a prefix whose name contains ``service``
  or begins with ``from`` or ``load``: Oxigraph's parser reads ``SERVICEa:x`` as
  ``SERVICE a:x``, so a glued keyword counts as the keyword;
* update operations (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, COPY, MOVE, ADD, WITH,
  USING) are never run by ``query``;
* ``FROM`` / ``FROM NAMED`` must name one of the store's graphs (prefixed names and
  ``BASE`` resolved), never a ``file:`` IRI;
* every bare word must be a SPARQL 1.1 keyword or function name and every prefix must be
  declared (or be a project prefix), so engine-specific extensions (Virtuoso's ``DEFINE``
  pragmas, ``bif:`` functions) are refused as unreadable.

It fails closed: what the tokenizer cannot read is refused, and a query with ``\\u``
escapes is checked both as written and with the escapes decoded everywhere (the two
ways engines read them). Tokenizing costs well under a millisecond for a library query
(``tests/benchmarks/bench_gate.py``); results are cached by text.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from functools import lru_cache
from urllib.parse import urljoin

from ..errors import BadInput
from .lexer import LexError, Token, line_col, readings, tokenize

__all__ = ["check_safety", "QueryRefused", "query_tokens", "KEYWORDS"]

#: Every bare word SPARQL 1.1 queries use (keywords, built-in functions, aggregates),
#: plus the SPARQL 1.2 words Oxigraph reads.
KEYWORDS = frozenset("""
BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK DISTINCT REDUCED AS FROM NAMED WHERE ORDER BY ASC DESC
LIMIT OFFSET GROUP HAVING VALUES UNDEF OPTIONAL GRAPH SERVICE SILENT BIND MINUS FILTER UNION NOT
IN EXISTS a TRUE FALSE COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES
DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI
CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW
UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK
ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE TRIPLE SUBJECT PREDICATE OBJECT ISTRIPLE LANGDIR HASLANG
HASLANGDIR STRLANGDIR VERSION LATERAL
""".split())
_UPDATES = frozenset("INSERT DELETE LOAD CLEAR DROP CREATE COPY MOVE ADD WITH USING".split())
_FOREIGN_SCHEMES = ("file:", "bif:", "sql:")


class QueryRefused(BadInput):
    """The safety gate refused a query (exit code 2)."""


def _where(text: str, pos: int) -> str:
    line, col = line_col(text, pos)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    shown = lines[line - 1] if 0 < line <= len(lines) else ""
    return f"line {line}, column {col}\n  {shown}\n  {' ' * (col - 1)}^"


@lru_cache(maxsize=512)
def _read(text: str) -> tuple[tuple[Token, ...], ...] | tuple[str, int, int]:
    out = []
    for index, reading in enumerate(readings(text)):
        try:
            out.append(tuple(tokenize(reading)))
        except LexError as exc:
            return (str(exc), exc.pos, index)
    return tuple(out)


def query_tokens(text: str) -> list[Token]:
    """The tokens of a query as written (cached).

    Raises
    ------
    QueryRefused
        When the text is not made of SPARQL terminals.
    """
    read = _read(text)
    if isinstance(read[0], str):
        _refuse_unreadable(text, read)
    return list(read[0])


def _refuse_unreadable(text: str, read) -> None:
    message, pos, index = read
    how = "" if index == 0 else " (with its \\u escapes decoded, as some engines read it)"
    where = _where(readings(text)[index], pos)
    raise QueryRefused(f"cannot read the query{how}: {message} (queries the safety gate cannot read "
                       f"are not run); at {where}")


def check_safety(text: str, *, allow_remote: bool = False,
                 local_graphs: Iterable[str] | Callable[[], Iterable[str]] | None = None,
                 prefixes: dict[str, str] | None = None) -> None:
    """Refuse queries that would reach outside the store, or write to it, before anything is sent.

    Parameters
    ----------
    text : str
        The query as it will be sent (parameters already bound).
    allow_remote : bool
        Permit ``SERVICE`` and ``FROM`` of other graphs (updates stay refused).
    local_graphs : iterable of str, or a callable returning one, optional
        The store's named graphs, which ``FROM`` may name; a callable is only called when
        the query has a ``FROM``. ``None``: any graph but ``file:`` IRIs.
    prefixes : dict, optional
        Prefixes bound without a declaration (default: the project prefixes).

    Raises
    ------
    QueryRefused
        With what was refused and where (line, column).
    """
    if prefixes is None:
        from ..model.iris import PREFIXES as prefixes
    read = _read(text)
    if isinstance(read[0], str):
        if allow_remote:
            return  # nothing to guard: the engine reports its own syntax error
        _refuse_unreadable(text, read)
    graphs = None
    for index, tokens in enumerate(read):
        shown = text if index == 0 else readings(text)[index]
        graphs = _check_tokens(tokens, shown, allow_remote, local_graphs, graphs, prefixes, decoded=index > 0)


def _check_tokens(tokens, text, allow_remote, local_graphs, graphs, project_prefixes, decoded=False):
    def where(tok: Token) -> str:
        return ("the \\u escapes decoded, " if decoded else "") + _where(text, tok.pos)

    declared: dict[str, str] = {}
    base = ""
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if tok.kind == "word":
            word = tok.value
            if word in _UPDATES:
                raise QueryRefused(f"techreg query is read-only: {word} is an update (use techreg load or "
                                   f"import to add data); at {where(tok)}")
            if word not in KEYWORDS:
                close = difflib.get_close_matches(word, KEYWORDS, n=1)
                hint = f"; did you mean {close[0]}?" if close else ""
                raise QueryRefused(f"unknown word {tok.text!r}{hint}; at {where(tok)}")
            if word == "SERVICE" and not allow_remote:
                raise QueryRefused("SERVICE is refused: queries may not call other endpoints (use "
                                   f"--allow-remote to permit it); at {where(tok)}")
            if word == "BASE" and i + 1 < n and tokens[i + 1].kind == "iri":
                base = urljoin(base, tokens[i + 1].value)
            if word == "PREFIX" and i + 2 < n and tokens[i + 1].kind == "pname" and tokens[i + 2].kind == "iri":
                declared[tokens[i + 1].value.split(":", 1)[0]] = urljoin(base, tokens[i + 2].value)
            if word == "FROM" and not allow_remote:
                j = i + 2 if i + 1 < n and tokens[i + 1].value == "NAMED" else i + 1
                target = tokens[j] if j < n else None
                iri = _iri_of(target, base, declared, project_prefixes) if target else None
                if iri is None:
                    raise QueryRefused(f"FROM must name a graph by its IRI; at {where(tok)}")
                if graphs is None and local_graphs is not None:
                    graphs = set(local_graphs() if callable(local_graphs) else local_graphs)
                if iri.lower().startswith("file:") or (graphs is not None and iri not in graphs):
                    raise QueryRefused(f"FROM <{iri}> is refused: only the store's own graphs may be named "
                                       f"(use --allow-remote to permit it); at {where(tok)}")
        elif tok.kind == "pname":
            prefix = tok.value.split(":", 1)[0]
            low = prefix.lower()
            if "service" in low or low.startswith(("from", "load")):
                raise QueryRefused(f"the prefix name {prefix}: is refused: engines may read it as a keyword "
                                   f"followed by a name, so rename the prefix; at {where(tok)}")
            is_declaration = i > 0 and tokens[i - 1].value == "PREFIX"
            if not is_declaration and prefix not in declared and prefix not in project_prefixes:
                raise QueryRefused(f"the prefix {prefix}: is not declared; at {where(tok)}")
            iri = _iri_of(tok, base, declared, project_prefixes)
            if iri and iri.lower().startswith(_FOREIGN_SCHEMES) and not is_declaration:
                raise QueryRefused(f"<{iri}> is refused: {iri.split(':')[0]}: IRIs call engine extensions "
                                   f"or local files; at {where(tok)}")
        elif tok.kind == "iri":
            iri = urljoin(base, tok.value) if base else tok.value
            if iri.lower().startswith(_FOREIGN_SCHEMES[1:]):
                raise QueryRefused(f"<{iri}> is refused: {iri.split(':')[0]}: IRIs call engine extensions; "
                                   f"at {where(tok)}")
    return graphs


def _iri_of(tok: Token, base: str, declared: dict, project_prefixes: dict) -> str | None:
    if tok.kind == "iri":
        return urljoin(base, tok.value) if base else tok.value
    if tok.kind == "pname":
        prefix, _, local = tok.value.partition(":")
        ns = declared.get(prefix, project_prefixes.get(prefix))
        return None if ns is None else ns + local
    return None
