"""``techreg view``: write an interactive HTML view of part of the graph (a thin layer over
:func:`graph.views.build.view`)."""

from __future__ import annotations

import click

from .common import echo_text, store_of, store_option
from .lang import lang_option

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
@click.option("--class-only", "classes_only", multiple=True, metavar="CLASS",
              help="As --class, for CLASS itself and not its subclasses; repeatable.")
@click.option("--exclude", multiple=True, metavar="CLASS",
              help="Leave out nodes of CLASS and its subclasses (what went is listed on stderr); repeatable.")
@click.option("--exclude-only", "exclude_only", multiple=True, metavar="CLASS",
              help="Leave out nodes of CLASS itself, not of its subclasses; repeatable.")
@click.option("--layout", type=click.Choice(["force", "time"]), default="force", show_default=True,
              help="force: physics; time: actions, listings and laws placed by date along the x axis.")
@click.option("--cluster/--no-cluster", default=None,
              help="Fold each company group (parent, subsidiaries, products) into one node "
                   "[default: above 150 nodes]. Double-click a cluster to open it.")
@click.option("--format", "fmt", type=click.Choice(["html", "svg", "png"]), default="html", show_default=True,
              help="html: interactive page; svg, png: static picture laid out by Graphviz.")
@lang_option
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False),
              help="The file to write [default: techreg-view.FORMAT].")
@click.option("--max-nodes", default=_DEFAULT_MAX_NODES, show_default=True, type=click.IntRange(1),
              help="Refuse views with more nodes than this.")
@click.option("--open", "open_", is_flag=True, help="Open the file in a web browser once written.")
@store_option
@click.pass_context
def view(ctx, entities, depth, path, k, query, all_, as_of, classes, classes_only, exclude, exclude_only, layout,
         cluster, fmt, lang, output, max_nodes, open_):
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
      techreg view Kanzhun "Full Truck Alliance" --layout time --lang en,zh -o july.html
      techreg view Kanzhun --format svg -o kanzhun.svg
    """
    from ..errors import TechregError
    from ..views.build import view as build

    output = output or f"techreg-view.{fmt}"
    try:
        if fmt != "html":
            from ..views.page import check_writable

            check_writable(output)
        net = build(store_of(ctx), entities=entities, depth=depth, path=tuple(path) if path else None, k=k,
                    query=query, all=all_, as_of=as_of, classes=classes, exclude=exclude, max_nodes=max_nodes,
                    output=output if fmt == "html" else None, classes_only=classes_only,
                    exclude_only=exclude_only, lang=lang, layout=layout, cluster=cluster)
        if fmt != "html":
            from ..views.static import write_static

            write_static(net, output, fmt)
    except TechregError as exc:
        echo_text(f"techreg: {exc}", err=True)
        ctx.exit(exc.exit_code)
    for rule, counts in net.techreg_view.removed:
        what = ", ".join(f"{n} {c}" for c, n in sorted(counts.items())) or "nothing"
        click.echo(f"{rule}: removed {what}", err=True)
    click.echo(f"wrote {output}: {len(net.nodes)} nodes, {len(net.edges)} edges")
    if open_:
        from pathlib import Path

        click.launch(Path(output).resolve().as_uri())
