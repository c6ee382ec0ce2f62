"""The ``query`` command: SPARQL inline, from a file or by library name."""

from __future__ import annotations

import click

from .common import echo_text, safe_csv_bytes, store_of, store_option, write_bytes

__all__ = ["query"]


@click.command()
@click.argument("query", required=False)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME (repeatable): entities by name, dates as YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "tsv", "json", "xml", "turtle", "trig", "jsonld", "ntriples"]),
              default="text", show_default=True,
              help="text for people; csv/tsv/json/xml are the W3C result formats; turtle/trig/jsonld/ntriples for CONSTRUCT and DESCRIBE.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds the whole request may take (checks, evaluation, output); then it is stopped.")
@click.option("--allow-remote", is_flag=True, help="Allow SERVICE and FROM of other graphs.")
@click.option("--safe-csv", is_flag=True,
              help="With --format csv: prefix text cells that start with = + - @ tab or CR with a quote "
                   "(spreadsheet formula injection); otherwise the CSV is the W3C format byte for byte.")
@click.option("--list", "list_", is_flag=True, help="List the library's named queries with their questions and parameters.")
@store_option
@click.pass_context
def query(ctx, query, params, fmt, timeout, allow_remote, safe_csv, list_):
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
    import time

    from ..query.library import library, load_query
    from ..query.params import bind_params
    from ..query.run import deadline_guard, run_query

    if list_:
        from ..views.text import table

        rows = [[q.name, q.question, ", ".join(f"{p.name} ({p.kind}{', default ' + p.default if p.default else ''})"
                                               for p in q.params)] for q in library().values()]
        echo_text(table(["name", "question", "parameters"], rows))
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
    deadline = time.monotonic() + timeout  # one limit for the whole request, from here on
    with deadline_guard(deadline, timeout):
        text = bind_params(store, text, values, meta.params if meta else None)
        result = run_query(store, text, timeout=timeout, deadline=deadline, allow_remote=allow_remote)
        if fmt == "text":
            from ..views.text import render_query_result

            echo_text(render_query_result(result, store))
        elif fmt == "csv" and safe_csv:
            write_bytes(None, safe_csv_bytes(result))
        else:
            write_bytes(None, result.serialize(fmt))
