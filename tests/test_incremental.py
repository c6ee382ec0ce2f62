"""Incremental writes: validating new data in its context only, and entailing from the
new quads only, give the same results as validating against the whole store and
rebuilding every entailment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from graph.model.entail import materialise
from graph.model.validation import context_of, validate_quads
from graph.stores import open_store
from graph.stores.local import LocalStore
from graph.stores.loading import init_store, load_files
from graph.stores.rdfio import parse_files

ID = "https://w3id.org/techreg/id/"
SRC = "https://w3id.org/techreg/source/"

# New facts that lean on stored ones: a second MIC for a stored exchange (maxCount over
# both), a listing of a stored company on a stored exchange (sh:class through stored
# types), a legal basis that is a company (sh:class fails on a stored node's type), and a
# subsidiary of a stored company (control closure across old and new links).
NEW = f"""@prefix tr: <https://w3id.org/techreg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{SRC}incremental-test> {{
  <{SRC}incremental-test> a tr:Source ; dcterms:title "Incremental test" ;
      dcterms:publisher "Test" ; dcterms:issued "2024-01-02"^^xsd:date ; schema:url <https://source.invalid/inc> .
  <{ID}nasdaq> tr:mic "XNAQ" .
  <{ID}inc-listing> a tr:Listing ; rdfs:label "Test listing" ;
      tr:listedCompany <{ID}iqiyi> ; tr:exchange <{ID}nyse> .
  <{ID}inc-probe> a tr:Investigation ; rdfs:label "Test probe" ; tr:legalBasis <{ID}tiktok> .
  <{ID}inc-sub> a tr:Company ; rdfs:label "Test subsidiary" ; tr:parentOrganization <{ID}iqiyi> .
}}
"""


def _sorted(store) -> list[str]:
    return sorted(str(q) for q in store._ox)


def test_context_of_new_quads_gives_the_whole_store_report(tmp_path):
    store = open_store("memory")
    path = tmp_path / "new.trig"
    path.write_text(NEW, encoding="utf-8")
    quads = parse_files([path])
    whole = validate_quads({str(path): quads}, context=list(store.quads()))
    context = context_of(store, quads)
    local = validate_quads({str(path): quads}, context=context)
    assert local.as_dict() == whole.as_dict()
    assert not whole.conforms
    lines = "\n".join(v.line() for v in whole.violations)
    assert "tr:mic" in lines and "tr:legalBasis" in lines  # both need stored facts
    assert len(context) < len(list(store.quads())) / 10


def _synthetic(tmp_path: Path, triples: int) -> Path:
    data = tmp_path / "landscape.nq"
    generator = Path(__file__).resolve().parent / "benchmarks" / "synthetic.py"
    subprocess.run([sys.executable, str(generator), "--triples", str(triples), "-o", str(data)], check=True,
                   capture_output=True)
    # one link from a synthetic firm to a stored company: the control closure must join them
    with open(data, "a", encoding="utf-8") as out:
        out.write(f"<{ID}bench-firm-0> <https://w3id.org/techreg/ontology#parentOrganization> <{ID}iqiyi> "
                  f"<{SRC}bench-0> .\n")
    return data


@pytest.mark.parametrize("kind", ["memory", "disk"])
def test_incremental_entailments_equal_a_full_rebuild(tmp_path, kind):
    store = LocalStore(tmp_path / "kb" if kind == "disk" else None, kind)
    init_store(store)
    data = _synthetic(tmp_path, 3000)
    result = load_files(store, [data], check=False)
    assert result.added == result.quads
    incremental = _sorted(store)
    chains = store.ask(f"ASK {{ <{ID}bench-firm-0> tr:controlledBy ?x . ?x tr:controlledBy ?y }}")
    materialise(store)
    assert _sorted(store) == incremental
    assert chains  # the closure runs through the new link into the stored parent
    assert load_files(store, [data], check=False).added == 0
    assert _sorted(store) == incremental
