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
            click.echo(f"techreg: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(0)


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
              help="Where the graph lives: 'memory' (the bundled knowledge base; default) or "
                   "'oxigraph:DIR'. Also read from TECHREG_STORE.")
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


@cli.command()
@_format_option("text", "json")
@click.pass_context
def stats(ctx, fmt):
    """Count triples, entities per class, actions per type and sources.

    \b
    Example:
      techreg stats --format json
    """
    from .stats import stats as compute

    result = compute(_store(ctx))
    if fmt == "json":
        from .render import to_json

        click.echo(to_json(result))
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

        from .render import to_json

        click.echo(to_json([asdict(h) for h in hits]))
    elif fmt == "csv":
        _csv(headers, rows)
    elif hits:
        from .render import table

        click.echo(table(headers, rows))
    if not hits:
        click.echo(f"techreg: nothing matches {text!r}", err=True)
        ctx.exit(1)


def _csv(headers, rows):
    import csv

    writer = csv.writer(click.get_text_stream("stdout"), lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)


@cli.command()
@click.argument("entity")
@_format_option("text", "json")
@click.pass_context
def show(ctx, entity, fmt):
    """Show everything about ENTITY: labels, identifiers, relations both ways, and the
    actions and listings it takes part in, with dates and the source of each fact.

    ENTITY is a label, alias, ticker, Wikidata QID, CURIE (id:cac) or IRI.

    \b
    Example:
      techreg show "Data Security Law" --format json
    """
    from .describe import describe

    d = describe(_store(ctx), entity)
    if fmt == "json":
        from .render import to_json

        click.echo(to_json(d.as_dict()))
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
        from .render import to_json

        click.echo(to_json(report.as_dict()))
    else:
        from .render import render_report

        click.echo(render_report(report), err=not report.conforms)
    ctx.exit(0 if report.conforms else 1)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["trig", "nquads", "turtle", "ntriples", "jsonld", "rdfxml"]),
              default="trig", show_default=True, help="RDF syntax; trig, nquads and jsonld keep one graph per source.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@click.option("--ontology", is_flag=True, help="Include the ontology.")
@click.option("--entailed", is_flag=True, help="Include the materialised entailments (inverses, control chains, superclasses).")
@click.pass_context
def export(ctx, fmt, output, ontology, entailed):
    """Write the knowledge graph in a standard RDF syntax.

    \b
    Example:
      techreg export --format nquads -o techreg.nq
    """
    from .export import export_rdf

    data = export_rdf(_store(ctx), fmt, ontology=ontology, entailed=entailed)
    _write(output, data)


def _write(output, data: bytes) -> None:
    """Write bytes to a file atomically (temporary file, then rename), or to stdout."""
    if not output:
        click.get_binary_stream("stdout").write(data)
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
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the facts as TriG to this file instead of into the store.")
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

    store = _store(ctx)
    result = import_files(store, list(files), write_to_store=output is None)
    if output:
        _write(output, result.trig)
    else:
        click.echo(f"added {result.count:,} facts from {len(files)} file(s) to {store.spec}", err=True)


def main() -> None:
    """Entry point of the ``techreg`` console script."""
    cli(obj={})


if __name__ == "__main__":
    main()
