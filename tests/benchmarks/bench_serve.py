"""Loopback load test of ``techreg serve`` beside ``oxigraph serve`` on the same data.

Both servers hold the bundled knowledge base (Oxigraph gets the memory store's dump,
default graph included, so the same queries give the same answers). ``--clients``
concurrent clients (asyncio + httpx, keep-alive) send requests for ``--duration`` seconds:

* ``sparql``: the library's queries (parameters bound to their defaults) as SPARQL 1.1
  POST forms asking for JSON, to both servers;
* ``pages``: entity pages (HTML) of techreg serve (Oxigraph has none);
* ``mixed``: both, alternately, against techreg serve.

techreg serve runs with its rate limit off (``--rate-limit 0``). Reported for each run:
requests per second, p50/p99 latency, non-2xx answers (by status) and transport errors
(dropped or refused connections, timeouts).

    python tests/benchmarks/bench_serve.py                       # 20 clients, 30 s per run
    python tests/benchmarks/bench_serve.py --clients 5 --duration 5   # smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with {process.returncode}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{what} did not answer within 60 s")


def workload():
    """The library queries (defaults bound, project prefixes written out) and entity slugs."""
    from graph.lookup.names import name_index
    from graph.model.iris import ID_NS, sparql_prologue
    from graph.query.library import library
    from graph.query.params import bind_params
    from graph.stores import open_store
    import pyoxigraph as ox

    store = open_store("memory")
    queries = []
    for q in library().values():
        text = bind_params(store, q.text, {}, q.params)
        queries.append((q.name, sparql_prologue(text) + text))
    index = name_index(store)
    slugs = sorted(iri[len(ID_NS):] for iri, classes in index.types.items()
                   if iri.startswith(ID_NS) and {"Company", "Regulator", "Law", "Statute"} & set(classes))[:200]
    dump = store.dump(ox.RdfFormat.N_QUADS, default_graph=True)
    return queries, slugs, dump


async def client_loop(client, requests, deadline, results, offset):
    i = offset
    while time.monotonic() < deadline:
        method, url, kwargs = requests[i % len(requests)]
        i += 1
        start = time.perf_counter()
        try:
            r = await client.request(method, url, **kwargs)
            await r.aread()
            results.append((time.perf_counter() - start, r.status_code))
        except httpx.HTTPError as exc:
            results.append((time.perf_counter() - start, type(exc).__name__))


async def load(requests, clients: int, duration: float) -> dict:
    results: list = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        # warm up: every request once
        for method, url, kwargs in requests:
            await client.request(method, url, **kwargs)
        deadline = time.monotonic() + duration
        started = time.monotonic()
        await asyncio.gather(*(client_loop(client, requests, deadline, results, k * 7) for k in range(clients)))
        elapsed = time.monotonic() - started
    latencies = sorted(t for t, _ in results)
    codes = Counter(c for _, c in results)
    ok = sum(n for c, n in codes.items() if isinstance(c, int) and 200 <= c < 300)
    return {
        "requests": len(results), "rps": len(results) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else float("nan"),
        "ok": ok, "non_2xx": {c: n for c, n in codes.items() if isinstance(c, int) and not 200 <= c < 300},
        "transport_errors": {c: n for c, n in codes.items() if not isinstance(c, int)},
    }


def sparql_requests(endpoint: str, queries) -> list:
    return [("POST", endpoint, {"data": {"query": text}, "headers": {"Accept": "application/sparql-results+json"}})
            for _, text in queries]


def page_requests(base: str, slugs) -> list:
    return [("GET", f"{base}/id/{slug}", {"headers": {"Accept": "text/html"}}) for slug in slugs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--skip-oxigraph", action="store_true")
    args = parser.parse_args()

    queries, slugs, dump = workload()
    print(f"workload: {len(queries)} library queries, {len(slugs)} entity pages, "
          f"{args.clients} clients, {args.duration:g} s per run; {os.cpu_count()} CPUs", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    processes = []
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        port = free_port()
        techreg = subprocess.Popen([sys.executable, "-m", "graph", "serve", "--port", str(port), "--rate-limit", "0"],
                                   env=env, stdout=subprocess.DEVNULL, stderr=(tmp / "techreg.log").open("wb"))
        processes.append(techreg)
        base = f"http://127.0.0.1:{port}"
        wait_ready(base + "/sparql", techreg, "techreg serve")
        runs = []
        if not args.skip_oxigraph:
            exe = shutil.which("oxigraph")
            (tmp / "kb.nq").write_bytes(dump)
            subprocess.run([exe, "load", "--location", str(tmp / "ox"), "--file", str(tmp / "kb.nq")], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            oport = free_port()
            oxi = subprocess.Popen([exe, "serve-read-only", "--location", str(tmp / "ox"), "--bind", f"127.0.0.1:{oport}"],
                                   stdout=subprocess.DEVNULL, stderr=(tmp / "oxigraph.log").open("wb"))
            processes.append(oxi)
            wait_ready(f"http://127.0.0.1:{oport}/query", oxi, "oxigraph serve")
            runs.append(("oxigraph serve", "sparql", sparql_requests(f"http://127.0.0.1:{oport}/query", queries)))
        runs.append(("techreg serve", "sparql", sparql_requests(base + "/sparql", queries)))
        runs.append(("techreg serve", "pages", page_requests(base, slugs)))
        mixed = [r for pair in zip(sparql_requests(base + "/sparql", queries) * 6, page_requests(base, slugs)) for r in pair]
        runs.append(("techreg serve", "mixed", mixed))
        print(f"\n{'server':16} {'workload':8} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}  errors")
        for server, kind, requests in runs:
            out = asyncio.run(load(requests, args.clients, args.duration))
            errors = {**out["non_2xx"], **out["transport_errors"]} or "none"
            print(f"{server:16} {kind:8} {out['requests']:>9} {out['rps']:>8.1f} {out['p50_ms']:>8.1f} "
                  f"{out['p99_ms']:>8.1f}  {errors}", flush=True)
    finally:
        for p in processes:
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
