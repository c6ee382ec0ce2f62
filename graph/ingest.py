"""Facts from analysts' spreadsheets and YAML files, turned into sourced RDF.

The layout (documented in ``examples/README.md`` and shown in ``examples/import-*.yaml``):
a file has up to six sections, ``sources``, ``entities``, ``listings``, ``actions``,
``stakes`` and ``relations``. Every record names the source that states it; its facts are
written into that source's named graph. References name entities by id (slug), by an id
defined in the same file, or by a label, alias, ticker or QID already in the store.

A CSV file holds the same records one per row, with a ``kind`` column (``source``,
``entity``, ``listing``, ``action``, ``stake``, ``relation``) and a column per field;
list fields separate values with ``;``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import iris
from .classes import ACTION_CLASSES, ENTITY_CLASSES, LAW_CLASSES
from .errors import BadInput, ParseError
from .namespaces import ID, SRC, TR

__all__ = ["Record", "read_records", "records_to_quads", "ImportError_", "ENTITY_TYPES", "ACTION_TYPES"]

RDF_TYPE = ox.NamedNode(iris.RDF_TYPE)
RDFS_LABEL = ox.NamedNode(iris.RDFS_LABEL)
SKOS_ALT = ox.NamedNode(iris.SKOS_ALT_LABEL)
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA_URL = ox.NamedNode("https://schema.org/url")

ENTITY_TYPES = ENTITY_CLASSES
LAW_TYPES = LAW_CLASSES - {"Law"}
ACTION_TYPES = ACTION_CLASSES
SECTIONS = ("sources", "entities", "listings", "actions", "stakes", "relations")
_KIND_TO_SECTION = {"source": "sources", "entity": "entities", "listing": "listings", "action": "actions",
                    "stake": "stakes", "relation": "relations"}

# field -> (predicate, value kind); kinds: ref, refs, date, str, decimal
_ENTITY_FIELDS = {
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
}
_LISTING_FIELDS = {
    "company": (TR.listedCompany, "refs"), "exchange": (TR.exchange, "refs"),
    "ticker": (TR.ticker, "str"), "priced": (TR.pricingDate, "date"),
    "listed": (TR.listingDate, "date"), "delisted": (TR.delistingDate, "date"),
    "offer_price": (TR.offerPrice, "decimal"), "proceeds": (TR.proceeds, "decimal"),
    "method": (TR.listingMethod, "str"),
}
_ACTION_FIELDS = {
    "issuer": (TR.issuedBy, "refs"), "target": (TR.target, "refs"),
    "legal_basis": (TR.legalBasis, "refs"), "announced": (TR.announced, "date"),
    "start": (TR.startDate, "date"), "end": (TR.endDate, "date"),
    "amount": (TR.amount, "decimal"), "currency": (TR.currency, "str"),
    "restriction": (TR.restriction, "str"), "part_of": (TR.partOf, "refs"),
}
_STAKE_FIELDS = {
    "holder": (TR.stakeHolder, "refs"), "held": (TR.stakeIn, "refs"),
    "share": (TR.shareOfEquity, "decimal"),
}
_COMMON = {"id", "type", "label", "label_zh", "aliases", "source", "law_type", "note"}
_SOURCE_FIELDS = {"title", "publisher", "date", "url", "quote"}
_RELATION_PREDICATES = {
    "parentOrganization", "subsidiary", "operates", "operatedBy", "enforces", "enforcedBy",
    "oversees", "overseenBy", "mergedInto", "jurisdiction", "passedBy", "amends",
    "implements", "supersedes", "establishedBy", "affiliation", "target", "issuedBy",
    "legalBasis", "partOf",
}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass
class Record:
    """One record of an import file: its section, fields and where it stands."""

    section: str
    fields: dict[str, Any]
    path: str
    line: int
    where: str = field(default="")

    def locate(self) -> str:
        return self.where or f"{self.path}:{self.line}"


class ImportError_(BadInput):
    """Problems found in an import file; lists every problem with its row or line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s), nothing written:\n" + "\n".join("  " + p for p in problems))


