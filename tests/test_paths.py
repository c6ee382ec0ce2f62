"""Explained paths and exposure (library and command line)."""

import json

import pytest

from graph.errors import BadInput
from graph.network.projection import project
from graph.network.exposure import exposure
from graph.network.paths import find_paths


def test_projection_holds_entities_and_events_not_literals_types_or_sources(memory_store):
    g = project(memory_store).graph
    assert "https://w3id.org/techreg/id/cac-review-yunmanman-2021" in g
    assert not [n for n in g if n.startswith("https://w3id.org/techreg/source/")]
    assert not [n for n in g if n.startswith("https://w3id.org/techreg/ontology#")]
    keys = {k for _, _, k in g.edges(keys=True)}
    assert "target" in keys and "type" not in keys and "label" not in keys
    # inverse statements are stored once, canonically
    assert "subsidiary" not in keys and "targetOf" not in keys
    review = "https://w3id.org/techreg/id/cac-review-yunmanman-2021"
    assert g.nodes[review]["dates"]["announced"] == "2021-07-05"
    for _, _, data in g.edges(data=True):
        assert data["sources"], data


def test_projection_is_reused_until_the_store_changes(memory_store):
    assert project(memory_store) is project(memory_store)


def test_yunmanman_to_data_security_law(memory_store):
    result = find_paths(memory_store, "Yunmanman", "Data Security Law", k=3)
    best = result.paths[0]
    assert best.hops <= 4
    labels = [n.label for n in best.nodes]
    assert "Cybersecurity review of Yunmanman" in labels
    assert "Cyberspace Administration of China" in labels
    assert best.edges[0].predicate == "target" and best.edges[0].direction == "backward"
    assert best.edges[0].dates["announced"] == "2021-07-05"
    assert "5 Jul 2021" in best.sentence and "Cyberspace Administration of China" in best.sentence
    for path in result.paths[:3]:
        assert not any("Jurisdiction" in n.types for n in path.nodes)
        assert all(e.sources for e in path.edges)


def test_boss_zhipin_to_nasdaq_goes_through_kanzhun(memory_store):
    result = find_paths(memory_store, "Boss Zhipin", "Nasdaq")
    assert "Kanzhun Limited" in [n.label for n in result.paths[0].nodes]


def test_paths_are_ranked_and_deterministic(memory_store):
    first = find_paths(memory_store, "Yunmanman", "Data Security Law", k=5)
    again = find_paths(memory_store, "Yunmanman", "Data Security Law", k=5)
    assert [[n.iri for n in p.nodes] for p in first.paths] == [[n.iri for n in p.nodes] for p in again.paths]
    costs = [p.cost for p in first.paths]
    assert costs == sorted(costs)


def test_jurisdictions_are_not_passed_through_unless_allowed(memory_store):
    result = find_paths(memory_store, "Ireland", "Luxembourg", max_hops=2)
    assert not result.paths
    assert "only through" in result.note or "no path" in result.note
    allowed = find_paths(memory_store, "Yunmanman", "Data Security Law", allow_hubs=True, k=10)
    assert allowed.paths


def test_only_hub_routes_are_reported_as_such(memory_store, run):
    result = find_paths(memory_store, "Ministry of Commerce", "Shenzhen Stock Exchange", max_hops=3)
    assert not result.paths
    assert "only through People's Republic of China" in result.note
    shown = find_paths(memory_store, "Ministry of Commerce", "Shenzhen Stock Exchange", max_hops=3, allow_hubs=True)
    assert "People's Republic of China" in [n.label for n in shown.paths[0].nodes]
    cli = run("path", "Ministry of Commerce", "Shenzhen Stock Exchange")
    assert cli.exit_code == 1 and "explains nothing" in cli.stderr


def test_via_entity_and_predicate(memory_store):
    via = find_paths(memory_store, "Yunmanman", "Data Security Law", via=["NPC Standing Committee"], k=1)
    assert "Standing Committee of the National People's Congress" in [n.label for n in via.paths[0].nodes]
    by_pred = find_paths(memory_store, "Yunmanman", "Data Security Law", via=["legalBasis"], k=2)
    assert by_pred.paths
    assert all(any(e.predicate == "legalBasis" for e in p.edges) for p in by_pred.paths)


def test_avoid_entity_predicate_and_class(memory_store):
    no_cac = find_paths(memory_store, "Yunmanman", "Data Security Law", avoid=["CAC"], k=3)
    assert all("Cyberspace Administration of China" not in [n.label for n in p.nodes] for p in no_cac.paths)
    no_enforce = find_paths(memory_store, "Yunmanman", "Data Security Law", avoid=["enforces"], k=3)
    assert all(e.predicate != "enforces" for p in no_enforce.paths for e in p.edges)
    no_legislature = find_paths(memory_store, "Yunmanman", "Data Security Law", avoid=["Legislature"], k=3)
    assert all("Legislature" not in n.types for p in no_legislature.paths for n in p.nodes)


