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
    "open_store": "store", "Store": "store", "parse_files": "store",
    "resolve": "resolve", "search": "resolve",
    "describe": "describe", "stats": "stats",
    "validate_files": "validate", "validate_store": "validate",
    "export_rdf": "export",
    "find_paths": "paths", "exposure": "paths", "project": "network",
    "view": "view", "run_query": "query", "library": "query",
    "init_store": "loading", "load_files": "loading", "import_files": "importer",
    "read_records": "ingest", "records_to_quads": "ingest",
    "TR": "namespaces", "ID": "namespaces",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'graph' has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)
