"""``techreg import``: analysts' CSV and YAML files, checked and written as sourced RDF."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import UnknownName
from .convert import records_to_quads
from .records import ImportError_, read_records
from ..model.iris import ID_NS, SRC_NS

__all__ = ["ImportResult", "import_files", "store_lookup"]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class ImportResult:
    """What an import produced: the quads, their count and their TriG text."""

    quads: list[ox.Quad]
    count: int
    trig: bytes
    by_file: dict[str, list[ox.Quad]]

    def trig_of(self, path: str) -> bytes:
        """The TriG text of the facts read from one input file."""
        from ..model.iris import PREFIXES

        return ox.serialize(self.by_file.get(str(path), []), format=ox.RdfFormat.TRIG, prefixes=dict(PREFIXES))


def store_lookup(store):
    """Return a ``lookup(name, source_only=False)`` function resolving names in a store."""
    from ..lookup.names import name_index, resolve

    index = name_index(store)
    known_sources = {s.value for s in (r["s"] for r in store.select("SELECT ?s WHERE { ?s a tr:Source }"))}

    def lookup(name: str, source_only: bool = False):
        if source_only:
            iri = SRC_NS + name
            return iri if iri in known_sources else None
        if _SLUG.match(name) and index.known(ID_NS + name):
            return ID_NS + name
        try:
            return resolve(store, name)
        except UnknownName:
            return None

    return lookup


def import_files(store, paths: list[str | Path], *, write_to_store: bool = True) -> ImportResult:
    """Read, convert and validate import files; add them to the store when asked.

    Parameters
    ----------
    store : graph.stores.Store
        Names resolve against it; with ``write_to_store`` the facts are added to it.
    paths : list of path
        CSV or YAML files in the import layout.
    write_to_store : bool
        Add the facts to the store (all files or none).

    Returns
    -------
    ImportResult

    Raises
    ------
    graph.ingest.records.ImportError_
        Every problem with its file and line or row; nothing is written then.
    """
    from ..stores.loading import write_quads
    from ..lookup.names import name_index
    from ..model.validation import context_of, validate_quads

    lookup = store_lookup(store)
    index = name_index(store)
    records = [r for path in paths for r in read_records(path)]
    existing = {**{(i, "en"): l for i, l in index.labels.items()}, **{(i, "zh"): l for i, l in index.labels_zh.items()}}
    origins: dict[str, str] = {}
    by_file = records_to_quads(records, lookup, index.label, existing_labels=existing, by_file=True, origins=origins)
    quads = [q for qs in by_file.values() for q in qs]
    problems = _shares_off_target(store, quads, origins)
    # what the new facts touch in the store, not the whole store (as `load` does)
    report = validate_quads(by_file, context=context_of(store, quads))
    if not report.conforms:
        from ..lookup.names import curie

        places = {curie(iri): where for iri, where in origins.items()}
        problems += [_placed(v, places) for v in report.violations if v.severity == "Violation"]
    if problems:
        raise ImportError_(problems)
    from ..model.iris import PREFIXES

    trig = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=dict(PREFIXES))
    if write_to_store:
        write_quads(store, quads, [str(p) for p in paths])
    return ImportResult(quads, len(quads), trig, by_file)


def _placed(violation, places: dict[str, str]) -> str:
    """A shape violation as ``FILE:LINE: ...``, at the first record stating its focus node."""
    where = places.get(violation.focus)
    if where is None:
        return violation.line()
    prop = f" {violation.path}" if violation.path else ""
    value = f" (value: {violation.value})" if violation.value else ""
    return f"{where}: {violation.label} [{violation.focus}]{prop}: {violation.message}{value}"


def _shares_off_target(store, quads: list[ox.Quad], origins: dict[str, str]) -> list[str]:
    """Per-target parts whose target is not a target of their fine (in the file or the store)."""
    from ..lookup.names import curie
    from ..model.namespaces import TR

    of, to, targets = {}, {}, set()
    for q in quads:
        p = q.predicate.value
        if p == str(TR.shareOf):
            of[q.subject.value] = q.object.value
        elif p == str(TR.shareTarget):
            to[q.subject.value] = q.object.value
        elif p == str(TR.target):
            targets.add((q.subject.value, q.object.value))
    problems = []
    for share, action in sorted(of.items()):
        target = to.get(share)
        if target is None or (action, target) in targets:
            continue
        if not store.select(f"SELECT ?x WHERE {{ <{action}> tr:target ?x FILTER(?x = <{target}>) }} LIMIT 1"):
            problems.append(f"{origins.get(share, curie(share))}: {curie(target)} is not a target of {curie(action)}; "
                            "a share is the part one of the fine's targets pays")
    return problems
