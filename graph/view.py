"""Interactive HTML views of the knowledge graph: one self-contained, offline, safe file.

:func:`view` selects part of the graph (the neighbourhood of entities, the paths
between two entities in their context, the result of a query, or everything), applies
the filters (``as_of``, ``classes``, ``exclude``), and returns a pyvis ``Network``;
given ``output`` it also writes the HTML file.

The HTML comes from the project's own template (``graph/templates/``), not pyvis's,
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

import difflib
import hashlib
import html
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BadInput, NegativeAnswer
from .iris import RDF_TYPE as _RDF_TYPE
from .iris import RDFS_LABEL as _RDFS_LABEL
from .iris import SKOS_ALT_LABEL as _ALT_LABEL
from .iris import TR_NS as _TR
from .paths import HUB_CLASSES, HUB_DEGREE
from .timeline import in_force, parse_date

__all__ = [
    "view",
    "view_paths",
    "render_html",
    "write_view",
    "ViewGraph",
    "DEFAULT_MAX_NODES",
    "DEFAULT_MAX_EDGES",
    "HUB_CLASSES",
]

#: The most nodes a view may have before it is refused (a browser handles ~2,500 well).
DEFAULT_MAX_NODES = 2500
#: The most edges a view may have before it is refused.
DEFAULT_MAX_EDGES = 10000
# Hubs (jurisdictions, nodes with more than HUB_DEGREE links) are shown but not expanded
# in a neighbourhood, by the same rule as the path search: they explain nothing.
_TEMPLATES = Path(__file__).resolve().parent / "templates"

_EVENT_ROOTS = ("RegulatoryAction", "Listing", "Stake")
# Edges from an event to its agent are drawn from the agent to the event (inverse label).
_TOWARDS_EVENT = {"issuedBy": "issued", "listedCompany": "has listing", "stakeHolder": "holds stake"}

# (class, legend name, colour, vis shape); the first class a node has (or inherits) wins.
_STYLES = (
    ("RegulatoryAction", "Regulatory action", "#e8590c", "diamond"),
    ("Listing", "Listing", "#0ca678", "diamond"),
    ("Stake", "Stake", "#868e96", "diamond"),
    ("Regulator", "Regulator", "#c92a2a", "hexagon"),
    ("Legislature", "Legislature", "#862e9c", "hexagon"),
    ("Court", "Court", "#5f3dc4", "hexagon"),
    ("GovernmentBody", "Government body", "#a61e4d", "hexagon"),
    ("Exchange", "Exchange", "#087f5b", "square"),
    ("Company", "Company", "#1971c2", "dot"),
    ("Person", "Person", "#495057", "dot"),
    ("Product", "Product", "#4dabf7", "triangle"),
    ("Law", "Law", "#f0b400", "box"),
    ("Jurisdiction", "Jurisdiction", "#2b8a3e", "star"),
    ("Organization", "Organization", "#339af0", "dot"),
)
_OTHER = ("", "Other", "#adb5bd", "dot")
_PATH_COLOUR = "#d6336c"
_EDGE_COLOUR = "#868e96"


@dataclass
class ViewGraph:
    """What a view shows, before it is drawn.

    Attributes
    ----------
    graph : networkx.MultiDiGraph
        Nodes (IRIs) with ``label``, ``classes`` and ``dates``; edges keyed by the
        predicate's local name with ``label``, ``sources`` and ``entailed``.
    title : str
        A one-line description of the view.
    seeds : set of str
        The nodes the user named.
    highlight_nodes, highlight_edges : set
        Nodes and ``(source, target, key)`` edges on a path.
    literals : dict
        Extra literal values per node (from a query result): IRI -> list of (name, value).
    """

    graph: object
    title: str
    seeds: set = field(default_factory=set)
    highlight_nodes: set = field(default_factory=set)
    highlight_edges: set = field(default_factory=set)
    literals: dict = field(default_factory=dict)


# -- the public entry points ---------------------------------------------------------


def view(store, entities=(), depth: int = 2, path=None, k: int = 3, query=None, all: bool = False,
         as_of=None, classes=(), exclude=(), output=None, max_nodes: int = DEFAULT_MAX_NODES,
         max_edges: int = DEFAULT_MAX_EDGES, title: str | None = None):
    """Build an interactive view of part of the graph (and write it as HTML on request).

    Exactly one of ``entities``, ``path``, ``query`` and ``all`` says what to show.

    Parameters
    ----------
    store : graph.store.Store
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

    Returns
    -------
    pyvis.network.Network
        A directed pyvis network whose ``write_html``, ``generate_html`` and
        ``_repr_html_`` (Jupyter) use the offline template; ``techreg_view`` holds the
        :class:`ViewGraph`.

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
    if output is not None:
        _check_writable(output)
    as_of = parse_date(as_of, "--as-of")
    if not isinstance(depth, int) or not 0 <= depth <= 6:
        raise BadInput(f"--depth must be between 0 and 6, not {depth}")
    hierarchy = _class_hierarchy(store)
    keep_classes = _check_classes(hierarchy, classes, "--class")
    drop_classes = _check_classes(hierarchy, exclude, "--exclude")

    if path is not None:
        if len(path) != 2:
            raise BadInput("--path takes two names: FROM TO")
        from .paths import find_paths

        result = find_paths(store, path[0], path[1], k=k, as_of=as_of, avoid=tuple(drop_classes))
        if not result.paths:
            raise NegativeAnswer(result.note or f"no path between {path[0]!r} and {path[1]!r}")
        vg = _select_paths(store, result, hierarchy, as_of, drop_classes)
    elif query is not None:
        vg = _select_query(store, query, hierarchy, as_of, drop_classes)
    elif all:
        vg = _select_all(store, hierarchy, as_of, drop_classes)
    else:
        vg = _select_neighbourhood(store, list(entities), depth, hierarchy, as_of, drop_classes)
    if keep_classes:
        _keep_only(vg, keep_classes, hierarchy)
    if title:
        vg.title = title
    _check_size(vg, max_nodes, max_edges)
    net = _to_network(store, vg, hierarchy)
    if output is not None:
        write_view(net, output)
    return net


