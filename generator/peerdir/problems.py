"""The one shape every complaint about the input takes, so the CLI, the MkDocs hook
and a pull request's annotations all say the same thing in the same place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong with an input file, located to the line and column (1-based)."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.field}: {self.message}"

    def as_github(self, level: str = "error") -> str:
        """A GitHub Actions workflow command (error, warning or notice), shown inline on the pull request's diff."""
        message = _escape_github(f"{self.field}: {self.message}")
        file = _escape_github_property(self.file)
        title = _escape_github_property(self.field)
        return f"::{level} file={file},line={self.line},col={self.column},title={title}::{message}"


class InvalidInput(Exception):
    """Raised by the edges (CLI, hook) when the input has problems; carries all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _escape_github(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_github_property(text: str) -> str:
    return _escape_github(text).replace(":", "%3A").replace(",", "%2C")
