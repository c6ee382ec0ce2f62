"""What a timeline picture shows: the rows of :func:`graph.answers.timeline.timeline` turned
into marks (actions, placed in lanes by regulator or jurisdiction) and reference lines
(listings, delistings, laws adopted and taking effect), with amounts and chosen labels.

Both the static picture (:mod:`.timeline_svg`) and the interactive page
(:mod:`.timeline_html`) draw a :class:`TimelinePicture`.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from ..errors import BadInput, NegativeAnswer

__all__ = ["Mark", "RefLine", "TimelinePicture", "timeline_picture", "format_amount", "LANE_KINDS"]

#: The ways to put actions in lanes.
LANE_KINDS = ("regulator", "jurisdiction")

_NO_LANE = {"regulator": "No regulator recorded", "jurisdiction": "No jurisdiction recorded"}

# Dates of a listing or a law drawn as reference lines, and how they are named.
_REF_DATES = {
    "listingDate": ("listing", "listed"),
    "delistingDate": ("delisting", "delisted"),
    "dateEffective": ("law", "takes effect"),
    "dateAdopted": ("law-adopted", "adopted"),
}
# Dates of an action: the first one places its mark, an end date closes its bar.
_START = ("announced", "startDate")
_END = ("endDate",)


@dataclass
class Mark:
    """One action at its date: lane, type, label, amount; ``end`` for actions that lasted;
    ``converted``: the amount in US dollars (or euros) where the rate table has the year's rate."""

    date: _dt.date
    lane: str
    kind: str
    label: str
    iri: str
    amount: str = ""
    end: _dt.date | None = None
    about: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    converted: str = ""

    def as_dict(self) -> dict:
        return {"date": self.date.isoformat(), "end": self.end.isoformat() if self.end else None,
                "lane": self.lane, "kind": self.kind, "label": self.label, "iri": self.iri,
                "amount": self.amount, "converted": self.converted,
                "about": list(self.about), "sources": list(self.sources)}


@dataclass
class RefLine:
    """A listing, a delisting or a law's date, drawn across every lane."""

    date: _dt.date
    kind: str
    label: str
    iri: str
    sources: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"date": self.date.isoformat(), "kind": self.kind, "label": self.label, "iri": self.iri,
                "sources": list(self.sources)}


@dataclass
class TimelinePicture:
    """Everything a timeline picture draws, in date order."""

    title: str
    lanes: list[str]
    marks: list[Mark]
    refs: list[RefLine]
    lane_kind: str = "regulator"
    undated: list[str] = field(default_factory=list)  # labels of the undated actions, not drawn

    def span(self) -> tuple[_dt.date, _dt.date]:
        days = [m.date for m in self.marks] + [m.end for m in self.marks if m.end] + [r.date for r in self.refs]
        return min(days), max(days)


def format_amount(amount: str | None, currency: str | None) -> str:
    """``8026000000`` and ``CNY`` as ``CNY 8,026,000,000``; empty without an amount."""
    if not amount:
        return ""
    try:
        value = float(amount)
        text = f"{int(value):,}" if value.is_integer() else f"{value:,.2f}"
    except ValueError:
        text = str(amount)
    return f"{currency} {text}" if currency else text


def _facts(store, iris):
    """Per IRI: issuers, jurisdictions, amount, currency (one query)."""
    out: dict[str, dict] = {i: {"issuers": [], "jur": [], "amount": None, "currency": None} for i in iris}
    if not iris:
        return out
    values = " ".join(f"<{i}>" for i in sorted(iris))
    rows = store.select(f"""SELECT ?e ?p ?o WHERE {{ VALUES ?e {{ {values} }}
        VALUES ?p {{ tr:issuedBy tr:jurisdiction tr:amount tr:currency }} ?e ?p ?o }}""")
    key = {"issuedBy": "issuers", "jurisdiction": "jur"}
    for r in rows:
        local = r["p"].value.rsplit("#", 1)[-1]
        slot = out[r["e"].value]
        if local in key:
            if r["o"].value not in slot[key[local]]:
                slot[key[local]].append(r["o"].value)
        else:
            slot[local] = r["o"].value
    return out


def _jurisdictions_of(store, iris):
    """The jurisdiction of each issuer, or of its parent organisation."""
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris))
    out: dict[str, list[str]] = {}
    for r in store.select(f"""SELECT ?x ?j WHERE {{ VALUES ?x {{ {values} }}
                               ?x tr:parentOrganization?/tr:jurisdiction ?j }} ORDER BY ?j"""):
        out.setdefault(r["x"].value, [])
        if r["j"].value not in out[r["x"].value]:
            out[r["x"].value].append(r["j"].value)
    return out


