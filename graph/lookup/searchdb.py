"""The token index of an on-disk store kept in SQLite beside it, queried without loading it.

It holds exactly what :class:`graph.lookup.search.SearchIndex` holds (the same document
numbers, postings, class members and links; it is written from a built one) and answers
the same bulk questions, so a search reads only the postings of its words and the rows
of the documents it ranks: a new process answers in milliseconds instead of reading the
whole index. Validity: :mod:`graph.stores.indexfiles`.
"""

from __future__ import annotations

import json
import os
import sqlite3
from array import array

from ..stores.indexfiles import fingerprint, index_path, open_index

__all__ = ["SearchDB", "open_search", "write_search", "FILE"]

FILE = "techreg-index-search.sqlite"
_VERSION = "3"

# Postings, class members, links and labels are arrays stored as blobs (read in
# milliseconds, only those a query needs); names and IRIs are rows, read per document.
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE blobs (name TEXT PRIMARY KEY, data BLOB);
CREATE TABLE docs (d INTEGER PRIMARY KEY, iri TEXT, names TEXT, cls INTEGER);
CREATE TABLE post (key TEXT, kind INTEGER, n INTEGER, docs BLOB, PRIMARY KEY (key, kind)) WITHOUT ROWID;
CREATE TABLE members (cls TEXT PRIMARY KEY, docs BLOB) WITHOUT ROWID;
"""
_LABEL, _ALIAS = 1, 0


def _array(data: bytes, code: str = "i"):
    out = array(code)
    out.frombytes(data)
    return out


class SearchDB:
    """Read-only access to a store's token index file (the bulk questions of
    :class:`graph.lookup.search.SearchIndex`)."""

    def __init__(self, conn: sqlite3.Connection, classes: dict[str, list[str]], class_sets: list[list[str]]):
        self.conn = conn
        self.classes = classes
        self.class_sets = class_sets
        self._blobs: dict[str, object] = {}

    def _blob(self, name: str):
        if name not in self._blobs:
            (data,) = self.conn.execute("SELECT data FROM blobs WHERE name = ?", (name,)).fetchone()
            self._blobs[name] = data.decode("utf-8") if name == "labels" else _array(data, "q" if name == "label_off" else "i")
        return self._blobs[name]

    def _docs(self, column: str, docs) -> dict[int, object]:
        docs = list(docs)
        if not docs:
            return {}
        return dict(self.conn.execute(f"SELECT d, {column} FROM docs WHERE d IN (SELECT value FROM json_each(?))",
                                      (json.dumps(docs),)))

    def _range(self, token: str, cjk: bool) -> tuple[str, tuple]:
        if cjk:
            return "key = ?", (token,)
        # UTF-8 byte order is code point order; no folded word holds U+10FFFF
        return "key >= ? AND key < ?", (token, token + "\U0010ffff")

    def own_size_bounds(self, token: str, cjk: bool) -> tuple[int, int]:
        """Bounds of ``len(own_matches(token))`` from the posting sizes, without the postings."""
        where, args = self._range(token, cjk)
        sizes = [n for (n,) in self.conn.execute(f"SELECT n FROM post WHERE {where}", args)]
        # the union of the postings is at least the largest and at most their sum
        return (max(sizes, default=0), sum(sizes))

    def own_size(self, token: str, cjk: bool) -> int:
        return len(self.own_matches(token, cjk))

    def own_matches(self, token: str, cjk: bool) -> dict[int, float]:
        """See :meth:`graph.lookup.search.SearchIndex.own_matches`."""
        where, args = self._range(token, cjk)
        groups = {(key, kind): _array(data) for key, kind, data in
                  self.conn.execute(f"SELECT key, kind, docs FROM post WHERE {where} ORDER BY key, kind", args)}
        words = sorted({key for key, _ in groups})
        out: dict[int, float] = {}
        for exact, kind, w in ((False, _ALIAS, 0.9 * 0.85), (False, _LABEL, 0.85), (True, _ALIAS, 0.9),
                               (True, _LABEL, 1.0)):
            for word in words:
                if (word == token) == exact and (word, kind) in groups:
                    out.update(dict.fromkeys(groups[(word, kind)], w))
        return out

    def class_matches(self, token: str) -> set[int]:
        docs: set[int] = set()
        for cls in sorted(self.classes.get(token, ())):
            row = self.conn.execute("SELECT docs FROM members WHERE cls = ?", (cls,)).fetchone()
            if row is not None:
                docs.update(_array(row[0]))
        return docs

    def linked_from_all(self, docs) -> list[tuple[int, object]]:
        off, idx = self._blob("in_off"), self._blob("in_idx")
        return [(d, idx[off[d]:off[d + 1]]) for d in docs]

    def links_of_all(self, docs) -> dict[int, object]:
        off, idx = self._blob("out_off"), self._blob("out_idx")
        return {d: idx[off[d]:off[d + 1]] for d in docs}

    def labels_of(self, docs) -> dict[int, str]:
        text, off = self._blob("labels"), self._blob("label_off")
        return {d: text[off[d]:off[d + 1]] for d in docs}

    def names_of(self, docs) -> dict[int, str]:
        return self._docs("names", docs)

    def iris_of(self, docs) -> dict[int, str]:
        return self._docs("iri", docs)

    def classes_of(self, docs) -> dict[int, list[str]]:
        return {d: list(self.class_sets[c]) for d, c in self._docs("cls", docs).items()}


def open_search(store) -> SearchDB | None:
    """Open a store's token index file if it exists and matches the store's data files."""
    opened = open_index(store, FILE, _VERSION)
    if opened is None:
        return None
    conn, meta = opened
    return SearchDB(conn, json.loads(meta["classes"]), json.loads(meta["class_sets"]))


def write_search(store, ix) -> None:
    """Write a built :class:`~graph.lookup.search.SearchIndex` beside the store, whole or
    not at all (a temporary file renamed into place); a read-only directory keeps none."""
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
            conn.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)",
                             ((d, ix.docs[d], ix.names[d], ix.class_of[d]) for d in range(len(ix.docs))))
            conn.executemany("INSERT INTO post VALUES (?, ?, ?, ?)",
                             ((key, kind, len(docs), docs.tobytes())
                              for kind, post in ((_LABEL, ix.label_post), (_ALIAS, ix.alias_post))
                              for key, docs in post.items()))
            conn.executemany("INSERT INTO members VALUES (?, ?)",
                             ((cls, docs.tobytes()) for cls, docs in ix.members.items()))
            offsets, at = array("q", [0]), 0
            for label in ix.labels:
                at += len(label)
                offsets.append(at)
            blobs = {"in_off": ix.in_off, "in_idx": ix.in_idx, "out_off": ix.out_off, "out_idx": ix.out_idx,
                     "label_off": offsets}
            conn.executemany("INSERT INTO blobs VALUES (?, ?)", [(k, v.tobytes()) for k, v in blobs.items()]
                             + [("labels", "".join(ix.labels).encode("utf-8"))])
            meta = [("version", _VERSION), ("stamp", json.dumps(stamp)),
                    ("classes", json.dumps({k: sorted(v) for k, v in ix.classes.items()})),
                    ("class_sets", json.dumps([list(c) for c in ix.class_sets]))]
            conn.executemany("INSERT INTO meta VALUES (?, ?)", meta)
            conn.commit()
        finally:
            conn.close()
        if fingerprint(location) != stamp:  # written meanwhile by another process: keep nothing
            os.unlink(tmp)
            return
        os.replace(tmp, path)
    except (OSError, sqlite3.Error):
        try:
            os.unlink(tmp)
        except OSError:
            pass
