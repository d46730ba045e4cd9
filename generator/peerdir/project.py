"""Where things live in a checkout, so every command can run on another tree (--root)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# Relative to the root; mkdocs.yml's docs_dir must say the same (a test checks).
DOCS_DIR = "build/docs"


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def directory(self) -> Path:
        """One YAML record per program."""
        return self.root / "directory"

    @property
    def content(self) -> Path:
        """Hand-written pages and guides: the source, never written by the generator."""
        return self.root / "content"

    @property
    def docs(self) -> Path:
        """MkDocs' docs_dir, entirely generated (git-ignored): content plus generated pages."""
        return self.root / DOCS_DIR

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def references_file(self) -> Path:
        return self.data / "references.yml"

    @property
    def glossary_file(self) -> Path:
        return self.data / "abbreviations.yml"

    @property
    def crisis_file(self) -> Path:
        return self.data / "crisis-lines.yml"

    @property
    def mkdocs_file(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def links_config(self) -> Path:
        """What the link checker leaves alone or accepts, each with a reason."""
        return self.root / "links.yml"

    @property
    def links_cache(self) -> Path:
        """The link checker's memory across runs (git-ignored; the workflow carries it over)."""
        return self.root / ".cache" / "links.json"

    def display(self, path: Path) -> str:
        """A path as a maintainer would type it: relative to the root when inside it."""
        if path.is_relative_to(self.root):  # the usual case, and the cheapest: thousands of records
            return path.relative_to(self.root).as_posix()
        if path.absolute().is_relative_to(self.root.absolute()):
            return path.absolute().relative_to(self.root.absolute()).as_posix()
        if path.resolve().is_relative_to(self.root.resolve()):
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        return path.as_posix()

    def record_files(self) -> list[Path]:
        return sorted(self.directory.glob("*.yml"), key=lambda path: path.name)

    def content_files(self) -> dict[str, Path]:
        """Every hand-written file under content/, keyed by its path in the docs dir."""
        return {
            path.relative_to(self.content).as_posix(): path
            for path in sorted(self.content.rglob("*"))
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(self.content).parts)
        }

    def site_settings(self) -> dict[str, Any]:
        """site_url, repo_url and site_name from mkdocs.yml (tags such as !!python/name are skipped)."""
        if not self.mkdocs_file.exists():
            return {}
        loaded = yaml.load(self.mkdocs_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)
        return loaded if isinstance(loaded, dict) else {}


class _TolerantLoader(yaml.SafeLoader):
    pass


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
