"""Where the knowledge graph lives: one interface over Oxigraph in memory or on disk.

``open_store("memory")`` (the default) holds the bundled knowledge base in an in-memory
Oxigraph store; ``open_store("oxigraph:DIR")`` opens a persistent Oxigraph store on disk.
SPARQL runs in Oxigraph's own engine in both cases.

Every fact sits in the named graph of its source. The default graph holds the merge of
all named graphs (each triple once, however many sources state it) plus the entailed
graph, so a query without ``GRAPH`` sees every fact once, and ``GRAPH ?g`` patterns find
the sources. (Oxigraph's own "union default graph" is a bag: a triple stated by three
sources would come back three times.)
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from . import resources
from .errors import BadInput, ParseError
from .iris import ENTAILED_GRAPH, ONTOLOGY_IRI, sparql_prologue

__all__ = [
    "Store",
    "open_store",
    "parse_files",
    "load_bundled",
    "rdf_format",
    "serialize_quads",
    "DEFAULT_STORE",
]

DEFAULT_STORE = "memory"

_FORMATS = {
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
        return _FORMATS[suffix]
    except KeyError:
        known = ", ".join(sorted(_FORMATS))
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


class Store:
    """A quad store with SPARQL 1.1 query and update.

    Parameters
    ----------
    path : str or Path, optional
        Directory of a persistent Oxigraph store; ``None`` for an in-memory store.
    spec : str
        How the user named the store (for messages).
    """

    def __init__(self, path: str | Path | None = None, spec: str = DEFAULT_STORE):
        self.spec = spec
        self.path = Path(path) if path else None
        try:
            self._ox = ox.Store(str(self.path)) if self.path else ox.Store()
        except OSError as exc:
            raise BadInput(f"cannot open store {spec!r}: {exc}") from None
        self.generation = 0

    # -- reading -------------------------------------------------------------

    def query(self, sparql: str, *, prefixes: bool = True):
        """Run a SPARQL query in Oxigraph's engine over the union of all graphs.

        Parameters
        ----------
        sparql : str
            The query; the project prefixes are prepended unless ``prefixes`` is false.

        Returns
        -------
        pyoxigraph.QuerySolutions, QueryBoolean or QueryTriples
        """
        text = sparql_prologue(sparql) + sparql if prefixes else sparql
        return self._ox.query(text)

    def select(self, sparql: str) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode | None]]:
        """Run a SELECT query and return its rows as dictionaries keyed by variable name."""
        result = self.query(sparql)
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names} for row in result]

    def ask(self, sparql: str) -> bool:
        """Run an ASK query."""
        return bool(self.query(sparql))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Iterate over the quads of the named graphs (or of one), not the merged default graph."""
        if graph:
            return self._ox.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        return (q for q in self._ox if isinstance(q.graph_name, ox.NamedNode))

    def named_graphs(self) -> list[str]:
        """Return the IRIs of all named graphs."""
        return sorted(g.value for g in self._ox.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self._ox)

    # -- writing -------------------------------------------------------------

    def update(self, sparql: str) -> None:
        """Run a SPARQL update (with the project prefixes)."""
        self._ox.update(sparql_prologue(sparql) + sparql)
        self.generation += 1

    def add(self, quads: Iterable[ox.Quad]) -> int:
        """Add quads in one transaction, either all or none, merging their triples into
        the default graph.

        Returns
        -------
        int
            The number of quads given.
        """
        quads = list(quads)
        self._ox.extend(quads)
        self._merge({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)})
        self.generation += 1
        return len(quads)

    def _merge(self, graphs: set[str] | None = None) -> None:
        """Copy the triples of named graphs (all when ``None``) into the default graph,
        inside Oxigraph rather than through Python objects."""
        if graphs is not None and not graphs:
            return
        if self.path is not None:
            # on disk, one SPARQL update of millions of triples is a single huge transaction;
            # Oxigraph's bulk writer is several times faster
            names = [ox.NamedNode(g) for g in sorted(graphs)] if graphs is not None else list(self._ox.named_graphs())
            merged = (ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                      for g in names for q in self._ox.quads_for_pattern(None, None, None, g))
            while chunk := list(itertools.islice(merged, 200_000)):
                self._ox.bulk_extend(chunk)
            return
        values = "" if graphs is None else "VALUES ?g { " + " ".join(f"<{g}>" for g in sorted(graphs)) + " }"
        self._ox.update(f"INSERT {{ ?s ?p ?o }} WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }}")

    def load_paths(self, paths: Iterable[str | Path], default_graph: str | None = None) -> None:
        """Parse RDF files straight into the store (Oxigraph's own parser, one transaction
        per file, no Python objects), then merge them into the default graph. Not checked
        against the shapes: for trusted files such as the bundled knowledge base.

        Parameters
        ----------
        paths : iterable of path
        default_graph : str, optional
            The named graph for files without graphs (Turtle, N-Triples).

        Raises
        ------
        ParseError
            With the file and line of a syntax error; a file that fails leaves nothing,
            but the files before it stay loaded.
        """
        target = ox.NamedNode(default_graph) if default_graph else None
        for path in paths:
            try:
                self._ox.load(path=str(path), format=rdf_format(path), to_graph=target)
            except SyntaxError as exc:
                raise ParseError(str(path), exc.lineno, getattr(exc, "msg", str(exc))) from None
        self._merge({default_graph} if default_graph else None)
        self.generation += 1

    def flush(self) -> None:
        """Write pending changes of an on-disk store to disk."""
        if self.path is not None:
            self._ox.flush()

    def dump(self, fmt: ox.RdfFormat, graphs: list[str] | None = None, *, default_graph: bool = False) -> bytes:
        """Serialize the given named graphs (default: all but the entailed graph).

        With ``default_graph``, the merged default graph is written too (quad formats
        only), so that another store loading the file answers queries the same way.
        """
        keep = set(graphs) if graphs is not None else {g for g in self.named_graphs() if g != ENTAILED_GRAPH}
        quads = [q for q in self._ox if (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in keep)
                 or (default_graph and isinstance(q.graph_name, ox.DefaultGraph))]
        return serialize_quads(quads, fmt)