def timeline_picture(store, entries, lanes: str = "regulator", lang=("en",), title: str | None = None
                     ) -> TimelinePicture:
    """Turn timeline rows into marks in lanes and reference lines.

    Parameters
    ----------
    store : graph.stores.Store
    entries : list of graph.answers.timeline.TimelineEntry
        As returned by :func:`graph.answers.timeline.timeline` (rows of several calls may
        be concatenated; repeats are merged).
    lanes : {"regulator", "jurisdiction"}
        One lane per issuing regulator, or per jurisdiction (of the action or its issuer).
    lang : tuple of str
        Label languages, as :func:`graph.lookup.lang.parse_lang` returns.
    title : str, optional

    Returns
    -------
    TimelinePicture

    Raises
    ------
    BadInput
        An unknown lane kind.
    NegativeAnswer
        No dated action, listing or law among the rows.
    """
    from ..answers.amounts import conversion_text, conversions
    from ..lookup.names import name_index

    if lanes not in LANE_KINDS:
        raise BadInput(f"--lanes: {lanes!r} is not one of {', '.join(LANE_KINDS)}")
    index = name_index(store)
    converted = conversions(store)

    def label(iri):
        return index.shown(iri, lang)

    events: dict[str, dict] = {}
    refs: dict[tuple, RefLine] = {}
    undated = []
    for e in entries:
        prop = e.property.rsplit(":", 1)[-1]
        if not e.date:
            undated.append(label(e.iri))
            continue
        day = _dt.date.fromisoformat(e.date[:10])
        if prop in _REF_DATES and ("Listing" in e.classes or prop.startswith("date")):
            kind, verb = _REF_DATES[prop]
            key = (day, kind, e.iri)
            if key not in refs:
                refs[key] = RefLine(day, kind, f"{label(e.iri)} {verb}", e.iri, list(e.sources))
            continue
        if prop in _START + _END and not {"Listing", "Stake"} & set(e.classes):
            ev = events.setdefault(e.iri, {"starts": [], "ends": [], "classes": e.classes, "about": e.about,
                                           "sources": []})
            (ev["ends"] if prop in _END else ev["starts"]).append(day)
            ev["sources"] += [g for g in e.sources if g not in ev["sources"]]
    if not events and not refs:
        raise NegativeAnswer("no dated action, listing or law to draw")
    facts = _facts(store, set(events))
    issuers = {i for f in facts.values() for i in f["issuers"]}
    issuer_jur = _jurisdictions_of(store, issuers) if lanes == "jurisdiction" else {}
    # An action issued by several bodies goes in the lane of the one issuing most here.
    weight: dict[str, int] = {}
    for f in facts.values():
        for i in f["issuers"]:
            weight[i] = weight.get(i, 0) + 1
    marks = []
    for iri, ev in events.items():
        f = facts[iri]
        if lanes == "regulator":
            lane_iri = min(f["issuers"], key=lambda i: (-weight[i], index.label(i)), default=None)
        else:
            jur = f["jur"] or [j for i in f["issuers"] for j in issuer_jur.get(i, [])]
            lane_iri = jur[0] if jur else None
        lane = label(lane_iri) if lane_iri else _NO_LANE[lanes]
        starts = sorted(ev["starts"]) or sorted(ev["ends"])
        end = max(ev["ends"]) if ev["ends"] else None
        kind = next((c for c in ev["classes"] if c not in ("RegulatoryAction",)), "Action")
        amount = format_amount(f["amount"], f["currency"])
        marks.append(Mark(starts[0], lane, kind, label(iri), iri, amount,
                          end if end and end > starts[0] else None, list(ev["about"]), ev["sources"],
                          conversion_text(converted.get(iri)) if amount else ""))
    marks.sort(key=lambda m: (m.date, m.lane, m.label))
    order: dict[str, tuple] = {}
    for m in marks:
        order.setdefault(m.lane, (m.lane in _NO_LANE.values(), m.date, m.lane))
    lane_list = sorted(order, key=lambda name: order[name])
    ref_list = sorted(refs.values(), key=lambda r: (r.date, r.label))
    picture = TimelinePicture(title or "", lane_list, marks, ref_list, lanes, sorted(set(undated)))
    if title is None:
        first, last = picture.span()
        picture.title = f"Timeline, {first.isoformat()} to {last.isoformat()}"
    return picture


def write_timeline(store, entries, output, fmt: str, lanes: str = "regulator", lang=("en",),
                   title: str | None = None) -> TimelinePicture:
    """Draw timeline rows as a picture file: ``svg`` or ``png`` (matplotlib) or ``html`` (vis-timeline).

    Parameters
    ----------
    store : graph.stores.Store
    entries : list of graph.answers.timeline.TimelineEntry
    output : str or path-like
    fmt : {"svg", "png", "html"}
    lanes, lang, title
        As for :func:`timeline_picture`.

    Returns
    -------
    TimelinePicture
        What was drawn.

    Raises
    ------
    BadInput
        A bad format, lane kind or output, or no font for Chinese labels.
    NegativeAnswer
        Nothing dated to draw.
    """
    from .page import check_writable

    if fmt not in ("svg", "png", "html"):
        raise BadInput(f"--format: {fmt!r} is not one of svg, png, html")
    check_writable(output)
    picture = timeline_picture(store, entries, lanes=lanes, lang=lang, title=title)
    if fmt == "html":
        from ..lookup.sources import sources
        from .timeline_html import write_timeline_html

        write_timeline_html(picture, output, sources(store))
    else:
        from .timeline_svg import write_timeline_image

        write_timeline_image(picture, output, fmt)
    return picture
