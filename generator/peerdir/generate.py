"""The whole generator in one call: load and check the inputs, render, write the docs dir.

The docs dir MkDocs reads (build/docs) is assembled here from the hand-written pages of
content/ (Markdown pages with their citations resolved) and the generated pages, so
content/ stays pure source. Shared by ``peerdir generate``, ``peerdir validate`` and the
MkDocs hook so the three can never disagree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from .glossary import load_glossary
from .guides import Guide, Page, check_page, load_pages
from .links.cache import CacheError, load_cache
from .links.verified import links_verified
from .output import WriteReport, remove_stale, write_changed
from .parallel import map_sharing
from .problems import InvalidInput, Problem
from .project import Project
from .records import Directory, load_directory
from .references import unused_references
from .render import Part, SiteInputs, SiteSettings, compile_templates, is_generated, render_content_page, render_part, site_parts


@dataclass(frozen=True)
class Inputs:
    """Everything the site is made from, checked."""

    directory: Directory
    pages: tuple[Page, ...]
    glossary: dict[str, str]

    @property
    def guides(self) -> tuple[Guide, ...]:
        return tuple(page.guide for page in self.pages if page.guide)


def load_inputs(project: Project, today: datetime.date) -> tuple[Inputs, list[Problem]]:
    """Records, pages and glossary with every problem found in them; the problems list
    is empty only when all is valid."""
    directory, problems = load_directory(project, today)
    references_display = project.display(project.references_file)
    references_loaded = not any(problem.file == references_display for problem in problems)
    records_valid = not problems
    glossary, glossary_problems = load_glossary(project.glossary_file, project.display(project.glossary_file))
    pages, page_problems = load_pages(project, today)
    problems += glossary_problems + page_problems
    for page in pages:
        problems += check_page(page, set(directory.references) if references_loaded else None, glossary)
    if records_valid:
        # Only when every record loaded: an invalid record's citations would be missed.
        cited = {key for page in pages for key in page.citations.in_order()}
        cited |= {source.ref for program in directory.programs for source in program.sources}
        cited |= {key for program in directory.programs for key in program.evaluation.references}
        problems += unused_references(directory.references, cited, references_display)
    return Inputs(directory, tuple(pages), glossary or {}), sorted(set(problems))


def generate(project: Project, today: datetime.date | None = None, links_cache: Path | None = None) -> WriteReport:
    """Write every generated page; raise InvalidInput (nothing written) if any input is wrong.

    The link checker's cache (default: the project's), when present, adds to each program
    page the date its links were last verified.
    """
    today = today or datetime.date.today()
    inputs, problems = load_inputs(project, today)
    if problems:
        raise InvalidInput(problems)
    settings = SiteSettings.from_mkdocs(project.site_settings())
    cache_file = project.links_cache if links_cache is None else links_cache
    try:
        verified = links_verified(inputs.directory, load_cache(cache_file, project.display(cache_file)))
    except CacheError as damaged:
        raise InvalidInput([damaged.problem]) from None
    content: dict[str, str | bytes] = {path: source.read_bytes() for path, source in project.content_files().items()}
    content.update(
        {page.path: render_content_page(page, inputs.directory.references, inputs.glossary) for page in inputs.pages if page.rewritten}
    )
    clashes = sorted(path for path in content if is_generated(path))
    if clashes:
        raise InvalidInput(
            [Problem(f"content/{path}", 1, 1, "page", "this path is generated; move the hand-written page elsewhere") for path in clashes]
        )
    site = SiteInputs(inputs.directory, settings, today, inputs.guides, verified)
    report = write_changed(project.docs, content)
    compile_templates()
    for part in map_sharing(_render_and_write, (site, project.docs), site_parts(site), len(site.directory.programs), one_at_a_time=True):
        report.add(part)
    remove_stale(project.docs, report)
    return report


def _render_and_write(shared: tuple[SiteInputs, Path], part: Part) -> WriteReport:
    """One share of the generated pages, written by the process that rendered it: tens of
    megabytes of pages at scale never travel between processes."""
    site, docs = shared
    return write_changed(docs, render_part(site, part))
