"""What the import readers produce: records with their place, and the error listing
every problem found in a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import BadInput

__all__ = ["Record", "ImportError_"]


@dataclass
class Record:
    """One record of an import file: its section, fields and where it stands."""

    section: str
    fields: dict[str, Any]
    path: str
    line: int
    where: str = field(default="")

    def locate(self) -> str:
        return self.where or f"{self.path}:{self.line}"


class ImportError_(BadInput):
    """Problems found in an import file; lists every problem with its row or line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s), nothing written:\n" + "\n".join("  " + p for p in problems))
