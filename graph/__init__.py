"""techreg: a knowledge graph of the technology-regulation landscape.

The package is the library; the ``techreg`` command is a thin layer over it. Names are
imported lazily so that ``import graph`` (and ``techreg --help``) stays fast.

Examples
--------
>>> import graph
>>> store = graph.open_store()            # the bundled knowledge base, in memory
>>> graph.describe(store, "Full Truck Alliance").label
'Full Truck Alliance'
"""

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "open_store": "stores", "Store": "stores.base", "parse_files": "stores.rdfio",
    "resolve": "lookup.names", "search": "lookup.names",
    "describe": "answers.describe", "stats": "answers.stats", "timeline": "answers.timeline",
    "validate_files": "model.validation", "validate_store": "model.validation",
    "export_rdf": "export",
    "find_paths": "network.paths", "exposure": "network.exposure", "project": "network.projection",
    "view": "views.build", "run_query": "query.run", "library": "query.library",
    "init_store": "stores.loading", "load_files": "stores.loading", "import_files": "ingest.importer",
    "read_records": "ingest.records", "records_to_quads": "ingest.convert",
    "TR": "model.namespaces", "ID": "model.namespaces",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'graph' has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)
