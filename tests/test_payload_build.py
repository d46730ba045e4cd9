"""Issue 8, point 2: a hostile record builds into pages where none of its payloads can run."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import copy_tree
from payloads import PIECES, payload_record
from test_site import mkdocs_build


class Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            kind = values.get("type") or "text/javascript"
            src = values.get("src") or ""
            own_file = bool(src) and ":" not in src and "/assets/" in f"/{src}"  # the site's own script files
            if kind not in ("application/json", "application/ld+json") and not own_file:
                self.problems.append(f"script {values}")
        if tag in ("img", "iframe", "object", "embed"):  # Material's own icons are inline <svg>
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}={value}")
            if name in ("href", "src", "action") and value and value.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                self.problems.append(f"{tag} {name}={value}")

    def handle_comment(self, data: str) -> None:
        if "hidden" in data:
            self.problems.append(f"<!--{data}-->")


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = copy_tree(tmp_path_factory.mktemp("payload") / "checkout")
    (tree / "directory" / "payload.yml").write_text(payload_record())
    site = tree / "site"
    result = mkdocs_build(tree, site)
    assert result.returncode == 0, result.stderr
    return site


def test_no_page_carries_an_executable_payload(payload_site: Path) -> None:
    pages = [payload_site / "programs" / "payload" / "index.html", *payload_site.rglob("*.html")]
    for page in pages:
        audit = Audit()
        audit.feed(page.read_text())
        assert audit.problems == [], f"{page.relative_to(payload_site)}: {audit.problems}"


def test_the_payload_is_shown_as_text(payload_site: Path) -> None:
    page = (payload_site / "programs" / "payload" / "index.html").read_text()
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in page or "&lt;script&gt;alert('xss')&lt;/script&gt;" in page
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title and "<script" not in title.group(1)
    meta = re.search(r'<meta name="description" content="([^"]*)"', page)
    assert meta and "<" not in meta.group(1)


def test_the_cards_file_holds_the_payload_as_inert_escaped_text(payload_site: Path) -> None:
    """programs/cards.json: the directory's script sets these as text; the file itself has no
    raw markup characters either, so no browser that takes it for HTML finds a tag."""
    raw = (payload_site / "programs" / "cards.json").read_text()
    assert not set("<>&") & set(raw)
    data = json.loads(raw)
    (row,) = [row for row in data["cards"] if row[0] == "payload"]
    fields = dict(zip(data["fields"], (data["texts"][n] for n in row[1]), strict=True))
    assert fields["name"] == PIECES[0]
    assert fields["organisation"] == PIECES[1]
