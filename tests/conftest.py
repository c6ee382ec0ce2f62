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


# -- a real Virtuoso (a second engine, whose default graph is the union of all graphs) ----

_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 600
MaxSortedTopRows = 10000000
"""


@dataclass
class VirtuosoServer:
    """A running ``virtuoso-t`` on 127.0.0.1 with SPARQL update granted to the SPARQL user.

    Its graphs at start (Virtuoso's own) are remembered, so :meth:`reset` can drop
    everything written since and :meth:`count` counts only what techreg wrote.
    """

    http_port: int
    sql_port: int
    location: Path
    process: subprocess.Popen = field(repr=False)
    system_graphs: frozenset = frozenset()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/sparql"

    update_url = query_url

    @property
    def spec(self) -> str:
        return f"sparql:{self.query_url},{self.update_url}"

    def store(self):
        from graph.stores.remote import SparqlStore

        return SparqlStore(self.query_url, self.update_url, self.spec)

    def _select(self, query: str) -> list[dict]:
        import json

        body = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(self.query_url, data=body,
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.load(response)["results"]["bindings"]

    def graphs(self) -> set[str]:
        return {b["g"]["value"] for b in self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}

    def count(self) -> int:
        """The number of quads in graphs that were not there at start (straight over HTTP)."""
        return sum(int(self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")[0]["n"]["value"])
                   for g in self.graphs() - self.system_graphs)

    def reset(self) -> None:
        """Empty every graph written since start, in one request (Virtuoso takes about
        30 ms per DROP GRAPH): an empty store again."""
        keep = ", ".join(f"<{g}>" for g in sorted(self.system_graphs))
        update = ("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } "
                  + (f"FILTER(?g NOT IN ({keep})) " if keep else "") + "}")
        body = urllib.parse.urlencode({"update": update}).encode()
        urllib.request.urlopen(urllib.request.Request(self.query_url, data=body), timeout=600).read()


def _virtuoso_unavailable(reason: str):
    import os

    if os.environ.get("CI") == "true":
        pytest.fail(f"Virtuoso is required in CI: {reason}")
    pytest.skip(f"Virtuoso cannot start: {reason}")


def _start_virtuoso(location: Path, max_rows: int = 10_000_000) -> VirtuosoServer:
    exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if exe is None or isql is None:
        _virtuoso_unavailable("virtuoso-t or isql-vt not found (Debian package virtuoso-opensource)")
    location.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = _free_port(), _free_port()
    ini = location / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(dir=location, sql_port=sql_port, http_port=http_port, max_rows=max_rows))
    log = open(location / "stdout.log", "wb")
    process = subprocess.Popen([exe, "+foreground", "+configfile", str(ini)], cwd=location,
                               stdout=log, stderr=subprocess.STDOUT)
    server = VirtuosoServer(http_port, sql_port, location, process)
    server._log = log
    probe = server.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            log.close()
            text = (location / "virtuoso.log").read_text(errors="replace") if (location / "virtuoso.log").exists() else ""
            _virtuoso_unavailable(f"virtuoso-t exited with {process.returncode}: {text[-2000:]}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    break
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            _stop_virtuoso(server)
            _virtuoso_unavailable("virtuoso-t did not answer within 90 s")
        time.sleep(0.2)
    grant = subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba", 'exec=grant SPARQL_UPDATE to "SPARQL";'],
                           capture_output=True, text=True, timeout=60)
    if grant.returncode != 0:
        _stop_virtuoso(server)
        _virtuoso_unavailable(f"granting SPARQL_UPDATE failed: {grant.stdout}{grant.stderr}")
    server.system_graphs = frozenset(server.graphs())
    return server


def _stop_virtuoso(server: VirtuosoServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    server._log.close()


@pytest.fixture(scope="session")
def virtuoso_factory(tmp_path_factory):
    """Start Virtuoso servers: ``virtuoso_factory()`` -> VirtuosoServer (stopped at the end).

    Skipped with the reason when Virtuoso cannot start, except with ``CI=true`` (failed).
    """
    servers: list[VirtuosoServer] = []

    def start() -> VirtuosoServer:
        server = _start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
        servers.append(server)
        return server

    yield start
    for server in servers:
        _stop_virtuoso(server)


@pytest.fixture(scope="session")
def virtuoso_kb(virtuoso_factory):
    """A Virtuoso holding the bundled knowledge base (put there by ``init_store``); shared, read only."""
    from graph.stores.loading import init_store

    server = virtuoso_factory()
    init_store(server.store())
    return server


@pytest.fixture(scope="session")
def _virtuoso_scratch(virtuoso_factory):
    return virtuoso_factory()


@pytest.fixture(params=["oxigraph", pytest.param("virtuoso", marks=pytest.mark.slow)])
def sparql_kb(request):
    """The bundled knowledge base on each remote engine in turn (shared: read only)."""
    return request.getfixturevalue("remote_kb" if request.param == "oxigraph" else "virtuoso_kb")


@pytest.fixture(params=["oxigraph", pytest.param("virtuoso", marks=pytest.mark.slow)])
def sparql_server(request):
    """An empty server of each engine in turn, the test's to write to (one Virtuoso per
    session, emptied before each test)."""
    if request.param == "oxigraph":
        return request.getfixturevalue("oxigraph_factory")()
    server = request.getfixturevalue("_virtuoso_scratch")
    server.reset()
    return server
