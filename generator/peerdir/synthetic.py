"""Seeded synthetic records, for measuring the site at sizes the real directory has not reached.

Benchmarks and tests need thousands of valid programs; real ones cannot be invented. These
are plainly fake (example.org addresses, no phone numbers or emails at all), pass every
check the real records pass, and are written only into a throw-away tree: never into a
checkout's own directory/.
"""

from __future__ import annotations

import datetime
import random
from pathlib import Path
from typing import Any

import yaml

from . import schema

SCHEMA_LINE = "# yaml-language-server: $schema=../generator/peerdir/schema/program.schema.json\n"
# The one reference every synthetic record cites (it exists in data/references.yml).
SOURCE = "mja-handnhand"
# Countries with crisis numbers in data/crisis-lines.yml, and their regions in the schema.
_COUNTRIES = ("AU", "NZ", "GB", "US", "NL")

_ADJECTIVES = ("Steady", "Open", "Quiet", "Shared", "Kind", "Clear", "Bright", "Common", "Gentle", "Strong", "Calm", "Honest")
_NOUNS = ("Harbour", "Bridge", "Circle", "Lantern", "Compass", "Anchor", "Haven", "Table", "Path", "Garden", "Crew", "Link")
_KINDS = ("Peer Support", "Peer Line", "Listening Service", "Colleague Network", "Peer Circle", "Support Program")
# Sentences for the text fields, drawn in varied numbers so that pages differ in length as
# real ones do (purpose at most 3 sentences, support at most 6, under the schema's limits).
_SENTENCES = (
    "A synthetic program that exists only to measure how the site behaves at scale.",
    "Trained colleagues listen without judging and help the caller think through what comes next.",
    "Sessions are arranged within a few days of a request, at a time that suits a shift worker.",
    "Groups meet after difficult events on the ward, led by two peers from the same discipline.",
    "Volunteers complete a short course in listening skills, boundaries and when to refer onwards.",
    "Members can talk about workload, conflict, mistakes, grief or anything else weighing on them.",
    "Described here only so that the page has a realistic length and varied words for search.",
    "Students and early-career staff are matched with a peer a few years ahead of them.",
)


class NotAThrowAwayTree(Exception):
    """Refused to write synthetic records into a real checkout."""


def synthetic_record(index: int, rng: random.Random, today: datetime.date) -> dict[str, Any]:
    """One valid record; ``index`` makes its id, name and website unique."""
    vocab = schema.vocabularies()
    record_id = f"synthetic-{index:05d}"
    countries = rng.sample(_COUNTRIES, k=rng.choice((1, 1, 1, 2)))
    regions = [rng.choice([code for code in vocab["region"].labels if code.split("-")[0] == country]) for country in countries]
    reviewed = today - datetime.timedelta(days=rng.randrange(0, 800))
    status = rng.choices(("active", "unverified", "paused", "closed"), weights=(70, 20, 5, 5))[0]
    record: dict[str, Any] = {
        "id": record_id,
        "name": f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} {rng.choice(_KINDS)} {index}",
        "organisation": {"name": f"Synthetic Health Network {index % 97}"},
        "purpose": " ".join([_SENTENCES[0], *rng.sample(_SENTENCES[1:], k=rng.randint(0, 2))]),
        "support": " ".join(rng.sample(_SENTENCES[1:], k=rng.randint(1, 6))),
        "professions": _some(rng, vocab["profession"].labels, 3),
        "regions": regions,
        "delivery": _some(rng, vocab["delivery"].labels, 3),
        "access": _some(rng, vocab["access"].labels, 3),
        "format": _some(rng, vocab["format"].labels, 2),
        "evaluation": {"status": rng.choice(list(vocab["evaluation_status"].labels))},
        "contact": {"website": f"https://example.org/synthetic/{record_id}"},
        "sources": [{"ref": SOURCE, "locator": "synthetic"}],
        "added": (reviewed - datetime.timedelta(days=rng.randrange(0, 400))).isoformat(),
        "last_reviewed": reviewed.isoformat(),
        "status": status,
    }
    if rng.random() < 0.5:
        record["more_help"] = "Colleagues who need more are referred to clinical services."
    if status != "active":
        record["status_note"] = "Synthetic status, for measuring how marked listings look."
    return record


def _some(rng: random.Random, labels: dict[str, str], most: int) -> list[str]:
    return rng.sample(list(labels), k=rng.randint(1, most))


def write_synthetic_directory(directory: Path, count: int, seed: int, today: datetime.date) -> list[Path]:
    """Add ``count`` synthetic records to ``directory`` (of a throw-away tree). The real records
    stay: the guides link to them, and a strict build fails on a broken link."""
    if (directory.parent / ".git").exists():
        raise NotAThrowAwayTree(f"{directory} belongs to a git checkout; write synthetic records into a copy")
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    written = []
    for index in range(1, count + 1):
        record = synthetic_record(index, rng, today)
        path = directory / f"{record['id']}.yml"
        path.write_text(SCHEMA_LINE + yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")
        written.append(path)
    return written
