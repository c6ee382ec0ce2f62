"""The named query library: ``.rq`` files whose leading comments say what they answer.

A library query is a ``.rq`` file whose leading comment lines say what it answers::

    # Which exchanges list firms whose platforms the CAC reviewed in July 2021?
    # param regulator (entity, default id:cac): the reviewing authority

:func:`load_query` is the one way a query is read, whether given inline, as ``@file``,
as a path or by library name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import resources
from ..errors import BadInput

__all__ = ["Param", "LibraryQuery", "library", "library_dir", "load_query"]

_PARAM_LINE = re.compile(r"^#\s*param\s+\??(\w+)\s*(?:\(([^)]*)\))?\s*:?\s*(.*)$", re.I)
_KINDS = {"entity", "date", "string", "number", "iri", "class"}


@dataclass
class Param:
    """A declared parameter of a library query."""

    name: str
    kind: str = "string"
    default: str | None = None
    description: str = ""


@dataclass
class LibraryQuery:
    """A named query of the library: its question, parameters and text."""

    name: str
    path: Path
    question: str
    params: list[Param]
    text: str


def _parse_header(name: str, path: Path, text: str) -> LibraryQuery:
    question_lines, params = [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _PARAM_LINE.match(line)
        if m:
            pname, spec, desc = m.group(1), m.group(2) or "", m.group(3).strip()
            kind, default = "string", None
            for part in (p.strip() for p in spec.split(",") if p.strip()):
                if part.lower().startswith("default"):
                    default = part.split(None, 1)[1].strip() if " " in part else None
                elif part.lower() in _KINDS:
                    kind = part.lower()
            params.append(Param(pname, kind, default, desc))
        elif not params:
            question_lines.append(line.lstrip("#").strip())
    return LibraryQuery(name, path, " ".join(q for q in question_lines if q), params, text)


def library_dir() -> Path:
    """The folder of the library's ``.rq`` files."""
    return resources.queries_dir()


def library() -> dict[str, LibraryQuery]:
    """Return the named queries of the library, by name (the file name without ``.rq``)."""
    out = {}
    for path in sorted(resources.queries_dir().glob("*.rq")):
        out[path.stem] = _parse_header(path.stem, path, path.read_text(encoding="utf-8"))
    return out


def load_query(spec: str) -> tuple[str, LibraryQuery | None]:
    """Find the text of a query given inline, as ``@file``, as a path or by library name.

    Returns
    -------
    (str, LibraryQuery or None)
        The query text and, for a library or file query, its parsed header.
    """
    text = spec.strip()
    plain = "{" not in text and "\n" not in text
    if text.startswith("@") or (plain and (text.endswith(".rq") or Path(text).expanduser().is_file())):
        path = Path(text[1:] if text.startswith("@") else text).expanduser()
        if not path.is_file():
            raise BadInput(f"no query file {path}")
        try:
            body = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInput(f"cannot read query file {path}: {exc}") from None
        return body, _parse_header(path.stem, path, body)
    if re.fullmatch(r"[\w-]+", text):
        queries = library()
        if text in queries:
            return queries[text].text, queries[text]
        import difflib

        close = difflib.get_close_matches(text, list(queries), n=3, cutoff=0.5)
        hint = f"; did you mean: {', '.join(close)}?" if close else "; see techreg query --list"
        raise BadInput(f"no library query named {text!r}{hint}")
    return spec, None
