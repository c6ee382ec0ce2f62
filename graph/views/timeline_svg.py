"""A timeline as a static picture (SVG or PNG) drawn with matplotlib.

One lane per regulator (or jurisdiction); each action a diamond at its date with its date,
type, full label (wrapped, never cut) and amount; actions that lasted get a bar to their end;
listings, delistings and laws taking effect are dashed lines across every lane, named in a
band at the top. Labels in a lane are packed into rows so that none overlaps another.

SVG keeps text as text (``svg.fonttype = 'none'``), so the file can be searched and its
labels stay sharp. Chinese labels need a CJK font: Noto Sans CJK from Debian's
``fonts-noto-cjk`` is found through matplotlib's font manager.
"""

from __future__ import annotations

import io
import os
import textwrap

from ..errors import BadInput
from .fonts import LATIN_FAMILY, cjk_font

__all__ = ["render_timeline_image", "write_timeline_image", "cjk_font", "FORMATS"]

#: The static formats.
FORMATS = ("svg", "png")

_WRAP = 30          # characters per label line
_FONT = 8.0         # points
_LINE = _FONT * 1.3  # points per text line
_WIDTH_IN = 16.0
_KIND_COLOURS = ("#e8590c", "#1971c2", "#c92a2a", "#2b8a3e", "#862e9c", "#f08c00", "#0b7285", "#5f3dc4",
                 "#a61e4d", "#495057")
_REF_STYLE = {"listing": ("#0ca678", "--"), "delisting": ("#c92a2a", "--"), "law": ("#b08900", "-."),
              "law-adopted": ("#b08900", ":")}


def _lines(mark) -> list[str]:
    head = f"{mark.date.isoformat()}" + (f" – {mark.end.isoformat()}" if mark.end else "") + f"  {mark.kind}"
    lines = [head] + textwrap.wrap(mark.label, _WRAP, break_long_words=False, break_on_hyphens=False)
    if mark.amount:
        lines.append(mark.amount)
    if mark.converted:
        lines.append(f"({mark.converted})")
    return lines


def _pack(items, width_days):
    """Greedy rows: each item (start day, width in days) goes in the first row it fits."""
    rows_end: list[float] = []
    placed = []
    for start, width in items:
        for r, end in enumerate(rows_end):
            if start >= end:
                rows_end[r] = start + width
                placed.append(r)
                break
        else:
            rows_end.append(start + width)
            placed.append(len(rows_end) - 1)
    return placed, max(1, len(rows_end))


