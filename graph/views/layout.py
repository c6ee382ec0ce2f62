"""Placement helpers for views: dated events along a time axis (``--layout time``) and
company groups (a parent, its subsidiaries and their products) for clustering."""

from __future__ import annotations

import datetime as _dt

from .select import _is_event, ancestors

__all__ = ["time_positions", "company_groups", "GROUP_LINKS"]

#: Relations that hold a company group together (either direction).
GROUP_LINKS = ("parentOrganization", "controlledBy", "operates")

_COLUMN = 190.0  # pixels between two successive dates


def _start(dates: dict):
    from ..model.dates import START_DATES

    for p in START_DATES + ("endDate", "dateEffective"):
        if dates.get(p):
            try:
                return _dt.date.fromisoformat(str(dates[p])[:10])
            except ValueError:
                continue
    return None


def time_positions(graph, hierarchy):
    """x positions (pixels) of dated events and laws, and the ticks of the axis (in date
    order, one column per distinct date).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A view graph (nodes with ``classes`` and ``dates``).
    hierarchy : dict
        From :func:`graph.views.select.class_hierarchy`.

    Returns
    -------
    (dict, list)
        IRI -> x, and ``[x, "YYYY-MM-DD"]`` ticks.
    """
    days = {}
    for n, attrs in graph.nodes(data=True):
        classes = attrs.get("classes") or ()
        if _is_event(hierarchy, classes) or "Law" in ancestors(hierarchy, classes):
            d = _start(attrs.get("dates") or {})
            if d:
                days[n] = d
    if not days:
        return {}, []
    # Ordinal axis: one column per distinct date, in order, so a busy fortnight is as
    # readable as a quiet decade; the ticks carry the real dates.
    distinct = sorted(set(days.values()))
    step = _COLUMN
    offset = step * (len(distinct) - 1) / 2
    column = {d: round(i * step - offset, 1) for i, d in enumerate(distinct)}
    xs = {n: column[d] for n, d in days.items()}
    return xs, [[column[d], d.isoformat()] for d in distinct]


def company_groups(graph, hierarchy):
    """Company groups in a view: each node of a group with two or more members -> group id.

    A group is what the ownership and operation links join (union of
    :data:`GROUP_LINKS` edges, either way) around at least one company; it is named after
    its top company (the one no other member controls), or its first by label.

    Returns
    -------
    (dict, dict)
        Node -> group id, and group id -> the group's name (``"<top company> group"``).
    """
    parent = {n: n for n in graph.nodes}

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    controlled = set()
    for u, v, key in graph.edges(keys=True):
        if key in GROUP_LINKS:
            parent[find(u)] = find(v)
            if key in ("controlledBy", "parentOrganization"):
                controlled.add(u)
    members: dict[str, list] = {}
    for n in graph.nodes:
        members.setdefault(find(n), []).append(n)
    out, names = {}, {}
    for root, group in members.items():
        companies = [n for n in group if "Company" in ancestors(hierarchy, graph.nodes[n].get("classes") or ())]
        if len(group) < 2 or not companies:
            continue
        tops = [n for n in companies if n not in controlled] or companies
        top = min(tops, key=lambda n: str(graph.nodes[n].get("label") or n))
        gid = f"g{len(names)}"
        names[gid] = f"{graph.nodes[top].get('label') or top} group ({len(group)})"
        for n in group:
            out[n] = gid
    return out, names
