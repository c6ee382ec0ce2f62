"""Every SHACL shape, with data that conforms and data that breaks it."""

import pyoxigraph as ox
import pytest

from graph.model.validation import validate_quads

PREFIXES = """
@prefix tr: <https://w3id.org/techreg/ontology#> .
@prefix id: <https://w3id.org/techreg/id/> .
@prefix src: <https://w3id.org/techreg/source/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
"""

SOURCE = """
src:doc { src:doc a tr:Source ; dcterms:title "A report" ; dcterms:publisher "A publisher" ;
          dcterms:issued "2021-07-05"^^xsd:date ; schema:url "https://example.net/report"^^xsd:anyURI . }
"""

GOOD = """
src:doc {
  id:land a tr:Jurisdiction ; rdfs:label "Land"@en .
  id:parent a tr:Company ; rdfs:label "Parent Co"@en , "母公司"@zh ; tr:jurisdiction id:land ; tr:wikidata "Q42" .
  id:firm a tr:Company ; rdfs:label "Firm"@en ; tr:parentOrganization id:parent ; tr:operates id:app ;
          tr:lei "5493001KJTIIGC8Y1R12" .
  id:app a tr:Product ; rdfs:label "App"@en .
  id:boss a tr:Person ; rdfs:label "Boss"@en ; tr:affiliation id:firm .
  id:board a tr:Legislature ; rdfs:label "Board"@en .
  id:agency a tr:Regulator ; rdfs:label "Agency"@en ; tr:enforces id:law .
  id:law a tr:Law , tr:Statute ; rdfs:label "Law"@en ; tr:passedBy id:board ;
         tr:dateAdopted "2021-06-10"^^xsd:date ; tr:dateEffective "2021-09-01"^^xsd:date .
  id:rule a tr:Law , tr:Measures ; rdfs:label "Rule"@en ; tr:implements id:law .
  id:xchg a tr:Exchange ; rdfs:label "Exchange"@en ; tr:mic "XABC" .
  id:review a tr:CybersecurityReview ; rdfs:label "Review"@en ; tr:issuedBy id:agency ; tr:target id:app ;
            tr:legalBasis id:law ; tr:announced "2021-07-05"^^xsd:date ;
            tr:startDate "2021-07-05"^^xsd:date ; tr:endDate "2022-06-29"^^xsd:date .
  id:fine a tr:Penalty ; rdfs:label "Fine"@en ; tr:issuedBy id:agency ; tr:target id:firm ;
          tr:amount "8026000000"^^xsd:decimal ; tr:currency "CNY" ; tr:partOf id:review .
  id:listing a tr:Listing ; rdfs:label "Firm on Exchange"@en ; tr:listedCompany id:firm ; tr:exchange id:xchg ;
             tr:ticker "FRM" ; tr:listingDate "2021-06-30"^^xsd:date ; tr:delistingDate "2022-06-10"^^xsd:date ;
             tr:offerPrice "14"^^xsd:decimal ; tr:offerCurrency "USD" ;
             tr:proceeds "4400000000"^^xsd:decimal ; tr:proceedsCurrency "USD" .
  id:stake a tr:Stake ; rdfs:label "Parent stake in Firm"@en ; tr:stakeHolder id:parent ; tr:stakeIn id:firm ;
           tr:shareOfEquity "0.33"^^xsd:decimal .
}
"""


def check(trig: str):
    quads = list(ox.parse(PREFIXES + trig, format=ox.RdfFormat.TRIG))
    return validate_quads({"test.trig": quads})


def errors(report):
    return [v for v in report.violations if v.severity == "Violation"]


def test_conforming_data_passes_every_shape():
    report = check(SOURCE + GOOD)
    assert report.conforms, [v.line() for v in report.violations]
    assert report.violations == []


