"""Which label to show: English, Chinese, or both (``--lang en|zh|en,zh``)."""

from __future__ import annotations

from ..errors import BadInput

__all__ = ["LANGS", "parse_lang", "choose_label", "has_cjk"]

#: The accepted values of ``--lang``.
LANGS = ("en", "zh", "en,zh", "zh,en")


def parse_lang(value: str | None) -> tuple[str, ...]:
    """Turn ``--lang`` into the languages wanted, in order of preference.

    Parameters
    ----------
    value : str or None
        ``en``, ``zh``, ``en,zh`` or ``zh,en``; ``None`` means English.

    Returns
    -------
    tuple of str

    Raises
    ------
    BadInput
        Any other value.
    """
    if value is None or value == "":
        return ("en",)
    parts = tuple(p.strip().lower() for p in str(value).split(",") if p.strip())
    if not parts or any(p not in ("en", "zh") for p in parts) or len(set(parts)) != len(parts):
        raise BadInput(f"--lang: {value!r} is not one of {', '.join(LANGS)}")
    return parts


def choose_label(en: str | None, zh: str | None, lang=("en",), joiner: str = " / ") -> str:
    """The label to show for one node in the chosen languages.

    Parameters
    ----------
    en, zh : str or None
        The English and the Chinese label (either may be missing).
    lang : tuple of str or str
        As returned by :func:`parse_lang` (a string is parsed first).
    joiner : str
        Between the two labels when both languages are wanted and both exist.

    Returns
    -------
    str
        With ``("zh",)`` the Chinese label, else the English one; with two languages both
        (in that order) when they exist, else whichever exists.
    """
    if isinstance(lang, str):
        lang = parse_lang(lang)
    by = {"en": en or None, "zh": zh or None}
    wanted = [by[code] for code in lang if by[code]]
    if not wanted:
        return en or zh or ""
    if len(lang) == 1:
        return wanted[0]
    return joiner.join(dict.fromkeys(wanted))


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a CJK ideograph or kana (needs a CJK font to draw)."""
    return any("\u3000" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"
               for ch in text)
