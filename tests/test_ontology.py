"""The ontology, its closed namespace, and the terms code and data use."""

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import resources
from graph.model.namespaces import TR

ROOT = Path(__file__).resolve().parent.parent
TR_NS = "https://w3id.org/techreg/ontology#"


def _ontology():
    store = ox.Store()
    store.load(path=str(resources.ontology_file()), format=ox.RdfFormat.TURTLE)
    return store


def _defined_terms() -> set[str]:
    rows = _ontology().query(f'SELECT DISTINCT ?t WHERE {{ ?t a ?k FILTER(STRSTARTS(STR(?t), "{TR_NS}")) }}')
    return {r["t"].value[len(TR_NS):] for r in rows}


def test_closed_namespace_rejects_a_misspelt_term():
    assert str(TR.ticker) == TR_NS + "ticker"
    with pytest.raises(AttributeError):
        TR.tickr  # noqa: B018


def test_namespace_and_ontology_define_the_same_terms():
    declared = set(TR.__annotations__)
    assert declared == _defined_terms()


def test_every_term_used_in_code_and_data_is_defined():
    defined = _defined_terms()
    used: dict[str, set[str]] = {}
    code = [p for p in (ROOT / "graph").rglob("*.py") if p.name != "namespaces.py"]  # it defines TR
    for path in code + list((ROOT / "examples").rglob("*.rq")):
        for term in re.findall(r"\btr:([A-Za-z_]\w*)", path.read_text(encoding="utf-8")):
            used.setdefault(term, set()).add(path.name)
        for term in re.findall(r"\bTR\.([A-Za-z]\w*)", path.read_text(encoding="utf-8")):
            used.setdefault(term, set()).add(path.name)
    for path in resources.data_files():
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
            for term in (q.predicate, q.object):
                if isinstance(term, ox.NamedNode) and term.value.startswith(TR_NS):
                    used.setdefault(term.value[len(TR_NS):], set()).add(path.name)
    shapes = resources.shapes_file().read_text(encoding="utf-8")
    for term in re.findall(r"\btr:([A-Za-z_]\w*)", shapes):
        used.setdefault(term, set()).add("shapes.ttl")
    undefined = {t: sorted(files) for t, files in used.items() if t not in defined}
    assert not undefined, f"terms used but not defined in the ontology: {undefined}"
    inverses = {r["a"].value[len(TR_NS):]: r["b"].value[len(TR_NS):] for r in _ontology().query(
        "PREFIX owl: <http://www.w3.org/2002/07/owl#> SELECT ?a ?b WHERE { ?a owl:inverseOf ?b }")}
    materialised = {inv for inv, canon in inverses.items() if canon in used}  # entailed from their inverse
    unused = defined - set(used) - materialised - {"ActionTypes"}
    assert not unused, f"terms defined but never used in code, data, queries or shapes: {sorted(unused)}"


def test_every_class_and_property_has_label_and_definition():
    rows = _ontology().query(
        f"""PREFIX owl: <http://www.w3.org/2002/07/owl#>
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT ?t WHERE {{ ?t a ?k FILTER(?k IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty))
              FILTER(STRSTARTS(STR(?t), "{TR_NS}"))
              FILTER(NOT EXISTS {{ ?t rdfs:label ?l FILTER(lang(?l) = "en") }} || NOT EXISTS {{ ?t skos:definition ?d }}) }}"""
    )
    assert [r["t"].value for r in rows] == []


def test_object_properties_have_ranges_and_the_walked_pairs_are_inverse():
    store = _ontology()
    missing = store.query(
        f"""PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT ?p WHERE {{ ?p a owl:ObjectProperty FILTER(STRSTARTS(STR(?p), "{TR_NS}"))
              FILTER NOT EXISTS {{ ?p rdfs:range ?r }} FILTER NOT EXISTS {{ ?p rdfs:domain ?d }} }}"""
    )
    assert [r["p"].value for r in missing] == []
    pairs = {(r["a"].value[len(TR_NS):], r["b"].value[len(TR_NS):]) for r in store.query(
        "PREFIX owl: <http://www.w3.org/2002/07/owl#> SELECT ?a ?b WHERE { ?a owl:inverseOf ?b }")}
    for pair in [("subsidiary", "parentOrganization"), ("operatedBy", "operates"), ("enforcedBy", "enforces"),
                 ("controls", "controlledBy")]:
        assert pair in pairs
    assert store.query(f"ASK {{ <{TR_NS}controlledBy> a <http://www.w3.org/2002/07/owl#TransitiveProperty> }}")


@pytest.mark.parametrize("term, external", [
    ("parentOrganization", "http://www.w3.org/ns/org#subOrganizationOf"),
    ("parentOrganization", "https://schema.org/parentOrganization"),
    ("Law", "https://schema.org/Legislation"),
    ("Law", "http://data.europa.eu/eli/ontology#LegalResource"),
    ("passedBy", "http://data.europa.eu/eli/ontology#passed_by"),
    ("Exchange", "https://spec.edmcouncil.org/fibo/ontology/FBC/FunctionalEntities/Markets/Exchange"),
    ("controlledBy", "https://spec.edmcouncil.org/fibo/ontology/FND/Relations/Relations/isControlledBy"),
    ("Source", "http://www.w3.org/ns/prov#Entity"),
    ("RegulatoryAction", "http://www.w3.org/ns/prov#Activity"),
])
def test_alignments_to_standard_vocabularies(term, external):
    assert _ontology().query(
        f"""ASK {{ <{TR_NS}{term}> <http://www.w3.org/2000/01/rdf-schema#subClassOf>|<http://www.w3.org/2000/01/rdf-schema#subPropertyOf> <{external}> }}"""
    )


def test_ontology_header_has_version_and_licence():
    store = _ontology()
    assert store.query("""ASK { <https://w3id.org/techreg/ontology> a <http://www.w3.org/2002/07/owl#Ontology> ;
        <http://www.w3.org/2002/07/owl#versionInfo> ?v ; <http://purl.org/dc/terms/license> ?l }""")


def test_class_groups_match_the_ontology():
    from graph.model.classes import ACTION_CLASSES, LAW_CLASSES

    store = _ontology()

    def subclasses(root):
        rows = store.query(f"""SELECT ?c WHERE {{ ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{TR_NS}{root}>
                                FILTER(STRSTARTS(STR(?c), "{TR_NS}")) }}""")
        return {r["c"].value[len(TR_NS):] for r in rows}

    assert ACTION_CLASSES == subclasses("RegulatoryAction")
    assert LAW_CLASSES == subclasses("Law")
