"""Plain-text renderings of library results for people at a terminal."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["table", "to_json", "render_stats", "render_description", "render_report"]


def to_json(data: Any) -> str:
    """Serialize to indented JSON with non-ASCII text kept readable."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def _terminal_width() -> int | None:
    """The width to wrap tables to: the terminal's, or ``COLUMNS``; ``None`` when piped."""
    import os
    import shutil
    import sys

    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def table(headers: list[str], rows: list[list[Any]], width: int | None = None) -> str:
    """Format rows as an aligned text table, wrapped to the terminal's width.

    Parameters
    ----------
    headers : list of str
    rows : list of list
    width : int, optional
        The width to fit; by default the terminal's (``COLUMNS``), and no wrapping when
        the output is not a terminal, so piped lines stay whole.
    """
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    width = width or _terminal_width()
    if width:
        return _rich_table(headers, cells, width)
    widths = [len(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], _width(c))
    def fmt(row):
        return "  ".join(c + " " * (widths[i] - _width(c)) for i, c in enumerate(row)).rstrip()
    lines = [fmt(headers), fmt(["-" * w for w in widths])]
    lines += [fmt(r) for r in cells]
    return "\n".join(lines)


def _rich_table(headers: list[str], cells: list[list[str]], width: int) -> str:
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Table

    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    for i, h in enumerate(headers):
        words = [row[i] for row in cells if i < len(row)]
        # identifiers and numbers stay whole; prose wraps
        whole = all(" " not in w and len(w) <= 40 for w in words)
        t.add_column(h, overflow="fold", no_wrap=whole)
    for row in cells:
        t.add_row(*row)
    out = io.StringIO()
    Console(file=out, width=width, force_terminal=False, color_system=None, highlight=False).print(t)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines())


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def render_stats(s: dict) -> str:
    t = s["triples"]
    lines = [
        f"Triples: {t['asserted']:,} asserted in {s['named_graphs']:,} source graphs, "
        f"{t['entailed']:,} entailed, {t['ontology']:,} in the ontology ({t['total']:,} in all)",
        f"Entities: {s['entities']:,}   Actions: {s['actions']:,}   Listings: {s['listings']:,}   "
        f"Laws: {s['laws']:,}   Sources: {s['sources']:,}",
        "",
        table(["class", "entities"], [[k, v] for k, v in s["per_class"].items()]),
        "",
        table(["action type", "actions"], [[k, v] for k, v in s["per_action_type"].items()]),
    ]
    if "as_of" in s:
        a = s["as_of"]
        lines += ["", f"As of {a['date']}: {a['actions_started']:,} actions started, {a['listings_live']:,} listings live, "
                      f"{a['laws_adopted']:,} laws adopted, {a['laws_in_force']:,} laws in force"]
    return "\n".join(lines)


def render_description(d) -> str:
    refs = {iri: i + 1 for i, iri in enumerate(d.sources)}

    def cite(graphs):
        return " " + "".join(f"[{n}]" for n in sorted(refs[g] for g in graphs if g in refs)) if graphs else ""

    lines = [f"{d.label}  ({d.curie})"]
    others = [f"{l['value']} @{l['lang']}" for l in d.labels if l["value"] != d.label]
    if others:
        lines.append("  " + "; ".join(others))
    lines.append(f"  type: {', '.join(d.classes) or '-'}")
    if d.aliases:
        lines.append(f"  also known as: {', '.join(d.aliases)}")
    for key, vals in d.properties.items():
        lines.append(f"  {key}: {_valued(vals, cite, key in d.conflicts)}")
    if d.relations:
        lines.append("")
        lines.append("Relations:")
        for f in d.relations:
            arrow = f"-{f.predicate_label}->" if f.direction == "out" else f"<-{f.predicate_label}-"
            lines.append(f"  {arrow} {f.value_label} ({f.value}){cite(f.sources)}")
    listings = [e for e in d.events if "Listing" in e.classes]
    actions = [e for e in d.events if "Listing" not in e.classes and "Stake" not in e.classes]
    stakes = [e for e in d.events if "Stake" in e.classes]
    for title, events in (("Listings", listings), ("Actions", actions), ("Stakes", stakes)):
        if not events:
            continue
        lines.append("")
        lines.append(f"{title}:")
        for e in events:
            kind = ", ".join(e.classes)
            via = f" (via {e.via_kind + ' ' if e.via_kind else ''}{e.via})" if e.via else ""
            lines.append(f"  {e.label} [{kind}]{via} as {e.role}{cite(e.sources)}")
            props = e.properties or {**{k: [{"value": v, "sources": []}] for k, v in e.dates.items()},
                                     **{k: [{"value": v, "sources": []}] for k, v in e.values.items()}}
            details = [f"{k} {_valued(v, cite, k in e.conflicts)}" for k, v in props.items() if k != "currency"]
            if "currency" in props:
                details.append(f"currency {_valued(props['currency'], cite, 'currency' in e.conflicts)}")
            for k, v in e.links.items():
                details.append(f"{k}: {'; '.join(v)}")
            for chunk in details:
                lines.append(f"      {chunk}")
    if d.sources:
        lines.append("")
        lines.append("Sources:")
        for iri, n in refs.items():
            s = d.sources[iri]
            parts = [s[k] for k in ("title", "publisher", "date", "url") if s.get(k)] or [iri]
            lines.append(f"  [{n}] " + " — ".join(parts))
    return "\n".join(lines)


