"""Whole-process start-up of ``techreg stats`` and ``techreg path`` on the bundled data.

Each command is timed as a whole process against a bare ``python -c "import rdflib,
networkx"`` in the same run, for this checkout and, with ``--against DIR``, for another
checkout of the project (for example the revision before a change), so that a change's
effect on start-up is a pair of ratios measured side by side::

    git worktree add /tmp/before HEAD~1
    python tests/benchmarks/bench_startup.py --against /tmp/before
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Table, process_times  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = {
    "stats": ["stats"],
    "path": ["path", "Yunmanman", "Data Security Law"],
}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="another checkout of the project to time side by side")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    trees = {"this checkout": ROOT}
    if args.against:
        trees["--against"] = args.against.resolve()
    py = sys.executable
    commands = {"import rdflib, networkx": [py, "-c", "import rdflib, networkx"]}
    for tree_name, tree in trees.items():
        for name, cmd in COMMANDS.items():
            # run each tree's own package, whatever is installed
            commands[f"{tree_name}: techreg {name}"] = [
                py, "-c", f"import sys, runpy; sys.path.insert(0, {str(tree)!r}); sys.argv[0] = 'techreg'; "
                          "runpy.run_module('graph', run_name='__main__')", *cmd]
    env_path = os.environ.get("PYTHONPATH")
    if env_path:
        print(f"note: PYTHONPATH={env_path} is set", file=sys.stderr)
    times = process_times(commands, runs=args.runs)
    tool = times.pop("_tool")
    base = times["import rdflib, networkx"]
    table = Table(f"Whole-process start-up ({tool})", ["process", "median (s)", "ratio to bare import"])
    for name, seconds in times.items():
        table.add(name, f"{seconds:.3f}", f"{seconds / base:.2f}x")
    table.print()


if __name__ == "__main__":
    main()
