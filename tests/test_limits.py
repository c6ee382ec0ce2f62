"""Time limits a runaway query cannot escape, missing stores, safe CSV and escaped text output."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.errors import BadInput
from graph.query.run import QueryTimeout, run_query

ROOT = Path(__file__).resolve().parents[1]
BOMB = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"VALUES ?v{i} {{ {' '.join(str(j) for j in range(10))} }}" for i in range(9)) + " }"


def _techreg(*args, timeout=120):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "graph", *args], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=ROOT)
    return proc, time.monotonic() - start


def test_values_bomb_is_stopped_within_the_limit(tmp_path):
    """Nine VALUES blocks of ten values (10^9 rows): the command ends within 3 + 10 s, exit 2."""
    query = tmp_path / "bomb.rq"
    query.write_text(BOMB, encoding="utf-8")
    proc, took = _techreg("--store", "empty", "query", f"@{query}", "--timeout", "3")
    startup = _techreg("--store", "empty", "query", "ASK {}")[1]  # start-up and opening the store
    assert proc.returncode == 2, proc.stderr
    assert "ran longer than 3 s and was stopped" in proc.stderr and "Traceback" not in proc.stderr
    assert took - startup < 3 + 10, (took, startup)


def test_run_query_kills_the_child(memory_store):
    start = time.monotonic()
    with pytest.raises(QueryTimeout):
        run_query(memory_store, BOMB, timeout=1)
    assert time.monotonic() - start < 1 + 5
    # the store still answers afterwards
    assert run_query(memory_store, "ASK { ?s a tr:Regulator }", timeout=30).boolean()


def test_deadline_covers_the_whole_request(memory_store):
    with pytest.raises(QueryTimeout):
        run_query(memory_store, "ASK {}", deadline=time.monotonic() - 1)


def test_syntax_errors_come_back_from_the_child(memory_store):
    with pytest.raises(BadInput) as err:
        run_query(memory_store, "SELECT ?x WHERE {\n  ?x tr:ticker ?t .\n  BIND(?t AS) \n}", timeout=30)
    assert "line 3, column 14" in str(err.value)


def test_engine_errors_are_clean(run):
    """A failing SERVICE (allowed, nothing listening) is a clear error: no traceback, no
    "PyQuerySolutions is unsendable" panic."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run("--store", "empty", "query", f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?a ?b ?c }} }}",
                 "--allow-remote")
    assert result.exit_code == 2 and "query failed" in result.stderr
    assert "unsendable" not in result.stderr and "Traceback" not in result.stderr


# -- missing stores -------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["stats"], ["query", "ASK {}"], ["search", "x"], ["load", "README.md"],
                                     ["import", "README.md"], ["export"]])
def test_missing_store_is_refused(run, tmp_path, command):
    typo = tmp_path / "typo"
    result = run("--store", f"oxigraph:{typo}", *command)
    assert result.exit_code == 2, result.stderr
    assert "techreg init" in result.stderr
    assert not typo.exists()


def test_empty_directory_is_a_missing_store(run, tmp_path):
    (tmp_path / "kb").mkdir()
    result = run("--store", f"oxigraph:{tmp_path / 'kb'}", "stats")
    assert result.exit_code == 2 and "techreg init" in result.stderr
    assert os.listdir(tmp_path / "kb") == []


# -- CSV ------------------------------------------------------------------------------------

_CELLS = ('SELECT ?x ?n WHERE { VALUES (?x ?n) { ("=HYPERLINK(\\"http://h/\\")" -5) ("@SUM(1)" 3) '
          '("+1+cmd" 1.5) ("-2+3" 2) ("\\tTAB" 0) ("\\rCR" 1) ("plain" 7) ("-4" 8) } }')


def test_query_csv_is_w3c_unless_safe_csv(run, memory_store):
    plain = run("--store", "empty", "query", _CELLS, "--format", "csv")
    assert plain.exit_code == 0
    expected = ox.Store().query(_CELLS).serialize(format=ox.QueryResultsFormat.CSV)
    assert plain.stdout_bytes == expected
    safe = run("--store", "empty", "query", _CELLS, "--format", "csv", "--safe-csv")
    assert safe.exit_code == 0
    import csv

    rows = list(csv.reader(io.StringIO(safe.stdout_bytes.decode(), newline="")))
    assert rows[0] == ["x", "n"]
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://h/\")", "'@SUM(1)", "'+1+cmd", "'-2+3", "'\tTAB",
                                        "'\rCR", "plain", "-4"]  # text that is a plain number is no formula
    assert [r[1] for r in rows[1:]] == ["-5", "3", "1.5", "2", "0", "1", "7", "8"]  # numbers untouched
    assert safe.stdout_bytes.startswith(b"x,n\r\n")


def test_command_csv_neutralises_formulas(capsys):
    from graph.cli.common import emit

    emit("csv", headers=["name", "amount"], rows=[["=1+1", -3], ["@x", 2.5], ["ok", 1], ["\tx", "-1"]])
    out = capsys.readouterr().out.splitlines()
    assert out == ["name,amount", "'=1+1,-3", "'@x,2.5", "ok,1", "'\tx,-1"]


# -- control characters in text -------------------------------------------------------------


def test_text_output_escapes_control_characters(run):
    query = 'SELECT ?x WHERE { BIND("a\\u001B[2Jb\\u202Ec\\u0085d\\u2066e" AS ?x) }'
    result = run("--store", "empty", "query", query)
    assert result.exit_code == 0
    out = result.stdout
    for raw in ("\x1b", "\u202e", "\x85", "\u2066"):
        assert raw not in out
    for shown in ("\\x1b[2J", "\\u202e", "\\x85", "\\u2066"):
        assert shown in out


def test_error_messages_escape_control_characters(capsys):
    from graph.cli.common import echo_text

    echo_text("techreg: bad \x1b]0;title\x07 name", err=True)
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b]0;title\\x07" in err


def test_escape_keeps_layout():
    from graph.cli.common import escape_controls

    assert escape_controls("a\tb\nc") == "a\tb\nc"
    assert escape_controls(io.StringIO("\u200f").read()) == "\\u200f"


def test_slow_drip_endpoint_is_stopped_within_the_limit():
    """A sparql: endpoint that sends headers, then one byte a second: `query --timeout 3`
    ends within 3 + 10 s (the whole-request limit covers the transfer), exit 2."""
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    port = server.getsockname()[1]

    def drip(conn):
        try:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                         b"Content-Length: 100000\r\n\r\n")
            while True:
                conn.sendall(b" ")
                time.sleep(1)
        except OSError:
            pass
        finally:
            conn.close()

    def accept():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=drip, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        proc, took = _techreg("--store", f"sparql:http://127.0.0.1:{port}/query", "query", "ASK {}", "--timeout", "3")
    finally:
        server.close()
    assert proc.returncode == 2, proc.stderr
    assert "stopped" in proc.stderr and "Traceback" not in proc.stderr
    assert took < 3 + 10
