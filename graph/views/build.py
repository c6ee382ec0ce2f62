"""Interactive HTML views of the knowledge graph: one self-contained, offline, safe file.

:func:`view` selects part of the graph (the neighbourhood of entities, the paths
between two entities in their context, the result of a query, or everything), applies
the filters (``as_of``, ``classes``, ``exclude``), and returns a pyvis ``Network``;
given ``output`` it also writes the HTML file.

The HTML comes from the project's own template (``graph/views/templates/``), not pyvis's,
which fetches Bootstrap and more from CDNs:

- vis-network (the copy shipped inside pyvis) is inlined; the page makes no request;
- a Content-Security-Policy forbids loading or sending anything from elsewhere, and
  only the two inline scripts of the page itself (by hash) may run;
- the data travels as JSON in a non-executable ``<script type="application/json">``
  with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, and every string from the data
  reaches the page as text (``textContent``, canvas labels), never as HTML;
- nodes are coloured and shaped by class, with a legend; edges carry the relation's
  name; tooltips show English and Chinese labels, dates, amounts and sources; a
  search box focuses a node; physics lays the graph out, then stops.

Event nodes (actions, listings, stakes) are drawn so that the eye reads "regulator ->
action -> company" and "company -> listing -> exchange": the issuer, listed company
and stake holder edges are drawn towards the event, labelled with the inverse relation.
"""

from __future__ import annotations


from ..errors import BadInput, NegativeAnswer
from ..model.dates import parse_date
from .draw import to_network
from .page import check_writable, render_html, write_view
from .select import (DEFAULT_MAX_EDGES, DEFAULT_MAX_NODES, ViewGraph, check_classes, check_size, class_hierarchy,
                     expand_classes, keep_only, select_all, select_neighbourhood, select_paths, select_query)

__all__ = ["view", "view_paths", "render_html", "write_view", "ViewGraph", "DEFAULT_MAX_NODES", "DEFAULT_MAX_EDGES"]




def view(store, entities=(), depth: int = 2, path=None, k: int = 3, query=None, all: bool = False,
         as_of=None, classes=(), exclude=(), output=None, max_nodes: int = DEFAULT_MAX_NODES,
         max_edges: int = DEFAULT_MAX_EDGES, title: str | None = None, *, exclude_only=(), classes_only=(),
         lang=("en",), layout: str = "force", cluster=None):
    """Build an interactive view of part of the graph (and write it as HTML on request).

    Exactly one of ``entities``, ``path``, ``query`` and ``all`` says what to show.

    Parameters
    ----------
    store : graph.stores.Store
    entities : iterable of str
        Names, ids or IRIs; the view shows everything within ``depth`` links of them.
        Hubs (jurisdictions, nodes with very many links) are shown but not expanded.
    depth : int
        How many links to follow from the entities (0 to 6).
    path : tuple of (str, str), optional
        ``(FROM, TO)``: the best paths between two entities, highlighted in their context.
    k : int
        How many paths to show with ``path``.
    query : str, optional
        A SPARQL CONSTRUCT, or a SELECT binding ``?s ?p ?o``: its text, a file, or the
        name of a query in the query library (``examples/queries/NAME.rq``).
    all : bool
        The whole knowledge base.
    as_of : str or datetime.date, optional
        Only what stood on that day: actions and listings started by then, listings not
        yet ended, laws adopted by then.
    classes : iterable of str
        Keep only nodes of these classes (subclasses included) besides the named entities.
    exclude : iterable of str
        Leave out nodes of these classes (subclasses included) before the view is built.
    output : str or path-like, optional
        Where to write the HTML file; nothing is written when ``None``.
    max_nodes, max_edges : int
        The largest view accepted.
    title : str, optional
        The page's heading; a description of the selection by default.
    exclude_only, classes_only : iterable of str
        As ``exclude`` and ``classes``, for the class itself and not its subclasses.
    lang : tuple of str
        Label languages (:func:`graph.lookup.lang.parse_lang`).
    layout : {"force", "time"}
        ``time`` pins dated actions, listings, stakes and laws along the x axis by date.
    cluster : bool, optional
        Fold company groups into cluster nodes; ``None``: when the view is large.

    Returns
    -------
    pyvis.network.Network
        A directed pyvis network whose ``write_html``, ``generate_html`` and
        ``_repr_html_`` (Jupyter) use the offline template; ``techreg_view`` holds the
        :class:`ViewGraph`, whose ``removed`` says what the class filters took away.

    Raises
    ------
    BadInput
        No or several kinds of selection, an unknown or ambiguous name, an unknown class,
        a bad date or query, a view over the size limit, or an output that cannot be
        written.
    NegativeAnswer
        ``path`` finds no path between the two entities.
    """
    modes = [bool(tuple(entities)), path is not None, query is not None, bool(all)]
    if sum(modes) != 1:
        raise BadInput("say what to show: one or more ENTITY names, or --path FROM TO, or --query NAME|FILE, "
                       "or --all (exactly one of these)")
    if layout not in ("force", "time"):
        raise BadInput(f"--layout: {layout!r} is not one of force, time")
    if output is not None:
        check_writable(output)
    as_of = parse_date(as_of, "--as-of")
    if not isinstance(depth, int) or not 0 <= depth <= 6:
        raise BadInput(f"--depth must be between 0 and 6, not {depth}")
    hierarchy = class_hierarchy(store)
    rules = [(f"--{opt} {name}", kind, expand_classes(hierarchy, {name}, sub))
             for opt, kind, sub, given in (("class", "keep", True, classes), ("class-only", "keep", False, classes_only),
                                           ("exclude", "drop", True, exclude),
                                           ("exclude-only", "drop", False, exclude_only))
             for name in sorted(check_classes(hierarchy, given, "--" + opt))]
    drop = set().union(*(c for _, kind, c in rules if kind == "drop"))
    keep = set().union(*(c for _, kind, c in rules if kind == "keep"))

    def select(drop):
        if path is not None:
            if len(path) != 2:
                raise BadInput("--path takes two names: FROM TO")
            from ..network.paths import find_paths

            result = find_paths(store, path[0], path[1], k=k, as_of=as_of, avoid=tuple(drop))
            if not result.paths:
                raise NegativeAnswer(result.note or f"no path between {path[0]!r} and {path[1]!r}")
            return select_paths(store, result, hierarchy, as_of, drop)
        if query is not None:
            return select_query(store, query, hierarchy, as_of, drop)
        if all:
            return select_all(store, hierarchy, as_of, drop)
        return select_neighbourhood(store, list(entities), depth, hierarchy, as_of, drop)

    vg = select(drop)
    if keep:
        keep_only(vg, keep, hierarchy, names=[r[0].split(" ", 1)[1] for r in rules if r[1] == "keep"])
    if rules:
        vg.removed = _removed(select(set()) if drop else None, vg, rules)
    if title:
        vg.title = title
    check_size(vg, max_nodes, max_edges)
    net = to_network(store, vg, hierarchy, lang=lang, layout=layout, cluster=cluster)
    if output is not None:
        write_view(net, output)
    return net


