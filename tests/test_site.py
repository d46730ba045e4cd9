"""A real ``mkdocs build`` of the real records into a temporary folder."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import RecordWriter, copy_tree, peerdir_build, valid_record
from peerdir.project import Project

SITE_HOST = "peerdir.github.io"


def mkdocs_build(tree: Path, site: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


# A program that was renamed (its old id must keep working), has closed, and has not
# been reviewed for years: the build must keep its page, say so, and redirect.
RENAMED = valid_record(
    "renamed-program",
    {
        "added: 2026-01-01": "added: 2019-05-01",
        "last_reviewed: 2026-01-02": "last_reviewed: 2020-05-01",
        "status: active": "status: closed\nstatus_note: Its organisation ended the program.\nformer_ids: [old-program-name]",
    },
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = copy_tree(tmp_path_factory.mktemp("build") / "checkout")
    (tree / "directory" / "renamed-program.yml").write_text(RENAMED)
    site = tree / "site"
    result = mkdocs_build(tree, site)
    assert result.returncode == 0, result.stderr
    return site


class Resources(HTMLParser):
    """Every address a browser would fetch while loading the page (not plain hyperlinks)."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and values.get("src"):
            self.fetched.append(values["src"] or "")
        if tag == "link" and values.get("href") and (values.get("rel") or "") not in ("canonical", "alternate", "license"):
            self.fetched.append(values["href"] or "")
        if tag == "form" and values.get("action"):
            self.fetched.append(values["action"] or "")


def test_every_record_has_its_page(built: Path) -> None:
    records = sorted(path.stem for path in Project(Path(__file__).resolve().parent.parent).record_files())
    assert len(records) >= 15
    for record_id in records:
        page = built / "programs" / record_id / "index.html"
        assert page.is_file(), record_id
    directory = (built / "programs" / "index.html").read_text()
    for record_id in records:
        assert f'href="{record_id}/"' in directory


def test_the_site_fetches_nothing_from_another_host(built: Path) -> None:
    pages = list(built.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        parser = Resources()
        parser.feed(page.read_text())
        for address in parser.fetched:
            host = urlsplit(urljoin(f"https://{SITE_HOST}/", address)).hostname
            assert host == SITE_HOST, f"{page.relative_to(built)} fetches {address}"
    for stylesheet in built.rglob("*.css"):
        for address in re.findall(r"url\(\s*['\"]?([^'\")]+)", stylesheet.read_text()):
            assert not re.match(r"(https?:)?//", address), f"{stylesheet.name} loads {address}"
        assert "@import" not in stylesheet.read_text() or "fonts.googleapis" not in stylesheet.read_text()


def test_program_pages_are_not_in_the_sidebar(built: Path) -> None:
    home = (built / "index.html").read_text()
    assert "programs/listening-friends/" not in home
    assert 'href="programs/"' in home


def test_schema_is_published_and_records_point_editors_at_it(built: Path) -> None:
    published = json.loads((built / "schema" / "program.schema.json").read_text())
    assert published["$id"].endswith("/schema/program.schema.json")
    for record in Project(Path(__file__).resolve().parent.parent).record_files():
        assert record.read_text().splitlines()[0] == "# yaml-language-server: $schema=../generator/peerdir/schema/program.schema.json"


def test_invalid_record_fails_the_mkdocs_build_with_its_location(tmp_path: Path) -> None:
    tree = copy_tree(tmp_path / "checkout")
    (tree / "directory" / "sample.yml").write_text(valid_record("sample", {"regions: [GB]": "regions: [UK]"}))
    result = mkdocs_build(tree, tmp_path / "site")
    assert result.returncode != 0
    assert "directory/sample.yml:9:11: regions[0]: 'UK' is not allowed" in result.stderr


def test_failed_peerdir_build_leaves_the_previous_site_untouched(tmp_path: Path, write_record: RecordWriter, tree: Path) -> None:
    site = tmp_path / "published"
    site.mkdir()
    (site / "index.html").write_text("previous site")
    write_record("sample", "id: [\n")
    result = peerdir_build(tree, site)
    assert result.returncode == 1
    assert "directory/sample.yml:2:1" in result.stdout
    assert [path.name for path in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text() == "previous site"
    assert not list(tmp_path.glob(".published-build-*"))


def test_peerdir_build_replaces_the_previous_site_whole(tmp_path: Path, tree: Path) -> None:
    site = tmp_path / "published"
    site.mkdir()
    (site / "stale.html").write_text("from an older build")
    result = peerdir_build(tree, site)
    assert result.returncode == 0, result.stderr
    assert (site / "programs" / "listening-friends" / "index.html").is_file()
    assert not (site / "stale.html").exists()
    assert not [path.name for path in tmp_path.iterdir() if path.name.startswith(".published")]


def test_mkdocs_serve_regenerates_when_a_record_is_saved(tree: Path) -> None:
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        # As `make serve` runs it: --dirty renders again only the pages whose files changed.
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )

    def fetch(path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/peer-support-directory/{path}", timeout=5) as response:
            return str(response.read().decode())

    def wait_for(path: str, text: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if text in fetch(path):
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"{text!r} never appeared at {path}")

    try:
        wait_for("programs/listening-friends/", "Listening Friends")
        # The preview is indexed for search (in the background, after each build).
        wait_for("pagefind/pagefind-entry.json", '"page_count"')
        record = tree / "directory" / "listening-friends.yml"
        record.write_text(record.read_text().replace("name: Listening Friends", "name: Listening Friends Renamed"))
        wait_for("programs/listening-friends/", "Listening Friends Renamed")
        # Pages that list the program were regenerated too, and so rendered again.
        wait_for("programs/", "Listening Friends Renamed")
        wait_for("for/pharmacists/", "Listening Friends Renamed")
        time.sleep(3)  # time for a second build, had the generator's own writes set one off
    finally:
        server.terminate()
        _, log = server.communicate(timeout=30)
    # The first build, then one for the save: the docs dir the generator writes is not watched.
    assert log.count("Documentation built") == 2, log


def test_a_former_id_redirects_to_the_program_page(built: Path) -> None:
    redirect = built / "programs" / "old-program-name" / "index.html"
    page = redirect.read_text()
    assert '<meta http-equiv="refresh" content="0; url=../renamed-program/">' in page
    assert '<link rel="canonical" href="https://peerdir.github.io/peer-support-directory/programs/renamed-program/">' in page
    assert '<a href="../renamed-program/">Test Program renamed-program</a>' in page
    assert "<script" not in page
    assert (redirect.parent / "../renamed-program/index.html").resolve().is_file()


def test_a_closed_program_keeps_its_page_marked_closed_and_review_due(built: Path) -> None:
    page = (built / "programs" / "renamed-program" / "index.html").read_text()
    assert '<p class="admonition-title">Closed</p>' in page
    assert "Its organisation ended the program." in page
    assert '<p class="admonition-title">Review due</p>' in page
    assert "We last checked this listing against its sources on 2020-05-01" in page
    directory = (built / "programs" / "index.html").read_text()
    card = directory.split('<li class="pd-card" id="renamed-program"')[1].split("</li>")[0]
    assert '<span class="pd-flag pd-flag--closed">Closed</span><span class="pd-flag pd-flag--due">Review due</span>' in card
    fresh = directory.split('<li class="pd-card" id="listening-friends"')[1].split("</li>")[0]
    assert "pd-flag" not in fresh
