"""The name index of an on-disk store kept in SQLite beside it, queried without loading it.

A process that needs one name (``techreg path A B`` on a store of a million quads) opens
the file in milliseconds and looks the name up with an indexed query, instead of reading
every name of the store. The file holds what :class:`graph.lookup.names.NameIndex` holds
(the folded names in the same order, English and Chinese labels, asserted classes) and
answers the same questions, so both give the same answers.

Validity: see :mod:`graph.stores.indexfiles` (stamped with the store's data files, removed
before every write; a missing, stale or unreadable file is rebuilt).
"""

from __future__ import annotations

import json
import os
import sqlite3

from ..stores.indexfiles import fingerprint, index_path, open_index

__all__ = ["NameDB", "open_names", "write_names", "FILE"]

FILE = "techreg-index-names.sqlite"
_VERSION = "1"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE names (folded TEXT, iri TEXT, kind TEXT, name TEXT);
CREATE TABLE entity (iri TEXT PRIMARY KEY, en TEXT, zh TEXT, classes TEXT);
"""
_INDEXES = "CREATE INDEX names_folded ON names (folded);"


class _Types:
    """``types.get(iri, default)`` over the database, as on the in-memory index."""

    def __init__(self, db: "NameDB"):
        self._db = db

    def get(self, iri: str, default=None):
        row = self._db._entity(iri)
        return row[2] if row is not None and row[2] else default

    def __contains__(self, iri: str) -> bool:
        row = self._db._entity(iri)
        return row is not None and bool(row[2])


class NameDB:
    """Read-only access to a store's name index file (the methods of ``NameIndex`` that
    name resolution, neighbourhoods and filters use)."""

    def __init__(self, conn: sqlite3.Connection, short):
        self.conn = conn
        self._short = short  # IRI -> CURIE, for entities without a label
        self._cache: dict[str, tuple | None] = {}
        self.types = _Types(self)

    def _entity(self, iri: str):
        if iri not in self._cache:
            row = self.conn.execute("SELECT en, zh, classes FROM entity WHERE iri = ?", (iri,)).fetchone()
            self._cache[iri] = None if row is None else (row[0], row[1], row[2].split(" ") if row[2] else [])
        return self._cache[iri]

    def label(self, iri: str) -> str:
        """Return the English label of an entity, or its Chinese label, or its CURIE."""
        row = self._entity(iri)
        return (row and (row[0] or row[1])) or self._short(iri)

    def label_en(self, iri: str) -> str | None:
        row = self._entity(iri)
        return row[0] if row else None

    def label_zh(self, iri: str) -> str | None:
        row = self._entity(iri)
        return row[1] if row else None

    def classes(self, iri: str) -> list[str]:
        """Return the local names of the asserted ``tr:`` classes of an entity."""
        row = self._entity(iri)
        return list(row[2]) if row else []

    def known(self, iri: str) -> bool:
        return self._entity(iri) is not None  # rows exist only for entities with a label or class

    def exact(self, folded: str) -> list[tuple[str, str]]:
        """``(iri, kind)`` of every name equal to ``folded``, in index order."""
        return [tuple(r) for r in self.conn.execute(
            "SELECT iri, kind FROM names WHERE folded = ? ORDER BY rowid", (folded,))]

    def starting(self, prefix: str):
        """``(folded, iri, kind, name)`` of every name that begins with ``prefix``, in order."""
        # UTF-8 byte order is code point order: every string that begins with the prefix
        # sorts between it and the prefix followed by the highest code point, which no
        # folded name holds (normalise turns it, not being a word character, into a space)
        return self.conn.execute("SELECT folded, iri, kind, name FROM names WHERE folded >= ? AND folded < ? "
                                 "ORDER BY rowid", (prefix, prefix + "\U0010ffff"))

    def all_entries(self):
        """Every ``(folded, iri, kind, name)``, in order (for suggestions: reads the whole file)."""
        return self.conn.execute("SELECT folded, iri, kind, name FROM names ORDER BY rowid")


def open_names(store, short) -> NameDB | None:
    """Open a store's name index file if it exists and matches the store's data files
    (``short`` names an entity without a label, from its IRI)."""
    opened = open_index(store, FILE, _VERSION)
    if opened is None:
        return None
    conn, meta = opened
    return NameDB(conn, short)


def write_names(store, index) -> None:
    """Write a built :class:`~graph.lookup.names.NameIndex` to the store's directory, whole
    or not at all (a temporary file renamed into place); a read-only directory keeps none."""
    location = store.location()
    stamp = fingerprint(location)
    if stamp is None:
        return
    path = index_path(store, FILE)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.executescript(_SCHEMA)
            conn.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", index.entries)
            iris = set(index.labels) | set(index.labels_zh) | set(index.types)
            conn.executemany("INSERT INTO entity VALUES (?, ?, ?, ?)",
                             ((i, index.labels.get(i), index.labels_zh.get(i), " ".join(index.types.get(i, ())))
                              for i in sorted(iris)))
            conn.executescript(_INDEXES)
            conn.executemany("INSERT INTO meta VALUES (?, ?)", [("version", _VERSION), ("stamp", json.dumps(stamp))])
            conn.commit()
        finally:
            conn.close()
        # the data files changed while building (a write by another process): keep nothing
        if fingerprint(location) != stamp:
            os.unlink(tmp)
            return
        os.replace(tmp, path)
    except (OSError, sqlite3.Error):
        try:
            os.unlink(tmp)
        except OSError:
            pass
