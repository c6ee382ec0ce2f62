"""Declared coverage scopes: what the knowledge base claims to hold completely, checked
against a reference (an authority's list or register, or a maintained tracker).

Each scope is one YAML file in ``graph/data/coverage/``::

    id: eu-dma-gatekeepers
    title: DMA gatekeeper designations
    jurisdiction: european-union            # id of a tr:Jurisdiction
    covers: Every gatekeeper the Commission has designated under the DMA
    reference:                              # null while the reference is not yet counted
      title: Gatekeepers
      publisher: European Commission
      url: https://digital-markets-act.ec.europa.eu/gatekeepers_da
      source: ec-dma-gatekeepers-page       # the source of the knowledge base that quotes it
    as_of: 2024-05-13                       # the reference is complete up to this day
    counts:
      - what: gatekeepers
        reference: 7                        # how many the reference holds (null: not counted)
        recorded: 7                         # how many the knowledge base held when last built
        query: SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ... }
    missing:                                # items of the reference not (yet) in the data
      - item: the 24 core platform services as products
        reason: not yet entered
    members: [designation decisions]        # what the scope covers, for answers (optional)

``members`` says which entities the scope covers, so that an answer can say which scopes
its rows rest on (:mod:`graph.coverage.answers`): either a list of count names (each
count's ``COUNT(DISTINCT ?x)`` query, selecting the ``?x`` it counts) or a SPARQL query
that binds ``?item``. Without it, every count of the ``COUNT(DISTINCT ?x)`` form is used.

A count is *complete* when the knowledge base holds at least what the reference holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BadInput

__all__ = ["Count", "Scope", "SCOPES_DIR", "load_scopes", "count_scopes", "CoverageDrop", "check_recorded"]

SCOPES_DIR = Path(__file__).resolve().parent.parent / "data" / "coverage"
_KEYS = {"id", "title", "jurisdiction", "covers", "reference", "as_of", "counts", "missing", "notes", "members"}
_COUNT_DISTINCT = re.compile(r"SELECT\s*\(\s*COUNT\s*\(\s*DISTINCT\s+\?(\w+)\s*\)\s*AS\s+\?\w+\s*\)", re.I)


class CoverageDrop(BadInput):
    """The data holds fewer items of a scope than when it was last built."""


@dataclass
class Count:
    """One counted kind of item in a scope."""

    what: str
    query: str
    reference: int | None
    recorded: int | None
    found: int | None = None

    @property
    def complete(self) -> bool | None:
        if self.reference is None or self.found is None:
            return None
        return self.found >= self.reference

    def as_dict(self) -> dict:
        return {"what": self.what, "reference": self.reference, "found": self.found,
                "recorded": self.recorded, "complete": self.complete}


@dataclass
class Scope:
    """A declared scope, its reference and its counts."""

    id: str
    title: str
    jurisdiction: str | None
    covers: str
    reference: dict | None
    as_of: str | None
    counts: list[Count]
    missing: list[dict] = field(default_factory=list)
    notes: str | None = None
    file: str = ""
    members: str | list[str] | None = None

    def member_queries(self) -> list[str]:
        """The SPARQL queries (binding ``?item``) of the entities this scope covers."""
        if isinstance(self.members, str):
            return [self.members]
        chosen = [c for c in self.counts if self.members is None or c.what in self.members]
        return [_COUNT_DISTINCT.sub(lambda m: f"SELECT DISTINCT (?{m.group(1)} AS ?item)", c.query, count=1)
                for c in chosen if _COUNT_DISTINCT.search(c.query)]

    @property
    def status(self) -> str:
        """``complete``, ``partial`` (missing items listed) or ``unchecked`` (no reference count)."""
        states = [c.complete for c in self.counts]
        if self.reference is None or not states or any(s is None for s in states):
            return "unchecked"
        return "complete" if all(states) and not self.missing else "partial"

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "jurisdiction": self.jurisdiction, "covers": self.covers,
                "reference": self.reference, "as_of": self.as_of, "status": self.status,
                "counts": [c.as_dict() for c in self.counts], "missing": self.missing, "notes": self.notes}


def _scope(path: Path, data) -> Scope:
    where = f"{path.name}"
    if not isinstance(data, dict):
        raise BadInput(f"{where}: a scope file holds one mapping")
    unknown = set(data) - _KEYS
    if unknown:
        raise BadInput(f"{where}: unknown key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(_KEYS))})")
    for key in ("id", "title", "covers", "counts"):
        if not data.get(key):
            raise BadInput(f"{where}: '{key}' is required")
    if data["id"] != path.stem:
        raise BadInput(f"{where}: id {data['id']!r} must match the file name")
    counts = [Count(c["what"], c["query"], c.get("reference"), c.get("recorded")) for c in data["counts"]]
    members = data.get("members")
    if isinstance(members, list):
        names = {c.what for c in counts}
        unknown = [m for m in members if m not in names]
        if unknown:
            raise BadInput(f"{where}: members names no count {', '.join(map(repr, unknown))} "
                           f"(counts: {', '.join(sorted(names))})")
        if not all(_COUNT_DISTINCT.search(c.query) for c in counts if c.what in members):
            raise BadInput(f"{where}: a count named in members must count COUNT(DISTINCT ?x)")
    elif members is not None and (not isinstance(members, str) or "?item" not in members):
        raise BadInput(f"{where}: members is a list of count names or a SPARQL query binding ?item")
    as_of = data.get("as_of")
    return Scope(data["id"], data["title"], data.get("jurisdiction"), " ".join(str(data["covers"]).split()),
                 data.get("reference"), str(as_of) if as_of else None, counts, data.get("missing") or [],
                 data.get("notes"), str(path), members)


def load_scopes(directory: Path = SCOPES_DIR) -> list[Scope]:
    """Read every scope file, sorted by id."""
    import yaml

    out = []
    for p in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f":{mark.line + 1}" if mark else ""
            raise BadInput(f"{p}{line}: {getattr(exc, 'problem', None) or exc}") from None
        out.append(_scope(p, data))
    return out


def count_scopes(store, scopes: list[Scope] | None = None) -> list[Scope]:
    """Run each scope's counting queries on ``store`` and fill in ``found``."""
    scopes = load_scopes() if scopes is None else scopes

    def build():
        for scope in scopes:
            for c in scope.counts:
                rows = store.select(c.query)
                c.found = int(rows[0]["n"].value) if rows and rows[0]["n"] is not None else 0
        return scopes

    return store.cached(("coverage", tuple(s.file for s in scopes)), build)


def check_recorded(scopes: list[Scope]) -> list[str]:
    """Changes against the counts recorded at the last build; raise on a drop.

    Returns
    -------
    list of str
        One line per count that grew (the change report).

    Raises
    ------
    CoverageDrop
        When the data holds fewer items of a count than recorded.
    """
    grew, dropped = [], []
    for s in scopes:
        for c in s.counts:
            if c.recorded is None or c.found == c.recorded:
                continue
            line = f"{s.id}: {c.what} {c.recorded} -> {c.found}"
            (dropped if c.found < c.recorded else grew).append(line)
    if dropped:
        raise CoverageDrop("coverage dropped (update 'recorded' in graph/data/coverage/ only if the drop is "
                           "meant):\n  " + "\n  ".join(dropped))
    return grew
