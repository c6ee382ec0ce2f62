"""The shared ``--lang`` option (English, Chinese or both labels)."""

from __future__ import annotations

import click

__all__ = ["lang_option"]


def _check(ctx, param, value):
    from ..errors import BadInput
    from ..lookup.lang import parse_lang

    try:
        return parse_lang(value)
    except BadInput as exc:
        raise click.BadParameter(str(exc).removeprefix("--lang: ")) from None


def lang_option(f):
    """``--lang en|zh|en,zh``: the labels to show; the value reaches the command as a tuple."""
    return click.option("--lang", "lang", default="en", show_default=True, metavar="en|zh|en,zh",
                        callback=_check,
                        help="Labels in English, Chinese (where they exist, English otherwise) or both.")(f)
