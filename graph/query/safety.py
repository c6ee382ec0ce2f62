"""The safety gate: queries that would reach outside the store or write to it are refused
before anything runs."""

from __future__ import annotations

import re

from ..errors import BadInput

__all__ = ["check_safety"]


def _mask(text: str) -> str:
    """Blank out comments, strings and IRIs (same length) so keywords can be searched."""
    def blank(m):
        return " " * len(m.group(0))
    pattern = r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
    return re.sub(pattern, blank, text)


def check_safety(text: str, *, allow_remote: bool = False, local_graphs: set[str] | None = None) -> None:
    """Refuse queries that would reach outside the store, before anything is sent.

    ``SERVICE`` and ``LOAD`` are refused, and so is ``FROM``/``FROM NAMED`` with an IRI
    that is a file or not one of the store's graphs, unless ``allow_remote`` is true.
    Updates (INSERT, DELETE, CLEAR, DROP, ...) are never run by ``query``.
    """
    masked = _mask(text)
    if (re.search(r"(?<![?$\w:])(INSERT|DELETE)\s*(DATA|WHERE|\{)", masked, re.I)
            or re.search(r"(?<![?$\w:])(LOAD|CLEAR|DROP|CREATE|COPY|MOVE|ADD)\b", masked, re.I)):
        raise BadInput("techreg query is read-only: updates are not run (use techreg load or import to add data)")
    if allow_remote:
        return
    if re.search(r"(?<![?$\w:])SERVICE\b", masked, re.I):
        raise BadInput("SERVICE is refused: queries may not call other endpoints (use --allow-remote to permit it)")
    if re.search(r"(?<![?$\w:])LOAD\b", masked, re.I):
        raise BadInput("LOAD is refused: queries may not fetch data (use --allow-remote to permit it)")
    for m in re.finditer(r"(?<![?$\w:])FROM\b", masked, re.I):
        iri_match = re.match(r"\s*(?:NAMED\s+)?<([^>]*)>", text[m.end():], re.I)
        iri = iri_match.group(1) if iri_match else ""
        if iri.startswith("file:") or (local_graphs is not None and iri not in local_graphs):
            raise BadInput(f"FROM <{iri}> is refused: only the store's own graphs may be named (use --allow-remote to permit it)")
