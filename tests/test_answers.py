"""Issue 12 through the command line: token search, ambiguity, values with sources,
filters, undated actions, routes with meaning, roll-up, text tables."""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize("text, expected", [
    ("Didi fine", "id:cac-fine-didi-2022"),
    ("Amazon GDPR", "id:cnpd-fine-amazon-2021"),
    ("滴滴 罚款", "id:cac-fine-didi-2022"),  # 滴滴 in the target's Chinese label, 罚款 a name of Penalty
])
def test_token_search_finds_the_action(run, text, expected):
    result = run("search", text, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["curie"] == expected


def test_search_with_filters(run):
    out = json.loads(run("search", "Amazon", "--type", "Penalty", "--jurisdiction", "Luxembourg",
                         "--format", "json").stdout)
    assert [h["curie"] for h in out] == ["id:cnpd-fine-amazon-2021"]
    bad = run("search", "Amazon", "--type", "Penalti")
    assert bad.exit_code == 2 and "did you mean Penalty" in bad.stderr


def test_show_tiktok_takes_the_company_and_lists_the_others(run):
    text = run("show", "TikTok")
    assert text.exit_code == 0
    assert text.stdout.startswith("TikTok Ltd  (id:tiktok)")
    assert "taken as TikTok Ltd" in text.stderr and "id:tiktok-app" in text.stderr
    assert "id:tiktok-technology-limited" in text.stderr and "Pick another by its id" in text.stderr
    data = json.loads(run("show", "TikTok", "--format", "json").stdout)
    assert data["curie"] == "id:tiktok"
    assert {a["curie"] for a in data["alternatives"]} == {"id:tiktok-app", "id:tiktok-technology-limited"}
    assert json.loads(run("show", "id:tiktok-app", "--format", "json").stdout)["alternatives"] == []


def test_show_lists_each_value_with_its_sources_and_marks_conflicts(run):
    data = json.loads(run("show", "id:cnpd-fine-amazon-2021", "--format", "json").stdout)
    values = {v["value"]: v["sources"] for v in data["properties"]["startDate"]}
    assert values == {"2021-07-15": ["https://w3id.org/techreg/source/cnpd-amazon-statement"],
                      "2021-07-16": ["https://w3id.org/techreg/source/huntonprivacyblog-cnpd-amazon"]}
    assert data["conflicts"] == ["startDate"]
    text = run("show", "id:cnpd-fine-amazon-2021").stdout
    assert "2021-07-15 [" in text and "2021-07-16 [" in text and "CONFLICT" in text
    # on the firm's page too, inside the action
    firm = run("show", "Amazon Europe Core").stdout
    assert "CONFLICT" in firm


def test_timeline_lists_undated_actions(run):
    result = run("timeline", "Shenzhen Hive Box", "--format", "json")
    entries = json.loads(result.stdout)
    assert [(e["date"], e["what"], e["iri"].rsplit("/", 1)[1]) for e in entries] == \
        [(None, "undated", "samr-fine-hive-box-2020")]
    assert run("timeline", "Shenzhen Hive Box").stdout.startswith("undated")


def test_timeline_filters(run):
    entries = json.loads(run("timeline", "--all", "--jurisdiction", "Luxembourg", "--type", "Penalty",
                             "--format", "json").stdout)
    assert {e["iri"].rsplit("/", 1)[1] for e in entries} == {"cnpd-fine-amazon-2021"}
    fta = json.loads(run("timeline", "Full Truck Alliance", "--type", "CybersecurityReview", "--format", "json").stdout)
    assert [(e["date"], e["via"]) for e in fta] == [("2021-07-05", "Huochebang"), ("2021-07-05", "Yunmanman")]


def test_jurisdiction_containment_is_followed():
    from graph.answers.filters import make_filter
    from graph.stores import open_store

    store = open_store("memory")  # a store of its own: this test writes
    import pyoxigraph as ox

    store.add([ox.Quad(ox.NamedNode("https://w3id.org/techreg/id/luxembourg"),
                       ox.NamedNode("https://w3id.org/techreg/ontology#withinJurisdiction"),
                       ox.NamedNode("https://w3id.org/techreg/id/european-union"),
                       ox.NamedNode("https://w3id.org/techreg/source/test-containment"))])
    f = make_filter(store, "EU", "Penalty")
    assert "https://w3id.org/techreg/id/luxembourg" in f.jurisdictions
    assert f.accepts("https://w3id.org/techreg/id/cnpd-fine-amazon-2021")


def test_exposure_routes_have_meaning(run):
    data = json.loads(run("exposure", "DiDi Global", "--type", "Statute", "--jurisdiction", "United States",
                          "--format", "json").stdout)
    rows = [i for items in data["routes"].values() for i in items]
    assert rows[0]["entity"]["label"] == "Holding Foreign Companies Accountable Act"
    assert rows[0]["route_type"] == "action"
    sox = next(i for i in rows if i["entity"]["label"] == "Sarbanes-Oxley Act of 2002")
    assert sox["route_type"] == "regulator" and "U.S. Securities and Exchange Commission acted against" in sox["route_phrase"]
    order = ["action", "regulator", "listing", "designation", "jurisdiction", "other", "loose", "precedent"]
    ranks = [order.index(i["route_type"]) for i in rows]
    assert ranks == sorted(ranks)
    assert all(i["route_type"] != "precedent" for i in rows)


def test_path_alternatives_hide_precedents_unless_asked(run):
    plain = json.loads(run("path", "Yunmanman", "Data Security Law", "-k", "5", "--format", "json").stdout)
    assert plain["paths"][0]["route_type"] == "regulator"
    assert all(p["route_type"] != "precedent" for p in plain["paths"]) and plain["hidden_precedents"] >= 1
    more = json.loads(run("path", "Yunmanman", "Data Security Law", "-k", "10", "--precedent",
                          "--format", "json").stdout)
    kinds = [p["route_type"] for p in more["paths"]]
    assert more["hidden_precedents"] == 0 and kinds[0] == "regulator"
    firsts = [k != "precedent" for k in kinds]
    assert firsts == sorted(firsts, reverse=True)  # precedents, if any, come last
    assert "Route: regulator" in run("path", "Yunmanman", "Data Security Law").stdout


def test_roll_up_both_ways(run):
    parent = json.loads(run("show", "Amazon", "--format", "json").stdout)
    via = {e["iri"].rsplit("/", 1)[1]: (e["via"], e["via_kind"]) for e in parent["events"] if e["via"]}
    assert via["cnpd-fine-amazon-2021"] == ("Amazon Europe Core S.à r.l.", "subsidiary")
    child = json.loads(run("show", "TikTok Technology Limited", "--format", "json").stdout)
    group = {e["iri"].rsplit("/", 1)[1] for e in child["events"] if e["via_kind"] == "parent"}
    assert "pafaca-divest-or-ban-2024" in group
    assert "(via parent ByteDance)" in run("show", "TikTok Technology Limited").stdout
    entries = json.loads(run("timeline", "Amazon", "--type", "Penalty", "--format", "json").stdout)
    cnpd = [e for e in entries if e["iri"].endswith("/cnpd-fine-amazon-2021")]
    assert cnpd and all((e["via"], e["via_kind"]) == ("Amazon Europe Core S.à r.l.", "subsidiary") for e in cnpd)
    tiktok = json.loads(run("timeline", "TikTok Technology Limited", "--format", "json").stdout)
    assert {e["via_kind"] for e in tiktok if e["iri"].endswith("/pafaca-divest-or-ban-2024")} == {"parent"}


def test_text_tables_wrap_to_the_terminal(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "70")
    out = run("search", "TikTok", "--limit", "5").stdout
    assert out and max(len(line) for line in out.splitlines()) <= 70
    json_out = run("search", "TikTok", "--limit", "5", "--format", "json").stdout
    assert json.loads(json_out)[0]["curie"] == "id:tiktok-app"


def test_search_index_is_kept_beside_a_disk_store_and_goes_stale_on_writes(tmp_path, run):
    from graph.lookup.search import search
    from graph.stores import open_store
    from graph.stores.loading import init_store, load_files

    kb = tmp_path / "kb"
    store = open_store(f"oxigraph:{kb}")
    init_store(store)
    store.close()
    reader = open_store(f"oxigraph:{kb}")
    assert search(reader, "Didi fine")[0].curie == "id:cac-fine-didi-2022"
    reader.close()
    kept = kb / "techreg-index-search.sqlite"
    assert kept.exists() and (kb / "techreg-index-names.sqlite").exists()
    stamp = kept.stat().st_mtime_ns
    again = run("--store", f"oxigraph:{kb}", "search", "Didi fine", "--format", "json")
    assert json.loads(again.stdout)[0]["curie"] == "id:cac-fine-didi-2022"
    assert kept.stat().st_mtime_ns == stamp  # read, not rebuilt
    fact = tmp_path / "new.trig"
    fact.write_text("""
        @prefix tr: <https://w3id.org/techreg/ontology#> . @prefix id: <https://w3id.org/techreg/id/> .
        @prefix src: <https://w3id.org/techreg/source/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix dcterms: <http://purl.org/dc/terms/> . @prefix schema: <https://schema.org/> .
        src:probe { id:probe-fine a tr:Penalty ; rdfs:label "Probe fine"@en ; tr:target id:didi-global . }
        src:probe a tr:Source ; dcterms:publisher "Probe" ; schema:url "https://example.org/probe" .
        """, encoding="utf-8")
    writer = open_store(f"oxigraph:{kb}")
    load_files(writer, [fact], check=False)
    assert not kept.exists() and not (kb / "techreg-index-names.sqlite").exists()  # removed by the write
    writer.close()
    later = open_store(f"oxigraph:{kb}")
    assert "id:probe-fine" in [h.curie for h in search(later, "Didi fine")]
    later.close()
