"""The import layout: its sections and, per kind of record, the fields with their
predicate and kind of value (``ref``, ``refs``, ``date``, ``str``, ``decimal``)."""

from __future__ import annotations

from ..model.namespaces import TR

__all__ = ["SECTIONS", "ENTITY_FIELDS", "LISTING_FIELDS", "ACTION_FIELDS", "STAKE_FIELDS", "SHARE_FIELDS",
           "COMMON_FIELDS", "SOURCE_FIELDS", "RELATION_PREDICATES", "LIST_FIELDS"]

SECTIONS = ("sources", "entities", "listings", "actions", "stakes", "relations", "shares")

# field -> (predicate, value kind); kinds: ref, refs, date, str, decimal
ENTITY_FIELDS = {
    "qid": (TR.wikidata, "str"), "lei": (TR.lei, "str"), "mic": (TR.mic, "str"),
    "identifier": (TR.identifier, "str"), "jurisdiction": (TR.jurisdiction, "refs"),
    "parent": (TR.parentOrganization, "refs"), "operates": (TR.operates, "refs"),
    "oversees": (TR.oversees, "refs"), "enforces": (TR.enforces, "refs"),
    "merged_into": (TR.mergedInto, "refs"), "affiliation": (TR.affiliation, "refs"),
    "established_by": (TR.establishedBy, "refs"), "operated_by": (TR.operatedBy, "refs"),
    "enforced_by": (TR.enforcedBy, "refs"),
    "passed_by": (TR.passedBy, "refs"), "adopted": (TR.dateAdopted, "date"),
    "promulgated": (TR.datePromulgated, "date"), "published": (TR.datePublished, "date"),
    "effective": (TR.dateEffective, "date"), "applies_from": (TR.dateApplicable, "date"),
    "amends": (TR.amends, "refs"), "implements": (TR.implements, "refs"),
    "supersedes": (TR.supersedes, "refs"),
    "mechanism_members": (TR.mechanismMember, "refs"), "trigger": (TR.trigger, "str"),
    "user_threshold": (TR.userThreshold, "decimal"),
}
LISTING_FIELDS = {
    "company": (TR.listedCompany, "refs"), "exchange": (TR.exchange, "refs"),
    "ticker": (TR.ticker, "str"), "priced": (TR.pricingDate, "date"),
    "listed": (TR.listingDate, "date"), "delisted": (TR.delistingDate, "date"),
    "offer_price": (TR.offerPrice, "decimal"), "proceeds": (TR.proceeds, "decimal"),
    "method": (TR.listingMethod, "str"),
}
ACTION_FIELDS = {
    "issuer": (TR.issuedBy, "refs"), "target": (TR.target, "refs"),
    "legal_basis": (TR.legalBasis, "refs"), "announced": (TR.announced, "date"),
    "start": (TR.startDate, "date"), "end": (TR.endDate, "date"),
    "amount": (TR.amount, "decimal"), "currency": (TR.currency, "str"),
    "restriction": (TR.restriction, "str"), "part_of": (TR.partOf, "refs"),
    "amount_scope": (TR.amountScope, "str"), "penalty_count": (TR.penaltyCount, "decimal"),
}
STAKE_FIELDS = {
    "holder": (TR.stakeHolder, "refs"), "held": (TR.stakeIn, "refs"),
    "share": (TR.shareOfEquity, "decimal"),
}
#: A per-target part of a fine (a tr:TargetAmount), the shape of graph/data/src/shares.yaml:
#: one action, one target, the amount that target pays and its currency.
SHARE_FIELDS = {
    "action": (TR.shareOf, "ref"), "target": (TR.shareTarget, "ref"),
    "amount": (TR.shareAmount, "decimal"), "currency": (TR.currency, "str"),
}
COMMON_FIELDS = {"id", "type", "label", "label_zh", "aliases", "source", "law_type", "note"}
SOURCE_FIELDS = {"title", "publisher", "date", "url", "quote"}
RELATION_PREDICATES = {
    "parentOrganization", "subsidiary", "operates", "operatedBy", "enforces", "enforcedBy",
    "oversees", "overseenBy", "mergedInto", "jurisdiction", "passedBy", "amends",
    "implements", "supersedes", "establishedBy", "affiliation", "target", "issuedBy",
    "legalBasis", "partOf", "withinJurisdiction", "mechanismMember",
}

#: Fields that take several values (``;``-separated in CSV).
LIST_FIELDS = frozenset({k for k, (_, kind) in {**ENTITY_FIELDS, **LISTING_FIELDS, **ACTION_FIELDS,
                                                **STAKE_FIELDS}.items() if kind == "refs"} | {"aliases"})
