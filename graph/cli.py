"""The ``techreg`` command line: parse options, call the library, format the output.

Exit codes: 0 success, 1 a valid request with a negative answer (no path, validation
failed), 2 bad input (unknown name, malformed file, bad option).
"""

from __future__ import annotations

import sys

import click

from .errors import TechregError

__all__ = ["main", "cli"]


class _Group(click.Group):
    """A click group that reports library errors on stderr with their exit codes."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except TechregError as exc:
            # report outside the handler, so no traceback keeps the store (and its lock) alive
            message, code = str(exc), exc.exit_code
        except BrokenPipeError:
            sys.stderr.close()
            message, code = None, 0
        if message:
            click.echo(f"techreg: {message}", err=True)
        ctx.exit(code)


def _store(ctx: click.Context):
    obj = ctx.find_root().obj
    if obj.get("store") is None:
        from .store import open_store

        obj["store"] = open_store(obj.get("spec"))
    return obj["store"]


def _format_option(*choices: str, default: str = "text"):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format: text for people, the others for scripts.")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "spec", envvar="TECHREG_STORE", metavar="STORE",
              help="Where the graph lives: 'memory' (the bundled knowledge base; default), "
                   "'oxigraph:DIR' (on disk) or 'sparql:QUERY_URL[,UPDATE_URL]' (any SPARQL 1.1 endpoint). "
                   "Also read from TECHREG_STORE.")
@click.version_option(package_name="techreg")
@click.pass_context
def cli(ctx, spec):
    """techreg: the technology-regulation knowledge graph.

    Regulators, laws, companies, products, listings and regulatory actions, each fact
    tied to the source that states it.

    \b
    Example:
      techreg show "Full Truck Alliance"
    """
    ctx.ensure_object(dict)
    ctx.obj["spec"] = spec
    ctx.obj.setdefault("store", None)
    # release the store when the command ends, so an on-disk store's lock is freed at once
    ctx.call_on_close(lambda: ctx.obj.update(store=None))


@cli.command()
@click.option("--as-of", metavar="DATE", help="Also count what stood that day: actions started, listings live, laws adopted and in force.")
@_format_option("text", "json")
@click.pass_context
def stats(ctx, as_of, fmt):
    """Count triples, entities per class, actions per type and sources.

    \b
    Example:
      techreg stats --format json
    """
    from .stats import stats as compute

    result = compute(_store(ctx), as_of=as_of)
    if fmt == "json":
        _echo_json(result)
    else:
        from .render import render_stats

        click.echo(render_stats(result))


@cli.command()
@click.argument("text")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000), help="The most hits to show.")
@_format_option("text", "json", "csv")
@click.pass_context
def search(ctx, text, limit, fmt):
    """Find entities whose label, alias, ticker or identifier matches TEXT, best first.

    Matching ignores case and accents and works for Chinese names too.

    \b
    Example:
      techreg search 运满满
    """
    from .resolve import search as run

    hits = run(_store(ctx), text, limit=limit)
    rows = [[h.score, h.curie, h.label, ", ".join(h.classes), h.matched, h.kind] for h in hits]
    headers = ["score", "id", "label", "classes", "matched", "matched as"]
    if fmt == "json":
        from dataclasses import asdict

        _echo_json([asdict(h) for h in hits])
    elif fmt == "csv":
        _csv(headers, rows)
    elif hits:
        from .render import table

        click.echo(table(headers, rows))
    if not hits:
        click.echo(f"techreg: nothing matches {text!r}", err=True)
        ctx.exit(1)


def _echo_json(data) -> None:
    from .render import to_json

    click.echo(to_json(data))


def _csv(headers, rows):
    import csv

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)


@cli.command()
@click.argument("entity")
@click.option("--as-of", metavar="DATE", help="Only the actions started and the listings live that day.")
@_format_option("text", "json")
@click.pass_context
def show(ctx, entity, as_of, fmt):
    """Show everything about ENTITY: labels, identifiers, relations both ways, and the
    actions and listings it takes part in, with dates and the source of each fact.

    ENTITY is a label, alias, ticker, Wikidata QID, CURIE (id:cac) or IRI.

    \b
    Example:
      techreg show "Data Security Law" --format json
    """
    from .describe import describe

    d = describe(_store(ctx), entity, as_of=as_of)
    if fmt == "json":
        _echo_json(d.as_dict())
    else:
        from .render import render_description

        click.echo(render_description(d))


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--with-store/--alone", default=False,
              help="Check FILES against the store's data as context (for facts about entities already in the store).")
@_format_option("text", "json")
@click.pass_context
def validate(ctx, files, with_store, fmt):
    """Check the data against the SHACL shapes.

    With no FILES, the bundled knowledge base (or the --store) is checked; otherwise the
    given TriG, N-Quads or Turtle files, together with the ontology. Exits 1 when there
    are violations.

    \b
    Example:
      techreg validate
      techreg validate new-facts.trig
    """
    from .validate import validate_files, validate_store

    if files:
        context = list(_store(ctx).quads()) if with_store else None
        report = validate_files(list(files), context)
    else:
        report = validate_store(_store(ctx))
    if fmt == "json":
        _echo_json(report.as_dict())
    else:
        from .render import render_report

        click.echo(render_report(report), err=not report.conforms)
    ctx.exit(0 if report.conforms else 1)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["trig", "nquads", "turtle", "ntriples", "jsonld", "rdfxml",
                                                   "graphml", "gexf", "cytoscape"]),
              default="trig", show_default=True,
              help="RDF syntax (trig, nquads and jsonld keep one graph per source), or the network for "
                   "Gephi, Cytoscape and yEd: graphml, gexf, cytoscape (Cytoscape.js JSON).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@click.option("--ontology", is_flag=True, help="Include the ontology.")
@click.option("--entailed", is_flag=True, help="Include the materialised entailments (inverses, control chains, superclasses).")
@click.option("--complete", is_flag=True, help="Also the ontology, the entailments and the merged default graph, so that "
              "any quad store loading the file answers queries as techreg does (trig, nquads).")
@click.pass_context
def export(ctx, fmt, output, ontology, entailed, complete):
    """Write the knowledge graph in a standard RDF syntax.

    \b
    Example:
      techreg export --format nquads -o techreg.nq
      techreg export --format graphml -o techreg.graphml
    """
    from .export import GRAPH_EXPORT_FORMATS, export_graph, export_rdf

    store = _store(ctx)
    _progress(f"exporting {fmt} from {store.spec}")
    if fmt in GRAPH_EXPORT_FORMATS:
        data = export_graph(store, fmt)
    else:
        data = export_rdf(store, fmt, ontology=ontology, entailed=entailed, complete=complete)
    _write(output, data)


def _progress(message: str) -> None:
    """Say what long work is doing, on a terminal only."""
    if sys.stderr.isatty():
        click.echo(f"{message}...", err=True)


def _stdout_bytes(data: bytes) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _write(output, data: bytes) -> None:
    """Write bytes to a file atomically (temporary file, then rename), or to stdout."""
    if not output:
        _stdout_bytes(data)
        return
    from .errors import BadInput
    from .fileio import atomic_write

    try:
        atomic_write(output, data)
    except OSError as exc:
        raise BadInput(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(f"wrote {len(data):,} bytes to {output}", err=True)


@cli.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(), help="Write the facts as TriG to this file instead of into the store; "
              "to an existing directory, one NAME.trig per input file.")
@click.pass_context
def import_(ctx, files, output):
    """Add facts from CSV or YAML files without writing RDF.

    Each record names its source; names resolve against the graph; new entities are
    created. The facts are checked against the shapes first, and nothing from a file
    is written if any row fails. See examples/README.md for the layout.

    \b
    Example:
      techreg import examples/import-example.yaml -o new-facts.trig
    """
    from .importer import import_files

    from pathlib import Path

    store = _store(ctx)
    result = import_files(store, list(files), write_to_store=output is None)
    if output and Path(output).is_dir():
        for f in files:
            _write(str(Path(output) / (Path(f).stem + ".trig")), result.trig_of(f))
    elif output:
        _write(output, result.trig)
    else:
        click.echo(f"added {result.count:,} facts from {len(files)} file(s) to {store.spec}", err=True)


@cli.command()
@click.argument("query", required=False)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME (repeatable): entities by name, dates as YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "tsv", "json", "xml", "turtle", "trig", "jsonld", "ntriples"]),
              default="text", show_default=True,
              help="text for people; csv/tsv/json/xml are the W3C result formats; turtle/trig/jsonld/ntriples for CONSTRUCT and DESCRIBE.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1), help="Seconds before the query is stopped.")
@click.option("--allow-remote", is_flag=True, help="Allow SERVICE, LOAD and FROM of other graphs.")
@click.option("--list", "list_", is_flag=True, help="List the library's named queries with their questions and parameters.")
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
    from .query import bind_params, check_safety, library, load_query, run_query

    if list_:
        from .render import table

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
    store = _store(ctx)
    check_safety(text, allow_remote=allow_remote, local_graphs=set(store.named_graphs()))
    text = bind_params(store, text, values, meta.params if meta else None)
    result = run_query(store, text, timeout=timeout)
    if fmt == "text":
        from .render import render_query_result

        click.echo(render_query_result(result, store))
    else:
        _stdout_bytes(result.serialize(fmt))


@cli.command()
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--max-hops", default=6, show_default=True, type=int, help="The longest path to consider (1-12).")
@click.option("-k", "k", default=3, show_default=True, type=int, help="How many alternative paths, best first.")
@click.option("--via", multiple=True, metavar="PREDICATE|ENTITY", help="Paths must use this relation or pass this entity (repeatable).")
@click.option("--avoid", multiple=True, metavar="PREDICATE|ENTITY|CLASS", help="Paths must not use this relation, entity or class (repeatable).")
@click.option("--directed", is_flag=True, help="Follow statements only in their stated direction.")
@click.option("--as-of", metavar="DATE", help="Only facts in force that day: actions started, listings not ended, laws adopted.")
@click.option("--allow-hubs", is_flag=True, help="Let paths pass through hubs such as jurisdictions.")
@_format_option("text", "json", "html")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="With --format html: the file to write.")
@click.pass_context
def path(ctx, source, target, max_hops, k, via, avoid, directed, as_of, allow_hubs, fmt, output):
    """Explain how FROM is connected to TO: the best paths, hop by hop, with dates and sources.

    Paths walk statements in either direction and report each hop with its true
    direction. Hubs that explain nothing (jurisdictions) are not passed through.
    Exits 1 when no path exists within --max-hops.

    \b
    Example:
      techreg path Yunmanman "Data Security Law"
      techreg path "Boss Zhipin" Nasdaq --format json
    """
    from .paths import find_paths

    store = _store(ctx)
    result = find_paths(store, source, target, k=k, max_hops=max_hops, via=via, avoid=avoid,
                        directed=directed, as_of=as_of, allow_hubs=allow_hubs)
    if fmt == "json":
        _echo_json(result.as_dict())
    elif fmt == "html":
        from .view import view_paths

        if not result.paths:
            click.echo(f"techreg: {result.note}", err=True)
            ctx.exit(1)
        target_file = output or "techreg-path.html"
        view_paths(store, result, output=target_file)
        click.echo(f"wrote {target_file}", err=True)
    else:
        from .facts import sources
        from .render import render_paths

        text = render_paths(result, sources(store))
        click.echo(text, err=not result.paths)
    ctx.exit(0 if result.paths else 1)


@cli.command()
@click.argument("entity")
@click.option("--max-hops", default=4, show_default=True, type=int, help="How far to look (1-12).")
@click.option("--as-of", metavar="DATE", help="Only facts in force that day.")
@_format_option("text", "json")
@click.pass_context
def exposure(ctx, entity, max_hops, as_of, fmt):
    """List every law and regulator ENTITY is connected to, grouped by route: its own
    actions and listings, its parents', its subsidiaries' and its products'.

    \b
    Example:
      techreg exposure "Full Truck Alliance"
    """
    from .paths import exposure as run

    result = run(_store(ctx), entity, max_hops=max_hops, as_of=as_of)
    if fmt == "json":
        _echo_json(result.as_dict())
    else:
        from .render import render_exposure

        click.echo(render_exposure(result))
    ctx.exit(0 if result.items else 1)


@cli.command()
@click.argument("entity", required=False)
@click.option("--all", "all_", is_flag=True, help="Every dated fact in the graph.")
@click.option("--from", "start", metavar="DATE", help="First day (YYYY-MM-DD).")
@click.option("--to", "end", metavar="DATE", help="Last day (YYYY-MM-DD).")
@_format_option("text", "json", "csv")
@click.pass_context
def timeline(ctx, entity, all_, start, end, fmt):
    """List dated facts in order, with their sources: what happened to ENTITY (its
    products and subsidiaries included), or with --all in the whole graph.

    \b
    Example:
      techreg timeline "DiDi Global"
      techreg timeline --all --from 2021-06-01 --to 2021-07-31
    """
    from .timeline import timeline as run

    if bool(entity) == all_:
        raise click.UsageError("name an ENTITY or give --all")
    store = _store(ctx)
    entries = run(store, entity, start=start, end=end)
    headers = ["date", "what", "label", "classes", "about", "sources"]
    if fmt == "json":
        _echo_json([e.as_dict() for e in entries])
    elif fmt == "csv":
        _csv(headers, [[e.date, e.what, e.label, " ".join(e.classes), "; ".join(e.about), " ".join(e.sources)]
                       for e in entries])
    else:
        from .render import render_timeline
        from .facts import sources

        click.echo(render_timeline(entries, sources(store)))
    ctx.exit(0 if entries else 1)


def _register() -> None:
    from .cli_store import init, load
    from .cli_view import view

    for command in (init, load, view):
        cli.add_command(command)


_register()


def main() -> None:
    """Entry point of the ``techreg`` console script."""
    cli(obj={})


if __name__ == "__main__":
    main()