def view_paths(store, result, output=None, max_nodes: int = DEFAULT_MAX_NODES,
               max_edges: int = DEFAULT_MAX_EDGES):
    """Draw the result of :func:`graph.paths.find_paths`: its paths highlighted in context.

    This is what ``techreg path --format html`` uses.

    Parameters
    ----------
    store : graph.store.Store
    result : graph.paths.PathResult
    output : str or path-like, optional
        Where to write the HTML file.
    max_nodes, max_edges : int
        The largest view accepted.

    Returns
    -------
    pyvis.network.Network

    Raises
    ------
    NegativeAnswer
        When the result holds no path.
    """
    if output is not None:
        _check_writable(output)
    if not result.paths:
        raise NegativeAnswer(result.note or "no path")
    hierarchy = _class_hierarchy(store)
    vg = _select_paths(store, result, hierarchy, None, set())
    _check_size(vg, max_nodes, max_edges)
    net = _to_network(store, vg, hierarchy)
    if output is not None:
        write_view(net, output)
    return net


def write_view(net, output) -> None:
    """Write a view's HTML to a file atomically.

    Parameters
    ----------
    net : pyvis.network.Network
        A network returned by :func:`view`.
    output : str or path-like

    Raises
    ------
    BadInput
        If the file cannot be written; no partial file is left behind.
    """
    from .fileio import atomic_write

    data = render_html(net).encode("utf-8")
    _check_writable(output)
    try:
        atomic_write(output, data)
    except OSError as exc:
        raise BadInput(f"cannot write {os.fspath(output)}: {exc.strerror or exc}") from None
    try:  # a temporary file is private (0600); a page to share gets the usual mode
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(output, 0o666 & ~mask)
    except OSError:
        pass


# -- selection ------------------------------------------------------------------------


