"""``techreg publish DIR``: the entity, source and timeline pages as static HTML.

The pages are rendered by the same handlers as ``techreg serve`` (no server, no
network), each written as ``DIR/id/SLUG/index.html``, ``DIR/source/SLUG/index.html`` and
``DIR/timeline/index.html``, with the stylesheet under ``DIR/static/``, so links keep
working when DIR is served as the root of a static web site. Questions that need the
server (search, paths, exposure, the query library and editor, the neighbourhood views)
are not published.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..errors import BadInput
from ..model.iris import ID_NS, SRC_NS

__all__ = ["publish"]


def _render(app, handler, path: str, path_params: dict | None = None, query: str = "") -> bytes:
    from starlette.requests import Request

    scope = {"type": "http", "method": "GET", "path": path, "query_string": query.encode(),
             "headers": [(b"accept", b"text/html")], "app": app, "path_params": path_params or {}}
    response = handler(Request(scope))
    if response.status_code != 200:
        raise BadInput(f"cannot publish {path}: the page answered {response.status_code}")
    return response.body


def publish(store, directory, progress=None) -> dict[str, int]:
    """Write the static site into ``directory`` (which must not exist or be empty).

    Parameters
    ----------
    store : graph.stores.Store
    directory : str or path-like
    progress : callable, optional
        Called with a short message now and then.

    Returns
    -------
    dict
        How many ``entities`` and ``sources`` pages were written.

    Raises
    ------
    BadInput
        If ``directory`` holds files already or cannot be written; nothing is left
        half-written (the site is built beside it and moved into place at the end).
    """
    from ..lookup.names import name_index
    from . import pages, questions
    from .app import create_app
    from .render import STATIC

    target = Path(os.fspath(directory))
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BadInput(f"cannot publish into {target}: it exists and is not an empty directory")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise BadInput(f"cannot publish into {target}: no such directory {parent}")
    app = create_app(store)
    index = name_index(store)
    entities = sorted(iri[len(ID_NS):] for iri in index.types if iri.startswith(ID_NS))
    graphs = sorted(g[len(SRC_NS):] for g in store.named_graphs() if g.startswith(SRC_NS))
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=parent))
    except OSError as exc:
        raise BadInput(f"cannot publish into {target}: {exc.strerror or exc}") from None
    try:
        def write(rel: str, data: bytes) -> None:
            path = work / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

        write("index.html", _render(app, pages.home, "/"))
        for n, slug in enumerate(entities, 1):
            write(f"id/{slug}/index.html", _render(app, pages.entity_page, f"/id/{slug}", {"slug": slug}))
            if progress and n % 100 == 0:
                progress(f"{n} of {len(entities)} entity pages")
        for slug in graphs:
            write(f"source/{slug}/index.html", _render(app, pages.source_page, f"/source/{slug}", {"slug": slug}))
        write("timeline/index.html", _render(app, questions.timeline_page, "/timeline", query="all=1"))
        shutil.copytree(STATIC, work / "static", ignore=shutil.ignore_patterns("yasgui", "editor.js"))
        os.chmod(work, 0o755)
        if target.exists():
            target.rmdir()
        os.replace(work, target)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise BadInput(f"cannot publish into {target}: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return {"entities": len(entities), "sources": len(graphs)}
