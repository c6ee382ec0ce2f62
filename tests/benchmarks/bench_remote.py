"""Benchmark remote stores (issue 14, item 6) against the local on-disk store, by hand:
``python tests/benchmarks/bench_remote.py [--triples N] [--engines oxigraph,virtuoso]``.

On a synthetic landscape of about N quads (default 100,000; ``synthetic.py``) and for each
store (``oxigraph:DIR``, an ``oxigraph serve`` process, a Virtuoso process, both started
here on 127.0.0.1 as the tests start them), whole processes of the command line:

1. ``techreg --store S init`` (the bundled knowledge base and the ontology);
2. ``techreg --store S load --no-check FILE`` (the landscape; into a remote store through
   staging graphs and one switch, then the entailments);
3. ``stats``, ``path FIRM LAW``, ``exposure FIRM`` (a leaf firm and a law its ultimate
   parent was acted on under) and one library query (``--query``), all ``--format json``,
   the median of ``--runs`` after ``--warmup`` warm-ups, and whether the JSON equals the
   local store's;
4. in the same run, the raw engine work they are compared with: the engine's own bulk
   load of the same file into an empty store (pyoxigraph ``bulk_load``, ``oxigraph load``,
   Virtuoso's ``ld_dir`` + ``rdf_loader_run``), one COUNT query straight over HTTP, and a
   bare ``python -c "import rdflib, networkx"``.

Loads run once (a second load would add nothing).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import Table, fmt_s, machine, ratio, revision, synthetic_file

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))


def _curie(iri: str) -> str:
    return "id:" + iri.rsplit("/", 1)[1]


def _run(argv: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "TECHREG_REMOTE_UPDATE_TIMEOUT": "3600",
           "TECHREG_REMOTE_TIMEOUT": "600"}
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "graph", *argv], capture_output=True, text=True, env=env, cwd=REPO)
    return time.perf_counter() - t0, done


def _timed(argv: list[str], runs: int, warmup: int) -> tuple[float | None, str, str]:
    """Median wall time of a whole ``techreg`` process, its last stdout, and "" or why it failed."""
    times, out = [], ""
    for i in range(warmup + runs):
        t, done = _run(argv)
        if done.returncode != 0:
            return None, done.stdout, f"exit {done.returncode}: {done.stderr.strip()[-300:]}"
        out = done.stdout
        if i >= warmup:
            times.append(t)
    return statistics.median(times), out, ""


def _bare_python() -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import rdflib, networkx"], check=True)
    return time.perf_counter() - t0


def _raw_load(name: str, server, path: Path, tmp: Path) -> float | None:
    """The engine's own bulk load of the same file into an empty store, in seconds."""
    t0 = time.perf_counter()
    if server is None:  # the local store: pyoxigraph's bulk_load
        subprocess.run([sys.executable, "-c", "import pyoxigraph as ox, sys; s = ox.Store(sys.argv[1]); "
                        "s.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS); s.flush()",
                        str(tmp / "raw-local"), str(path)], check=True)
    elif "oxigraph" in name:
        subprocess.run([shutil.which("oxigraph"), "load", "--location", str(tmp / "raw-oxigraph"), "--file", str(path)],
                       check=True, capture_output=True)
    else:  # Virtuoso's bulk loader (ld_dir + rdf_loader_run), into a graph of its own
        isql = shutil.which("isql-vt") or shutil.which("isql")
        shutil.copy(path, server.location / path.name)
        sql = (f"ld_dir('.', '{path.name}', 'https://example.org/raw-load'); rdf_loader_run(); checkpoint;")
        subprocess.run([isql, f"127.0.0.1:{server.sql_port}", "dba", "dba", f"exec={sql}"], check=True,
                       capture_output=True, timeout=7200)
    return time.perf_counter() - t0


def _raw_query(server, query: str) -> float | None:
    """One SELECT straight over HTTP (no techreg), in seconds."""
    import urllib.parse
    import urllib.request

    if server is None:
        return None
    body = urllib.parse.urlencode({"query": query, "default-graph-uri": "https://w3id.org/techreg/graph/merged"}).encode()
    t0 = time.perf_counter()
    request = urllib.request.Request(server.query_url, data=body, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        response.read()
    return time.perf_counter() - t0


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--engines", default="oxigraph,virtuoso")
    ap.add_argument("--query", default="largest-fines", help="the library query timed")
    ap.add_argument("--no-local", action="store_true", help="skip the local store (its row is the reference)")
    args = ap.parse_args(argv)

    import conftest

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path, land, gen = synthetic_file(args.triples, args.seed, tmp)
        firm, law = _curie(land.firm), _curie(land.law)
        print(f"# {machine()}; techreg {revision(REPO)}; {land.quads:,} quads in {path.name} ({fmt_s(gen)} to write)", flush=True)
        stores = {} if args.no_local else {"local oxigraph:DIR": (f"oxigraph:{tmp / 'local'}", None)}
        servers = []
        try:
            for engine in args.engines.split(","):
                if engine == "oxigraph":
                    server = conftest._start_oxigraph(tmp / "oxigraph" / "db")
                    servers.append((conftest._stop_oxigraph, server))
                    stores["oxigraph serve"] = (server.spec, server)
                elif engine == "virtuoso":
                    server = conftest._start_virtuoso(tmp / "virtuoso")
                    servers.append((conftest._stop_virtuoso, server))
                    stores["Virtuoso 7.2"] = (server.spec, server)
            commands = {"stats": ["stats", "--format", "json"],
                        "path": ["path", firm, law, "--format", "json"],
                        "exposure": ["exposure", firm, "--format", "json"],
                        args.query: ["query", args.query, "--format", "json"]}
            table = Table(f"whole processes, {land.quads:,} synthetic quads (ratios: load to the engine's raw bulk "
                          "load, the others to a bare python -c 'import rdflib, networkx')",
                          ["store", "init", "load --no-check", "raw load", "raw COUNT query", *commands,
                           "same JSON as local"])
            reference: dict[str, str] = {}
            for name, (spec, server) in stores.items():
                t_init, done = _run(["--store", spec, "init"])
                assert done.returncode == 0, done.stderr
                t_load, done = _run(["--store", spec, "load", "--no-check", str(path)])
                assert done.returncode == 0, done.stderr
                print(f"  {name}: init {fmt_s(t_init)}, load {fmt_s(t_load)}", flush=True)
                bare = _bare_python()
                cells, same = {}, []
                for what, cmd in commands.items():
                    t, out, error = _timed(["--store", spec, *cmd], args.runs, args.warmup)
                    cells[what] = f"{fmt_s(t)} ({ratio(t, bare)})" if t is not None else error
                    print(f"  {name}: {what} {cells[what]}", flush=True)
                    if t is not None and what != "stats":
                        reference.setdefault(what, out)
                        same.append(f"{what}: {'yes' if json.loads(out) == json.loads(reference[what]) else 'NO'}")
                raw_q = _raw_query(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
                raw = _raw_load(name, server, path, tmp)
                table.add(name, fmt_s(t_init), f"{fmt_s(t_load)} ({ratio(t_load, raw)})", fmt_s(raw), fmt_s(raw_q),
                          *cells.values(), ", ".join(same))
                print(f"  {name}: raw load {fmt_s(raw)}, raw COUNT query {fmt_s(raw_q)}, bare python {fmt_s(bare)}, "
                      f"{', '.join(same)}", flush=True)
            table.print()
            print(f"path {firm} -> {law}; median of {args.runs} after {args.warmup} warm-up")
        finally:
            for stop, server in servers:
                stop(server)


if __name__ == "__main__":
    main()
