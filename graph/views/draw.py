"""Drawing a selection as a vis-network: styles by class, a legend, edge labels, tooltips
with dates, amounts and sources, and physics that settles."""

from __future__ import annotations

import html
import re
from pathlib import Path

from ..model.iris import RDFS_LABEL as _RDFS_LABEL
from ..model.iris import SKOS_ALT_LABEL as _ALT_LABEL
from ..model.iris import TR_NS as _TR

from .page import _options, render_html, write_view
from .labels import node_label, wrap_label
from .select import ViewGraph, ancestors, _is_event, _local

#: Views with more nodes than this fold company groups into clusters unless told otherwise.
CLUSTER_ABOVE = 150

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


def _style(hierarchy, classes):
    inherited = ancestors(hierarchy, classes)
    for style in _STYLES:
        if style[0] in inherited:
            return style
    return _OTHER


def _node_facts(store, nodes: list[str]):
    """Literal facts and the sources stating something about each node (by IRI)."""
    from ..model.iris import DATA_GRAPH_FILTER

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
    from ..lookup.names import curie

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
        rows.append(["source", gid])  # replaced by the source index in to_network
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


def to_network(store, vg: ViewGraph, hierarchy, lang=("en",), layout: str = "force", cluster=None):
    """Turn a selection into a directed pyvis Network carrying tooltips and the legend.

    ``lang`` chooses the labels, ``layout="time"`` pins dated events along the x axis by
    date, ``cluster`` (``None``: when the view is large) folds each company group (a parent,
    its subsidiaries and their products) into one node that opens on a double click."""
    from .layout import company_groups, time_positions
    from ..lookup.sources import predicate_labels, sources
    from ..network.projection import vocabulary
    from ..lookup.names import curie

    g = vg.graph
    docs = sources(store)
    plabels = predicate_labels(store)
    inverse = dict(_TOWARDS_EVENT)
    labels, inverse_of = vocabulary(store)
    inverse.update({canon: labels[inv] for inv, canon in inverse_of.items() if canon in _TOWARDS_EVENT})
    facts, node_graphs = _node_facts(store, list(g.nodes))
    from ..answers.amounts import conversion_text, conversions

    converted = conversions(store)
    source_ids: dict[str, int] = {}
    source_list: list[str] = []

    def source_ref(gid: str) -> int:
        if gid not in source_ids:
            source_ids[gid] = len(source_list)
            doc = docs.get(gid)
            source_list.append(doc.cite() if doc else curie(gid))
        return source_ids[gid]

    n = g.number_of_nodes()
    cluster = n > CLUSTER_ABOVE if cluster is None else cluster
    cgroup, cgroup_labels = company_groups(vg.graph, hierarchy) if cluster else ({}, {})
    xs, ticks = time_positions(vg.graph, hierarchy) if layout == "time" else ({}, [])
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
        attrs = dict(attrs, label=attrs.get("label") or curie(iri))
        conv = conversion_text(converted.get(iri))
        short, full = node_label(attrs, facts.get(iri, []), lang, event, conv)
        rows = _info_rows(iri, attrs, facts.get(iri, []), node_graphs.get(iri, ()), plabels, hierarchy,
                          vg.literals.get(iri))
        if conv:
            at = next((k for k, row in enumerate(rows) if row[0] == "source"), len(rows))
            rows.insert(at, ["converted", conv])
        extra = {"info": [[k, v] if k != "source" else ["source", source_ref(v)] for k, v in rows],
                 "fullLabel": full}
        if cgroup.get(iri):
            extra["cgroup"] = cgroup[iri]
        if layout == "time" and iri in xs:
            extra.update(x=xs[iri], fixed={"x": True, "y": False})
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
        "clusters": {gid: wrap_label(name) for gid, name in cgroup_labels.items()},
        "timeAxis": ticks,
    }
    if layout == "time":
        net.options["layout"]["improvedLayout"] = False
    return net


def _legend_rank(name: str) -> int:
    for i, style in enumerate(_STYLES):
        if style[1] == name:
            return i
    return len(_STYLES)
