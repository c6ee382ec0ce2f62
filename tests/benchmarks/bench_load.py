"""Writes to an on-disk store, whole processes (issue 14): all-or-nothing ``load`` checked and
``--no-check`` against raw pyoxigraph ``bulk_load`` into an empty store; adding 10k quads
to the big store against adding them to a fresh one; disk size against the raw store;
``techreg path`` against a bare ``python -c "import rdflib, networkx"``.

Run from the repository root::

    python tests/benchmarks/bench_load.py --triples 100000
    python tests/benchmarks/bench_load.py --triples 1000000 --skip-checked   # no 1M checked load
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Table, fmt_s, machine, ratio, synthetic_file  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    proc = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    return took


def techreg(store: Path, *args: str) -> float:
    return _run([sys.executable, "-m", "graph", "--store", f"oxigraph:{store}", *args])


def raw_bulk_load(store: Path, file: Path) -> float:
    code = ("import sys, pyoxigraph as ox; s = ox.Store(sys.argv[1]); "
            "s.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS); s.flush()")
    return _run([sys.executable, "-c", code, str(store), str(file)])


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def increment(n: int, work: Path, tag: str) -> Path:
    """A landscape of about ``n`` quads whose IRIs differ from the big file's."""
    small, _, _ = synthetic_file(n, 7, work)
    out = work / f"increment-{tag}-{n}.nq"
    out.write_text(small.read_text(encoding="utf-8").replace("/bench-", f"/{tag}-"), encoding="utf-8")
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=100_000)
    ap.add_argument("--increment", type=int, default=10_000)
    ap.add_argument("--skip-checked", action="store_true", help="no checked load of the big file")
    ap.add_argument("--workdir", help="keep the stores here (default: a temporary directory)")
    a = ap.parse_args(argv)
    work = Path(a.workdir or tempfile.mkdtemp(prefix="bench-load-"))
    work.mkdir(parents=True, exist_ok=True)
    big, land, _ = synthetic_file(a.triples, 42, work)
    inc, inc2 = increment(a.increment, work, "inc"), increment(a.increment, work, "inc2")
    print(machine(), f"| {a.triples:,} quads | work in {work}")

    times: dict[str, float] = {}
    raw = work / "raw"
    times["raw bulk_load"] = raw_bulk_load(raw, big)

    unchecked = work / "unchecked"
    times["init"] = techreg(unchecked, "init")
    times["load --no-check"] = techreg(unchecked, "load", "--no-check", str(big))
    size_unchecked = du_mb(unchecked)
    times["+inc --no-check into big"] = techreg(unchecked, "load", "--no-check", str(inc))
    fresh = work / "fresh-unchecked"
    techreg(fresh, "init")
    times["+inc --no-check into fresh"] = techreg(fresh, "load", "--no-check", str(inc))
    fresh_checked = work / "fresh-checked"
    techreg(fresh_checked, "init")
    times["+inc checked into fresh"] = techreg(fresh_checked, "load", str(inc2))
    times["+inc checked into big"] = techreg(unchecked, "load", str(inc2))
    if not a.skip_checked:
        checked = work / "checked"
        techreg(checked, "init")
        times["load (checked)"] = techreg(checked, "load", str(big))
        shutil.rmtree(checked)

    firm, law = land.firm, land.law
    times["bare import rdflib, networkx"] = min(_run([sys.executable, "-c", "import rdflib, networkx"]) for _ in range(3))
    times["techreg path"] = min(techreg(unchecked, "path", firm, law, "--format", "json") for _ in range(3))

    t = Table(f"Writes and path on disk at {a.triples:,} quads (+{a.increment:,})", ["what", "time", "ratio", "against"])
    t.add("load --no-check", fmt_s(times["load --no-check"]), ratio(times["load --no-check"], times["raw bulk_load"]),
          "raw bulk_load")
    if "load (checked)" in times:
        t.add("load (checked)", fmt_s(times["load (checked)"]), ratio(times["load (checked)"], times["raw bulk_load"]),
              "raw bulk_load")
    for kind in ("--no-check", "checked"):
        into_big, into_fresh = times[f"+inc {kind} into big"], times[f"+inc {kind} into fresh"]
        t.add(f"+{a.increment:,} {kind} into big", fmt_s(into_big), ratio(into_big, into_fresh), "same into a fresh store")
    t.add("techreg path (process)", fmt_s(times["techreg path"]),
          ratio(times["techreg path"], times["bare import rdflib, networkx"]), "bare import rdflib, networkx")
    raw_size = du_mb(raw)
    t.add("disk after load", f"{size_unchecked:,.0f} MB", ratio(size_unchecked, raw_size), f"raw store {raw_size:,.0f} MB")
    t.print()
    print("\nall timings (s):", {k: round(v, 2) for k, v in times.items()})
    if not a.workdir:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
