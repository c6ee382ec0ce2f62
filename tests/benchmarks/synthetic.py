"""A seeded synthetic regulation landscape for the benchmarks (about N quads of N-Quads).

Run by hand to write a file: ``python tests/benchmarks/synthetic.py --triples 20000 -o x.nq``.

The landscape follows the techreg vocabulary (``ontology/techreg.ttl``):

- jurisdictions, one legislature each, exchanges (with a MIC) in some of them;
- regulators (``tr:Regulator``) that ``tr:enforces`` two to four laws of their jurisdiction;
- laws (``tr:Statute`` / ``tr:Regulation`` / ``tr:Measures``) ``tr:passedBy`` a legislature,
  with ``tr:dateAdopted``;
- firms (``tr:Company``) in parent trees (``tr:parentOrganization``, depth up to 4) and
  products (``tr:Product``) that firms ``tr:operates``;
- listings (``tr:Listing``) of root firms: ``tr:listedCompany``, ``tr:exchange``,
  ``tr:ticker``, ``tr:listingDate``;
- regulatory actions (subclasses of ``tr:RegulatoryAction``): ``tr:issuedBy`` a regulator,
  ``tr:target`` a firm or product, ``tr:legalBasis`` a law the regulator enforces,
  ``tr:announced``; penalties carry ``tr:amount`` and ``tr:currency``.

Every fact sits in the named graph of a synthetic source ``src:bench-...`` that is itself
described there as a ``tr:Source`` (``dcterms:title``, ``dcterms:publisher``,
``dcterms:issued``, ``schema:url`` under the reserved domain ``https://source.invalid/``).
Everything has an ``rdfs:label``; dates are ``xsd:date``. As in real data, a few sources
restate what another source said: about 3 in 100 action reports repeat the type and label
of the firm they target, so the dataset has duplicate triples across graphs (techreg's
merged default graph holds them once; a union of graphs would hold them twice).

The same seed and size give byte-identical output.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

__all__ = ["Landscape", "generate", "write_nquads", "edge_list", "labelled_edge_list", "control_closure",
           "TR", "ID", "SRC"]

TR = "https://w3id.org/techreg/ontology#"
ID = "https://w3id.org/techreg/id/"
SRC = "https://w3id.org/techreg/source/"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_TITLE = "http://purl.org/dc/terms/title"
_PUBLISHER = "http://purl.org/dc/terms/publisher"
_ISSUED = "http://purl.org/dc/terms/issued"
_URL = "https://schema.org/url"
_XSD = "http://www.w3.org/2001/XMLSchema#"

_ACTION_CLASSES = ("CybersecurityReview", "Investigation", "Penalty", "AppRemoval",
                   "RegistrationSuspension", "Order", "Determination")
_LAW_CLASSES = ("Statute", "Regulation", "Measures")
_CURRENCIES = ("CNY", "EUR", "USD", "GBP", "KRW", "JPY", "INR", "BRL", "AUD", "CAD", "CHF", "SGD")
_PUBLISHERS = ("Synthetic Wire", "Bench Gazette", "Example Times", "Placeholder Daily", "Mock Review")
_EPOCH = date(2012, 1, 1)

#: Quads written per firm, on average (firm, its products, actions, listings, sources):
#: used to size the landscape; measured on the generator's own output.
_QUADS_PER_FIRM = 13.75


@dataclass
class Landscape:
    """What :func:`generate` wrote, for the benchmarks.

    Attributes
    ----------
    quads : int
        The number of quads (lines) written.
    edges : list of (subject, predicate local name, object)
        Every object-property statement between entities, as stated (IRIs).
    jurisdictions : list of str
        Jurisdiction IRIs (hubs a path search must not pass through).
    firm, law : str
        A leaf firm and a law that is the legal basis of an action against the firm's
        ultimate parent but of none against the firm itself: a 3-hop firm-to-law question.
    counts : dict
        How many of each kind of node.
    """

    quads: int = 0
    edges: list = field(default_factory=list)
    jurisdictions: list = field(default_factory=list)
    firm: str = ""
    law: str = ""
    counts: dict = field(default_factory=dict)


def _iri(x: str) -> str:
    return f"<{x}>"


def _str(text: str, lang: str | None = None) -> str:
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"@{lang}' if lang else f'"{text}"'


def _typed(value: str, dtype: str) -> str:
    return f'"{value}"^^<{_XSD}{dtype}>'


def _day(rng: random.Random, span_days: int = 4000) -> str:
    return (_EPOCH + timedelta(days=rng.randrange(span_days))).isoformat()


def _b36(i: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while True:
        i, r = divmod(i, 36)
        out = digits[r] + out
        if not i:
            return out


class _Writer:
    """Buffers N-Quads lines per source graph and records the object-property edges."""

    def __init__(self, out, rng: random.Random, landscape: Landscape):
        self.out = out
        self.rng = rng
        self.land = landscape
        self.graph = ""
        self.n_sources = 0

    def source(self, kind: str) -> None:
        """Start a new source document; every following fact is stated by it."""
        i = self.n_sources
        self.n_sources += 1
        iri = f"{SRC}bench-{kind}-{i}"
        self.graph = _iri(iri)
        s = self.graph
        pub = _PUBLISHERS[i % len(_PUBLISHERS)]
        self._line(s, _RDF_TYPE, _iri(TR + "Source"))
        self._line(s, _TITLE, _str(f"Synthetic {kind} report {i}"))
        self._line(s, _PUBLISHER, _str(pub))
        self._line(s, _ISSUED, _typed(_day(self.rng), "date"))
        self._line(s, _URL, _typed(f"https://source.invalid/{kind}/{i}", "anyURI"))

    def _line(self, s: str, p: str, o: str) -> None:
        self.out.write(f"{s} <{p}> {o} {self.graph} .\n")
        self.land.quads += 1

    def entity(self, iri: str, cls: str, label: str, zh: str | None = None) -> None:
        s = _iri(iri)
        self._line(s, _RDF_TYPE, _iri(TR + cls))
        self._line(s, _LABEL, _str(label, "en"))
        if zh:
            self._line(s, _LABEL, _str(zh, "zh"))

    def rel(self, s: str, p: str, o: str) -> None:
        self._line(_iri(s), TR + p, _iri(o))
        self.land.edges.append((s, p, o))

    def lit(self, s: str, p: str, o: str) -> None:
        self._line(_iri(s), TR + p, o)


def generate(out, n: int = 1_000_000, seed: int = 42) -> Landscape:
    """Write a landscape of about ``n`` quads as N-Quads to a text stream.

    Parameters
    ----------
    out : text stream
        Where the N-Quads lines go.
    n : int
        The approximate number of quads (triples in named graphs).
    seed : int
        The random seed; the same seed and ``n`` give the same output.

    Returns
    -------
    Landscape
    """
    rng = random.Random(seed)
    land = Landscape()
    w = _Writer(out, rng, land)

    firms_n = max(20, int(n / _QUADS_PER_FIRM))
    jur_n = max(3, min(30, n // 30_000))
    reg_n = max(3, n // 4_000)
    law_n = max(6, n // 2_500)
    exch_n = max(2, min(40, n // 25_000))
    products_n = firms_n // 2
    actions_n = firms_n

    # -- jurisdictions, legislatures, exchanges -----------------------------
    jurs = [f"{ID}bench-jur-{i}" for i in range(jur_n)]
    legs = [f"{ID}bench-legislature-{i}" for i in range(jur_n)]
    land.jurisdictions = list(jurs)
    w.source("registry")
    for i, (j, leg) in enumerate(zip(jurs, legs)):
        w.entity(j, "Jurisdiction", f"Jurisdiction {i}")
        w.entity(leg, "Legislature", f"Legislature of Jurisdiction {i}")
        w.rel(leg, "jurisdiction", j)
    exchanges = [f"{ID}bench-exchange-{i}" for i in range(exch_n)]
    for i, x in enumerate(exchanges):
        w.entity(x, "Exchange", f"Exchange {i}")
        w.lit(x, "mic", _str("X" + _b36(i).rjust(3, "0")))
        w.rel(x, "jurisdiction", jurs[i % jur_n])

    # -- laws and regulators --------------------------------------------------
    laws = [f"{ID}bench-law-{i}" for i in range(law_n)]
    law_jur = [i % jur_n for i in range(law_n)]
    for i, law in enumerate(laws):
        if i % 40 == 0:
            w.source("legislation")
        w.entity(law, _LAW_CLASSES[i % 3], f"Law {i} on data and platforms")
        w.rel(law, "passedBy", legs[law_jur[i]])
        w.rel(law, "jurisdiction", jurs[law_jur[i]])
        w.lit(law, "dateAdopted", _typed(_day(rng), "date"))
    laws_by_jur: dict[int, list[int]] = {}
    for i, j in enumerate(law_jur):
        laws_by_jur.setdefault(j, []).append(i)
    regs = [f"{ID}bench-regulator-{i}" for i in range(reg_n)]
    reg_laws: list[list[int]] = []
    for i, reg in enumerate(regs):
        if i % 20 == 0:
            w.source("regulator")
        j = i % jur_n
        w.entity(reg, "Regulator", f"Regulator {i}", f"监管机构{i}")
        w.rel(reg, "jurisdiction", jurs[j])
        pool = laws_by_jur[j]
        chosen = sorted(rng.sample(pool, min(len(pool), rng.randint(2, 4))))
        reg_laws.append(chosen)
        for li in chosen:
            w.rel(reg, "enforces", laws[li])

    # -- firms in parent trees, products, listings -----------------------------
    firms = [f"{ID}bench-firm-{i}" for i in range(firms_n)]
    parent: list[int | None] = [None] * firms_n
    depth = [0] * firms_n
    roots: list[int] = []
    i = 0
    while i < firms_n:  # one tree at a time: a root and 0 to 8 descendants, depth <= 4
        root = i
        roots.append(root)
        members = [root]
        size = min(firms_n - i, 1 + rng.choice((0, 0, 1, 2, 3, 4, 5, 6, 8)))
        for k in range(1, size):
            candidates = [m for m in members if depth[m] < 4]
            p = candidates[-1] if rng.random() < 0.4 else rng.choice(candidates)
            parent[root + k] = p
            depth[root + k] = depth[p] + 1
            members.append(root + k)
        i += size
    for i, firm in enumerate(firms):
        if i % 25 == 0:
            w.source("company-registry")
        w.entity(firm, "Company", f"Firm {i} Holdings", f"公司{i}" if i % 5 == 0 else None)
        if i % 3:
            w.rel(firm, "jurisdiction", jurs[i % jur_n])
        if parent[i] is not None:
            w.rel(firm, "parentOrganization", firms[parent[i]])
    products = [f"{ID}bench-product-{i}" for i in range(products_n)]
    product_owner = [rng.randrange(firms_n) for _ in range(products_n)]
    for i, prod in enumerate(products):
        if i % 25 == 0:
            w.source("product-news")
        w.entity(prod, "Product", f"App {i}")
        w.rel(firms[product_owner[i]], "operates", prod)
    listed = [r for r in roots if rng.random() < 0.6]
    for i, r in enumerate(listed):
        if i % 10 == 0:
            w.source("exchange-filing")
        lst = f"{ID}bench-listing-{i}"
        w.entity(lst, "Listing", f"Firm {r} Holdings on Exchange {i % exch_n}")
        w.rel(lst, "listedCompany", firms[r])
        w.rel(lst, "exchange", exchanges[i % exch_n])
        w.lit(lst, "ticker", _str("T" + _b36(i)))
        w.lit(lst, "listingDate", _typed(_day(rng), "date"))

    # -- regulatory actions -------------------------------------------------
    targets_of_firm: dict[int, set[int]] = {}  # firm index -> laws used against it
    for i in range(actions_n):
        if i % 5 == 0:
            w.source("enforcement-news")
        act = f"{ID}bench-action-{i}"
        ri = rng.randrange(reg_n)
        li = rng.choice(reg_laws[ri])
        cls = _ACTION_CLASSES[rng.randrange(len(_ACTION_CLASSES))]
        if rng.random() < 0.7:
            fi = int(firms_n * rng.random() ** 1.5)  # mildly skewed: some firms draw many actions
            target, target_label = firms[fi], f"Firm {fi} Holdings"
            targets_of_firm.setdefault(fi, set()).add(li)
            if rng.random() < 0.03:  # a report restating who the firm is
                w.entity(target, "Company", target_label)
        else:
            pi = rng.randrange(products_n)
            target, target_label = products[pi], f"App {pi}"
        w.entity(act, cls, f"{cls} {i} of {target_label}")
        w.rel(act, "issuedBy", regs[ri])
        w.rel(act, "target", target)
        w.rel(act, "legalBasis", laws[li])
        w.lit(act, "announced", _typed(_day(rng), "date"))
        if cls == "Penalty":
            w.lit(act, "amount", _typed(str(1000 * (1 + rng.randrange(5000))), "decimal"))
            w.lit(act, "currency", _str(_CURRENCIES[ri % len(_CURRENCIES)]))

    # -- the question for the path benchmark ----------------------------------
    def ultimate(f: int) -> int:
        while parent[f] is not None:
            f = parent[f]
        return f

    for f in range(firms_n - 1, -1, -1):  # a deep leaf whose root was acted on under a law it was not
        if depth[f] >= 2 and f not in targets_of_firm:
            r = ultimate(f)
            laws_r = sorted(targets_of_firm.get(r, set()))
            if laws_r:
                land.firm, land.law = firms[f], laws[laws_r[0]]
                break
    land.counts = {"jurisdictions": jur_n, "regulators": reg_n, "laws": law_n, "exchanges": exch_n,
                   "firms": firms_n, "products": products_n, "listings": len(listed), "actions": actions_n,
                   "sources": w.n_sources}
    return land


def write_nquads(path: str | Path, n: int = 1_000_000, seed: int = 42) -> Landscape:
    """Write the landscape to an N-Quads file and return its description."""
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as out:
        return generate(out, n, seed)


def labelled_edge_list(landscape: Landscape) -> list[tuple[str, str, str]]:
    """The object-property statements between entities: (subject, predicate local name, object)."""
    return list(landscape.edges)


def edge_list(landscape: Landscape) -> list[tuple[str, str]]:
    """The plain (subject, object) edge list of the object-property statements."""
    return [(s, o) for s, _, o in landscape.edges]


def control_closure(edges) -> list[tuple[str, str, str]]:
    """The entailed ``controlledBy`` edges of parent chains of two or more links.

    The ontology makes control transitive over ``parentOrganization``; techreg's
    projection adds these edges, so a baseline searching "the same graph" adds them too.
    """
    parents: dict[str, list[str]] = {}
    for s, p, o in edges:
        if p == "parentOrganization":
            parents.setdefault(s, []).append(o)
    out = []
    for start in sorted(parents):
        seen = {start}
        frontier, d = [start], 0
        while frontier:
            d += 1
            nxt = []
            for node in frontier:
                for par in parents.get(node, []):
                    if par not in seen:
                        seen.add(par)
                        if d >= 2:
                            out.append((start, "controlledBy", par))
                        nxt.append(par)
            frontier = nxt
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="about how many quads (default 1,000,000)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("-o", "--output", default="synthetic.nq")
    args = ap.parse_args(argv)
    land = write_nquads(args.output, args.triples, args.seed)
    print(f"{args.output}: {land.quads:,} quads, {len(land.edges):,} object-property edges; {land.counts}")
    print(f"path question: {land.firm} -> {land.law}")


if __name__ == "__main__":
    main()
