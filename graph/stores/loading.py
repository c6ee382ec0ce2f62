"""Putting data into a store: the bundled knowledge base (``init``) and users' files (``load``).

Both work on every store (in memory, ``oxigraph:DIR``, ``sparql:URL``) through the
common store interface. A load is all or nothing: every file is parsed and checked
against the SHACL shapes (with the store's data as context) before anything is written,
and the quads are then added in one transaction; the entailments are rebuilt afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .. import resources
from ..errors import BadInput
from ..model.iris import ONTOLOGY_IRI

__all__ = ["init_store", "load_files", "LoadResult", "LoadRefused", "bundled_quads", "write_quads"]

#: ``progress(stage, done, total)``: stage is ``parse`` (done/total files), ``validate``,
#: ``write`` or ``entail`` (0 of 1 when it starts, 1 of 1 when it ends).
Progress = Callable[[str, int, int], None]

_SHOWN_VIOLATIONS = 20


@dataclass
class LoadResult:
    """What a load or init did.

    Attributes
    ----------
    files : list of str
        The files read.
    quads : int
        The quads they hold.
    added : int
        The quads the store did not hold before (asserted; entailments not counted).
    total : int or None
        The quads in the store afterwards, entailments included; ``None`` for a local
        store, where counting them would walk the whole store on every load.
    graphs : list of str
        The named graphs written to.
    """

    files: list[str]
    quads: int
    added: int
    total: int | None
    graphs: list[str] = field(default_factory=list)


class LoadRefused(BadInput):
    """Files that do not conform to the shapes; nothing was written (exit 2).

    Attributes
    ----------
    report : graph.model.validation.Report
        Every violation, with the file it came from.
    """

    def __init__(self, report):
        self.report = report
        lines = [v.line() for v in report.violations]
        shown = lines[:_SHOWN_VIOLATIONS]
        if len(lines) > len(shown):
            shown.append(f"... and {len(lines) - len(shown)} more (see `techreg validate FILE...`)")
        super().__init__(f"refused: {len(lines)} shape violation(s); nothing was written\n" + "\n".join(shown))


def _noop(stage: str, done: int, total: int) -> None:
    pass


def _named_quads(store) -> int:
    """The quads in the store's named graphs (the default graph holds their merge)."""
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(rows[0]["n"].value)


def bundled_quads() -> list[ox.Quad]:
    """Return the ontology (in its own graph) and the bundled knowledge base as quads.

    Returns
    -------
    list of pyoxigraph.Quad
        The ontology in the graph ``https://w3id.org/techreg/ontology``, then every bundled
        TriG file with one named graph per source.
    """
    from .rdfio import parse_files

    quads = parse_files([resources.ontology_file()], default_graph=ONTOLOGY_IRI)
    quads += parse_files(resources.data_files())
    return quads


def _materialise(store, progress: Progress) -> None:
    from ..model.entail import materialise

    progress("entail", 0, 1)
    materialise(store)
    progress("entail", 1, 1)


def init_store(store, progress: Progress | None = None) -> LoadResult:
    """Put the ontology and the bundled knowledge base into a store, then its entailments.

    The content is the same as the in-memory default store's
    (:func:`graph.stores.load_bundled`). Running it again on the same store adds nothing
    new: quads are a set.

    Parameters
    ----------
    store : graph.stores.Store
        An on-disk or remote store (an in-memory one works too, but is lost on exit).
    progress : callable, optional
        ``progress(stage, done, total)`` for the stages ``parse``, ``write``, ``entail``.

    Returns
    -------
    LoadResult

    Raises
    ------
    graph.errors.BadInput
        If the store cannot be written (a read-only or unreachable endpoint), or a remote
        endpoint serves a union default graph (see :mod:`graph.stores.remote`).
    """
    progress = progress or _noop
    files = [resources.ontology_file(), *resources.data_files()]
    progress("parse", 0, 1)
    quads = bundled_quads()
    progress("parse", 1, 1)
    return write_quads(store, quads, [str(f) for f in files], progress)