def _valued(values: list[dict], cite, conflict: bool) -> str:
    """Every value with its sources; one value cited by all needs no marks of its own."""
    if len(values) == 1 and not conflict:
        return values[0]["value"]
    text = "; ".join(f"{v['value']}{cite(v['sources'])}" for v in values)
    return text + ("  [CONFLICT: sources disagree]" if conflict else "")


def render_report(report) -> str:
    lines = [v.line() for v in report.violations]
    errors = sum(v.severity == "Violation" for v in report.violations)
    warnings = len(report.violations) - errors
    if report.conforms:
        lines.append(f"valid: {report.checked_triples:,} triples conform to the shapes"
                     + (f" ({warnings} warning(s))" if warnings else ""))
    else:
        lines.append(f"{errors} violation(s), {warnings} warning(s) in {report.checked_triples:,} triples")
    return "\n".join(lines)


def _arrow(hop) -> str:
    if hop.direction == "forward":
        return f"-{hop.predicate}->"
    return f"<-{hop.predicate}-"


def _node_text(node) -> str:
    from ..model.classes import is_event
    from ..network.paths import when

    return f"{node.label}{when(node) if is_event(node.types) else ''}"


def render_paths(result, sources: dict) -> str:
    """Render a PathResult: one block per path, hop by hop, then a sentence and the sources."""
    if not result.paths:
        lines = [result.note]
        if result.nearest:
            lines.append("Nearest reachable entities of the same class: " + "; ".join(n.label for n in result.nearest))
        return "\n".join(lines)
    blocks = []
    for i, path in enumerate(result.paths, 1):
        lines = [f"Path {i}: {path.hops} hop(s), cost {path.cost:.2f}, route: {path.route_type or '-'}"]
        chain = [_node_text(path.nodes[0])]
        for hop, node in zip(path.edges, path.nodes[1:]):
            chain.append(f"{_arrow(hop)} {_node_text(node)}")
        lines.append("  " + " ".join(chain))
        lines.append("  " + path.sentence)
        cited = []
        for hop in path.edges:
            for g in hop.sources:
                if g not in cited:
                    cited.append(g)
        if cited:
            lines.append("  Sources:")
            for g in cited:
                doc = sources.get(g)
                lines.append("    - " + (doc.cite() if doc else g))
        blocks.append("\n".join(lines))
    if getattr(result, "hidden_precedents", 0):
        blocks.append(f"({result.hidden_precedents} route(s) through other firms' actions hidden; --precedent shows them)")
    return "\n\n".join(blocks)


def render_exposure(result) -> str:
    """Render an Exposure grouped by route, one line per law or regulator."""
    if not result.items:
        return f"{result.source.label}: no law or regulator within {result.max_hops} hops"
    lines = [f"{result.source.label}: {len(result.items)} laws and regulators within {result.max_hops} hops"]
    for route, items in result.groups().items():
        lines.append("")
        lines.append(f"{route}:")
        for item in items:
            chain = [path_node.label for path_node in item.path.nodes]
            lines.append(f"  [{item.kind}] {item.entity.label}  ({item.path.hops} hop(s); route: {item.route_type})")
            lines.append(f"      {item.path.route}")
            lines.append(f"      {' > '.join(chain)}")
    if result.hidden_precedents:
        lines += ["", f"({result.hidden_precedents} reached only through other firms' actions; --precedent shows them)"]
    return "\n".join(lines)


def render_query_result(result, store) -> str:
    """A query result for people: a table with labels next to IRIs, or Turtle for graphs."""
    if result.kind == "boolean":
        return "yes" if result.boolean() else "no"
    if result.kind == "graph":
        return result.serialize("turtle").decode("utf-8")
    from ..lookup.names import curie, name_index

    index = name_index(store)
    rows = result.rows()

    def cell(term) -> str:
        if term is None:
            return ""
        value = term.value
        if term.__class__.__name__ == "NamedNode":
            label = index.labels.get(value) or index.labels_zh.get(value)
            return f"{label} <{curie(value)}>" if label else curie(value)
        return value

    table_text = table(result.variables, [[cell(r[v]) for v in result.variables] for r in rows])
    return f"{table_text}\n({len(rows)} row{'s' if len(rows) != 1 else ''})"


def render_timeline(entries, sources: dict) -> str:
    """A timeline as lines of date, what, label and footnoted sources."""
    if not entries:
        return "no dated facts"
    refs: dict[str, int] = {}
    lines = []
    for e in entries:
        marks = "".join(f"[{n}]" for n in sorted(refs.setdefault(g, len(refs) + 1) for g in e.sources))
        about = f" (on {', '.join(e.about)})" if e.about and e.label not in e.about else ""
        via = f" via {getattr(e, 'via_kind', None) or ''} {e.via}".replace("  ", " ") if getattr(e, "via", None) else ""
        kind = f" [{', '.join(c for c in e.classes if c not in ('Law', 'RegulatoryAction'))}]" if e.classes else ""
        lines.append(f"{e.date or 'undated':<10}  {e.what:<15} {e.label}{kind}{about}{via} {marks}")
    lines.append("")
    lines.append("Sources:")
    for g, n in refs.items():
        doc = sources.get(g)
        lines.append(f"  [{n}] " + (doc.cite() if doc else g))
    return "\n".join(lines)