def _check_writable(output) -> None:
    target = Path(os.fspath(output))
    parent = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise BadInput(f"cannot write {target}: it is a directory")
    if not parent.is_dir():
        raise BadInput(f"cannot write {target}: no such directory {parent}")
    if not os.access(parent, os.W_OK | os.X_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise BadInput(f"cannot write {target}: permission denied")


_HIERARCHY_CACHE: dict[int, tuple[int, dict]] = {}


def _class_hierarchy(store) -> dict[str, set[str]]:
    """Map every ``tr:`` class's local name to itself and its ``tr:`` superclasses."""
    cached = _HIERARCHY_CACHE.get(id(store))
    if cached and cached[0] == store.generation:
        return cached[1]
    from .iris import ONTOLOGY_IRI

    out: dict[str, set[str]] = {}
    rows = store.select(
        f"""SELECT ?c ?sup WHERE {{ GRAPH <{ONTOLOGY_IRI}> {{ ?c a owl:Class . ?c rdfs:subClassOf* ?sup }}
              FILTER(STRSTARTS(STR(?c), STR(tr:)) && STRSTARTS(STR(?sup), STR(tr:))) }}"""
    )
    for row in rows:
        out.setdefault(row["c"].value[len(_TR):], set()).add(row["sup"].value[len(_TR):])
    for name, ancestors in out.items():
        ancestors.add(name)
    _HIERARCHY_CACHE[id(store)] = (store.generation, out)
    return out


def _ancestors(hierarchy, classes) -> set[str]:
    out: set[str] = set()
    for c in classes:
        out |= hierarchy.get(c, {c})
    return out


def _check_classes(hierarchy, names, option) -> set[str]:
    known = {c.casefold(): c for c in hierarchy}
    out = set()
    for name in names:
        text = str(name).strip()
        if text.startswith("tr:"):
            text = text[3:]
        elif text.startswith(_TR):
            text = text[len(_TR):]
        hit = known.get(text.casefold())
        if hit is None:
            close = difflib.get_close_matches(text.casefold(), list(known), n=3, cutoff=0.5)
            hint = "; did you mean: " + ", ".join(known[c] for c in close) + "?" if close else ""
            raise BadInput(f"{option}: no class named {name!r}{hint} (classes: {', '.join(sorted(hierarchy))})")
        out.add(hit)
    return out


def _is_event(hierarchy, classes) -> bool:
    return bool(_ancestors(hierarchy, classes) & set(_EVENT_ROOTS))


def _base(store, hierarchy, as_of, drop, seeds=None, hops: int = 0, induced: bool = True):
    """The projection without the nodes the filters leave out (a read-only subgraph view).

    On a remote endpoint only the part within ``hops`` of ``seeds`` is fetched."""
    from .neighbourhood import projection_for

    projection = projection_for(store, seeds, hops, induced=induced)
    g = projection.graph
    if not as_of and not drop:
        return projection, g
    keep = []
    for node, attrs in g.nodes(data=True):
        if drop and _ancestors(hierarchy, attrs.get("classes", ())) & drop:
            continue
        if as_of and not in_force(attrs.get("dates") or {}, as_of):
            continue
        keep.append(node)
    return projection, g.subgraph(keep)


def _copy(g, nodes, store, extra_seeds=()):
    """An independent MultiDiGraph of ``nodes`` and every edge among them."""
    import networkx as nx

    from .resolve import name_index

    out = nx.MultiDiGraph()
    sub = g.subgraph(nodes)
    out.add_nodes_from((n, dict(sub.nodes[n])) for n in sorted(sub.nodes))
    out.add_edges_from((u, v, k, dict(d)) for u, v, k, d in sorted(sub.edges(keys=True, data=True),
                                                                   key=lambda e: e[:3]))
    index = name_index(store)
    for n in extra_seeds:
        if n not in out:  # an entity with no links at all: still show it
            out.add_node(n, label=index.label(n), classes=index.classes(n), dates={})
    return out


def _is_hub(hierarchy, projection, node) -> bool:
    classes = projection.graph.nodes[node].get("classes", ())
    return bool(_ancestors(hierarchy, classes) & HUB_CLASSES) or projection.degree(node) > HUB_DEGREE


def _select_neighbourhood(store, names, depth, hierarchy, as_of, drop) -> ViewGraph:
    from .resolve import curie, resolve

    seeds = []
    for name in names:
        iri = resolve(store, name)
        if iri not in seeds:
            seeds.append(iri)
    projection, g = _base(store, hierarchy, as_of, drop, seeds, depth)
    seen = set(seeds)
    frontier = [s for s in seeds if s in g]
    for _ in range(depth):
        nxt = []
        for node in frontier:
            if node not in seeds and _is_hub(hierarchy, projection, node):
                continue
            for other in sorted(set(g.successors(node)) | set(g.predecessors(node))):
                if other not in seen:
                    seen.add(other)
                    nxt.append(other)
        frontier = nxt
    graph = _copy(g, seen, store, extra_seeds=seeds)
    labels = ", ".join(graph.nodes[s].get("label") or curie(s) for s in seeds)
    title = f"Around {labels} (depth {depth})" + (f", as of {as_of}" if as_of else "")
    return ViewGraph(graph, title, seeds=set(seeds))


def _select_all(store, hierarchy, as_of, drop) -> ViewGraph:
    projection, g = _base(store, hierarchy, as_of, drop)
    return ViewGraph(_copy(g, list(g.nodes), store), "The whole knowledge base" +
                     (f" as of {as_of}" if as_of else ""))


def _select_paths(store, result, hierarchy, as_of, drop, context_budget: int = 40) -> ViewGraph:
    """Path nodes and edges, plus one link of context around them while it stays small."""
    path_nodes = sorted({n.iri for p in result.paths for n in p.nodes})
    projection, g = _base(store, hierarchy, as_of, drop, path_nodes, 1)
    on_path: list[str] = []
    edges = set()
    for p in result.paths:
        for n in p.nodes:
            if n.iri not in on_path:
                on_path.append(n.iri)
        for hop in p.edges:
            pred = hop.predicate.rsplit("#", 1)[-1]
            s, t = (hop.source, hop.target) if hop.direction == "forward" else (hop.target, hop.source)
            edges.add((s, t, pred))
    ends = [result.source.iri, result.target.iri]
    context: set[str] = set()
    for group in (ends, on_path):
        more = set()
        for node in group:
            if node in g and (node in ends or not _is_hub(hierarchy, projection, node)):
                more |= set(g.successors(node)) | set(g.predecessors(node))
        if len(context | more) > context_budget:
            break
        context |= more
    graph = _copy(g, set(on_path) | context, store, extra_seeds=on_path)
    for s, t, pred in edges:  # a path edge the filters removed from the base stays visible
        if not graph.has_edge(s, t, pred) and projection.graph.has_edge(s, t, pred):
            graph.add_edge(s, t, key=pred, **dict(projection.graph.edges[s, t, pred]))
    title = (f"Paths from {result.source.label} to {result.target.label}"
             f" ({len(result.paths)} shown)")
    return ViewGraph(graph, title, seeds=set(ends), highlight_nodes=set(on_path), highlight_edges=edges)


def _read_query(query: str) -> tuple[str, str]:
    """Return (name, text) of a query given as text, a file, ``@file`` or a library name."""
    from .query import load_query

    spec = str(query).strip()
    candidate = Path(spec).expanduser()
    if "{" not in spec and "\n" not in spec and not spec.startswith("@") and candidate.is_file():
        try:
            return candidate.name, candidate.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInput(f"--query: cannot read {spec}: {exc}") from None
    try:
        text, meta = load_query(spec)
    except BadInput as exc:
        raise BadInput(f"--query: {exc}") from None
    name = getattr(meta, "name", None) or ("query" if "{" in spec else spec)
    return name, text


def _term_key(term) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1] or iri