def _load_unchecked(store, paths: list[Path], progress: Progress) -> LoadResult:
    from .rdfio import rdf_format

    for path in paths:
        if not path.is_file():
            raise BadInput(f"{path}: no such file")
        if rdf_format(path) not in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
            raise BadInput(f"{path}: loading without the shapes takes TriG or N-Quads only "
                           "(every fact needs the named graph of its source)")
    if _local(store):
        graphs: set[str] = set()
        count = [0]

        def stream():
            for path in paths:
                for q in _parse_lazily(path):
                    count[0] += 1
                    if isinstance(q.graph_name, ox.NamedNode):
                        graphs.add(q.graph_name.value)
                    yield q

        added = store.write(stream(), progress)
        return LoadResult([str(p) for p in paths], count[0], added, None, sorted(graphs))
    before = _named_quads(store)
    progress("write", 0, len(paths))
    for i, path in enumerate(paths, 1):
        store.load_paths([path])
        progress("write", i, len(paths))
    added = _named_quads(store) - before
    _materialise(store, progress)
    store.flush()
    graphs = sorted(g for g in store.named_graphs())
    return LoadResult([str(p) for p in paths], added, added, len(store), graphs)


def _local(store) -> bool:
    """Whether the store is Oxigraph in this process, which writes whole loads itself."""
    return store.kind in ("memory", "disk")


def _parse_lazily(path: Path):
    """Quads of a file as Oxigraph's parser reads them (blank nodes renamed apart from
    other files'), a syntax error as :class:`ParseError` with the file and line."""
    from ..errors import ParseError
    from .rdfio import rdf_format

    try:
        yield from ox.parse(path=str(path), format=rdf_format(path), rename_blank_nodes=True)
    except SyntaxError as exc:
        raise ParseError(str(path), exc.lineno, getattr(exc, "msg", str(exc))) from None


def write_quads(store, quads: list[ox.Quad], paths: list[str], progress: Progress | None = None) -> LoadResult:
    """Add checked quads to a store in one transaction, then rebuild the entailments and flush.

    Parameters
    ----------
    store : graph.stores.Store
    quads : list of pyoxigraph.Quad
        Already parsed and validated.
    paths : list of str
        Where they came from (for the result).

    Returns
    -------
    LoadResult
    """
    progress = progress or _noop
    graphs = sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)})
    if _local(store):
        added = store.write(quads, progress)
        return LoadResult(paths, len(quads), added, None, graphs)
    before = _named_quads(store)
    progress("write", 0, 1)
    store.add(quads)
    added = _named_quads(store) - before
    progress("write", 1, 1)
    store.check_layout()
    _materialise(store, progress)
    store.flush()
    return LoadResult(paths, len(quads), added, len(store), graphs)


def load_files(store, paths: Iterable[str | Path], progress: Progress | None = None, *, check: bool = True) -> LoadResult:
    """Add RDF files to a store, all or nothing, after checking them against the shapes.

    Every file (TriG, N-Quads, Turtle, N-Triples, JSON-LD, RDF/XML) is parsed first, then
    all of them are validated together with what they touch in the store as context
    (facts may refer to entities already stored; see
    :func:`graph.model.validation.context_of`). Any parse error or shape violation stops the load before
    anything is written. Otherwise all quads are added in one transaction, the entailed
    graph is rebuilt and the store flushed.

    Every fact must sit in the named graph of the source that states it: triples outside
    any named graph (plain Turtle or N-Triples) are refused by the validation.

    Parameters
    ----------
    store : graph.stores.Store
    paths : iterable of path
    progress : callable, optional
        ``progress(stage, done, total)`` for the stages ``parse`` (files), ``validate``,
        ``write``, ``entail``.
    check : bool
        Validate against the shapes first (the default). Without it, for large files
        from a trusted pipeline, a local store parses the files straight into itself with
        Oxigraph's own parser, each file all or nothing; only quad formats (TriG,
        N-Quads) are taken, as every fact needs the named graph of its source.

    Returns
    -------
    LoadResult

    Raises
    ------
    graph.errors.ParseError
        If a file cannot be parsed (its file and line in the message); nothing written.
    LoadRefused
        If the files violate the shapes (each violation with its file); nothing written.
    graph.errors.BadInput
        If a file is missing or of an unknown type, or the store cannot be written.
    """
    from .rdfio import parse_files
    from ..model.validation import context_of, validate_quads

    progress = progress or _noop
    paths = [Path(p) for p in paths]
    if not paths:
        raise BadInput("no files to load")
    if not check:
        return _load_unchecked(store, paths, progress)
    by_file: dict[str, list[ox.Quad]] = {}
    progress("parse", 0, len(paths))
    for i, path in enumerate(paths, 1):
        by_file[str(path)] = parse_files([path])
        progress("parse", i, len(paths))
    progress("validate", 0, 1)
    quads = [q for qs in by_file.values() for q in qs]
    report = validate_quads(by_file, context=context_of(store, quads))
    progress("validate", 1, 1)
    if not report.conforms:
        raise LoadRefused(report)
    return write_quads(store, quads, [str(p) for p in paths], progress)