def serialize_quads(quads: list[ox.Quad], fmt: ox.RdfFormat) -> bytes:
    """Serialize quads; triple formats (Turtle, N-Triples, RDF/XML) get their union, each triple once."""
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML):
        triples = dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads)
        return ox.serialize(list(triples), format=fmt, prefixes=_prefixes(fmt))
    return ox.serialize(quads, format=fmt, prefixes=_prefixes(fmt))


def _prefixes(fmt: ox.RdfFormat) -> dict[str, str] | None:
    if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES):
        return None
    from .iris import PREFIXES

    return dict(PREFIXES)


def load_bundled(store: Store) -> None:
    """Put the ontology and the bundled knowledge base into a store, then materialise entailments."""
    from .entail import materialise

    store.load_paths([resources.ontology_file()], default_graph=ONTOLOGY_IRI)
    store.load_paths(resources.data_files())
    materialise(store)


def open_store(spec: str | None = None) -> Store:
    """Open a store from its specification.

    Parameters
    ----------
    spec : str, optional
        ``memory`` (the bundled knowledge base, in memory; the default),
        ``empty`` (the ontology alone, in memory: for building data from scratch) or
        ``oxigraph:DIR`` (a persistent Oxigraph store in DIR) or
        ``sparql:QUERY_URL[,UPDATE_URL]`` (any SPARQL 1.1 endpoint). When ``None``, the
        ``TECHREG_STORE`` environment variable, then ``memory``.

    Returns
    -------
    Store

    Raises
    ------
    BadInput
        For an unknown kind of store.
    """
    spec = spec or os.environ.get("TECHREG_STORE") or DEFAULT_STORE
    if spec == "memory":
        store = Store(None, spec)
        load_bundled(store)
        return store
    if spec == "empty":
        store = Store(None, spec)
        store.load_paths([resources.ontology_file()], default_graph=ONTOLOGY_IRI)
        return store
    kind, _, rest = spec.partition(":")
    if kind == "oxigraph" and rest:
        return Store(rest, spec)
    if kind == "sparql" and rest:
        from .remote import open_remote

        return open_remote(rest, spec)
    raise BadInput(f"unknown store {spec!r}: use 'memory', 'empty', 'oxigraph:DIR' or 'sparql:QUERY_URL[,UPDATE_URL]'")
