"""Paths on an on-disk store: the in-store expansion (batched queries per hop from both
ends) gives the same answers as the whole-graph projection, ranked alternatives included,
on many random pairs of a synthetic landscape joined to the bundled data.

Exposure keeps the projection on disk stores: with the expansion from one end it could
pick another route among near-equal ones (its fallback to the unweighted shortest path
breaks ties by graph order), which the projection does not."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from graph.errors import TechregError
from graph.network.paths import find_paths
from graph.stores.local import LocalStore, searches_in_store
from graph.stores.loading import init_store, load_files

ID = "https://w3id.org/techreg/id/"


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory):
    work = tmp_path_factory.mktemp("instore")
    data = work / "landscape.nq"
    generator = Path(__file__).resolve().parent / "benchmarks" / "synthetic.py"
    subprocess.run([sys.executable, str(generator), "--triples", "4000", "-o", str(data)], check=True,
                   capture_output=True)
    with open(data, "a", encoding="utf-8") as out:  # join the landscape to the bundled graph
        out.write(f"<{ID}bench-firm-0> <https://w3id.org/techreg/ontology#parentOrganization> <{ID}iqiyi> "
                  "<https://w3id.org/techreg/source/bench-0> .\n")
    store = LocalStore(work / "kb", "oxigraph:test")
    init_store(store)
    load_files(store, [data], check=False)
    yield store
    store.close()


def _both(store, fn):
    answers = []
    for in_store in (False, True):
        store.searches_in_store = in_store
        store.derived.clear()
        try:
            answer = fn().as_dict()
            # "nearest" (a hint when no path exists) looks only at the explored part in
            # the store: it may name other entities than the whole projection does
            answer.pop("nearest", None)
            answers.append(answer)
        except TechregError as exc:
            answers.append(("error", str(exc)))
    store.searches_in_store = False
    return answers


def _entities(store) -> list[str]:
    rows = store.select("""SELECT DISTINCT ?x WHERE { ?x a ?c
        VALUES ?c { tr:Company tr:Product tr:Regulator tr:Law tr:Statute tr:Regulation tr:Measures } }""")
    return sorted(r["x"].value for r in rows)


def test_small_stores_project_and_large_ones_search_in_the_store(tmp_path, disk_store):
    assert not searches_in_store(None)
    assert not searches_in_store(tmp_path / "missing")
    assert not searches_in_store(disk_store.path)  # a few MB: the projection is faster


@pytest.mark.slow
def test_in_store_paths_equal_projected_paths_on_random_pairs(disk_store):
    rng = random.Random(14)
    entities = _entities(disk_store)
    ids = "https://w3id.org/techreg/id/"
    # pairs known to be connected within 4 hops, then random pairs (mostly unconnected)
    pairs = [(ids + "yunmanman", ids + "data-security-law"), (ids + "didi-global", ids + "hfcaa"),
             (ids + "kanzhun", ids + "cac")]
    pairs += [tuple(rng.sample(entities, 2)) for _ in range(40)]
    found = 0
    for s, t in pairs:
        projected, in_store = _both(disk_store, lambda: find_paths(disk_store, s, t, k=3, max_hops=4))
        if isinstance(projected, dict) and not projected["paths"]:
            # without a path, the note on hub-only connections and the nearest entities
            # are judged on the explored part only (hubs are not expanded there)
            assert in_store["paths"] == [], (s, t)
            continue
        assert in_store == projected, (s, t)
        found += bool(isinstance(projected, dict) and projected["paths"])
    assert found >= 3  # some pairs are connected within 4 hops: not only empty answers compared


@pytest.mark.slow
def test_in_store_paths_skip_hubs_and_still_equal_projected_paths(disk_store, monkeypatch):
    """With a low hub degree many nodes are hubs: the in-store search does not expand
    them (their statements are not fetched) and still finds the projection's paths."""
    import networkx as nx

    from graph.network import neighbourhood, rules
    from graph.network.projection import project

    monkeypatch.setattr(rules, "HUB_DEGREE", 12)
    disk_store.searches_in_store = False
    disk_store.derived.clear()
    g = project(disk_store).graph.to_undirected(as_view=True)
    hubs = {n for n in g if g.degree(n) > 12}
    assert len(hubs) > 20  # the rule has work to do
    plain = g.subgraph(n for n in g if n not in hubs)
    wanted = set(_entities(disk_store))
    rng = random.Random(12)
    pairs = []
    for s in rng.sample(sorted(wanted - hubs), 200):
        near = sorted(n for n, d in nx.single_source_shortest_path_length(plain, s, cutoff=3).items()
                      if d >= 2 and n in wanted)
        if near:
            pairs.append((s, rng.choice(near)))
        if len(pairs) == 12:
            break
    fetched: list[str] = []
    edges = neighbourhood._edges
    monkeypatch.setattr(neighbourhood, "_edges", lambda store, nodes: fetched.extend(nodes) or edges(store, nodes))
    for s, t in pairs:
        projected, in_store = _both(disk_store, lambda: find_paths(disk_store, s, t, k=3, max_hops=4))
        assert isinstance(projected, dict) and projected["paths"], (s, t)
        assert in_store == projected, (s, t)
    # the hubs were reached but not expanded: fewer nodes expanded than with them
    skipped = set()
    for s, t in pairs:
        expanded = []
        for expand in (True, False):
            fetched.clear()
            disk_store.derived.clear()
            neighbourhood.around(disk_store, [s], 4, towards=t, expand_hubs=expand)
            expanded.append(set(fetched))
        assert expanded[1] <= expanded[0], (s, t)
        skipped |= expanded[0] - expanded[1]
    assert skipped and skipped <= hubs
