"""Fonts for static pictures: which installed family draws Chinese text.

Both static renderers use it: the matplotlib timelines (:mod:`.timeline_svg`) and the
Graphviz views (:mod:`.static`). Debian's ``fonts-noto-cjk`` provides Noto Sans CJK.
"""

from __future__ import annotations

__all__ = ["CJK_FAMILIES", "LATIN_FAMILY", "cjk_font", "font_list"]

#: Font families with Chinese glyphs, the preferred first.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK JP", "Noto Sans CJK KR",
                "Noto Sans CJK HK", "Noto Serif CJK SC", "WenQuanYi Zen Hei", "Droid Sans Fallback")
#: The family for Latin text.
LATIN_FAMILY = "DejaVu Sans"


def cjk_font() -> str | None:
    """The name of an installed font family with Chinese glyphs, or ``None``.

    Returns
    -------
    str or None
        The first of :data:`CJK_FAMILIES` that matplotlib's font manager knows.
    """
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FAMILIES if n in names), None)


def font_list() -> str:
    """A comma-separated font list for Graphviz and SVG: the installed CJK family (the
    preferred one when none is found, for viewers that have it), then Latin, then any
    sans-serif."""
    try:
        cjk = cjk_font()
    except ImportError:
        cjk = None
    return f"{cjk or CJK_FAMILIES[0]},{LATIN_FAMILY},sans-serif"