def _select_query(store, query, hierarchy, as_of, drop, query_timeout: float = 30.0) -> ViewGraph:
    import networkx as nx
    import pyoxigraph as ox

    from .facts import predicate_labels
    from .neighbourhood import projection_for
    from .resolve import curie, name_index

    from .query import check_safety, run_query

    name, text = _read_query(query)
    try:
        check_safety(text, local_graphs=set(store.named_graphs()))
        result = run_query(store, text, timeout=query_timeout)
    except BadInput as exc:
        raise BadInput(f"--query {name}: {exc}") from None
    if result.kind == "graph":
        triples = [(t.subject, t.predicate, t.object) for t in result.triples()]
    elif result.kind == "solutions":
        variables = list(result.variables)
        if not {"s", "p", "o"} <= set(variables):
            raise BadInput(f"--query {name}: a SELECT drawn as a graph must bind ?s ?p ?o; this one binds "
                           + (" ".join("?" + v for v in variables) or "nothing"))
        triples = [(r["s"], r["p"], r["o"]) for r in result.rows() if r["s"] and r["p"] and r["o"]]
    else:
        raise BadInput(f"--query {name}: an ASK query has no graph to draw; use CONSTRUCT or SELECT ?s ?p ?o")

    index = name_index(store)
    named = sorted({t.value for triple in triples for t in triple if isinstance(t, ox.NamedNode)})
    projection = projection_for(store, named, 0)
    pg = projection.graph
    plabels = predicate_labels(store)
    graph = nx.MultiDiGraph()
    literals: dict[str, list] = {}

    def node(term):
        key = _term_key(term)
        if key not in graph:
            if key in pg:
                graph.add_node(key, **{a: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v)
                                       for a, v in pg.nodes[key].items()})
            elif isinstance(term, ox.NamedNode):
                graph.add_node(key, label=index.label(key) if index.known(key) else curie(key),
                               classes=list(index.classes(key)), dates={})
            else:
                graph.add_node(key, label=key, classes=[], dates={})
        return key

    for s, p, o in triples:
        if isinstance(s, ox.Triple) or isinstance(o, ox.Triple):
            continue
        sk = node(s)
        if p.value == _RDF_TYPE and isinstance(o, ox.NamedNode):
            if o.value.startswith(_TR):
                cls = graph.nodes[sk].setdefault("classes", [])
                if o.value[len(_TR):] not in cls:
                    cls.append(o.value[len(_TR):])
            continue
        if isinstance(o, ox.Literal):
            literals.setdefault(sk, []).append((plabels.get(p.value, _local(p.value)), o.value))
            continue
        ok = node(o)
        key = _local(p.value)
        if graph.has_edge(sk, ok, key):
            continue
        data = pg.edges[sk, ok, key] if pg.has_edge(sk, ok, key) else {}
        graph.add_edge(sk, ok, key=key, predicate=p.value, label=plabels.get(p.value, data.get("label", key)),
                       sources=list(data.get("sources", [])), entailed=bool(data.get("entailed", False)))
    remove = []
    for n, attrs in graph.nodes(data=True):
        if drop and _ancestors(hierarchy, attrs.get("classes", ())) & drop:
            remove.append(n)
        elif as_of and not in_force(attrs.get("dates") or {}, as_of):
            remove.append(n)
    graph.remove_nodes_from(remove)
    return ViewGraph(graph, f"Result of {name}", literals=literals)


