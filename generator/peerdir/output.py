"""Writing generated pages into the docs dir without disturbing anything else.

Only files whose content changed are rewritten (so ``mkdocs serve`` does not rebuild in
a loop, and timestamps mean something); files the generator no longer produces are
removed from the folders it owns; every write is atomic (temporary file, then rename).
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


def write_pages(docs_dir: Path, pages: dict[str, str], owned_dirs: tuple[str, ...]) -> WriteReport:
    report = WriteReport()
    for relative, text in sorted(pages.items()):
        if relative.split("/", 1)[0] not in owned_dirs:
            raise ValueError(f"generated page {relative} is outside the generated folders {owned_dirs}")
        target = docs_dir / relative
        data = text.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            report.unchanged += 1
            continue
        write_atomically(target, data)
        report.written.append(relative)
    for folder in owned_dirs:
        root = docs_dir / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*"), reverse=True):
            relative = path.relative_to(docs_dir).as_posix()
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
