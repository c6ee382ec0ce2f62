"""The one interface every home of the data implements, and the cache of derived data.

Callers hold a :class:`Store` and never ask which kind it is: the in-memory and on-disk
Oxigraph stores (:mod:`graph.stores.local`) and any SPARQL 1.1 endpoint
(:mod:`graph.stores.remote`) answer the same calls. What differs between them is
stated as data on the store (``kind``, ``persistent``, ``searches_in_store``), not found
out with ``hasattr``.

Everything computed from a store's data (the name index, the projection for paths, the
class hierarchy, the source documents) lives in the store's own :class:`Derived` cache,
built on first use and dropped on every write through the store. Two store objects never
share derived data, whatever their addresses in memory.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..model.iris import ENTAILED_GRAPH

__all__ = ["Store", "Derived", "Row"]

#: A SELECT row: variable name to pyoxigraph term, or ``None`` where unbound.
Row = dict[str, Any]


class Derived:
    """Values computed from a store's data, kept until the store is written to.

    Examples
    --------
    >>> cache = Derived()
    >>> cache.get("answer", lambda: 42)
    42
    >>> cache.clear(); len(cache)
    0
    """

    def __init__(self) -> None:
        self._values: dict[Any, Any] = {}

    def get(self, key, build: Callable[[], Any]):
        """Return the value under ``key``, building it with ``build()`` the first time."""
        try:
            return self._values[key]
        except KeyError:
            value = self._values[key] = build()
            return value

    def clear(self) -> None:
        """Forget every derived value (the store's data changed)."""
        self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


class Store(abc.ABC):
    """A quad store with SPARQL 1.1 query and update: the interface of every store.

    Attributes
    ----------
    spec : str
        How the user named the store (``memory``, ``oxigraph:DIR``, ``sparql:URL``).
    kind : str
        ``memory``, ``disk`` or ``remote``.
    persistent : bool
        Whether what is written outlives the process.
    searches_in_store : bool
        Whether paths and views should expand neighbourhoods with queries instead of
        projecting the whole graph (true where projecting everything is the slow route).
    entailed_graph : str or None
        The named graph of the entailments, or ``None`` where the default graph alone
        holds them (as the triples that no named graph states).
    generation : int
        Counts the writes made through this object.
    derived : Derived
        Data computed from the store, dropped on every write.
    """

    spec: str
    kind: str
    persistent: bool
    searches_in_store: bool = False
    path: Path | None = None
    #: The named graph that holds the entailments (merged into the default graph), or
    #: ``None`` where they sit in the default graph only (:mod:`graph.model.entail`).
    entailed_graph: str | None = ENTAILED_GRAPH

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self.generation = 0
        self.derived = Derived()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.spec!r}>"

    # -- derived data ----------------------------------------------------------

    def cached(self, key, build: Callable[[], Any]):
        """Build a value from the store's data once, until the next write.

        Parameters
        ----------
        key : hashable
            Names the value (``"names"``, ``"projection"``, ...).
        build : callable
            Computes it; called at most once per write generation.
        """
        return self.derived.get(key, build)

    def _changed(self) -> None:
        """Record a write: bump the generation and drop every derived value."""
        self.generation += 1
        self.derived.clear()

    # -- reading ---------------------------------------------------------------

    @abc.abstractmethod
    def query(self, sparql: str, *, prefixes: bool = True, timeout: float | None = None):
        """Run a SPARQL query over the store's default graph (the merge of all sources).

        Parameters
        ----------
        sparql : str
            The query; the project prefixes are prepended unless ``prefixes`` is false.
        timeout : float, optional
            Seconds the engine may take, where it can enforce a limit itself.

        Returns
        -------
        pyoxigraph.QuerySolutions, QueryBoolean or QueryTriples
        """

    def select(self, sparql: str) -> list[Row]:
        """Run a SELECT query and return its rows as dictionaries keyed by variable name."""
        result = self.query(sparql)
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names} for row in result]

    def ask(self, sparql: str) -> bool:
        """Run an ASK query."""
        return bool(self.query(sparql))

    @abc.abstractmethod
    def quads(self, graph: str | None = None) -> Iterator:
        """Iterate over the quads of the named graphs (or of one), not the merged default graph."""

    @abc.abstractmethod
    def named_graphs(self) -> list[str]:
        """Return the IRIs of all named graphs, sorted."""

    @abc.abstractmethod
    def __len__(self) -> int:
        """The quads of the named graphs plus the triples of the default graph."""

    def describe(self) -> dict:
        """Say what this store is, for messages and ``stats``.

        Returns
        -------
        dict
            ``spec``, ``kind``, ``persistent`` and, where there is one, ``location``.
        """
        return {"spec": self.spec, "kind": self.kind, "persistent": self.persistent,
                "location": self.location()}

    def location(self) -> str | None:
        """Where the data lives: a directory, an endpoint URL, or ``None`` in memory."""
        return None

    def limit_time(self, seconds: float | None) -> None:
        """Bound every later request this store makes to its engine by ``seconds`` (a
        remote endpoint's deadline per request; a no-op where queries run in this process,
        which :func:`graph.query.run.run_query` bounds itself).

        Parameters
        ----------
        seconds : float, optional
            ``None`` leaves the store's own limit.
        """

    def check_layout(self) -> None:
        """Refuse to write to a store whose engine would break the data model (a no-op
        where the model always holds).

        Raises
        ------
        graph.errors.BadInput
        """

    # -- writing ---------------------------------------------------------------

    @abc.abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL update (with the project prefixes)."""

    @abc.abstractmethod
    def add(self, quads: Iterable) -> int:
        """Add quads in one transaction, all or none, merging their triples into the default graph.

        Returns
        -------
        int
            The number of quads given.
        """

    @abc.abstractmethod
    def load_paths(self, paths: Iterable[str | Path], default_graph: str | None = None) -> None:
        """Put RDF files into the store without checking them against the shapes."""

    @abc.abstractmethod
    def dump(self, fmt, graphs: list[str] | None = None, *, default_graph: bool = False) -> bytes:
        """Serialize named graphs (default: all but the entailed graph); with
        ``default_graph`` the merged default graph too (quad formats only)."""

    def flush(self) -> None:
        """Make the writes durable (a no-op where every write already is)."""

    def close(self) -> None:
        """Release the store (an on-disk store's lock); the object is not used afterwards."""
        self.derived.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
