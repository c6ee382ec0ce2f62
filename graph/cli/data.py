"""Commands that check and move data: ``validate``, ``import``, ``export``, ``init``, ``load``."""

from __future__ import annotations

import sys

import click

from .common import echo_text, emit, format_option, say, store_of, store_option, store_spec, write_bytes

__all__ = ["validate", "import_", "export", "init", "load"]

_MEMORY_NOTE = ("an in-memory store is rebuilt on every run (the 'memory' store from the bundled "
                "knowledge base) and forgets everything on exit")


def _open_kept(ctx: click.Context, command: str, why: str):
    """Open the store, refusing an in-memory one: what is written there is lost on exit."""
    from ..errors import BadInput
    from ..stores import IN_MEMORY

    message = (f"{command} {why}: {_MEMORY_NOTE}. Name a store to write to, e.g. --store oxigraph:DIR "
               "or --store sparql:QUERY_URL,UPDATE_URL")
    if store_spec(ctx) in IN_MEMORY:
        raise BadInput(message)
    store = store_of(ctx)
    if not store.persistent:
        raise BadInput(message)
    return store


class _Progress:
    """Report the stages of a load on stderr when it is a terminal; silent otherwise."""

    _WORDS = {"parse": "parsing", "validate": "checking against the shapes", "write": "writing",
              "entail": "rebuilding the entailments"}

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if stage == "parse" and total > 1:
            if self.bar is None:
                self.bar = click.progressbar(length=total, label="parsing", file=sys.stderr, show_pos=True)
                self.bar.__enter__()
            self.bar.update(done - self.bar.pos)
            if done == total:
                self.close()
        elif done == 0:
            click.echo(f"{self._WORDS.get(stage, stage)}...", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _progress() -> _Progress:
    return _Progress(sys.stderr.isatty())


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--with-store/--alone", default=False,
              help="Check FILES against the store's data as context (for facts about entities already in the store).")
@format_option("text", "json")
@store_option
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
    from ..model.validation import validate_files, validate_store

    if files:
        context = list(store_of(ctx).quads()) if with_store else None
        report = validate_files(list(files), context)
    else:
        report = validate_store(store_of(ctx))
    if fmt == "json":
        emit(fmt, data=report.as_dict())
    else:
        from ..views.text import render_report

        echo_text(render_report(report), err=not report.conforms)
    ctx.exit(0 if report.conforms else 1)


@click.command()
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
@store_option
@click.pass_context
def export(ctx, fmt, output, ontology, entailed, complete):
    """Write the knowledge graph in a standard RDF syntax.

    \b
    Example:
      techreg export --format nquads -o techreg.nq
      techreg export --format graphml -o techreg.graphml
    """
    from ..export import GRAPH_EXPORT_FORMATS, export_graph, export_rdf

    store = store_of(ctx)
    say(f"exporting {fmt} from {store.spec}")
    if fmt in GRAPH_EXPORT_FORMATS:
        data = export_graph(store, fmt)
    else:
        data = export_rdf(store, fmt, ontology=ontology, entailed=entailed, complete=complete)
    write_bytes(output, data)


@click.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(), help="Write the facts as TriG to this file instead of into the store; "
              "to an existing directory, one NAME.trig per input file.")
@store_option
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
    from ..ingest.importer import import_files

    from pathlib import Path

    store = store_of(ctx)
    result = import_files(store, list(files), write_to_store=output is None)
    if output and Path(output).is_dir():
        for f in files:
            write_bytes(str(Path(output) / (Path(f).stem + ".trig")), result.trig_of(f))
    elif output:
        write_bytes(output, result.trig)
    else:
        click.echo(f"added {result.count:,} facts from {len(files)} file(s) to {store.spec}", err=True)


@click.command()
@store_option
@click.pass_context
def init(ctx):
    """Put the bundled knowledge base (ontology included) into a store.

    The store is named with --store (or TECHREG_STORE): a persistent local store
    'oxigraph:DIR' (created if missing) or a SPARQL 1.1 endpoint
    'sparql:QUERY_URL,UPDATE_URL'. The entailments (inverse relations, control chains,
    superclasses) are materialised too. Running it again adds nothing new.

    A remote endpoint of any kind works (its default graph its own or a union of
    all graphs, as in Virtuoso): techreg keeps the merge in a named graph and names
    the dataset in every request. An Oxigraph server must run without
    --union-default-graph (it then refuses named datasets).

    \b
    Example:
      techreg --store oxigraph:./kb init
      techreg --store sparql:http://localhost:7878/query,http://localhost:7878/update init
    """
    from ..stores.loading import init_store

    store = _open_kept(ctx, "init", "has nothing to do for an in-memory store")
    progress = _progress()
    try:
        result = init_store(store, progress)
    finally:
        progress.close()
    click.echo(f"{store.spec}: {result.added:,} of {result.quads:,} quads added "
               f"({len(result.graphs)} graphs){_in_store(result)}", err=True)


def _in_store(result) -> str:
    """The store's size after a write, where the store counted it cheaply."""
    return "" if result.total is None else f"; {result.total:,} quads in the store"


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--no-check", is_flag=True,
              help="Skip the shapes, for large TriG or N-Quads files from a trusted pipeline: Oxigraph parses "
                   "them straight into the store, each file all or nothing.")
@store_option
@click.pass_context
def load(ctx, files, no_check):
    """Add RDF files to a store, all or nothing, after checking them against the shapes.

    FILES are TriG, N-Quads, Turtle, N-Triples or JSON-LD (by extension). Every fact must
    sit in the named graph of the source that states it, so plain Turtle or N-Triples
    (triples outside any named graph) are refused. Facts may refer to entities already
    in the store. A file that does not parse (its file and line are shown) or violates
    a shape leaves the store as it was (exit 2). The entailments are rebuilt afterwards.

    \b
    Example:
      techreg --store oxigraph:./kb load new-facts.trig more.nq
      techreg validate new-facts.trig --with-store   # check first, write nothing
      techreg --store oxigraph:./kb load --no-check big-export.nq
    """
    from ..stores.loading import load_files

    store = _open_kept(ctx, "load", "would be lost in an in-memory store (check files with "
                       "`techreg validate FILE... --with-store` instead)")
    progress = _progress()
    try:
        result = load_files(store, list(files), progress, check=not no_check)
    finally:
        progress.close()
    click.echo(f"{store.spec}: loaded {len(result.files)} file(s): {result.added:,} new of {result.quads:,} quads "
               f"in {len(result.graphs)} graph(s){_in_store(result)}", err=True)
