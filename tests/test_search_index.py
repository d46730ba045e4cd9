"""The search index a real ``peerdir build`` publishes: Pagefind's, made from each page's
article only, with the payload record in it only as text; and a failed indexing run that
publishes nothing."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest
from conftest import copy_tree, peerdir_build, valid_record
from payloads import PIECES, payload_record
from peerdir.build import BuildFailed, build_site
from peerdir.project import Project
from test_site import RENAMED


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real records plus a renamed program and a payload record, built by ``peerdir build``."""
    base = tmp_path_factory.mktemp("search")
    tree = copy_tree(base / "checkout")
    (tree / "directory" / "renamed-program.yml").write_text(RENAMED)
    (tree / "directory" / "payload.yml").write_text(payload_record())
    site = base / "site"
    built = peerdir_build(tree, site)
    assert built.returncode == 0, built.stdout + built.stderr
    return site


def fragments(site: Path) -> dict[str, dict[str, object]]:
    """Every indexed page, by address: Pagefind's fragment files (gzip, a signature, JSON)."""
    pages = {}
    for path in (site / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        fragment = json.loads(data)
        pages[fragment["url"]] = fragment
    return pages


def test_the_site_has_a_pagefind_index_and_no_material_search_index(indexed: Path) -> None:
    assert (indexed / "pagefind" / "pagefind.js").is_file()
    entry = json.loads((indexed / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == len(fragments(indexed))
    assert not (indexed / "search").exists()
    assert not list(indexed.rglob("search_index.*"))


def test_every_page_with_an_article_is_indexed_and_nothing_else(indexed: Path) -> None:
    pages = fragments(indexed)
    articles = [path for path in indexed.rglob("index.html") if "data-pagefind-body" in path.read_text()]
    folders = {path.parent.relative_to(indexed).as_posix() for path in articles}
    assert set(pages) == {"/" if folder == "." else f"/{folder}/" for folder in folders}
    assert "/programs/listening-friends/" in pages and "/guides/what-is-peer-support/" in pages
    # Redirects for former ids and the 404 page are not results.
    assert "/programs/old-program-name/" not in pages
    assert not any("404" in url for url in pages)


def test_program_pages_are_found_by_name_organisation_profession_and_words(indexed: Path) -> None:
    page = fragments(indexed)["/programs/listening-friends/"]
    assert page["meta"] == {"title": "Listening Friends"}  # type: ignore[comparison-overlap]
    text = str(page["content"]).lower()
    for words in ("listening friends", "royal pharmaceutical society", "pharmacists", "pharmacy students", "trained volunteers"):
        assert words in text


def test_only_the_article_is_indexed(indexed: Path) -> None:
    for url, page in fragments(indexed).items():
        text = str(page["content"])
        assert "Need urgent help? Emergency and crisis numbers" not in text, url  # the banner
        assert "Code MIT licence" not in text, url  # the footer
        assert "peerdir/peer-support-directory" not in text, url  # the header's source link
        assert "mainEntityOfPage" not in text and "@context" not in text, url  # JSON-LD
    # The directory's filters and its listing of every program are left out of its page,
    # and the guides a program page suggests out of the program's words.
    assert "Filter the directory" not in str(fragments(indexed)["/programs/"]["content"])
    program = str(fragments(indexed)["/programs/listening-friends/"]["content"])
    assert "Guides that may help" not in program and "Choosing support that fits you" not in program


def test_program_pages_and_urgent_help_weigh_more(indexed: Path) -> None:
    def article(path: str) -> str:
        html = (indexed / path / "index.html").read_text()
        return html[html.index("<article") : html.index(">", html.index("<article"))]

    assert 'data-pagefind-weight="2.0"' in article("programs/listening-friends")
    assert 'data-pagefind-weight="3.0"' in article("urgent-help")
    assert "data-pagefind-weight" not in article("guides/what-is-peer-support")


def test_the_payload_is_indexed_as_the_text_a_visitor_reads(indexed: Path) -> None:
    """Pagefind keeps a page's title and words as plain text (its excerpts escape < and >
    and add <mark>). The index is data, never markup: search.js puts every piece of it on
    the page as text (tests/browser/test_payload.py)."""
    page = fragments(indexed)["/programs/payload/"]
    assert page["meta"] == {"title": PIECES[0]}  # type: ignore[comparison-overlap]
    assert PIECES[0] in str(page["content"]) and "<!-- hidden -->" in str(page["content"])


def test_a_failed_index_leaves_the_published_site_untouched(tmp_path: Path) -> None:
    tree = copy_tree(tmp_path / "checkout")
    (tree / "directory" / "sample.yml").write_text(valid_record("sample"))
    site = tmp_path / "published"
    site.mkdir()
    (site / "index.html").write_text("previous site")
    broken_pagefind = [sys.executable, "-c", "import sys; print('pagefind: broken'); sys.exit(3)"]
    with pytest.raises(BuildFailed, match="pagefind exited with 3"):
        build_site(Project(tree), site, indexer=broken_pagefind)
    assert [path.name for path in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text() == "previous site"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["checkout", "published"]  # no staging left


def test_the_policy_allows_webassembly_and_nothing_more(indexed: Path) -> None:
    """Pagefind compiles its WebAssembly: 'wasm-unsafe-eval', never 'unsafe-eval'; its
    fetches are this site's own (connect-src 'self'). The browser tests fail on any
    violation while searching."""
    html = (indexed / "index.html").read_text()
    policy = html.split('http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
    directives = dict(directive.strip().split(" ", 1) for directive in policy.split(";"))
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert directives["connect-src"] == "'self'"
    assert "unsafe-inline" not in policy and "'unsafe-eval'" not in policy
    assert all(value in ("'self'", "'none'", "'self' data:") for name, value in directives.items() if name != "script-src")
