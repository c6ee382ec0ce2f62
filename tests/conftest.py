"""Shared fixtures."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest


# -- a real Oxigraph server (remote SPARQL store) -----------------------------------


@dataclass
class OxigraphServer:
    """A running ``oxigraph serve`` process on 127.0.0.1 (its default graph a graph of its own)."""

    port: int
    location: Path
    process: subprocess.Popen = field(repr=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base}/update"

    @property
    def spec(self) -> str:
        """The ``--store`` specification: ``sparql:QUERY_URL,UPDATE_URL``."""
        return f"sparql:{self.query_url},{self.update_url}"

    def store(self):
        """A new :class:`graph.stores.remote.SparqlStore` on this server."""
        from graph.stores.remote import SparqlStore

        return SparqlStore(self.query_url, self.update_url, self.spec)

    def count(self) -> int:
        """The number of quads in the server's named graphs (straight over HTTP)."""
        import json

        query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        request = urllib.request.Request(self.query_url + "?" + urllib.parse.urlencode({"query": query}),
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(json.load(response)["results"]["bindings"][0]["n"]["value"])


def require_system(program: str, package: str) -> str:
    """The path of a program from a Debian package; skip the test when it is missing,
    except in CI (``CI=true``), where a missing package is a failure."""
    import os

    found = shutil.which(program) or (program if Path(program).exists() else None)
    if found:
        return found
    message = f"{program} is missing: install Debian's {package} (apt-get install -y {package})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_oxigraph(location: Path, union_default_graph: bool = False) -> OxigraphServer:
    exe = shutil.which("oxigraph")
    if exe is None:
        pytest.fail("the `oxigraph` executable (PyPI package oxigraph) is not installed")
    port = _free_port()
    location.mkdir(parents=True, exist_ok=True)
    log = open(location.parent / f"{location.name}.log", "wb")
    command = [exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    if union_default_graph:
        command.append("--union-default-graph")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    server = OxigraphServer(port, location, process)
    probe = server.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            log.close()
            text = (location.parent / f"{location.name}.log").read_text(errors="replace")
            pytest.fail(f"oxigraph serve exited with {process.returncode}: {text}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    break
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            process.terminate()
            pytest.fail("oxigraph serve did not answer within 30 s")
        time.sleep(0.05)
    server._log = log
    return server


def _stop_oxigraph(server: OxigraphServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    server._log.close()


@pytest.fixture(scope="session")
def oxigraph_factory(tmp_path_factory):
    """Start fresh, empty ``oxigraph serve`` processes: ``oxigraph_factory()`` -> OxigraphServer.

    Every server runs on 127.0.0.1 with a free port and a temporary location, without
    ``--union-default-graph`` unless ``union_default_graph=True`` (techreg keeps the merge
    of the named graphs in the default graph itself); all are terminated at the end of
    the session.
    """
    servers: list[OxigraphServer] = []

    def start(union_default_graph: bool = False) -> OxigraphServer:
        server = _start_oxigraph(tmp_path_factory.mktemp("oxigraph") / "db", union_default_graph)
        servers.append(server)
        return server

    yield start
    for server in servers:
        _stop_oxigraph(server)


@pytest.fixture
def oxigraph_server(oxigraph_factory):
    """A fresh, empty Oxigraph server of one's own (the test may write to it)."""
    return oxigraph_factory()


@pytest.fixture(scope="session")
def remote_kb(oxigraph_factory):
    """An Oxigraph server holding the bundled knowledge base (put there by ``init_store``).

    Shared by the whole session: read from it, do not write to it.
    """
    from graph.stores.loading import init_store

    server = oxigraph_factory()
    init_store(server.store())
    return server


@pytest.fixture(scope="session")
def memory_store():
    """The default in-memory store with the bundled knowledge base (shared: do not write)."""
    from graph.stores import open_store

    return open_store("memory")


# -- the command line --------------------------------------------------------------


@pytest.fixture
def techreg():
    """The ``techreg`` click group."""
    from graph.cli import cli

    return cli


@pytest.fixture
def run():
    """``run(*args)`` -> click Result of ``techreg ARGS`` (in process, stderr kept apart)."""
    from click.testing import CliRunner

    from graph.cli import cli

    def invoke(*args, input=None, env=None):
        runner = CliRunner()
        return runner.invoke(cli, list(args), input=input, env=env, obj={}, catch_exceptions=False)

    return invoke
