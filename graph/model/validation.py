"""Checking data against the SHACL shapes, with violations a person can act on.

The data graphs are validated together with the ontology (so ``sh:class`` follows
``rdfs:subClassOf``) and one ``sd:NamedGraph`` node per named graph (so the shapes can
require that every graph of facts is a described source). Each violation names the
entity by label, the property, the message and the file it came from.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

from .. import resources
from .iris import ENTAILED_GRAPH, ONTOLOGY_IRI, RDF_TYPE, RDFS_LABEL
from ..lookup.names import curie

__all__ = ["Violation", "Report", "validate_quads", "validate_files", "validate_store", "context_of"]

_SD = "http://www.w3.org/ns/sparql-service-description#"


@dataclass
class Violation:
    """One failed constraint."""

    focus: str
    label: str
    path: str | None
    value: str | None
    message: str
    severity: str
    files: list[str]

    def line(self) -> str:
        where = ", ".join(self.files) if self.files else "?"
        if self.severity != "Violation":
            where += f" ({self.severity.lower()})"
        prop = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{where}: {self.label} [{self.focus}]{prop}: {self.message}{value}"


@dataclass
class Report:
    """The outcome of a validation."""

    conforms: bool
    violations: list[Violation]
    checked_triples: int

    def as_dict(self) -> dict:
        return {"conforms": self.conforms, "checked_triples": self.checked_triples,
                "violations": [asdict(v) for v in self.violations]}


def validate_quads(quads_by_file: dict[str, list[ox.Quad]], context: list[ox.Quad] | None = None) -> Report:
    """Validate quads against the shapes.

    Parameters
    ----------
    quads_by_file : dict
        The quads to check, keyed by the file (or label) they came from.
    context : list of pyoxigraph.Quad, optional
        Further data the checked quads may refer to (for example the store they are
        loaded into); violations are only reported for nodes the checked quads describe.

    Returns
    -------
    Report
    """
    from pyshacl_turbo import validate

    ontology = list(ox.parse(path=str(resources.ontology_file()), format=ox.RdfFormat.TURTLE))
    files_of: dict[str, set[str]] = defaultdict(set)
    triples: dict[ox.Triple, None] = {}
    graphs: dict[str, set[str]] = defaultdict(set)
    outside: dict[str, int] = defaultdict(int)
    checked = 0
    for file, quads in quads_by_file.items():
        for q in quads:
            checked += 1
            triples[ox.Triple(q.subject, q.predicate, q.object)] = None
            files_of[str(q.subject)].add(file)
            if isinstance(q.graph_name, ox.NamedNode):
                graphs[q.graph_name.value].add(file)
            else:
                outside[file] += 1
    for q in context or []:
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in (ENTAILED_GRAPH, ONTOLOGY_IRI):
            continue
        triples[ox.Triple(q.subject, q.predicate, q.object)] = None
    for t in ontology:
        triples[t] = None
    extra = []
    for i, g in enumerate(sorted(graphs)):
        node = ox.NamedNode(f"urn:techreg:named-graph:{i}")
        extra.append(ox.Triple(node, ox.NamedNode(RDF_TYPE), ox.NamedNode(_SD + "NamedGraph")))
        extra.append(ox.Triple(node, ox.NamedNode(_SD + "name"), ox.NamedNode(g)))
        files_of[str(node)] = graphs[g]
        files_of[f"<{g}>"] |= graphs[g]
    data = ox.Store()
    data.extend(ox.Quad(t.subject, t.predicate, t.object) for t in itertools.chain(triples, extra))
    _, results, _ = validate(data, shacl_graph=_shapes(), inference="none", allow_warnings=True)
    violations = _violations(results, data, files_of)
    for file, n in sorted(outside.items()):
        violations.append(Violation("", "", None, None,
                                    f"{n} triple(s) sit outside any named graph: every fact must sit in the named graph of the source that states it",
                                    "Violation", [file]))
    violations.sort(key=lambda v: (v.severity != "Violation", v.files, v.label, v.path or "", v.message))
    return Report(not any(v.severity == "Violation" for v in violations), violations, checked)


def context_of(store, quads: list[ox.Quad], batch: int = 200) -> list[ox.Quad]:
    """What new quads need from a store to be validated in context, and no more.

    The shapes look at a focus node's own statements and at the types of the nodes it
    refers to (``sh:class``; no inverse paths, no nested node shapes). So the context is
    every stored statement about a node the new quads mention (subject, object or named
    graph), plus the types of the nodes those statements refer to. Validating the new
    quads with this context reports the same violations as with the whole store.

    Parameters
    ----------
    store : graph.stores.Store
    quads : list of pyoxigraph.Quad
    batch : int
        Nodes per query.

    Returns
    -------
    list of pyoxigraph.Quad
    """
    nodes: dict[str, None] = {}
    for q in quads:
        for term in (q.subject, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode):
                nodes[term.value] = None
    context = _statements(store, list(nodes), batch, "?p ?o")
    referred = {q.object.value for q in context if isinstance(q.object, ox.NamedNode)} - nodes.keys()
    return context + _statements(store, sorted(referred), batch, f"?p ?o FILTER(?p = <{RDF_TYPE}>)")


def _statements(store, subjects: list[str], batch: int, pattern: str) -> list[ox.Quad]:
    out = []
    for i in range(0, len(subjects), batch):
        values = " ".join(f"<{s}>" for s in subjects[i:i + batch])
        for r in store.select(f"""SELECT ?s ?p ?o ?g WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s {pattern} }}
                                  FILTER(?g NOT IN (<{ENTAILED_GRAPH}>, <{ONTOLOGY_IRI}>)) }}"""):
            out.append(ox.Quad(r["s"], r["p"], r["o"], r["g"]))
    return out


def _shapes():
    import rdflib

    return rdflib.Graph().parse(str(resources.shapes_file()), format="turtle")


def _ox_term(term):
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    return None


def _objects(data: ox.Store, node, predicate: str) -> list:
    subject = _ox_term(node)
    if subject is None:
        return []
    return [q.object for q in data.quads_for_pattern(subject, ox.NamedNode(predicate), None)]


def _violations(results, data: ox.Store, files_of) -> list[Violation]:
    import rdflib
    from rdflib.namespace import SH

    out = []
    seen = set()
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        key_focus = focus.n3()
        files = sorted(files_of.get(key_focus, ()))
        if not files:
            continue  # a node of the context, not of the checked data
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        message = str(results.value(result, SH.resultMessage) or "constraint failed")
        severity = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        names = _objects(data, focus, _SD + "name")
        if ox.NamedNode(_SD + "NamedGraph") in _objects(data, focus, RDF_TYPE) and names:
            name = names[0].value
            label, focus_text = f"graph {curie(str(name))}", curie(str(name))
        else:
            labels = [l.value for l in _objects(data, focus, RDFS_LABEL)]
            label = labels[0] if labels else curie(str(focus))
            focus_text = curie(str(focus))
        path_text = curie(str(path)) if isinstance(path, rdflib.URIRef) else (None if path is None else "(path)")
        path_text = _short(path_text)
        value_text = None if value is None else (curie(str(value)) if isinstance(value, rdflib.URIRef) else str(value))
        key = (focus_text, path_text, message, value_text)
        if key in seen:
            continue
        seen.add(key)
        out.append(Violation(focus_text, label, path_text, value_text, message, severity, files))
    return out


def _short(path: str | None) -> str | None:
    if path is None:
        return None
    for ns, prefix in (("http://www.w3.org/2000/01/rdf-schema#", "rdfs:"), ("http://purl.org/dc/terms/", "dcterms:"),
                       ("https://schema.org/", "schema:"), (_SD, "sd:")):
        if path.startswith(ns):
            return prefix + path[len(ns):]
    return path


def validate_files(paths: list[str | Path], context: list[ox.Quad] | None = None) -> Report:
    """Parse and validate RDF files (TriG, N-Quads, Turtle, ...) together with the ontology.

    Raises
    ------
    graph.errors.ParseError
        If a file cannot be parsed (file and line in the message).
    """
    from ..stores.rdfio import parse_files

    return validate_quads({str(p): parse_files([p]) for p in paths}, context)


def validate_store(store) -> Report:
    """Validate every data graph of a store (the bundled knowledge base by default).

    Violations name the bundled file a node comes from when the store is the bundled one.
    """
    if store.spec == "memory":
        return validate_files(resources.data_files())
    quads = [q for q in store.quads() if not (isinstance(q.graph_name, ox.NamedNode)
                                                 and q.graph_name.value in (ENTAILED_GRAPH, ONTOLOGY_IRI))]
    return validate_quads({store.spec: quads})