# -- reading -----------------------------------------------------------------


def read_records(path: str | Path) -> list[Record]:
    """Read the records of a YAML or CSV import file.

    Parameters
    ----------
    path : str or Path
        A ``.yaml``/``.yml`` or ``.csv`` file in the import layout.

    Returns
    -------
    list of Record

    Raises
    ------
    ParseError
        If the file is not valid YAML or CSV.
    """
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _read_yaml(path)
    if suffix == ".csv":
        return _read_csv(path)
    raise BadInput(f"{path}: import takes .yaml, .yml or .csv files")


def _read_yaml(path: Path) -> list[Record]:
    import yaml

    class LineLoader(yaml.SafeLoader):
        pass

    def construct_mapping(loader, node, deep=False):
        mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    # dates stay text, so a bad one is reported with its line instead of failing the parse
    LineLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=LineLoader)  # noqa: S506 (SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ParseError(str(path), mark.line + 1 if mark else None, str(getattr(exc, "problem", exc))) from None
    if doc is None:
        return []
    if not isinstance(doc, dict):
        raise ParseError(str(path), 1, "expected a mapping with sections " + ", ".join(SECTIONS))
    records = []
    for section, body in doc.items():
        if section == "__line__":
            continue
        if section not in SECTIONS:
            raise ParseError(str(path), None, f"unknown section {section!r} (expected one of {', '.join(SECTIONS)})")
        if section == "sources" and isinstance(body, dict):
            for slug, fields in body.items():
                if slug == "__line__":
                    continue
                if not isinstance(fields, dict):
                    raise ParseError(str(path), body["__line__"], f"source {slug!r} must be a mapping")
                line = fields.pop("__line__")
                records.append(Record("sources", {"id": str(slug), **fields}, str(path), line))
            continue
        if not isinstance(body, list):
            raise ParseError(str(path), None, f"section {section!r} must be a list of records")
        for item in body:
            if not isinstance(item, dict):
                raise ParseError(str(path), None, f"every record in {section!r} must be a mapping")
            line = item.pop("__line__")
            records.append(Record(section, item, str(path), line))
    return records


def _read_csv(path: Path) -> list[Record]:
    list_fields = {k for k, (_, kind) in {**_ENTITY_FIELDS, **_LISTING_FIELDS, **_ACTION_FIELDS, **_STAKE_FIELDS}.items() if kind == "refs"}
    list_fields |= {"aliases"}
    records = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "kind" not in reader.fieldnames:
            raise ParseError(str(path), 1, "the header needs a 'kind' column (source, entity, listing, action, stake, relation)")
        for rowno, row in enumerate(reader, start=2):
            kind = (row.pop("kind") or "").strip()
            section = _KIND_TO_SECTION.get(kind)
            if not section:
                raise ParseError(str(path), rowno, f"unknown kind {kind!r} (expected source, entity, listing, action, stake or relation)")
            fields: dict[str, Any] = {}
            for key, value in row.items():
                if key is None or value is None or value.strip() == "":
                    continue
                value = value.strip()
                fields[key] = [v.strip() for v in value.split(";") if v.strip()] if key in list_fields else value
            records.append(Record(section, fields, str(path), rowno, where=f"{path} row {rowno}"))
    return records


# -- converting --------------------------------------------------------------


