"""Benchmark path queries (issue 3) against raw networkx, by hand:
``python tests/benchmarks/bench_paths.py [--triples N]``.

On a synthetic landscape of about N quads (default 1,000,000; see ``synthetic.py``) it
measures, in one process:

1. loading the landscape into a techreg in-memory ``Store`` and materialising the
   entailments (context only: ``bench_store.py`` compares loading with raw pyoxigraph);
2. building the projection, ``graph.network.projection.project(store)``: time and peak memory;
3. raw networkx building "the same graph" straight from the edge list the generator
   returns (the asserted object-property statements plus the entailed ``controlledBy``
   edges of parent chains, as the projection has them) and weighting it with techreg's
   rule (relation weight + mean ``log2(1 + degree)`` of the two ends; jurisdictions and
   nodes of degree > ``HUB_DEGREE`` left out, the two ends kept): time and peak memory;
4. a firm-to-law path query, a leaf firm to a law its ultimate parent was acted on
   under (three hops), once the projection is built: ``graph.network.paths.find_paths(store,
   firm, law, k=3)`` and ``k=1``, against networkx running the same search on the raw
   graph (``nx.shortest_simple_paths``, Yen's algorithm, with the same weights, paths
   longer than ``max_hops`` skipped, for k=3; ``nx.bidirectional_dijkstra`` for k=1),
   median of ``--runs`` after a warm-up. Target: techreg within 2x of raw networkx;
5. whole processes on the bundled data: ``techreg path Yunmanman "Data Security Law"``
   against ``python -c "import rdflib, networkx"`` (target: within 1.5x), and the cold
   start of ``techreg stats`` against ``python -c "import rdflib"`` (issue 2's figure),
   with hyperfine when installed (``apt-get install hyperfine``), else
   ``time.perf_counter`` around ``subprocess.run``; the median of 10 runs after 2 warm-ups.

Memory: loading is measured as the peak RSS increase during the step (``VmHWM`` reset
through ``/proc/self/clear_refs``; see ``_common.py``), since the store lives in Rust. The
graphs and the searches are pure Python, where RSS deltas mislead (freed memory is
reused), so they are measured with tracemalloc (peak of Python allocations during the
step) in a second, untimed run: the projection is rebuilt for it by bumping
``store.generation``, which invalidates techreg's caches.

The context table also shows what the path query would cost if the weighted search graph
were cached with the projection (Yen's algorithm on the full weighted graph, hubs hidden
by a weight function that returns ``None`` for them), the fix this benchmark points to.
``--profile`` adds a cProfile of one ``find_paths`` call.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from itertools import islice
from pathlib import Path

from _common import (Table, fmt_mb, fmt_s, machine, median_time, process_times, ratio, revision, step,
                     synthetic_file, traced)

REPO = Path(__file__).resolve().parents[2]


def load_store(path: Path):
    """A techreg in-memory store with the ontology and the landscape, entailments materialised."""
    from graph.model.entail import materialise
    from graph.model.iris import ONTOLOGY_IRI
    from graph.stores.local import LocalStore as Store
    from graph.stores.rdfio import parse_files

    store = Store(None)
    quads = parse_files([REPO / "ontology" / "techreg.ttl"], default_graph=ONTOLOGY_IRI)
    quads += parse_files([path])
    store.add(quads)
    del quads
    materialise(store)
    return store


def raw_graph(edges, hubs_by_class, hub_degree, relation_weights, keep):
    """Build networkx graphs straight from the (s, predicate, o) edge list, weighted as techreg weighs."""
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_edges_from((s, o, p) for s, p, o in edges)
    deg = dict(g.degree())
    hubs = (set(hubs_by_class) | {n for n, d in deg.items() if d > hub_degree}) - set(keep)
    penalty = {n: math.log2(1 + d) for n, d in deg.items()}
    simple = nx.Graph()
    for u, v, k in g.edges(keys=True):
        if u in hubs or v in hubs or u == v:
            continue
        w = relation_weights.get(k, 1.0) + (penalty[u] + penalty[v]) / 2
        old = simple.get_edge_data(u, v)
        if old is None or (w, k) < (old["weight"], old["key"]):
            simple.add_edge(u, v, weight=w, key=k)
    return g, simple


def raw_k_paths(simple, s, t, k, max_hops):
    import networkx as nx

    found = []
    for nodes in nx.shortest_simple_paths(simple, s, t, weight="weight"):
        if len(nodes) - 1 > max_hops:
            continue
        found.append(nodes)
        if len(found) >= k:
            break
    return found


def path_cost(simple, nodes):
    return sum(simple[a][b]["weight"] for a, b in zip(nodes, nodes[1:]))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description="Path queries: techreg vs raw networkx (issue 3)")
    ap.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic landscape (default 1,000,000)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--runs", type=int, default=5, help="timed runs per path query (median)")
    ap.add_argument("--cli-runs", type=int, default=10, help="runs per whole-process measurement (median)")
    ap.add_argument("--no-cli", action="store_true", help="skip the whole-process measurements")
    ap.add_argument("--profile", action="store_true", help="cProfile one find_paths(k=3) call")
    args = ap.parse_args(argv)

    import networkx as nx

    from graph.network import paths as tpaths
    from graph.network.projection import project

    print(f"bench_paths: {machine()}; networkx {nx.__version__}; {revision(REPO)}")
    results = Table(f"Path queries on the synthetic landscape (--triples {args.triples:,}, seed {args.seed})",
                    ["step", "techreg", "raw networkx", "ratio", "target", "met"])
    context = Table("Context", ["step", "time", "peak RSS increase", "notes"])

    with tempfile.TemporaryDirectory(prefix="techreg-bench-") as tmp:
        with step() as gen:
            path, land, _ = synthetic_file(args.triples, args.seed, tmp)
        context.add("generate N-Quads", fmt_s(gen.seconds), fmt_mb(gen.peak_mb),
                    f"{land.quads:,} quads, {len(land.edges):,} object-property edges")
        with step() as ld:
            store = load_store(path)
        context.add("techreg load + materialise", fmt_s(ld.seconds), fmt_mb(ld.peak_mb), f"{len(store):,} quads in store")
    firm, law = land.firm, land.law

    # -- projection vs raw graph --------------------------------------------
    with step() as pj:
        projection = project(store)
    g = projection.graph
    from synthetic import control_closure

    edges = land.edges + control_closure(land.edges)
    with step() as rb:
        raw_multi, raw_simple = raw_graph(edges, land.jurisdictions, tpaths.HUB_DEGREE, tpaths.RELATION_WEIGHTS,
                                          keep=[firm, law])
    store.generation += 1  # invalidate techreg's caches to measure the projection's memory
    _, pj_mem = traced(lambda: project(store))
    projection = project(store)
    g = projection.graph
    _, rb_mem = traced(lambda: raw_graph(edges, land.jurisdictions, tpaths.HUB_DEGREE, tpaths.RELATION_WEIGHTS,
                                         keep=[firm, law]))
    results.add("build graph: time", fmt_s(pj.seconds), fmt_s(rb.seconds), ratio(pj.seconds, rb.seconds), "-", "-")
    results.add("build graph: peak memory (tracemalloc)", fmt_mb(pj_mem), fmt_mb(rb_mem), ratio(pj_mem, rb_mem),
                "-", "-")
    context.add("build graph: peak RSS increase", "", f"techreg {fmt_mb(pj.peak_mb)}, raw {fmt_mb(rb.peak_mb)}",
                "projection = SPARQL rows + name index + MultiDiGraph; raw = MultiDiGraph + weighted Graph")
    context.add("projection size", "", "",
                f"techreg {g.number_of_nodes():,} nodes / {g.number_of_edges():,} edges; "
                f"raw {raw_multi.number_of_nodes():,} / {raw_multi.number_of_edges():,}")

    # -- the path query -------------------------------------------------------
    rows = {}
    for k in (3, 1):
        t_med, res, t_all = median_time(lambda: tpaths.find_paths(store, firm, law, k=k), runs=args.runs)
        if k == 3:
            r_med, raw, _ = median_time(lambda: raw_k_paths(raw_simple, firm, law, 3, 6), runs=args.runs)
            raw_paths = raw
        else:
            r_med, raw, _ = median_time(lambda: nx.bidirectional_dijkstra(raw_simple, firm, law, weight="weight"),
                                        runs=args.runs)
            raw_paths = [raw[1]]
        ours = [[n.iri for n in p.nodes] for p in res.paths]
        same_costs = [round(p.cost, 6) for p in res.paths] == [round(path_cost(raw_simple, p), 6) for p in raw_paths]
        rows[k] = (t_med, r_med)
        met = "yes" if t_med <= 2 * r_med else "NO"
        results.add(f"path query k={k} (projection built)", fmt_s(t_med), fmt_s(r_med), ratio(t_med, r_med),
                    "<= 2x", met)
        context.add(f"path k={k} answer", "", "",
                    f"{len(ours)} path(s), hops {[len(p) - 1 for p in ours]}; same costs as raw: {same_costs}; "
                    f"same node lists: {sorted(ours) == sorted(raw_paths)}")
    bfs_med, _, _ = median_time(lambda: nx.bidirectional_shortest_path(raw_simple, firm, law), runs=args.runs)
    context.add("raw unweighted bidirectional BFS", fmt_s(bfs_med), "", "for reference (DESIGN.md quotes 40 ms)")
    _, fp_mem = traced(lambda: tpaths.find_paths(store, firm, law, k=3))
    _, rs_mem = traced(lambda: raw_k_paths(raw_simple, firm, law, 3, 6))
    results.add("path query k=3: peak memory (tracemalloc)", fmt_mb(fp_mem), fmt_mb(rs_mem), ratio(fp_mem, rs_mem),
                "-", "-")

    # what the query would cost with the weighted graph cached per projection (the proposed fix)
    full = raw_graph(edges, [], float("inf"), tpaths.RELATION_WEIGHTS, keep=[])[1]  # no hub dropped
    hubs = (set(land.jurisdictions) | {n for n, d in raw_multi.degree() if d > tpaths.HUB_DEGREE}) - {firm, law}

    def hidden(u, v, d):
        return None if u in hubs or v in hubs else d["weight"]

    fix_med, fix_paths, _ = median_time(
        lambda: list(islice((p for p in nx.shortest_simple_paths(full, firm, law, weight=hidden) if len(p) - 1 <= 6), 3)),
        runs=args.runs)
    context.add("k=3 with a cached weighted graph", fmt_s(fix_med), "",
                f"hubs hidden by a weight function; {ratio(fix_med, rows[3][1])} of raw; same paths: "
                f"{fix_paths == raw_k_paths(raw_simple, firm, law, 3, 6)}")
    fix1_med, fix1, _ = median_time(lambda: nx.bidirectional_dijkstra(full, firm, law, weight=hidden), runs=args.runs)
    context.add("k=1 with a cached weighted graph", fmt_s(fix1_med), "",
                f"bidirectional Dijkstra, same weight function; {ratio(fix1_med, rows[1][1])} of raw; same path: "
                f"{fix1[1] == nx.bidirectional_dijkstra(raw_simple, firm, law, weight='weight')[1]}")

    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        tpaths.find_paths(store, firm, law, k=3)
        prof.disable()
        print("\ncProfile of one find_paths(k=3) call, top 25 by cumulative time:")
        pstats.Stats(prof, stream=sys.stdout).sort_stats("cumulative").print_stats(25)

    # -- whole processes ----------------------------------------------------
    if not args.no_cli:
        bindir = Path(sys.executable).parent
        techreg = str(bindir / "techreg") if (bindir / "techreg").exists() else "techreg"
        py = sys.executable
        with tempfile.TemporaryDirectory() as cwd:  # not the repository: the installed package's data
            times = process_times({
                "techreg path": [techreg, "path", "Yunmanman", "Data Security Law"],
                "import rdflib, networkx": [py, "-c", "import rdflib, networkx"],
                "techreg stats": [techreg, "stats"],
                "import rdflib": [py, "-c", "import rdflib"],
                "python -c pass": [py, "-c", "pass"],
            }, runs=args.cli_runs, warmup=2, cwd=cwd)
        a, b = times["techreg path"], times["import rdflib, networkx"]
        results.add('`techreg path Yunmanman "Data Security Law"` vs `python -c "import rdflib, networkx"`',
                    fmt_s(a), fmt_s(b), ratio(a, b), "<= 1.5x", "yes" if a <= 1.5 * b else "NO")
        a, b = times["techreg stats"], times["import rdflib"]
        results.add('`techreg stats` vs `python -c "import rdflib"` (issue 2)', fmt_s(a), fmt_s(b), ratio(a, b),
                    "-", "-")
        context.add("whole-process timing", fmt_s(times["python -c pass"]), "",
                    f"`python -c pass`; {times['_tool']}; direct executables ({techreg}, {py})")

    context.print()
    results.print()


if __name__ == "__main__":
    main()
