"""Answers an endpoint cut at its row limit: told apart from complete ones, never returned.

Virtuoso returns at most ``ResultSetMaxRows`` rows (``[SPARQL]`` section of its ini) and
says nothing in the answer itself; it only adds the header ``X-SPARQL-MaxRows: N`` when
the answer has N rows, whether or not more were cut. The remote store then counts the
query's solutions with one more request (the query as a subquery of a ``COUNT``): when
there are more than the rows returned, it raises :class:`AnswerCut` instead of returning
a silently incomplete answer. CONSTRUCT answers carry no such header; once an endpoint
has named its limit, a graph answer of that many triples is refused the same way.
"""

from __future__ import annotations

from .http import RemoteError
from .layout import tokens

__all__ = ["AnswerCut", "count_query", "cut_error"]

_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


class AnswerCut(RemoteError):
    """The endpoint cut the answer at its row limit (exit 2)."""


def count_query(text: str) -> str | None:
    """The query that counts the solutions of a SELECT query: ``SELECT (COUNT(*) ...) { query }``.

    Parameters
    ----------
    text : str
        A SELECT query with its prologue.

    Returns
    -------
    str or None
        ``None`` when ``text`` is not a SELECT query.
    """
    for kind, value, offset in tokens(text):
        if kind == "word" and value.upper() in _FORMS:
            if value.upper() != "SELECT":
                return None
            return text[:offset] + "SELECT (COUNT(*) AS ?techregSolutions) WHERE {\n" + text[offset:] + "\n}"
    return None


def cut_error(url: str, returned: int, limit: int, total: int | None) -> AnswerCut:
    """The error for an answer cut at the endpoint's row limit."""
    of = f" of {total:,} solutions" if total is not None else ""
    return AnswerCut(f"SPARQL endpoint {url} returned {returned:,} rows{of}, its limit on rows per answer "
                     f"(X-SPARQL-MaxRows: {limit:,}; Virtuoso's ResultSetMaxRows), so the answer would be "
                     "incomplete: raise ResultSetMaxRows in the [SPARQL] section of virtuoso.ini, or narrow "
                     "the query")
