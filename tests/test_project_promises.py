"""The promises the README and CI make to a new contributor."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO, require_file


def quick_start_commands() -> list[str]:
    readme = (REPO / "README.md").read_text()
    section = re.split(r"^#+ .*quick ?start.*$", readme, maxsplit=1, flags=re.IGNORECASE | re.MULTILINE)[1]
    block = re.search(r"^```(?:sh|shell|bash|console)?\n(.*?)^```", section, flags=re.MULTILINE | re.DOTALL)
    assert block, "README has no fenced block under Quick start"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_readme_quick_start_has_exactly_build_and_test() -> None:
    assert quick_start_commands() == ["make site", "make test"]


def test_ci_runs_the_readme_test_command() -> None:
    script = (REPO / ".ci" / "run").read_text()
    assert quick_start_commands()[1] in script
    assert "set -euo pipefail" in script
    assert "apt-get install" in script and "chromium fonts-liberation" in script, "the browser tests need Chromium"
    assert "npm ci" in script, "the accessibility tests need axe-core from package-lock.json"


def test_dependencies_are_pinned() -> None:
    lines = [line for line in (REPO / "requirements.txt").read_text().splitlines() if line and not line.startswith("#")]
    assert lines and all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][^ ]*", line) for line in lines), lines
    names = {line.split("==")[0].lower() for line in lines}
    assert {"mkdocs", "mkdocs-material", "pyyaml", "jinja2", "jsonschema", "pytest"} <= names


def test_mkdocs_reads_the_docs_dir_the_generator_writes() -> None:
    from peerdir.project import DOCS_DIR, Project

    assert Project(REPO).site_settings()["docs_dir"] == DOCS_DIR


def test_missing_browser_tools_skip_locally_and_fail_in_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "chromium"
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"chromium is not here: apt-get install chromium"):
        require_file(missing, "apt-get install chromium")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match=r"chromium is not here"):
        require_file(missing, "apt-get install chromium")
    assert require_file(REPO / "README.md", "never missing") == REPO / "README.md"
