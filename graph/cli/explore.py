"""Commands that look things up: ``stats``, ``search``, ``show``, ``timeline``."""

from __future__ import annotations

import click

from .common import (announce, as_of_option, coverage_of, emit, finish, format_option, jurisdiction_option,
                     say_coverage, store_of, store_option, type_option)
from .lang import lang_option
from .pictures import PICTURE_FORMATS, draw_timeline, picture_options, relabel

__all__ = ["stats", "search", "show", "timeline"]


@click.command()
@as_of_option("Also count what stood that day: actions started, listings live, laws adopted and in force.")
@format_option("text", "json")
@store_option
@click.pass_context
def stats(ctx, as_of, fmt):
    """Count triples, entities per class, actions per type and sources.

    \b
    Example:
      techreg stats --format json
    """
    from ..answers.stats import stats as compute

    result = compute(store_of(ctx), as_of=as_of)
    if fmt == "json":
        emit(fmt, data=result)
    else:
        from ..views.text import render_stats

        emit(fmt, text=render_stats(result))


@click.command()
@click.argument("text")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000), help="The most hits to show.")
@jurisdiction_option
@type_option
@format_option("text", "json", "csv")
@lang_option
@store_option
@click.pass_context
def search(ctx, text, limit, jurisdiction, type_, fmt, lang):
    """Find entities matching every word of TEXT, best first: in their labels, aliases,
    tickers or identifiers, in the names of what they link to (an action's target,
    issuer, legal basis) or in their class ("fine" is a Penalty).

    Matching ignores case and accents and works for Chinese, with or without spaces.

    \b
    Example:
      techreg search 运满满
      techreg search "Didi fine"
      techreg search "Amazon GDPR" --type Penalty --jurisdiction EU
      techreg search cybersecurity review --lang zh
    """
    from ..answers.filters import make_filter
    from ..lookup.search import hit_records
    from ..lookup.search import search as run

    store = store_of(ctx)
    keep = make_filter(store, jurisdiction, type_)
    hits = run(store, text, limit=limit, keep=keep.accepts if keep.active else None, lang=lang)
    coverage = coverage_of(store, ([h.iri] for h in hits))
    emit(fmt, data=[{**r, "coverage": coverage.row_dict(i)} for i, r in enumerate(hit_records(store, hits, lang))],
         headers=["score", "id", "label", "classes", "matched", "matched as"],
         rows=[[h.score, h.curie, h.label, ", ".join(h.classes), h.matched, h.kind] for h in hits])
    if fmt == "text" and hits:
        say_coverage(coverage)
    finish(ctx, bool(hits), f"nothing matches {text!r}")


@click.command()
@click.argument("entity")
@as_of_option("Only the actions started and the listings live that day.")
@format_option("text", "json")
@lang_option
@store_option
@click.pass_context
def show(ctx, entity, as_of, fmt, lang):
    """Show everything about ENTITY: labels, identifiers, relations both ways, and the
    actions and listings it takes part in, with dates and the source of each fact.
    The coverage scopes the answer rests on follow (stderr; "coverage" in JSON).

    ENTITY is a label, alias, ticker, Wikidata QID, CURIE (id:cac) or IRI.

    \b
    Example:
      techreg show "Data Security Law" --format json
      techreg show CAC --lang en,zh
    """
    from ..answers.describe import describe

    store = store_of(ctx)
    d = describe(store, entity, as_of=as_of, lang=lang)
    coverage = coverage_of(store, [[d.iri]] + [[e.iri] for e in d.events])
    if fmt != "json":
        announce(entity, d.label, d.curie, d.alternatives)
    if fmt == "json":
        emit(fmt, data={**d.as_dict(), "coverage": coverage.as_dict()})
    else:
        from ..views.text import render_description

        emit(fmt, text=render_description(d))
        say_coverage(coverage)


@click.command()
@click.argument("entities", nargs=-1, metavar="[ENTITY]...")
@click.option("--all", "all_", is_flag=True, help="Every dated fact in the graph.")
@click.option("--from", "start", metavar="DATE", help="First day (YYYY-MM-DD); without ENTITY, for every entity.")
@click.option("--to", "end", metavar="DATE", help="Last day (YYYY-MM-DD); without ENTITY, for every entity.")
@jurisdiction_option
@type_option
@format_option("text", "json", "csv", "svg", "png", "html")
@picture_options
@store_option
@click.pass_context
def timeline(ctx, entities, all_, start, end, jurisdiction, type_, fmt, output, lanes, lang):
    """List dated facts in order, with their sources: what happened to ENTITY (its
    products and subsidiaries included, marked "via", and its parents' actions), or in
    the whole graph (--all, or a period given with --from/--to and no ENTITY). Several
    ENTITY names make one timeline. Actions with no date are listed last, as undated.
    --format svg|png|html draws it: one lane per regulator (or jurisdiction), each action
    at its date with its type, label and amount; listings and laws as lines across.

    \b
    Example:
      techreg timeline "DiDi Global"
      techreg timeline --from 2021-06-01 --to 2021-07-31
      techreg timeline --all --jurisdiction EU --type Penalty
      techreg timeline "DiDi Global" Kanzhun --format svg -o july-2021.svg
    """
    from ..answers.timeline import merge_timelines
    from ..answers.timeline import timeline as run

    if entities and all_:
        raise click.UsageError("name an ENTITY or give --all, not both")
    if not entities and not all_ and not (start or end or jurisdiction or type_):
        raise click.UsageError("name an ENTITY, give --all, or give a period with --from/--to")
    store = store_of(ctx)
    entries = relabel(store, merge_timelines([run(store, e, start=start, end=end, jurisdiction=jurisdiction, type_=type_)
                                         for e in entities or [None]]), lang)
    if fmt in PICTURE_FORMATS:
        draw_timeline(ctx, store, entries, fmt, output, lanes, lang, entities)
        return
    text = None
    coverage = coverage_of(store, ([e.iri] for e in entries))
    if fmt == "text":
        from ..lookup.sources import sources
        from ..views.text import render_timeline

        text = render_timeline(entries, sources(store))
    emit(fmt, data=[{**e.as_dict(), "coverage": coverage.row_dict(i)} for i, e in enumerate(entries)], text=text,
         headers=["date", "what", "label", "classes", "about", "sources", "via"],
         rows=[[e.date or "undated", e.what, e.label, " ".join(e.classes), "; ".join(e.about), " ".join(e.sources),
                e.via or ""] for e in entries])
    if fmt == "text" and entries:
        say_coverage(coverage)
    finish(ctx, bool(entries))
