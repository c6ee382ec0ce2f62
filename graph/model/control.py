"""Control through parent chains: the one rule for who controls whom.

A company controls every entity below it in a chain of ``tr:parentOrganization`` links
(``tr:controlledBy`` is transitive). :func:`control_chains` walks the chains once; the
entailment (:mod:`graph.model.entail`) writes the result into the store and the path
projection (:mod:`graph.network.projection`) adds it as edges with the sources of the chain.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .iris import DATA_GRAPH_FILTER

__all__ = ["control_chains", "PARENT_EDGES_QUERY"]

#: Every stated parent link with the graph that states it (``subsidiary`` is its inverse).
PARENT_EDGES_QUERY = f"""SELECT DISTINCT ?s ?o ?g WHERE {{
  {{ GRAPH ?g {{ ?s tr:parentOrganization ?o }} }} UNION {{ GRAPH ?g {{ ?o tr:subsidiary ?s }} }}
  {DATA_GRAPH_FILTER} }}"""


def control_chains(parent_links: Iterable[tuple[str, str, Iterable[str]]]) -> Iterator[tuple[str, str, int, list[str]]]:
    """Walk parent chains: who is controlled by whom, how many links away, on which sources.

    Parameters
    ----------
    parent_links : iterable of (child, parent, sources)
        Stated ``parentOrganization`` links with the graphs that state them.

    Yields
    ------
    (controlled, controller, depth, sources)
        One per pair in the transitive closure, ``depth`` 1 for a direct parent; the
        sources are those of the links of the chain (the first chain found breadth-first).
    """
    parents: dict[str, list[tuple[str, list[str]]]] = {}
    for child, parent, sources in parent_links:
        if child != parent:
            parents.setdefault(child, []).append((parent, sorted(sources)))
    for start in sorted(parents):
        seen = {start}
        frontier: list[tuple[str, list[str]]] = [(start, [])]
        depth = 0
        while frontier:
            depth += 1
            nxt = []
            for node, srcs in frontier:
                for parent, psrcs in sorted(parents.get(node, [])):
                    if parent in seen:
                        continue
                    seen.add(parent)
                    chain = sorted(set(srcs) | set(psrcs))
                    yield start, parent, depth, chain
                    nxt.append((parent, chain))
            frontier = nxt
