"""The indexes an on-disk store keeps in SQLite files beside it (names and search tokens)
give the answers of the in-memory indexes, are read rather than rebuilt by a new process,
and never outlive a write (a killed write included)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap

import pytest

from graph.lookup import names as names_mod
from graph.lookup import search as search_mod
from graph.lookup.namedb import NameDB
from graph.lookup.searchdb import SearchDB
from graph.stores import open_store
from graph.stores.loading import init_store

QUERIES = ["Didi fine", "Amazon GDPR", "滴滴 罚款", "TikTok", "fine", "review", "Meta", "data security law",
           "CAC", "Nasdaq", "ant group", "网络安全", "SEC", "penalty Amazon", "Luxembourg", "Byte", "a", "zz-none"]


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    path = tmp_path_factory.mktemp("indexes") / "kb"
    store = open_store(f"oxigraph:{path}")
    init_store(store)
    store.close()
    return path


def _words(store, n: int) -> list[str]:
    index = names_mod.name_index(store)
    words = sorted({w for folded, *_ in index.entries for w in folded.split()})
    rng = random.Random(7)
    picked = rng.sample(words, min(n, len(words)))
    return picked + [f"{a} {b}" for a, b in zip(picked, reversed(picked))][: n // 2]


def test_search_from_the_file_equals_the_in_memory_index(kb):
    store = open_store(f"oxigraph:{kb}")
    try:
        queries = QUERIES + _words(store, 80)
        store.derived.clear()
        assert isinstance(search_mod.search_index(store), search_mod.SearchIndex)  # first: built and written
        assert (kb / "techreg-index-search.sqlite").exists()
        store.derived.clear()
        assert isinstance(search_mod.search_index(store), SearchDB)

        def answers():
            out = []
            for q in queries:
                for limit in (1, 3, 20):
                    out.append([vars(h) for h in search_mod.token_search(store, q, limit=limit)])
                out.append([h.iri for h in search_mod.token_search(
                    store, q, limit=5, keep=lambda iri: "amazon" not in iri)])
            return out

        from_file = answers()
        store.derived.clear()
        store.cached("search", lambda: search_mod._build(store))
        assert from_file == answers()
        assert sum(bool(a) for a in from_file) > len(from_file) // 2  # most queries find something
    finally:
        store.close()


def test_names_from_the_file_equal_the_in_memory_index(kb):
    store = open_store(f"oxigraph:{kb}")
    try:
        store.derived.clear()
        names_mod.name_lookup(store)  # builds the file if missing
        store.derived.clear()
        db = names_mod.name_lookup(store)
        assert isinstance(db, NameDB)
        index = names_mod.name_index(store)
        rng = random.Random(3)
        for folded, iri, _, _ in rng.sample(index.entries, 300):
            assert db.exact(folded) == index.exact(folded)
            prefix = folded.split(" ")[0] + " "
            assert [tuple(r) for r in db.starting(prefix)] == list(index.starting(prefix))
            assert (db.label(iri), db.classes(iri), db.known(iri)) == (index.label(iri), index.classes(iri), True)
            assert db.types.get(iri) == index.types.get(iri)
        assert not db.known("https://w3id.org/techreg/id/no-such-thing")

        def choices():
            out = []
            for name in ["TikTok", "Didi", "Amazon", "Meta Platforms", "CAC", "id:cac", "Ant", "Dataa Security Law"]:
                try:
                    c = names_mod.choose(store, name)
                    out.append((c.iri, c.alternatives))
                except Exception as exc:  # the same error, suggestions included
                    out.append((type(exc).__name__, str(exc)))
            return out

        from_file = choices()
        store.derived.clear()
        store.cached("names:lookup", lambda: names_mod.name_index(store))
        assert from_file == choices()
    finally:
        store.close()


def test_a_write_removes_the_files_and_a_killed_write_leaves_none(kb, tmp_path):
    store = open_store(f"oxigraph:{kb}")
    search_mod.token_search(store, "Didi fine")
    names_mod.resolve(store, "TikTok")
    store.close()
    files = [kb / "techreg-index-search.sqlite", kb / "techreg-index-names.sqlite"]
    assert all(f.exists() for f in files)
    stamps = [f.stat().st_mtime_ns for f in files]
    subprocess.run([sys.executable, "-m", "graph", "--store", f"oxigraph:{kb}", "search", "Didi fine"],
                   check=True, capture_output=True)
    assert [f.stat().st_mtime_ns for f in files] == stamps  # read, not rebuilt

    # a write killed part-way (SIGKILL while it parses a large file): the files are gone
    data = tmp_path / "big.nt"
    with open(data, "w", encoding="utf-8") as out:
        for i in range(400_000):
            out.write(f'<https://w3id.org/techreg/id/k{i}> <http://www.w3.org/2000/01/rdf-schema#label> "Kill {i}" .\n')
    code = textwrap.dedent(f"""
        from graph.stores import open_store
        s = open_store("oxigraph:{kb}")
        print("open", flush=True)
        s.load_paths([{str(data)!r}], default_graph="https://w3id.org/techreg/source/kill")
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert proc.stdout.readline().strip() == "open"
    import time

    deadline = time.time() + 30
    while any(f.exists() for f in files) and time.time() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not any(f.exists() for f in files)
    store = open_store(f"oxigraph:{kb}")
    try:
        assert search_mod.token_search(store, "Didi fine")[0].curie == "id:cac-fine-didi-2022"
    finally:
        store.close()
