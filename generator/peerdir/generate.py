"""The whole generator in one call: load and check the inputs, render, write the docs dir.

The docs dir MkDocs reads (build/docs) is assembled here from the hand-written pages of
content/ and the generated pages, so content/ stays pure source. Shared by
``peerdir generate`` and the MkDocs hook so the two can never disagree.
"""

from __future__ import annotations

import datetime

from .output import WriteReport, write_pages
from .problems import InvalidInput, Problem
from .project import Project
from .records import load_directory
from .render import SiteSettings, render_site


def generate(project: Project, today: datetime.date | None = None) -> WriteReport:
    """Write every generated page; raise InvalidInput (nothing written) if any input is wrong."""
    today = today or datetime.date.today()
    directory, problems = load_directory(project, today)
    if problems:
        raise InvalidInput(problems)
    settings = SiteSettings.from_mkdocs(project.site_settings())
    generated: dict[str, str | bytes] = dict(render_site(directory, settings, today))
    content = {path: source.read_bytes() for path, source in project.content_files().items()}
    clashes = sorted(set(generated) & set(content))
    if clashes:
        raise InvalidInput(
            [Problem(f"content/{path}", 1, 1, "page", "this path is generated; move the hand-written page elsewhere") for path in clashes]
        )
    return write_pages(project.docs, {**content, **generated})
