"""techreg import of per-target parts of a fine (issue 12 item 2): the ``shares`` section of
a YAML file and ``share`` rows of a CSV file, the shape of graph/data/src/shares.yaml."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

ID = "https://w3id.org/techreg/id/"
TR = "https://w3id.org/techreg/ontology#"

# a made-up decision between made-up firms: test data only, never the knowledge base
FACTS = """\
sources:
  test-decision:
    title: "A test decision"
    publisher: "Test Authority"
    url: "https://example.org/decision"
    quote: "Firm A pays 60 and Firm B pays 40 of the total of 100."
entities:
  - {id: test-firm-a, type: Company, label: "Test Firm A", source: test-decision}
  - {id: test-firm-b, type: Company, label: "Test Firm B", source: test-decision}
actions:
  - id: test-fine
    type: Penalty
    label: "Test fine on Firms A and B"
    issuer: [SAMR]
    target: [test-firm-a, test-firm-b]
    announced: 2022-03-01
    amount: 100
    currency: CNY
    source: test-decision
"""
SHARES_YAML = FACTS + """\
shares:
  - {action: test-fine, target: test-firm-a, amount: 60, currency: CNY, source: test-decision}
  - action: test-fine
    target: test-firm-b
    amount: "40"
    currency: CNY
    source: test-decision
"""
CSV_HEADER = "kind,id,type,label,issuer,target,announced,amount,currency,action,title,publisher,url,quote,source\n"
SHARES_CSV = CSV_HEADER + """\
source,test-decision,,,,,,,,,A test decision,Test Authority,https://example.org/decision,Firm A pays 60,
entity,test-firm-a,Company,Test Firm A,,,,,,,,,,,test-decision
entity,test-firm-b,Company,Test Firm B,,,,,,,,,,,test-decision
action,test-fine,Penalty,Test fine,SAMR,test-firm-a;test-firm-b,2022-03-01,100,CNY,,,,,,test-decision
share,,,,,test-firm-a,,60,CNY,test-fine,,,,,test-decision
share,,,,,test-firm-b,,40,CNY,test-fine,,,,,test-decision
"""


def _parts(quads) -> set[tuple[str, str, str, str]]:
    by = {}
    for q in quads:
        by.setdefault(q.subject.value, {})[q.predicate.value.rsplit("#", 1)[-1]] = q.object.value
    return {(s.removeprefix(ID), v["shareOf"].removeprefix(ID), v["shareTarget"].removeprefix(ID),
             v["shareAmount"] + " " + v["currency"]) for s, v in by.items() if "shareOf" in v}


@pytest.mark.parametrize("name, text", [("shares.yaml", SHARES_YAML), ("shares.csv", SHARES_CSV)], ids=["yaml", "csv"])
def test_shares_import_as_target_amounts(run, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "facts.trig"
    result = run("import", str(path), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    quads = list(ox.parse(path=str(out), format=ox.RdfFormat.TRIG))
    assert _parts(quads) == {("share-test-fine-test-firm-a", "test-fine", "test-firm-a", "60 CNY"),
                             ("share-test-fine-test-firm-b", "test-fine", "test-firm-b", "40 CNY")}
    shares = [q for q in quads if q.subject.value.startswith(ID + "share-")]
    assert {q.graph_name.value for q in shares} == {"https://w3id.org/techreg/source/test-decision"}
    assert (ox.NamedNode(ID + "share-test-fine-test-firm-a"), ox.NamedNode(TR + "shareAmount"),
            ox.Literal("60", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))) in \
        {(q.subject, q.predicate, q.object) for q in shares}


def test_imported_parts_are_what_each_target_paid(run, tmp_path):
    spec = f"oxigraph:{tmp_path / 'kb'}"
    assert run("--store", spec, "init").exit_code == 0
    path = tmp_path / "shares.yaml"
    path.write_text(SHARES_YAML, encoding="utf-8")
    assert run("--store", spec, "import", str(path)).exit_code == 0
    for target, paid in (("Test Firm A", "60"), ("Test Firm B", "40")):
        body = json.loads(run("--store", spec, "query", "fines-by-target", "--param", f"target={target}",
                              "--format", "json").stdout)
        rows = body["results"]["bindings"]
        assert [(r["fine"]["value"], r["paid"]["value"], r["amount"]["value"]) for r in rows] == [
            (ID + "test-fine", paid, "100")]


# records that cannot be read: reported first, each by its line
BAD_RECORDS = FACTS + """\
shares:
  - {action: test-fine, target: test-firm-b, amount: 5, currency: cny, source: test-decision}
  - {action: test-fine, target: [test-firm-a, test-firm-b], amount: 5, currency: CNY, source: test-decision}
  - {action: test-fine, target: test-firm-b, amount: lots, currency: CNY, source: test-decision}
  - {action: test-fine, amount: 5, currency: CNY, source: test-decision, share: 1}
  - {action: test-fine, target: Tencnt, amount: 5, currency: CNY, source: test-decision}
  - {action: test-fine, target: test-firm-b, amount: 5, currency: CNY}
"""
# records that read well but do not fit the graph: reported next, each by its line
BAD_FACTS = FACTS + """\
shares:
  - {action: test-fine, target: Apple, amount: 5, currency: CNY, source: test-decision}
  - {action: cac-review-didi-2021, target: Didi Chuxing, amount: 5, currency: CNY, source: test-decision}
  - {action: test-fine, target: test-firm-a, amount: -5, currency: CNY, source: test-decision}
"""
FIRST = FACTS.count("\n") + 2  # the line of the first share


@pytest.mark.parametrize("text, expected", [
    (BAD_RECORDS, [(0, "currency: 'cny' is not an ISO 4217 code"),
                   (1, "target: a share names one target, not 2"),
                   (2, "amount: 'lots'"),
                   (3, "unknown share field 'share'"),
                   (3, "a share needs action, target, amount, currency (missing: target)"),
                   (4, "unknown name 'Tencnt'"),
                   (5, "no source: every record must name the source that states it")]),
    (BAD_FACTS, [(0, "id:apple is not a target of id:test-fine"),
                 (1, "A target amount is part of one fine (tr:shareOf a tr:Penalty)"),
                 (2, "A target amount is one positive xsd:decimal")]),
], ids=["records", "facts"])
def test_bad_shares_are_reported_by_line_and_nothing_is_written(run, tmp_path, text, expected):
    spec = f"oxigraph:{tmp_path / 'kb'}"
    assert run("--store", spec, "init").exit_code == 0
    before = run("--store", spec, "stats", "--format", "json").stdout
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("--store", spec, "import", str(path))
    assert result.exit_code == 2
    err = result.stderr
    assert f"{len(expected)} problem(s), nothing written" in err
    lines = err.splitlines()
    for offset, message in expected:
        assert any(f"bad.yaml:{FIRST + offset}: " in line and message in line for line in lines), (offset, message, err)
    assert "Traceback" not in err
    assert run("--store", spec, "stats", "--format", "json").stdout == before


def test_csv_share_rows_are_reported_by_row(run, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(CSV_HEADER + SHARES_CSV.split("\n", 1)[1].replace("share,,,,,test-firm-b,,40,CNY",
                                                                      "share,,,,,test-firm-b,,40,EURO"),
                    encoding="utf-8")
    result = run("import", str(path), "-o", str(tmp_path / "out.trig"))
    assert result.exit_code == 2
    assert "bad.csv:7: currency: 'EURO' is not an ISO 4217 code" in result.stderr
    assert not (tmp_path / "out.trig").exists()
