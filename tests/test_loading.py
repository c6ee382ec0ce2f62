"""``init`` and ``load``: into a real Oxigraph server (``sparql:``) and an on-disk store.

A load is all or nothing: a file that does not parse or violates a shape leaves the
store exactly as it was, and the message names the file (and line).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph.errors import BadInput, ParseError
from graph.stores.loading import LoadRefused, init_store, load_files
from graph.stores.local import LocalStore as Store

PROLOGUE = """@prefix tr: <https://w3id.org/techreg/ontology#> .
@prefix id: <https://w3id.org/techreg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

GOOD = PROLOGUE + """<https://example.org/source/test-notice> {
    <https://example.org/source/test-notice> a tr:Source ;
        dcterms:title "A test notice" ;
        dcterms:publisher "Test Gazette" ;
        dcterms:issued "2099-01-02"^^xsd:date ;
        schema:url "https://example.org/notice"^^xsd:anyURI .
    id:test-probe-fta-2099 a tr:Investigation ;
        rdfs:label "Test probe of Full Truck Alliance"@en ;
        tr:issuedBy id:cac ;
        tr:target id:full-truck-alliance ;
        tr:announced "2099-01-02"^^xsd:date .
}
"""
GOOD_GRAPH = "https://example.org/source/test-notice"
NEW_ENTITY = "id:test-probe-fta-2099"
GOOD_QUADS = 10

# an action with no issuer and no target (shape violations), in a described source
VIOLATING = PROLOGUE + """<https://example.org/source/bad-notice> {
    <https://example.org/source/bad-notice> a tr:Source ;
        dcterms:title "A notice" ;
        schema:url "https://example.org/bad"^^xsd:anyURI .
    id:test-action-without-parties a tr:Investigation ;
        rdfs:label "An action without issuer or target"@en .
}
"""

MALFORMED = PROLOGUE + """<https://example.org/source/broken> {
    id:broken a tr:Company ;
        rdfs:label "Broken"@en ;
        tr:ticker "BRK
}
"""
MALFORMED_LINE = 10

