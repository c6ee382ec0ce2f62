"""A timeline as one interactive, offline HTML page (vis-timeline, vendored).

The page follows the graph views' rules (:mod:`.page`): the library is inlined from
``graph/views/vendor/``, the data travels as escaped JSON in a non-executable script
element, every data string reaches the page as text (items are drawn by a template that
builds DOM nodes with ``textContent``), and a Content-Security-Policy lets only the
page's own two scripts run (by hash) and forbids every request.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import BadInput
from .page import _asset, render_page, write_page

__all__ = ["render_timeline_html", "write_timeline_html"]

_VENDOR = Path(__file__).resolve().parent / "vendor"
_CACHE: dict[str, str] = {}


def _vis_timeline_js() -> str:
    if "vt" not in _CACHE:
        path = _VENDOR / "vis-timeline-graph2d.min.js"
        if not path.exists():
            raise BadInput(f"the vendored vis-timeline is missing ({path}); reinstall techreg")
        _CACHE["vt"] = re.sub(r"</(script)", r"<\\/\1", path.read_text(encoding="utf-8"), flags=re.IGNORECASE)
    return _CACHE["vt"]


def render_timeline_html(picture, sources: dict | None = None) -> str:
    """Render a :class:`~graph.views.timeline_data.TimelinePicture` as a self-contained page.

    Parameters
    ----------
    picture : TimelinePicture
    sources : dict, optional
        Source graph IRI -> document (with ``cite()``), as :func:`graph.lookup.sources.sources`
        returns; cited in the details of each item.

    Returns
    -------
    str
    """
    first, last = picture.span()
    cited = {}
    for item in list(picture.marks) + list(picture.refs):
        for g in item.sources:
            doc = (sources or {}).get(g)
            cited[g] = doc.cite() if doc else g
    payload = {"title": picture.title, "laneKind": picture.lane_kind, "lanes": picture.lanes,
               "marks": [m.as_dict() for m in picture.marks], "refs": [r.as_dict() for r in picture.refs],
               "span": [first.isoformat(), last.isoformat()], "sources": cited}
    return render_page("timeline.html", title=picture.title, style=_asset("timeline.css"), payload=payload,
                       library_js=_vis_timeline_js(), app_js=_asset("timeline.js"))


def write_timeline_html(picture, output, sources: dict | None = None) -> None:
    """Write the page of :func:`render_timeline_html` atomically."""
    from .page import check_writable

    check_writable(output)  # before the page is drawn, as before
    write_page(output, render_timeline_html(picture, sources))
