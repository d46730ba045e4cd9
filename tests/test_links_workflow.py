"""The scheduled workflow: valid for GitHub (checked offline), and its issue script keeps
exactly one tracking issue, driven against a stand-in ``gh`` that records every call."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "links.yml"
SCRIPT = REPO / ".github" / "scripts" / "link-report-issue.sh"


def test_workflow_is_valid_for_github() -> None:
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_runs_weekly_and_on_demand_and_keeps_its_cache() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert len(triggers["schedule"]) == 1 and "workflow_dispatch" in triggers
    minute, hour, day, month, weekday = triggers["schedule"][0]["cron"].split()
    assert minute.isdigit() and hour.isdigit() and (day, month) == ("*", "*") and weekday.isdigit(), "once a week"
    steps = workflow["jobs"]["check-links"]["steps"]
    restore = next(step for step in steps if step.get("uses", "").startswith("actions/cache/restore@"))
    save = next(step for step in steps if step.get("uses", "").startswith("actions/cache/save@"))
    assert restore["with"]["path"] == save["with"]["path"] == ".cache/links.json"
    assert restore["with"]["key"] == save["with"]["key"] and "github.run_id" in save["with"]["key"]
    assert save["with"]["key"].startswith(restore["with"]["restore-keys"])
    assert "always()" in save["if"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "peerdir check-links --format markdown --output link-report.md" in runs
    assert ".github/scripts/link-report-issue.sh" in runs
    assert workflow["permissions"] == {"contents": "read", "issues": "write"}


FAKE_GH = """\
#!{python}
import json, os, sys
args = sys.argv[1:]
call = {{"args": args}}
if "--body-file" in args:
    call["body"] = open(args[args.index("--body-file") + 1]).read()
with open(os.environ["GH_LOG"], "a") as log:
    log.write(json.dumps(call) + "\\n")
if args[:2] == ["issue", "list"]:
    print(os.environ.get("OPEN_ISSUE", ""))
"""


def run_script(tmp_path: Path, code: str, open_issue: str) -> tuple[subprocess.CompletedProcess[str], list[dict[str, object]]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(FAKE_GH.format(python=sys.executable))
    gh.chmod(0o755)
    report = tmp_path / "link-report.md"
    report.write_text(textwrap.dedent("## Link check of 2026-11-23\n\n- Listening Friends — contact website — 404 Not Found\n"))
    log = tmp_path / "gh.log"
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "GH_LOG": str(log), "OPEN_ISSUE": open_issue, "RUN_URL": "RUN"}
    result = subprocess.run(["bash", str(SCRIPT), code, str(report)], capture_output=True, text=True, env=env, timeout=30)
    calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return result, calls


def commands(calls: list[dict[str, object]]) -> list[list[str]]:
    return [list(call["args"])[:3] for call in calls]  # type: ignore[call-overload]


def test_broken_links_open_one_issue(tmp_path: Path) -> None:
    result, calls = run_script(tmp_path, "1", open_issue="")
    assert result.returncode == 0, result.stderr
    assert commands(calls) == [["issue", "list", "--label"], ["label", "create", "link-check"], ["issue", "create", "--title"]]
    assert "--label" in calls[2]["args"] and "link-check" in calls[2]["args"]  # type: ignore[operator]
    assert "Listening Friends — contact website — 404 Not Found" in str(calls[2]["body"])


def test_broken_links_update_the_open_issue_instead_of_a_duplicate(tmp_path: Path) -> None:
    result, calls = run_script(tmp_path, "1", open_issue="7")
    assert result.returncode == 0, result.stderr
    assert commands(calls) == [["issue", "list", "--label"], ["issue", "edit", "7"]]
    assert str(calls[1]["body"]).endswith("_Updated by the weekly link check: RUN_\n")


def test_healthy_links_close_the_open_issue(tmp_path: Path) -> None:
    result, calls = run_script(tmp_path, "0", open_issue="7")
    assert result.returncode == 0, result.stderr
    assert commands(calls) == [["issue", "list", "--label"], ["issue", "comment", "7"], ["issue", "close", "7"]]
    assert str(calls[1]["body"]).startswith("Nothing is broken any more (RUN), so this issue is closed.")


def test_healthy_links_and_no_issue_do_nothing(tmp_path: Path) -> None:
    result, calls = run_script(tmp_path, "0", open_issue="")
    assert result.returncode == 0
    assert commands(calls) == [["issue", "list", "--label"]]


@pytest.mark.parametrize("code", ["2", ""])
def test_a_check_that_could_not_run_leaves_the_issue_alone_and_fails(tmp_path: Path, code: str) -> None:
    result, calls = run_script(tmp_path, code, open_issue="7")
    assert result.returncode == 1
    assert "could not run" in result.stderr
    assert commands(calls) == [["issue", "list", "--label"]]
