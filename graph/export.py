"""Writing the knowledge graph out in standard RDF syntaxes."""

from __future__ import annotations

import pyoxigraph as ox

from .errors import BadInput
from .model.iris import ENTAILED_GRAPH, ONTOLOGY_IRI

__all__ = ["RDF_EXPORT_FORMATS", "GRAPH_EXPORT_FORMATS", "export_rdf", "export_graph", "flat_graph"]

#: Graph formats for network tools: GraphML and GEXF (Gephi, Cytoscape, yEd), Cytoscape.js JSON.
GRAPH_EXPORT_FORMATS = ("graphml", "gexf", "cytoscape")

#: ``--format`` name -> (pyoxigraph format, keeps named graphs)
RDF_EXPORT_FORMATS = {
    "trig": (ox.RdfFormat.TRIG, True),
    "nquads": (ox.RdfFormat.N_QUADS, True),
    "jsonld": (ox.RdfFormat.JSON_LD, True),
    "turtle": (ox.RdfFormat.TURTLE, False),
    "ntriples": (ox.RdfFormat.N_TRIPLES, False),
    "rdfxml": (ox.RdfFormat.RDF_XML, False),
}


def export_rdf(store, fmt: str = "trig", *, ontology: bool = False, entailed: bool = False,
               complete: bool = False) -> bytes:
    """Serialize a store's facts.

    Parameters
    ----------
    store : graph.stores.Store
    fmt : str
        One of ``trig``, ``nquads``, ``jsonld`` (named graphs kept: one per source) or
        ``turtle``, ``ntriples``, ``rdfxml`` (the union of the graphs, provenance dropped).
    ontology : bool
        Include the ontology graph.
    entailed : bool
        Include the graph of materialised entailments.
    complete : bool
        Everything a plain quad store needs to answer queries as techreg does: the
        ontology and the merged default graph with the entailments (trig, nquads only;
        the same from every kind of store).

    Returns
    -------
    bytes
    """
    try:
        rdf_format, _ = RDF_EXPORT_FORMATS[fmt]
    except KeyError:
        raise BadInput(f"unknown export format {fmt!r} (one of {', '.join(RDF_EXPORT_FORMATS)})") from None
    if complete and fmt not in ("trig", "nquads"):
        raise BadInput("--complete needs a format with a default graph and named graphs: trig or nquads")
    graphs = [g for g in store.named_graphs()
              if (g != ONTOLOGY_IRI or ontology or complete) and (g != ENTAILED_GRAPH or entailed)]
    if entailed and store.entailed_graph is None:
        # the store writes its entailments as that graph (with --complete alone they are
        # in the default graph written, where the store keeps them)
        graphs.append(ENTAILED_GRAPH)
    return store.dump(rdf_format, graphs, default_graph=complete)


def flat_graph(store):
    """The path projection with every attribute a plain string, as network tools want.

    Nodes carry ``label``, ``label_zh``, ``iri``, ``classes`` (joined with ``;``) and one
    attribute per date (``announced``, ``listingDate``, ...); edges carry ``predicate``,
    ``label``, ``sources`` (joined with ``;``) and ``entailed``.
    """
    import networkx as nx

    from .network.projection import project
    from .lookup.names import curie, name_index

    projection = project(store)
    index = name_index(store)
    flat = nx.MultiDiGraph()
    for node, attrs in projection.graph.nodes(data=True):
        data = {"label": attrs.get("label", node), "iri": node, "curie": curie(node),
                "classes": ";".join(attrs.get("classes", []))}
        if node in index.labels_zh:
            data["label_zh"] = index.labels_zh[node]
        data.update({k: v for k, v in attrs.get("dates", {}).items()})
        flat.add_node(curie(node), **data)
    for u, v, key, attrs in projection.graph.edges(keys=True, data=True):
        flat.add_edge(curie(u), curie(v), key=key, predicate=key, label=attrs.get("label", key),
                      sources=";".join(curie(g) for g in attrs.get("sources", [])),
                      entailed=str(bool(attrs.get("entailed"))).lower())
    return flat


def export_graph(store, fmt: str) -> bytes:
    """Serialize the projection for network tools.

    Parameters
    ----------
    store : graph.stores.Store
    fmt : str
        ``graphml``, ``gexf`` or ``cytoscape`` (Cytoscape.js JSON elements).

    Returns
    -------
    bytes
    """
    import io
    import json

    import networkx as nx

    if fmt not in GRAPH_EXPORT_FORMATS:
        raise BadInput(f"unknown graph format {fmt!r} (one of {', '.join(GRAPH_EXPORT_FORMATS)})")
    g = flat_graph(store)
    if fmt == "cytoscape":
        data = nx.cytoscape_data(g, name="label", ident="id")
        for edge in data["elements"]["edges"]:
            edge["data"]["id"] = f"{edge['data']['source']}|{edge['data']['predicate']}|{edge['data']['target']}"
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(g, buffer, encoding="utf-8")
    else:
        nx.write_gexf(g, buffer, encoding="utf-8")
    return buffer.getvalue()
