"""The exchange-rate table: ``src/rates.yaml`` compiled to TriG, one named graph per source.

A rate is a ``tr:ExchangeRate`` node (``id:rate-cny-2021``) with ``tr:currency``,
``tr:rateYear`` and the rate as its source quotes it: ``tr:unitsPerUSD`` (currency units
per US dollar) or ``tr:usdPerUnit`` (US dollars per unit, as the Federal Reserve quotes
the euro and the pound). The fine queries convert through the US dollar with the rate of
the decision's year; a year or currency without a rate converts to nothing.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
import yaml

from ..errors import BadInput
from ..model.namespaces import ID, SRC, TR

__all__ = ["RATES_FILE", "rate_quads", "build_rates", "source_quads"]

RATES_FILE = Path(__file__).resolve().parent / "src" / "rates.yaml"

_XSD = "http://www.w3.org/2001/XMLSchema#"
_DCT = "http://purl.org/dc/terms/"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_FIELDS = {"currency", "year", "units_per_usd", "usd_per_unit", "source"}


def _n(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def source_quads(sources: dict) -> list[ox.Quad]:
    """The description of each source (title, publisher, date, URL, excerpt) in its own graph."""
    quads: list[ox.Quad] = []
    for slug, s in sources.items():
        g = _n(SRC[slug])
        quads += [ox.Quad(g, _RDF_TYPE, _n(TR.Source), g),
                  ox.Quad(g, _n(_DCT + "title"), ox.Literal(s["title"]), g),
                  ox.Quad(g, _n(_DCT + "publisher"), ox.Literal(s["publisher"]), g),
                  ox.Quad(g, ox.NamedNode("https://schema.org/url"),
                          ox.Literal(s["url"], datatype=_n(_XSD + "anyURI")), g),
                  ox.Quad(g, _n(TR.excerpt), ox.Literal(" ".join(str(s["quote"]).split())), g)]
        if s.get("date"):
            quads.append(ox.Quad(g, _n(_DCT + "issued"), ox.Literal(str(s["date"]), datatype=_n(_XSD + "date")), g))
    return quads


def rate_quads(path: Path = RATES_FILE) -> list[ox.Quad]:
    """Read the rate table and return its quads, each rate in the graph of its source.

    Raises
    ------
    BadInput
        For an unknown field, a missing or doubled rate, a bad number or an undescribed
        source, naming the rate.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    sources = data.get("sources") or {}
    quads = source_quads(sources)
    seen = set()
    for i, r in enumerate(data.get("rates") or [], 1):
        where = f"{path.name}: rate {i}"
        if set(r) - _FIELDS:
            raise BadInput(f"{where}: unknown field(s) {sorted(set(r) - _FIELDS)}")
        if r.get("source") not in sources:
            raise BadInput(f"{where}: source {r.get('source')!r} is not described under sources")
        given = [k for k in ("units_per_usd", "usd_per_unit") if k in r]
        if len(given) != 1:
            raise BadInput(f"{where}: give exactly one of units_per_usd, usd_per_unit")
        currency, year = str(r["currency"]), int(r["year"])
        if (currency, year) in seen:
            raise BadInput(f"{where}: a second rate for {currency} {year}")
        seen.add((currency, year))
        try:
            value = Decimal(str(r[given[0]]))
        except InvalidOperation:
            raise BadInput(f"{where}: {r[given[0]]!r} is not a number") from None
        node, g = _n(ID[f"rate-{currency.lower()}-{year}"]), _n(SRC[r["source"]])
        quads += [ox.Quad(node, _RDF_TYPE, _n(TR.ExchangeRate), g),
                  ox.Quad(node, _LABEL, ox.Literal(f"{currency} against the US dollar, {year} annual average",
                                                   language="en"), g),
                  ox.Quad(node, _n(TR.currency), ox.Literal(currency), g),
                  ox.Quad(node, _n(TR.rateYear), ox.Literal(str(year), datatype=_n(_XSD + "integer")), g),
                  ox.Quad(node, _n(TR.unitsPerUSD if given[0] == "units_per_usd" else TR.usdPerUnit),
                          ox.Literal(_canonical(value), datatype=_n(_XSD + "decimal")), g)]
    return quads


def _canonical(value: Decimal) -> str:
    """The canonical lexical form of an xsd:decimal (no trailing zeros), as stores keep it,
    so that loading the same file twice adds nothing."""
    text = format(value.normalize(), "f")
    return text


def build_rates(path: Path = RATES_FILE) -> bytes:
    """The TriG text of the rate table (``rates.trig``)."""
    from ..model.iris import PREFIXES

    return ox.serialize(rate_quads(path), format=ox.RdfFormat.TRIG, prefixes=dict(PREFIXES))
