"""Facts from analysts' spreadsheets and YAML files, turned into sourced RDF.

The layout (documented in ``examples/README.md`` and shown in ``examples/import-*.yaml``):
a file has up to six sections, ``sources``, ``entities``, ``listings``, ``actions``,
``stakes`` and ``relations``. Every record names the source that states it; its facts are
written into that source's named graph. References name entities by id (slug), by an id
defined in the same file, or by a label, alias, ticker or QID already in the store.

A CSV file holds the same records one per row, with a ``kind`` column (``source``,
``entity``, ``listing``, ``action``, ``stake``, ``relation``) and a column per field;
list fields separate values with ``;``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


from ..errors import BadInput, ParseError

from .layout import LIST_FIELDS, SECTIONS

__all__ = ["Record", "read_records", "ImportError_"]

_KIND_TO_SECTION = {"source": "sources", "entity": "entities", "listing": "listings", "action": "actions",
                    "stake": "stakes", "relation": "relations"}


@dataclass
class Record:
    """One record of an import file: its section, fields and where it stands."""

    section: str
    fields: dict[str, Any]
    path: str
    line: int
    where: str = field(default="")

    def locate(self) -> str:
        return self.where or f"{self.path}:{self.line}"


class ImportError_(BadInput):
    """Problems found in an import file; lists every problem with its row or line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s), nothing written:\n" + "\n".join("  " + p for p in problems))


# -- reading -----------------------------------------------------------------


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
    ParseError
        If the file is not valid YAML or CSV.
    """
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _read_yaml(path)
    if suffix == ".csv":
        return _read_csv(path)
    raise BadInput(f"{path}: import takes .yaml, .yml or .csv files")


def _read_yaml(path: Path) -> list[Record]:
    import yaml

    class LineLoader(yaml.SafeLoader):
        pass

    def construct_mapping(loader, node, deep=False):
        mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    # dates stay text, so a bad one is reported with its line instead of failing the parse
    LineLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=LineLoader)  # noqa: S506 (SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ParseError(str(path), mark.line + 1 if mark else None, str(getattr(exc, "problem", exc))) from None
    if doc is None:
        return []
    if not isinstance(doc, dict):
        raise ParseError(str(path), 1, "expected a mapping with sections " + ", ".join(SECTIONS))
    records = []
    for section, body in doc.items():
        if section == "__line__":
            continue
        if section not in SECTIONS:
            raise ParseError(str(path), None, f"unknown section {section!r} (expected one of {', '.join(SECTIONS)})")
        if section == "sources" and isinstance(body, dict):
            for slug, fields in body.items():
                if slug == "__line__":
                    continue
                if not isinstance(fields, dict):
                    raise ParseError(str(path), body["__line__"], f"source {slug!r} must be a mapping")
                line = fields.pop("__line__")
                records.append(Record("sources", {"id": str(slug), **fields}, str(path), line))
            continue
        if not isinstance(body, list):
            raise ParseError(str(path), None, f"section {section!r} must be a list of records")
        for item in body:
            if not isinstance(item, dict):
                raise ParseError(str(path), None, f"every record in {section!r} must be a mapping")
            line = item.pop("__line__")
            records.append(Record(section, item, str(path), line))
    return records


def _read_csv(path: Path) -> list[Record]:
    list_fields = LIST_FIELDS
    records = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "kind" not in reader.fieldnames:
            raise ParseError(str(path), 1, "the header needs a 'kind' column (source, entity, listing, action, stake, relation)")
        for rowno, row in enumerate(reader, start=2):
            kind = (row.pop("kind") or "").strip()
            section = _KIND_TO_SECTION.get(kind)
            if not section:
                raise ParseError(str(path), rowno, f"unknown kind {kind!r} (expected source, entity, listing, action, stake or relation)")
            fields: dict[str, Any] = {}
            for key, value in row.items():
                if key is None or value is None or value.strip() == "":
                    continue
                value = value.strip()
                fields[key] = [v.strip() for v in value.split(";") if v.strip()] if key in list_fields else value
            records.append(Record(section, fields, str(path), rowno, where=f"{path} row {rowno}"))
    return records


# -- converting --------------------------------------------------------------
