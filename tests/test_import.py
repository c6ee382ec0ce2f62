"""techreg import: YAML and CSV facts, checked, then written all or nothing."""

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.mark.parametrize("name", ["import-example.yaml", "import-example.csv"])
def test_example_files_import_to_trig(run, tmp_path, name):
    out = tmp_path / "facts.trig"
    result = run("import", str(EXAMPLES / name), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    quads = list(ox.parse(path=str(out), format=ox.RdfFormat.TRIG))
    graphs = {q.graph_name.value for q in quads}
    assert graphs == {"https://w3id.org/techreg/source/github-mic-iso10383"}
    facts = {(q.predicate.value.rsplit("#", 1)[-1], q.object.value) for q in quads}
    assert ("mic", "XNGS") in facts
    assert ("parentOrganization", "https://w3id.org/techreg/id/nasdaq") in facts  # resolved from the name "Nasdaq"
    assert ("jurisdiction", "https://w3id.org/techreg/id/united-states") in facts


def test_import_into_an_oxigraph_store_then_query_it(run, tmp_path):
    spec = f"oxigraph:{tmp_path / 'kb'}"
    assert run("--store", spec, "init").exit_code == 0
    result = run("--store", spec, "import", str(EXAMPLES / "import-example.yaml"))
    assert result.exit_code == 0, result.stderr
    shown = run("--store", spec, "show", "XNGS")
    assert shown.exit_code == 0 and "Nasdaq Global Select Market" in shown.stdout
    assert "parent organization" in shown.stdout


BAD_YAML = """\
sources:
  new-doc:
    publisher: "A publisher"
    url: "https://news.example.net/a"
entities:
  - id: new-firm
    type: Company
    label: "New Firm"
    parent: Tencnt
    source: new-doc
  - id: other-firm
    type: Company
    label: "Other Firm"
actions:
  - id: new-fine
    type: Penalty
    label: "A fine"
    issuer: [SAMR]
    target: [new-firm]
    announced: 2021-13-01
    amount: lots
    currency: CNY
    source: new-doc
"""


def test_bad_rows_are_reported_by_line_and_nothing_is_written(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_YAML)
    out = tmp_path / "out.trig"
    result = run("import", str(bad), "-o", str(out))
    assert result.exit_code == 2
    err = result.stderr
    assert f"{bad}:6: unknown name 'Tencnt'" in err
    assert f"{bad}:11: no source" in err
    assert f"{bad}:15: announced: '2021-13-01' is not a date" in err
    assert f"{bad}:15: amount: 'lots' is not a number" in err
    assert not out.exists()


def test_csv_rows_are_reported_by_row(run, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("kind,id,type,label,source\nentity,ok-firm,Company,OK Firm,github-mic-iso10383\n"
                   "entity,bad-firm,Companyy,Bad Firm,github-mic-iso10383\nentity,no-source,Company,No Source,\n")
    result = run("import", str(bad), "-o", str(tmp_path / "o.trig"))
    assert result.exit_code == 2
    # file:line (the row's first line; rows are told apart from lines only where a cell spans lines)
    assert f"{bad}:3: unknown entity type 'Companyy'" in result.stderr
    assert f"{bad}:4: no source" in result.stderr


def test_shape_violations_block_the_import(run, tmp_path):
    bad = tmp_path / "shape.yaml"
    bad.write_text("entities:\n  - id: odd-exchange\n    type: Exchange\n    label: Odd\n    mic: xx\n"
                   "    source: github-mic-iso10383\n")
    result = run("import", str(bad), "-o", str(tmp_path / "o.trig"))
    assert result.exit_code == 2
    assert "MIC" in result.stderr and "Odd" in result.stderr


def test_failed_import_leaves_the_store_unchanged(run, tmp_path):
    spec = f"oxigraph:{tmp_path / 'kb'}"
    assert run("--store", spec, "init").exit_code == 0
    before = run("--store", spec, "stats", "--format", "json").stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_YAML)
    assert run("--store", spec, "import", str(bad)).exit_code == 2
    assert run("--store", spec, "stats", "--format", "json").stdout == before


def test_malformed_yaml_names_the_line(run, tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("entities:\n  - id: x\n    label: [unclosed\n")
    result = run("import", str(bad), "-o", str(tmp_path / "o.trig"))
    assert result.exit_code == 2
    assert "broken.yaml:" in result.stderr and "Traceback" not in result.stderr


def test_firm_report_example_runs():
    out = subprocess.run([sys.executable, str(EXAMPLES / "firm_report.py"), "Full Truck Alliance"],
                         capture_output=True, text=True, check=True).stdout
    assert "Full Truck Alliance" in out
    assert "CybersecurityReview on Yunmanman" in out
    assert "Data Security Law of the People's Republic of China" in out
