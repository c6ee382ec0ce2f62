"""Hostile endpoints: real HTTP servers on 127.0.0.1 that drip, stall, lie and flood.

Every command must end within its time limit plus a margin, exit 2 with a clear message,
and never print a traceback or run out of memory.
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graph.stores.http import RemoteError, RemoteTimeout, RemoteTooLarge
from graph.stores.remote import SparqlStore

ROOT = Path(__file__).resolve().parents[1]
_HEAD = b'{"head":{"vars":["s"]},"results":{"bindings":['
_ROW = b'{"s":{"type":"uri","value":"https://w3id.org/techreg/id/x"}},'


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    mode = "drip"

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        self._answer()

    do_GET = do_POST

    def _send_headers(self, media="application/sparql-results+json", length=None):
        self.send_response(200)
        self.send_header("Content-Type", media)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def _answer(self):
        mode = self.server.mode
        try:
            if mode == "drip":  # headers at once, then one byte a second for two minutes
                self._send_headers(length=200)
                for _ in range(120):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(1)
            elif mode == "stall":  # accept, then say nothing at all
                time.sleep(120)
            elif mode == "malformed":
                body = _HEAD + _ROW + b'{"s":{"type":"uri","val'
                self._send_headers(length=len(body))
                self.wfile.write(body)
            elif mode == "nested":
                body = _HEAD + b"[" * 200_000 + b"]" * 200_000 + b"]}}"
                self._send_headers(length=len(body))
                self.wfile.write(body)
            elif mode == "huge":  # valid JSON rows without a length, far more than the cap
                self._send_headers()
                self.wfile.write(_HEAD)
                for _ in range(100_000):
                    self.wfile.write(_ROW * 10)
                self.wfile.write(b"]}}")
            elif mode == "liar":  # declares a length past the cap
                self._send_headers(length=10 * 1024 ** 3)
                self.wfile.write(_HEAD)
            elif mode == "html":
                body = b"<html><body><h1>Bad gateway</h1></body></html>"
                self.send_response(502)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def hostile():
    """``hostile(mode)`` -> the URL of a threading HTTP server on 127.0.0.1 in that mode."""
    servers = []

    def start(mode: str) -> str:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.mode = mode
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/sparql"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _cli(url: str, *args: str, timeout: float = 60, env: dict | None = None):
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "graph", "--store", f"sparql:{url}", *args],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    return done, time.monotonic() - started


@pytest.mark.parametrize("mode", ["drip", "stall"])
def test_a_slow_endpoint_is_stopped_at_the_deadline(hostile, mode):
    store = SparqlStore(hostile(mode), timeout=2)
    started = time.monotonic()
    with pytest.raises(RemoteTimeout, match="within 2 s"):
        store.select("SELECT ?s WHERE { ?s ?p ?o }")
    assert time.monotonic() - started < 2 + 5


def test_query_command_with_timeout_ends_on_a_dripping_endpoint(hostile):
    # the named-graph look-up before the query honours --timeout too
    done, took = _cli(hostile("drip"), "query", "SELECT ?s WHERE { ?s ?p ?o }", "--timeout", "3")
    assert done.returncode == 2, done.stderr
    assert took < 3 + 10
    # the read deadline or the command's whole-request deadline, whichever fires first
    assert ("did not send its whole answer within 3 s" in done.stderr
            or "the query ran longer than 3 s and was stopped" in done.stderr)
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [["stats"], ["show", "id:cac"]])
def test_read_commands_end_on_a_dripping_endpoint(hostile, command):
    done, took = _cli(hostile("drip"), *command, env={"TECHREG_REMOTE_TIMEOUT": "3"})
    assert done.returncode == 2, done.stderr
    assert took < 3 + 10
    assert "within 3 s" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("mode, message", [
    ("malformed", "cannot be read"),
    ("nested", "cannot be read"),
])
def test_malformed_answers_are_clear_errors(hostile, mode, message):
    done, _ = _cli(hostile(mode), "query", "SELECT ?s WHERE { ?s ?p ?o }", "--timeout", "10")
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr


def test_a_huge_answer_stops_at_the_size_cap(hostile):
    done, _ = _cli(hostile("huge"), "query", "SELECT ?s WHERE { ?s ?p ?o }", "--timeout", "20",
                   env={"TECHREG_REMOTE_MAX_MB": "2"})
    assert done.returncode == 2, done.stderr
    assert "larger than 2 MB" in done.stderr
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr


def test_a_declared_length_past_the_cap_is_refused_before_reading(hostile):
    store = SparqlStore(hostile("liar"), timeout=10, max_bytes=1024 * 1024)
    started = time.monotonic()
    with pytest.raises(RemoteTooLarge, match="larger than 1 MB"):
        store.select("SELECT ?s WHERE { ?s ?p ?o }")
    assert time.monotonic() - started < 5


def test_an_http_error_page_is_reduced_to_its_words(hostile):
    store = SparqlStore(hostile("html"), timeout=10)
    with pytest.raises(RemoteError, match="HTTP 502 Bad Gateway: Bad gateway"):
        store.select("SELECT ?s WHERE { ?s ?p ?o }")


def test_a_bad_size_cap_setting_is_refused():
    done = subprocess.run([sys.executable, "-m", "graph", "--store", "sparql:http://127.0.0.1:9/sparql", "stats"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "TECHREG_REMOTE_MAX_MB": "lots"})
    assert done.returncode == 2 and "TECHREG_REMOTE_MAX_MB" in done.stderr
