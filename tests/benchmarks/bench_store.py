"""Benchmark techreg's stores (issue 4) against raw pyoxigraph and raw rdflib, by hand:
``python tests/benchmarks/bench_store.py [--triples N] [--rdflib-triples M]``.

On the synthetic landscape of about N quads (default 1,000,000; ``synthetic.py``), written
once as an N-Quads file, each configuration runs in a fresh worker process (so that peak
memory and caches are its own) and reports:

- load: the time to get the file into the store, and the peak RSS increase meanwhile;
  techreg = ``Store.load_paths([file])`` (Oxigraph's parser, then the merge into the default graph) (+ ``flush`` on
  disk), which writes every quad to its source graph and its triple to the merged default
  graph. ``materialise`` (entailments) is timed separately and is not part of "load",
  since raw pyoxigraph has no counterpart; techreg's queries run after it, on the store as
  techreg leaves it. Raw pyoxigraph = ``Store().bulk_load(path=file)`` (and, for
  reference, the transactional ``Store().load``); raw rdflib =
  ``rdflib.Dataset(default_union=True).parse(file, format="nquads")``;
- a 3-hop join: regulators -> their actions -> the targets -> the targets' parent firms
  -> those parents' listings (exchange and ticker), every row read;
- a property-path query: ``tr:parentOrganization+`` from every leaf firm, counted.

How the comparison is kept fair: techreg's default graph is the deduplicated merge of all
named graphs, so techreg queries it without ``GRAPH``; a raw pyoxigraph store loaded from
the same file has an empty default graph, so raw pyoxigraph runs the same query text with
``use_default_graph_as_union=True`` (rdflib: ``Dataset(default_union=True)``). The union
is a bag: a triple stated by two sources counts twice. The synthetic data restates the
type and label of some firms in a second source, so the queries avoid those patterns
(they use only relations stated once), and the benchmark checks that every engine returns
the same number of rows and the same count.

Each query runs once to warm up, then ``--runs`` times (median). techreg is measured at
three layers: ``Store.query`` (the engine, rows read as tuples, as the raw baseline
reads them), ``Store.select`` (rows as dicts, what the library uses) and
``graph.query.run.run_query`` (what ``techreg query`` does: a forked child with the 30 s
time limit, SPARQL JSON results, parsed back into rows).

rdflib's engine is far too slow at 1M quads (DESIGN.md: minutes per join), so rdflib runs
at ``--rdflib-triples`` (default 50,000) next to techreg and raw pyoxigraph at that size,
each rdflib step capped at ``--rdflib-cap`` seconds. ``--profile`` prints a cProfile of
techreg's in-memory load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PREFIXES = {
    "tr": "https://w3id.org/techreg/ontology#",
    "id": "https://w3id.org/techreg/id/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}
PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

JOIN_QUERY = """SELECT ?regulator ?action ?target ?parent ?exchange ?ticker WHERE {
  ?regulator a tr:Regulator .
  ?action tr:issuedBy ?regulator ;
          tr:target ?target .
  ?target tr:parentOrganization ?parent .
  ?listing tr:listedCompany ?parent ;
           tr:exchange ?exchange ;
           tr:ticker ?ticker .
}"""

PATH_QUERY = """SELECT (COUNT(*) AS ?pairs) WHERE {
  ?leaf tr:parentOrganization ?parent .
  FILTER NOT EXISTS { ?child tr:parentOrganization ?leaf }
  ?leaf tr:parentOrganization+ ?ancestor .
}"""

QUERIES = {"join": JOIN_QUERY, "path": PATH_QUERY}


# -- workers (one configuration per process) -----------------------------------

def _timed(fn, runs: int, budget: float | None = None):
    """Warm-up, then ``runs`` timed runs (fewer when a run exceeds ``budget``); median."""
    t0 = time.perf_counter()
    value = fn()
    first = time.perf_counter() - t0
    if budget is not None and first > budget:
        return first, value, "1 run (no warm-up: over budget)"
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), value, f"median of {runs} after 1 warm-up"


def _emit(obj: dict) -> None:
    print(json.dumps(obj), flush=True)


def _answer(rows) -> object:
    """A comparable digest: the row count, or the single count value."""
    if len(rows) == 1 and len(rows[0]) == 1:
        return int(rows[0][0].value if hasattr(rows[0][0], "value") else rows[0][0])
    return len(rows)


def worker(config: str, file: str, runs: int, workdir: str, cap: float, profile: bool) -> None:
    from _common import rss_mb, step

    _emit({"rss_start_mb": rss_mb()})
    if config.startswith("raw-ox"):
        import pyoxigraph as ox

        path = None
        if config.endswith("disk"):
            path = tempfile.mkdtemp(dir=workdir, prefix="raw-ox-")
        store = ox.Store(path) if path else ox.Store()
        with step() as ld:
            if "-load" in config:
                store.load(path=file, format=ox.RdfFormat.N_QUADS)
            else:
                store.bulk_load(path=file, format=ox.RdfFormat.N_QUADS)
            if path:
                store.flush()
        _emit({"load_s": ld.seconds, "load_peak_mb": ld.peak_mb, "quads": len(store), "rss_after_load_mb": rss_mb()})
        if "-load" in config:
            return
        for name, q in QUERIES.items():
            text = PROLOGUE + q
            med, rows, how = _timed(lambda: [tuple(r) for r in store.query(text, use_default_graph_as_union=True)],
                                    runs)
            _emit({f"{name}_s": med, f"{name}_answer": _answer(rows), f"{name}_how": how})
        if path:
            _emit({"disk_mb": _du(path)})
        return

    if config.startswith("techreg"):
        from graph.model.entail import materialise
        from graph.query.run import run_query
        from graph.stores.local import LocalStore as Store

        path = tempfile.mkdtemp(dir=workdir, prefix="techreg-") if config.endswith("disk") else None
        store = Store(path)
        prof = None
        if profile:
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        with step() as ld:  # one step: nested steps would reset each other's peak
            t0 = time.perf_counter()
            store.load_paths([file])
            t1 = time.perf_counter()
            parse_peak = rss_mb()
            store.flush()
            t2 = time.perf_counter()
        if prof:
            prof.disable()
        _emit({"load_s": ld.seconds, "load_peak_mb": ld.peak_mb, "parse_s": t1 - t0, "parse_rss_mb": parse_peak,
               "add_s": t2 - t1, "quads": len(store), "rss_after_load_mb": rss_mb()})
        if prof:
            import io
            import pstats

            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(12)
            _emit({"profile": buf.getvalue()})
        with step() as mt:
            materialise(store)
            store.flush()
        _emit({"materialise_s": mt.seconds, "materialise_peak_mb": mt.peak_mb, "quads_after_entail": len(store)})
        for name, q in QUERIES.items():
            med, rows, how = _timed(lambda: [tuple(r) for r in store.query(q)], runs)
            _emit({f"{name}_s": med, f"{name}_answer": _answer(rows), f"{name}_how": how})
            med, rows, _ = _timed(lambda: store.select(q), runs)
            _emit({f"{name}_select_s": med, f"{name}_select_answer": _answer([list(r.values()) for r in rows])})
            med, res, _ = _timed(lambda: run_query(store, q).rows(), runs)
            _emit({f"{name}_run_query_s": med, f"{name}_run_query_answer": _answer([list(r.values()) for r in res])})
        if path:
            _emit({"disk_mb": _du(path)})
        return

    if config == "rdflib":
        import rdflib

        ds = rdflib.Dataset(default_union=True)
        with step() as ld:
            ds.parse(file, format="nquads")
        _emit({"load_s": ld.seconds, "load_peak_mb": ld.peak_mb, "quads": len(list(ds.quads((None, None, None, None)))),
               "rss_after_load_mb": rss_mb()})
        for name, q in QUERIES.items():
            med, rows, how = _timed(lambda: [tuple(r) for r in ds.query(PROLOGUE + q)], runs=2, budget=5.0)
            _emit({f"{name}_s": med, f"{name}_answer": _answer(rows), f"{name}_how": how})
        return
    raise SystemExit(f"unknown config {config}")


def _du(path: str) -> float:
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total / 2**20


def run_worker(config: str, file: Path, runs: int, workdir: str, cap: float | None = None,
               profile: bool = False) -> dict:
    """Run one configuration in a fresh process; return what it reported (partial on a time cap)."""
    argv = [sys.executable, __file__, "--worker", config, "--file", str(file), "--runs", str(runs),
            "--workdir", workdir, "--rdflib-cap", str(cap or 0)] + (["--profile"] if profile else [])
    out: dict = {"config": config}
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=cap, cwd=str(Path(__file__).parent))
        stdout, err = proc.stdout, proc.stderr if proc.returncode else ""
    except subprocess.TimeoutExpired as exc:
        stdout = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        err, out["capped"] = "", cap
    for line in stdout.splitlines():
        if line.startswith("{"):
            out.update(json.loads(line))
    if err:
        out["error"] = err.strip().splitlines()[-1]
    out["wall_s"] = time.perf_counter() - t0
    return out


# -- the report ----------------------------------------------------------------

def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description="Stores: techreg vs raw pyoxigraph and rdflib (issue 4)")
    ap.add_argument("--triples", type=int, default=1_000_000, help="size of the landscape (default 1,000,000)")
    ap.add_argument("--rdflib-triples", type=int, default=50_000,
                    help="size at which rdflib runs, next to techreg and pyoxigraph (default 50,000; 0 to skip)")
    ap.add_argument("--rdflib-cap", type=float, default=300.0, help="seconds before the rdflib worker is stopped")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--runs", type=int, default=5, help="timed runs per query (median)")
    ap.add_argument("--no-disk", action="store_true", help="skip the on-disk stores")
    ap.add_argument("--profile", action="store_true", help="cProfile techreg's in-memory load")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--file", help=argparse.SUPPRESS)
    ap.add_argument("--workdir", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        worker(args.worker, args.file, args.runs, args.workdir, args.rdflib_cap, args.profile)
        return

    import pyoxigraph
    import rdflib

    from _common import Table, fmt_mb, fmt_s, machine, ratio, revision, synthetic_file

    print(f"bench_store: {machine()}; pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}; "
          f"{revision(REPO)}")
    with tempfile.TemporaryDirectory(prefix="techreg-bench-") as tmp:
        big, land, gen_s = synthetic_file(args.triples, args.seed, tmp)
        print(f"landscape: {land.quads:,} quads ({big.stat().st_size / 2**20:,.0f} MB N-Quads) in {gen_s:.1f} s")
        configs = ["raw-ox-mem", "raw-ox-mem-load", "techreg-mem"]
        if not args.no_disk:
            configs += ["raw-ox-disk", "raw-ox-disk-load", "techreg-disk"]
        res = {}
        for c in configs:
            res[c] = run_worker(c, big, args.runs, tmp, profile=args.profile and c == "techreg-mem")
            print(f"  {c}: done in {res[c]['wall_s']:.1f} s" + (f" ERROR {res[c]['error']}" if "error" in res[c] else ""),
                  flush=True)
        small = {}
        if args.rdflib_triples:
            n_small = min(args.rdflib_triples, args.triples)
            sfile, sland, _ = synthetic_file(n_small, args.seed, tmp)
            for c in ("raw-ox-mem", "techreg-mem", "rdflib"):
                small[c] = run_worker(c, sfile, args.runs, tmp, cap=args.rdflib_cap if c == "rdflib" else None)
                print(f"  {c} at {sland.quads:,}: done in {small[c]['wall_s']:.1f} s"
                      + (f" (capped at {args.rdflib_cap:g} s)" if small[c].get("capped") else ""), flush=True)

    def met(a, b, limit=1.3):
        return "-" if not a or not b else ("yes" if a <= limit * b else "NO")

    for kind in (["mem", "disk"] if not args.no_disk else ["mem"]):
        t, r, rl = res[f"techreg-{kind}"], res[f"raw-ox-{kind}"], res[f"raw-ox-{kind}-load"]
        where = "in memory" if kind == "mem" else "on disk"
        tab = Table(f"techreg Store ({where}) vs raw pyoxigraph {pyoxigraph.__version__}, {land.quads:,} quads "
                    f"(target: within 1.3x)", ["step", "techreg", "raw pyoxigraph", "ratio", "met", "notes"])
        tab.add("load (time)", fmt_s(t.get("load_s")), fmt_s(r.get("load_s")), ratio(t.get("load_s"), r.get("load_s")),
                met(t.get("load_s"), r.get("load_s")),
                f"raw = bulk_load; techreg = load_paths {fmt_s(t.get('parse_s'))} + flush {fmt_s(t.get('add_s'))}")
        tab.add("load vs raw Store.load", fmt_s(t.get("load_s")), fmt_s(rl.get("load_s")),
                ratio(t.get("load_s"), rl.get("load_s")), met(t.get("load_s"), rl.get("load_s")),
                "raw = transactional Store.load (reference)")
        tab.add("load (peak RSS increase)", fmt_mb(t.get("load_peak_mb")), fmt_mb(r.get("load_peak_mb")),
                ratio(t.get("load_peak_mb"), r.get("load_peak_mb")), met(t.get("load_peak_mb"), r.get("load_peak_mb")),
                f"raw Store.load: {fmt_mb(rl.get('load_peak_mb'))}; techreg RSS after parse_files "
                f"{fmt_mb(t.get('parse_rss_mb'))}")
        tab.add("RSS after load", fmt_mb(t.get("rss_after_load_mb")), fmt_mb(r.get("rss_after_load_mb")),
                ratio(t.get("rss_after_load_mb"), r.get("rss_after_load_mb")), "-",
                f"quads stored: techreg {t.get('quads', 0):,} (named + merged default), raw {r.get('quads', 0):,}")
        if kind == "disk":
            tab.add("size on disk", fmt_mb(t.get("disk_mb")), fmt_mb(r.get("disk_mb")),
                    ratio(t.get("disk_mb"), r.get("disk_mb")), "-", "after the queries; techreg includes entailments")
        tab.add("materialise (techreg only)", fmt_s(t.get("materialise_s")), "-", "-", "-",
                f"peak {fmt_mb(t.get('materialise_peak_mb'))}; {t.get('quads_after_entail', 0):,} quads after")
        for name, title in (("join", "3-hop join"), ("path", "property path")):
            same = t.get(f"{name}_answer") == r.get(f"{name}_answer") == t.get(f"{name}_select_answer") \
                == t.get(f"{name}_run_query_answer")
            note = f"answer {t.get(f'{name}_answer')} vs {r.get(f'{name}_answer')} ({'same' if same else 'DIFFERENT'})"
            tab.add(f"{title}: Store.query", fmt_s(t.get(f"{name}_s")), fmt_s(r.get(f"{name}_s")),
                    ratio(t.get(f"{name}_s"), r.get(f"{name}_s")), met(t.get(f"{name}_s"), r.get(f"{name}_s")), note)
            tab.add(f"{title}: Store.select", fmt_s(t.get(f"{name}_select_s")), fmt_s(r.get(f"{name}_s")),
                    ratio(t.get(f"{name}_select_s"), r.get(f"{name}_s")),
                    met(t.get(f"{name}_select_s"), r.get(f"{name}_s")), "rows as dicts")
            tab.add(f"{title}: run_query", fmt_s(t.get(f"{name}_run_query_s")), fmt_s(r.get(f"{name}_s")),
                    ratio(t.get(f"{name}_run_query_s"), r.get(f"{name}_s")),
                    met(t.get(f"{name}_run_query_s"), r.get(f"{name}_s")), "what `techreg query` runs")
        tab.print()
        for c in (t, r, rl):
            if "error" in c:
                print(f"  {c['config']} failed: {c['error']}")
    if "profile" in res.get("techreg-mem", {}):
        print("\ncProfile of techreg's in-memory load (Store.load_paths), top by own time:")
        print(res["techreg-mem"]["profile"])

    if small:
        t, r, rd = small["techreg-mem"], small["raw-ox-mem"], small["rdflib"]
        tab = Table(f"At {sland.quads:,} quads, in memory, with raw rdflib {rdflib.__version__} "
                    f"(Dataset(default_union=True), its own SPARQL engine; cap {args.rdflib_cap:g} s)",
                    ["step", "techreg", "raw pyoxigraph", "raw rdflib", "techreg/pyoxigraph", "techreg/rdflib",
                     "notes"])
        tab.add("load (time)", fmt_s(t.get("load_s")), fmt_s(r.get("load_s")), fmt_s(rd.get("load_s")),
                ratio(t.get("load_s"), r.get("load_s")), ratio(t.get("load_s"), rd.get("load_s")), "")
        tab.add("load (peak RSS increase)", fmt_mb(t.get("load_peak_mb")), fmt_mb(r.get("load_peak_mb")),
                fmt_mb(rd.get("load_peak_mb")), ratio(t.get("load_peak_mb"), r.get("load_peak_mb")),
                ratio(t.get("load_peak_mb"), rd.get("load_peak_mb")), "")
        for name, title in (("join", "3-hop join"), ("path", "property path")):
            rs = rd.get(f"{name}_s")
            tab.add(f"{title} (Store.select)", fmt_s(t.get(f"{name}_select_s")), fmt_s(r.get(f"{name}_s")),
                    fmt_s(rs) if rs else f"> {args.rdflib_cap:g} s (capped)",
                    ratio(t.get(f"{name}_select_s"), r.get(f"{name}_s")), ratio(t.get(f"{name}_select_s"), rs),
                    f"answers {t.get(f'{name}_answer')} / {r.get(f'{name}_answer')} / {rd.get(f'{name}_answer')}; "
                    f"rdflib {rd.get(f'{name}_how', '-')}")
        tab.print()


if __name__ == "__main__":
    main()
