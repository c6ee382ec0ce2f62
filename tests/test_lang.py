"""``--lang en|zh|en,zh`` on show, search, path and exposure, through the command line.

The expected labels are the bundled data's own: rdfs:label "Yunmanman"@en, "运满满"@zh;
"Cyberspace Administration of China"@en, "国家互联网信息办公室"@zh; the Data Security
Law's "数据安全法"@zh; Nasdaq has no Chinese label (so it stays English)."""

from __future__ import annotations

import json

import pytest

CAC = "https://w3id.org/techreg/id/cac"
DSL = "https://w3id.org/techreg/id/data-security-law"
NASDAQ = "https://w3id.org/techreg/id/nasdaq"
YMM = "https://w3id.org/techreg/id/yunmanman"


def _json(run, *args):
    r = run(*args, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def _labels(store, iri):
    """The entity's English and Chinese rdfs:label as the store holds them."""
    rows = store.select(f"SELECT ?l WHERE {{ <{iri}> rdfs:label ?l }}")
    by = {}
    for row in rows:
        by.setdefault((row["l"].language or "en")[:2], []).append(row["l"].value)
    return by


@pytest.fixture(scope="module")
def kb():
    from graph.stores import open_store

    return open_store("memory")


def test_the_labels_the_tests_expect_are_in_the_data(kb):
    assert _labels(kb, YMM) == {"en": ["Yunmanman"], "zh": ["运满满"]}
    assert _labels(kb, CAC)["zh"] == ["国家互联网信息办公室"]
    assert _labels(kb, DSL)["zh"] == ["数据安全法"]
    assert "zh" not in _labels(kb, NASDAQ)


@pytest.mark.parametrize("args", [
    ("show", "Yunmanman"), ("show", "CAC", "--format", "json"),
    ("search", "运满满"), ("search", "Didi fine", "--format", "json"),
    ("path", "Yunmanman", "Data Security Law", "-k", "1"),
    ("path", "Yunmanman", "Data Security Law", "--format", "json"),
    ("exposure", "Yunmanman", "--format", "json"), ("exposure", "Yunmanman"),
])
def test_lang_en_is_the_default_output_byte_for_byte(run, args):
    plain, english = run(*args), run(*args, "--lang", "en")
    assert plain.exit_code == english.exit_code == 0, plain.output
    assert plain.stdout == english.stdout
    assert "label_zh" not in plain.stdout and "label_en" not in plain.stdout


def test_show_in_chinese_and_in_both(run):
    r = run("show", "Yunmanman", "--lang", "zh")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == "运满满  (id:yunmanman)"
    assert "  Yunmanman @en" in lines  # the other label is still listed
    assert "issuedBy: 国家互联网信息办公室" in r.stdout
    both = run("show", "Yunmanman", "--lang", "en,zh")
    assert both.stdout.splitlines()[0] == "Yunmanman / 运满满  (id:yunmanman)"
    assert "Cyberspace Administration of China / 国家互联网信息办公室" in both.stdout
    d = _json(run, "show", "CAC", "--lang", "zh")
    assert d["label"] == "国家互联网信息办公室" and d["curie"] == "id:cac"
    assert {"value": "Cyberspace Administration of China", "lang": "en"} in d["labels"]
    english = _json(run, "show", "CAC")
    assert english["label"] == "Cyberspace Administration of China"
    # the same events in the same order, only their labels change
    assert [e["iri"] for e in d["events"]] == [e["iri"] for e in english["events"]]


def test_search_labels_and_json_keys(run, kb):
    d = _json(run, "search", "运满满", "--lang", "zh")
    english = _json(run, "search", "运满满")
    assert [h["iri"] for h in d] == [h["iri"] for h in english]
    top = d[0]
    assert top["iri"] == YMM and top["label"] == "运满满"
    assert top["label_en"] == "Yunmanman" and top["label_zh"] == "运满满"
    assert english[0]["label"] == "Yunmanman" and "label_zh" not in english[0]
    assert set(english[0]) | {"label_en", "label_zh"} == set(top)
    both = _json(run, "search", "Nasdaq", "--lang", "en,zh")
    nasdaq = next(h for h in both if h["iri"] == NASDAQ)
    assert nasdaq["label"] == "Nasdaq" and nasdaq["label_zh"] is None  # no Chinese label: English
    text = run("search", "运满满", "--lang", "en,zh")
    assert "Yunmanman / 运满满" in text.stdout


def test_path_in_chinese_text_and_json(run):
    r = run("path", "Yunmanman", "Data Security Law", "-k", "1", "--lang", "zh")
    assert r.exit_code == 0, r.output
    assert "运满满 <-target- " in r.stdout
    assert "国家互联网信息办公室 -enforces-> 数据安全法" in r.stdout
    assert "Route: regulator, 国家互联网信息办公室 acted against 运满满 and enforces 数据安全法." in r.stdout
    d = _json(run, "path", "Yunmanman", "Data Security Law", "--lang", "zh")
    english = _json(run, "path", "Yunmanman", "Data Security Law")
    assert d["from"]["label"] == "运满满" and d["from"]["label_en"] == "Yunmanman"
    assert d["to"]["label"] == "数据安全法" and d["to"]["label_zh"] == "数据安全法"
    assert d["to"]["label_en"] == english["to"]["label"]
    # the ranking does not depend on the language
    assert [[n["iri"] for n in p["nodes"]] for p in d["paths"]] == \
        [[n["iri"] for n in p["nodes"]] for p in english["paths"]]
    assert [p["route_type"] for p in d["paths"]] == [p["route_type"] for p in english["paths"]]
    k = _json(run, "path", "Kanzhun", "Nasdaq", "-k", "1", "--lang", "zh")
    assert k["to"]["label"] == "Nasdaq" and k["to"]["label_zh"] is None
    assert k["paths"][0]["sentence"].endswith("which trades on Nasdaq. Route: listing, listing of "
                                              f"{k['from']['label_zh']} ({k['paths'][0]['nodes'][1]['label']}).")


def test_path_note_names_entities_in_the_language(run):
    r = run("path", "Yunmanman", "Data Security Law", "--max-hops", "1", "--lang", "zh")
    assert r.exit_code == 1
    assert "no path between 运满满 and 数据安全法 within 1 hops" in r.output


def test_path_html_view_in_chinese(run, tmp_path):
    out = tmp_path / "p.html"
    r = run("path", "Yunmanman", "Data Security Law", "-k", "1", "--format", "html", "-o", str(out), "--lang", "zh")
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert "国家互联网信息办公室" in page and "运满满" in page


def test_exposure_in_chinese(run):
    d = _json(run, "exposure", "Yunmanman", "--lang", "zh")
    english = _json(run, "exposure", "Yunmanman")
    assert d["entity"]["label"] == "运满满" and d["entity"]["label_en"] == "Yunmanman"
    assert list(d["routes"]) == list(english["routes"]) == ["own actions"]
    items = d["routes"]["own actions"]
    assert [i["entity"]["iri"] for i in items] == [i["entity"]["iri"] for i in english["routes"]["own actions"]]
    cac = next(i for i in items if i["entity"]["iri"] == CAC)
    assert cac["entity"]["label"] == "国家互联网信息办公室"
    assert cac["route_phrase"].startswith("direct action against 运满满 (")
    assert cac["route_phrase"].endswith(") by 国家互联网信息办公室")
    both = run("exposure", "Yunmanman", "--lang", "en,zh")
    assert both.stdout.startswith("Yunmanman / 运满满: ")
    assert "[regulator] Cyberspace Administration of China / 国家互联网信息办公室" in both.stdout


def test_exposure_groups_name_the_related_entity_in_the_language(run, kb):
    # Full Truck Alliance's routes run through its product Huochebang (货车帮 in the data)
    assert _labels(kb, "https://w3id.org/techreg/id/huochebang") == {"en": ["Huochebang"], "zh": ["货车帮"]}
    d = _json(run, "exposure", "Full Truck Alliance", "--lang", "zh")
    english = _json(run, "exposure", "Full Truck Alliance")
    assert list(english["routes"]) == ["via product Huochebang"]
    assert list(d["routes"]) == ["via product 货车帮"]
    assert [i["entity"]["iri"] for i in d["routes"]["via product 货车帮"]] == \
        [i["entity"]["iri"] for i in english["routes"]["via product Huochebang"]]


@pytest.mark.parametrize("command", [("show", "CAC"), ("search", "CAC"), ("path", "CAC", "Yunmanman"),
                                     ("exposure", "Yunmanman")])
def test_bad_lang_is_refused_with_exit_2(run, command):
    r = run(*command, "--lang", "fr")
    assert r.exit_code == 2
    assert "fr" in r.output and "en, zh" in r.output
