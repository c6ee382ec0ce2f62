"""Reading YAML import files with bounds: ruamel.yaml's parser events, built into a small
tree that keeps the line and column of every value.

The tree is built from the event stream rather than by a YAML constructor so that each
bound holds before any memory is spent: an alias is a reference to the node built for its
anchor, and the nodes it would expand to are counted (and refused above
:data:`MAX_ALIAS_NODES`) without expanding it. Duplicate keys, tags other than ``!!str``,
merge keys, several documents and recursive aliases are refused. Every scalar is kept as
the text written (a plain ``~``, ``null`` or empty value is no value), so ``0700`` stays a
ticker and ``no`` stays a word; numbers are read from their text by the converter.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .base import ImportError_, Record
from .layout import LIST_FIELDS, SECTIONS
from .text import FREE_TEXT_FIELDS, MAX_PROBLEMS, MAX_RECORDS, InputError, read_utf8, text_problem

__all__ = ["read_yaml", "MAX_ALIAS_NODES", "MAX_NODES", "MAX_DEPTH"]

#: Nodes that all aliases of a file may expand to, together.
MAX_ALIAS_NODES = 100_000
#: Nodes (values, lists, mappings) in one file.
MAX_NODES = 2_000_000
#: Nesting of lists and mappings (the layout needs 4).
MAX_DEPTH = 16

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(eq=False)
class _Node:
    kind: str  # "scalar", "null", "seq" or "map"
    line: int
    column: int
    text: str = ""
    items: list = field(default_factory=list)  # children; (key, value) pairs once a map is complete
    size: int = 1  # nodes in its full expansion, aliases included


class _Builder:
    """Turns parser events into :class:`_Node` trees, refusing what is out of bounds."""

    def __init__(self, path: Path):
        self.path = path
        self.anchors: dict[str, _Node] = {}
        self.open: list[tuple[_Node, str | None]] = []
        self.root: _Node | None = None
        self.documents = 0
        self.nodes = 0
        self.expanded = 0

    def refuse(self, mark, message: str):
        raise InputError(self.path, mark.line + 1, message, mark.column + 1)

    def add(self, node: _Node, event) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.refuse(event.start_mark, f"more than {MAX_NODES:,} values in one file")
        if self.open:
            self.open[-1][0].items.append(node)
        else:
            self.root = node

    def check_tag(self, event, allowed: str) -> None:
        if event.tag not in (None, "!", allowed):
            self.refuse(event.start_mark, f"tag {event.tag!r} is not allowed in an import file (values are text)")

    def event(self, event) -> None:
        name = type(event).__name__
        mark = event.start_mark
        if name == "DocumentStartEvent":
            self.documents += 1
            if self.documents > 1:
                self.refuse(mark, "several YAML documents in one file; put each in a file of its own")
        elif name == "ScalarEvent":
            self.check_tag(event, _STR)
            plain = event.style is None and event.tag is None
            kind = "null" if plain and event.value in _NULLS else "scalar"
            node = _Node(kind, mark.line + 1, mark.column + 1, text=event.value)
            self.add(node, event)
            self.anchor(event, node)
        elif name in ("MappingStartEvent", "SequenceStartEvent"):
            self.check_tag(event, _MAP if name == "MappingStartEvent" else _SEQ)
            if len(self.open) >= MAX_DEPTH:
                self.refuse(mark, f"lists and mappings nested more than {MAX_DEPTH} deep")
            node = _Node("map" if name == "MappingStartEvent" else "seq", mark.line + 1, mark.column + 1)
            self.add(node, event)
            self.open.append((node, event.anchor))
        elif name in ("MappingEndEvent", "SequenceEndEvent"):
            node, anchor = self.open.pop()
            node.size = 1 + sum(child.size for child in node.items)
            if node.kind == "map":
                node.items = self.pairs(node)
            if anchor is not None:
                self.anchors[anchor] = node
        elif name == "AliasEvent":
            if any(anchor == event.anchor for _, anchor in self.open):
                self.refuse(mark, f"alias *{event.anchor} refers to a node that contains it")
            target = self.anchors.get(event.anchor)
            if target is None:
                self.refuse(mark, f"alias *{event.anchor} names no anchor defined before it")
            self.expanded += target.size
            if self.expanded > MAX_ALIAS_NODES:
                self.refuse(mark, f"aliases expand to more than {MAX_ALIAS_NODES:,} values (an alias bomb?)")
            self.add(target, event)

    def anchor(self, event, node: _Node) -> None:
        if event.anchor is not None:
            self.anchors[event.anchor] = node

    def pairs(self, node: _Node) -> list[tuple[_Node, _Node]]:
        children = node.items
        pairs = list(zip(children[0::2], children[1::2]))
        seen: dict[str, _Node] = {}
        for key, _ in pairs:
            if key.kind != "scalar":
                raise InputError(self.path, key.line, "a key must be plain text", key.column)
            if key.text == "<<":
                raise InputError(self.path, key.line, "merge keys (<<) are not supported; write the fields out",
                                 key.column)
            first = seen.setdefault(key.text, key)
            if first is not key:
                raise InputError(self.path, key.line, f"duplicate key {key.text!r} (first at line {first.line})",
                                 key.column)
        return pairs


def _parse(path: Path, text: str) -> _Node | None:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    builder = _Builder(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for event in YAML(typ="safe", pure=True).parse(text):
                builder.event(event)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part) or "not valid YAML"
        raise InputError(path, mark.line + 1 if mark else None, message, mark.column + 1 if mark else None) from None
    except ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise InputError(path, line, f"character U+{exc.character:04X} is not allowed in YAML"
                         if isinstance(exc.character, int) else str(exc.reason), column) from None
    except YAMLError as exc:
        raise InputError(path, None, f"not valid YAML: {exc}") from None
    return builder.root


class _Fields:
    """Records' fields as plain text (lists of text for list fields), problems collected."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[str] = []

    def problem(self, node: _Node, message: str) -> None:
        self.problems.append(f"{self.path}:{node.line}:{node.column}: {message}")
        if len(self.problems) >= MAX_PROBLEMS:
            raise ImportError_(self.problems + ["(more problems not listed)"])

    def text(self, node: _Node, name: str) -> str | None:
        if node.kind != "scalar":
            what = {"map": "a mapping", "seq": "a list", "null": "no value"}[node.kind]
            self.problem(node, f"{name}: expected text, not {what}")
            return None
        problem = text_problem(node.text, free_text=name in FREE_TEXT_FIELDS)
        if problem:
            self.problem(node, f"{name}: {problem}")
            return None
        return node.text

    def fields(self, node: _Node) -> dict:
        out: dict = {}
        for key, value in node.items:
            name = self.text(key, "field name")
            if name is None or value.kind == "null":
                continue
            if value.kind == "seq" and name in LIST_FIELDS:
                items = [self.text(item, name) for item in value.items]
                out[name] = [item for item in items if item is not None]
            elif value.kind == "seq":
                self.problem(value, f"{name}: expected one value, not a list")
            else:
                text = self.text(value, name)
                if text is not None:
                    out[name] = text
        return out


