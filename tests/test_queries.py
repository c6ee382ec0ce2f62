"""The query library answers its questions; the query command binds, limits and refuses."""

import csv
import io
import json

import pyoxigraph as ox
import pytest

from graph.errors import BadInput
from graph.query.library import library, load_query
from graph.query.params import bind_params
from graph.query.run import QueryTimeout, run_query
from graph.query.safety import check_safety
from graph.lookup.names import curie


def answer(store, name, **params):
    text, meta = load_query(name)
    result = run_query(store, bind_params(store, text, params, meta.params), timeout=60)
    return [{k: (curie(v.value) if isinstance(v, ox.NamedNode) else (v.value if v is not None else None))
             for k, v in row.items()} for row in result.rows()]


def column(rows, key):
    return [r[key] for r in rows]


# The competency questions and what the bundled data must answer.
EXPECTED = {
    "exchanges-of-reviewed-platforms": lambda rows: (
        set(column(rows, "exchange")) >= {"id:nyse", "id:nasdaq"}
        and {"id:full-truck-alliance", "id:kanzhun", "id:didi-global"} <= set(column(rows, "firm"))
        and ("id:nasdaq", "XNAS", "BZ") in {(r["exchange"], r["mic"], r["ticker"]) for r in rows}),
    "law-adoption": lambda rows: rows == [{"law": "id:data-security-law", "body": "id:npcsc",
                                           "adopted": "2021-06-10", "effective": "2021-09-01"}],
    "exchange-mic-of-operator": lambda rows: {"XNAS"} <= set(column(rows, "mic"))
        and set(column(rows, "operator")) == {"id:kanzhun"},
    "listed-firms-under-review": lambda rows: {"id:full-truck-alliance", "id:kanzhun", "id:didi-global",
                                               "id:alibaba-group", "id:meituan"} <= set(column(rows, "firm")),
    "actions-by-regulator": lambda rows: "id:cac-review-yunmanman-2021" in column(rows, "action")
        and len({(r["action"], r["target"]) for r in rows}) == len(rows)
        and ("id:cac-review-didi-2021", "CybersecurityReview") in {(r["action"], r["class"]) for r in rows},
    "fines-by-regulator": lambda rows: {(r["regulator"], r["currency"]) for r in rows} >= {
        ("id:samr", "CNY"), ("id:cac", "CNY"), ("id:irish-dpc", "EUR"), ("id:european-commission", "EUR")}
        and any(r["regulator"] == "id:cac" and r["largest"] == "8026000000" for r in rows)
        # CAC: Didi 8,026m + CNKI 50m + two executives 1m each (per target); the Weibo and Douban fines
        # of December 2021 are the Beijing office's
        and any(r["regulator"] == "id:cac" and r["total"] == "8078000000" for r in rows),
    "laws-in-force": lambda rows: {"id:data-security-law", "id:pipl", "id:cybersecurity-review-measures-2020",
                                   "id:gdpr"} <= set(column(rows, "law"))
        and "id:cybersecurity-review-measures-2022" not in column(rows, "law"),
    "parent-chain": lambda rows: rows[0]["ancestor"] == "id:tencent" and rows[-1]["ultimate"] == "true",
    "cross-jurisdiction-listings": lambda rows: ("id:didi-global", "id:china", "id:nyse") in
        {(r["firm"], r["regulatedIn"], r["exchange"]) for r in rows},
    "firm-timeline": lambda rows: [d for d in column(rows, "date") if d] == sorted(d for d in column(rows, "date") if d)
        and column(rows, "date")[-1] is None and rows[-1]["what"] == "undated"  # undated events last, not dropped
        and rows[0]["date"] == "2021-06-29" and "2022-07-21" in column(rows, "date"),
    "sources-of-entity": lambda rows: all(r["url"].startswith("http") for r in rows) and len(rows) >= 3,
    "review-legal-bases": lambda rows: {"id:national-security-law", "id:cybersecurity-law",
                                        "id:cybersecurity-review-measures-2020"} <= set(column(rows, "law")),
    "registration-suspensions": lambda rows: {(r["platform"], r["days"]) for r in rows} >= {
        ("id:yunmanman", "359"), ("id:huochebang", "359"), ("id:boss-zhipin", "359")},
    "delistings": lambda rows: [(r["company"], r["ticker"], r["delisted"]) for r in rows]
        == [("id:didi-global", "DIDI", "2022-06-10")],
    "laws-enforced-by": lambda rows: {"id:data-security-law", "id:cybersecurity-law", "id:pipl"}
        <= set(column(rows, "law")),
    "dma-gatekeepers": lambda rows: {r["company"] for r in rows if r["date"] == "2023-09-06"} == {
        "id:alphabet", "id:amazon", "id:apple", "id:bytedance", "id:meta-platforms", "id:microsoft"},
    "dma-core-platform-services": lambda rows: len({r["service"] for r in rows}) == 24
        and ("id:ipados", "2024-04-29", "id:apple") in {(r["service"], r["date"], r["provider"]) for r in rows}
        and ("id:windows", "2023-09-06") in {(r["service"], r["date"]) for r in rows},
    "dsa-designations": lambda rows: len({r["service"] for r in rows}) == 26
        and ("id:whatsapp-channels", "2026-01-26") in {(r["service"], r["date"]) for r in rows}
        and {r["service"] for r in rows if r["date"] == "2023-12-20"} == {"id:pornhub", "id:stripchat", "id:xvideos"},
    "hfcaa-identified-issuers": lambda rows: {"id:didi-global", "id:baidu", "id:jd-com", "id:weibo"}
        <= set(column(rows, "issuer")),
    "largest-fines": lambda rows: [r["fine"] for r in rows if r["currency"] == "CNY"][0] == "id:samr-fine-alibaba-2021"
        and [r["amount"] for r in rows if r["currency"] == "EUR"][0] == "4340000000"
        and column(rows, "fine")[:3] == ["id:ec-fine-google-android-2018", "id:ftc-facebook-penalty-2019",
                                         "id:samr-fine-alibaba-2021"],
    "actions-under-law": lambda rows: "Data Protection Commission" in column(rows, "issuers")
        and any(r["amount"] == "1200000000" for r in rows),
    "ipo-proceeds": lambda rows: ("id:didi-global", "4400000000", "USD") in
        {(r["company"], r["proceeds"], r["currency"]) for r in rows},
    "law-lineage": lambda rows: ("id:anti-monopoly-law-2022-amendment", "amends", "id:anti-monopoly-law") in
        {(r["law"], r["relation"], r["other"]) for r in rows}
        and ("id:cybersecurity-review-measures-2022", "supersedes", "id:cybersecurity-review-measures-2020") in
        {(r["law"], r["relation"], r["other"]) for r in rows},
    "app-removals": lambda rows: [(r["date"], r["target"]) for r in rows][:2] == [
        ("2021-07-04", "id:didi-chuxing"), ("2021-07-09", "id:didi-global")],
    "stakes": lambda rows: ("id:alibaba-group", "id:ant-group", "0.33") in
        {(r["holder"], r["held"], r["share"]) for r in rows},
    "conflicting-dates": lambda rows: {r["value"] for r in rows if r["subject"] == "id:cnpd-fine-amazon-2021"}
        == {"2021-07-15", "2021-07-16"},
    "regulators-by-jurisdiction": lambda rows: {"id:china", "id:united-states", "id:european-union",
                                                "id:united-kingdom"} <= set(column(rows, "jurisdiction")),
    "events-in-period": lambda rows: {"id:cac-review-didi-2021", "id:cac-fine-didi-2022"} <= set(column(rows, "event"))
        and all(r["date"] is not None or r["what"] == "undated" for r in rows),
    "products-of-firm": lambda rows: {(r["product"], r["actions"]) for r in rows} == {
        ("id:yunmanman", "2"), ("id:huochebang", "2")},
    "actions-soon-after-listing": lambda rows: {"id:didi-global", "id:full-truck-alliance", "id:kanzhun"}
        <= set(column(rows, "firm")),
    "ipo-suspensions": lambda rows: {r["target"] for r in rows} == {"id:ant-group"}
        and {r["date"] for r in rows} == {"2020-11-03"},
    "oversight": lambda rows: ("id:pcaob", "id:sec") in {(r["body"], r["overseenBy"]) for r in rows},
    "antitrust-fines-china": lambda rows: ("Meituan", "3442000000") in {(r["targets"], r["amount"]) for r in rows}
        and column(rows, "fine").count("id:samr-undeclared-deals-fines-2022-07") == 1,
    "laws-by-jurisdiction": lambda rows: rows[0]["jurisdiction"] == "id:china",
    "fines-by-target": lambda rows: ("id:google-ireland", "id:cnil-fine-google-cookies-2021", "60000000") in
        {(r["target"], r["fine"], r["paid"]) for r in rows}
        and {r["paid"] for r in rows if r["fine"] == "id:samr-undeclared-deals-fines-2022-07"} == {None},
    "persons-sanctioned": lambda rows: {r["person"] for r in rows} == {"id:cheng-wei", "id:jean-liu"}
        and {r["amount"] for r in rows} == {"1000000"},
}


