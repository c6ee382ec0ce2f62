"""EU DSA and DMA data (graph/data/src/eu-dsa-dma.yaml): designations, proceedings, decisions."""

ID = "https://w3id.org/techreg/id/"


def _values(store, query):
    return sorted(r["x"].value.removeprefix(ID) for r in store.select(query))


def test_first_dma_designation_names_its_22_core_platform_services(memory_store):
    services = _values(memory_store, """SELECT ?x WHERE {
        id:ec-dma-gatekeeper-designation-2023 tr:target ?x . ?x a tr:Product }""")
    assert len(services) == 22
    assert {"ios", "windows", "chrome", "safari", "messenger", "tiktok-app", "amazon-marketplace"} <= set(services)
    assert _values(memory_store, "SELECT ?x WHERE { id:ec-dma-designation-apple-ipados-2024 tr:target ?x . ?x a tr:Product }") == ["ipados"]
    assert _values(memory_store, "SELECT ?x WHERE { id:ec-dma-designation-booking-2024 tr:target ?x . ?x a tr:Product }") == ["booking-com"]


def test_every_dsa_action_of_the_commission_is_dated(memory_store):
    undated = _values(memory_store, """SELECT ?x WHERE {
        ?x a tr:RegulatoryAction ; tr:issuedBy id:european-commission ; tr:legalBasis id:dsa .
        FILTER NOT EXISTS { ?x tr:startDate|tr:announced ?d } }""")
    assert undated == []


def test_dsa_commitments_belong_to_their_proceedings(memory_store):
    rows = memory_store.select("""SELECT ?p ?end ?on WHERE {
        id:ec-dsa-commitments-tiktok-lite-2024 tr:partOf ?p ; tr:announced ?on . ?p tr:endDate ?end }""")
    assert [(r["p"].value.removeprefix(ID), str(r["end"].value), str(r["on"].value)) for r in rows] == [
        ("ec-dsa-proceedings-tiktok-lite-2024", "2024-08-05", "2024-08-05")]


def test_dsa_targets_of_the_groups_roll_up(memory_store):
    # services designated or investigated under the DSA reach their group through operates/parent links
    groups = _values(memory_store, """SELECT DISTINCT ?x WHERE {
        VALUES ?svc { id:whatsapp-channels id:temu id:tiktok-app id:aliexpress }
        { ?x tr:operates ?svc } UNION { ?svc tr:parentOrganization ?x } }""")
    assert {"meta-platforms", "whaleco-technology", "bytedance", "alibaba-group"} <= set(groups)
