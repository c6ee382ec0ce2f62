"""The layout holds: no import circles, no module over 600 lines, one Store interface whose
derived data belongs to the store object."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "graph"


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every module of graph/ and the graph/ modules it imports (inside functions too)."""
    out: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        mod = _module(path)
        pkg = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
        out.setdefault(mod, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = pkg.split(".")[: len(pkg.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    as_path = PACKAGE.parent.joinpath(*sub.split("."))
                    name = sub if as_path.with_suffix(".py").exists() or (as_path / "__init__.py").exists() else target
                    if name != mod:
                        out[mod].add(name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("graph.") and alias.name != mod:
                        out[mod].add(alias.name)
    return out


def test_no_import_circles():
    import networkx as nx

    graph = nx.DiGraph()
    for mod, targets in _imports().items():
        graph.add_node(mod)
        graph.add_edges_from((mod, t) for t in targets)
    assert graph.number_of_edges() > 50  # the walk found the imports
    assert list(nx.simple_cycles(graph)) == []


def test_no_module_over_600_lines():
    sizes = {str(p.relative_to(PACKAGE)): len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.rglob("*.py")}
    assert len(sizes) > 30
    assert {name: n for name, n in sizes.items() if n > 600} == {}


def test_no_cache_is_keyed_by_object_identity():
    offenders = [f"{p.relative_to(PACKAGE)}:{i}" for p in PACKAGE.rglob("*.py")
                 for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"\bid\((store|self|projection|index)\b", line)]
    assert offenders == []


def test_no_caller_asks_which_kind_of_store_it_holds():
    offenders = [f"{p.relative_to(PACKAGE)}:{i}" for p in PACKAGE.rglob("*.py") if p.parent.name != "stores"
                 for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"(hasattr|getattr)\(store\b|store\._ox\b|isinstance\(store", line)]
    assert offenders == []


@pytest.mark.parametrize("spec_kind", ["memory", "disk"])
def test_every_store_implements_the_interface(spec_kind, tmp_path):
    from graph.stores import open_store
    from graph.stores.base import Store

    store = open_store("empty" if spec_kind == "memory" else f"oxigraph:{tmp_path / 'kb'}")
    assert isinstance(store, Store)
    assert store.kind == spec_kind and store.describe()["kind"] == spec_kind
    assert store.persistent is (spec_kind == "disk")
    store.close()


def test_a_write_drops_the_derived_data_of_that_store_only(tmp_path):
    from graph.lookup.names import resolve
    from graph.errors import UnknownName
    from graph.stores import open_store
    from graph.stores.loading import init_store, load_files

    first = open_store(f"oxigraph:{tmp_path / 'a'}")
    init_store(first)
    other = open_store("memory")
    assert resolve(first, "Yunmanman") == resolve(other, "Yunmanman")  # both build their name index
    with pytest.raises(UnknownName):
        resolve(first, "Probe Platform Ltd")
    fact = tmp_path / "new.trig"
    fact.write_text("""
        @prefix tr: <https://w3id.org/techreg/ontology#> . @prefix id: <https://w3id.org/techreg/id/> .
        @prefix src: <https://w3id.org/techreg/source/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix dcterms: <http://purl.org/dc/terms/> . @prefix schema: <https://schema.org/> .
        src:probe { id:probe-platform a tr:Company ; rdfs:label "Probe Platform Ltd"@en ;
                      tr:parentOrganization id:full-truck-alliance . }
        src:probe a tr:Source ; dcterms:publisher "Probe" ; schema:url "https://example.org/probe" .
        """, encoding="utf-8")
    load_files(first, [fact], check=False)
    # the same object sees the new entity at once: its name index and projection were dropped
    assert resolve(first, "Probe Platform Ltd") == "https://w3id.org/techreg/id/probe-platform"
    from graph.network.paths import find_paths

    assert find_paths(first, "Probe Platform Ltd", "Full Truck Alliance", k=1).paths
    # the other store never shared the derived data
    with pytest.raises(UnknownName):
        resolve(other, "Probe Platform Ltd")
    assert first.derived is not other.derived
    first.close()


def test_a_new_store_object_never_sees_a_dropped_store_s_derived_data():
    import gc

    from graph.lookup.names import name_index
    from graph.stores import open_store

    full = open_store("memory")
    assert name_index(full).known("https://w3id.org/techreg/id/yunmanman")
    del full
    gc.collect()
    for _ in range(5):  # new objects, possibly at the dropped one's address
        empty = open_store("empty")
        assert not name_index(empty).known("https://w3id.org/techreg/id/yunmanman")