def test_directed_follows_statements_forwards_only(memory_store):
    result = find_paths(memory_store, "id:cac-review-yunmanman-2021", "Data Security Law", directed=True, k=3)
    assert result.paths
    assert all(e.direction == "forward" for p in result.paths for e in p.edges)
    none = find_paths(memory_store, "Data Security Law", "Yunmanman", directed=True)
    assert not none.paths


def test_as_of_hides_facts_not_yet_in_force(memory_store):
    before = find_paths(memory_store, "Yunmanman", "Cyberspace Administration of China", as_of="2021-07-01", max_hops=3)
    assert not before.paths or all("Cybersecurity review of Yunmanman" not in [n.label for n in p.nodes]
                                   for p in before.paths)
    after = find_paths(memory_store, "Yunmanman", "Cyberspace Administration of China", as_of="2021-07-06", max_hops=3)
    assert "Cybersecurity review of Yunmanman" in [n.label for n in after.paths[0].nodes]


@pytest.mark.parametrize("kwargs, words", [
    ({"max_hops": -1}, "--max-hops"),
    ({"max_hops": 500}, "--max-hops"),
    ({"as_of": "yesterday"}, "not a date"),
    ({"k": 0}, "-k"),
])
def test_bad_requests_are_refused(memory_store, kwargs, words):
    with pytest.raises(BadInput, match=words):
        find_paths(memory_store, "Yunmanman", "Data Security Law", **kwargs)


def test_same_endpoints_refused(memory_store):
    with pytest.raises(BadInput, match="same entity"):
        find_paths(memory_store, "Yunmanman", "运满满")


def test_cli_path_text(run):
    result = run("path", "Yunmanman", "Data Security Law")
    assert result.exit_code == 0
    out = result.stdout
    assert "Path 1:" in out and "<-target-" in out and "-issuedBy->" in out and "-enforces->" in out
    assert "Yunmanman was the target of" in out
    assert "Sources:" in out


def test_cli_path_json(run):
    result = run("path", "Yunmanman", "Data Security Law", "--format", "json")
    data = json.loads(result.stdout)
    assert data["from"]["label"] == "Yunmanman"
    path = data["paths"][0]
    assert set(path) >= {"hops", "cost", "nodes", "edges"}
    assert set(path["edges"][0]) >= {"predicate", "label", "direction", "sources", "dates"}
    assert path["nodes"][0]["types"] == ["Product"]


@pytest.mark.parametrize("args, code, words", [
    (["path", "Yunmanmen", "CAC"], 2, "did you mean"),
    (["path", "Cybersecurity Review Measures", "CAC"], 2, "ambiguous"),
    (["path", "CAC", "CAC"], 2, "same entity"),
    (["path", "CAC", "Nasdaq", "--max-hops", "0"], 2, "--max-hops"),
    (["path", "CAC", "Nasdaq", "--as-of", "2021-13-45"], 2, "not a date"),
    (["path", "Yunmanman", "Data Security Law", "--max-hops", "1"], 1, "within 1 hops"),
])
def test_cli_path_bad_input_and_no_path(run, args, code, words):
    result = run(*args)
    assert result.exit_code == code
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_exposure_of_full_truck_alliance(memory_store, run):
    result = exposure(memory_store, "Full Truck Alliance")
    names = {i.entity.label for i in result.items}
    assert "Data Security Law of the People's Republic of China" in names
    assert "Cybersecurity Law of the People's Republic of China" in names
    assert "Cyberspace Administration of China" in names
    assert any(route.startswith("via product") for route in result.groups())
    out = run("exposure", "Full Truck Alliance")
    assert out.exit_code == 0 and "via product" in out.stdout
    as_json = json.loads(run("exposure", "Full Truck Alliance", "--format", "json").stdout)
    assert as_json["routes"]


def test_exposure_includes_own_actions(memory_store):
    result = exposure(memory_store, "Alibaba")
    assert "own actions" in result.groups()
    laws = {i.entity.label for i in result.groups()["own actions"]}
    assert "Anti-Monopoly Law of the People's Republic of China" in laws


def test_meituan_to_anti_monopoly_law_explains_the_samr_fine(memory_store):
    result = find_paths(memory_store, "Meituan", "Anti-Monopoly Law")
    best = result.paths[0]
    assert any("Penalty" in n.types and "SAMR" in n.label or "Meituan" in n.label and "Penalty" in n.types
               for n in best.nodes)
