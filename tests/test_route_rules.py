"""Route types judged with the data (issue 12 item 9, leftovers): an action against the
firm's group is never precedent, and routes through authorities that never acted on the
group are 'loose', ranked after 'other'. Each expected answer is checked by SPARQL first."""

from __future__ import annotations

import json

from graph.network.paths import find_paths
from graph.network.routes import ROUTE_ORDER, classify, route_context

ID = "https://w3id.org/techreg/id/"


def _ask(store, query: str) -> bool:
    return bool(store.query(query))


def _slugs(path: dict) -> list[str]:
    return [n["iri"].removeprefix(ID) for n in path["nodes"]]


def test_two_actions_of_one_case_are_an_action_route(run, memory_store):
    # the preliminary finding is part of the investigation, and both target NVIDIA
    assert _ask(memory_store, "ASK { id:samr-nvidia-further-investigation-2025 tr:partOf id:samr-investigation-nvidia-2024 ; "
                              "tr:target id:nvidia . "
                              "id:samr-investigation-nvidia-2024 tr:target id:nvidia ; tr:legalBasis id:anti-monopoly-law }")
    data = json.loads(run("path", "NVIDIA", "Anti-Monopoly Law", "-k", "10", "--precedent",
                          "--format", "json").stdout)
    by_nodes = {tuple(_slugs(p)): p for p in data["paths"]}
    case = by_nodes[("nvidia", "samr-nvidia-further-investigation-2025", "samr-investigation-nvidia-2024",
                     "anti-monopoly-law")]
    assert case["route_type"] == "action"
    assert "part of one case with SAMR preliminary finding that Nvidia violated the Anti-Monopoly Law" in case["route"]
    kinds = [ROUTE_ORDER.index(p["route_type"]) for p in data["paths"]]
    assert kinds == sorted(kinds)


def test_a_route_through_another_firm_stays_precedent(memory_store):
    # Alphabet is no part of Meta's group: a route through it says nothing about Meta
    assert not _ask(memory_store, "ASK { id:meta-platforms (tr:parentOrganization|tr:controlledBy|^tr:operates)* ?top . "
                                  "id:alphabet (tr:parentOrganization|tr:controlledBy|^tr:operates)* ?top }")
    result = find_paths(memory_store, "Meta Platforms", "Digital Markets Act", k=5, max_hops=5, precedent=True,
                        via=["Alphabet"])
    assert len(result.paths) == 5
    # both actions target Meta, yet the route leaves the group through Alphabet
    first = result.paths[0]
    assert [n.iri.removeprefix(ID) for n in first.nodes] == [
        "meta-platforms", "ec-dma-gatekeeper-designation-2023", "alphabet", "ec-dma-noncompliance-investigations-2024",
        "dma"]
    assert first.route == "through another firm (Alphabet Inc.)"
    assert all(p.route_type == "precedent" for p in result.paths)


def test_a_case_reaches_the_regulator_that_enforces_the_law(run, memory_store):
    assert _ask(memory_store, """ASK { id:cac-registration-suspension-yunmanman-2021 tr:partOf id:cac-review-yunmanman-2021 ;
        tr:target id:yunmanman . id:cac-review-yunmanman-2021 tr:target id:yunmanman ; tr:issuedBy id:cac .
        id:cac tr:enforces id:data-security-law }""")
    result = find_paths(memory_store, "Yunmanman", "Data Security Law", k=10, max_hops=6, precedent=True)
    chain = [ID + s for s in ("yunmanman", "cac-registration-suspension-yunmanman-2021", "cac-review-yunmanman-2021",
                              "cac", "data-security-law")]
    path = next(p for p in result.paths if [n.iri for n in p.nodes] == chain)
    assert path.route_type == "regulator"
    assert classify(path).type == "precedent"  # the path alone took the second action for another case


def test_didi_to_pafaca_is_loose_and_ranks_after_other_routes(run, memory_store):
    context = route_context(memory_store, ID + "didi-global")
    assert ID + "didi-chuxing" in context.group
    # Congress took no action against DiDi's group; the SEC did (the HFCAA provisional list)
    assert not _ask(memory_store, f"""ASK {{ VALUES ?m {{ {' '.join(f'<{m}>' for m in context.group)} }}
        ?a tr:target ?m ; tr:issuedBy id:us-congress }}""")
    assert _ask(memory_store, "ASK { ?a tr:target id:didi-global ; tr:issuedBy id:sec }")
    data = json.loads(run("exposure", "DiDi Global", "--format", "json").stdout)
    rows = [i for items in data["routes"].values() for i in items]
    pafaca = next(i for i in rows if i["entity"]["iri"] == ID + "pafaca")
    assert pafaca["route_type"] == "loose"
    assert pafaca["route_phrase"] == ("loosely, through United States Congress, which took no action against "
                                     "DiDi Global Inc. or its group")
    sox = next(i for i in rows if i["entity"]["label"] == "Sarbanes-Oxley Act of 2002")
    assert sox["route_type"] == "regulator"
    pcaob = next(i for i in rows if i["entity"]["label"] == "Public Company Accounting Oversight Board")
    assert pcaob["route_type"] == "other"  # through the SEC, which acted against DiDi Global
    for items in data["routes"].values():  # ranked within each group (own actions, via product...)
        order = [ROUTE_ORDER.index(i["route_type"]) for i in items]
        assert order == sorted(order)
    text = run("exposure", "DiDi Global").stdout
    assert "route: loose" in text and text.index("route: other") < text.index("route: loose")
