"""``techreg serve``: the SPARQL endpoint and the linked-data pages over a store."""

from __future__ import annotations

import click

from .common import store_of, store_option

__all__ = ["serve", "publish"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on (loopback by default; 0.0.0.0 for every interface).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="The port.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run before it is stopped.")
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(min=0),
              help="The most solutions or triples /sparql returns (0: no cap); a cut result carries "
                   "the header X-Techreg-Truncated.")
@click.option("--rate-limit", "rate", default=50.0, show_default=True, type=click.FloatRange(min=0),
              help="Requests per second per client (0: no limit); over it, 429 with Retry-After.")
@click.option("--burst", default=200, show_default=True, type=click.IntRange(min=1),
              help="Requests a client may make at once before the rate limit applies.")
@click.option("--cors", metavar="ORIGIN", help="Let pages from ORIGIN ('*' for any) call the server.")
@click.option("--max-body", default=1_000_000, show_default=True, type=click.IntRange(min=1024),
              help="The largest request body in bytes (413 over it).")
@store_option
@click.pass_context
def serve(ctx, host, port, timeout, max_rows, rate, burst, cors, max_body):
    """Serve the graph on the web: a read-only SPARQL 1.1 endpoint at /sparql, a page for
    every entity (/id/SLUG) and source (/source/SLUG), search, paths, exposure,
    timelines, the query library as forms and a SPARQL editor (/query).

    \b
    Example:
      techreg serve --port 8000
      techreg --store oxigraph:kb serve --host 0.0.0.0 --cors '*'
      techreg --store sparql:http://127.0.0.1:8000/sparql stats
    """
    from ..web.app import Settings, serve as run

    settings = Settings(timeout=timeout, max_rows=max_rows or None, rate=rate, burst=burst, cors=cors,
                        max_body=max_body)
    run(store_of(ctx), host=host, port=port, settings=settings)


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@store_option
@click.pass_context
def publish(ctx, directory):
    """Write the entity, source and timeline pages as static HTML into DIRECTORY (new or
    empty), for a static web host serving it as the site's root.

    \b
    Example:
      techreg publish site/
    """
    from ..web.publish import publish as run
    from .common import say

    counts = run(store_of(ctx), directory, progress=say)
    click.echo(f"wrote {directory}: {counts['entities']} entity pages, {counts['sources']} source pages, "
               "the timeline and the home page")