def render_timeline_image(picture, fmt: str = "svg") -> bytes:
    """Draw a :class:`~graph.views.timeline_data.TimelinePicture` as SVG or PNG bytes.

    Parameters
    ----------
    picture : TimelinePicture
    fmt : {"svg", "png"}

    Returns
    -------
    bytes

    Raises
    ------
    BadInput
        An unknown format, matplotlib missing, or Chinese labels with no CJK font installed.
    """
    if fmt not in FORMATS:
        raise BadInput(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    try:
        import matplotlib
        from matplotlib import dates as mdates
        from matplotlib.figure import Figure
    except ImportError:
        raise BadInput("pictures need matplotlib: pip install matplotlib") from None
    from ..lookup.lang import has_cjk

    texts = [picture.title] + picture.lanes + [m.label for m in picture.marks] + [r.label for r in picture.refs]
    families = [LATIN_FAMILY]
    if any(has_cjk(t) for t in texts):
        cjk = cjk_font()
        if cjk is None:
            raise BadInput("the labels hold Chinese text but no font with Chinese glyphs is installed: install "
                           "Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk), or use --lang en")
        families.append(cjk)

    first, last = picture.span()
    pad = max(3, (last - first).days * 0.02)
    x0 = mdates.date2num(first) - pad
    x1 = mdates.date2num(last) + pad + 0.18 * max(30, (last - first).days)  # room for the last labels
    axes_in = _WIDTH_IN - 2.6
    days_per_pt = (x1 - x0) / (axes_in * 72)

    def width_days(lines):
        return (max(len(s) for s in lines) * _FONT * 0.56 + 10) * days_per_pt

    # Reference band: labels packed in rows above the lanes.
    ref_items = [(mdates.date2num(r.date), width_days(textwrap.wrap(r.label, _WRAP + 10))) for r in picture.refs]
    ref_rows, ref_nrows = _pack(ref_items, None) if picture.refs else ([], 0)
    ref_lines_max = max((len(textwrap.wrap(r.label, _WRAP + 10)) for r in picture.refs), default=1)
    ref_row_h = (ref_lines_max + 1.6) * _LINE  # the date line, the label lines, a gap

    # Lanes: marks packed in rows, each row as tall as its tallest label.
    lane_layout = []
    for lane in picture.lanes:
        marks = [m for m in picture.marks if m.lane == lane]
        items = [(mdates.date2num(m.date), width_days(_lines(m))) for m in marks]
        rows, nrows = _pack(items, None)
        heights = [0.0] * nrows
        for m, r in zip(marks, rows):
            heights[r] = max(heights[r], (len(_lines(m)) + 0.7) * _LINE)
        lane_layout.append((lane, marks, rows, heights))

    total_pt = sum(sum(h) for *_, h in lane_layout) + ref_nrows * ref_row_h + 6 * len(lane_layout) + 8
    height_in = total_pt / 72 + 1.4

    rc = {"svg.fonttype": "none", "font.family": families, "font.size": _FONT, "svg.hashsalt": "techreg",
          "path.simplify": True}
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(_WIDTH_IN, height_in), dpi=110)
        ax = fig.add_axes((2.3 / _WIDTH_IN, 0.55 / height_in, axes_in / _WIDTH_IN, (height_in - 1.25) / height_in))
        ax.set_xlim(x0, x1)
        ax.set_ylim(total_pt, 0)
        kinds = sorted({m.kind for m in picture.marks})
        colour = {k: _KIND_COLOURS[i % len(_KIND_COLOURS)] for i, k in enumerate(kinds)}

        y = 4.0
        for r, row in zip(picture.refs, ref_rows):
            c, style = _REF_STYLE.get(r.kind, ("#868e96", "--"))
            ax.axvline(mdates.date2num(r.date), color=c, linestyle=style, linewidth=1.1, zorder=1)
            ax.text(mdates.date2num(r.date) + 2 * days_per_pt, y + row * ref_row_h,
                    f"{r.date.isoformat()}\n" + "\n".join(textwrap.wrap(r.label, _WRAP + 10)),
                    va="top", ha="left", color=c, fontsize=_FONT, zorder=4,
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1})
        y += ref_nrows * ref_row_h
        ticks, tick_labels = [], []
        for i, (lane, marks, rows, heights) in enumerate(lane_layout):
            top = y
            if i % 2 == 0:
                ax.axhspan(top, top + sum(heights) + 6, color="#f1f3f5", zorder=0, linewidth=0)
            ax.axhline(top, color="#adb5bd", linewidth=0.6, zorder=0)
            offsets = [top + 4 + sum(heights[:k]) for k in range(len(heights))]
            for m, r in zip(marks, rows):
                my = offsets[r] + 0.5 * _LINE
                mx = mdates.date2num(m.date)
                if m.end:
                    ax.plot([mx, mdates.date2num(m.end)], [my, my], color=colour[m.kind], linewidth=2.2, alpha=0.35,
                            solid_capstyle="butt", zorder=2)
                ax.plot([mx], [my], marker="D", markersize=6, color=colour[m.kind], markeredgecolor="#212529",
                        markeredgewidth=0.6, zorder=3)
                lines = _lines(m)
                ax.text(mx + 5 * days_per_pt, offsets[r], lines[0], va="top", ha="left", fontsize=_FONT,
                        fontweight="bold", color=colour[m.kind], zorder=4)
                ax.text(mx + 5 * days_per_pt, offsets[r] + _LINE, "\n".join(lines[1:]), va="top", ha="left",
                        fontsize=_FONT, color="#212529", zorder=4, linespacing=1.25)
            y = top + sum(heights) + 6
            ticks.append((top + y) / 2)
            tick_labels.append("\n".join(textwrap.wrap(lane, 24, break_long_words=False)))
        ax.set_yticks(ticks, tick_labels, fontsize=_FONT + 1)
        ax.tick_params(axis="y", length=0)
        locator = mdates.AutoDateLocator(minticks=6, maxticks=16)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.grid(axis="x", color="#dee2e6", linewidth=0.5, zorder=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        lane_word = "regulator" if picture.lane_kind == "regulator" else "jurisdiction"
        fig.suptitle("\n".join(textwrap.wrap(picture.title, 150)) or " ", x=0.01, y=1 - 0.12 / height_in, ha="left", va="top", fontsize=12,
                     fontweight="bold")
        fig.text(0.01, 1 - 0.42 / height_in, f"One lane per {lane_word}; ◆ an action (bar: how long it lasted); "
                 "dashed lines: listings (green), delistings (red); dash-dot: laws taking effect",
                 ha="left", va="top", fontsize=_FONT, color="#495057")
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return buf.getvalue()


def write_timeline_image(picture, output, fmt: str | None = None) -> str:
    """Draw a timeline and write it atomically; the format comes from ``fmt`` or the file's suffix.

    Returns
    -------
    str
        The format written.
    """
    from ..fileio import atomic_write
    from .page import check_writable

    fmt = fmt or os.fspath(output).rsplit(".", 1)[-1].lower()
    check_writable(output)
    data = render_timeline_image(picture, fmt)
    try:
        atomic_write(output, data)
    except OSError as exc:
        raise BadInput(f"cannot write {os.fspath(output)}: {exc.strerror or exc}") from None
    from .page import share_mode

    share_mode(output)
    return fmt
