"""CAC actions on platforms (graph/data/src/cn-cac.yaml): issuers as the decisions name them."""

ID = "https://w3id.org/techreg/id/"


def _values(store, query):
    return sorted(r["x"].value.removeprefix(ID) for r in store.select(query))


def test_city_offices_are_their_own_regulators_under_the_cac(memory_store):
    offices = _values(memory_store, """SELECT ?x WHERE {
        VALUES ?x { id:beijing-cyberspace-administration id:shanghai-cyberspace-administration
                    id:guangdong-cyberspace-administration }
        ?x a tr:Regulator ; tr:parentOrganization id:cac }""")
    assert offices == ["beijing-cyberspace-administration", "guangdong-cyberspace-administration",
                       "shanghai-cyberspace-administration"]


def test_trending_list_cases_name_the_local_office_not_the_cac(memory_store):
    issuers = memory_store.select("""SELECT ?a ?i WHERE {
        VALUES ?a { id:shanghai-cac-warning-xiaohongshu-2025-09 id:beijing-cac-warning-weibo-2025-09
                    id:beijing-cac-warning-kuaishou-2025-09 id:beijing-cac-warning-toutiao-2025-09
                    id:guangdong-cac-warning-uc-2025-09 id:beijing-cac-fine-kuaishou-2026-02 }
        ?a tr:issuedBy ?i }""")
    pairs = {(r["a"].value.removeprefix(ID), r["i"].value.removeprefix(ID)) for r in issuers}
    assert len(pairs) == 6
    assert all(issuer != "cac" for _, issuer in pairs)


def test_cnki_fine_closes_its_cybersecurity_review(memory_store):
    rows = memory_store.select("""SELECT ?p ?amt ?on WHERE {
        id:cac-fine-cnki-2023 tr:partOf ?p ; tr:amount ?amt ; tr:startDate ?on ; tr:issuedBy id:cac }""")
    assert {(r["p"].value.removeprefix(ID), int(float(r["amt"].value)), str(r["on"].value)) for r in rows} == {
        ("cac-cybersecurity-review-cnki-2022", 50_000_000, "2023-09-01")}
