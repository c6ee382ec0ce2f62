"""Fine amounts converted to US dollars or euros, for pictures.

The conversion is the library query ``largest-fines`` (examples/queries/largest-fines.rq):
through the US dollar, at the annual average rate of the decision's year from the sourced
rate table (graph/data/rates.py). This module only runs that query once per store and
writes its answer for a line under the original amount, e.g. ``CNY 18,228,000,000`` then
``(≈ USD 2.83bn, 2021 avg.)``; a fine with no rate for its year, with
no date, or an amount the query does not cover, gets no conversion.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Conversion", "conversions", "short_amount", "conversion_text"]

CONVERSION_QUERY = "largest-fines"


@dataclass(frozen=True)
class Conversion:
    """One fine's amount as the ``largest-fines`` query converts it."""

    currency: str
    amount_usd: float | None
    amount_eur: float | None
    year: int


def conversions(store) -> dict[str, Conversion]:
    """Per fine IRI, its converted amounts (only fines with a rate for their year).

    Parameters
    ----------
    store : graph.stores.Store

    Returns
    -------
    dict of str to Conversion
        Built once per store state (``store.cached``).
    """
    return store.cached("converted-amounts", lambda: _build(store))


def _build(store) -> dict[str, Conversion]:
    from ..query.library import library

    out: dict[str, Conversion] = {}
    for row in store.select(library()[CONVERSION_QUERY].text):
        if row.get("rateYear") is None or row.get("currency") is None:
            continue

        def number(name):
            term = row.get(name)
            return float(term.value) if term is not None else None

        out[row["fine"].value] = Conversion(row["currency"].value, number("amountUSD"), number("amountEUR"),
                                            int(row["rateYear"].value))
    return out


def short_amount(value: float) -> str:
    """An amount in three significant figures with a short-scale suffix.

    Examples
    --------
    >>> short_amount(2825696038)
    '2.83bn'
    >>> short_amount(1192747808)
    '1.19bn'
    >>> short_amount(465059)
    '465k'
    >>> short_amount(77510)
    '77.5k'
    >>> short_amount(950)
    '950'
    """
    for size, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= size * 0.9995:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


def conversion_text(conversion: Conversion | None) -> str:
    """``≈ USD 2.83bn, 2021 avg.`` (a US dollar amount is shown in euros); empty when
    there is nothing to show."""
    if conversion is None:
        return ""
    target, value = ("EUR", conversion.amount_eur) if conversion.currency == "USD" else ("USD", conversion.amount_usd)
    if value is None or conversion.currency == target:
        return ""
    return f"≈ {target} {short_amount(value)}, {conversion.year} avg."

