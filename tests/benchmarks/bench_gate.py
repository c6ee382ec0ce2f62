"""The cost of the safety gate on every library query, beside pyoxigraph running the
same query on the bundled store.

    PYTHONPATH=$PWD python tests/benchmarks/bench_gate.py [--runs 50]

For each ``examples/queries/*.rq`` (parameters bound to their defaults): the median time
of ``check_safety`` with its cache cleared before every call (what a new query costs),
the median with the cache warm (a repeated query), the median time pyoxigraph takes to
evaluate and serialize the query on the in-memory bundled store, and the median of
``run_query`` (gate + forked child + transfer), which is what ``techreg query`` pays.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from graph.query.library import library  # noqa: E402
from graph.query.params import bind_params  # noqa: E402
from graph.query.run import _evaluate, run_query  # noqa: E402
from graph.query.safety import _read, check_safety  # noqa: E402
from graph.stores import open_store  # noqa: E402


def _median(fn, runs: int, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    store = open_store("memory")
    graphs = set(store.named_graphs())
    rows = []
    for name, q in sorted(library().items()):
        text = bind_params(store, q.text, {}, q.params)
        gate = _median(lambda: check_safety(text, local_graphs=graphs), args.runs, _read.cache_clear)
        cached = _median(lambda: check_safety(text, local_graphs=graphs), args.runs)
        engine = _median(lambda: _evaluate(store, text), args.runs)
        full = _median(lambda: run_query(store, text, timeout=30), max(args.runs // 5, 3))
        rows.append((name, len(text), gate, cached, engine, full))
    print(f"{'query':34} {'chars':>6} {'gate ms':>8} {'cached':>8} {'engine ms':>10} {'gate/eng':>8} {'run_query ms':>12}")
    for name, n, gate, cached, engine, full in rows:
        print(f"{name:34} {n:6d} {gate * 1e3:8.3f} {cached * 1e3:8.4f} {engine * 1e3:10.3f} {gate / engine:8.2f} "
              f"{full * 1e3:12.2f}")
    med = [statistics.median(col) for col in zip(*[r[2:] for r in rows])]
    print(f"{'MEDIAN over ' + str(len(rows)) + ' queries':34} {'':6} {med[0] * 1e3:8.3f} {med[1] * 1e3:8.4f} "
          f"{med[2] * 1e3:10.3f} {med[0] / med[2]:8.2f} {med[3] * 1e3:12.2f}")


if __name__ == "__main__":
    main()
