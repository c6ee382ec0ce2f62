"""Text rendering of the coverage scopes and of the source tiers."""

from __future__ import annotations

from .text import table

__all__ = ["render_coverage", "render_source_quality"]


def render_coverage(scopes) -> str:
    """The scopes as a table, then each partial scope's missing items."""
    rows = []
    for s in scopes:
        ref = s.reference or {}
        reference = ref.get("publisher") or "-"
        for i, c in enumerate(s.counts):
            rows.append([s.id if i == 0 else "", s.status if i == 0 else "", c.what,
                         "-" if c.reference is None else c.reference, c.found,
                         (s.as_of or "-") if i == 0 else "", reference if i == 0 else ""])
    out = [table(["scope", "status", "counted", "reference", "data", "as of", "reference by"], rows)]
    for s in scopes:
        if s.missing:
            out.append(f"\n{s.id}: missing")
            out += [f"  - {m['item']} ({m['reason']})" for m in s.missing]
    unchecked = [s.id for s in scopes if s.status == "unchecked"]
    if unchecked:
        out.append(f"\n{len(unchecked)} scope(s) not yet counted against a reference: answers in them may be "
                   "incomplete.")
    return "\n".join(out)


def render_source_quality(q) -> str:
    """Sources by tier, the share below the bar, and each source below it with its reason."""
    from ..coverage.tiers import tier_table

    tiers = tier_table().tiers
    order = sorted(q.by_tier, key=lambda t: (tiers[t].rank if t in tiers else 99, t))
    rows = [[t, q.by_tier[t], f"{q.by_tier[t] / q.total:.1%}" if q.total else "-"] for t in order]
    out = [table(["tier", "sources", "share"], rows),
           f"\nbelow the bar: {len(q.below_bar)} of {q.total} ({q.below_share:.1%}; the bar allows {q.bar_share:.0%})"]
    for iri, url, reason in q.below_bar:
        out.append(f"  {reason}: {url}  <{iri.rsplit('/', 1)[-1]}>")
        out.append(f"    kept because: {q.kept[iri]}" if iri in q.kept else "    kept without a written reason")
    for iri, url in q.unlisted:
        out.append(f"  not in the tier table: {url}  <{iri.rsplit('/', 1)[-1]}>")
    return "\n".join(out)