def read_yaml(path: Path) -> list:
    """Read the records of a YAML import file.

    Returns
    -------
    list of graph.ingest.records.Record

    Raises
    ------
    InputError
        The first problem that stops the reading (encoding, syntax, a bound), with its place.
    graph.ingest.records.ImportError_
        Every value of the wrong kind (a list or mapping where text belongs, control
        characters), with its place.
    """
    root = _parse(path, read_utf8(path))
    if root is None or root.kind == "null":
        return []
    if root.kind != "map":
        raise InputError(path, root.line, "expected a mapping with sections " + ", ".join(SECTIONS), root.column)
    reader = _Fields(path)
    records: list[Record] = []
    for key, body in root.items:
        section = key.text
        if section not in SECTIONS:
            raise InputError(path, key.line, f"unknown section {section!r} (expected one of {', '.join(SECTIONS)})",
                             key.column)
        if body.kind == "null":
            continue
        if section == "sources" and body.kind == "map":
            for slug, fields in body.items:
                if fields.kind != "map":
                    reader.problem(fields, f"source {slug.text!r} must be a mapping")
                    continue
                name = reader.text(slug, "source id")
                if name is not None:
                    records.append(Record("sources", {"id": name, **reader.fields(fields)}, str(path), fields.line))
        elif body.kind != "seq":
            raise InputError(path, body.line, f"section {section!r} must be a list of records", body.column)
        else:
            for item in body.items:
                if item.kind != "map":
                    reader.problem(item, f"every record in {section!r} must be a mapping")
                    continue
                records.append(Record(section, reader.fields(item), str(path), item.line))
        if len(records) > MAX_RECORDS:
            raise InputError(path, key.line, f"more than {MAX_RECORDS:,} records in one file; split it")
    if reader.problems:
        raise ImportError_(reader.problems)
    return records