def test_library_has_the_questions():
    queries = library()
    assert len(queries) >= 30
    assert set(EXPECTED) == set(queries), "every library query needs an expected answer here"
    for q in queries.values():
        assert q.question.endswith(("?", ".")), q.name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_library_query_answers(memory_store, name):
    rows = answer(memory_store, name)
    assert rows, f"{name} returned nothing"
    assert EXPECTED[name](rows), rows[:10]


def test_parameters_are_typed_and_resolved(memory_store):
    rows = answer(memory_store, "law-adoption", law="PIPL")
    assert rows[0]["adopted"] == "2021-08-20"
    samr = answer(memory_store, "actions-by-regulator", regulator="SAMR", **{"from": "2021-01-01", "to": "2021-12-31"})
    assert samr and all(r["date"] is None or r["date"].startswith("2021") for r in samr)
    with pytest.raises(BadInput, match="not a date"):
        answer(memory_store, "actions-by-regulator", to="last year")
    with pytest.raises(BadInput, match="unknown parameter"):
        answer(memory_store, "law-adoption", lawz="PIPL")
    with pytest.raises(BadInput, match="did you mean"):
        answer(memory_store, "law-adoption", law="Data Securty Law")


def test_cli_query_by_name_with_param_as_csv(run):
    result = run("query", "law-adoption", "--param", "law=Cybersecurity Law", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["adopted"] == "2016-11-07"
    assert rows[0]["body"] == "https://w3id.org/techreg/id/npcsc"


@pytest.mark.parametrize("fmt, results_format", [("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML),
                                                  ("csv", ox.QueryResultsFormat.CSV), ("tsv", ox.QueryResultsFormat.TSV)])
def test_w3c_result_formats_are_what_oxigraph_writes(run, memory_store, fmt, results_format):
    query = "SELECT ?law ?d WHERE { ?law tr:dateEffective ?d } ORDER BY ?d ?law"
    result = run("query", query, "--format", fmt)
    assert result.exit_code == 0
    expected = memory_store.query(query).serialize(format=results_format)
    assert result.stdout_bytes == expected


def test_text_table_shows_labels_next_to_iris(run):
    result = run("query", "SELECT ?x WHERE { VALUES ?x { id:cac } }")
    assert "Cyberspace Administration of China <id:cac>" in result.stdout


def test_construct_as_turtle_and_jsonld(run):
    query = "CONSTRUCT { ?l tr:passedBy ?b } WHERE { ?l tr:passedBy ?b ; tr:jurisdiction id:china }"
    turtle = run("query", query, "--format", "turtle")
    assert turtle.exit_code == 0
    triples = list(ox.parse(turtle.stdout_bytes, format=ox.RdfFormat.TURTLE))
    assert triples and all(t.predicate.value.endswith("passedBy") for t in triples)
    as_json = run("query", query, "--format", "jsonld")
    assert json.loads(as_json.stdout)
    refused = run("query", query, "--format", "csv")
    assert refused.exit_code == 2 and "graph" in refused.stderr


def test_query_from_a_file(run, tmp_path):
    f = tmp_path / "q.rq"
    f.write_text("# How many sources?\nSELECT (COUNT(?s) AS ?n) WHERE { ?s a tr:Source }\n")
    by_at = run("query", f"@{f}", "--format", "csv")
    by_path = run("query", str(f), "--format", "csv")
    assert by_at.exit_code == 0 and by_at.stdout == by_path.stdout
    assert int(by_at.stdout.splitlines()[1]) >= 60


def test_syntax_error_shows_line_column_and_text(run):
    result = run("query", "SELECT ?x WHERE {\n  ?x tr:ticker ?t .\n  BIND(?t AS) \n}")
    assert result.exit_code == 2
    assert "line 3, column 14" in result.stderr and "BIND(?t AS)" in result.stderr
    assert "\n" + " " * 15 + "^" in result.stderr


def test_runaway_query_is_stopped(memory_store, run):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with pytest.raises(QueryTimeout):
        run_query(memory_store, slow, timeout=0.5)
    result = run("query", slow, "--timeout", "0.5")
    assert result.exit_code == 2 and "was stopped" in result.stderr


@pytest.mark.parametrize("query, words", [
    ("SELECT * WHERE { SERVICE <http://example.net/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
    ("SELECT * FROM <http://example.net/data.ttl> WHERE { ?s ?p ?o }", "FROM <http://example.net/data.ttl> is refused"),
    ("SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }", "is refused"),
    ("LOAD <http://example.net/data.ttl>", "read-only"),
    ("SELECT * WHERE { ?s ?p ?o } # LOAD <x>", None),
    ("INSERT DATA { id:x tr:ticker \"X\" }", "read-only"),
    ("DELETE WHERE { ?s ?p ?o }", "read-only"),
])
def test_unsafe_queries_are_refused_before_running(run, query, words):
    result = run("query", query, "--format", "csv")
    if words is None:  # a keyword in a comment is not a request
        assert result.exit_code == 0
        return
    assert result.exit_code == 2
    assert words in result.stderr


def test_safety_check_ignores_keywords_in_strings_iris_and_variables():
    check_safety('SELECT ?from ?service WHERE { ?s rdfs:label "SERVICE FROM LOAD" . ?s ?p <http://x/LOAD> } # SERVICE',
                 local_graphs=set())
    check_safety("SELECT * FROM <https://w3id.org/techreg/source/x> WHERE { ?s ?p ?o }",
                 local_graphs={"https://w3id.org/techreg/source/x"})
    check_safety("SELECT * WHERE { SERVICE <http://x> { ?s ?p ?o } }", allow_remote=True)


def test_unknown_library_name_suggests(run):
    result = run("query", "exchanges-of-reviewed-platform")
    assert result.exit_code == 2 and "did you mean" in result.stderr


def test_list_shows_questions_and_parameters(run):
    result = run("query", "--list")
    assert result.exit_code == 0
    assert "law-adoption" in result.stdout and "law (entity, default id:data-security-law)" in result.stdout


def test_isolated_runaway_query_is_killed(memory_store):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with pytest.raises(QueryTimeout):
        run_query(memory_store, slow, timeout=0.5)
    quick = run_query(memory_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s a tr:Source }", timeout=10)
    assert int(quick.rows()[0]["n"].value) >= 60
