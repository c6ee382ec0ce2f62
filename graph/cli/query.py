"""The ``query`` command: SPARQL inline, from a file or by library name."""

from __future__ import annotations

import click

from .common import coverage_of, echo_text, safe_csv_bytes, say_coverage, store_of, store_option, write_bytes

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
    The answer names the coverage scopes its rows rest on (see techreg coverage):
    on stderr for text and, for a library query, as a "coverage" member added to the
    JSON results (other queries' JSON, and csv/tsv/xml, stay the W3C formats as is).

    \b
    Example:
      techreg query --list
      techreg query exchanges-of-reviewed-platforms
      techreg query actions-by-regulator --param regulator=SAMR --format csv
      techreg query 'SELECT ?law ?d WHERE { ?law tr:dateEffective ?d } ORDER BY ?d'
    """
    import time

    from ..query.library import library, library_dir, load_query
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
        from_library = meta is not None and meta.path.resolve().parent == library_dir().resolve()
        coverage = _coverage(store, result) if fmt == "text" or (fmt == "json" and from_library) else None
        if fmt == "text":
            from ..views.text import render_query_result

            echo_text(render_query_result(result, store))
            if coverage:
                say_coverage(coverage)
        elif fmt == "json" and coverage and from_library:
            write_bytes(None, _with_member(result.payload, "coverage", coverage.as_dict()))
        elif fmt == "csv" and safe_csv:
            write_bytes(None, safe_csv_bytes(result))
        else:
            write_bytes(None, result.serialize(fmt))


def _coverage(store, result):
    """The scopes a SELECT result rests on, from the IRIs in its rows (None for ASK and graphs)."""
    if result.kind != "solutions":
        return None
    import pyoxigraph as ox

    return coverage_of(store, ([t.value for t in row.values() if isinstance(t, ox.NamedNode)]
                               for row in result.rows()))


def _with_member(payload: bytes, name: str, value) -> bytes:
    """SPARQL JSON results with one more top-level member, the W3C bytes otherwise untouched."""
    import json

    body = payload.rstrip()
    if not body.endswith(b"}"):
        return payload
    extra = json.dumps({name: value}, ensure_ascii=False).encode("utf-8")
    return body[:-1] + b"," + extra[1:]
