"""Where the knowledge graph lives: one :class:`~graph.stores.base.Store` interface over
Oxigraph in memory or on disk (:mod:`.local`) and any SPARQL 1.1 endpoint (:mod:`.remote`),
with all-or-nothing loading (:mod:`.loading`) and RDF file handling (:mod:`.rdfio`)."""

from __future__ import annotations

import os

from ..errors import BadInput
from .base import Store

__all__ = ["Store", "open_store", "load_bundled", "DEFAULT_STORE", "IN_MEMORY"]

DEFAULT_STORE = "memory"
#: Store specifications that live in this process only.
IN_MEMORY = ("memory", "empty")


def load_bundled(store: Store) -> None:
    """Put the ontology and the bundled knowledge base into a store, then materialise entailments."""
    from .. import resources
    from ..model.entail import materialise
    from ..model.iris import ONTOLOGY_IRI

    store.load_paths([resources.ontology_file()], default_graph=ONTOLOGY_IRI)
    store.load_paths(resources.data_files())
    materialise(store)


def open_store(spec: str | None = None, *, create: bool = True) -> Store:
    """Open a store from its specification.

    Parameters
    ----------
    spec : str, optional
        ``memory`` (the bundled knowledge base, in memory; the default),
        ``empty`` (the ontology alone, in memory: for building data from scratch),
        ``oxigraph:DIR`` (a persistent Oxigraph store in DIR) or
        ``sparql:QUERY_URL[,UPDATE_URL]`` (any SPARQL 1.1 endpoint). When ``None``, the
        ``TECHREG_STORE`` environment variable, then ``memory``.
    create : bool
        Whether an ``oxigraph:DIR`` that does not exist yet (or is an empty directory) may
        be created. The command line passes ``False`` on every command but ``init``, so
        a mistyped directory is an error rather than a new, empty store.

    Returns
    -------
    Store

    Raises
    ------
    BadInput
        For an unknown kind of store, or a missing on-disk store when ``create`` is false.
    """
    spec = spec or os.environ.get("TECHREG_STORE") or DEFAULT_STORE
    if spec in IN_MEMORY:
        from .. import resources
        from ..model.iris import ONTOLOGY_IRI
        from .local import LocalStore

        store = LocalStore(None, spec)
        if spec == "memory":
            load_bundled(store)
        else:
            store.load_paths([resources.ontology_file()], default_graph=ONTOLOGY_IRI)
        return store
    kind, _, rest = spec.partition(":")
    if kind == "oxigraph" and rest:
        from .local import LocalStore

        if not create and (not os.path.exists(rest) or (os.path.isdir(rest) and not os.listdir(rest))):
            raise BadInput(f"no store at {rest!r} (--store {spec}): create it first with "
                           f"`techreg init --store {spec}`, or check the path")
        return LocalStore(rest, spec)
    if kind == "sparql" and rest:
        from .remote import open_remote

        return open_remote(rest, spec)
    raise BadInput(f"unknown store {spec!r}: use 'memory', 'empty', 'oxigraph:DIR' or 'sparql:QUERY_URL[,UPDATE_URL]'")
