"""The web application and the server: routes, middleware and uvicorn settings."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import pages, questions
from .guard import BodyLimit, RateLimit, SecurityHeaders
from .protocol import TRUNCATED_HEADER, sparql_endpoint
from .render import STATIC, error_page

__all__ = ["Settings", "create_app", "serve"]


@dataclass
class Settings:
    """How the server behaves.

    Attributes
    ----------
    timeout : float
        Seconds a query (or a page's work) may run.
    max_rows : int or None
        The most solutions or triples ``/sparql`` returns; a cut result is signalled
        with ``X-Techreg-Truncated``. ``None`` or 0: no cap.
    rate : float
        Requests per second per client (0: no limit).
    burst : int
        Requests a client may make at once.
    cors : str or None
        An origin allowed to call the server from a browser (``*`` for any).
    max_body : int
        The largest request body, in bytes.
    body_timeout : float
        Seconds each part of a request body may take to arrive.
    """

    timeout: float = 30.0
    max_rows: int | None = 100_000
    rate: float = 50.0
    burst: int = 200
    cors: str | None = None
    max_body: int = 1_000_000
    body_timeout: float = 10.0


async def _not_found(request, exc):
    if "text/html" in request.headers.get("accept", ""):
        return error_page(404, f"There is no page at {request.url.path}.")
    return PlainTextResponse(f"not found: {request.url.path}\n", status_code=404)


async def _server_error(request, exc):
    print(f"techreg serve: error on {request.method} {request.url.path}: {type(exc).__name__}: {exc}",
          file=sys.stderr)
    return PlainTextResponse("internal error\n", status_code=500)


def create_app(store, settings: Settings | None = None) -> Starlette:
    """Build the web application over a store.

    Parameters
    ----------
    store : graph.stores.Store
        Read only: the server never writes to it.
    settings : Settings, optional

    Returns
    -------
    starlette.applications.Starlette
    """
    settings = settings or Settings()
    routes = [
        Route("/sparql", sparql_endpoint, methods=["GET", "POST"]),
        *pages.ROUTES,
        *questions.ROUTES,
        Mount("/static", app=StaticFiles(directory=str(STATIC)), name="static"),
    ]
    middleware = [Middleware(SecurityHeaders)]
    if settings.cors:
        from starlette.middleware.cors import CORSMiddleware

        middleware.append(Middleware(CORSMiddleware, allow_origins=[settings.cors], allow_methods=["GET", "POST"],
                                     allow_headers=["Accept", "Content-Type"], expose_headers=[TRUNCATED_HEADER],
                                     max_age=600))
    middleware += [Middleware(RateLimit, rate=settings.rate, burst=settings.burst),
                   Middleware(BodyLimit, max_bytes=settings.max_body, timeout=settings.body_timeout)]
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={404: _not_found, 500: _server_error})
    app.state.store = store
    app.state.settings = settings
    return app


def serve(store, host: str = "127.0.0.1", port: int = 8000, settings: Settings | None = None) -> None:
    """Run the server until interrupted.

    Parameters
    ----------
    store : graph.stores.Store
    host : str
        The address to bind; loopback by default.
    port : int
    settings : Settings, optional

    Notes
    -----
    uvicorn closes idle keep-alive connections after 15 s and refuses connections over
    ``limit_concurrency`` with 503; request bodies are bounded by :class:`.guard.BodyLimit`.
    """
    import uvicorn

    from ..lookup.names import name_index

    name_index(store)  # build the name index before the first request, not during it
    app = create_app(store, settings)
    print(f"techreg serve: http://{host}:{port}/ (SPARQL endpoint http://{host}:{port}/sparql) "
          f"over {store.spec}", file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                timeout_keep_alive=15, limit_concurrency=512, backlog=1024, server_header=False,
                h11_max_incomplete_event_size=64 * 1024)
