"""Writing the knowledge graph out in standard RDF syntaxes."""

from __future__ import annotations

import pyoxigraph as ox

from .errors import BadInput
from .namespaces import ENTAILED_GRAPH, ONTOLOGY_IRI

__all__ = ["RDF_EXPORT_FORMATS", "export_rdf"]

#: ``--format`` name -> (pyoxigraph format, keeps named graphs)
RDF_EXPORT_FORMATS = {
    "trig": (ox.RdfFormat.TRIG, True),
    "nquads": (ox.RdfFormat.N_QUADS, True),
    "jsonld": (ox.RdfFormat.JSON_LD, True),
    "turtle": (ox.RdfFormat.TURTLE, False),
    "ntriples": (ox.RdfFormat.N_TRIPLES, False),
    "rdfxml": (ox.RdfFormat.RDF_XML, False),
}


def export_rdf(store, fmt: str = "trig", *, ontology: bool = False, entailed: bool = False) -> bytes:
    """Serialize a store's facts.

    Parameters
    ----------
    store : graph.store.Store
    fmt : str
        One of ``trig``, ``nquads``, ``jsonld`` (named graphs kept: one per source) or
        ``turtle``, ``ntriples``, ``rdfxml`` (the union of the graphs, provenance dropped).
    ontology : bool
        Include the ontology graph.
    entailed : bool
        Include the graph of materialised entailments.

    Returns
    -------
    bytes
    """
    try:
        rdf_format, _ = RDF_EXPORT_FORMATS[fmt]
    except KeyError:
        raise BadInput(f"unknown export format {fmt!r} (one of {', '.join(RDF_EXPORT_FORMATS)})") from None
    graphs = [g for g in store.named_graphs()
              if (g != ONTOLOGY_IRI or ontology) and (g != ENTAILED_GRAPH or entailed)]
    return store.dump(rdf_format, graphs)
