"""A tokenizer for SPARQL 1.1 queries that follows the grammar's terminals (section 19.8).

It exists for the safety gate (:mod:`.safety`): the gate decides on tokens, not on
masked text, so escapes (``\\'`` and ``\\#`` in local names, ``\\u`` in IRIs and strings)
cannot make it read a query differently from the engine. Whatever it cannot read is an
error (:class:`LexError`), which the gate turns into a refusal.

Two readings of ``\\u`` escapes exist: Oxigraph 0.5 decodes them inside strings and IRIs
only, while the SPARQL 1.1 text (section 19.2) and other engines decode them anywhere
before parsing. :func:`readings` gives both when they differ, so the gate can refuse what
either would see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Token", "LexError", "tokenize", "readings", "unescape_codepoints", "VARNAME", "line_col"]

_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_UCHAR = r"(?:\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})"
_ECHAR = r"""(?:\\[tbnrf"'\\])"""

#: SPARQL's VARNAME rule (the name of a variable, without ``?`` or ``$``).
VARNAME = re.compile(f"[{_U}0-9][{_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*")
_PN_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_PN_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"

_TOKEN = re.compile(
    "|".join([
        r"(?P<ws>[ \t\r\n]+)",
        r"(?P<comment>#[^\r\n]*)",
        rf"(?P<long1>'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}|{_UCHAR}))*''')",
        rf'(?P<long2>"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}|{_UCHAR}))*""")',
        rf"(?P<str1>'(?:[^'\\\n\r]|{_ECHAR}|{_UCHAR})*')",
        rf'(?P<str2>"(?:[^"\\\n\r]|{_ECHAR}|{_UCHAR})*")',
        rf"(?P<var>[?$]{VARNAME.pattern})",
        f"(?P<bnode>_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)",
        f"(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)",
        r"(?P<number>(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+"
        r"|[0-9]*\.[0-9]+|[0-9]+))",
        r"(?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?)",
        r"(?P<word>[A-Za-z][A-Za-z0-9_]*)",
        r"(?P<punct>\^\^|<<|>>|\{\||\|\}|&&|\|\||!=|<=|>=|[{}()\[\].,;*+\-/!=<>|^?~])",
    ])
)
_IRIREF = re.compile(rf'<((?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*)>')
_UCHAR_RE = re.compile(_UCHAR)
_PLX_ESC = re.compile(r"\\(.)")

#: Tokens after which a ``<`` inside an expression is the less-than operator.
_OPERAND_END = {"var", "iri", "pname", "long1", "long2", "str1", "str2", "number", "langtag", "bnode"}


@dataclass(frozen=True)
class Token:
    """One terminal of the query.

    ``kind`` is ``iri``, ``pname``, ``var``, ``bnode``, ``word`` (a keyword or function
    name), ``number``, ``langtag``, ``punct`` or a string kind (``str1``, ``str2``,
    ``long1``, ``long2``). ``value`` is the decoded IRI (``\\u`` escapes resolved) for
    ``iri``, the upper-cased word for ``word`` (``a`` stays ``a``), the local name with
    its ``\\`` escapes removed for ``pname`` (as ``prefix:local``), else the text.
    """

    kind: str
    text: str
    pos: int
    value: str


class LexError(Exception):
    """The text is not made of SPARQL terminals; ``pos`` is the offset where reading stopped."""

    def __init__(self, message: str, pos: int):
        super().__init__(message)
        self.pos = pos


def line_col(text: str, pos: int) -> tuple[int, int]:
    """Return the 1-based line and column of an offset (lines end at LF, CR or CRLF)."""
    before = text[:pos].replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n") + 1
    return line, len(before) - (before.rfind("\n") + 1) + 1


def _decode_uchars(text: str) -> str:
    return _UCHAR_RE.sub(lambda m: chr(int(m.group(0)[2:], 16)), text)


def tokenize(text: str) -> list[Token]:
    """Split a query into SPARQL terminals, dropping whitespace and comments.

    A ``<`` inside parentheses that follows an operand is the less-than operator for the
    engine; where it could also open an IRI holding a quote, a ``#`` or a backslash, the
    two readings would split the rest of the text differently, so that is an error too.

    Raises
    ------
    LexError
        Where the text has something that is not a SPARQL terminal: an unterminated
        string or IRI, a stray backslash, a character outside the grammar.
    """
    tokens: list[Token] = []
    pos, end = 0, len(text)
    parens: list[str] = []  # "expr" or "data" (rows of a VALUES block)
    braces: list[str] = []  # "values" or "group"
    values_pending = False
    while pos < end:
        ch = text[pos]
        if ch == "<" and not text.startswith("<<", pos):
            iri = _IRIREF.match(text, pos)
            prev = tokens[-1] if tokens else None
            in_expr = bool(parens) and parens[-1] == "expr"
            after_operand = prev is not None and (prev.kind in _OPERAND_END or prev.text in (")", "]")
                                                  or prev.value in ("TRUE", "FALSE"))
            if iri and not (in_expr and after_operand):
                tokens.append(Token("iri", iri.group(0), pos, _decode_uchars(iri.group(1))))
                pos = iri.end()
                continue
            if iri and re.search(r"['#\\]", iri.group(1)):
                raise LexError("'<' could be an IRI or the less-than operator here; add spaces around "
                               "the operator", pos)
        m = _TOKEN.match(text, pos)
        if not m:
            if ch in "'\"":
                raise LexError("unterminated string (or a bad escape in it)", pos)
            if ch == "<":
                raise LexError("unterminated or malformed IRI", pos)
            if ch == "\\":
                raise LexError("a backslash outside a string, IRI or local name", pos)
            raise LexError(f"unexpected character {ch!r}", pos)
        kind = m.lastgroup
        tok = m.group(0)
        if kind in ("str1", "str2") and tok in ("''", '""') and text.startswith(tok[0] * 3, pos):
            raise LexError("unterminated long string", pos)
        pos = m.end()
        if kind in ("ws", "comment"):
            continue
        value = tok
        if kind == "word":
            value = tok if tok == "a" else tok.upper()
            if value == "VALUES":
                values_pending = True
        elif kind == "pname":
            value = _PLX_ESC.sub(r"\1", tok)
        elif kind == "punct":
            if tok == "{":
                braces.append("values" if values_pending else "group")
                values_pending = False
            elif tok == "}" and braces:
                braces.pop()
            elif tok == "(":
                parens.append("data" if braces and braces[-1] == "values" else "expr")
            elif tok == ")" and parens:
                parens.pop()
        tokens.append(Token(kind, tok, m.start(), value))
    return tokens


def unescape_codepoints(text: str) -> str:
    """Decode ``\\uXXXX`` and ``\\UXXXXXXXX`` anywhere in the text, as SPARQL 1.1 section
    19.2 says and as Oxigraph's optional standard escaping does (same algorithm: a
    backslash before the escape does not protect it)."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in "uU":
            width = 4 if text[i + 1] == "u" else 8
            digits = text[i + 2:i + 2 + width]
            if len(digits) == width and re.fullmatch(r"[0-9A-Fa-f]+", digits):
                code = int(digits, 16)
                if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                    out.append(chr(code))
                    i += 2 + width
                    continue
        out.append(c)
        i += 1
    return "".join(out)


def readings(text: str) -> list[str]:
    """The texts an engine may parse: the query as written and, when it holds ``\\u``
    escapes, the query with them decoded everywhere."""
    if "\\u" in text or "\\U" in text:
        decoded = unescape_codepoints(text)
        if decoded != text:
            return [text, decoded]
    return [text]
