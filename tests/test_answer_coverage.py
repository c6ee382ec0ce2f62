"""Answers name the coverage scopes they rest on (issue 13 item 2), through the command line.

Expected numbers are worked out here from the data by SPARQL, independently of the
members the scopes declare, and compared with what the commands print.
"""

from __future__ import annotations

import json
import re

import pytest

from graph.coverage.answers import answer_coverage
from graph.coverage.scopes import load_scopes
from graph.errors import BadInput

ID = "https://w3id.org/techreg/id/"
# the groups issue 13 names, by id (X/Twitter is a product in the data)
GROUP_ROOTS = {"alibaba-group", "ant-group", "tencent", "meituan", "didi-global", "bytedance", "baidu", "jd-com",
               "pinduoduo", "full-truck-alliance", "kanzhun", "alphabet", "amazon", "apple", "meta-platforms",
               "microsoft", "x-platform", "nvidia", "huawei"}


def _scopes(coverage: dict) -> dict[str, tuple]:
    return {s["id"]: (s["status"], s["as_of"], s["rows"]) for s in coverage["scopes"]}


def _as_of(scope_id: str) -> str:
    return next(str(s.as_of) for s in load_scopes() if s.id == scope_id)


def _ask(store, query: str) -> bool:
    return bool(store.query(query))


def test_dma_gatekeepers_rest_on_the_dma_scope_and_the_groups(run, memory_store):
    result = run("query", "dma-gatekeepers", "--format", "json")
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    rows = body["results"]["bindings"]
    assert len(rows) == 8  # six gatekeepers of 2023-09-06, Apple (iPadOS) and Booking in 2024
    for row in rows:  # each row's designation is one of the Commission's designation decisions
        assert _ask(memory_store, f"ASK {{ <{row['designation']['value']}> a tr:GatekeeperDesignation ; "
                                  "tr:issuedBy id:european-commission }")
    in_groups = sum(row["company"]["value"].removeprefix(ID) in GROUP_ROOTS for row in rows)
    assert in_groups == 7  # every row but Booking
    assert _scopes(body["coverage"]) == {"eu-dma-gatekeepers": ("partial", _as_of("eu-dma-gatekeepers"), 8),
                                         "groups": ("unchecked", None, 7)}
    assert body["coverage"]["rows"] == 8 and body["coverage"]["outside"] == 0


def test_text_says_the_scopes_on_stderr_and_json_matches(run, memory_store):
    text = run("query", "actions-by-regulator", "--param", "regulator=id:cma")
    body = json.loads(run("query", "actions-by-regulator", "--param", "regulator=id:cma", "--format", "json").stdout)
    rows = body["results"]["bindings"]
    n = len(rows)
    assert n >= 8
    # every CMA action in the data is dated 2018 or later: all rows rest on the CMA/ICO/Ofcom scope
    assert not _ask(memory_store, """ASK { ?a tr:issuedBy id:cma .
        ?a tr:announced|tr:startDate ?d FILTER(?d < "2018-01-01"^^xsd:date) }""")
    sms = sum(_ask(memory_store, f"ASK {{ <{r['action']['value']}> a tr:GatekeeperDesignation }}") for r in rows)
    groups = sum(_ask(memory_store, f"""ASK {{ VALUES ?root {{ {' '.join('id:' + g for g in GROUP_ROOTS)} }}
        <{r['target']['value']}> (tr:parentOrganization|tr:controlledBy)* ?root }}""") for r in rows)
    assert sms == 3 and 0 < groups < n  # Activision Blizzard and Ubisoft belong to no covered group
    assert _scopes(body["coverage"]) == {"groups": ("unchecked", None, groups),
                                         "uk-cma-ico-ofcom": ("unchecked", None, n),
                                         "uk-sms-designations": ("complete", "2025-10-27", sms)}
    assert text.exit_code == 0
    assert text.stderr.strip() == (
        f"Coverage: rests on scopes groups (unchecked, no as-of date) [{groups} of {n} rows], "
        f"uk-cma-ico-ofcom (unchecked, no as-of date) [{n} of {n} rows], "
        f"uk-sms-designations (complete, as of 2025-10-27) [{sms} of {n} rows]; rows outside every scope: 0")
    assert "Coverage" not in text.stdout


def test_rows_outside_every_scope_are_counted(run):
    body = json.loads(run("query", "laws-by-jurisdiction", "--format", "json").stdout)
    n = len(body["results"]["bindings"])
    assert n >= 5
    # the rows name jurisdictions only, and no scope covers a jurisdiction as such
    assert body["coverage"] == {"scopes": [], "rows": n, "outside": n}
    text = run("query", "laws-by-jurisdiction")
    assert text.stderr.strip() == f"Coverage: every row ({n}) is outside every declared scope; " \
                                  "the answer may be incomplete"


