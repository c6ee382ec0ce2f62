"""Reading and writing RDF files: syntaxes by extension, parsing with file and line in
errors, serialising quads (triple syntaxes get the union of the graphs, each triple once).

Parsing is bounded: files above :data:`MAX_RDF_FILE_BYTES` are refused, and RDF/XML with a
document type declaration is refused before the parser sees it, because the parser expands
the entities such a declaration defines (nested entities, "billion laughs", exhaust memory
and abort the process). RDF/XML never needs a DTD: the namespaces and the five predefined
XML entities cover it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from ..errors import BadInput, ParseError

__all__ = ["rdf_format", "parse_files", "serialize_quads", "check_rdf_xml", "RDF_FORMATS", "MAX_RDF_FILE_BYTES"]

#: Largest RDF file parsed into memory (bytes); larger files go through ``load --no-check``.
MAX_RDF_FILE_BYTES = 1 << 30

# "<!DOCTYPE" opens the DTD, "<!ENTITY" declares an entity in it; XML spells them in capitals
# but a lenient parser may not insist, so any case is refused.
_DTD = re.compile(rb"<!(?i:doctype|entity)")

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
        size = path.stat().st_size
        if size > MAX_RDF_FILE_BYTES:
            raise BadInput(f"{path}: {size:,} bytes, larger than the {MAX_RDF_FILE_BYTES:,} parsed in memory; "
                           "split it, or load TriG or N-Quads with `load --no-check`")
        source = {"path": str(path)}
        if fmt == ox.RdfFormat.RDF_XML:
            data = path.read_bytes()
            check_rdf_xml(path, data)
            source = {"input": data}
        graph = ox.NamedNode(default_graph) if default_graph else ox.DefaultGraph()
        try:
            for q in ox.parse(**source, format=fmt):
                if isinstance(q.graph_name, ox.DefaultGraph) and default_graph:
                    q = ox.Quad(q.subject, q.predicate, q.object, graph)
                quads.append(q)
        except SyntaxError as exc:
            message = exc.msg if hasattr(exc, "msg") else str(exc)
            raise ParseError(str(path), exc.lineno, message) from None
    return quads


def check_rdf_xml(path: str | Path, data: bytes) -> None:
    """Refuse RDF/XML that declares a document type (and with it, entities).

    Parameters
    ----------
    path : path
        The file, named in the error.
    data : bytes
        Its content, as it will be given to the parser.

    Raises
    ------
    ParseError
        At the line of the first ``<!DOCTYPE`` or ``<!ENTITY``, wherever it stands (the
        parser also honours one after the root element).
    """
    found = _DTD.search(data)
    if found is not None:
        line = data.count(b"\n", 0, found.start()) + 1
        raise ParseError(str(path), line, "RDF/XML with a document type declaration (<!DOCTYPE or <!ENTITY) is "
                         "refused: its entities could expand without bound; remove the declaration and "
                         "write the IRIs out")


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
