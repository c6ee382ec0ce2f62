"""Property tests for the importer: YAML and CSV documents built from valid and hostile
pieces either import (a TriG that parses back) or are refused with FILE:LINE; nothing else.

The number of examples is bounded for CI; a longer run by hand:
``TECHREG_FUZZ_EXAMPLES=2000 PYTHONPATH=$PWD python -m pytest -q tests/test_import_fuzz.py``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from graph.errors import TechregError

EXAMPLES = int(os.environ.get("TECHREG_FUZZ_EXAMPLES", "100"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 100,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

FIELDS = ["id", "type", "label", "label_zh", "aliases", "source", "amount", "currency", "issuer", "target",
          "announced", "company", "exchange", "ticker", "offer_price", "share", "holder", "held", "predicate",
          "subject", "object", "note", "quote", "mic", "qid", "bogus", "<<", "label "]
SECTIONS = ["sources", "entities", "listings", "actions", "stakes", "relations"] * 3 + ["extra"]
KINDS = ["source", "entity", "listing", "action", "stake", "relation", "bogus", ""]

VALID_TEXT = ["fuzz-firm", "fuzz-doc", "Fuzz Firm", "Company", "Penalty", "Exchange", "CNY", "SAMR", "2021-01-01",
              "12.5", "1,000", "0.33", "https://example.org/a", "A publisher", "parentOrganization", "tencent",
              "腾讯", "XNGS"]
HOSTILE_TEXT = ["1e999999999", "1E+99999", ".nan", ".inf", "-.inf", "Infinity", "inf", "NaN", "sNaN", "0x1F", "1_000",
                "1e-999999", "9" * 40, "-0", "", " ", "\x00", "\x1b[31m", "\x85", "\u202e", "\u2066", "\ufeff", "\t",
                "\r\n", "a\nb", "x" * 140_000, "🙂", "é", "%%%", "-"]
YAML_ONLY = ["{a: 1}", "[a, [b]]", "[]", "{}", "~", "null", "&a Fuzz", "*a", "*nowhere", "&b [x, y]", "*b",
             "!!python/object:os.system x", "!!binary aGk=", "!!int 3", "!!str 3", "'unterminated", '"\\0"',
             '"\\x85"', '"\\u202e"', '"\\e"', "|\n      block text", ">-\n      folded", "? complex", "- item", "yes",
             "0700", "%TAG ! x", "@reserved", "`tick", "#comment"]


def yaml_scalar() -> st.SearchStrategy[str]:
    quoted = st.sampled_from(VALID_TEXT + HOSTILE_TEXT).map(lambda s: json.dumps(s, ensure_ascii=False))
    plain = st.sampled_from(VALID_TEXT + HOSTILE_TEXT + YAML_ONLY)
    generated = st.text(max_size=20).map(lambda s: json.dumps(s))
    return st.one_of(plain, quoted, generated)


@st.composite
def yaml_documents(draw) -> str:
    lines = []
    if draw(st.booleans()):
        lines += ["sources:", "  fuzz-doc:", "    publisher: A publisher", "    url: https://example.org/a"]
    if draw(st.integers(0, 9)) == 0:  # an alias bomb in front
        lines += ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)]
    for section in draw(st.lists(st.sampled_from(SECTIONS), max_size=3)):
        lines.append(f"{section}:")
        for _ in range(draw(st.integers(0, 3))):
            fields = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=7))
            for i, name in enumerate(fields):
                lines.append(("  - " if i == 0 else "    ") + f"{name}: {draw(yaml_scalar())}")
    return "\n".join(lines) + "\n"


@st.composite
def csv_documents(draw) -> str:
    header = ["kind", *draw(st.lists(st.sampled_from(FIELDS[:-2]), max_size=8))]
    rows = [header]
    cells = st.sampled_from(VALID_TEXT + HOSTILE_TEXT + ["a;b", 'say "hi"', "x,y", "=1+1"])
    for _ in range(draw(st.integers(0, 4))):
        width = max(1, len(header) + draw(st.sampled_from([0, 0, 0, -1, 1])))
        rows.append([draw(st.sampled_from(KINDS))] + [draw(cells) for _ in range(width - 1)])
    buffer = io.StringIO()
    csv.writer(buffer, quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))).writerows(rows)
    text = buffer.getvalue()
    if draw(st.integers(0, 9)) == 0:  # broken quoting
        text = text.replace('"', "", 1)
    return text


ENCODINGS = st.sampled_from(["utf-8"] * 6 + ["utf-8-sig", "utf-16", "latin-1"])


@pytest.fixture(scope="module")
def empty_store():
    from graph.stores import open_store

    return open_store("empty")


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as directory:
        yield Path(directory)


def _check(store, path: Path) -> None:
    """Import one file: a TriG that parses back, or a refusal naming FILE:LINE."""
    from graph.ingest.importer import import_files

    try:
        result = import_files(store, [path], write_to_store=False)
    except TechregError as exc:
        assert exc.exit_code == 2, str(exc)
        problems = getattr(exc, "problems", None) or [str(exc)]
        place = re.compile(re.escape(str(path)) + r":\d+(:\d+)?(\s\(row \d+\))?: ")
        for problem in problems:
            assert problem == "(more problems not listed)" or place.match(problem), problem
        event(f"refused: {type(exc).__name__}")
        return
    event("imported")
    quads = list(ox.parse(result.trig, format=ox.RdfFormat.TRIG))
    assert len(quads) == result.count


@FUZZ
@given(text=yaml_documents(), encoding=ENCODINGS)
def test_yaml_documents_import_or_are_refused_with_a_place(empty_store, workdir, text, encoding):
    path = workdir / "fuzz.yaml"
    path.write_bytes(text.encode(encoding, errors="replace"))
    _check(empty_store, path)


@FUZZ
@given(text=csv_documents(), encoding=ENCODINGS)
def test_csv_documents_import_or_are_refused_with_a_place(empty_store, workdir, text, encoding):
    path = workdir / "fuzz.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    _check(empty_store, path)
