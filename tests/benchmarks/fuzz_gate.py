"""A longer run of the gate-versus-engine property of tests/test_safety.py, by hand.

    PYTHONPATH=$PWD python tests/benchmarks/fuzz_gate.py 20000

Generates queries hiding SERVICE behind escapes, comments, strings, IRIs, prefixed names
and case; evaluates each with pyoxigraph (no gate) on an empty store against a local
listener, as written and with its \\u escapes decoded (how other engines read it); and
counts: queries the engine sent a request for, of those how many the gate refused (must
be all), and how many the gate refused where no reading sent anything.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from graph.errors import BadInput  # noqa: E402
from graph.query.lexer import unescape_codepoints  # noqa: E402
from graph.query.safety import check_safety  # noqa: E402
from listener import Listener  # noqa: E402
from test_safety import _engine_calls, hidden_service  # noqa: E402


def main(n: int) -> int:
    listener = Listener().start()
    counts = {"examples": 0, "engine_sent": 0, "refused_of_sent": 0, "missed": 0, "refused_no_request": 0,
              "passed_no_request": 0}
    missed: list[str] = []

    @settings(max_examples=n, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(hidden_service(listener.url))
    def run(query):
        counts["examples"] += 1
        sent = any(_engine_calls(listener, r) for r in {query, unescape_codepoints(query)})
        try:
            check_safety(query, local_graphs=set())
            refused = False
        except BadInput:
            refused = True
        if sent:
            counts["engine_sent"] += 1
            counts["refused_of_sent"] += refused
            if not refused:
                counts["missed"] += 1
                missed.append(query)
        else:
            counts["refused_no_request" if refused else "passed_no_request"] += 1

    start = time.perf_counter()
    run()
    listener.stop()
    counts["seconds"] = round(time.perf_counter() - start, 1)
    print(counts)
    for q in missed[:5]:
        print("MISSED:", repr(q))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
