"""MkDocs hook: run the generator before every build, so plain ``mkdocs build`` and
``mkdocs serve`` work and a saved record reloads the preview; under ``mkdocs serve``, also
index the preview for search, so the search box works there too.

Convenience only: the real build is ``peerdir build`` (generate, any builder that reads
mkdocs.yml, then the Pagefind index; Zensical runs no hooks), so nothing here may do work
the generator or ``peerdir build`` does not. A plain ``mkdocs build`` has no search index.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

# Set by `peerdir build`, which generates the pages itself just before it runs MkDocs:
# generating them twice would cost a large share of the build.
PAGES_READY = "PEERDIR_PAGES_READY"

log = logging.getLogger("mkdocs.hooks.peerdir")
_serving = False
_indexing: threading.Thread | None = None


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Stop watching the docs dir: every file in it is written by ``generate`` (below) from
    the sources mkdocs.yml's ``watch:`` lists, so a change there is this hook's own, and
    watching it made every save build the site twice."""
    server.unwatch(config.docs_dir)
    return server


def on_pre_build(config: Any) -> None:
    _finish_indexing()  # the preview's last index is complete before its pages change again
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
    """Under ``mkdocs serve``, index the preview for search while the browser already
    shows the saved change: indexing every page takes longer than the rebuild itself."""
    global _indexing
    if not _serving:
        return
    _indexing = threading.Thread(target=_index, args=(Path(config.site_dir),), name="peerdir-search-index", daemon=True)
    _indexing.start()


def on_shutdown() -> None:
    _finish_indexing()


def _index(site: Path) -> None:
    from peerdir.search import IndexFailed, index_site

    try:
        index_site(site)
    except IndexFailed as failed:
        log.warning(f"{failed}; the preview's search is out of date")


def _finish_indexing() -> None:
    if _indexing is not None:
        _indexing.join()
