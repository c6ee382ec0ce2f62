"""Results of other engines in the terms Oxigraph gives: booleans that come back as numbers.

Virtuoso 7.2 has no boolean type of its own: ``(EXISTS { ... } AS ?x)``, ``BIND(true AS ?x)``
and comparisons come back as the integers ``1`` and ``0``, and ``xsd:boolean`` values as
``"1"^^xsd:boolean``. The remote store reads from the query which projected variables hold
a boolean expression (:func:`boolean_variables`) and turns those integers back into
``true``/``false`` (:func:`normalise_json`); an ``xsd:boolean`` is always written in its
canonical form. Answers of engines that send real booleans are left as they are.
"""

from __future__ import annotations

import json

from .layout import tokens

__all__ = ["boolean_variables", "normalise_json"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_BOOLEAN, _INTEGER = _XSD + "boolean", _XSD + "integer"

# Functions and keywords whose value is a boolean; operators are looked for separately.
_BOOLEAN_HEADS = {"EXISTS", "NOT", "BOUND", "ISIRI", "ISURI", "ISBLANK", "ISLITERAL", "ISNUMERIC", "SAMETERM",
                  "REGEX", "CONTAINS", "STRSTARTS", "STRENDS", "LANGMATCHES", "TRUE", "FALSE"}
_PASS_THROUGH = {"SAMPLE", "MIN", "MAX"}  # aggregates whose value is one of their inputs


def _expressions(toks) -> list[tuple[str, list]]:
    """``(variable, expression tokens)`` for each ``(EXPR AS ?v)`` and ``BIND(EXPR AS ?v)``."""
    out = []
    for i, (kind, value, _) in enumerate(toks):
        if not (kind == "word" and value.upper() == "AS" and i + 1 < len(toks) and toks[i + 1][1][:1] in "?$"):
            continue
        depth = 0
        j = i - 1
        while j >= 0:  # back to the "(" that opens the expression
            v = toks[j][1] if toks[j][0] == "other" else ""
            if v == ")":
                depth += 1
            elif v == "(":
                if depth == 0:
                    break
                depth -= 1
            j -= 1
        if j >= 0:
            out.append((toks[i + 1][1][1:], toks[j + 1:i]))
    return out


def _is_boolean(expr, known: set[str]) -> bool:
    if not expr:
        return False
    depth = 0
    for k, (kind, value, _) in enumerate(expr):
        if kind == "other" and value in "([{":
            depth += 1
        elif kind == "other" and value in ")]}":
            depth -= 1
        elif depth == 0 and kind == "other" and value in "=<>":
            return True
        elif depth == 0 and kind == "other" and value in "&|" and k + 1 < len(expr) and expr[k + 1][1] == value:
            return True
        elif depth == 0 and kind == "word" and value.upper() == "IN":
            return True
    kind, value, _ = expr[0]
    if kind == "other" and value == "!":
        return True
    if kind == "word" and value.upper() in _BOOLEAN_HEADS:
        return True
    if kind == "word" and value.upper() in _PASS_THROUGH:
        inner = [t for t in expr[1:] if not (t[0] == "other" and t[1] in "()") and t[1].upper() != "DISTINCT"]
        return len(inner) == 1 and inner[0][1][:1] in "?$" and inner[0][1][1:] in known
    if kind == "word" and value[:1] in "?$" and len(expr) == 1:
        return value[1:] in known
    return False


def boolean_variables(query: str) -> frozenset[str]:
    """The variables a query binds to a boolean expression (through ``AS``).

    Parameters
    ----------
    query : str
        A SPARQL query.

    Returns
    -------
    frozenset of str
        Variable names without ``?``: bound by ``(EXPR AS ?v)`` or ``BIND(EXPR AS ?v)``
        where EXPR is a comparison, a logical operator, ``EXISTS``, ``BOUND``, a boolean
        function or constant, or ``SAMPLE``/``MIN``/``MAX`` of such a variable.
    """
    exprs = _expressions(tokens(query))
    known: set[str] = set()
    while True:
        more = {v for v, e in exprs if v not in known and _is_boolean(e, known)}
        if not more:
            return frozenset(known)
        known |= more


def normalise_json(data: bytes, booleans: frozenset[str]) -> bytes:
    """Rewrite a JSON results document so that booleans are ``xsd:boolean`` ``true``/``false``.

    Parameters
    ----------
    data : bytes
        ``application/sparql-results+json``.
    booleans : frozenset of str
        The variables holding booleans (:func:`boolean_variables`); their ``xsd:integer``
        values ``1`` and ``0`` become ``true`` and ``false``.

    Returns
    -------
    bytes
        The same document when nothing needs to change.
    """
    if b'"1"' not in data and b'"0"' not in data:
        return data
    doc = json.loads(data)
    changed = False
    for row in (doc.get("results") or {}).get("bindings") or []:
        for var, term in row.items():
            if not isinstance(term, dict) or term.get("value") not in ("1", "0"):
                continue
            dtype = term.get("datatype")
            if dtype == _BOOLEAN or (dtype == _INTEGER and var in booleans):
                term.update({"type": "literal", "datatype": _BOOLEAN,
                             "value": "true" if term["value"] == "1" else "false"})
                changed = True
    return json.dumps(doc).encode() if changed else data
