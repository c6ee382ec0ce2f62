"""``coverage``: the declared scopes with their references and counts, and source tiers."""

from __future__ import annotations

import click

from .common import emit, format_option, store_of, store_option

__all__ = ["coverage"]


@click.command()
@click.option("--sources", "by_source", is_flag=True,
              help="Instead of the scopes, the sources by tier, with every source below the bar and its reason.")
@format_option("text", "json")
@store_option
@click.pass_context
def coverage(ctx, by_source, fmt):
    """List the coverage scopes: what each covers, the reference it is checked against,
    the date it is complete as of, and how many items the reference and the data hold.

    A scope is complete when the data holds every item of its reference, partial when
    items are missing (listed with the reason), unchecked while its reference is not
    yet counted; an answer outside every complete scope may be incomplete.

    \b
    Example:
      techreg coverage --format json
    """
    store = store_of(ctx)
    if by_source:
        from ..coverage.tiers import source_quality

        quality = source_quality(store)
        if fmt == "json":
            emit(fmt, data=quality.as_dict())
            return
        from ..views.coverage_text import render_source_quality

        emit(fmt, text=render_source_quality(quality))
        return
    from ..coverage.scopes import count_scopes

    scopes = count_scopes(store)
    if fmt == "json":
        emit(fmt, data=[s.as_dict() for s in scopes])
    else:
        from ..views.coverage_text import render_coverage

        emit(fmt, text=render_coverage(scopes))
