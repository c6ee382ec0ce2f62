"""Binding ``--param NAME=VALUE`` into a query: typed values as a ``VALUES`` block at the
start of the ``WHERE`` clause, so they constrain the whole pattern, filters included.

Names must match SPARQL's VARNAME rule and values become typed terms (an IRI checked by
pyoxigraph, a string literal with its escapes, a numeric or date literal), so nothing a
user passes can change the shape of the query; the safety gate then checks the final text.
"""

from __future__ import annotations

import difflib
import re
from datetime import date

import pyoxigraph as ox

from ..errors import BadInput
from .lexer import VARNAME
from .library import Param
from .safety import query_tokens

__all__ = ["bind_params", "check_param_name"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _term(store, name: str, value: str, kind: str) -> str:
    from ..lookup.names import resolve

    if kind == "class":
        return f"<{_class_iri(store, name, value)}>"
    if kind in ("entity", "iri"):
        iri = resolve(store, value)
        try:
            return str(ox.NamedNode(iri))
        except ValueError as exc:
            raise BadInput(f"--param {name}: {value!r} is not an IRI ({exc})") from None
    if kind == "date":
        try:
            return str(ox.Literal(date.fromisoformat(value).isoformat(), datatype=ox.NamedNode(_XSD + "date")))
        except ValueError:
            raise BadInput(f"--param {name}: {value!r} is not a date (YYYY-MM-DD)") from None
    if kind == "number":
        if not _NUMBER.fullmatch(value.strip()):
            raise BadInput(f"--param {name}: {value!r} is not a number")
        return value.strip()
    return str(ox.Literal(value))


def _class_iri(store, name: str, value: str) -> str:
    """The IRI of a ``tr:`` class named ``Penalty``, ``tr:Penalty`` or by its full IRI."""
    from ..model.iris import TR_NS

    local = re.sub(r"^(tr:|" + re.escape(TR_NS) + ")", "", value.strip())
    rows = store.select("SELECT DISTINCT ?c WHERE { ?c a owl:Class FILTER(STRSTARTS(STR(?c), STR(tr:))) }")
    classes = {r["c"].value[len(TR_NS):]: r["c"].value for r in rows}
    if local in classes:
        return classes[local]
    import difflib

    close = difflib.get_close_matches(local, list(classes), n=3, cutoff=0.5)
    hint = f"; did you mean: {', '.join(close)}?" if close else f"; one of {', '.join(sorted(classes))}"
    raise BadInput(f"--param {name}: {value!r} is not a class of the ontology{hint}")


def _guess_kind(value: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "date"
    if re.fullmatch(r"-?\d+(\.\d+)?", value):
        return "number"
    if re.match(r"^(https?://|id:|src:|tr:)", value):
        return "iri"
    return "string"


def check_param_name(name: str, choices: list[str]) -> None:
    """Refuse a parameter name that is not a SPARQL variable name (VARNAME).

    Raises
    ------
    BadInput
        Naming the parameter, with the closest of ``choices`` as a suggestion.
    """
    if not VARNAME.fullmatch(name):
        close = difflib.get_close_matches(name, choices, n=3, cutoff=0.3)
        hint = f"; did you mean: {', '.join(close)}?" if close else (
            f"; this query's variables: {', '.join(choices)}" if choices else "")
        raise BadInput(f"--param {name!r}: not a variable name (letters, digits and _ only){hint}")


def bind_params(store, text: str, values: dict[str, str], declared: list[Param] | None = None) -> str:
    """Bind parameters as a ``VALUES`` block at the start of the ``WHERE`` clause.

    Declared parameters are typed (an entity is resolved by name; a date must be
    YYYY-MM-DD); their defaults apply when not given. Undeclared ones are typed from
    their look: a date, a number, an IRI or CURIE, else a string. The result must still
    pass :func:`graph.query.safety.check_safety` (callers run it on the final text).

    Raises
    ------
    BadInput
        For a name that is not a variable name or not a parameter of a library query,
        a bad value, or a query without a WHERE clause.
    """
    declared = declared or []
    kinds = {p.name: p.kind for p in declared}
    bindings = {p.name: p.default for p in declared if p.default is not None}
    if not values and not bindings:
        return text
    tokens = query_tokens(text)
    variables = sorted({t.text[1:] for t in tokens if t.kind == "var"})
    for name, value in values.items():
        check_param_name(name, list(kinds) or variables)
        if declared and name not in kinds:
            close = difflib.get_close_matches(name, list(kinds), n=3, cutoff=0.5)
            hint = f"did you mean: {', '.join(close)}? " if close else ""
            raise BadInput(f"unknown parameter {name!r}; {hint}this query takes: {', '.join(kinds) or 'none'}")
        bindings[name] = value
    for name in bindings:
        check_param_name(name, variables)
    block = " ".join(
        f"VALUES ?{name} {{ {_term(store, name, value, kinds.get(name) or _guess_kind(value))} }}"
        for name, value in bindings.items()
    )
    at = None
    for i, tok in enumerate(tokens):
        if tok.value == "WHERE" and i + 1 < len(tokens) and tokens[i + 1].text == "{":
            at = tokens[i + 1]
            break
    if at is None:
        at = next((t for t in tokens if t.text == "{"), None)
    if at is None:
        raise BadInput("cannot bind parameters: the query has no WHERE clause")
    cut = at.pos + 1
    return text[:cut] + " " + block + " " + text[cut:]
