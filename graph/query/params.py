"""Binding ``--param NAME=VALUE`` into a query: typed values as a ``VALUES`` block at the
start of the ``WHERE`` clause, so they constrain the whole pattern, filters included."""

from __future__ import annotations

import re
from datetime import date

import pyoxigraph as ox

from ..errors import BadInput
from .library import Param
from .safety import _mask

__all__ = ["bind_params"]


def _term(store, name: str, value: str, kind: str) -> str:
    from ..lookup.names import resolve

    if kind == "class":
        return f"<{_class_iri(store, name, value)}>"
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
