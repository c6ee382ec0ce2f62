"""Whole-process ``techreg search``, ``path`` and ``exposure`` on a large on-disk store
(issue 12 item 6, issue 14 item 1), against a bare ``python -c "import rdflib, networkx"``
and ``techreg --help`` in the same run, and ``path`` through ``oxigraph serve`` over the
same data (a copy of the directory with the remote layout added; same JSON checked).

The commands run interleaved (one round runs each command once), so that load from
other processes falls on all of them alike; the table gives medians and the ratio of
medians. The first use of a store builds its index files (timed once, apart).

Run from the repository root::

    python tests/benchmarks/bench_lookup.py --triples 100000
    python tests/benchmarks/bench_lookup.py --store DIR --from IRI --to IRI   # an existing store
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Table, fmt_s, machine, synthetic_file  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


CPU: dict[str, list[float]] = {}


def _once(argv: list[str], env: dict | None = None, name: str | None = None) -> tuple[float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(argv, env={**ENV, **(env or {})}, cwd=ROOT, capture_output=True, text=True)
    took = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if name:  # CPU seconds (user + system) of the process: less disturbed by other load than wall time
        CPU.setdefault(name, []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed:\n{proc.stderr[-2000:]}")
    return took, proc.stdout


def interleaved(commands: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(_once(argv, name=name)[0])
    return times


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(location: Path):
    exe = shutil.which("oxigraph")
    if exe is None:
        return None, None
    port = _free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "?" + urllib.parse.urlencode({"query": "ASK {}"}), timeout=2):
                return proc, f"sparql:{url},http://127.0.0.1:{port}/update"
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    return None, None


def remote_copy(store: Path, dest: Path) -> Path:
    """A copy of a local store's directory with the remote layout added (the merged
    default graph copied into the merged named graph, the source graphs catalogued), so
    that ``techreg --store sparql:...`` reads the same data through ``oxigraph serve``."""
    import pyoxigraph as ox

    from graph.model.iris import ENTAILED_GRAPH, ONTOLOGY_IRI
    from graph.stores.layout import CATALOG_GRAPH, MERGED_GRAPH, NAMED_GRAPH_CLASS

    if dest.exists():
        return dest
    tmp = dest.with_name(dest.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(store, tmp, ignore=shutil.ignore_patterns("techreg-*", "LOCK"))
    db = ox.Store(str(tmp))
    merged, catalog = ox.NamedNode(MERGED_GRAPH), ox.NamedNode(CATALOG_GRAPH)
    chunk = []
    for q in db.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        chunk.append(ox.Quad(q.subject, q.predicate, q.object, merged))
        if len(chunk) >= 200_000:
            db.bulk_extend(chunk)
            chunk = []
    skip = {ENTAILED_GRAPH, ONTOLOGY_IRI, MERGED_GRAPH, CATALOG_GRAPH}
    chunk += [ox.Quad(g, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                      ox.NamedNode(NAMED_GRAPH_CLASS), catalog)
              for g in list(db.named_graphs()) if isinstance(g, ox.NamedNode) and g.value not in skip]
    db.bulk_extend(chunk)
    db.flush()
    del db
    tmp.rename(dest)
    return dest


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=100_000)
    ap.add_argument("--store", help="an existing on-disk store (not written; its index files are made)")
    ap.add_argument("--from", dest="source", help="path start (default: the synthetic path question)")
    ap.add_argument("--to", dest="target")
    ap.add_argument("--search", default="Firm 72 Holdings fine", help="the search text")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-serve", action="store_true")
    ap.add_argument("--exposure", action="store_true", help="also time exposure (the whole projection on disk)")
    a = ap.parse_args(argv)
    if a.store:
        store = Path(a.store)
        source, target = a.source, a.target
    else:
        work = Path(tempfile.mkdtemp(prefix="bench-lookup-"))
        data, land, _ = synthetic_file(a.triples, 42, work)
        source, target = a.source or land.firm, a.target or land.law
        store = work / "store"
        for args in (["init"], ["load", "--no-check", str(data)]):
            subprocess.run([sys.executable, "-m", "graph", "--store", f"oxigraph:{store}", *args], env=ENV,
                           cwd=ROOT, check=True, capture_output=True)
    print(machine(), f"| store {store}")
    tr = [sys.executable, "-m", "graph", "--store", f"oxigraph:{store}"]
    path_cmd = ["path", source, target, "--format", "json"]
    first = {name: _once(tr + cmd)[0] for name, cmd in (("search (first: builds index files)", ["search", a.search]),
                                                         ("path (first)", path_cmd))}
    commands = {
        "bare import rdflib, networkx": [sys.executable, "-c", "import rdflib, networkx"],
        "techreg --help": [sys.executable, "-m", "graph", "--help"],
        "techreg search": tr + ["search", a.search],
        "techreg path": tr + path_cmd,
    }
    if a.exposure:
        commands["techreg exposure"] = tr + ["exposure", source, "--format", "json"]
    times = interleaved(commands, a.runs)
    med = {k: statistics.median(v) for k, v in times.items()}
    bare, helpt = med["bare import rdflib, networkx"], med["techreg --help"]
    cpu = {k: statistics.median(v) for k, v in CPU.items()}
    t = Table(f"whole processes, interleaved, median of {a.runs}",
              ["command", "median", "vs bare import", "over --help", "CPU s", "CPU vs bare", "all runs"])
    for name, v in med.items():
        c = cpu[name]
        t.add(name, fmt_s(v), f"{v / bare:.2f}x", f"{v - helpt:+.2f} s", f"{c:.2f}",
              f"{c / cpu['bare import rdflib, networkx']:.2f}x", " ".join(f"{x:.2f}" for x in times[name]))
    for name, v in first.items():
        t.add(name, fmt_s(v), f"{v / bare:.2f}x", "", "", "", "once")
    t.print()
    if not a.no_serve:
        _, local_json = _once(tr + path_cmd)
        copy = remote_copy(store, store.with_name(store.name + "-remote-layout"))
        proc, spec = serve(copy)
        if proc is None:
            print("oxigraph serve: not available")
            return
        try:
            remote = [sys.executable, "-m", "graph", "--store", spec] + path_cmd
            took = []
            for _ in range(a.runs):
                x, out = _once(remote, {"TECHREG_REMOTE_TIMEOUT": "900"})
                took.append(x)
            same = json.loads(out) == json.loads(local_json)
            print(f"techreg path through oxigraph serve over a copy of the directory with the remote layout: median {statistics.median(took):.2f} s "
                  f"(runs {' '.join(f'{x:.2f}' for x in took)}); same JSON as on disk: {same}")
        finally:
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
