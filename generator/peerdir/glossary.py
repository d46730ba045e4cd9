"""The abbreviations glossary (data/abbreviations.yml).

Tired readers should never meet an unexplained abbreviation: every page gets the glossary
appended as Python-Markdown ``abbr`` definitions, which the theme shows on hover and
screen readers announce, and a guide that uses an abbreviation the glossary lacks fails
validation. The glossary is appended by the generator because Material's usual way
(pymdownx.snippets' auto-append) can read any file and stays switched off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .problems import Problem
from .yamlfile import YamlProblem, read_yaml

# What a reader would take for an abbreviation: two capitals or more at the start of a
# word ("GP", "COVID-19", "NHS"); "Hand-n-Hand" and "McDermott" are names, not abbreviations.
ABBREVIATION = re.compile(r"(?<![\w-])[A-Z]{2,}[A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?![\w-])")
_PLAIN = re.compile(r"[^\n<>\[\]*]+")


def load_glossary(path: Path, display: str) -> tuple[dict[str, str] | None, list[Problem]]:
    """Abbreviation -> what it stands for; None (with problems) when the file is wrong."""
    try:
        doc = read_yaml(path, display)
    except YamlProblem as error:
        return None, [error.problem]
    problems: list[Problem] = []
    for key, meaning in doc.data.items():
        if not ABBREVIATION.fullmatch(key):
            problems.append(doc.problem((key,), f"'{key}' does not look like an abbreviation (two capitals or more)", key=True))
        if not isinstance(meaning, str) or not _PLAIN.fullmatch(meaning.strip()):
            problems.append(doc.problem((key,), "the meaning is one line of plain text (no <, >, [, ] or *)"))
    return (None if problems else {key: meaning.strip() for key, meaning in doc.data.items()}), problems


def abbreviations(text: str) -> Iterator[re.Match[str]]:
    """Every word of ``text`` a reader would take for an abbreviation."""
    return ABBREVIATION.finditer(text)
