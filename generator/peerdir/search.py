"""The site's search index: Pagefind run over a finished site folder.

Pagefind reads the built HTML, not MkDocs, so any builder that writes the same pages
(MkDocs today, Zensical tomorrow) gets the same index, and the index is a step of the real
build (``build.py``), not a plugin. It writes ``pagefind/``: a small entry file, then index
chunks and page fragments a visitor's browser fetches only for the words they search, where
Material's search downloads the whole directory first.

What is indexed is decided in the theme: ``data-pagefind-body`` on each page's article
(``theme/main.html``; navigation, header, footer and the urgent-help banner stay out),
``data-pagefind-weight`` from a page's ``search: boost`` front matter, and
``data-pagefind-ignore`` on the directory's filters and listing.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

# The pinned ``pagefind[bin]`` wheel (requirements.txt) runs as a module of this Python.
PAGEFIND: tuple[str, ...] = (sys.executable, "-m", "pagefind")
# Where the index goes, relative to the site; theme/assets/search.js imports it from there.
BUNDLE_DIR = "pagefind"


class IndexFailed(Exception):
    """Pagefind exited non-zero; its output was already shown."""


def index_site(site: Path, command: Sequence[str] = PAGEFIND) -> None:
    """Write the Pagefind index of the built site in ``site`` into ``site/pagefind/``."""
    finished = subprocess.run(
        [*command, "--site", str(site), "--output-subdir", BUNDLE_DIR, "--quiet"],
        check=False,
    )
    if finished.returncode != 0:
        raise IndexFailed(f"pagefind exited with {finished.returncode}")
