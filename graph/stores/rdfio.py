"""Reading and writing RDF files: syntaxes by extension, parsing with file and line in
errors, serialising quads (triple syntaxes get the union of the graphs, each triple once)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from ..errors import BadInput, ParseError

__all__ = ["rdf_format", "parse_files", "serialize_quads", "RDF_FORMATS"]

RDF_FORMATS = {
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


def rdf_format(path: str | Path) -> ox.RdfFormat:
    """Return the RDF syntax of a file from its extension.

    Raises
    ------
    BadInput
        If the extension is not one of the supported RDF syntaxes.
    """
    suffix = Path(path).suffix.lower()
    try:
        return RDF_FORMATS[suffix]
    except KeyError:
        known = ", ".join(sorted(RDF_FORMATS))
        raise BadInput(f"{path}: unknown RDF file type {suffix!r} (known: {known})") from None


def parse_files(paths: Iterable[str | Path], default_graph: str | None = None) -> list[ox.Quad]:
    """Parse RDF files into quads without touching any store.

    Parameters
    ----------
    paths : iterable of path
        TriG, N-Quads, Turtle, N-Triples, JSON-LD or RDF/XML files.
    default_graph : str, optional
        Graph IRI for triples outside any named graph (Turtle, N-Triples); by default they
        stay in the default graph.

    Returns
    -------
    list of pyoxigraph.Quad

    Raises
    ------
    ParseError
        With the file and line of the first syntax error.
    """
    quads: list[ox.Quad] = []
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise BadInput(f"{path}: no such file")
        fmt = rdf_format(path)
        graph = ox.NamedNode(default_graph) if default_graph else ox.DefaultGraph()
        try:
            for q in ox.parse(path=str(path), format=fmt):
                if isinstance(q.graph_name, ox.DefaultGraph) and default_graph:
                    q = ox.Quad(q.subject, q.predicate, q.object, graph)
                quads.append(q)
        except SyntaxError as exc:
            message = exc.msg if hasattr(exc, "msg") else str(exc)
            raise ParseError(str(path), exc.lineno, message) from None
    return quads


def serialize_quads(quads: list[ox.Quad], fmt: ox.RdfFormat) -> bytes:
    """Serialize quads; triple formats (Turtle, N-Triples, RDF/XML) get their union, each triple once."""
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML):
        triples = dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads)
        return ox.serialize(list(triples), format=fmt, prefixes=_prefixes(fmt))
    return ox.serialize(quads, format=fmt, prefixes=_prefixes(fmt))


def _prefixes(fmt: ox.RdfFormat) -> dict[str, str] | None:
    if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES):
        return None
    from ..model.iris import PREFIXES

    return dict(PREFIXES)
