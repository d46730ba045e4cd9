"""Writing the docs dir, which the generator owns outright.

Only files whose content changed are rewritten (so ``mkdocs serve`` does not rebuild in
a loop, and timestamps mean something); files no longer produced are removed; every
write is atomic (temporary file, then rename).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class WriteReport:
    """Paths inside the docs dir: rewritten, left as they were, removed as no longer made."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def add(self, other: WriteReport) -> None:
        self.written += other.written
        self.unchanged += other.unchanged
        self.removed += other.removed


def write_changed(docs_dir: Path, pages: Mapping[str, str | bytes]) -> WriteReport:
    """Write each of ``pages`` (docs-relative path -> text or bytes) whose file differs.

    Several processes may write their own pages into one docs dir at once. (Paths are
    plain strings here: at thousands of pages, pathlib's objects cost more than the writes.)
    """
    report = WriteReport()
    made: set[str] = set()
    for relative, content in sorted(pages.items()):
        target = os.path.join(docs_dir, relative)
        data = content.encode("utf-8") if isinstance(content, str) else content
        if _holds(target, data):
            report.unchanged.append(relative)
            continue
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        _replace(target, data)
        report.written.append(relative)
    return report


def _holds(path: str, data: bytes) -> bool:
    """Whether the file at ``path`` holds exactly ``data`` (its size tells first, cheaply)."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


def remove_stale(docs_dir: Path, report: WriteReport) -> None:
    """Remove the files of ``docs_dir`` that ``report`` did not write or keep, then the
    folders left empty; each removal is added to the report."""
    if not docs_dir.is_dir():
        return
    kept = {*report.written, *report.unchanged}
    for folder, folders, files in os.walk(docs_dir, topdown=False):
        base = Path(folder).relative_to(docs_dir).as_posix()
        for name in sorted(files, reverse=True):
            relative = name if base == "." else f"{base}/{name}"
            if name.startswith(".") or relative in kept:
                continue  # .gitkeep and editors' files are not ours to remove
            os.unlink(os.path.join(folder, name))
            report.removed.append(relative)
        for name in folders:
            path = os.path.join(folder, name)
            if not name.startswith(".") and not os.listdir(path):
                os.rmdir(path)


def write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    _replace(target, data)


def _replace(target: str | Path, data: bytes) -> None:
    """Write ``data`` beside ``target`` under a name of this process's own, then rename it
    into place: a reader sees the old file or the new one, never half of one."""
    folder, name = os.path.split(target)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "xb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
