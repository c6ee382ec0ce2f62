"""Oxigraph in this process: in memory (the default, with the bundled knowledge base) or on disk.

SPARQL runs in Oxigraph's own engine in both cases.

Every fact sits in the named graph of its source. The default graph holds the merge of
all named graphs (each triple once, however many sources state it) plus the entailments
(there only: see :mod:`graph.model.entail`), so a query without ``GRAPH`` sees every fact once, and ``GRAPH ?g`` patterns find
the sources. (Oxigraph's own "union default graph" is a bag: a triple stated by three
sources would come back three times.)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from ..errors import BadInput, ParseError
from ..model.iris import ENTAILED_GRAPH, ONTOLOGY_IRI, sparql_prologue
from .base import Store
from .journal import Journal
from .rdfio import rdf_format, serialize_quads

__all__ = ["LocalStore", "searches_in_store", "IN_STORE_SEARCH_MB"]


#: On-disk stores larger than this (MB of files) answer paths by expanding neighbourhoods
#: with queries (:mod:`graph.network.neighbourhood`) instead of projecting the whole graph.
#: (About 65k input quads; it was 64 MB when the entailments were stored twice and a
#: quad took 1.8 times the room it takes now.)
IN_STORE_SEARCH_MB = 36.0


def searches_in_store(path: Path | None) -> bool:
    """Decide how paths and views read a local store: in memory or small on disk, the whole
    graph projected once into networkx (the faster route there); large on disk, batched
    expansion inside the store, whose cost follows the neighbourhood and not the store.
    The size is read from the directory (Oxigraph's own count walks every quad)."""
    if path is None:
        return False
    size = sum(f.stat().st_size for f in path.iterdir() if f.is_file()) if path.is_dir() else 0
    return size / 2**20 > IN_STORE_SEARCH_MB


def _expand(chunk: list[ox.Quad], rules) -> list[ox.Quad]:
    """New quads with the copies of their triples in the default graph and the inverse and
    class entailments they bring (in the default graph only, see :mod:`graph.model.entail`)."""
    from ..model.entail import entailed_by

    out = list(chunk)
    out += [ox.Quad(q.subject, q.predicate, q.object) for q in chunk if isinstance(q.graph_name, ox.NamedNode)]
    out += [ox.Quad(t.subject, t.predicate, t.object) for t in entailed_by(chunk, rules)]
    return out


class LocalStore(Store):
    """An Oxigraph store in memory or in a directory on disk.

    Parameters
    ----------
    path : str or Path, optional
        Directory of a persistent Oxigraph store; ``None`` for an in-memory store.
    spec : str
        How the user named the store (for messages).
    """

    def __init__(self, path: str | Path | None = None, spec: str = "memory"):
        super().__init__(spec)
        self.path = Path(path) if path else None
        self.kind = "disk" if self.path else "memory"
        self.entailed_graph = None  # the default graph alone holds the entailments
        self.persistent = self.path is not None
        try:
            self._ox = ox.Store(str(self.path)) if self.path else ox.Store()
        except OSError as exc:
            raise BadInput(f"cannot open store {spec!r}: {exc}") from None
        self._journal = Journal(self.path) if self.path else None
        if self._journal is not None and (manifest := self._journal.pending()) is not None:
            self._replay(manifest)  # a write killed after its commit: finish it
        self.searches_in_store = searches_in_store(self.path)

    def location(self) -> str | None:
        return str(self.path) if self.path else None

    # -- reading -------------------------------------------------------------

    def query(self, sparql: str, *, prefixes: bool = True, timeout: float | None = None):
        """Run a SPARQL query in Oxigraph's engine over the merged default graph.

        Parameters
        ----------
        sparql : str
            The query; the project prefixes are prepended unless ``prefixes`` is false.
        timeout : float, optional
            Not enforced here: :func:`graph.query.run.run_query` runs untrusted queries
            under a time limit.

        Returns
        -------
        pyoxigraph.QuerySolutions, QueryBoolean or QueryTriples
        """
        text = sparql_prologue(sparql) + sparql if prefixes else sparql
        return self._ox.query(text)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Iterate over the quads of the named graphs (or of one), not the merged default graph."""
        if graph:
            return self._ox.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        return (q for q in self._ox if isinstance(q.graph_name, ox.NamedNode))

    def named_graphs(self) -> list[str]:
        """Return the IRIs of all named graphs, sorted."""
        return sorted(g.value for g in self._ox.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self._ox)

    # -- writing -------------------------------------------------------------

    def update(self, sparql: str) -> None:
        """Run a SPARQL update (with the project prefixes)."""
        self._before_write()
        self._ox.update(sparql_prologue(sparql) + sparql)
        self._changed()

    def add(self, quads: Iterable[ox.Quad]) -> int:
        """Add quads in one transaction, either all or none, merging their triples into
        the default graph.

        Returns
        -------
        int
            The number of quads given.
        """
        quads = list(quads)
        self._before_write()
        self._ox.extend(quads)
        self._merge({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)})
        self._changed()
        return len(quads)

    def write(self, quads: Iterable[ox.Quad], progress: Callable[[str, int, int], None] | None = None) -> int:
        """Add quads with their copies in the merged default graph and their entailments,
        all or nothing, even if the process is killed part-way.

        The work grows with the new quads, not with the store: their default-graph copies
        and the inverse and class entailments they bring are computed from them alone, and
        the control closure grows by the chains through their new parent links only
        (:func:`graph.model.entail.control_triples`). When the quads touch the ontology,
        the entailments are rebuilt instead. On disk the new quads go through a redo
        journal (:mod:`graph.stores.journal`) and are expanded as they are applied; in
        memory it is one transaction.

        Parameters
        ----------
        quads : iterable of pyoxigraph.Quad
            May be a lazy parse: an exception while iterating leaves the store untouched.
        progress : callable, optional
            ``progress(stage, done, total)`` for ``write`` and ``entail``.

        Returns
        -------
        int
            The quads of named graphs that the store did not hold before.
        """
        from ..model import entail

        progress = progress or (lambda *_: None)
        progress("write", 0, 1)
        self._before_write()
        rules = entail.rules(self)
        state = {"added": 0, "rebuild": False}
        links: list[tuple[str, str, str]] = []
        # a quad in a graph the store lacks is new without asking the store (asked once
        # per graph: listing every graph of a big store takes most of a second)
        known: dict[ox.NamedNode, bool] = {}
        seen: set[int] = set()

        def stored(g: ox.NamedNode) -> bool:
            if (held := known.get(g)) is None:
                held = known[g] = self._ox.contains_named_graph(g)
            return held

        def scan(chunk: list[ox.Quad]) -> list[ox.Quad]:
            for q in chunk:
                g = q.graph_name
                if isinstance(g, ox.NamedNode):
                    if g.value == ONTOLOGY_IRI:
                        state["rebuild"] = True
                    if (h := hash(q)) not in seen and (not stored(g) or q not in self._ox):
                        seen.add(h)
                        state["added"] += 1
            links.extend(entail.parent_links(chunk))
            return chunk

        def chunks():
            it = iter(quads)
            while chunk := list(itertools.islice(it, 50_000)):
                yield scan(chunk)
            if not state["rebuild"]:  # a rebuild recomputes the closure anyway
                yield [ox.Quad(t.subject, t.predicate, t.object)
                       for t in entail.control_triples(self, links)
                       if ox.Quad(t.subject, t.predicate, t.object) not in self._ox]

        try:
            if self._journal is None:
                self._ox.extend([q for chunk in chunks() for q in _expand(chunk, rules)])
                if state["rebuild"]:
                    self._rebuild(progress)
            else:
                self._replay(self._journal.write(chunks(), state), progress)
        finally:
            self._changed()
        progress("write", 1, 1)
        return state["added"]

    def _before_write(self) -> None:
        """Remove the indexes kept in the store's directory before its data changes: a
        write that is killed, or stays in Oxigraph's log, leaves no index to trust."""
        if self.path is not None:
            from .indexfiles import remove_indexes

            remove_indexes(self.path)

    def _rebuild(self, progress) -> None:
        from ..model.entail import materialise

        progress("entail", 0, 1)
        materialise(self)
        progress("entail", 1, 1)

    def _replay(self, manifest: dict, progress=None) -> None:
        """Apply a committed journal (idempotent), flush, and forget it: each journaled
        chunk goes in with its default-graph copies and the entailments it brings."""
        from ..model import entail

        self._before_write()
        rules = entail.rules(self)
        # one bulk write over the whole journal: Oxigraph then cuts it into sorted files
        # itself; separate calls per chunk leave overlapping files that take up to 1.5x
        # the room on disk (measured at 100k quads: 10 calls 60.9 MB, one call 39.3 MB)
        self._ox.bulk_extend(q for chunk in self._journal.quads() for q in _expand(chunk, rules))
        self._changed()
        if manifest.get("rebuild"):
            self._rebuild(progress or (lambda *_: None))
        self._ox.flush()
        self._journal.done()

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
        self._before_write()
        try:
            for path in paths:
                try:
                    self._ox.load(path=str(path), format=rdf_format(path), to_graph=target)
                except SyntaxError as exc:
                    raise ParseError(str(path), exc.lineno, getattr(exc, "msg", str(exc))) from None
            self._merge({default_graph} if default_graph else None)
        finally:
            self._changed()

    def flush(self) -> None:
        """Write pending changes of an on-disk store to disk."""
        if self.path is not None:
            self._ox.flush()

    def close(self) -> None:
        """Drop the Oxigraph handle, which frees an on-disk store's lock."""
        super().close()
        self._ox = None

    def dump(self, fmt: ox.RdfFormat, graphs: list[str] | None = None, *, default_graph: bool = False) -> bytes:
        """Serialize the given named graphs (default: all asserted graphs).

        The entailments, asked for as the graph ``https://w3id.org/techreg/graph/entailed``,
        are written as that graph: the default-graph triples no named graph states. With
        ``default_graph``, the merged default graph is written too (quad formats only), so
        that another store loading the file answers queries the same way.
        """
        keep = set(graphs) if graphs is not None else set(self.named_graphs())
        quads = [q for q in self._ox if (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in keep)
                 or (default_graph and isinstance(q.graph_name, ox.DefaultGraph))]
        if ENTAILED_GRAPH in keep:
            entailed = ox.NamedNode(ENTAILED_GRAPH)
            quads += [ox.Quad(r["s"], r["p"], r["o"], entailed) for r in self.select(
                "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }")]
        return serialize_quads(quads, fmt)
