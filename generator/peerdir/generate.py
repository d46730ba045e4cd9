"""The whole generator in one call: load and check the inputs, render, write the docs dir.

The docs dir MkDocs reads (build/docs) is assembled here from the hand-written pages of
content/ and the generated pages, so content/ stays pure source. Shared by
``peerdir generate`` and the MkDocs hook so the two can never disagree.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from .links.cache import CacheError, load_cache
from .links.verified import links_verified
from .output import WriteReport, write_pages
from .problems import InvalidInput, Problem
from .project import Project
from .records import load_directory
from .render import SiteSettings, render_site


def generate(project: Project, today: datetime.date | None = None, links_cache: Path | None = None) -> WriteReport:
    """Write every generated page; raise InvalidInput (nothing written) if any input is wrong.

    The link checker's cache (default: the project's), when present, adds to each program
    page the date its links were last verified.
    """
    today = today or datetime.date.today()
    directory, problems = load_directory(project, today)
    if problems:
        raise InvalidInput(problems)
    settings = SiteSettings.from_mkdocs(project.site_settings())
    cache_file = project.links_cache if links_cache is None else links_cache
    try:
        verified = links_verified(directory, load_cache(cache_file, project.display(cache_file)))
    except CacheError as damaged:
        raise InvalidInput([damaged.problem]) from None
    generated: dict[str, str | bytes] = dict(render_site(directory, settings, today, verified))
    content = {path: source.read_bytes() for path, source in project.content_files().items()}
    clashes = sorted(set(generated) & set(content))
    if clashes:
        raise InvalidInput(
            [Problem(f"content/{path}", 1, 1, "page", "this path is generated; move the hand-written page elsewhere") for path in clashes]
        )
    return write_pages(project.docs, {**content, **generated})