OUTSIDE_TTL = PROLOGUE + """id:floating a tr:Company ; rdfs:label "A fact with no source"@en .
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _stats(store) -> dict:
    from graph.answers.stats import stats

    return stats(store)


@pytest.fixture(scope="module")
def expected_stats():
    from graph.stores import open_store

    return _stats(open_store("memory"))


@pytest.fixture
def remote_initialised(oxigraph_server):
    init_store(oxigraph_server.store())
    return oxigraph_server


# -- the library ------------------------------------------------------------------------


def test_init_store_puts_the_bundled_knowledge_base(oxigraph_server, expected_stats):
    store = oxigraph_server.store()
    result = init_store(store)
    assert 1000 < result.added <= result.quads  # a quad stated in two files counts once
    assert "https://w3id.org/techreg/ontology" in result.graphs
    assert _stats(store) == expected_stats
    again = init_store(oxigraph_server.store())
    assert again.added == 0 and again.total == result.total


def test_load_adds_facts_that_refer_to_the_store(remote_initialised, tmp_path):
    store = remote_initialised.store()
    before = len(store)
    generation = store.generation
    result = load_files(store, [_write(tmp_path, "good.trig", GOOD)])
    assert result.added == result.quads == GOOD_QUADS and result.graphs == [GOOD_GRAPH]
    assert store.generation > generation
    assert len(store) > before
    from graph.answers.describe import describe

    d = describe(store, NEW_ENTITY)
    assert d.label == "Test probe of Full Truck Alliance"
    assert GOOD_GRAPH in json.dumps(d.as_dict())
    # the entailments were rebuilt: the inverse of tr:target is there
    assert store.ask(f"ASK {{ GRAPH <https://w3id.org/techreg/graph/entailed> {{ id:full-truck-alliance tr:targetOf {NEW_ENTITY} }} }}")
    assert load_files(store, [tmp_path / "good.trig"]).added == 0


def test_facts_about_unknown_entities_are_refused_without_context(oxigraph_server, tmp_path):
    """Without the knowledge base in the store, id:cac and the target are not known."""
    with pytest.raises(LoadRefused) as info:
        load_files(oxigraph_server.store(), [_write(tmp_path, "good.trig", GOOD)])
    assert "good.trig" in str(info.value)
    assert oxigraph_server.count() == 0


def test_malformed_file_names_file_and_line_and_changes_nothing(remote_initialised, tmp_path):
    count = remote_initialised.count()
    bad = _write(tmp_path, "broken.trig", MALFORMED)
    with pytest.raises(ParseError) as info:
        load_files(remote_initialised.store(), [_write(tmp_path, "good.trig", GOOD), bad])
    assert info.value.path == str(bad) and info.value.line == MALFORMED_LINE
    assert f"broken.trig:{MALFORMED_LINE}" in str(info.value)
    assert remote_initialised.count() == count


def test_shape_violation_changes_nothing(remote_initialised, tmp_path):
    count = remote_initialised.count()
    good = _write(tmp_path, "good.trig", GOOD)
    bad = _write(tmp_path, "bad.trig", VIOLATING)
    with pytest.raises(LoadRefused) as info:
        load_files(remote_initialised.store(), [good, bad])
    message = str(info.value)
    assert "bad.trig" in message and "nothing was written" in message
    assert "issuedBy" in message or "issuer" in message
    assert not info.value.report.conforms
    assert remote_initialised.count() == count
    assert GOOD_GRAPH not in remote_initialised.store().named_graphs()


@pytest.mark.parametrize("name", ["floating.ttl", "floating.nt"])
def test_triples_outside_a_named_graph_are_refused(remote_initialised, tmp_path, name):
    text = OUTSIDE_TTL
    if name.endswith(".nt"):
        text = ox.serialize(ox.parse(OUTSIDE_TTL, format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES).decode()
    count = remote_initialised.count()
    with pytest.raises(LoadRefused, match="outside any named graph"):
        load_files(remote_initialised.store(), [_write(tmp_path, name, text)])
    assert remote_initialised.count() == count


@pytest.mark.parametrize("fmt,suffix", [(ox.RdfFormat.N_QUADS, "nq"), (ox.RdfFormat.JSON_LD, "jsonld"),
                                        (ox.RdfFormat.TRIG, "trig")])
def test_dataset_formats_load_the_same_quads(tmp_path, fmt, suffix):
    store = Store()
    init_store(store)
    quads = list(ox.parse(GOOD, format=ox.RdfFormat.TRIG))
    path = tmp_path / f"good.{suffix}"
    path.write_bytes(ox.serialize(quads, format=fmt))
    result = load_files(store, [path])
    assert result.added == len(quads)
    assert {str(q) for q in store.quads(GOOD_GRAPH)} == {str(q) for q in quads}


def test_local_store_unchanged_after_a_refused_load(tmp_path):
    store = Store()
    init_store(store)
    size, generation = len(store), store.generation
    with pytest.raises(ParseError):
        load_files(store, [_write(tmp_path, "good.trig", GOOD), _write(tmp_path, "broken.trig", MALFORMED)])
    with pytest.raises(LoadRefused):
        load_files(store, [_write(tmp_path, "good.trig", GOOD), _write(tmp_path, "bad.trig", VIOLATING)])
    assert (len(store), store.generation) == (size, generation)


def test_missing_or_unknown_files_are_bad_input(tmp_path):
    store = Store()
    with pytest.raises(BadInput, match="no such file"):
        load_files(store, [tmp_path / "missing.trig"])
    with pytest.raises(BadInput, match="unknown RDF file type"):
        load_files(store, [_write(tmp_path, "facts.csv", "a,b\n")])
    with pytest.raises(BadInput):
        load_files(store, [])


# -- the command line: sparql: ----------------------------------------------------------


def test_cli_init_and_load_into_a_server(oxigraph_server, techreg, tmp_path, expected_stats):
    runner = CliRunner()
    spec = ["--store", oxigraph_server.spec]
    result = runner.invoke(techreg, [*spec, "init"])
    assert result.exit_code == 0, result.output
    assert oxigraph_server.spec in result.output and "quads added" in result.output
    stats = runner.invoke(techreg, [*spec, "stats", "--format", "json"])
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.output) == json.loads(json.dumps(expected_stats))

    result = runner.invoke(techreg, [*spec, "load", str(_write(tmp_path, "good.trig", GOOD))])
    assert result.exit_code == 0, result.output
    assert f"loaded 1 file(s): {GOOD_QUADS} new of {GOOD_QUADS} quads" in result.output
    shown = runner.invoke(techreg, [*spec, "show", NEW_ENTITY, "--format", "json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["label"] == "Test probe of Full Truck Alliance"
    found = runner.invoke(techreg, [*spec, "search", "test probe", "--format", "csv"])
    assert found.exit_code == 0 and NEW_ENTITY in found.output


@pytest.mark.parametrize("files,expected", [
    ([("broken.trig", MALFORMED)], f"broken.trig:{MALFORMED_LINE}"),
    ([("good.trig", GOOD), ("bad.trig", VIOLATING)], "bad.trig"),
    ([("floating.ttl", OUTSIDE_TTL)], "outside any named graph"),
])
def test_cli_refused_load_exits_2_and_leaves_the_server_unchanged(remote_initialised, techreg, tmp_path,
                                                                 files, expected):
    count = remote_initialised.count()
    paths = [str(_write(tmp_path, name, text)) for name, text in files]
    result = CliRunner().invoke(techreg, ["--store", remote_initialised.spec, "load", *paths])
    assert result.exit_code == 2, result.output
    assert expected in result.output and "Traceback" not in result.output
    assert remote_initialised.count() == count


def test_cli_load_into_an_unreachable_endpoint_exits_2(techreg, tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/query"
    result = CliRunner().invoke(techreg, ["--store", f"sparql:{url},http://127.0.0.1:{port}/update",
                                               "load", str(_write(tmp_path, "good.trig", GOOD))])
    assert result.exit_code == 2
    assert url in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command", [["init"], ["load", "x.trig"]])
@pytest.mark.parametrize("spec", ["memory", "empty", None])
def test_cli_init_and_load_refuse_an_in_memory_store(techreg, command, spec, monkeypatch):
    monkeypatch.delenv("TECHREG_STORE", raising=False)
    args = (["--store", spec] if spec else []) + command
    result = CliRunner().invoke(techreg, args)
    assert result.exit_code == 2
    assert "in-memory store" in result.output and "--store oxigraph:DIR" in result.output


def test_progress_reports_stages_on_a_terminal_only(capsys):
    from graph.cli.data import _Progress

    quiet = _Progress(False)
    for stage in ("parse", "validate", "write"):
        quiet(stage, 0, 2)
    assert capsys.readouterr().err == ""
    loud = _Progress(True)
    for done in range(3):
        loud("parse", done, 2)
    loud("validate", 0, 1)
    loud("validate", 1, 1)
    loud("write", 0, 1)
    loud.close()
    err = capsys.readouterr().err
    assert "parsing" in err and "checking against the shapes..." in err and "writing..." in err


# -- the command line: oxigraph:DIR, reopened in a new process --------------------------


# ``init`` and ``load`` are registered here in the child process until graph.cli does it.
_MAIN = ("import sys; from graph.cli import cli\n"
         "'init' in cli.commands or cli.add_command(init); 'load' in cli.commands or cli.add_command(load)\n"
         "cli.main(sys.argv[1:], prog_name='techreg', obj={})")


def _techreg(*args: str) -> subprocess.CompletedProcess:
    """Run ``techreg ARGS`` in a new process."""
    env = {k: v for k, v in os.environ.items() if k != "TECHREG_STORE"}
    return subprocess.run([sys.executable, "-c", _MAIN, *args], capture_output=True, text=True, env=env, timeout=300)


def test_persistent_store_keeps_its_data_across_processes(tmp_path, expected_stats):
    spec = f"oxigraph:{tmp_path / 'kb'}"
    result = _techreg("--store", spec, "init")
    assert result.returncode == 0, result.stderr
    stats = _techreg("--store", spec, "stats", "--format", "json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout) == json.loads(json.dumps(expected_stats))

    result = _techreg("--store", spec, "load", str(_write(tmp_path, "good.trig", GOOD)))
    assert result.returncode == 0, result.stderr
    refused = _techreg("--store", spec, "load", str(_write(tmp_path, "broken.trig", MALFORMED)))
    assert refused.returncode == 2 and f"broken.trig:{MALFORMED_LINE}" in refused.stderr
    assert "Traceback" not in refused.stderr

    stats = _techreg("--store", spec, "stats", "--format", "json")
    assert stats.returncode == 0, stats.stderr
    stored = json.loads(stats.stdout)
    assert stored["triples"]["asserted"] == expected_stats["triples"]["asserted"] + GOOD_QUADS
    assert stored["named_graphs"] == expected_stats["named_graphs"] + 1
    shown = _techreg("--store", spec, "show", NEW_ENTITY, "--format", "json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["label"] == "Test probe of Full Truck Alliance"


def test_load_without_checks_gives_the_same_store_as_a_checked_load(tmp_path, run):
    """--no-check skips the shapes but must end in the same data; bad syntax still refuses the file."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    data = tmp_path / "landscape.nq"  # new facts: a small synthetic landscape from the benchmark generator
    generator = Path(__file__).resolve().parent / "benchmarks" / "synthetic.py"
    subprocess.run([sys.executable, str(generator), "--triples", "3000", "-o", str(data)], check=True,
                   capture_output=True)
    results = {}
    for name, extra in (("checked", []), ("unchecked", ["--no-check"])):
        spec = f"oxigraph:{tmp_path / name}"
        run("--store", spec, "init")
        before = json.loads(run("--store", spec, "stats", "--format", "json").stdout)
        result = run("--store", spec, "load", *extra, str(data))
        assert result.exit_code == 0, result.stderr
        results[name] = json.loads(run("--store", spec, "stats", "--format", "json").stdout)
        assert results[name]["triples"]["asserted"] > before["triples"]["asserted"] + 2000
    assert results["checked"] == results["unchecked"]

    spec = f"oxigraph:{tmp_path / 'unchecked'}"
    bad = tmp_path / "bad.nq"
    bad.write_text('<http://a> <http://b> "unterminated .\n')
    before = run("--store", spec, "stats", "--format", "json").stdout
    refused = run("--store", spec, "load", "--no-check", str(bad))
    assert refused.exit_code == 2 and f"{bad}:1" in refused.stderr
    assert run("--store", spec, "stats", "--format", "json").stdout == before
    turtle = tmp_path / "facts.ttl"
    turtle.write_text("<http://a> <http://b> <http://c> .\n")
    refused = run("--store", spec, "load", "--no-check", str(turtle))
    assert refused.exit_code == 2 and "TriG or N-Quads only" in refused.stderr
