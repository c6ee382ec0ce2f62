"""The picture options of ``techreg timeline`` (``--format svg|png|html``, ``-o``, ``--lanes``,
``--lang``), kept apart so that the command itself changes little."""

from __future__ import annotations

import click

from .lang import lang_option

__all__ = ["PICTURE_FORMATS", "picture_options", "relabel", "draw_timeline"]

#: The formats drawn as a picture file rather than printed.
PICTURE_FORMATS = ("svg", "png", "html")


def picture_options(f):
    """``-o/--output``, ``--lanes`` and ``--lang`` for the timeline's picture formats."""
    f = lang_option(f)
    f = click.option("--lanes", type=click.Choice(["regulator", "jurisdiction"]), default="regulator",
                     show_default=True, help="Pictures: one lane per regulator or per jurisdiction.")(f)
    return click.option("-o", "--output", type=click.Path(dir_okay=False), metavar="FILE",
                        help="Pictures (--format svg|png|html): the file to write "
                             "(default techreg-timeline.FORMAT).")(f)


def relabel(store, entries, lang):
    """Rows with their labels in the chosen languages (``--lang``); English rows as they are."""
    if tuple(lang) == ("en",):
        return entries
    from dataclasses import replace

    from ..lookup.lang import choose_label
    from ..lookup.names import name_index

    index = name_index(store)
    return [replace(e, label=choose_label(index.labels.get(e.iri), index.labels_zh.get(e.iri), lang) or e.label)
            for e in entries]


def draw_timeline(ctx, store, entries, fmt, output, lanes, lang, entities=()):
    """Write the timeline picture and say what was written."""
    from ..views.timeline_data import write_timeline

    output = output or f"techreg-timeline.{fmt}"
    title = f"Timeline of {', '.join(entities)}" if entities else None
    picture = write_timeline(store, entries, output, fmt, lanes=lanes, lang=lang, title=title)
    click.echo(f"wrote {output}: {len(picture.marks)} actions in {len(picture.lanes)} lanes, "
               f"{len(picture.refs)} listings and laws")
    if picture.undated:
        from .common import echo_text

        echo_text(f"not drawn, having no date: {'; '.join(picture.undated)}", err=True)
