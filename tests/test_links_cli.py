"""``peerdir check-links`` as the workflow runs it: a real process, a fixture checkout whose
every address is on 127.0.0.1, exit codes and the four report formats."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, LinkServers, valid_record
from peerdir.links.cache import Entry, load_cache, save_cache
from peerdir.links.classify import Verdict
from peerdir.links.collect import collect
from peerdir.project import Project
from peerdir.records import load_directory

pytestmark = pytest.mark.timeout(60)


def checkout(tmp_path: Path, base: str, websites: dict[str, str]) -> Path:
    """A small checkout whose records, bibliography and pages all point at ``base``."""
    root = tmp_path / "checkout"
    for folder in ("directory", "data", "content"):
        (root / folder).mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: Test\nrepo_url: https://github.com/example/repo\n")
    (root / "data" / "crisis-lines.yml").write_text((REPO / "data" / "crisis-lines.yml").read_text())
    (root / "data" / "references.yml").write_text(f"mja-handnhand:\n  authors: A\n  title: T\n  url: {base}/page/reference\n")
    (root / "content" / "index.md").write_text(f"# Home\n\nRead [the guide]({base}/page/guide).\n")
    for record_id, url in websites.items():
        text = valid_record(record_id, {f"  website: https://example.org/{record_id}": f"  website: {url}"})
        (root / "directory" / f"{record_id}.yml").write_text(text)
    project = Project(root)
    directory, problems = load_directory(project, datetime.date.today())
    assert problems == []
    assert all(url.startswith(base) for url in collect(project, directory)), "tests may only ever reach 127.0.0.1"
    return root


def check_links(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "peerdir.cli", "check-links", "--root", str(root), "--timeout", "1", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=50)


def seed_failure(root: Path, url: str, days_ago: int) -> datetime.datetime:
    since = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days_ago)
    save_cache(root / ".cache" / "links.json", {url: Entry(since, Verdict.FAILED, "404 Not Found", failing_since=since, failed_runs=1)})
    return since


def test_healthy_links_exit_0_and_the_second_run_uses_the_cache(tmp_path: Path, link_servers: LinkServers) -> None:
    root = checkout(tmp_path, link_servers.http, {"sample": f"{link_servers.http}/page/sample"})
    first = check_links(root)
    assert first.returncode == 0, first.stdout + first.stderr
    counts = "0 broken, 0 suspect, 0 redirected, 0 blocked, 0 skipped, 3 ok"
    assert first.stdout == f"Links: {counts} (3 checked now, 0 recently verified and not asked again).\n"
    assert len(load_cache(root / ".cache" / "links.json", "cache")) == 3
    second = check_links(root)
    assert second.returncode == 0
    assert "(0 checked now, 3 recently verified and not asked again)" in second.stdout
    assert "Traceback" not in first.stderr + second.stderr


def test_flaky_link_two_runs_in_a_row_is_suspect_and_exits_0(tmp_path: Path, link_servers: LinkServers) -> None:
    url = f"{link_servers.http}/status/503"
    root = checkout(tmp_path, link_servers.http, {"sample": url})
    for _ in range(2):
        result = check_links(root)
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.startswith(f"suspect    {url} — 503 Service Unavailable after 3 attempts since ")
        assert "   directory/sample.yml:14 Test Program sample — contact website\n" in result.stdout


def test_confirmed_failure_exits_1_with_a_markdown_report_by_listing(tmp_path: Path, link_servers: LinkServers) -> None:
    base = link_servers.http
    gone = f"{base}/status/404"
    root = checkout(tmp_path, base, {"sample": gone, "other": f"{base}/chain/301/ok"})
    since = seed_failure(root, gone, days_ago=2)
    result = check_links(root, "--format", "markdown")
    assert result.returncode == 1, result.stdout + result.stderr
    report = result.stdout
    assert report.startswith(f"## Link check of {datetime.datetime.now(datetime.UTC).date().isoformat()}\n")
    broken = report.split("\n### Broken (1)\n")[1].split("\n### ")[0]
    line = f"- Test Program sample — contact website — 404 Not Found since {since.date().isoformat()} — <{gone}>  \n"
    assert f"#### Test Program sample\n\n{line}" in broken
    assert "  `directory/sample.yml` line 14\n" in broken
    moved = report.split("\n### Redirected (1)\n")[1]
    assert f"- Test Program other — contact website — moved permanently to {base}/ok — <{base}/chain/301/ok>  " in moved


def test_json_and_github_formats(tmp_path: Path, link_servers: LinkServers) -> None:
    base = link_servers.http
    gone = f"{base}/status/410"
    root = checkout(tmp_path, base, {"sample": gone, "walled": f"{base}/status/403"})
    seed_failure(root, gone, days_ago=3)
    as_json = check_links(root, "--format", "json", "--cache", str(root / "elsewhere.json"))
    assert as_json.returncode == 0, "a cache elsewhere has no memory of the failure: suspect, not broken"
    data = json.loads(as_json.stdout)
    assert data["counts"] == {"ok": 2, "redirected": 0, "blocked": 1, "suspect": 1, "broken": 0, "skipped": 0}
    [walled] = [link for link in data["links"] if link["status"] == "blocked"]
    assert walled["origins"] == [
        {"file": "directory/walled.yml", "line": 14, "field": "contact.website", "label": "contact website", "listing": "walled"}
    ]
    github = check_links(root, "--format", "github")
    assert github.returncode == 1
    lines = github.stdout.splitlines()
    error = "::error file=directory/sample.yml,line=14,col=1,title=broken link::"
    error += f"broken link: Test Program sample — contact website: {gone} — 410 Gone since"
    notice = "::notice file=directory/walled.yml,line=14,col=1,title=blocked link::"
    notice += f"blocked link: Test Program walled — contact website: {base}/status/403 — 403 Forbidden: the host refuses robots"
    assert sum(line.startswith(error) for line in lines) == 1, lines
    assert sum(line.startswith(notice) for line in lines) == 1, lines
    assert lines[-1].startswith("Links: 1 broken, 0 suspect, 0 redirected, 1 blocked, 0 skipped, 2 ok")


def test_output_file_and_built_site(tmp_path: Path, link_servers: LinkServers) -> None:
    base = link_servers.http
    root = checkout(tmp_path, base, {"sample": f"{base}/page/sample"})
    site = root / "site"
    site.mkdir()
    (site / "index.html").write_text(f'<a href="{base}/page/from-the-site">x</a>')
    result = check_links(root, "--site", str(site), "--format", "json", "--output", str(root / "report.json"))
    assert result.returncode == 0
    assert result.stdout == ""
    assert "report in" in result.stderr
    links = {link["url"]: link for link in json.loads((root / "report.json").read_text())["links"]}
    assert links[f"{base}/page/from-the-site"]["origins"][0]["file"] == "site/index.html"


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ("links.yml", (), "links.yml:1:1: exclued: 'exclued' is not a section of links.yml"),
        ("cache", (), ".cache/links.json:1:1: cache: not valid JSON"),
        ("record", (), "directory/sample.yml:8:15: professions[0]: 'nurse' is not allowed"),
        ("", ("--site", "no-such-site"), "no built site at no-such-site"),
        ("", ("--config", "no-such.yml"), "no configuration file at no-such.yml"),
        ("", ("--timeout", "0"), "argument --timeout: 0 must be more than 0"),
        ("", ("--format", "xml"), "argument --format: invalid choice: 'xml'"),
    ],
)
def test_usage_and_configuration_errors_exit_2_and_check_nothing(
    tmp_path: Path, link_servers: LinkServers, setup: str, args: tuple[str, ...], message: str
) -> None:
    root = checkout(tmp_path, link_servers.http, {"sample": f"{link_servers.http}/page/never-asked"})
    if setup == "links.yml":
        (root / "links.yml").write_text("exclued: []\n")
    elif setup == "cache":
        (root / ".cache").mkdir()
        (root / ".cache" / "links.json").write_text("not json")
    elif setup == "record":
        record = root / "directory" / "sample.yml"
        record.write_text(record.read_text().replace("professions: [nurses]", "professions: [nurse]"))
    result = check_links(root, *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert link_servers.server.count("/page/never-asked") == 0
