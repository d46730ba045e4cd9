"""Readability of every guide: Flesch reading ease, written to REPORT.md beside this file.

The guides are for tired readers, so each must score at least TARGET (plain English;
higher is easier). Scored on what a reader reads as sentences: front matter, headings,
citations, link targets, markup and code are stripped first, and a paragraph or list
item without closing punctuation counts as one sentence. Not a test: the score guides the
writing, and a reviewer reads the report.

    .venv/bin/python benchmarks/readability/run.py
"""

from __future__ import annotations

import datetime
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import textstat
from peerdir.guides import load_pages, plain_text
from peerdir.project import Project

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TARGET = 50.0


@dataclass(frozen=True)
class Score:
    path: str
    title: str
    words: int
    sentences: int
    flesch: float

    @property
    def meets_target(self) -> bool:
        return self.flesch >= TARGET


def sentences(body: str) -> str:
    """The guide's prose, each paragraph and list item ending as a sentence."""
    lines = plain_text(body, headings=False).splitlines()
    return "\n".join(line if line.endswith((".", "?", "!", ":", ";")) else line + "." for line in lines)


def score_guides(project: Project) -> list[Score]:
    pages, problems = load_pages(project, datetime.date.today())
    if problems:
        sys.exit("\n".join(map(str, problems)))
    scores = []
    for page in pages:
        if page.guide is None:
            continue
        text = sentences(page.body)
        scores.append(
            Score(
                path=page.file,
                title=page.guide.title,
                words=textstat.lexicon_count(text),
                sentences=textstat.sentence_count(text),
                flesch=textstat.flesch_reading_ease(text),
            )
        )
    return sorted(scores, key=lambda score: score.flesch)


def report(scores: list[Score]) -> str:
    rows = [
        f"| {s.title} | `{s.path}` | {s.words} | {s.sentences} | {s.words / s.sentences:.1f} | {s.flesch:.1f} | "
        + ("yes" if s.meets_target else "**no**")
        + " |"
        for s in scores
    ]
    verdict = "Every guide meets the target." if all(s.meets_target for s in scores) else "Some guides miss the target: rewrite them."
    return "\n".join(
        [
            "# Readability of the guides",
            "",
            f"Flesch reading ease (textstat {version('textstat')}), target {TARGET:.0f} or above for every guide.",
            "Higher is easier: 60–70 is plain English, 50–60 fairly hard, below 50 hard.",
            "Scored on the prose only: front matter, headings, citations, link targets and markup stripped.",
            "",
            "| guide | file | words | sentences | words per sentence | Flesch | meets target |",
            "| --- | --- | ---: | ---: | ---: | ---: | --- |",
            *rows,
            "",
            verdict,
            "",
            "Regenerate with `.venv/bin/python benchmarks/readability/run.py`.",
            "",
        ]
    )


def main() -> int:
    scores = score_guides(Project(REPO))
    (HERE / "REPORT.md").write_text(report(scores), encoding="utf-8")
    for score in scores:
        print(f"{score.flesch:5.1f}  {score.path}")
    return 0 if all(score.meets_target for score in scores) else 1


if __name__ == "__main__":
    sys.exit(main())
