"""Which declared coverage scopes an answer rests on.

Each scope declares its *members*: the entities it claims to hold completely (the actions,
laws or firms it counts). A row of an answer (a query solution, a timeline entry, a search
hit, an exposure route) falls inside a scope when one of the entities the row names is a
member of the scope. An answer then says which scopes its rows rest on, with each scope's
status and as-of date, and how many rows fall outside every scope (for those the knowledge
base makes no claim of completeness).
"""

from __future__ import annotations

import re

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import BadInput
from .scopes import Scope, count_scopes, load_scopes

__all__ = ["ScopeUse", "AnswerCoverage", "scope_members", "answer_coverage"]


@dataclass
class ScopeUse:
    """A scope an answer rests on, and how many of the answer's rows fall inside it."""

    id: str
    title: str
    status: str
    as_of: str | None
    rows: int

    def phrase(self) -> str:
        when = f"as of {self.as_of}" if self.as_of else "no as-of date"
        return f"{self.id} ({self.status}, {when})"


@dataclass
class AnswerCoverage:
    """The scopes of one answer: which it rests on, and the rows outside every scope.

    ``per_row`` holds, for each row in answer order, the ids of the scopes it falls in.
    """

    scopes: list[ScopeUse]
    rows: int
    outside: int
    per_row: list[list[str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The ``coverage`` field of a JSON answer."""
        return {"scopes": [{"id": s.id, "title": s.title, "status": s.status, "as_of": s.as_of, "rows": s.rows}
                           for s in self.scopes],
                "rows": self.rows, "outside": self.outside}

    def row_dict(self, index: int) -> list[dict]:
        """The scopes row ``index`` falls in, for answers whose JSON is a list of rows."""
        by_id = {s.id: s for s in self.scopes}
        return [{"id": i, "status": by_id[i].status, "as_of": by_id[i].as_of} for i in self.per_row[index]]

    def text(self) -> str:
        """One line for people, e.g. ``Coverage: rests on scope eu-dma-gatekeepers
        (partial, as of 2024-05-13); rows outside every scope: 0``."""
        if not self.rows:
            return "Coverage: no rows, so no scope to rest on (an empty answer is complete only inside a complete scope)"
        if not self.scopes:
            return f"Coverage: every row ({self.rows}) is outside every declared scope; the answer may be incomplete"
        word = "scope" if len(self.scopes) == 1 else "scopes"
        named = ", ".join(s.phrase() + (f" [{s.rows} of {self.rows} rows]" if len(self.scopes) > 1 else "")
                          for s in self.scopes)
        return f"Coverage: rests on {word} {named}; rows outside every scope: {self.outside}"


#: IRIs per members query: the query is asked only about the entities an answer names.
_BATCH = 500
_AS_ITEM = re.compile(r"^\s*SELECT\s+DISTINCT\s+\(\s*\?(\w+)\s+AS\s+\?item\s*\)\s+WHERE\s*\{", re.I)


def _restricted(query: str, iris: list[str]) -> str:
    """``query`` asked only about ``iris``, so that a large store is not listed member by
    member for an answer of a few rows. A members query made from a count (``SELECT
    DISTINCT (?x AS ?item) WHERE {``) gets the VALUES of ``?x`` first in its WHERE clause,
    where the engine starts from them; any other is joined with them."""
    values = " ".join(f"<{i}>" for i in iris)
    found = _AS_ITEM.match(query)
    if found:
        return f"{found.group(0)} VALUES ?{found.group(1)} {{ {values} }} {query[found.end():]}"
    return f"SELECT ?item WHERE {{ VALUES ?item {{ {values} }} {{ {query} }} }}"


def scope_members(store, scopes: list[Scope] | None = None, among=None) -> dict[str, frozenset[str]]:
    """The IRIs each scope covers, by scope id, from its ``members`` query.

    Parameters
    ----------
    store : graph.stores.Store
    scopes : list of Scope, optional
    among : iterable of str, optional
        Only these IRIs are asked about (what an answer names); without it every member is
        listed (cached per store).

    Raises
    ------
    BadInput
        When a scope's members query does not bind ``?item``.
    """
    scopes = load_scopes() if scopes is None else scopes
    wanted = None if among is None else sorted({i for i in among if i.startswith(("http://", "https://"))})

    def build():
        out = {}
        for s in scopes:
            items = set()
            for q in s.member_queries():
                batches = [None] if wanted is None else [wanted[i:i + _BATCH] for i in range(0, len(wanted), _BATCH)]
                for batch in batches:
                    rows = store.select(q if batch is None else _restricted(q, batch))
                    if rows and "item" not in rows[0]:
                        raise BadInput(f"{s.file}: the members query must bind ?item")
                    items.update(r["item"].value for r in rows if r.get("item") is not None)
            out[s.id] = frozenset(items)
        return out

    if wanted is None:
        return store.cached(("coverage-members", tuple(s.file for s in scopes)), build)
    return build()


def answer_coverage(store, rows: Iterable[Iterable[str]], scopes: list[Scope] | None = None) -> AnswerCoverage:
    """Decide the scopes an answer rests on.

    Parameters
    ----------
    store : graph.stores.Store
    rows : iterable of iterables of str
        For each row of the answer, the IRIs it names (other strings are ignored).
    scopes : list of Scope, optional
        The declared scopes (default: those in ``graph/data/coverage/``).

    Returns
    -------
    AnswerCoverage
        The scopes in declaration order with their status, as-of date and row counts.
    """
    scopes = count_scopes(store, load_scopes() if scopes is None else scopes)
    rows = [set(row) for row in rows]
    members = scope_members(store, scopes, among=set().union(*rows) if rows else set())
    per_row, hits, outside = [], {s.id: 0 for s in scopes}, 0
    for row in rows:
        iris = set(row)
        inside = [s.id for s in scopes if not iris.isdisjoint(members[s.id])]
        per_row.append(inside)
        for i in inside:
            hits[i] += 1
        outside += not inside
    used = [ScopeUse(s.id, s.title, s.status, s.as_of, hits[s.id]) for s in scopes if hits[s.id]]
    return AnswerCoverage(used, len(per_row), outside, per_row)
