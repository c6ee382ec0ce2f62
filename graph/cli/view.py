"""``techreg view``: write an interactive HTML view of part of the graph (a thin layer over
:func:`graph.views.build.view`)."""

from __future__ import annotations

import click

from .common import echo_text, store_of, store_option

__all__ = ["view"]

_DEFAULT_MAX_NODES = 2500  # graph.views.build.DEFAULT_MAX_NODES, repeated so --help stays light


@click.command()
@click.argument("entities", nargs=-1, metavar="[ENTITY]...")
@click.option("--depth", default=2, show_default=True, type=click.IntRange(0, 6),
              help="How many links to follow from the entities.")
@click.option("--path", "path", nargs=2, metavar="FROM TO", default=None,
              help="Show the best paths between two entities, highlighted in their context.")
@click.option("-k", "k", default=3, show_default=True, type=click.IntRange(1, 20),
              help="How many paths to show with --path.")
@click.option("--query", metavar="NAME|FILE",
              help="Show the result of a CONSTRUCT, or of a SELECT with ?s ?p ?o: a .rq file or a named query.")
@click.option("--all", "all_", is_flag=True, help="Show the whole knowledge base.")
@click.option("--as-of", metavar="DATE", help="Only what stood on DATE (YYYY-MM-DD): actions started, "
                                              "listings not ended, laws adopted.")
@click.option("--class", "classes", multiple=True, metavar="CLASS",
              help="Keep only nodes of CLASS (subclasses included) besides the named ones; repeatable.")
@click.option("--exclude", multiple=True, metavar="CLASS",
              help="Leave out nodes of CLASS (subclasses included); repeatable.")
@click.option("-o", "--output", default="techreg-view.html", show_default=True,
              type=click.Path(dir_okay=False), help="The HTML file to write.")
@click.option("--max-nodes", default=_DEFAULT_MAX_NODES, show_default=True, type=click.IntRange(1),
              help="Refuse views with more nodes than this.")
@click.option("--open", "open_", is_flag=True, help="Open the file in a web browser once written.")
@store_option
@click.pass_context
def view(ctx, entities, depth, path, k, query, all_, as_of, classes, exclude, output, max_nodes, open_):
    """Write an interactive HTML view: the neighbourhood of ENTITY..., the paths between
    two entities (--path), the result of a query (--query) or everything (--all).

    The file is self-contained and works offline: colours and shapes by class with a
    legend, relation names on the edges, tooltips with English and Chinese labels, dates,
    amounts and sources, and a search box. Views over --max-nodes are refused.

    \b
    Example:
      techreg view "DiDi Global Inc." --depth 2 -o didi.html
      techreg view --path Yunmanman "Data Security Law" -o path.html
      techreg view --all --as-of 2021-07-31 --exclude Jurisdiction --open
    """
    from ..errors import TechregError
    from ..views.build import view as build

    try:
        net = build(store_of(ctx), entities=entities, depth=depth, path=tuple(path) if path else None, k=k,
                    query=query, all=all_, as_of=as_of, classes=classes, exclude=exclude, output=output,
                    max_nodes=max_nodes)
    except TechregError as exc:
        echo_text(f"techreg: {exc}", err=True)
        ctx.exit(exc.exit_code)
    click.echo(f"wrote {output}: {len(net.nodes)} nodes, {len(net.edges)} edges")
    if open_:
        from pathlib import Path

        click.launch(Path(output).resolve().as_uri())
