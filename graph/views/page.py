"""The self-contained HTML page of a view: the template, vis-network inlined, the data as
escaped JSON, a Content-Security-Policy with script hashes; written atomically."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
from pathlib import Path

from ..errors import BadInput


_TEMPLATES = Path(__file__).resolve().parent / "templates"

_EDGE_COLOUR = "#868e96"
_ASSET_CACHE: dict[str, str] = {}


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


def _template(name: str) -> str:
    """A page template with the shared ``templates/head.html`` put in place of ``@@HEAD@@``."""
    key = f"page:{name}"
    if key not in _ASSET_CACHE:
        _ASSET_CACHE[key] = _asset(name).replace("@@HEAD@@", _asset("head.html"), 1)
    return _ASSET_CACHE[key]


def render_page(template: str, *, title: str, style: str, payload, library_js: str, app_js: str) -> str:
    """Fill a page template: the shared head, a strict Content-Security-Policy, the data.

    Every page (graph views, timelines) is built the same way: the two scripts are inlined
    and allowed by their hashes, nothing else may run or be fetched, the data travels as
    escaped JSON in a non-executable script element, the title is HTML-escaped.

    Parameters
    ----------
    template : str
        The file name under ``templates/`` (``view.html``, ``timeline.html``).
    title : str
        The page title (plain text).
    style : str
        The page's CSS.
    payload : object
        JSON-ready data for the page's script.
    library_js, app_js : str
        The inlined library (vis-network, vis-timeline) and the page's own script.

    Returns
    -------
    str
    """
    csp = ("default-src 'none'; "
           f"script-src {_sha256(library_js)} {_sha256(app_js)}; "
           "style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; "
           "media-src 'none'; object-src 'none'; frame-src 'none'; worker-src 'none'; "
           "manifest-src 'none'; base-uri 'none'; form-action 'none'")
    values = {
        "CSP": html.escape(csp, quote=False).replace('"', "&quot;"),
        "TITLE": html.escape(title, quote=False),
        "STYLE": style,
        "DATA": _json_for_script(payload),
        "VIS_JS": library_js,
        "APP_JS": app_js,
    }
    # One pass, so nothing inserted is ever scanned for placeholders again.
    return re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], _template(template))


def write_page(output, text: str) -> None:
    """Write a page (or any text file to share) atomically, with the usual file mode.

    Raises
    ------
    BadInput
        If the file cannot be written; no partial file is left behind.
    """
    from ..fileio import atomic_write

    check_writable(output)
    try:
        atomic_write(output, text.encode("utf-8"))
    except OSError as exc:
        raise BadInput(f"cannot write {os.fspath(output)}: {exc.strerror or exc}") from None
    share_mode(output)


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
    return render_page("view.html", title=meta.get("title") or "techreg view", style=_asset("view.css"),
                       payload=payload, library_js=_vis_js(), app_js=_asset("view.js"))



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
    write_page(output, render_html(net))


def share_mode(output) -> None:
    """Give a written file the usual mode: a temporary file is private (0600), a picture
    or page to share is not."""
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(output, 0o666 & ~mask)
    except OSError:
        pass


# -- selection ------------------------------------------------------------------------


def check_writable(output) -> None:
    target = Path(os.fspath(output))
    parent = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise BadInput(f"cannot write {target}: it is a directory")
    if not parent.is_dir():
        raise BadInput(f"cannot write {target}: no such directory {parent}")
    if not os.access(parent, os.W_OK | os.X_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise BadInput(f"cannot write {target}: permission denied")


