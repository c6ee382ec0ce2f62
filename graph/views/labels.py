"""Node labels for views: the full name (in the chosen languages) wrapped over lines, never
cut, and for actions, listings and stakes a last line with the date and the amount."""

from __future__ import annotations

import textwrap

from ..model.iris import RDFS_LABEL as _RDFS_LABEL
from ..model.iris import TR_NS as _TR

__all__ = ["WRAP", "wrap_label", "node_label", "event_line", "unwrap"]

#: Characters per line of a node label (CJK characters count double).
WRAP = 24


def _width(text: str) -> int:
    from ..lookup.lang import has_cjk

    return sum(2 if has_cjk(ch) else 1 for ch in text)


def wrap_label(text: str, width: int = WRAP) -> str:
    """Wrap a label over lines of about ``width`` characters without dropping any character.

    Words are never broken; a run of Chinese characters (no spaces) is cut into pieces
    of ``width / 2`` characters. Joining the lines with spaces (or nothing, inside a
    Chinese run) gives the label back: see :func:`unwrap`.
    """
    text = " ".join(str(text).split())
    if _width(text) <= width:
        return text
    lines: list[str] = []
    for line in textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False):
        while _width(line) > width and " " not in line:
            cut = _cjk_cut(line, width)
            if cut is None:
                break
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return "\n".join(lines)


def _cjk_cut(line: str, width: int):
    """Where to break a spaceless line: the last place within ``width`` between two CJK
    characters (so that :func:`unwrap` joins them back without a space), or ``None``."""
    from ..lookup.lang import has_cjk

    used, best = 0, None
    for i, ch in enumerate(line):
        used += _width(ch)
        if used > width:
            break
        if 0 < i + 1 < len(line) and has_cjk(ch) and has_cjk(line[i + 1]):
            best = i + 1
    return best


def unwrap(label: str) -> str:
    """The label :func:`wrap_label` wrapped, as one line again."""
    from ..lookup.lang import has_cjk

    out = ""
    for line in label.split("\n"):
        if out and not (has_cjk(out[-1]) and has_cjk(line[:1])):
            out += " "
        out += line
    return out


def _amount(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    return f"{int(number):,}" if number.is_integer() else f"{number:,.2f}"


def event_line(dates: dict, facts) -> str:
    """``2021-07-02 · CNY 8,026,000,000``: when an event began (and ended), and its amount."""
    from ..model.dates import START_DATES

    start = next((dates[p] for p in START_DATES if dates.get(p)), None)
    end = dates.get("endDate") or dates.get("delistingDate")
    when = ""
    if start and end and end > start:
        when = f"{start} – {end}"
    elif start or end:
        when = start or f"until {end}"
    values = {p[len(_TR):]: v for p, v, _ in facts if p.startswith(_TR)}
    amount = ""
    if values.get("amount"):
        amount = (values.get("currency", "") + " " + _amount(values["amount"])).strip()
    return " · ".join(part for part in (when, amount) if part)


def node_label(attrs: dict, facts, lang=("en",), event: bool = False, converted: str = "") -> tuple[str, str]:
    """The label drawn on a node and the full one-line name it wraps.

    Parameters
    ----------
    attrs : dict
        The node's attributes in the view graph (``label``, ``dates``).
    facts : list of (predicate, value, language)
        Its literal facts (for the Chinese label, the amount and the currency).
    lang : tuple of str
        As :func:`graph.lookup.lang.parse_lang` returns.
    event : bool
        Add the date and amount line (actions, listings, stakes).
    converted : str
        The amount converted (``≈ USD 1.19bn, 2022 avg.``, from
        :func:`graph.answers.amounts.conversion_text`): a line of its own, in brackets,
        under the amount.

    Returns
    -------
    (str, str)
        The drawn label (lines joined by ``\\n``) and the full name.
    """
    from ..lookup.lang import choose_label

    zh = next((v for p, v, lg in facts if p == _RDFS_LABEL and lg and lg.lower().startswith("zh")), None)
    full = choose_label(attrs.get("label"), zh, lang) or attrs.get("label") or ""
    drawn = wrap_label(full)
    if event:
        extra = event_line(attrs.get("dates") or {}, facts)
        if extra:
            drawn += "\n" + extra
        if extra and converted:
            drawn += f"\n({converted})"
    return drawn, full
