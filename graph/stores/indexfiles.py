"""Indexes kept beside an on-disk store, in files of its directory, and when they are valid.

An index file is stamped with the store's data files (name, size, modification time of
every ``*.sst``); it is used only while the stamp matches. Every write through a
:class:`graph.stores.local.LocalStore` first removes the index files
(:func:`remove_indexes`), so a write that stays in Oxigraph's log, or a process killed
part-way through a write, leaves no index behind: the next reader rebuilds it.
"""

from __future__ import annotations

import os

__all__ = ["INDEX_FILES", "fingerprint", "remove_indexes", "index_path", "keeps_indexes", "open_index"]

#: The files of derived indexes in a store directory.
INDEX_FILES = ("techreg-index-names.sqlite", "techreg-index-search.sqlite",
               "techreg-search-index.pickle")  # the last: an older format


def fingerprint(directory) -> list | None:
    """The store's data files (name, size, mtime): they change when data is written."""
    try:
        entries = sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(directory)
                         if e.name.endswith(".sst"))
    except OSError:
        return None
    return entries or None


def remove_indexes(directory) -> None:
    """Remove every derived index of a store directory (before a write)."""
    for name in INDEX_FILES:
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.unlink(os.path.join(directory, name + suffix))
            except FileNotFoundError:
                pass


def keeps_indexes(store) -> bool:
    """Whether a store's derived indexes live on disk: an on-disk store that this object
    has not written (its writes may not all be on disk yet). Memory and remote stores, and
    a disk store after a write in this process, keep them in memory."""
    location = store.location() if store.kind == "disk" else None
    return bool(location) and store.generation == 0 and os.path.isdir(location)


def index_path(store, name: str) -> str:
    """The path of an index file in a store's directory."""
    return os.path.join(store.location(), name)


def open_index(store, name: str, version: str):
    """Open a store's index file ``name`` read-only if it exists, has ``version`` and
    matches the store's data files.

    Returns
    -------
    tuple of (sqlite3.Connection, dict) or None
        The connection and the file's ``meta`` table; None when the file is missing,
        unreadable, of another version or stale.
    """
    import json
    import sqlite3

    path = index_path(store, name)
    if not os.path.exists(path):
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        meta = dict(conn.execute("SELECT key, value FROM meta"))
    except sqlite3.Error:
        return None
    if meta.get("version") != version or meta.get("stamp") != json.dumps(fingerprint(store.location())):
        conn.close()
        return None
    return conn, meta
