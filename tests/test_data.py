"""The bundled knowledge base: provenance, labels, the seed story and the landscape."""

import json


from graph import resources
from graph.data import build as databuild
from graph.answers.describe import describe
from graph.model.iris import DATA_GRAPH_FILTER
from graph.answers.stats import stats


def test_trig_files_are_built_from_the_yaml_fact_files():
    built = databuild.build()
    for name, data in built.items():
        on_disk = (resources.data_files()[0].parent / name).read_bytes()
        assert on_disk == data, f"{name} is stale: run python -m graph.data.build"
    assert sorted(built) == sorted(p.name for p in resources.data_files())


def test_every_named_graph_is_a_described_source(memory_store):
    rows = memory_store.select(f"""
        SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {DATA_GRAPH_FILTER}
          FILTER NOT EXISTS {{ ?g a tr:Source ; dcterms:publisher ?pub ; schema:url ?url }} }}""")
    assert rows == []


def test_every_source_url_is_a_real_address_and_no_placeholder(memory_store):
    rows = memory_store.select("SELECT ?url WHERE { ?s a tr:Source ; schema:url ?url }")
    urls = [r["url"].value for r in rows]
    assert urls and all(u.startswith(("http://", "https://")) for u in urls)
    assert not [u for u in urls if "example.com" in u or "example.org" in u]


def test_every_entity_has_an_english_label(memory_store):
    rows = memory_store.select("""
        SELECT ?e WHERE { ?e a ?c FILTER(?c IN (tr:Organization, tr:Product, tr:Law, tr:Jurisdiction, tr:Person,
                                                 tr:RegulatoryAction, tr:Listing))
          FILTER NOT EXISTS { ?e rdfs:label ?l FILTER(lang(?l) = "en") } }""")
    assert rows == []


def test_landscape_meets_the_counts(memory_store):
    s = stats(memory_store)
    assert s["entities"] >= 250
    assert s["actions"] >= 80
    assert s["sources"] >= 60


def test_seed_story_is_modelled(memory_store):
    fta = describe(memory_store, "Full Truck Alliance")
    products = {f.value_label for f in fta.relations if f.predicate == "tr:operates"}
    assert {"Yunmanman", "Huochebang"} <= products
    tickers = {e.values.get("ticker") for e in fta.events if "Listing" in e.classes}
    assert "YMM" in tickers
    nyse = [e for e in fta.events if e.values.get("ticker") == "YMM"][0]
    assert nyse.links["exchange"] == ["New York Stock Exchange"]
    assert nyse.dates["listingDate"] == "2021-06-22"
    for platform in ("Yunmanman", "Huochebang", "Boss Zhipin"):
        d = describe(memory_store, platform)
        reviews = [e for e in d.events if "CybersecurityReview" in e.classes]
        assert reviews and reviews[0].dates["announced"] == "2021-07-05"
        suspensions = [e for e in d.events if "RegistrationSuspension" in e.classes]
        assert suspensions and suspensions[0].dates.get("endDate") == "2022-06-29"
    didi = describe(memory_store, "Didi Chuxing")
    assert any("CybersecurityReview" in e.classes and e.dates.get("announced") == "2021-07-02" for e in didi.events)
    assert any("AppRemoval" in e.classes and e.dates.get("announced") == "2021-07-04" for e in didi.events)


def test_didi_listing_delisting_and_fine(memory_store):
    didi = describe(memory_store, "DiDi Global")
    listing = [e for e in didi.events if e.values.get("ticker") == "DIDI"][0]
    assert listing.dates["listingDate"] == "2021-06-30"
    assert listing.dates["delistingDate"] == "2022-06-10"
    assert listing.values["offerPrice"] == "14"
    fine = [e for e in didi.events if "Penalty" in e.classes][0]
    assert fine.values["amount"] == "8026000000" and fine.values["currency"] == "CNY"
    bases = set(fine.links["legalBasis"])
    assert any("Data Security Law" in b for b in bases)
    assert any("Cybersecurity Law" in b for b in bases)
    assert any("Personal Information Protection Law" in b for b in bases)


def test_laws_carry_their_adoption_and_effect(memory_store):
    expected = {
        "Data Security Law": ("2021-06-10", "2021-09-01"),
        "Personal Information Protection Law": ("2021-08-20", "2021-11-01"),
        "Cybersecurity Law": ("2016-11-07", "2017-06-01"),
    }
    for name, (adopted, effective) in expected.items():
        d = describe(memory_store, name)
        assert d.dates["dateAdopted"] == adopted
        assert d.dates["dateEffective"] == effective
        assert any(f.value == "id:npcsc" for f in d.relations if f.predicate == "tr:passedBy")
    old = describe(memory_store, "id:cybersecurity-review-measures-2020")
    new = describe(memory_store, "id:cybersecurity-review-measures-2022")
    assert old.dates["dateEffective"] == "2020-06-01"
    assert new.dates["dateEffective"] == "2022-02-15"


def test_identifiers_from_the_fact_sheet(memory_store):
    assert describe(memory_store, "NYSE").identifiers["mic"] == ["XNYS"]
    assert describe(memory_store, "Nasdaq").identifiers["mic"] == ["XNAS"]
    assert describe(memory_store, "Alibaba").identifiers["wikidata"] == ["Q1359568"]


def test_alibaba_listings_fine_and_stake(memory_store):
    d = describe(memory_store, "Alibaba")
    tickers = {e.values.get("ticker") for e in d.events if "Listing" in e.classes}
    assert {"BABA", "9988"} <= tickers
    fine = [e for e in d.events if "Penalty" in e.classes and e.values.get("amount") == "18228000000"]
    assert fine and fine[0].links["legalBasis"] == ["Anti-Monopoly Law of the People's Republic of China"]
    stakes = [e for e in d.events if "Stake" in e.classes]
    assert any("Ant Group" in e.label for e in stakes)


def test_chinese_entities_have_chinese_labels(memory_store):
    for name in ("Yunmanman", "Huochebang", "Boss Zhipin", "Cyberspace Administration of China", "Data Security Law",
                 "Baidu", "Tencent", "State Administration for Market Regulation"):
        d = describe(memory_store, name)
        assert any(l["lang"] == "zh" for l in d.labels), name


def test_stats_json_has_the_counts(run):
    result = run("stats", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["entities"] >= 250 and data["actions"] >= 80 and data["sources"] >= 60
    assert data["per_action_type"]["CybersecurityReview"] >= 4