def test_ad_hoc_queries_keep_the_w3c_json_and_say_coverage_in_text(run):
    asked = "SELECT ?law WHERE { VALUES ?law { id:data-security-law id:coppa } }"
    body = json.loads(run("query", asked, "--format", "json").stdout)
    assert set(body) == {"head", "results"}
    text = run("query", asked)
    assert text.stderr.strip() == ("Coverage: rests on scope cn-data-platform-ai-rules (unchecked, no as-of date); "
                                   "rows outside every scope: 1")
    empty = run("query", "SELECT ?x WHERE { ?x a tr:Law } LIMIT 0")
    assert empty.stderr.strip().startswith("Coverage: no rows")
    ask = run("query", "ASK { ?x a tr:Law }")
    assert ask.stderr == ""
    csv = run("query", "dma-gatekeepers", "--format", "csv")
    assert csv.stderr == "" and "coverage" not in csv.stdout


def test_show_counts_the_entity_and_its_events(run, memory_store):
    data = json.loads(run("show", "Meta Platforms", "--format", "json").stdout)
    cov = data["coverage"]
    assert cov["rows"] == 1 + len(data["events"])
    scopes = _scopes(cov)
    assert "groups" in scopes  # Meta Platforms is a covered group
    dma = [e for e in data["events"] if _ask(memory_store, f"ASK {{ <{e['iri']}> a tr:GatekeeperDesignation ; "
                                                           "tr:issuedBy id:european-commission }")]
    assert scopes["eu-dma-gatekeepers"] == ("partial", _as_of("eu-dma-gatekeepers"), len(dma)) and dma
    text = run("show", "Meta Platforms")
    assert "Coverage: rests on scopes" in text.stderr and f"eu-dma-gatekeepers (partial, as of {_as_of('eu-dma-gatekeepers')})" in text.stderr


def test_timeline_rows_carry_their_scopes(run, memory_store):
    entries = json.loads(run("timeline", "Meta Platforms", "--jurisdiction", "UK", "--format", "json").stdout)
    assert entries
    for e in entries:  # the ICO's actions, each inside the CMA/ICO/Ofcom scope
        assert _ask(memory_store, f"ASK {{ <{e['iri']}> tr:issuedBy id:ico }}")
        assert e["coverage"] == [{"id": "uk-cma-ico-ofcom", "status": "unchecked", "as_of": None}]
    text = run("timeline", "Meta Platforms", "--jurisdiction", "UK")
    assert text.stderr.strip() == ("Coverage: rests on scope uk-cma-ico-ofcom (unchecked, no as-of date); "
                                   "rows outside every scope: 0")


def test_search_hits_and_exposure_routes(run):
    hits = json.loads(run("search", "Didi fine", "--format", "json").stdout)
    assert hits[0]["curie"] == "id:cac-fine-didi-2022"
    assert {"id": "cn-cac-platform-actions", "status": "unchecked", "as_of": _as_of("cn-cac-platform-actions")} \
        in hits[0]["coverage"]
    exposure = json.loads(run("exposure", "Full Truck Alliance", "--format", "json").stdout)
    items = sum(len(v) for v in exposure["routes"].values())
    # every route starts at Full Truck Alliance, a covered group
    assert _scopes(exposure["coverage"])["groups"] == ("unchecked", None, items)
    assert exposure["coverage"]["outside"] == 0


def _scope_dir(tmp_path, members: str) -> list:
    (tmp_path / "laws.yaml").write_text(f"""id: laws
title: Two laws
covers: two laws
reference: {{title: t, publisher: p, url: "https://example.org/", source: s}}
as_of: 2024-01-31
counts:
  - what: laws
    reference: 2
    recorded: 2
    query: |
      SELECT (COUNT(DISTINCT ?law) AS ?n) WHERE {{ VALUES ?law {{ id:data-security-law id:coppa }} ?law a tr:Law }}
{members}
""", encoding="utf-8")
    return load_scopes(tmp_path)


def test_library_members_by_count_name_or_query(tmp_path, memory_store):
    rows = [[ID + "data-security-law", "not an iri"], [ID + "alibaba-group"], []]
    for members in ("members: [laws]", "", "members: |\n  SELECT ?item WHERE { VALUES ?item { id:coppa id:data-security-law } }"):
        cov = answer_coverage(memory_store, rows, _scope_dir(tmp_path, members))
        assert cov.as_dict() == {"scopes": [{"id": "laws", "title": "Two laws", "status": "complete",
                                             "as_of": "2024-01-31", "rows": 1}], "rows": 3, "outside": 2}
        assert cov.per_row == [["laws"], [], []]
        assert cov.text() == "Coverage: rests on scope laws (complete, as of 2024-01-31); rows outside every scope: 2"


@pytest.mark.parametrize("members, message", [
    ("members: [statutes]", "members names no count 'statutes'"),
    ("members: 12", "a list of count names or a SPARQL query binding ?item"),
])
def test_bad_members_say_which_file(tmp_path, members, message):
    with pytest.raises(BadInput, match=re.escape(message)) as err:
        _scope_dir(tmp_path, members)
    assert "laws.yaml" in str(err.value)