def _keep_only(vg: ViewGraph, keep: set[str], hierarchy) -> None:
    drop = [n for n, attrs in vg.graph.nodes(data=True)
            if n not in vg.seeds and n not in vg.highlight_nodes
            and not _ancestors(hierarchy, attrs.get("classes", ())) & keep]
    vg.graph.remove_nodes_from(drop)
    vg.title += " — only " + ", ".join(sorted(keep))


def _check_size(vg: ViewGraph, max_nodes: int, max_edges: int) -> None:
    n, m = vg.graph.number_of_nodes(), vg.graph.number_of_edges()
    if n > max_nodes or m > max_edges:
        what = (f"{n:,} nodes, over the limit of {max_nodes:,}" if n > max_nodes
                else f"{m:,} edges, over the limit of {max_edges:,}")
        raise BadInput(
            f"this view would have {what}; a browser cannot draw that usefully. Narrow it: a smaller "
            "--depth, fewer entities, --class CLASS to keep only some classes, --exclude CLASS "
            "(e.g. --exclude Jurisdiction), or --as-of DATE (from Python: view(..., max_nodes=N) "
            "raises the limit)")


# -- drawing --------------------------------------------------------------------------


def _style(hierarchy, classes):
    ancestors = _ancestors(hierarchy, classes)
    for style in _STYLES:
        if style[0] in ancestors:
            return style
    return _OTHER