def _removed(unfiltered, vg, rules) -> list:
    """What the class rules took from the view, per rule: ``[(rule, {class: count}), ...]``.

    Each ``--exclude``/``--exclude-only`` rule counts the nodes it matched; the ``--class``
    rules together count what they did not keep; a last entry counts the nodes that went
    because they were reached only through removed ones."""
    gone = {}
    if unfiltered is not None:
        after = vg.graph
        gone = {n: a.get("classes") or ["(no class)"] for n, a in unfiltered.graph.nodes(data=True) if n not in after}
        gone = {n: c for n, c in gone.items() if n not in vg.dropped_by_keep}

    def count(nodes, matched=None):
        """Nodes per class; a node of several classes counts once, under them all joined by +."""
        out: dict[str, int] = {}
        for n in nodes:
            cls = set(gone.get(n) or vg.dropped_by_keep.get(n) or ())
            name = "+".join(sorted(cls & matched if matched else cls))
            out[name] = out.get(name, 0) + 1
        return out

    report, explained = [], set()
    for rule, kind, matched in rules:
        if kind == "drop":
            hit = [n for n, cls in gone.items() if set(cls) & matched]
            explained.update(hit)
            report.append((rule, count(hit, matched)))
    keep_rules = [rule for rule, kind, _ in rules if kind == "keep"]
    if keep_rules:
        report.append((" ".join(keep_rules) + " (everything else)", count(vg.dropped_by_keep)))
    rest = [n for n in gone if n not in explained]
    if rest:
        report.append(("reached only through them", count(rest)))
    return report


def view_paths(store, result, output=None, max_nodes: int = DEFAULT_MAX_NODES,
               max_edges: int = DEFAULT_MAX_EDGES, lang=("en",)):
    """Draw the result of :func:`graph.network.paths.find_paths`: its paths highlighted in context.

    This is what ``techreg path --format html`` uses.

    Parameters
    ----------
    store : graph.stores.Store
    result : graph.network.paths.PathResult
    output : str or path-like, optional
        Where to write the HTML file.
    max_nodes, max_edges : int
        The largest view accepted.
    lang : tuple of str
        Label languages (:func:`graph.lookup.lang.parse_lang`).

    Returns
    -------
    pyvis.network.Network

    Raises
    ------
    NegativeAnswer
        When the result holds no path.
    """
    if output is not None:
        check_writable(output)
    if not result.paths:
        raise NegativeAnswer(result.note or "no path")
    hierarchy = class_hierarchy(store)
    vg = select_paths(store, result, hierarchy, None, set())
    check_size(vg, max_nodes, max_edges)
    net = to_network(store, vg, hierarchy, lang=lang)
    if output is not None:
        write_view(net, output)
    return net


