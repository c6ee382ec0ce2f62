"""The project's namespaces.

``TR`` is a closed namespace generated from ``ontology/techreg.ttl``: a misspelt term
(``TR.tickr``) raises ``AttributeError`` instead of silently minting a new IRI. A test
checks that it and the ontology define the same terms.
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = ["TR", "ID", "SRC", "GRAPH", "ONTOLOGY_IRI", "ENTAILED_GRAPH", "PREFIXES", "sparql_prologue"]

ONTOLOGY_IRI = "https://w3id.org/techreg/ontology"
ENTAILED_GRAPH = "https://w3id.org/techreg/graph/entailed"


class TR(DefinedNamespace):
    """Terms of the techreg ontology (``tr:``)."""

    _NS = Namespace("https://w3id.org/techreg/ontology#")
    _fail = True

    ActionTypes: URIRef
    AppRemoval: URIRef
    Approval: URIRef
    Company: URIRef
    Court: URIRef
    CourtRuling: URIRef
    CybersecurityReview: URIRef
    Delisting: URIRef
    Determination: URIRef
    Directive: URIRef
    Exchange: URIRef
    GatekeeperDesignation: URIRef
    GovernmentBody: URIRef
    IPOSuspension: URIRef
    Investigation: URIRef
    Jurisdiction: URIRef
    Law: URIRef
    Lawsuit: URIRef
    Legislature: URIRef
    Listing: URIRef
    Measures: URIRef
    Order: URIRef
    Organization: URIRef
    Penalty: URIRef
    Person: URIRef
    Product: URIRef
    Provisions: URIRef
    RegistrationSuspension: URIRef
    Regulation: URIRef
    Regulator: URIRef
    RegulatoryAction: URIRef
    Source: URIRef
    Stake: URIRef
    Statute: URIRef
    affiliation: URIRef
    amendedBy: URIRef
    amends: URIRef
    amount: URIRef
    announced: URIRef
    basisFor: URIRef
    controlledBy: URIRef
    controls: URIRef
    currency: URIRef
    dateAdopted: URIRef
    dateApplicable: URIRef
    dateEffective: URIRef
    datePromulgated: URIRef
    datePublished: URIRef
    delistingDate: URIRef
    endDate: URIRef
    enforcedBy: URIRef
    enforces: URIRef
    establishedBy: URIRef
    establishes: URIRef
    excerpt: URIRef
    exchange: URIRef
    formedFrom: URIRef
    hasListing: URIRef
    hasPart: URIRef
    hasShareholder: URIRef
    holdsStake: URIRef
    identifier: URIRef
    implementedBy: URIRef
    implements: URIRef
    issued: URIRef
    issuedBy: URIRef
    jurisdiction: URIRef
    legalBasis: URIRef
    lei: URIRef
    listedCompany: URIRef
    listingDate: URIRef
    listingMethod: URIRef
    lists: URIRef
    mergedInto: URIRef
    mic: URIRef
    offerCurrency: URIRef
    offerPrice: URIRef
    operatedBy: URIRef
    operates: URIRef
    overseenBy: URIRef
    oversees: URIRef
    parentOrganization: URIRef
    partOf: URIRef
    passed: URIRef
    passedBy: URIRef
    pricingDate: URIRef
    proceeds: URIRef
    proceedsCurrency: URIRef
    restriction: URIRef
    shareOfEquity: URIRef
    stakeHolder: URIRef
    stakeIn: URIRef
    startDate: URIRef
    subsidiary: URIRef
    supersededBy: URIRef
    supersedes: URIRef
    target: URIRef
    targetOf: URIRef
    ticker: URIRef
    wikidata: URIRef

ID = Namespace("https://w3id.org/techreg/id/")
SRC = Namespace("https://w3id.org/techreg/source/")
GRAPH = Namespace("https://w3id.org/techreg/graph/")

#: Prefixes bound in every query and serialization.
PREFIXES: dict[str, str] = {
    "tr": str(TR._NS),
    "id": str(ID),
    "src": str(SRC),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
}


def sparql_prologue(query: str = "") -> str:
    """Return PREFIX declarations for the project prefixes a query does not declare itself.

    Parameters
    ----------
    query : str
        The query text; prefixes it already declares are left out.

    Returns
    -------
    str
        The prologue, one ``PREFIX`` line per prefix.
    """
    lowered = query.lower()
    return "".join(
        f"PREFIX {p}: <{iri}>\n"
        for p, iri in PREFIXES.items()
        if f"prefix {p}:" not in lowered
    )
