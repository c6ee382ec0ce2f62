"""Benchmark remote stores (issue 14, item 6) against the local on-disk store, by hand:
``python tests/benchmarks/bench_remote.py [--triples N] [--engines oxigraph,virtuoso]``.

On a synthetic landscape of about N quads (default 100,000; ``synthetic.py``) and for each
store (``oxigraph:DIR``, an ``oxigraph serve`` process, a Virtuoso process, both started
here on 127.0.0.1 as the tests start them), whole processes of the command line:

1. ``techreg --store S init`` (the bundled knowledge base and the ontology);
2. ``techreg --store S load --no-check FILE`` (the landscape; into a remote store through
   staging graphs and one switch, then the entailments);
3. ``techreg --store S path FIRM LAW --format json`` and ``techreg --store S exposure FIRM
   --format json`` (a leaf firm and a law its ultimate parent was acted on under), the
   median of ``--runs`` after one warm-up, and whether the JSON equals the local store's.

Loads run once (a second load would add nothing).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import Table, fmt_s, machine, process_times, revision, synthetic_file

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


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--engines", default="oxigraph,virtuoso")
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
            table = Table(f"whole processes, {land.quads:,} synthetic quads",
                          ["store", "init", "load --no-check", "path", "exposure", "same JSON as local"])
            reference: dict[str, str] = {}
            for name, (spec, _) in stores.items():
                t_init, done = _run(["--store", spec, "init"])
                assert done.returncode == 0, done.stderr
                t_load, done = _run(["--store", spec, "load", "--no-check", str(path)])
                assert done.returncode == 0, done.stderr
                commands = {"path": [sys.executable, "-m", "graph", "--store", spec, "path", firm, law, "--format", "json"],
                            "exposure": [sys.executable, "-m", "graph", "--store", spec, "exposure", firm, "--format", "json"]}
                os.environ["PYTHONPATH"] = str(REPO)
                times = process_times(commands, runs=args.runs, warmup=1, cwd=str(REPO))
                same = []
                for what, cmd in commands.items():
                    out = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO).stdout
                    reference.setdefault(what, out)
                    same.append(f"{what}: {'yes' if json.loads(out) == json.loads(reference[what]) else 'NO'}")
                table.add(name, fmt_s(t_init), fmt_s(t_load), fmt_s(times["path"]), fmt_s(times["exposure"]),
                          ", ".join(same))
                print(f"  {name}: init {fmt_s(t_init)}, load {fmt_s(t_load)}, path {fmt_s(times['path'])}, "
                      f"exposure {fmt_s(times['exposure'])}, {', '.join(same)}", flush=True)
            table.print()
            print(f"path {firm} -> {law}; {times['_tool']}")
        finally:
            for stop, server in servers:
                stop(server)


if __name__ == "__main__":
    main()
