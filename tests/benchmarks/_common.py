"""Shared helpers for the benchmarks: timing, peak memory, process timing, tables.

Peak memory is the peak resident set size (RSS) of the process during a step minus its
RSS when the step started. Linux keeps the peak in ``VmHWM`` (what
``resource.getrusage(...).ru_maxrss`` reports); writing ``5`` to ``/proc/self/clear_refs``
resets it to the current RSS, so each step gets its own peak. RSS is used rather than
tracemalloc because most of the memory of a pyoxigraph store lives in Rust, which
tracemalloc does not see (and tracemalloc slows pure-Python code several times).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

__all__ = ["Step", "step", "traced", "revision", "rss_mb", "median_time", "process_times", "Table", "synthetic_file", "fmt_s", "fmt_mb"]


def _status(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])  # kB
    return 0


def rss_mb() -> float:
    """The current resident set size in MB."""
    return _status("VmRSS") / 1024


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


class Step:
    """The wall time (s) and peak RSS increase (MB) of one step."""

    seconds: float = 0.0
    peak_mb: float = 0.0
    value: object = None


@contextmanager
def step():
    """Measure a block: ``with step() as s: ...`` then ``s.seconds``, ``s.peak_mb``."""
    s = Step()
    _reset_peak()
    before = _status("VmRSS")
    t0 = time.perf_counter()
    try:
        yield s
    finally:
        s.seconds = time.perf_counter() - t0
        s.peak_mb = max(0, _status("VmHWM") - before) / 1024


def traced(fn):
    """Run ``fn`` under tracemalloc; return (value, peak MB of Python allocations during the call)."""
    import tracemalloc

    tracemalloc.start()
    try:
        value = fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return value, peak / 2**20


def revision(repo) -> str:
    """The git commit of the library and how many of its files differ from it (others edit it too)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "graph"], cwd=repo, capture_output=True,
                               text=True).stdout.splitlines()
        return f"techreg at {head or '?'}" + (f" + {len(dirty)} uncommitted file(s) in graph/" if dirty else "")
    except OSError:
        return "techreg (no git)"


def median_time(fn, runs: int = 5, warmup: int = 1):
    """Run ``fn`` ``warmup`` times, then ``runs`` times; return (median seconds, last value, all times)."""
    value = None
    for _ in range(warmup):
        value = fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), value, times


def process_times(commands: dict[str, list[str]], runs: int = 10, warmup: int = 2, cwd: str | None = None):
    """Median wall time of whole processes, with hyperfine when installed.

    Parameters
    ----------
    commands : dict
        Name -> argv.
    Returns
    -------
    dict
        Name -> median seconds; and the tool used under the key ``"_tool"``.
    """
    out: dict[str, object] = {}
    hyperfine = shutil.which("hyperfine")
    if hyperfine:
        import shlex

        with tempfile.TemporaryDirectory() as tmp:
            export = Path(tmp) / "hf.json"
            argv = [hyperfine, "-N", "--warmup", str(warmup), "--runs", str(runs), "--export-json", str(export),
                    "--style", "none"]
            for name, cmd in commands.items():
                argv += ["-n", name, shlex.join(cmd)]
            subprocess.run(argv, check=True, cwd=cwd, stdout=subprocess.DEVNULL)
            for r in json.loads(export.read_text())["results"]:
                out[r["command"]] = r["median"]
        out["_tool"] = f"hyperfine -N, {warmup} warm-up + {runs} runs, median"
        return out
    for name, cmd in commands.items():
        times = []
        for i in range(warmup + runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if i >= warmup:
                times.append(time.perf_counter() - t0)
        out[name] = statistics.median(times)
    out["_tool"] = f"time.perf_counter around subprocess.run, {warmup} warm-up + {runs} runs, median"
    return out


def fmt_s(x: float | None) -> str:
    if x is None:
        return "-"
    if x >= 10:
        return f"{x:.1f} s"
    if x >= 1:
        return f"{x:.2f} s"
    return f"{x * 1000:.1f} ms" if x >= 0.01 else f"{x * 1000:.2f} ms"


def fmt_mb(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f} MB"


class Table:
    """A plain-text table printed at the end of a benchmark."""

    def __init__(self, title: str, headers: list[str]):
        self.title = title
        self.headers = headers
        self.rows: list[list[str]] = []

    def add(self, *cells) -> None:
        self.rows.append([str(c) for c in cells])

    def render(self) -> str:
        widths = [max(len(h), *(len(r[i]) for r in self.rows)) if self.rows else len(h)
                  for i, h in enumerate(self.headers)]
        line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
        out = [self.title, line(self.headers), line(["-" * w for w in widths])]
        out += [line(r) for r in self.rows]
        return "\n".join(out)

    def print(self) -> None:
        print()
        print(self.render())
        sys.stdout.flush()


def ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "-"
    return f"{a / b:.2f}x"


def synthetic_file(n: int, seed: int, directory: str | Path):
    """Write (or reuse) the synthetic landscape of about ``n`` quads in ``directory``.

    Returns (path, Landscape, seconds to generate).
    """
    from synthetic import write_nquads

    path = Path(directory) / f"synthetic-{n}-{seed}.nq"
    t0 = time.perf_counter()
    land = write_nquads(path, n, seed)
    return path, land, time.perf_counter() - t0


def machine() -> str:
    import platform

    return (f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
            f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB RAM, {platform.system()}")
