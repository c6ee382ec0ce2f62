"""The ``query`` command: SPARQL inline, from a file or by library name."""

from __future__ import annotations

import click

from .common import store_of, store_option, write_bytes

__all__ = ["query"]


@click.command()
@click.argument("query", required=False)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME (repeatable): entities by name, dates as YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "tsv", "json", "xml", "turtle", "trig", "jsonld", "ntriples"]),
              default="text", show_default=True,
              help="text for people; csv/tsv/json/xml are the W3C result formats; turtle/trig/jsonld/ntriples for CONSTRUCT and DESCRIBE.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1), help="Seconds before the query is stopped.")
@click.option("--allow-remote", is_flag=True, help="Allow SERVICE, LOAD and FROM of other graphs.")
@click.option("--list", "list_", is_flag=True, help="List the library's named queries with their questions and parameters.")
@store_option
@click.pass_context
def query(ctx, query, params, fmt, timeout, allow_remote, list_):
    """Run a SPARQL query: inline, from a file (@file.rq or a path) or by library name.

    The prefixes tr:, id:, src:, rdfs:, skos:, schema:, org:, prov:, xsd:, dcterms:
    and eli: are bound. Queries are read-only and run with a time limit.

    \b
    Example:
      techreg query --list
      techreg query exchanges-of-reviewed-platforms
      techreg query actions-by-regulator --param regulator=SAMR --format csv
      techreg query 'SELECT ?law ?d WHERE { ?law tr:dateEffective ?d } ORDER BY ?d'
    """
    from ..query.library import library, load_query
    from ..query.params import bind_params
    from ..query.run import run_query
    from ..query.safety import check_safety

    if list_:
        from ..views.text import table

        rows = [[q.name, q.question, ", ".join(f"{p.name} ({p.kind}{', default ' + p.default if p.default else ''})"
                                               for p in q.params)] for q in library().values()]
        click.echo(table(["name", "question", "parameters"], rows))
        return
    if not query:
        raise click.UsageError("give a query, a file (@file.rq) or a library name; --list shows the library")
    text, meta = load_query(query)
    values = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        values[name.lstrip("?")] = value
    store = store_of(ctx)
    store.limit_time(timeout)  # also bounds the named-graph and parameter look-ups of a remote store
    check_safety(text, allow_remote=allow_remote, local_graphs=set(store.named_graphs()))
    text = bind_params(store, text, values, meta.params if meta else None)
    result = run_query(store, text, timeout=timeout)
    if fmt == "text":
        from ..views.text import render_query_result

        click.echo(render_query_result(result, store))
    else:
        write_bytes(None, result.serialize(fmt))
