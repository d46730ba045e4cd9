"""The run told to people (text, a Markdown issue body), to programs (JSON) and to GitHub
(annotations on the very line that publishes a dead address).

The Markdown report is grouped by listing, because a maintainer fixes a listing, not a
URL: "Listening Friends — contact website — 404 Not Found since 2026-11-01".
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..problems import Problem
from .classify import Status
from .collect import Origin
from .observation import Observation
from .run import LinkResult, Outcome

# The order of importance, and what each section means to a maintainer.
SECTIONS = {
    Status.BROKEN: "Failing in runs at least 24 hours apart (or malformed): fix or remove these addresses.",
    Status.SUSPECT: "Failing in this run only: checked again next run, reported as broken if still failing a day or more later.",
    Status.REDIRECTED: "Moved permanently: update the record to the new address.",
    Status.BLOCKED: "The host refuses robots (bot wall or rate limit); the page may well work for people. Check by hand now and then.",
    Status.SKIPPED: "Not checked.",
}
ANNOTATION_LEVEL = {Status.BROKEN: "error", Status.SUSPECT: "warning", Status.REDIRECTED: "warning", Status.BLOCKED: "notice"}


def render(outcome: Outcome, output_format: str) -> str:
    renderers: dict[str, Callable[[Outcome], str]] = {"text": text, "markdown": markdown, "json": as_json, "github": github}
    return renderers[output_format](outcome)


def counts(outcome: Outcome) -> str:
    parts = [f"{outcome.count(status)} {status.value}" for status in (*SECTIONS, Status.OK)]
    cached = sum(result.from_cache for result in outcome.results)
    return f"{', '.join(parts)} ({outcome.asked} checked now, {cached} recently verified and not asked again)"


def _problem_line(result: LinkResult) -> str:
    since = f" since {result.since.date().isoformat()}" if result.since else ""
    return f"{result.summary}{since}"


def text(outcome: Outcome) -> str:
    lines: list[str] = []
    for status in SECTIONS:
        for result in (r for r in outcome.results if r.status is status):
            lines.append(f"{status.value:<10} {result.url} — {_problem_line(result)}")
            lines += [f"{'':<10}   {origin.file}:{origin.line} {_where(origin)}" for origin in result.origins]
    lines.append(f"Links: {counts(outcome)}.")
    return "\n".join(lines) + "\n"


def _where(origin: Origin) -> str:
    return f"{origin.listing_name} — {origin.label}" if origin.listing else origin.label


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def markdown(outcome: Outcome) -> str:
    lines = [f"## Link check of {outcome.started.date().isoformat()}", "", f"{counts(outcome)}."]
    for status, meaning in SECTIONS.items():
        results = [result for result in outcome.results if result.status is status]
        if not results:
            continue
        lines += ["", f"### {status.value.capitalize()} ({len(results)})", "", meaning, ""]
        for group, entries in _by_listing(results).items():
            lines += [f"#### {_md(group)}", ""]
            for origin, result in entries:
                lines.append(f"- {_md(origin.place)} — {_md(_problem_line(result))} — <{result.url}>  ")
                lines.append(f"  `{origin.file}` line {origin.line}")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _by_listing(results: list[LinkResult]) -> dict[str, list[tuple[Origin, LinkResult]]]:
    """Listings by name first, then the other places (pages, bibliography, the built site)."""
    groups: dict[tuple[int, str], list[tuple[Origin, LinkResult]]] = {}
    for result in results:
        for origin in result.origins:
            key = (0, origin.listing_name) if origin.listing else (1, "Pages, bibliography and site")
            groups.setdefault(key, []).append((origin, result))
    return {name: sorted(entries, key=lambda pair: pair[0]) for (_, name), entries in sorted(groups.items())}


def as_json(outcome: Outcome) -> str:
    data: dict[str, Any] = {
        "started": outcome.started.isoformat(),
        "counts": {status.value: outcome.count(status) for status in Status},
        "asked": outcome.asked,
        "links": [
            {
                "url": result.url,
                "status": result.status.value,
                "summary": result.summary,
                "target": result.target,
                "since": result.since.isoformat() if result.since else None,
                "checked": result.checked.isoformat() if result.checked else None,
                "from_cache": result.from_cache,
                "origins": [
                    {"file": o.file, "line": o.line, "field": o.field, "label": o.label, "listing": o.listing or None}
                    for o in result.origins
                ],
            }
            for result in outcome.results
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def github(outcome: Outcome) -> str:
    lines = []
    for result in outcome.results:
        level = ANNOTATION_LEVEL.get(result.status)
        if level is None:
            continue
        for origin in result.origins:
            problem = Problem(
                origin.file, origin.line, 1, f"{result.status.value} link", f"{_where(origin)}: {result.url} — {_problem_line(result)}"
            )
            lines.append(problem.as_github(level))
    lines.append(f"Links: {counts(outcome)}.")
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def progress(console: Console, total: int) -> Iterator[Callable[[Observation], None]]:
    """A progress bar while addresses are asked, shown only on a terminal (never in logs)."""
    if not console.is_terminal or total == 0:
        yield lambda observation: None
        return
    columns = (TextColumn("checking links"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("links", total=total)
        yield lambda observation: bar.advance(task)
