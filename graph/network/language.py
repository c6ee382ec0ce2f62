"""Path and exposure answers in the chosen label languages (``--lang``).

Answers are ranked with English labels (so the order is the same in every language);
then their nodes are relabelled and the sentences and route phrases that name them are
written again from the new labels, by the functions that wrote them first (passed in by
:mod:`.paths` and :mod:`.exposure`, which call this module: no import circle).
"""

from __future__ import annotations

__all__ = ["relabel_path", "relabel_result", "relabel_exposure"]


def _relabel_nodes(nodes, index, lang, names: dict) -> dict[str, str]:
    """Relabel NodeInfo objects in place; return old label -> new label."""
    changed = {}
    for n in nodes:
        new = index.shown(n.iri, lang)
        changed[n.label] = new
        n.label = new
        names.setdefault(n.iri, index.label_fields(n.iri, lang))
    return changed


def relabel_path(path, index, lang, explain, names: dict | None = None):
    """Relabel one path's nodes and hubs, and write its route and sentence again.

    Parameters
    ----------
    path : graph.network.paths.Path
    index : graph.lookup.names.NameIndex
    lang : tuple of str
    explain : callable
        :func:`graph.network.paths.explain`: sets the route and sentence of a path.
    names : dict, optional
        Filled with ``iri -> {label_en, label_zh}`` for the JSON output.

    Returns
    -------
    graph.network.paths.Path
        The same object.
    """
    changed = _relabel_nodes(path.nodes, index, lang, {} if names is None else names)
    path.through_hubs = [changed.get(h, h) for h in path.through_hubs]
    return explain(path)


def relabel_result(store, result, lang, explain, extra=()) -> None:
    """Relabel a :class:`graph.network.paths.PathResult` in place (and ``extra`` paths);
    ``explain`` as in :func:`relabel_path`."""
    from ..lookup.names import name_index

    index = name_index(store)
    _relabel_nodes([result.source, result.target, *result.nearest], index, lang, result.names)
    for path in [*result.paths, *extra]:
        relabel_path(path, index, lang, explain, result.names)


def relabel_exposure(store, exposure, lang, explain, route_group) -> None:
    """Relabel a :class:`graph.network.exposure.Exposure` in place, route groups included
    (``route_group(path)`` names an item's group from its relabelled path; ``explain`` as
    in :func:`relabel_path`)."""
    from ..lookup.names import name_index

    index = name_index(store)
    _relabel_nodes([exposure.source], index, lang, exposure.names)
    for item in exposure.items:
        _relabel_nodes([item.entity], index, lang, exposure.names)
        relabel_path(item.path, index, lang, explain, exposure.names)
        item.route = route_group(item.path)
