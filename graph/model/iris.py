"""The project's IRIs and prefixes as plain strings.

Kept apart from :mod:`graph.namespaces` (rdflib's closed ``TR`` namespace) so that the
stores, queries and paths can run without importing rdflib, which costs more start-up
time than anything else the command line does.
"""

import re

__all__ = ["ONTOLOGY_IRI", "ENTAILED_GRAPH", "TR_NS", "ID_NS", "SRC_NS", "GRAPH_NS", "RDF_TYPE", "RDFS_LABEL",
           "SKOS_ALT_LABEL", "PREFIXES", "sparql_prologue", "DATA_GRAPH_FILTER"]

ONTOLOGY_IRI = "https://w3id.org/techreg/ontology"
ENTAILED_GRAPH = "https://w3id.org/techreg/graph/entailed"
TR_NS = "https://w3id.org/techreg/ontology#"
ID_NS = "https://w3id.org/techreg/id/"
SRC_NS = "https://w3id.org/techreg/source/"
GRAPH_NS = "https://w3id.org/techreg/graph/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"

#: A SPARQL filter keeping ``?g`` to the graphs of source documents (not the ontology,
#: not the entailments): where asserted facts live.
DATA_GRAPH_FILTER = f"FILTER(?g NOT IN (<{ENTAILED_GRAPH}>, <{ONTOLOGY_IRI}>))"

#: Prefixes bound in every query and serialization.
PREFIXES: dict[str, str] = {
    "tr": TR_NS,
    "id": ID_NS,
    "src": SRC_NS,
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
    # one pass over the text (queries with long VALUES lists run to hundreds of kB)
    declared = {m.casefold() for m in _DECLARED.findall(query)} if "prefix" in query.casefold() else set()
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p.casefold() not in declared)


_DECLARED = re.compile(r"\bPREFIX\s+([^\s:]*)\s*:", re.IGNORECASE)
