"""Facts from analysts' spreadsheets and YAML files, turned into sourced RDF.

The layout (documented in ``examples/README.md`` and shown in ``examples/import-*.yaml``):
a file has up to seven sections, ``sources``, ``entities``, ``listings``, ``actions``,
``stakes``, ``relations`` and ``shares`` (per-target parts of a fine). Every record names the source that states it; its facts are
written into that source's named graph. References name entities by id (slug), by an id
defined in the same file, or by a label, alias, ticker or QID already in the store.

A CSV file holds the same records one per row, with a ``kind`` column (``source``,
``entity``, ``listing``, ``action``, ``stake``, ``relation``, ``share``) and a column per field;
list fields separate values with ``;``.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BadInput
from .base import ImportError_, Record

__all__ = ["Record", "read_records", "ImportError_"]

def read_records(path: str | Path) -> list[Record]:
    """Read the records of a YAML or CSV import file.

    Parameters
    ----------
    path : str or Path
        A ``.yaml``/``.yml`` or ``.csv`` file in the import layout.

    Returns
    -------
    list of Record

    Raises
    ------
    graph.ingest.text.InputError
        If the file is not UTF-8, not valid YAML or CSV, or out of bounds (size, rows,
        aliases, nesting), with its file and line.
    ImportError_
        Every value of the wrong kind (a list or mapping where text belongs, control
        characters, ragged CSV rows), with its file and line.
    """
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        from .yamlfile import read_yaml

        return read_yaml(path)
    if suffix == ".csv":
        from .csvfile import read_csv

        return read_csv(path)
    raise BadInput(f"{path}: import takes .yaml, .yml or .csv files")
