"""Templates and the small helpers every page uses: where an IRI's page is, how a term
reads, and the response for an error.

Jinja2 autoescapes every value, so labels from the data always reach the page as text.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from starlette.responses import HTMLResponse

from ..model.iris import ID_NS, PREFIXES, SRC_NS

__all__ = ["page", "error_page", "href", "short", "TEMPLATES", "STATIC"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"


def href(iri: str | None) -> str | None:
    """The path of this server's page for an IRI, or ``None`` when it has none."""
    if not iri:
        return None
    if iri.startswith(ID_NS) and len(iri) > len(ID_NS):
        return "/id/" + iri[len(ID_NS):]
    if iri.startswith(SRC_NS) and len(iri) > len(SRC_NS):
        return "/source/" + iri[len(SRC_NS):]
    return None


def short(iri: str) -> str:
    """An IRI as a CURIE when a project prefix fits, else the IRI."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _web_url(url) -> str | None:
    """A link target only for http(s) URLs (never ``javascript:`` or ``data:``)."""
    text = str(url or "")
    return text if text.startswith(("http://", "https://")) else None


_env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                          trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
_env.globals.update(href=href, short=short, web_url=_web_url)


def page(template: str, status: int = 200, headers: dict | None = None, **values) -> HTMLResponse:
    """Render a template as an HTML response.

    Parameters
    ----------
    template : str
        File name under ``graph/web/templates``.
    status : int
    headers : dict, optional
    **values
        The template's variables.
    """
    return HTMLResponse(_env.get_template(template).render(**values), status_code=status, headers=headers)


def error_page(status: int, message: str, title: str = "Not found") -> HTMLResponse:
    """An HTML error page with the message as text."""
    return page("error.html", status=status, title=title, message=message)
