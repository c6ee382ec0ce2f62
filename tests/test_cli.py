"""The techreg command line: output formats, exit codes and bad input."""

import json
import subprocess
import sys

import pyoxigraph as ox
import pytest


def test_every_registered_command_has_help_with_an_example(run):
    from graph.cli import cli

    result = run("--help")
    assert result.exit_code == 0
    assert {"stats", "search", "show", "path", "exposure", "timeline", "query", "view", "validate",
            "import", "export", "init", "load"} <= set(cli.commands)
    for name in sorted(cli.commands):
        assert name in result.stdout
        sub = run(name, "--help")
        assert sub.exit_code == 0, name
        _, _, example = sub.stdout.partition("Example:\n")
        first = example.splitlines()[0].split() if example else []
        assert first[:1] == ["techreg"] and name in first, (name, first)


@pytest.mark.parametrize("args", [["--store", "empty", "stats", "--format", "json"],
                                  ["stats", "--format", "json", "--store", "empty"]])
def test_store_is_accepted_before_and_after_the_command(run, args):
    result = run(*args)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["named_graphs"] == 0


def test_python_dash_m_graph_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "graph", "stats", "--format", "json"], capture_output=True, text=True)
    assert out.returncode == 0
    assert json.loads(out.stdout)["triples"]["asserted"] > 0


def test_stats_text(run):
    result = run("stats")
    assert result.exit_code == 0
    assert "Triples:" in result.stdout and "CybersecurityReview" in result.stdout


def test_search_finds_yunmanman_by_its_chinese_name(run):
    result = run("search", "运满满")
    assert result.exit_code == 0
    first = result.stdout.splitlines()[2]
    assert "id:yunmanman" in first


@pytest.mark.parametrize("text, expected", [
    ("full truck", "id:full-truck-alliance"),
    ("YMM", "id:full-truck-alliance"),
    ("xnys", "id:nyse"),
    ("Q1359568", "id:alibaba-group"),
    ("didi global", "id:didi-global"),
    ("满帮", "id:full-truck-alliance"),
])
def test_search_matches_names_tickers_and_identifiers(run, text, expected):
    result = run("search", text, "--format", "json")
    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    assert hits[0]["curie"] == expected