def _node_facts(store, nodes: list[str]):
    """Literal facts and the sources stating something about each node (by IRI)."""
    from .facts import DATA_GRAPH_FILTER

    facts: dict[str, list] = {}
    graphs: dict[str, set] = {}
    iris = [n for n in nodes if re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", n, re.I) and not n.startswith("_:")]
    for i in range(0, len(iris), 400):
        values = " ".join(f"<{n}>" for n in iris[i:i + 400])
        rows = store.select(
            f"""SELECT ?s ?p ?o ?g WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} {DATA_GRAPH_FILTER} }}"""
        )
        for row in rows:
            s, o = row["s"].value, row["o"]
            graphs.setdefault(s, set()).add(row["g"].value)
            if o is not None and type(o).__name__ == "Literal":
                facts.setdefault(s, []).append((row["p"].value, o.value, getattr(o, "language", None)))
    return facts, graphs


def _amount(text: str) -> str:
    try:
        value = float(text)
    except ValueError:
        return text
    return f"{int(value):,}" if value.is_integer() else f"{value:,.2f}"


def _info_rows(iri, attrs, facts, graph_ids, plabels, hierarchy, literals):
    """The tooltip of a node: (name, text) pairs, every one plain text."""
    from .resolve import curie

    rows = [["label", attrs.get("label") or curie(iri)]]
    zh = [v for p, v, lang in facts if p == _RDFS_LABEL and lang and lang.lower().startswith("zh")]
    if zh:
        rows.append(["中文", zh[0]])
    rows.append(["id", curie(iri)])
    if attrs.get("classes"):
        rows.append(["type", ", ".join(attrs["classes"])])
    aliases = sorted({v for p, v, _ in facts if p == _ALT_LABEL})
    if aliases:
        rows.append(["also known as", ", ".join(aliases)])
    values: dict[str, list[str]] = {}
    for p, v, lang in facts:
        if p in (_RDFS_LABEL, _ALT_LABEL) or p == _TR + "excerpt":
            continue
        local = _local(p)
        if local == "amount":
            v = _amount(v)
        if local in ("proceeds", "offerPrice"):
            v = _amount(v)
        values.setdefault(plabels.get(p, local), [])
        if v not in values[plabels.get(p, local)]:
            values[plabels.get(p, local)].append(v)
    currency = values.pop("currency", None)
    if currency and "amount" in values:
        values["amount"] = [f"{a} {currency[0]}" for a in values["amount"]]
    elif currency:
        values["currency"] = currency
    for name in sorted(values):
        rows.append([name, "; ".join(values[name])])
    for name, value in literals or ():
        rows.append([name, value])
    for gid in sorted(graph_ids):
        rows.append(["source", gid])  # replaced by the source index in _to_network
    return rows


def _network_class():
    """A pyvis Network whose HTML comes from the offline template (built lazily)."""
    global _NETWORK_CLASS
    if _NETWORK_CLASS is None:
        from pyvis.network import Network

        class TechregNetwork(Network):
            """A pyvis Network that renders with techreg's offline, CSP-protected template."""

            def _techreg_seen(self) -> set:
                seen = self.__dict__.get("_techreg_ids")
                if seen is None or len(seen) != len(self.node_ids):  # nodes added some other way
                    seen = self.__dict__["_techreg_ids"] = set(self.node_ids)
                return seen

            def add_node(self, n_id, label=None, shape=None, color=None, **options):
                """Add a node (as pyvis does, without its linear-time duplicate check)."""
                seen = self._techreg_seen()
                if not isinstance(n_id, (str, int)):
                    raise TypeError(f"node ids are str or int, not {type(n_id).__name__}")
                if n_id in seen:
                    return
                node = {"id": n_id, "label": label if label is not None else n_id, **options}
                if shape is not None or "group" not in options:
                    node["shape"] = shape or "dot"
                if color is not None or "group" not in options:
                    node["color"] = color or "#97c2fc"
                self.nodes.append(node)
                self.node_ids.append(n_id)
                self.node_map[n_id] = node
                seen.add(n_id)

            def add_edge(self, source, to, **options):
                """Add a directed edge (as pyvis does, with a constant-time node check)."""
                seen = self._techreg_seen()
                for end in (source, to):
                    if end not in seen:
                        raise ValueError(f"non existent node {end!r}")
                edge = {**options, "from": source, "to": to}
                edge.setdefault("arrows", "to")
                self.edges.append(edge)

            def generate_html(self, name="index.html", local=True, notebook=False):
                self.html = render_html(self)
                return self.html

            def write_html(self, name, local=True, notebook=False, open_browser=False):
                write_view(self, name)
                if open_browser:
                    import webbrowser

                    webbrowser.open(Path(name).resolve().as_uri())

            def _repr_html_(self):
                page = html.escape(render_html(self), quote=True)
                return (f'<iframe srcdoc="{page}" style="width:100%;height:640px;border:0" '
                        'sandbox="allow-scripts"></iframe>')

        _NETWORK_CLASS = TechregNetwork
    return _NETWORK_CLASS


_NETWORK_CLASS = None


def _to_network(store, vg: ViewGraph, hierarchy):
    """Turn a selection into a directed pyvis Network carrying tooltips and the legend."""
    from .facts import predicate_labels, sources
    from .network import vocabulary
    from .resolve import curie

    g = vg.graph
    docs = sources(store)
    plabels = predicate_labels(store)
    inverse = dict(_TOWARDS_EVENT)
    labels, inverse_of = vocabulary(store)
    inverse.update({canon: labels[inv] for inv, canon in inverse_of.items() if canon in _TOWARDS_EVENT})
    facts, node_graphs = _node_facts(store, list(g.nodes))
    source_ids: dict[str, int] = {}
    source_list: list[str] = []

    def source_ref(gid: str) -> int:
        if gid not in source_ids:
            source_ids[gid] = len(source_list)
            doc = docs.get(gid)
            source_list.append(doc.cite() if doc else curie(gid))
        return source_ids[gid]

    n = g.number_of_nodes()
    net = _network_class()(height="100%", width="100%", directed=True, heading=vg.title)
    options = _options(n)
    groups = options["groups"]
    legend: dict[str, tuple] = {}
    ids = {}
    events = set()
    for i, (iri, attrs) in enumerate(g.nodes(data=True)):
        classes = list(attrs.get("classes") or [])
        _, group, colour, shape = _style(hierarchy, classes)
        event = _is_event(hierarchy, classes)
        if group not in groups:  # shared look of a class: once, in the options
            legend[group] = (group, colour, shape)
            groups[group] = {"shape": shape, "color": {"background": colour, "border": "#343a40",
                                                       "highlight": {"background": colour, "border": "#000000"},
                                                       "hover": {"background": colour, "border": "#000000"}}}
            if event:
                groups[group].update(size=10, font={"size": 12})
            if shape == "box":
                groups[group].update(widthConstraint={"maximum": 160}, margin=6)
        if event:
            events.add(iri)
        label = attrs.get("label") or curie(iri)
        short = label if len(label) <= 42 else label[:40] + "…"
        rows = _info_rows(iri, attrs, facts.get(iri, []), node_graphs.get(iri, ()), plabels, hierarchy,
                          vg.literals.get(iri))
        extra = {"info": [[k, v] if k != "source" else ["source", source_ref(v)] for k, v in rows]}
        if iri in vg.seeds or iri in vg.highlight_nodes:
            extra["borderWidth"] = 4
        if iri in vg.seeds:
            extra["font"] = {"size": 17}
        if iri in vg.highlight_nodes:
            extra["color"] = {"background": colour, "border": _PATH_COLOUR}
        elif vg.highlight_nodes:
            extra["opacity"] = 0.45
        ids[iri] = str(i)
        net.add_node(str(i), label=short, group=group, **extra)

    seen_pairs: dict[frozenset, int] = {}
    for j, (u, v, key, data) in enumerate(g.edges(keys=True, data=True)):
        label = data.get("label") or plabels.get(data.get("predicate", ""), key)
        src, dst = u, v
        if u in events and key in _TOWARDS_EVENT:
            src, dst, label = v, u, inverse.get(key, _TOWARDS_EVENT[key])
        pair = frozenset((src, dst))
        nth = seen_pairs.get(pair, 0)
        seen_pairs[pair] = nth + 1
        info = [["relation", label], ["from", g.nodes[src].get("label") or curie(src)],
                ["to", g.nodes[dst].get("label") or curie(dst)]]
        if data.get("entailed"):
            info.append(["entailed", "yes: follows from a chain of stated facts"])
        info += [["source", source_ref(s)] for s in data.get("sources", [])]
        extra = {"id": f"e{j}", "label": label, "info": info}
        if (u, v, key) in vg.highlight_edges:
            extra.update(width=3.5, color={"color": _PATH_COLOUR, "highlight": "#000000"})
        if data.get("entailed"):
            extra["dashes"] = True
        if nth:
            extra["smooth"] = {"enabled": True, "type": "curvedCW" if nth % 2 else "curvedCCW",
                               "roundness": 0.2 * ((nth + 1) // 2)}
        net.add_edge(ids[src], ids[dst], **extra)

    net.options = options
    net.techreg_view = vg
    net.techreg_meta = {
        "title": vg.title,
        "legend": [{"name": name, "color": colour, "shape": shape}
                   for name, colour, shape in sorted(legend.values(), key=lambda s: _legend_rank(s[0]))],
        "sources": source_list,
        "counts": {"nodes": n, "edges": g.number_of_edges()},
    }
    return net


def _legend_rank(name: str) -> int:
    for i, style in enumerate(_STYLES):
        if style[1] == name:
            return i
    return len(_STYLES)


def _options(n: int) -> dict:
    """vis-network options: physics that settle within seconds, then stop.

    Stabilisation cost grows with nodes x iterations (about 12 ms per iteration for
    1,000 nodes in headless Chromium), so big views get fewer iterations and a coarser
    Barnes-Hut approximation (``theta``); the page switches physics off once they are done.
    """
    iterations = 400 if n <= 200 else 150 if n <= 1000 else 100
    return {
        "autoResize": True,
        "layout": {"improvedLayout": n <= 100, "randomSeed": 7},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False,
                        "keyboard": {"enabled": True, "bindToWindow": False}, "hideEdgesOnDrag": n > 500},
        "nodes": {"shapeProperties": {"interpolation": False}, "size": 16, "borderWidth": 1,
                  "font": {"size": 14, "color": "#212529"}},
        "edges": {"smooth": {"enabled": n <= 1000, "type": "continuous", "roundness": 0.3},
                  "selectionWidth": 2, "arrowStrikethrough": False, "arrows": "to", "width": 1,
                  "color": {"color": _EDGE_COLOUR, "highlight": "#000000"},
                  "font": {"size": 10, "color": "#495057", "strokeWidth": 3, "align": "middle"}},
        "groups": {},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"theta": 0.5 if n <= 200 else 0.9, "gravitationalConstant": -60,
                                 "centralGravity": 0.01, "springLength": 130, "springConstant": 0.08,
                                 "damping": 0.5, "avoidOverlap": 0.6},
            "maxVelocity": 60,
            "minVelocity": 1.0,
            "timestep": 0.5,
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25, "fit": True},
        },
    }


