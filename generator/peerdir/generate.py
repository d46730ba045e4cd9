"""The whole generator in one call: load and check the records, render, write.

Shared by ``peerdir generate`` and the MkDocs hook so the two can never disagree.
"""

from __future__ import annotations

import datetime

from .output import WriteReport, write_pages
from .problems import InvalidInput
from .project import Project
from .records import load_directory
from .render import GENERATED_DIRS, SiteSettings, render_site


def generate(project: Project, today: datetime.date | None = None) -> WriteReport:
    """Write every generated page; raise InvalidInput (nothing written) if any input is wrong."""
    today = today or datetime.date.today()
    directory, problems = load_directory(project, today)
    if problems:
        raise InvalidInput(problems)
    settings = SiteSettings.from_mkdocs(project.site_settings())
    pages = render_site(directory, settings, today)
    return write_pages(project.docs, pages, GENERATED_DIRS)
