"""A view as a static picture (SVG or PNG) laid out by Graphviz.

The same selection and labels as the HTML view (:func:`graph.views.build.view` returns the
network this module draws): full labels wrapped over lines, dates and amounts on events,
colours and shapes by class, relation names on the edges. Graphviz's ``dot`` program
(Debian package ``graphviz``) does the layout through the PyPI ``graphviz`` binding;
Chinese labels use Noto Sans CJK (Debian ``fonts-noto-cjk``) when it is installed.
"""

from __future__ import annotations

import os

from ..errors import BadInput
from .fonts import font_list

__all__ = ["render_static", "write_static", "FORMATS"]

#: The static formats.
FORMATS = ("svg", "png")

_SHAPES = {"diamond": "diamond", "hexagon": "hexagon", "square": "box", "dot": "ellipse", "ellipse": "ellipse",
           "triangle": "triangle", "box": "box", "star": "star", "database": "cylinder"}


def _text(value) -> str:
    """A label as literal Graphviz text: backslashes kept, lines kept, never read as HTML."""
    import graphviz

    return graphviz.nohtml(str(value).replace("\\", "\\\\").replace("\n", "\\n"))


def _style(net, node):
    group = (net.options.get("groups") or {}).get(node.get("group"), {}) if isinstance(net.options, dict) else {}
    colour = node.get("color") or group.get("color") or "#adb5bd"
    if isinstance(colour, dict):
        colour = colour.get("background", "#adb5bd")
    shape = node.get("shape") or group.get("shape") or "dot"
    return colour, _SHAPES.get(shape, "ellipse")


def render_static(net, fmt: str = "svg", engine: str | None = None) -> bytes:
    """Lay out and draw a view network with Graphviz.

    Parameters
    ----------
    net : pyvis.network.Network
        As returned by :func:`graph.views.build.view`.
    fmt : {"svg", "png"}
    engine : str, optional
        The Graphviz layout program; ``dot`` (layered, left to right) for up to 150
        nodes, ``sfdp`` (force-directed) above.

    Returns
    -------
    bytes

    Raises
    ------
    BadInput
        An unknown format, or Graphviz (the Python binding or the ``dot`` program) missing.
    """
    if fmt not in FORMATS:
        raise BadInput(f"--format: {fmt!r} is not one of html, {', '.join(FORMATS)}")
    try:
        import graphviz
    except ImportError:
        raise BadInput("static views need the graphviz package: pip install graphviz "
                       "(and Debian's graphviz for the dot program)") from None
    engine = engine or ("dot" if len(net.nodes) <= 150 else "sfdp")
    title = (getattr(net, "techreg_meta", None) or {}).get("title") or "techreg view"
    g = graphviz.Digraph("view", engine=engine, format=fmt)
    # spline routing around nodes costs minutes on a few hundred nodes: straight edges there
    big = engine != "dot"
    font = font_list()
    g.attr(rankdir="LR", label=_text(title), labelloc="t", fontsize="16", fontname=font, overlap="prism",
           splines="line" if big else "true", nodesep="0.25", ranksep="0.6", bgcolor="white", pad="0.3",
           dpi="72" if big else "110")
    g.attr("node", fontname=font, fontsize="10", style="filled", color="#343a40", margin="0.08,0.04")
    g.attr("edge", fontname=font, fontsize="8", color="#868e96", fontcolor="#495057", arrowsize="0.6")
    for node in net.nodes:
        colour, shape = _style(net, node)
        extra = {"penwidth": "2.5"} if node.get("borderWidth", 1) > 2 else {}
        if shape == "diamond":  # events: a rounded box holds a long label in far less room
            shape, extra["style"] = "box", "filled,rounded"
        g.node(str(node["id"]), label=_text(node.get("label", "")), shape=shape, fillcolor=colour + "55",
               **extra)
    for edge in net.edges:
        attrs = {"label": _text(edge.get("label", ""))}
        if edge.get("dashes"):
            attrs["style"] = "dashed"
        if edge.get("width", 1) > 2:
            attrs.update(color="#d6336c", penwidth="2.5")
        g.edge(str(edge["from"]), str(edge["to"]), **attrs)
    try:
        return g.pipe(format=fmt)
    except graphviz.ExecutableNotFound:
        raise BadInput(f"Graphviz's {engine} program is not installed: apt-get install graphviz") from None
    except graphviz.CalledProcessError as exc:
        raise BadInput(f"Graphviz failed: {(exc.stderr or b'').decode('utf-8', 'replace').strip()}") from None


def write_static(net, output, fmt: str) -> None:
    """Write :func:`render_static` output atomically (nothing is left behind on failure)."""
    from ..fileio import atomic_write
    from .page import check_writable

    check_writable(output)
    data = render_static(net, fmt)
    try:
        atomic_write(output, data)
    except OSError as exc:
        raise BadInput(f"cannot write {os.fspath(output)}: {exc.strerror or exc}") from None
    from .page import share_mode

    share_mode(output)
