"""The contributor's tooling around the code: GitHub workflows and forms (checked offline
against their published schemas), the pre-commit hooks, yamllint, and the review checklist."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
FORMS = sorted(path for path in (REPO / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if path.name != "config.yml")


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with a schema it ships (no network)."""
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def workflow(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO / ".github" / "workflows" / name).read_text())
    loaded["on"] = loaded.pop(True)  # YAML 1.1 reads the key `on` as true
    return loaded


def steps(loaded: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in loaded["jobs"].values() for step in job["steps"]]


def runs(loaded: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in steps(loaded))


def uses(loaded: dict[str, Any]) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps(loaded) if "uses" in step]


def test_every_workflow_matches_the_published_schema_and_has_a_timeout() -> None:
    assert {path.name for path in WORKFLOWS} >= {"pull-request.yml", "publish.yml", "suggestion.yml"}
    for schema in ("vendor.github-workflows", "custom.github-workflows-require-timeout"):
        result = check_jsonschema(schema, *WORKFLOWS)
        assert result.returncode == 0, result.stdout + result.stderr


def test_every_issue_form_and_the_chooser_match_their_schemas() -> None:
    assert [path.name for path in FORMS] == ["suggest-program.yml"]
    result = check_jsonschema("vendor.github-issue-forms", *FORMS)
    assert result.returncode == 0, result.stdout + result.stderr
    chooser = check_jsonschema("vendor.github-issue-config", REPO / ".github" / "ISSUE_TEMPLATE" / "config.yml")
    assert chooser.returncode == 0, chooser.stdout + chooser.stderr


@pytest.mark.parametrize(
    ("schema", "text"),
    [
        ("vendor.github-workflows", "name: x\non: push\njobs:\n  build:\n    steps:\n      - run: make site\n"),
        ("custom.github-workflows-require-timeout", "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: x\n"),
        ("vendor.github-issue-forms", "name: x\ndescription: y\nbody:\n  - type: input\n    id: a\n"),
    ],
)
def test_the_schema_check_catches_a_broken_file(tmp_path: Path, schema: str, text: str) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(text)
    assert check_jsonschema(schema, broken).returncode == 1


def test_pull_requests_get_annotations_tests_and_a_strict_build_to_browse() -> None:
    checks = workflow("pull-request.yml")
    assert "pull_request" in checks["on"]
    assert ".venv/bin/peerdir validate --format github" in runs(checks)
    assert ".ci/run" in runs(checks)  # make lint, then make test: the README's command
    assert "make test" in (REPO / ".ci" / "run").read_text()
    assert "make site" in runs(checks)  # peerdir build: mkdocs build --strict
    upload = next(step for step in steps(checks) if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"


def test_main_is_built_and_deployed_to_github_pages() -> None:
    publish = workflow("publish.yml")
    assert publish["on"]["push"]["branches"] == ["main"]
    assert "make site" in runs(publish)
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses(publish))
    assert publish["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert publish["jobs"]["deploy"]["needs"] == "build"


def test_a_labelled_suggestion_becomes_a_pull_request_without_running_its_text() -> None:
    flow = workflow("suggestion.yml")
    form = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / "suggest-program.yml").read_text())
    assert flow["on"] == {"issues": {"types": ["labeled"]}}
    label = re.search(r"github\.event\.label\.name == '([^']+)'", flow["jobs"]["draft"]["if"])
    assert label and label.group(1) not in form["labels"], "the form's own label must not open pull requests"
    assert 'peerdir" from-issue issue.md' in runs(flow)
    assert "peter-evans/create-pull-request" in uses(flow)
    for step in steps(flow):
        assert "${{ github.event.issue" not in step.get("run", ""), "issue text must reach scripts only through env"


def test_the_pre_commit_hooks_run_the_validator_and_yamllint_on_records() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert set(hooks) == {"peerdir-validate", "yamllint-records"}
    record = "directory/listening-friends.yml"
    for hook in hooks.values():
        assert re.search(hook["files"], record), hook["id"]
        command = shlex.split(hook["entry"]) + ([] if hook.get("pass_filenames") is False else [record])
        assert (REPO / command[0]).is_file(), command[0]
        result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
    assert hooks["peerdir-validate"]["entry"] == ".venv/bin/peerdir validate"


def test_yamllint_passes_every_record_and_catches_a_yes_no_surprise(tmp_path: Path) -> None:
    lint = [sys.executable, "-m", "yamllint", "--strict", "-c", str(REPO / ".yamllint.yml")]
    result = subprocess.run([*lint, str(REPO / "directory")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout
    surprise = tmp_path / "surprise.yml"
    surprise.write_text((REPO / "directory" / "listening-friends.yml").read_text().replace("status: unverified", "status: no"))
    caught = subprocess.run([*lint, str(surprise)], capture_output=True, text=True, timeout=120)
    assert caught.returncode == 1
    assert "truthy value should be one of" in caught.stdout


def checklist(text: str) -> list[str]:
    return re.findall(r"^- \[ \] (.+)$", text, flags=re.MULTILINE)


def test_the_pull_request_template_is_the_reviewers_checklist() -> None:
    contributing = (REPO / "CONTRIBUTING.md").read_text()
    section = contributing.split("## What reviewers check", 1)[1].split("\n## ", 1)[0]
    items = checklist(section)
    assert len(items) >= 6
    assert checklist((REPO / ".github" / "pull_request_template.md").read_text()) == items
    assert any("guessed" in item for item in items)
    assert "make serve" in contributing and "Never invent a web address, phone number, email address or opening hours" in contributing
