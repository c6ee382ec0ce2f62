"""The ``init`` and ``load`` commands: put data into a persistent or remote store.

Registered on the main group by :mod:`graph.cli` (``cli.add_command(init)``,
``cli.add_command(load)``). Thin: the work is done by :mod:`graph.loading`.
"""

from __future__ import annotations

import os
import sys

import click

__all__ = ["init", "load"]

_MEMORY_NOTE = ("an in-memory store is rebuilt on every run (the 'memory' store from the bundled "
                "knowledge base) and forgets everything on exit")


def _spec(ctx: click.Context) -> str:
    from .store import DEFAULT_STORE

    obj = ctx.find_root().obj or {}
    store = obj.get("store")
    if store is not None:
        return store.spec
    return obj.get("spec") or os.environ.get("TECHREG_STORE") or DEFAULT_STORE


_IN_MEMORY = ("memory", "empty")


def _open_kept(ctx: click.Context, command: str, why: str):
    """Open the store, refusing an in-memory one: what is written there is lost on exit."""
    from .cli import _store
    from .errors import BadInput

    message = (f"{command} {why}: {_MEMORY_NOTE}. Name a store to write to, e.g. --store oxigraph:DIR "
               "or --store sparql:QUERY_URL,UPDATE_URL")
    if _spec(ctx) in _IN_MEMORY:
        raise BadInput(message)
    store = _store(ctx)
    if getattr(store, "path", None) is None and not hasattr(store, "query_url"):
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
@click.pass_context
def init(ctx):
    """Put the bundled knowledge base (ontology included) into a store.

    The store is named with --store (or TECHREG_STORE): a persistent local store
    'oxigraph:DIR' (created if missing) or a SPARQL 1.1 endpoint
    'sparql:QUERY_URL,UPDATE_URL'. The entailments (inverse relations, control chains,
    superclasses) are materialised too. Running it again adds nothing new.

    A remote endpoint must keep its default graph as a graph of its own, not a union
    of all graphs (Oxigraph server: `oxigraph serve --location DIR`, without
    --union-default-graph).

    \b
    Example:
      techreg --store oxigraph:./kb init
      techreg --store sparql:http://localhost:7878/query,http://localhost:7878/update init
    """
    from .loading import init_store

    store = _open_kept(ctx, "init", "has nothing to do for an in-memory store")
    progress = _progress()
    try:
        result = init_store(store, progress)
    finally:
        progress.close()
    click.echo(f"{store.spec}: {result.added:,} of {result.quads:,} quads added "
               f"({len(result.graphs)} graphs); {result.total:,} quads in the store", err=True)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--no-check", is_flag=True,
              help="Skip the shapes, for large TriG or N-Quads files from a trusted pipeline: Oxigraph parses "
                   "them straight into the store, each file all or nothing.")
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
    from .loading import load_files

    store = _open_kept(ctx, "load", "would be lost in an in-memory store (check files with "
                       "`techreg validate FILE... --with-store` instead)")
    progress = _progress()
    try:
        result = load_files(store, list(files), progress, check=not no_check)
    finally:
        progress.close()
    click.echo(f"{store.spec}: loaded {len(result.files)} file(s): {result.added:,} new of {result.quads:,} quads "
               f"in {len(result.graphs)} graph(s); {result.total:,} quads in the store", err=True)
