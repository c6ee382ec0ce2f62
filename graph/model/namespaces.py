"""The project's namespaces.

``TR`` is a closed namespace generated from ``ontology/techreg.ttl``: a misspelt term
(``TR.tickr``) raises ``AttributeError`` instead of silently minting a new IRI. A test
checks that it and the ontology define the same terms.
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

from .iris import ENTAILED_GRAPH, GRAPH_NS, ID_NS, ONTOLOGY_IRI, PREFIXES, SRC_NS, TR_NS, sparql_prologue

__all__ = ["TR", "ID", "SRC", "GRAPH", "ONTOLOGY_IRI", "ENTAILED_GRAPH", "PREFIXES", "sparql_prologue"]


class TR(DefinedNamespace):
    """Terms of the techreg ontology (``tr:``)."""

    _NS = Namespace(TR_NS)
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
    ExchangeRate: URIRef
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
    TargetAmount: URIRef
    Stake: URIRef
    Statute: URIRef
    affiliation: URIRef
    amendedBy: URIRef
    amends: URIRef
    amount: URIRef
    amountScope: URIRef
    announced: URIRef
    basisFor: URIRef
    controlledBy: URIRef
    controls: URIRef
    currency: URIRef
    penaltyCount: URIRef
    shareAmount: URIRef
    shareOf: URIRef
    shareTarget: URIRef
    rateYear: URIRef
    unitsPerUSD: URIRef
    usdPerUnit: URIRef
    withinJurisdiction: URIRef
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
    mechanismMember: URIRef
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
    trigger: URIRef
    userThreshold: URIRef
    wikidata: URIRef


ID = Namespace(ID_NS)
SRC = Namespace(SRC_NS)
GRAPH = Namespace(GRAPH_NS)
