"""Errors the library raises; the CLI maps them to exit codes.

``BadInput`` (exit 2) means the request itself is wrong: an unknown name, a malformed
file, a bad date. ``NegativeAnswer`` (exit 1) means a valid request whose answer is no:
no path, validation failed.
"""

__all__ = ["TechregError", "BadInput", "UnknownName", "AmbiguousName", "ParseError", "NegativeAnswer"]


class TechregError(Exception):
    """Base class of every error techreg reports to a user."""

    exit_code = 2


class BadInput(TechregError):
    """The request cannot be carried out as given (exit code 2)."""

    exit_code = 2


class UnknownName(BadInput):
    """A name that matches no entity; carries the nearest names as suggestions."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        msg = f"no entity named {name!r}"
        if suggestions:
            msg += "; did you mean: " + ", ".join(repr(s) for s in suggestions) + "?"
        super().__init__(msg)


class AmbiguousName(BadInput):
    """A name that matches several entities equally well."""

    def __init__(self, name: str, candidates: list[tuple[str, str, str]]):
        self.name = name
        self.candidates = candidates  # (curie, label, classes)
        lines = [f"{name!r} is ambiguous; it could be:"]
        lines += [f"  {curie}  {label}  ({classes})" for curie, label, classes in candidates]
        lines.append("Name one by its id, e.g. " + candidates[0][0])
        super().__init__("\n".join(lines))


class ParseError(BadInput):
    """A data file that cannot be parsed; names the file and line."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


class NegativeAnswer(TechregError):
    """A valid request whose answer is negative (exit code 1)."""

    exit_code = 1
