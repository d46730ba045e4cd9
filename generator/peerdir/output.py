"""Writing the docs dir, which the generator owns outright.

Only files whose content changed are rewritten (so ``mkdocs serve`` does not rebuild in
a loop, and timestamps mean something); files no longer produced are removed; every
write is atomic (temporary file, then rename).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def write_pages(docs_dir: Path, pages: dict[str, str | bytes]) -> WriteReport:
    """Make ``docs_dir`` hold exactly ``pages`` (docs-relative path -> text or bytes)."""
    report = WriteReport()
    for relative, content in sorted(pages.items()):
        target = docs_dir / relative
        data = content.encode("utf-8") if isinstance(content, str) else content
        if target.is_file() and target.read_bytes() == data:
            report.unchanged += 1
            continue
        write_atomically(target, data)
        report.written.append(relative)
    if docs_dir.is_dir():
        for path in sorted(docs_dir.rglob("*"), reverse=True):
            relative = path.relative_to(docs_dir).as_posix()
            if path.name.startswith("."):
                continue  # .gitkeep and editors' files are not ours to remove
            if path.is_file() and relative not in pages:
                path.unlink()
                report.removed.append(relative)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return report


def write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
