"""Hostile input to the readers, through the command line: every refusal exits 2 with
FILE:LINE, no traceback, and nothing written (no output file; an on-disk store unchanged).

Each case runs ``python -m graph`` in a subprocess, so that a parser aborting the process
(as a DTD entity bomb did inside the RDF/XML parser) fails the test instead of pytest.
"""

from __future__ import annotations

import codecs
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "github-mic-iso10383"  # a source of the bundled knowledge base


def techreg(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "graph", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def assert_refused(result: subprocess.CompletedProcess, path: Path, expected: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr[-3000:])
    assert "Traceback" not in result.stderr and "panicked" not in result.stderr, result.stderr[-3000:]
    assert re.search(re.escape(str(path)) + r":\d+(:\d+)?: ", result.stderr), result.stderr[-3000:]
    assert expected.lower() in result.stderr.lower(), result.stderr[-3000:]


def entity(label: str) -> str:
    return f"entities:\n  - id: hostile-firm\n    type: Company\n    label: {label}\n    source: {SOURCE}\n"


def penalty(amount: str) -> str:
    return (f"actions:\n  - id: hostile-fine\n    type: Penalty\n    label: Hostile fine\n    issuer: [SAMR]\n"
            f"    amount: {amount}\n    currency: CNY\n    source: {SOURCE}\n")


def alias_bomb() -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


HEADER = "kind,id,type,label,source\n"

#: name -> (file content, words the refusal must contain)
YAML_CASES = {
    "alias-bomb.yaml": (alias_bomb(), "aliases expand"),
    "recursive-alias.yaml": ("entities: &r [*r]\n", "contains it"),
    "latin-1.yaml": (entity("Caf\xe9 Firm").encode("latin-1"), "not UTF-8"),
    "utf-16.yaml": (entity("Firm").encode("utf-16"), "UTF-16"),
    "utf-16-no-bom.yaml": (entity("Firm").encode("utf-16-le"), "NUL byte"),
    "duplicate-key.yaml": (entity("First\n    label: Second"), "duplicate key 'label'"),
    "mapping-label.yaml": (entity("{text: Firm, lang: en}"), "label: expected text, not a mapping"),
    "list-label.yaml": (entity("[Firm, Other]"), "label: expected one value, not a list"),
    "nul-label.yaml": (entity('"Firm\\0Name"'), "U+0000"),
    "c0-label.yaml": (entity('"Firm\\eName"'), "U+001B"),
    "c1-label.yaml": (entity('"Firm\\x85Name"'), "U+0085"),
    "bidi-label.yaml": (entity('"Firm \u202eemaN"'), "U+202E"),
    "isolate-label.yaml": (entity('"Firm \u2067Name"'), "U+2067"),
    "amount-overflow.yaml": (penalty("1e999999999"), "amount: '1e999999999' is not a number"),
    "amount-huge.yaml": (penalty("1e30"), "out of range"),
    "amount-nan.yaml": (penalty(".nan"), "is not a number"),
    "amount-infinity.yaml": (penalty("Infinity"), "is not a number"),
    "amount-inf.yaml": (penalty("-inf"), "is not a number"),
    "amount-digits.yaml": (penalty("1.2345678901234567890123456789"), "significant digits"),
    "stake-without-id.yaml": (f"stakes:\n  - id: '%%%'\n    holder: Tencent\n    held: Meituan\n    share: 0.1\n"
                              f"    source: {SOURCE}\n", "no letters or digits"),
    "source-not-an-id.yaml": ("sources:\n  \"a b>\":\n    publisher: P\n    url: https://example.org/x\n"
                              + entity("Firm").replace(SOURCE, '"a b>"'), "is not a source id"),
    "week-date.yaml": (penalty("5").replace("    amount:", "    announced: 2021W011\n    amount:"), "is not a date"),
    "python-tag.yaml": ("entities: !!python/object/apply:os.system [echo hi]\n", "not allowed"),
    "deep.yaml": ("entities: " + "[" * 10_000 + "]" * 10_000 + "\n", "nested more than"),
    "two-documents.yaml": (entity("Firm") + "---\n" + entity("Firm"), "several YAML documents"),
    "merge-key.yaml": ("entities:\n  - &base {id: a-firm, type: Company}\n  - <<: *base\n    label: B\n",
                       "merge keys"),
}

CSV_CASES = {
    "long-cell.csv": (HEADER + f"entity,long-firm,Company,{'x' * 200_000},{SOURCE}\n", "longer than 131,072"),
    "long-cell-limit.csv": (HEADER + f"entity,long-firm,Company,\"{'x' * 131_073}\",{SOURCE}\n", "longer than"),
    "extra-cell.csv": (HEADER + f"entity,extra-firm,Company,Extra,{SOURCE},surplus\n", "6 cells where the header has 5"),
    "missing-cell.csv": (HEADER + "entity,short-firm,Company,Short\n", "4 cells where the header has 5"),
    "latin-1.csv": ((HEADER + f"entity,cafe-firm,Company,Caf\xe9,{SOURCE}\n").encode("latin-1"), "not UTF-8"),
    "utf-16.csv": ((HEADER + f"entity,a-firm,Company,A,{SOURCE}\n").encode("utf-16"), "UTF-16"),
    "control-cell.csv": (HEADER + f"entity,ctl-firm,Company,A\x1bB,{SOURCE}\n", "U+001B"),
    "newline-label.csv": (HEADER + f"entity,nl-firm,Company,\"A\nB\",{SOURCE}\n", "U+000A"),
    "amount-nan.csv": ("kind,id,type,label,issuer,amount,currency,source\n"
                       f"action,nan-fine,Penalty,Fine,SAMR,NaN,CNY,{SOURCE}\n", "is not a number"),
    "duplicate-column.csv": ("kind,id,label,label,source\nentity,a,A,B,x\n", "more than once"),
    "too-many-rows.csv": (HEADER + "entity,,,,\n" * 100_001, "more than 100,000 rows"),
}


def _write(directory: Path, name: str, content) -> Path:
    path = directory / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize("name", sorted(YAML_CASES) + sorted(CSV_CASES))
def test_import_refuses_with_file_and_line_and_writes_nothing(tmp_path, name):
    content, expected = (YAML_CASES | CSV_CASES)[name]
    path = _write(tmp_path, name, content)
    out = tmp_path / "out.trig"
    started = time.monotonic()
    result = techreg("import", str(path), "-o", str(out))
    assert_refused(result, path, expected)
    assert not out.exists()
    assert time.monotonic() - started < 60  # refused quickly, not after exhausting memory


def test_import_into_the_memory_store_refuses_too(tmp_path):
    path = _write(tmp_path, "alias-bomb.yaml", alias_bomb())
    assert_refused(techreg("import", str(path)), path, "aliases expand")


def test_reused_alias_and_byte_order_marks_are_accepted(tmp_path):
    """An alias used twice yields two independent records; a UTF-8 BOM is dropped."""
    yaml_text = ("sources:\n  hostile-doc: &doc\n    publisher: A publisher\n    url: https://example.org/a\n"
                 "  hostile-doc-2: *doc\n"
                 "entities:\n  - id: bom-firm\n    type: Company\n    label: &name BOM Firm\n"
                 "    aliases: [*name, Other Name]\n    source: hostile-doc\n"
                 "  - id: bom-firm-2\n    type: Company\n    label: Second Firm\n    source: hostile-doc-2\n")
    yaml_path = _write(tmp_path, "bom.yaml", codecs.BOM_UTF8 + yaml_text.encode())
    csv_path = _write(tmp_path, "bom.csv", codecs.BOM_UTF8 + (HEADER + f"entity,csv-firm,Company,CSV Firm,{SOURCE}\n"
                                                                     ).encode())
    out = tmp_path / "out.trig"
    result = techreg("import", str(yaml_path), str(csv_path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    quads = list(ox.parse(path=str(out), format=ox.RdfFormat.TRIG))
    labels = {(q.subject.value.rsplit("/", 1)[-1], q.object.value) for q in quads
              if q.predicate.value.endswith("#label")}
    assert {("bom-firm", "BOM Firm"), ("bom-firm-2", "Second Firm"), ("csv-firm", "CSV Firm")} <= labels
    graphs = {q.graph_name.value.rsplit("/", 1)[-1] for q in quads}
    assert {"hostile-doc", "hostile-doc-2", SOURCE} <= graphs


# -- RDF/XML with a DTD: validate, and load into an on-disk store ---------------------

_RDF_NS = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/"'


def billion_laughs() -> str:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{entities}\n]>\n<rdf:RDF {_RDF_NS}>\n'
            '<rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description>\n</rdf:RDF>\n')


RDF_CASES = {
    "billion-laughs.rdf": billion_laughs(),
    # the parser honours a DOCTYPE even after the root element has started
    "late-doctype.owl": (f'<?xml version="1.0"?>\n<rdf:RDF {_RDF_NS}>\n<!doctype x [<!ENTITY e "http://example.org/">]>\n'
                         '<rdf:Description rdf:about="&e;a"><ex:p>x</ex:p></rdf:Description>\n</rdf:RDF>\n'),
}


@pytest.mark.parametrize("name", sorted(RDF_CASES))
def test_validate_refuses_rdfxml_with_a_dtd(tmp_path, name):
    path = _write(tmp_path, name, RDF_CASES[name])
    assert_refused(techreg("validate", str(path)), path, "document type declaration")


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory):
    """An on-disk store holding the bundled knowledge base: (spec, directory)."""
    directory = tmp_path_factory.mktemp("hostile") / "kb"
    spec = f"oxigraph:{directory}"
    result = techreg("--store", spec, "init")
    assert result.returncode == 0, result.stderr
    return spec, directory


def _quads(directory: Path) -> int:
    store = ox.Store.read_only(str(directory))
    try:
        return len(store)
    finally:
        del store


STORE_CASES = ["billion-laughs.rdf", "late-doctype.owl", "alias-bomb.yaml", "latin-1.yaml", "duplicate-key.yaml",
               "mapping-label.yaml", "amount-infinity.yaml", "extra-cell.csv", "long-cell.csv", "utf-16.csv"]


@pytest.mark.parametrize("name", STORE_CASES)
def test_a_refused_file_leaves_an_on_disk_store_unchanged(tmp_path, disk_store, name):
    spec, directory = disk_store
    content = RDF_CASES.get(name) or (YAML_CASES | CSV_CASES)[name][0]
    path = _write(tmp_path, name, content)
    before = _quads(directory)
    command = "load" if name.endswith((".rdf", ".owl")) else "import"
    expected = "document type declaration" if command == "load" else (YAML_CASES | CSV_CASES)[name][1]
    assert_refused(techreg("--store", spec, command, str(path)), path, expected)
    assert _quads(directory) == before > 0
