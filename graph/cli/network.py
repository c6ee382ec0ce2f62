"""Commands that explain connections: ``path`` and ``exposure``."""

from __future__ import annotations

import click

from .lang import lang_option
from .common import (announce, as_of_option, coverage_of, echo_text, emit, format_option, jurisdiction_option,
                     say_coverage, store_of, store_option, type_option)


def curie_of(iri: str) -> str:
    from ..lookup.names import curie

    return curie(iri)

__all__ = ["path", "exposure"]


@click.command()
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--max-hops", default=6, show_default=True, type=int, help="The longest path to consider (1-12).")
@click.option("-k", "k", default=3, show_default=True, type=int, help="How many alternative paths, best first.")
@click.option("--via", multiple=True, metavar="PREDICATE|ENTITY", help="Paths must use this relation or pass this entity (repeatable).")
@click.option("--avoid", multiple=True, metavar="PREDICATE|ENTITY|CLASS", help="Paths must not use this relation, entity or class (repeatable).")
@click.option("--directed", is_flag=True, help="Follow statements only in their stated direction.")
@as_of_option("Only facts in force that day: actions started, listings not ended, laws adopted.")
@click.option("--allow-hubs", is_flag=True, help="Let paths pass through hubs such as jurisdictions.")
@click.option("--precedent", is_flag=True, help="Also show routes through other firms' actions (ranked last).")
@format_option("text", "json", "html")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="With --format html: the file to write.")
@lang_option
@store_option
@click.pass_context
def path(ctx, source, target, max_hops, k, via, avoid, directed, as_of, allow_hubs, precedent, fmt, output, lang):
    """Explain how FROM is connected to TO: the best paths, hop by hop, with dates and sources.

    Paths walk statements in either direction and report each hop with its true
    direction. Hubs that explain nothing (jurisdictions) are not passed through.
    Each path has a route type (action, regulator, listing, designation,
    jurisdiction, other, loose, precedent); paths rank by route type, then cost, and routes
    through other firms' actions are hidden unless --precedent is given.
    Exits 1 when no path exists within --max-hops.

    \b
    Example:
      techreg path Yunmanman "Data Security Law"
      techreg path "Boss Zhipin" Nasdaq --format json
      techreg path Yunmanman "Data Security Law" --lang zh
    """
    from ..network.paths import find_paths

    store = store_of(ctx)
    result = find_paths(store, source, target, k=k, max_hops=max_hops, via=via, avoid=avoid,
                        directed=directed, as_of=as_of, allow_hubs=allow_hubs, precedent=precedent,
                        lang=lang)
    if fmt == "json":
        emit(fmt, data=result.as_dict())
    elif fmt == "html":
        from ..views.build import view_paths

        if not result.paths:
            echo_text(f"techreg: {result.note}", err=True)
            ctx.exit(1)
        target_file = output or "techreg-path.html"
        view_paths(store, result, output=target_file, lang=lang)
        click.echo(f"wrote {target_file}", err=True)
    else:
        from ..lookup.sources import sources
        from ..views.text import render_paths

        echo_text(render_paths(result, sources(store)), err=not result.paths)
    ctx.exit(0 if result.paths else 1)


@click.command()
@click.argument("entity")
@click.option("--max-hops", default=4, show_default=True, type=int, help="How far to look (1-12).")
@as_of_option("Only facts in force that day.")
@click.option("--precedent", is_flag=True, help="Also list what is reached only through other firms' actions.")
@jurisdiction_option
@type_option
@format_option("text", "json")
@lang_option
@store_option
@click.pass_context
def exposure(ctx, entity, max_hops, as_of, precedent, jurisdiction, type_, fmt, lang):
    """List every law and regulator ENTITY is connected to, each with its route type
    (action, regulator, listing, designation, jurisdiction, other, loose), best routes first,
    grouped by where the route starts: its own actions and listings, its parents', its
    subsidiaries' and its products'. Routes through other firms' actions (precedent)
    are hidden unless --precedent is given.

    \b
    Example:
      techreg exposure "Full Truck Alliance"
      techreg exposure Alibaba --type Statute --jurisdiction China
      techreg exposure Yunmanman --lang en,zh
    """
    from ..network.exposure import exposure as run

    store = store_of(ctx)
    result = run(store, entity, max_hops=max_hops, as_of=as_of, precedent=precedent,
                 jurisdiction=jurisdiction, type_=type_, lang=lang)
    coverage = coverage_of(store, ([i.entity.iri] + [n.iri for n in i.path.nodes] for i in result.items))
    if fmt != "json":
        announce(entity, result.source.label, curie_of(result.source.iri), result.alternatives or [])
    if fmt == "json":
        emit(fmt, data={**result.as_dict(), "coverage": coverage.as_dict()})
    else:
        from ..views.text import render_exposure

        emit(fmt, text=render_exposure(result))
        if result.items:
            say_coverage(coverage)
    ctx.exit(0 if result.items else 1)