# (shape, a substitution in GOOD or an addition, the words the message must contain)
BREAKS = [
    ("NamedGraph", ("src:doc {\n  id:land", "src:nowhere {\n  id:land"), "not described as a source"),
    ("Source: url", ('schema:url "https://example.net/report"^^xsd:anyURI', 'schema:url "ftp://x"'), "URL of the document"),
    ("Source: publisher", ('dcterms:publisher "A publisher" ;', ""), "publisher"),
    ("Source: date", ('dcterms:issued "2021-07-05"^^xsd:date', 'dcterms:issued "5 July 2021"'), "publication date"),
    ("Labelled: label", ('id:app a tr:Product ; rdfs:label "App"@en .', "id:app a tr:Product ."), "needs a name"),
    ("Labelled: English", ('id:xchg a tr:Exchange ; rdfs:label "Exchange"@en', 'id:xchg a tr:Exchange ; rdfs:label "交易所"@zh'), "English name"),
    ("Labelled: one per language", ('rdfs:label "Firm"@en ;', 'rdfs:label "Firm"@en , "Firm Inc"@en ;'), "one name per language"),
    ("Labelled: QID", ('tr:wikidata "Q42"', 'tr:wikidata "42"'), "Wikidata"),
    ("Labelled: jurisdiction", ("tr:jurisdiction id:land", "tr:jurisdiction id:board"), "jurisdiction must be"),
    ("ParentSubject", ('id:boss a tr:Person ; rdfs:label "Boss"@en ; tr:affiliation id:firm .',
                       'id:boss a tr:Person ; rdfs:label "Boss"@en ; tr:parentOrganization id:firm .'), "Only an organization"),
    ("Organization: parent", ("tr:parentOrganization id:parent", "tr:parentOrganization id:law"), "parent organization must be"),
    ("Organization: operates", ("tr:operates id:app", "tr:operates id:parent"), "must be a product"),
    ("Organization: enforces", ("tr:enforces id:law", "tr:enforces id:firm"), "must be a law"),
    ("Organization: LEI", ('tr:lei "5493001KJTIIGC8Y1R12"', 'tr:lei "ABC"'), "LEI"),
    ("Exchange: MIC", ('tr:mic "XABC"', 'tr:mic "xnys1"'), "MIC"),
    ("Person: affiliation", ("tr:affiliation id:firm", "tr:affiliation id:law"), "affiliation must be"),
    ("Law: passedBy", ("tr:passedBy id:board", "tr:passedBy id:app"), "passed a law"),
    ("Law: implements", ("tr:implements id:law", "tr:implements id:firm"), "only other laws"),
    ("Law: dates", ('tr:dateAdopted "2021-06-10"^^xsd:date', 'tr:dateAdopted "2021-10-10"^^xsd:date'), "not after its entry into force"),
    ("Action: issuer", ("tr:issuedBy id:agency ; tr:target id:app ;", "tr:target id:app ;"), "authority that took it"),
    ("Action: issuer class", ("tr:issuedBy id:agency ; tr:target id:app ;", "tr:issuedBy id:law ; tr:target id:app ;"), "issuer of an action must be"),
    ("Action: target", ("tr:issuedBy id:agency ; tr:target id:app ;", "tr:issuedBy id:agency ;"), "at least one target"),
    ("Action: target class", ("tr:issuedBy id:agency ; tr:target id:app ;", "tr:issuedBy id:agency ; tr:target id:review ;"), "target of an action must be"),
    ("Action: legal basis", ("tr:legalBasis id:law ;", "tr:legalBasis id:agency ;"), "legal basis of an action must be a law"),
    ("Action: partOf", ("tr:partOf id:review", "tr:partOf id:firm"), "part of another action"),
    ("Action: date type", ('tr:announced "2021-07-05"^^xsd:date', 'tr:announced "July 2021"'), "announcement date"),
    ("Action: start before end", ('tr:endDate "2022-06-29"^^xsd:date', 'tr:endDate "2020-06-29"^^xsd:date'), "not after its end date"),
    ("Action: positive amount", ('tr:amount "8026000000"^^xsd:decimal', 'tr:amount "-5"^^xsd:decimal'), "positive"),
    ("Action: currency code", ('tr:currency "CNY"', 'tr:currency "yuan"'), "ISO 4217"),
    ("Action: amount needs currency", ('tr:currency "CNY" ;', ""), "needs its currency"),
    ("Listing: company", ("tr:listedCompany id:firm ;", "tr:listedCompany id:app ;"), "exactly one company"),
    ("Listing: exchange", ("tr:exchange id:xchg ;", ""), "exactly one exchange"),
    ("Listing: ticker", ('tr:ticker "FRM"', 'tr:ticker "frm inc"'), "ticker"),
    ("Listing: dates", ('tr:delistingDate "2022-06-10"^^xsd:date', 'tr:delistingDate "2020-06-10"^^xsd:date'), "not after its delisting"),
    ("Listing: price currency", ('tr:offerCurrency "USD" ;', ""), "currenc"),
    ("Listing: proceeds positive", ('tr:proceeds "4400000000"^^xsd:decimal', 'tr:proceeds "0"^^xsd:decimal'), "positive"),
    ("Stake: holder", ("tr:stakeHolder id:parent ;", ""), "exactly one holder"),
    ("Stake: share", ('tr:shareOfEquity "0.33"^^xsd:decimal', 'tr:shareOfEquity "33"^^xsd:decimal'), "fraction"),
]


@pytest.mark.parametrize("name, change, words", BREAKS, ids=[b[0] for b in BREAKS])
def test_violating_data_is_reported_with_a_message(name, change, words):
    old, new = change
    base = SOURCE + GOOD
    assert old in base, f"the test's substitution for {name} does not apply"
    report = check(base.replace(old, new, 1))
    assert not report.conforms
    messages = [v.message for v in errors(report)]
    assert any(words.lower() in m.lower() for m in messages), messages
    assert all(v.files == ["test.trig"] for v in errors(report))


def test_conflicting_dates_from_two_sources_are_a_warning_not_an_error():
    other = SOURCE.replace("src:doc", "src:other") + """
    src:other { id:review tr:announced "2021-07-06"^^xsd:date . }"""
    report = check(SOURCE + GOOD + other)
    assert report.conforms
    warnings = [v for v in report.violations if v.severity == "Warning"]
    assert warnings and "disagree" in warnings[0].message


def test_facts_outside_any_named_graph_are_refused():
    report = check(SOURCE + GOOD + "\nid:firm tr:ticker \"X\" .\n")
    assert not report.conforms
    assert any("outside any named graph" in v.message for v in report.violations)


def test_violation_names_entity_by_label_and_property():
    report = check(SOURCE + GOOD.replace('tr:mic "XABC"', 'tr:mic "bad"'))
    (v,) = [v for v in errors(report) if v.path == "tr:mic"]
    assert v.label == "Exchange" and v.focus == "id:xchg"
    assert "test.trig" in v.line() and "tr:mic" in v.line()
