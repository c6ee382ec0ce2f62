"""Locations of the bundled knowledge base, ontology and query library.

In an installed wheel the ontology and the query library travel inside the package
(``graph/ontology``, ``graph/queries``); in a source checkout they sit at the top of the
repository (``ontology/``, ``examples/queries/``).
"""

from pathlib import Path

__all__ = ["data_files", "ontology_file", "shapes_file", "queries_dir"]

_PKG = Path(__file__).resolve().parent


def _locate(packaged: str, checkout: str) -> Path:
    inside = _PKG / packaged
    return inside if inside.exists() else _PKG.parent / checkout


def data_files() -> list[Path]:
    """Return the bundled TriG files, sorted by name.

    Returns
    -------
    list of Path
        One file per topic; each holds one named graph per source document.
    """
    return sorted((_PKG / "data").glob("*.trig"))


def ontology_file() -> Path:
    """Return the path of ``techreg.ttl`` (classes, properties, alignments)."""
    return _locate("ontology", "ontology") / "techreg.ttl"


def shapes_file() -> Path:
    """Return the path of ``shapes.ttl`` (SHACL shapes)."""
    return _locate("ontology", "ontology") / "shapes.ttl"


def queries_dir() -> Path:
    """Return the directory of the named query library (``*.rq``)."""
    return _locate("queries", "examples/queries")