# Short Chinese names an analyst types (issue 13 item 5), each recorded from a source that uses it.
@pytest.mark.parametrize("name, expected", [
    ("网信办", "id:cac"),
    ("国家网信办", "id:cac"),
    ("市场监管总局", "id:samr"),
    ("证监会", "id:csrc"),
    ("满帮", "id:full-truck-alliance"),
    ("个人信息保护法", "id:pipl"),
    ("纽交所", "id:nyse"),
    ("纽约证券交易所", "id:nyse"),
    ("纳斯达克", "id:nasdaq"),
    ("运满满", "id:yunmanman"),
    ("数据安全法", "id:data-security-law"),
    ("人民银行", "id:pboc"),
    ("国家外汇管理局", "id:safe"),
    ("国家外汇局", "id:safe"),
    ("阿里巴巴集团控股有限公司", "id:alibaba-group"),
    ("国务院反垄断委员会", "id:state-council-anti-monopoly-commission"),
    ("中国知网", "id:cnki"),
    ("知网", "id:cnki"),
    ("中国互联网投资基金", "id:china-internet-investment-fund"),
    ("天星数科", "id:airstar"),
    ("新浪", "id:sina"),
    ("银泰商业", "id:intime-retail"),
    ("阅文集团", "id:china-literature"),
    ("新丽传媒", "id:new-classics-media"),
    ("丰巢", "id:shenzhen-hive-box"),
    ("中邮智递", "id:china-post-smart-logistics"),
    ("商务部", "id:mofcom"),
    ("国家反垄断局", "id:national-anti-monopoly-bureau"),
    ("国家工商行政管理总局", "id:saic"),
    ("网易", "id:netease"),
    ("大疆創新", "id:dji"),
    ("淘寶", "id:taobao"),
    ("天貓", "id:tmall"),
])
def test_show_resolves_common_chinese_short_names(run, name, expected):
    result = run("show", name, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["curie"] == expected


def test_search_ignores_accents(memory_store):
    from graph.lookup.names import search

    hits = search(memory_store, "Amazon Europe Core S.a r.l.")
    assert hits and hits[0].curie == "id:amazon-europe-core"


def test_search_without_match_exits_1(run):
    result = run("search", "zzqqxx")
    assert result.exit_code == 1
    assert "nothing matches" in result.stderr


def test_show_full_truck_alliance(run):
    result = run("show", "Full Truck Alliance")
    assert result.exit_code == 0
    out = result.stdout
    assert "YMM" in out and "New York Stock Exchange" in out
    assert "Yunmanman" in out and "Huochebang" in out
    assert "Sources:" in out and "https://" in out


def test_show_data_security_law_as_json(run):
    result = run("show", "Data Security Law", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["dates"]["dateAdopted"] == "2021-06-10"
    assert data["dates"]["dateEffective"] == "2021-09-01"
    passed_by = [r for r in data["relations"] if r["predicate"] == "tr:passedBy"]
    assert passed_by[0]["value_label"] == "Standing Committee of the National People's Congress"
    assert all(r["sources"] for r in data["relations"])
    assert any(l["lang"] == "zh" for l in data["labels"])


@pytest.mark.parametrize("name", ["id:cac", "https://w3id.org/techreg/id/cac", "CAC", "国家互联网信息办公室", "cac"])
def test_names_resolve_from_ids_iris_aliases_and_chinese(run, name):
    result = run("show", name, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["curie"] == "id:cac"


def test_unknown_name_says_did_you_mean(run):
    result = run("show", "Yunmanmen")
    assert result.exit_code == 2
    assert "did you mean" in result.stderr and "Yunmanman" in result.stderr
    assert "Traceback" not in result.stderr


def test_ambiguous_name_lists_candidates(run):
    result = run("show", "Cybersecurity Review Measures")
    assert result.exit_code == 2
    assert "ambiguous" in result.stderr
    assert "id:cybersecurity-review-measures-2020" in result.stderr
    assert "id:cybersecurity-review-measures-2022" in result.stderr


def test_validate_bundled_data_exits_0(run):
    result = run("validate")
    assert result.exit_code == 0, result.stderr
    assert "valid" in result.stdout


def test_validate_file_with_violations_exits_1_and_lists_each(run, tmp_path):
    bad = tmp_path / "bad.trig"
    bad.write_text("""
@prefix tr: <https://w3id.org/techreg/ontology#> . @prefix id: <https://w3id.org/techreg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/techreg/source/x> { id:fine a tr:Penalty ; rdfs:label "A fine"@en ; tr:amount 5 . }
""")
    result = run("validate", str(bad))
    assert result.exit_code == 1
    err = result.stderr
    assert "bad.trig" in err and "A fine" in err
    assert "authority that took it" in err and "at least one target" in err
    assert "not described as a source" in err


def test_validate_malformed_file_names_file_and_line(run, tmp_path):
    bad = tmp_path / "broken.trig"
    bad.write_text('@prefix ex: <http://ex/> .\nex:g {\n  ex:a ex:b "unterminated .\n}\n')
    result = run("validate", str(bad))
    assert result.exit_code == 2
    assert "broken.trig:3" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt, rdf_format", [
    ("trig", ox.RdfFormat.TRIG), ("nquads", ox.RdfFormat.N_QUADS),
    ("turtle", ox.RdfFormat.TURTLE), ("jsonld", ox.RdfFormat.JSON_LD),
])
def test_export_round_trips(run, memory_store, fmt, rdf_format):
    result = run("export", "--format", fmt)
    assert result.exit_code == 0
    quads = list(ox.parse(result.stdout_bytes, format=rdf_format))
    asserted = {(q.subject, q.predicate, q.object) for q in memory_store.quads()
                if q.graph_name.value not in ("https://w3id.org/techreg/graph/entailed", "https://w3id.org/techreg/ontology")}
    assert {(q.subject, q.predicate, q.object) for q in quads} == asserted
    if fmt in ("trig", "nquads", "jsonld"):
        graphs = {q.graph_name.value for q in quads}
        # every named graph but the ontology (a local store keeps its entailments in the
        # default graph only, with no named graph of their own)
        assert len(graphs) == len(memory_store.named_graphs()) - 1


def test_export_to_unwritable_file_exits_2_and_writes_nothing(run, tmp_path):
    target = tmp_path / "missing-dir" / "out.trig"
    result = run("export", "-o", str(target))
    assert result.exit_code == 2
    assert "cannot write" in result.stderr
    assert not target.exists()


def test_bad_store_spec_exits_2(run):
    result = run("--store", "nosuch:thing", "stats")
    assert result.exit_code == 2
    assert "unknown store" in result.stderr
