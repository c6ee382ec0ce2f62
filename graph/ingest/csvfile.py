"""Reading CSV import files with bounds: UTF-8 (with or without a byte-order mark), a
header naming each column once, every row as long as the header, cells and rows limited."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .base import ImportError_, Record
from .layout import LIST_FIELDS
from .text import FREE_TEXT_FIELDS, MAX_PROBLEMS, MAX_RECORDS, MAX_VALUE_CHARS, InputError, read_utf8, text_problem

__all__ = ["read_csv", "KIND_TO_SECTION"]

KIND_TO_SECTION = {"source": "sources", "entity": "entities", "listing": "listings", "action": "actions",
                   "stake": "stakes", "relation": "relations", "share": "shares"}


def _rows(path: Path, text: str):
    """``(first line, row)`` for every non-blank row; csv errors become :class:`InputError`."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    consumed = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            message = str(exc)
            if "field larger than field limit" in message:
                message = f"a cell is longer than {min(csv.field_size_limit(), MAX_VALUE_CHARS):,} characters"
            raise InputError(path, reader.line_num, f"not valid CSV: {message}") from None
        start, consumed = consumed + 1, reader.line_num
        if row:
            yield start, row


def read_csv(path: Path) -> list:
    """Read the records of a CSV import file (a ``kind`` column and one column per field).

    Returns
    -------
    list of graph.ingest.records.Record

    Raises
    ------
    InputError
        A file that is not UTF-8, not valid CSV, has a bad header or too many rows.
    graph.ingest.records.ImportError_
        Every row of the wrong length, unknown kind or bad cell, with its line.
    """
    rows = _rows(path, read_utf8(path))
    first = next(rows, None)
    if first is None:
        raise InputError(path, 1, "empty file: the header needs a 'kind' column")
    line, header = first
    for number, name in enumerate(header, start=1):
        problem = text_problem(name)
        if problem or not name.strip():
            raise InputError(path, line, f"column {number} of the header: {problem or 'no name'}")
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise InputError(path, line, f"the header names column(s) {', '.join(map(repr, duplicates))} more than once")
    if "kind" not in header:
        raise InputError(path, line, "the header needs a 'kind' column (source, entity, listing, action, stake, relation, share)")
    problems: list[str] = []
    records = []
    for rowno, (line, row) in enumerate(rows, start=2):
        where = f"{path}:{line}" if line == rowno else f"{path}:{line} (row {rowno})"

        def problem(message: str) -> None:
            problems.append(f"{where}: {message}")
            if len(problems) >= MAX_PROBLEMS:
                raise ImportError_(problems + ["(more problems not listed)"])

        if rowno - 1 > MAX_RECORDS:
            raise InputError(path, line, f"more than {MAX_RECORDS:,} rows in one file; split it")
        if len(row) != len(header):
            problem(f"{len(row)} cells where the header has {len(header)} (cells must line up with the header)")
            continue
        cells = dict(zip(header, row))
        if not any(value.strip() for value in row):
            continue
        kind = cells.pop("kind").strip()
        section = KIND_TO_SECTION.get(kind)
        if not section:
            problem(f"unknown kind {kind!r} (expected source, entity, listing, action, stake, relation or share)")
            continue
        fields: dict = {}
        for key, value in cells.items():
            value = value.strip()
            if not value:
                continue
            bad = text_problem(value, free_text=key in FREE_TEXT_FIELDS)
            if bad:
                problem(f"{key}: {bad}")
                continue
            fields[key] = [v.strip() for v in value.split(";") if v.strip()] if key in LIST_FIELDS else value
        records.append(Record(section, fields, str(path), line, where=where))
    if problems:
        raise ImportError_(problems)
    return records
