"""The honesty checks on the site's own words, kept apart from the tests that run them so
that each check can also be run against a planted mistake.

- ``copied_runs``: eight or more consecutive words of a source's prose. Table cells
  (program names, the Box), reference-list entries and titles of cited works may be quoted.
- ``uncited_figures``: a paragraph, list item or heading of a guide that states a figure
  (a number, a percentage, "twice", "half") without a citation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from peerdir.citations import mask_code
from peerdir.problems import Problem

RUN = 8
SOURCES = ("mja-hand-n-hand-peer-support.txt", "jcjqps-2022-supporting-peer-supporters.txt")

_REFERENCE_ENTRY = re.compile(r"^\s*(?:- )?\d+\.\s")
_FOOTNOTE = re.compile(r"^\s*\*\s")


def words(text: str) -> list[str]:
    """Lower-case words with punctuation, hyphens and apostrophes folded away."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"['’‘`]", "", text)
    return re.findall(r"[^\W_]+", text)


def source_prose(text: str, quotable_titles: Iterable[str]) -> str:
    """The prose of a source: without table cells, footnotes, reference-list entries and
    lines that are the title of a cited work."""
    titles = {tuple(words(title)) for title in quotable_titles}
    kept = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.endswith("|") or _REFERENCE_ENTRY.match(line) or _FOOTNOTE.match(line):
            continue
        if tuple(words(stripped)) in titles:
            continue
        kept.append(line)
    return "\n".join(kept)


def source_runs(prose_texts: Iterable[str]) -> set[tuple[str, ...]]:
    runs: set[tuple[str, ...]] = set()
    for text in prose_texts:
        found = words(text)
        runs.update(tuple(found[i : i + RUN]) for i in range(len(found) - RUN + 1))
    return runs


# What a reader never sees as prose: a citation or a link target between two words must
# not hide a copied run.
_NOT_PROSE = re.compile(r"\[@[^\]\n]*\]|(?<=\])\([^)\n]*\)")


def copied_runs(file: str, text: str, runs: set[tuple[str, ...]]) -> list[Problem]:
    """Every maximal stretch of ``text`` whose every eight-word window is in ``runs``."""
    located: list[tuple[str, int]] = []
    for number, line in enumerate(_NOT_PROSE.sub(" ", text).splitlines(), start=1):
        located += [(word, number) for word in words(line)]
    tokens = [word for word, _ in located]
    hits = [i for i in range(len(tokens) - RUN + 1) if tuple(tokens[i : i + RUN]) in runs]
    found: list[Problem] = []
    for start, end in _stretches(hits):
        found.append(Problem(file, located[start][1], 1, "copied from a source", repr(" ".join(tokens[start : end + RUN]))))
    return found


def _stretches(hits: list[int]) -> Iterator[tuple[int, int]]:
    """Consecutive window starts merged: [3, 4, 5, 9] -> (3, 5), (9, 9)."""
    start = previous = None
    for hit in hits:
        if previous is not None and hit == previous + 1:
            previous = hit
            continue
        if start is not None and previous is not None:
            yield start, previous
        start = previous = hit
    if start is not None and previous is not None:
        yield start, previous


FIGURE = re.compile(
    r"\d|%|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand"
    r"|half|twice|twofold|threefold|percent|dozen|majority|most)\b",
    re.IGNORECASE,
)
_UNIT_START = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+|^#{1,6}\s")
_MARKUP = re.compile(r"\[@[^\]\n]*\]|(?<=\])\([^)\n]*\)|<[^>\n]+>|\{:?[ \t]*[#.][^}\n]*\}")


def uncited_figures(file: str, body: str, first_line: int, allowed: Iterable[str]) -> list[Problem]:
    """Paragraphs, list items and headings that state a figure but cite nothing.
    ``allowed`` are words that contain digits but state no figure (COVID-19)."""
    allowed_words = re.compile("|".join(re.escape(word) for word in sorted(allowed, key=len, reverse=True)) or r"(?!x)x")
    found: list[Problem] = []
    for line, unit in _units(mask_code(body)):
        if "[@" in unit:
            continue
        text = allowed_words.sub(" ", _MARKUP.sub(" ", _UNIT_START.sub("", unit)))
        if FIGURE.search(text):
            found.append(Problem(file, first_line + line, 1, "a figure without a citation", repr(" ".join(unit.split()))))
    return found


def _units(body: str) -> Iterator[tuple[int, str]]:
    """(0-based line, text) of each paragraph, list item and heading."""
    start, lines = 0, []
    for number, line in enumerate(body.splitlines()):
        if not line.strip() or _UNIT_START.match(line):
            if lines:
                yield start, "\n".join(lines)
            start, lines = number, ([line] if line.strip() else [])
            continue
        if not lines:
            start = number
        lines.append(line)
    if lines:
        yield start, "\n".join(lines)


def project_files(root: Path) -> list[Path]:
    """The files whose words must be the project's own: content/ and directory/."""
    return sorted([*(root / "content").rglob("*.md"), *(root / "directory").glob("*.yml")])
