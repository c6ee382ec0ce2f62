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

from ..stores.indexfiles import fingerprint, index_path

__all__ = ["SearchDB", "open_search", "write_search", "FILE"]

FILE = "techreg-index-search.sqlite"
_VERSION = "2"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE docs (d INTEGER PRIMARY KEY, iri TEXT, label TEXT, names TEXT, cls INTEGER);
CREATE TABLE post (key TEXT, kind INTEGER, d INTEGER);
CREATE TABLE members (cls TEXT, d INTEGER);
CREATE TABLE links (s INTEGER, o INTEGER);
CREATE TABLE words (key TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;
"""
_INDEXES = """
CREATE INDEX post_key ON post (key, kind, d);
CREATE INDEX members_cls ON members (cls);
CREATE INDEX links_s ON links (s);
CREATE INDEX links_o ON links (o);
"""
_LABEL, _ALIAS = 1, 0


class SearchDB:
    """Read-only access to a store's token index file."""

    def __init__(self, conn: sqlite3.Connection, classes: dict[str, list[str]], class_sets: list[list[str]]):
        self.conn = conn
        self.classes = classes
        self.class_sets = class_sets

    def _docs(self, column: str, docs) -> dict[int, object]:
        docs = list(docs)
        if not docs:
            return {}
        return dict(self.conn.execute(f"SELECT d, {column} FROM docs WHERE d IN (SELECT value FROM json_each(?))",
                                      (json.dumps(docs),)))

    def _range(self, token: str, cjk: bool) -> tuple[str, tuple]:
        if cjk:
            return "key = ?", (token,)
        return "key >= ? AND key < ?", (token, token + "\U0010ffff")

    def own_size_bounds(self, token: str, cjk: bool) -> tuple[int, int]:
        """Bounds of ``len(own_matches(token))``: its most frequent word's documents, and
        the sum over its words (read from the word table, without the postings)."""
        where, args = self._range(token, cjk)
        counts = [n for (n,) in self.conn.execute(f"SELECT n FROM words WHERE {where}", args)]
        return (max(counts, default=0), sum(counts))

    def own_size(self, token: str, cjk: bool) -> int:
        """``len(own_matches(token))``, counted in the index."""
        where, args = self._range(token, cjk)
        return self.conn.execute(f"SELECT COUNT(DISTINCT d) FROM post WHERE {where}", args).fetchone()[0]

    def own_matches(self, token: str, cjk: bool, among=None) -> dict[int, float]:
        """See :meth:`graph.lookup.search.SearchIndex.own_matches`; with ``among`` (a set
        of documents), only those documents are read (the others are left out)."""
        where, args = self._range(token, cjk)
        if among is not None:
            where += " AND d IN (SELECT value FROM json_each(?))"
            args += (json.dumps(sorted(among)),)
        rows = self.conn.execute(f"SELECT key, kind, d FROM post WHERE {where} ORDER BY key, kind, d", args)
        groups: dict[tuple[str, int], list[int]] = {}
        for key, kind, d in rows:
            groups.setdefault((key, kind), []).append(d)
        words = sorted({key for key, _ in groups})
        out: dict[int, float] = {}
        for exact, kind, w in ((False, _ALIAS, 0.9 * 0.85), (False, _LABEL, 0.85), (True, _ALIAS, 0.9),
                               (True, _LABEL, 1.0)):
            for word in words:
                if (word == token) == exact and (word, kind) in groups:
                    out.update(dict.fromkeys(groups[(word, kind)], w))
        return out

    def class_matches(self, token: str) -> set[int]:
        wanted = self.classes.get(token, ())
        if not wanted:
            return set()
        return {d for (d,) in self.conn.execute("SELECT d FROM members WHERE cls IN (SELECT value FROM json_each(?))",
                                                (json.dumps(sorted(wanted)),))}

    def linked_from_all(self, docs) -> list[tuple[int, list[int]]]:
        docs = list(docs)
        found: dict[int, list[int]] = {}
        if docs:
            for o, s in self.conn.execute("SELECT o, s FROM links WHERE o IN (SELECT value FROM json_each(?)) "
                                          "ORDER BY rowid", (json.dumps(docs),)):
                found.setdefault(o, []).append(s)
        return [(d, found.get(d, [])) for d in docs]

    def links_of_all(self, docs) -> dict[int, list[int]]:
        docs = list(docs)
        found: dict[int, list[int]] = {}
        if docs:
            for s, o in self.conn.execute("SELECT s, o FROM links WHERE s IN (SELECT value FROM json_each(?))",
                                          (json.dumps(docs),)):
                found.setdefault(s, []).append(o)
        return found

    def labels_of(self, docs) -> dict[int, str]:
        return self._docs("label", docs)

    def names_of(self, docs) -> dict[int, str]:
        return self._docs("names", docs)

    def iris_of(self, docs) -> dict[int, str]:
        return self._docs("iri", docs)

    def classes_of(self, docs) -> dict[int, list[str]]:
        return {d: list(self.class_sets[c]) for d, c in self._docs("cls", docs).items()}


def open_search(store) -> SearchDB | None:
    """Open a store's token index file if it exists and matches the store's data files."""
    path = index_path(store, FILE)
    if not os.path.exists(path):
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        meta = dict(conn.execute("SELECT key, value FROM meta"))
    except sqlite3.Error:
        return None
    if meta.get("version") != _VERSION or meta.get("stamp") != json.dumps(fingerprint(store.location())):
        conn.close()
        return None
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
            conn.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?)",
                             ((d, ix.docs[d], ix.labels[d], ix.names[d], ix.class_of[d]) for d in range(len(ix.docs))))
            conn.executemany("INSERT INTO post VALUES (?, ?, ?)",
                             ((key, kind, d) for kind, post in ((_LABEL, ix.label_post), (_ALIAS, ix.alias_post))
                              for key, docs in post.items() for d in docs))
            conn.executemany("INSERT INTO members VALUES (?, ?)",
                             ((cls, d) for cls, docs in ix.members.items() for d in docs))
            # in the order of the in-memory index's incoming lists
            conn.executemany("INSERT INTO links VALUES (?, ?)",
                             ((ix.in_idx[i], o) for o in range(len(ix.docs))
                              for i in range(ix.in_off[o], ix.in_off[o + 1])))
            words: dict[str, set[int]] = {}
            for post in (ix.label_post, ix.alias_post):
                for key, docs in post.items():
                    words.setdefault(key, set()).update(docs)
            conn.executemany("INSERT INTO words VALUES (?, ?)", sorted((k, len(v)) for k, v in words.items()))
            conn.executescript(_INDEXES)
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