# -- the page -------------------------------------------------------------------------

_ASSET_CACHE: dict[str, str] = {}


def _vis_js() -> str:
    """The vis-network script shipped inside pyvis (read once)."""
    if "vis" not in _ASSET_CACHE:
        import importlib.util

        spec = importlib.util.find_spec("pyvis")
        if spec is None or not spec.submodule_search_locations:
            raise BadInput("pyvis is not installed; install techreg's dependencies (pip install pyvis)")
        root = Path(list(spec.submodule_search_locations)[0])
        candidates = sorted(root.glob("lib/vis-*/vis-network.min.js")) + sorted(
            root.glob("templates/lib/vis-*/vis-network.min.js"))
        if not candidates:
            raise BadInput(f"vis-network.min.js not found inside pyvis ({root})")
        best = max(candidates, key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.name)))
        text = best.read_text(encoding="utf-8")
        # A script element ends at the first "</script"; the library has none, but be sure.
        _ASSET_CACHE["vis"] = re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)
    return _ASSET_CACHE["vis"]


def _asset(name: str) -> str:
    if name not in _ASSET_CACHE:
        _ASSET_CACHE[name] = (_TEMPLATES / name).read_text(encoding="utf-8")
    return _ASSET_CACHE[name]


def _json_for_script(value) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>``, ``&``, U+2028 or U+2029."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _sha256(text: str) -> str:
    import base64

    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def render_html(net) -> str:
    """Render a view as one self-contained HTML page.

    Parameters
    ----------
    net : pyvis.network.Network
        A network returned by :func:`view` (a plain pyvis network works too: it gets a
        generic legend and no tooltips beyond its labels).

    Returns
    -------
    str
        The page: vis-network inlined, data as escaped JSON, a strict
        Content-Security-Policy, no external resource of any kind.
    """
    meta = getattr(net, "techreg_meta", None) or {
        "title": getattr(net, "heading", "") or "techreg view", "legend": [], "sources": [],
        "counts": {"nodes": len(net.nodes), "edges": len(net.edges)},
    }
    options = net.options if isinstance(net.options, dict) else _options(len(net.nodes))
    payload = {"meta": meta, "options": options, "nodes": net.nodes, "edges": net.edges}
    data = _json_for_script(payload)
    vis = _vis_js()
    app = _asset("view.js")
    csp = ("default-src 'none'; "
           f"script-src {_sha256(vis)} {_sha256(app)}; "
           "style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; "
           "media-src 'none'; object-src 'none'; frame-src 'none'; worker-src 'none'; "
           "manifest-src 'none'; base-uri 'none'; form-action 'none'")
    values = {
        "CSP": html.escape(csp, quote=False).replace('"', "&quot;"),
        "TITLE": html.escape(meta.get("title") or "techreg view", quote=False),
        "STYLE": _asset("view.css"),
        "DATA": data,
        "VIS_JS": vis,
        "APP_JS": app,
    }
    # One pass, so nothing inserted is ever scanned for placeholders again.
    return re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], _asset("view.html"))
