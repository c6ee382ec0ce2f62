"""Records of the import layout turned into quads: typed values, resolved names, one named
graph per source, labels and aliases by language."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pyoxigraph as ox

from ..model import iris
from ..model.classes import ACTION_CLASSES, ENTITY_CLASSES, LAW_CLASSES
from ..errors import BadInput
from ..model.namespaces import ID, SRC, TR
from .layout import (ACTION_FIELDS, COMMON_FIELDS, ENTITY_FIELDS, LISTING_FIELDS, RELATION_PREDICATES, SHARE_FIELDS,
                     SOURCE_FIELDS, STAKE_FIELDS)
from .base import ImportError_, Record
from .text import parse_decimal

__all__ = ["records_to_quads", "ENTITY_TYPES", "ACTION_TYPES"]

RDF_TYPE = ox.NamedNode(iris.RDF_TYPE)
RDFS_LABEL = ox.NamedNode(iris.RDFS_LABEL)
SKOS_ALT = ox.NamedNode(iris.SKOS_ALT_LABEL)
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA_URL = ox.NamedNode("https://schema.org/url")

ENTITY_TYPES = ENTITY_CLASSES
LAW_TYPES = LAW_CLASSES - {"Law"}
ACTION_TYPES = ACTION_CLASSES
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_MAX_NAME = 1000  # characters of a name that refers to an entity (labels of laws run to a few hundred)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CURRENCY = re.compile(r"[A-Z]{3}")


class _Converter:
    def __init__(self, records: list[Record], lookup, label_of=None):
        self.records = records
        self.label_of = label_of or (lambda iri: iri.rsplit("/", 1)[-1])
        self.file_labels: dict[str, str] = {}
        self.primary: dict[tuple[str, str], str] = {}
        self.quads_by_file: dict[str, list[ox.Quad]] = {}
        self.current = ""
        self.record: Record | None = None
        self.origins: dict[str, str] = {}  # subject IRI -> where the first record stating it stands
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
        if len(name) > _MAX_NAME:
            self.problem(record, f"a name of {len(name):,} characters (at most {_MAX_NAME:,}): {name[:40]!r}...")
            return None
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
                    if not _DATE.fullmatch(text):
                        raise ValueError(text)
                    date.fromisoformat(text)
                except ValueError:
                    self.problem(record, f"{key}: {text!r} is not a date (YYYY-MM-DD)")
                    return None
            return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))
        if kind == "decimal":
            number, why = parse_decimal(str(value))
            if number is None:
                self.problem(record, f"{key}: {value!r} {why}")
                return None
            return ox.Literal(format(number.normalize(), "f"), datatype=ox.NamedNode(XSD + "decimal"))
        return ox.Literal(str(value).strip())

    def convert(self) -> list[ox.Quad]:
        for record in self.records:
            self.current = record.path
            self.record = record
            handler = getattr(self, "_" + record.section)
            handler(record)
        return self.quads

    def _graph(self, record: Record) -> ox.NamedNode | None:
        source = record.fields.get("source")
        if not source:
            self.problem(record, "no source: every record must name the source that states it")
            return None
        source = str(source)
        if not _SLUG.match(source):
            self.problem(record, f"source {source!r} is not a source id (lower-case letters, digits and hyphens)")
            return None
        if source not in self.sources and self.lookup(source, source_only=True) is None:
            self.problem(record, f"source {source!r} is not described in this file or the store")
            return None
        return ox.NamedNode(SRC[source])

    def _add(self, s, p, o, g) -> None:
        if s is not None and o is not None:
            quad = ox.Quad(s, ox.NamedNode(str(p)) if not isinstance(p, ox.NamedNode) else p, o, g)
            self.quads.append(quad)
            if self.record is not None:
                self.origins.setdefault(s.value, self.record.locate())
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
            if key not in SOURCE_FIELDS | {"id"}:
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

    def _typed(self, record: Record, types, what: str):
        """Graph and subject of a record whose ``type`` names one of ``types``; typed in the store."""
        graph = self._graph(record)
        subject = self._subject(record)
        if graph is None or subject is None:
            return None, None
        kind = record.fields.get("type")
        if kind is not None:
            if kind not in types:
                self.problem(record, f"unknown {what} type {kind!r} (one of {', '.join(sorted(types))})")
            else:
                self._add(subject, RDF_TYPE, ox.NamedNode(TR[kind]), graph)
        return graph, subject

    def _entities(self, record: Record) -> None:
        graph, subject = self._typed(record, ENTITY_TYPES, "entity")
        if subject is None:
            return
        law_type = record.fields.get("law_type")
        if law_type:
            if law_type not in LAW_TYPES:
                self.problem(record, f"unknown law type {law_type!r} (one of {', '.join(sorted(LAW_TYPES))})")
            else:
                self._add(subject, RDF_TYPE, ox.NamedNode(TR[law_type]), graph)
        self._labels(record, subject, graph)
        self._fields(record, subject, graph, ENTITY_FIELDS, COMMON_FIELDS)

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
        self._fields(record, subject, graph, LISTING_FIELDS, COMMON_FIELDS)
        ticker = record.fields.get("ticker")
        company = record.fields.get("company")
        if ticker and company:
            target = self.ref(record, company if not isinstance(company, list) else company[0])
            if target is not None:
                self._add(target, SKOS_ALT, ox.Literal(str(ticker)), graph)

    def _actions(self, record: Record) -> None:
        graph, subject = self._typed(record, ACTION_TYPES, "action")
        if subject is None:
            return
        self._labels(record, subject, graph)
        self._fields(record, subject, graph, ACTION_FIELDS, COMMON_FIELDS)

    def _stakes(self, record: Record) -> None:
        graph = self._graph(record)
        f = record.fields
        if graph is None:
            return
        if not f.get("holder") or not f.get("held"):
            self.problem(record, "a stake needs holder and held")
            return
        slug = f.get("id") or f"stake-{f['holder']}-{f['held']}"
        if not _slugify(str(slug)):
            self.problem(record, f"id {slug!r} has no letters or digits to make an id of")
            return
        record.fields = {**f, "id": _slugify(str(slug))}
        subject = self._subject(record)
        if subject is None:
            return
        if not f.get("label"):
            record.fields["label"] = f"{self._name(record, f['holder'])} stake in {self._name(record, f['held'])}"
        self._add(subject, RDF_TYPE, ox.NamedNode(TR.Stake), graph)
        self._labels(record, subject, graph)
        self._fields(record, subject, graph, STAKE_FIELDS, COMMON_FIELDS)

    def _relations(self, record: Record) -> None:
        graph = self._graph(record)
        f = record.fields
        if graph is None:
            return
        pred = str(f.get("predicate", ""))
        if pred not in RELATION_PREDICATES:
            self.problem(record, f"unknown predicate {pred!r} (one of {', '.join(sorted(RELATION_PREDICATES))})")
            return
        s, o = self.ref(record, f.get("subject", "")), self.ref(record, f.get("object", ""))
        if s is not None and o is not None:
            self._add(s, TR[pred], o, graph)
        for key in f:
            if key not in {"subject", "predicate", "object", "source", "note"}:
                self.problem(record, f"unknown relation field {key!r}")

    def _shares(self, record: Record) -> None:
        """A per-target part of a fine: ``id:share-ACTION-TARGET``, a tr:TargetAmount."""
        graph = self._graph(record)
        f = record.fields
        for key in f:
            if key not in set(SHARE_FIELDS) | {"source", "note"}:
                self.problem(record, f"unknown share field {key!r} (a share has {', '.join(SHARE_FIELDS)}, "
                                     "source and note)")
        missing = [k for k in SHARE_FIELDS if f.get(k) in (None, "", [])]
        if missing:
            self.problem(record, f"a share needs {', '.join(SHARE_FIELDS)} (missing: {', '.join(missing)})")
            return
        ends = {}
        for key in ("action", "target"):
            value = f[key]
            if isinstance(value, list) and len(value) != 1:
                self.problem(record, f"{key}: a share names one {key}, not {len(value)}")
                return
            ends[key] = self.ref(record, value[0] if isinstance(value, list) else value)
        currency = str(f["currency"]).strip()
        if not _CURRENCY.fullmatch(currency):
            self.problem(record, f"currency: {currency!r} is not an ISO 4217 code (three capital letters, e.g. CNY)")
            return
        amount = self.literal(record, "amount", f["amount"], "decimal")
        if graph is None or amount is None or None in ends.values():
            return
        action, target = ends["action"], ends["target"]
        subject = ox.NamedNode(ID[f"share-{_local(action.value)}-{_local(target.value)}"])
        self._add(subject, RDF_TYPE, ox.NamedNode(TR.TargetAmount), graph)
        label = f"{self._name(record, f['target'])} part of {self._name(record, f['action'])}"
        self._add(subject, RDFS_LABEL, ox.Literal(label, language="en"), graph)
        self._add(subject, SHARE_FIELDS["action"][0], action, graph)
        self._add(subject, SHARE_FIELDS["target"][0], target, graph)
        self._add(subject, SHARE_FIELDS["amount"][0], amount, graph)
        self._add(subject, SHARE_FIELDS["currency"][0], ox.Literal(currency), graph)


def _local(iri: str) -> str:
    return _slugify(iri[len(str(ID[""])):] if iri.startswith(str(ID[""])) else iri.rsplit("/", 1)[-1])


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def records_to_quads(records: list[Record], lookup=None, label_of=None, existing_labels=None,
                     by_file: bool = False, origins: dict[str, str] | None = None):
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
    origins : dict, optional
        Filled with ``subject IRI -> FILE:LINE`` of the first record stating it (to place
        shape violations).

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
    if origins is not None:
        origins.update(converter.origins)
    if converter.problems:
        raise ImportError_(converter.problems)
    if by_file:
        return converter.quads_by_file
    return quads
