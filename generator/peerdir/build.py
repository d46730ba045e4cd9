"""The real build: generate, run the site builder into a fresh folder, index it for
search, then swap it in.

A failed or interrupted build never touches the published folder: the builder and the
search indexer write into a temporary sibling, and only a complete, indexed build replaces
the old one, in one atomic rename exchange where the kernel offers it (Linux renameat2),
else two renames.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .generate import generate
from .project import Project
from .search import PAGEFIND, IndexFailed, index_site

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class BuildFailed(Exception):
    """The site builder exited non-zero; its output was already shown."""


def build_site(project: Project, site_dir: Path, *, strict: bool = True, indexer: Sequence[str] = PAGEFIND) -> None:
    """Generate the pages, build with MkDocs into a temporary folder, index it with
    ``indexer`` (Pagefind), swap it into ``site_dir``."""
    generate(project)
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-build-", dir=site_dir.parent))
    try:
        command = [sys.executable, "-m", "mkdocs", "build", "--clean", "--site-dir", str(staging)]
        if strict:
            command.append("--strict")
        # The pages were generated just now: the MkDocs hook (generator/mkdocs_hook.py) need
        # not generate them again.
        environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PEERDIR_PAGES_READY": "1"}
        finished = subprocess.run(command, cwd=project.root, env=environment, check=False)
        if finished.returncode != 0:
            raise BuildFailed(f"mkdocs build exited with {finished.returncode}; {site_dir} was left as it was")
        try:
            index_site(staging, indexer)
        except IndexFailed as failed:
            raise BuildFailed(f"{failed}; {site_dir} was left as it was") from None
        swap_into_place(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def swap_into_place(new: Path, target: Path) -> None:
    """Put ``new`` at ``target``; afterwards ``new`` holds the old contents (or nothing)."""
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        return
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    os.rename(target, old)
    os.rename(new, target)
    os.rename(old, new)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with renameat2(RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)  # the C library this process runs on
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)
