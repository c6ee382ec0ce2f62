"""What every command shares: the error-reporting group, the store of the invocation, the
shared options (``--store``, ``--format``, ``--as-of``) and one output helper.

Commands import only this module and click at start-up; the library is imported inside
each command, so ``techreg --help`` stays fast.
"""

from __future__ import annotations

import re
import sys

import click

from ..errors import TechregError

__all__ = ["Group", "store_of", "store_option", "format_option", "as_of_option", "emit", "echo_json",
           "echo_text", "escape_controls", "neutralise_cell", "safe_csv_bytes", "write_bytes", "say", "finish",
           "announce", "jurisdiction_option", "type_option", "coverage_of", "say_coverage"]

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional controls
# (embeddings, overrides, isolates and marks) that reorder what a terminal shows.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _escape(m: re.Match) -> str:
    code = ord(m.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """Show control characters as escapes (``\\x1b``, ``\\u202e``) so data cannot drive the
    terminal or reorder what it shows; tabs and newlines are kept.

    Examples
    --------
    >>> escape_controls("a\x1b[31mb\u202ec")
    'a\\\\x1b[31mb\\\\u202ec'
    """
    return _CONTROLS.sub(_escape, text)


def echo_text(text: str = "", *, err: bool = False) -> None:
    """Print text for people, with control characters escaped (:func:`escape_controls`)."""
    click.echo(escape_controls(str(text)), err=err)


def neutralise_cell(value):
    """Make a CSV cell safe to open in a spreadsheet: text starting with ``=``, ``+``,
    ``-``, ``@``, tab or carriage return gets a leading ``'``; numbers (and text that is
    a plain number) are left as they are.

    Examples
    --------
    >>> neutralise_cell("=1+1"), neutralise_cell("-5"), neutralise_cell(-5)
    ("'=1+1", '-5', -5)
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_csv_bytes(result) -> bytes:
    """The W3C CSV of a SELECT result with formula cells neutralised (numeric literals untouched)."""
    import csv
    import io

    import pyoxigraph as ox

    from ..errors import BadInput

    if result.kind != "solutions":
        raise BadInput("--safe-csv applies to SELECT results (--format csv)")
    numeric = ("integer", "decimal", "double", "float", "long", "int", "short", "byte", "nonNegativeInteger",
               "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt",
               "unsignedShort", "unsignedByte")
    xsd = "http://www.w3.org/2001/XMLSchema#"

    def cell(term):
        if term is None:
            return ""
        if isinstance(term, ox.BlankNode):
            return "_:" + term.value
        if isinstance(term, ox.Literal) and term.datatype.value in {xsd + n for n in numeric}:
            return term.value
        return neutralise_cell(term.value)

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows():
        writer.writerow([cell(row[v]) for v in result.variables])
    return out.getvalue().encode("utf-8")



class Group(click.Group):
    """A click group that reports library errors on stderr with their exit codes."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except TechregError as exc:
            # report outside the handler, so no traceback keeps the store (and its lock) alive
            message, code = str(exc), exc.exit_code
        except BrokenPipeError:
            sys.stderr.close()
            message, code = None, 0
        if message:
            echo_text(f"techreg: {message}", err=True)
        ctx.exit(code)


def store_of(ctx: click.Context):
    """The store of this invocation, opened on first use from ``--store`` / ``TECHREG_STORE``."""
    obj = ctx.find_root().obj
    if obj.get("store") is None:
        from ..stores import open_store

        # only init may create an on-disk store: elsewhere a mistyped path is an error
        obj["store"] = open_store(obj.get("spec"), create=ctx.command.name == "init")
        obj["opened"] = True
    return obj["store"]


def store_spec(ctx: click.Context) -> str:
    """The store specification this invocation names (without opening it)."""
    import os

    from ..stores import DEFAULT_STORE

    obj = ctx.find_root().obj or {}
    if obj.get("store") is not None:
        return obj["store"].spec
    return obj.get("spec") or os.environ.get("TECHREG_STORE") or DEFAULT_STORE


def _set_store(ctx: click.Context, param, value):
    if value:
        ctx.find_root().obj["spec"] = value
    return value


def store_option(f):
    """``--store`` after the command name too (``techreg stats --store oxigraph:kb``)."""
    return click.option("--store", "store_spec_", metavar="STORE", expose_value=False, is_eager=True,
                        callback=_set_store,
                        help="Where the graph lives (as before the command): memory, oxigraph:DIR or "
                             "sparql:QUERY_URL[,UPDATE_URL].")(f)


def format_option(*choices: str, default: str = "text"):
    """``--format`` with the given choices: text for people, the others for scripts."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format: text for people, the others for scripts.")


def as_of_option(help_text: str = "Only what stood that day (YYYY-MM-DD): actions started, listings live, "
                                  "laws adopted."):
    """``--as-of DATE``."""
    return click.option("--as-of", metavar="DATE", help=help_text)


def jurisdiction_option(f):
    """``--jurisdiction NAME``: this jurisdiction and those inside it."""
    return click.option("--jurisdiction", metavar="NAME",
                        help="Only what is in this jurisdiction or one inside it (e.g. EU, China, id:ireland).")(f)


def type_option(f):
    """``--type CLASS``: a class with its subclasses."""
    return click.option("--type", "type_", metavar="CLASS",
                        help="Only entities of this class or a subclass (e.g. Penalty, Law, RegulatoryAction).")(f)


def echo_json(data) -> None:
    """Print data as indented JSON."""
    from ..views.text import to_json

    click.echo(to_json(data))


def emit(fmt: str, *, data=None, headers=None, rows=None, text=None) -> None:
    """Print one answer in the chosen format.

    Parameters
    ----------
    fmt : str
        ``json`` prints ``data``; ``csv`` prints ``headers`` and ``rows``; ``text`` prints
        ``text`` when given, else ``headers`` and ``rows`` as a table.
    """
    if fmt == "json":
        echo_json(data)
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([neutralise_cell(h) for h in headers])
        writer.writerows([neutralise_cell(c) for c in row] for row in rows)
    elif text is not None:
        echo_text(text)
    elif rows:
        from ..views.text import table

        echo_text(table(headers, rows))


def write_bytes(output, data: bytes) -> None:
    """Write bytes to a file atomically (temporary file, then rename), or to stdout."""
    if not output:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from ..errors import BadInput
    from ..fileio import atomic_write

    try:
        atomic_write(output, data)
    except OSError as exc:
        raise BadInput(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(f"wrote {len(data):,} bytes to {output}", err=True)


def say(message: str) -> None:
    """Say what long work is doing, on a terminal only."""
    if sys.stderr.isatty():
        click.echo(f"{message}...", err=True)


def finish(ctx: click.Context, found: bool, message: str | None = None) -> None:
    """Exit 0 when the answer was found, else say why on stderr and exit 1."""
    if not found:
        if message:
            echo_text(f"techreg: {message}", err=True)
        ctx.exit(1)


def announce(name: str, label: str, curie: str, alternatives: list[dict]) -> None:
    """On stderr: which entity an ambiguous name was taken as, the others, and how to pick one."""
    if not alternatives:
        return
    others = "; ".join(f"{a['label']} ({a['curie']}, {a['classes']})" for a in alternatives)
    echo_text(f"techreg: {name!r} taken as {label} ({curie}); it could also mean: {others}. "
              f"Pick another by its id, e.g. {alternatives[0]['curie']}", err=True)


def coverage_of(store, rows):
    """The coverage scopes an answer rests on (:func:`graph.coverage.answers.answer_coverage`).

    ``rows`` holds, per row of the answer, the IRIs the row names.
    """
    from ..coverage.answers import answer_coverage

    return answer_coverage(store, rows)


def say_coverage(coverage) -> None:
    """On stderr, for text output: the scopes the answer rests on and the rows outside them."""
    echo_text(coverage.text(), err=True)
