"""The ``techreg`` command line: one click group over the library.

Each command parses its options, calls one library function and prints the answer with
the shared output helper (:mod:`.common`). Exit codes: 0 success, 1 a valid request with
a negative answer (no path, validation failed), 2 bad input (unknown name, malformed
file, bad option).
"""

from __future__ import annotations

import click

from . import coverage, data, explore, network, query, serve, view
from .common import Group

__all__ = ["cli", "main"]


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "spec", envvar="TECHREG_STORE", metavar="STORE",
              help="Where the graph lives: 'memory' (the bundled knowledge base; default), "
                   "'oxigraph:DIR' (on disk) or 'sparql:QUERY_URL[,UPDATE_URL]' (any SPARQL 1.1 endpoint). "
                   "Also read from TECHREG_STORE, and accepted after the command name.")
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
    ctx.obj.setdefault("spec", None)
    if spec:
        ctx.obj["spec"] = spec
    ctx.obj.setdefault("store", None)
    # release the store when the command ends, so an on-disk store's lock is freed at once
    ctx.call_on_close(lambda: _release(ctx))


def _release(ctx: click.Context) -> None:
    # only a store this invocation opened; a store handed in by the caller stays open
    if ctx.obj.pop("opened", False):
        store = ctx.obj.get("store")
        ctx.obj["store"] = None
        if store is not None:
            store.close()


for _module in (explore, network, query, data, view, coverage, serve):
    for _name in _module.__all__:
        cli.add_command(getattr(_module, _name))


def main() -> None:
    """Entry point of the ``techreg`` console script."""
    cli(obj={})
