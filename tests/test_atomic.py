"""All-or-nothing writes to an on-disk store: ``load`` and ``import`` killed with SIGKILL
at several moments leave the store exactly as before or exactly as after.

Each run is a real ``python -m graph`` process on a copy of one initialised store; the
store is then reopened (which finishes a committed write from its journal) and its quads
compared, sorted, with the store before the write and after an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FRACTIONS = (0.1, 0.4, 0.8, 0.95)


def _techreg(*args: str, **kw) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "graph", *args], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def _digest(directory: Path) -> tuple[int, str]:
    """Open the store (finishing any committed write) and hash its sorted quads."""
    from graph.stores.local import LocalStore

    store = LocalStore(directory, f"oxigraph:{directory}")
    try:
        lines = sorted(str(q) for q in store._ox)
    finally:
        store.close()
    assert not list(directory.glob("techreg-pending*")), "the journal outlived the reopening"
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _input(tmp_path: Path, command: str) -> list[str]:
    if command == "load":
        data = tmp_path / "landscape.nq"
        subprocess.run([sys.executable, str(ROOT / "tests" / "benchmarks" / "synthetic.py"), "--triples", "30000",
                        "-o", str(data)], check=True, capture_output=True)
        return ["load", "--no-check", str(data)]
    rows = ["kind,id,type,label,aliases,mic,parent,jurisdiction,source"]
    rows += [f"entity,atomic-test-firm-{i},Company,Atomic Test Firm {i},,,,United States of America,github-mic-iso10383"
             for i in range(2000)]
    data = tmp_path / "firms.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return ["import", str(data)]


@pytest.mark.slow
@pytest.mark.parametrize("command", ["load", "import"])
def test_a_killed_write_leaves_the_store_as_before_or_as_after(tmp_path, command):
    template = tmp_path / "template"
    init = _techreg("--store", f"oxigraph:{template}", "init")
    assert init.wait() == 0, init.stderr.read()
    args = _input(tmp_path, command)
    before = _digest(template)

    complete = tmp_path / "complete"
    shutil.copytree(template, complete)
    start = time.monotonic()
    proc = _techreg("--store", f"oxigraph:{complete}", *args)
    assert proc.wait() == 0, proc.stderr.read()
    duration = time.monotonic() - start
    after = _digest(complete)
    assert after[0] > before[0] + 1000

    outcomes = []
    # at fractions of the measured duration, and the moment the journal commits
    for i, moment in enumerate([*FRACTIONS, "commit"]):
        copy = tmp_path / f"kill-{i}"
        shutil.copytree(template, copy)
        proc = _techreg("--store", f"oxigraph:{copy}", *args)
        if moment == "commit":
            deadline = time.monotonic() + 10 * duration
            while not (copy / "techreg-pending.json").exists() and proc.poll() is None:
                assert time.monotonic() < deadline
                time.sleep(0.002)
        else:
            time.sleep(moment * duration)
        proc.send_signal(signal.SIGKILL)
        code = proc.wait()
        state = _digest(copy)
        assert state in (before, after), f"kill at {moment}: {state[0]} quads, before {before[0]}, after {after[0]}"
        outcomes.append((moment, code, "before" if state == before else "after"))
    killed = [o for o in outcomes if o[1] == -signal.SIGKILL]
    assert len(killed) >= 3, outcomes  # most kills must land while the command runs
    assert any(o[0] == "commit" and o[1] == -signal.SIGKILL and o[2] == "after" for o in outcomes), outcomes
