"""MkDocs hook: run the generator before every build, so plain ``mkdocs build`` and
``mkdocs serve`` work and a saved record reloads the preview; under ``mkdocs serve``, also
index the preview for search, so the search box works there too.

Convenience only: the real build is ``peerdir build`` (generate, any builder that reads
mkdocs.yml, then the Pagefind index; Zensical runs no hooks), so nothing here may do work
the generator or ``peerdir build`` does not. A plain ``mkdocs build`` has no search index.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

# Set by `peerdir build`, which generates the pages itself just before it runs MkDocs:
# generating them twice would cost a large share of the build.
PAGES_READY = "PEERDIR_PAGES_READY"

_serving = False


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_pre_build(config: Any) -> None:
    if os.environ.get(PAGES_READY) == "1":
        return
    # Imported here, so that a build whose pages are ready does not pay for the generator.
    from peerdir.generate import generate
    from peerdir.problems import InvalidInput
    from peerdir.project import Project

    project = Project(Path(config.config_file_path).parent)
    try:
        generate(project)
    except InvalidInput as invalid:
        raise PluginError("invalid input; nothing was generated:\n" + "\n".join(map(str, invalid.problems))) from None


def on_post_build(config: Any) -> None:
    if not _serving:
        return
    from peerdir.search import IndexFailed, index_site

    try:
        index_site(Path(config.site_dir))
    except IndexFailed as failed:
        raise PluginError(f"{failed}; the preview has no search") from None
