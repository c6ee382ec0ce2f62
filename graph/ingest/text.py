"""Bounds shared by the import readers: file size, encoding, characters in values, numbers.

Every check names the place it fails as ``FILE:LINE`` or ``FILE:LINE:COLUMN``.
"""

from __future__ import annotations

import codecs
import re
from decimal import Decimal
from pathlib import Path

from ..errors import ParseError

__all__ = ["MAX_FILE_BYTES", "MAX_RECORDS", "MAX_VALUE_CHARS", "MAX_PROBLEMS", "FREE_TEXT_FIELDS", "InputError",
           "read_utf8", "text_problem", "parse_decimal"]

#: Largest import file read (bytes): the bundled fact files are about 130 kB each.
MAX_FILE_BYTES = 16 * 1024 * 1024
#: Most records (CSV rows, YAML list items) in one import file.
MAX_RECORDS = 100_000
#: Longest value (characters) of one field or cell; the csv module's own default limit.
MAX_VALUE_CHARS = 131_072
#: Problems listed before a file is given up on.
MAX_PROBLEMS = 50
#: Fields of free text, where tabs and line breaks are allowed (and folded where stored).
FREE_TEXT_FIELDS = frozenset({"quote", "note", "title"})

# C0 controls but tab and line feed, DEL, C1 controls, and the bidirectional embedding,
# override and isolate controls that make text display in another order than it is stored.
# Unpaired surrogates (a YAML escape can write one) are no text at all.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_BREAKS = re.compile("[\t\n\r\u2028\u2029\u0085]")

# A plain decimal: no infinities, NaNs, hex or underscores; exponents of at most 4 digits.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")
#: Numbers must be below 10**MAX_MAGNITUDE and, if not zero, at least 10**-MAX_MAGNITUDE.
MAX_MAGNITUDE = 21
#: Significant digits a decimal may have (those of Python's default decimal context).
MAX_DIGITS = 28


class InputError(ParseError):
    """A file refused by a reader, at ``FILE:LINE`` or ``FILE:LINE:COLUMN``."""

    def __init__(self, path: str | Path, line: int | None, message: str, column: int | None = None):
        super().__init__(str(path), line, message)
        if line and column:
            self.args = (f"{path}:{line}:{column}: {message}",)
        self.column = column


def read_utf8(path: Path) -> str:
    """Read a text file that must be UTF-8 (a leading byte-order mark is dropped).

    Raises
    ------
    InputError
        If the file is larger than :data:`MAX_FILE_BYTES`, is UTF-16 or UTF-32, holds a NUL
        byte, or is not valid UTF-8 (with the line and column of the first bad byte).
    """
    with path.open("rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(path, None, f"larger than {MAX_FILE_BYTES:,} bytes; split it into smaller files")
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if data.startswith(bom):
            raise InputError(path, 1, f"the file is {name} (it starts with a {name} byte-order mark); save it as UTF-8")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _position(data, nul)
        raise InputError(path, line, "NUL byte: the file is not UTF-8 text (UTF-16 without a byte-order mark?); "
                         "save it as UTF-8", column)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start)
        raise InputError(path, line, f"not UTF-8: byte 0x{data[exc.start]:02x} is not valid here "
                         "(Latin-1 or Windows-1252 text?); save the file as UTF-8", column) from None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (1-based, column in characters where the line decodes) of a byte offset."""
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def text_problem(text: str, free_text: bool = False) -> str | None:
    """What is wrong with a text value, or None if nothing is.

    Parameters
    ----------
    text : str
        The value as read.
    free_text : bool
        A field of running text (:data:`FREE_TEXT_FIELDS`): tabs and line breaks allowed.
    """
    if len(text) > MAX_VALUE_CHARS:
        return f"longer than {MAX_VALUE_CHARS:,} characters"
    bad = _CONTROL.search(text)
    if bad is None and not free_text:
        bad = _BREAKS.search(text)
    if bad is not None:
        return f"control character U+{ord(bad.group()):04X} at character {bad.start() + 1}"
    return None


def parse_decimal(text: str) -> tuple[Decimal | None, str | None]:
    """Read an amount, price or share: ``(number, None)`` or ``(None, why not)``.

    Accepts plain decimals with an optional exponent (``1,234.5``, ``2.5e9``); refuses
    infinities, NaN, numbers of :data:`MAX_MAGNITUDE` or more digits before or after the
    point, and more than :data:`MAX_DIGITS` significant digits.
    """
    plain = text.strip().replace(",", "")
    if len(plain) > 64 or not _NUMBER.fullmatch(plain):
        return None, "is not a number"
    number = Decimal(plain)
    if number.is_zero():
        return number, None
    if not -MAX_MAGNITUDE <= number.adjusted() < MAX_MAGNITUDE:
        return None, f"is out of range (a number from 1e-{MAX_MAGNITUDE} to below 1e{MAX_MAGNITUDE})"
    digits = "".join(map(str, number.as_tuple().digits)).strip("0")
    if len(digits) > MAX_DIGITS:
        return None, f"has more than {MAX_DIGITS} significant digits"
    return number, None