class _Converter:
    def __init__(self, records: list[Record], lookup, label_of=None):
        self.records = records
        self.label_of = label_of or (lambda iri: iri.rsplit("/", 1)[-1])
        self.file_labels: dict[str, str] = {}
        self.primary: dict[tuple[str, str], str] = {}
        self.quads_by_file: dict[str, list[ox.Quad]] = {}
        self.current = ""
        self.lookup = lookup  # callable(name) -> iri | None, raising for ambiguity
        self.problems: list[str] = []
        self.quads: list[ox.Quad] = []
        self.defined: dict[str, str] = {}  # slug -> section
        self.sources: set[str] = set()
        for r in records:
            slug = r.fields.get("id")
            if slug is not None:
                slug = str(slug)
                if r.section == "sources":
                    self.sources.add(slug)
                else:
                    self.defined.setdefault(slug, r.section)
                    if r.fields.get("label"):
                        self.file_labels.setdefault(str(ID[slug]), str(r.fields["label"]))

    def problem(self, record: Record, message: str) -> None:
        self.problems.append(f"{record.locate()}: {message}")

    def ref(self, record: Record, name: Any) -> ox.NamedNode | None:
        name = str(name).strip()
        if name in self.defined:
            return ox.NamedNode(ID[name])
        try:
            iri = self.lookup(name)
        except BadInput as exc:
            self.problem(record, str(exc).splitlines()[0] if "ambiguous" in str(exc) else str(exc))
            return None
        if iri is None:
            self.problem(record, f"unknown name {name!r}")
            return None
        return ox.NamedNode(iri)

    def _name(self, record: Record, name: Any) -> str:
        name = name[0] if isinstance(name, list) else name
        node = self.ref(record, name)
        if node is None:
            return str(name)
        return self.file_labels.get(node.value) or self.label_of(node.value)

    def literal(self, record: Record, key: str, value: Any, kind: str) -> ox.Literal | None:
        if kind == "date":
            if isinstance(value, date):
                text = value.isoformat()
            else:
                text = str(value).strip()
                try:
                    date.fromisoformat(text)
                except ValueError:
                    self.problem(record, f"{key}: {text!r} is not a date (YYYY-MM-DD)")
                    return None
            return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))
        if kind == "decimal":
            try:
                number = Decimal(str(value).replace(",", ""))
            except InvalidOperation:
                self.problem(record, f"{key}: {value!r} is not a number")
                return None
            return ox.Literal(format(number.normalize(), "f"), datatype=ox.NamedNode(XSD + "decimal"))
        return ox.Literal(str(value).strip())

    def convert(self) -> list[ox.Quad]:
        for record in self.records:
            self.current = record.path
            handler = getattr(self, "_" + record.section)
            handler(record)
        return self.quads

    def _graph(self, record: Record) -> ox.NamedNode | None:
        source = record.fields.get("source")
        if not source:
            self.problem(record, "no source: every record must name the source that states it")
            return None
        source = str(source)
        if source not in self.sources and self.lookup(source, source_only=True) is None:
            self.problem(record, f"source {source!r} is not described in this file or the store")
            return None
        return ox.NamedNode(SRC[source])

    def _add(self, s, p, o, g) -> None:
        if o is not None:
            quad = ox.Quad(s, ox.NamedNode(str(p)) if not isinstance(p, ox.NamedNode) else p, o, g)
            self.quads.append(quad)
            self.quads_by_file.setdefault(self.current, []).append(quad)

    def _fields(self, record, subject, graph, spec, allowed) -> None:
        for key, value in record.fields.items():
            if key in spec:
                pred, kind = spec[key]
                values = value if isinstance(value, list) else [value]
                for v in values:
                    obj = self.ref(record, v) if kind == "refs" else self.literal(record, key, v, kind)
                    self._add(subject, pred, obj, graph)
            elif key not in allowed:
                self.problem(record, f"unknown field {key!r}")

    def _labels(self, record, subject, graph) -> None:
        # The first record of an entity gives its label per language; a different name in
        # a later record (another source) becomes an alias, as Wikidata keeps one label.
        for key, lang in (("label", "en"), ("label_zh", "zh")):
            value = record.fields.get(key)
            if not value:
                continue
            value = str(value).strip()
            if lang == "en" and _CJK.search(value):
                lang = "zh"
            first = self.primary.setdefault((subject.value, lang), value)
            predicate = RDFS_LABEL if first == value else SKOS_ALT
            self._add(subject, predicate, ox.Literal(value, language=lang), graph)
        aliases = record.fields.get("aliases") or []
        for alias in aliases if isinstance(aliases, list) else [aliases]:
            lang = "zh" if _CJK.search(str(alias)) else "en"
            self._add(subject, SKOS_ALT, ox.Literal(str(alias), language=lang), graph)

    def _subject(self, record, prefix: str = "") -> ox.NamedNode | None:
        slug = record.fields.get("id")
        if slug is None:
            self.problem(record, "no id")
            return None
        slug = str(slug)
        if not _SLUG.match(slug):
            self.problem(record, f"id {slug!r} must be lower-case letters, digits and hyphens")
            return None
        return ox.NamedNode(ID[prefix + slug])

    def _sources(self, record: Record) -> None:
        f = record.fields
        slug = str(f.get("id"))
        if not _SLUG.match(slug):
            self.problem(record, f"source id {slug!r} must be lower-case letters, digits and hyphens")
            return
        node = ox.NamedNode(SRC[slug])
        for key in f:
            if key not in _SOURCE_FIELDS | {"id"}:
                self.problem(record, f"unknown source field {key!r}")
        for key in ("publisher", "url"):
            if not f.get(key):
                self.problem(record, f"source {slug!r} has no {key}")
        url = str(f.get("url", ""))
        if url and not re.match(r"^https?://\S+$", url):
            self.problem(record, f"source {slug!r}: url {url!r} is not an http(s) address")
        self._add(node, RDF_TYPE, ox.NamedNode(TR.Source), node)
        self._add(node, ox.NamedNode(DCT + "title"), ox.Literal(str(f["title"])) if f.get("title") else None, node)
        if f.get("publisher"):
            self._add(node, ox.NamedNode(DCT + "publisher"), ox.Literal(str(f["publisher"])), node)
        if f.get("date"):
            self._add(node, ox.NamedNode(DCT + "issued"), self.literal(record, "date", f["date"], "date"), node)
        if url:
            self._add(node, SCHEMA_URL, ox.Literal(url, datatype=ox.NamedNode(XSD + "anyURI")), node)
        if f.get("quote"):
            self._add(node, ox.NamedNode(TR.excerpt), ox.Literal(" ".join(str(f["quote"]).split())), node)

    def _entities(self, record: Record) -> None:
        graph = self._graph(record)
        subject = self._subject(record)
        if graph is None or subject is None:
            return
        kind = record.fields.get("type")
        if kind is not None:
            if kind not in ENTITY_TYPES:
                self.problem(record, f"unknown entity type {kind!r} (one of {', '.join(sorted(ENTITY_TYPES))})")
            else:
                self._add(subject, RDF_TYPE, ox.NamedNode(TR[kind]), graph)
        law_type = record.fields.get("law_type")
        if law_type:
            if law_type not in LAW_TYPES:
                self.problem(record, f"unknown law type {law_type!r} (one of {', '.join(sorted(LAW_TYPES))})")
            else:
                self._add(subject, RDF_TYPE, ox.NamedNode(TR[law_type]), graph)
        self._labels(record, subject, graph)
        self._fields(record, subject, graph, _ENTITY_FIELDS, _COMMON)

    def _listings(self, record: Record) -> None:
        graph = self._graph(record)
        subject = self._subject(record)
        if graph is None or subject is None:
            return
        # one record's currency applies to the price and proceeds it gives
        currency = record.fields.pop("currency", None)
        if currency is not None:
            if "offer_price" not in record.fields and "proceeds" not in record.fields:
                self.problem(record, "currency given without offer_price or proceeds")
            for key, pred in (("offer_price", TR.offerCurrency), ("proceeds", TR.proceedsCurrency)):
                if key in record.fields:
                    self._add(subject, pred, self.literal(record, "currency", currency, "str"), graph)
        self._add(subject, RDF_TYPE, ox.NamedNode(TR.Listing), graph)
        if not record.fields.get("label") and record.fields.get("company") and record.fields.get("exchange"):
            record.fields["label"] = (f"{self._name(record, record.fields['company'])} on "
                                      f"{self._name(record, record.fields['exchange'])}"
                                      + (f" ({record.fields['ticker']})" if record.fields.get("ticker") else ""))
        self._labels(record, subject, graph)
        self._fields(record, subject, graph, _LISTING_FIELDS, _COMMON)
        ticker = record.fields.get("ticker")
        company = record.fields.get("company")
        if ticker and company:
            target = self.ref(record, company if not isinstance(company, list) else company[0])
            if target is not None:
                self._add(target, SKOS_ALT, ox.Literal(str(ticker)), graph)

    def _actions(self, record: Record) -> None:
        graph = self._graph(record)
        subject = self._subject(record)
        if graph is None or subject is None:
            return
        kind = record.fields.get("type")
        if kind is not None:
            if kind not in ACTION_TYPES:
                self.problem(record, f"unknown action type {kind!r} (one of {', '.join(sorted(ACTION_TYPES))})")
            else:
                self._add(subject, RDF_TYPE, ox.NamedNode(TR[kind]), graph)
        self._labels(record, subject, graph)
        self._fields(record, subject, graph, _ACTION_FIELDS, _COMMON)

    def _stakes(self, record: Record) -> None:
        graph = self._graph(record)
        f = record.fields
        if graph is None:
            return
        if not f.get("holder") or not f.get("held"):
            self.problem(record, "a stake needs holder and held")
            return
        slug = f.get("id") or f"stake-{f['holder']}-{f['held']}"
        record.fields = {**f, "id": _slugify(str(slug))}
        subject = self._subject(record)
        if not f.get("label"):
            record.fields["label"] = f"{self._name(record, f['holder'])} stake in {self._name(record, f['held'])}"
        self._add(subject, RDF_TYPE, ox.NamedNode(TR.Stake), graph)
        self._labels(record, subject, graph)
        self._fields(record, subject, graph, _STAKE_FIELDS, _COMMON)

    def _relations(self, record: Record) -> None:
        graph = self._graph(record)
        f = record.fields
        if graph is None:
            return
        pred = str(f.get("predicate", ""))
        if pred not in _RELATION_PREDICATES:
            self.problem(record, f"unknown predicate {pred!r} (one of {', '.join(sorted(_RELATION_PREDICATES))})")
            return
        s, o = self.ref(record, f.get("subject", "")), self.ref(record, f.get("object", ""))
        if s is not None and o is not None:
            self._add(s, TR[pred], o, graph)
        for key in f:
            if key not in {"subject", "predicate", "object", "source", "note"}:
                self.problem(record, f"unknown relation field {key!r}")


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def records_to_quads(records: list[Record], lookup=None, label_of=None, existing_labels=None,
                     by_file: bool = False):
    """Turn import records into quads, each in the named graph of its source.

    Parameters
    ----------
    records : list of Record
        From :func:`read_records`.
    lookup : callable, optional
        ``lookup(name, source_only=False) -> IRI or None`` resolving names not defined in
        the file against an existing store; may raise ``AmbiguousName``.
    label_of : callable, optional
        ``label_of(iri) -> str`` naming entities of the store in generated labels.
    existing_labels : dict, optional
        ``(iri, lang) -> label`` already in the store; a different name becomes an alias.
    by_file : bool
        Return ``{file: quads}`` instead of one list.

    Returns
    -------
    list of pyoxigraph.Quad

    Raises
    ------
    ImportError_
        Listing every problem with its file and line or row; nothing is returned then.
    """
    def no_lookup(name, source_only=False):
        return None

    converter = _Converter(records, lookup or no_lookup, label_of)
    converter.primary.update(existing_labels or {})
    quads = converter.convert()
    if converter.problems:
        raise ImportError_(converter.problems)
    if by_file:
        return converter.quads_by_file
    return quads
