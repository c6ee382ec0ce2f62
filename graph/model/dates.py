"""Which date of an action, listing or law counts, and when something stood.

One home for the date rules every answer uses: the date properties carried on nodes
(:data:`DATE_PROPERTIES`), the dates at which a node begins to stand
(:data:`START_DATES`, in order of preference), :func:`in_force` for ``--as-of``,
:func:`when` for the phrase in explanations, and :func:`parse_date` for users' dates.
"""

from __future__ import annotations

from datetime import date

from ..errors import BadInput

__all__ = ["DATE_PROPERTIES", "START_DATES", "in_force", "parse_date", "when", "start_date"]

#: Date properties carried on nodes, in order of preference for "when".
DATE_PROPERTIES = ("announced", "startDate", "pricingDate", "listingDate", "dateAdopted",
                   "datePromulgated", "datePublished", "dateEffective", "dateApplicable",
                   "endDate", "delistingDate")

#: The dates at which an action, listing or law begins to stand, best first.
START_DATES = ("announced", "startDate", "pricingDate", "listingDate", "dateAdopted", "datePromulgated")

_VERBS = {"announced": "announced", "startDate": "started", "pricingDate": "priced",
          "listingDate": "listed", "dateAdopted": "adopted", "datePromulgated": "promulgated"}


def start_date(dates: dict[str, str]) -> tuple[str, str] | None:
    """The date a node begins to stand: ``(property, YYYY-MM-DD)`` or ``None`` if undated."""
    for key in START_DATES:
        if key in dates:
            return key, dates[key]
    return None


def in_force(dates: dict[str, str], as_of: str) -> bool:
    """Whether a node with these dates stood on ``as_of``: started (actions announced or
    started, listings priced or listed, laws adopted) and, for listings, not yet delisted.
    Nodes without dates always stand."""
    started = [dates[k] for k in START_DATES if k in dates]
    if started and min(started) > as_of:
        return False
    return not ("delistingDate" in dates and dates["delistingDate"] < as_of)


def when(dates: dict[str, str]) -> str:
    """The phrase that dates a node in an explanation, e.g. `` (announced 5 Jul 2021)``."""
    found = start_date(dates)
    if found is None:
        return ""
    key, value = found
    d = date.fromisoformat(value)
    return f" ({_VERBS[key]} {d.day} {d.strftime('%b %Y')})"


def parse_date(text, option: str = "date") -> str | None:
    """Check a YYYY-MM-DD date given by a user; ``None`` passes through.

    Raises
    ------
    BadInput
        Naming the option, for anything that is not a date.
    """
    if text is None or text == "":
        return None
    if isinstance(text, date):
        return text.isoformat()
    try:
        return date.fromisoformat(str(text).strip()).isoformat()
    except ValueError:
        raise BadInput(f"{option}: {text!r} is not a date (YYYY-MM-DD)") from None
