"""The generator's output: Markdown pages from real records, escaped and complete."""

from __future__ import annotations

import datetime
import json
import re
import shutil
from pathlib import Path

import markdown
import pytest
from peerdir.generate import generate
from peerdir.output import WriteReport, remove_stale, write_changed
from peerdir.project import Project
from peerdir.records import Directory, load_directory
from peerdir.render import SCHEMA_PATH, SiteInputs, SiteSettings, escape_markdown, is_generated, record_fields, render_site
from peerdir.schema import schema, vocabularies

TODAY = datetime.date(2026, 11, 22)
SETTINGS = SiteSettings(site_url="https://example.org/site/", repo_url="https://github.com/example/repo")


@pytest.fixture(scope="module")
def directory() -> Directory:
    loaded, problems = load_directory(Project(Path(__file__).resolve().parent.parent), TODAY)
    assert problems == []
    return loaded


@pytest.fixture(scope="module")
def pages(directory: Directory) -> dict[str, str]:
    return render_site(SiteInputs(directory, SETTINGS, TODAY))


def docs_files(docs: Path) -> dict[str, bytes]:
    return {
        path.relative_to(docs).as_posix(): path.read_bytes()
        for path in sorted(docs.rglob("*"))
        if path.is_file() and path.name != ".gitkeep"
    }


def test_pages_written_on_every_core_are_the_pages_written_here(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import peerdir.parallel

    here = generate(Project(tree), TODAY)
    sequential = docs_files(tree / "build" / "docs")
    monkeypatch.setattr(peerdir.parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(peerdir.parallel.os, "cpu_count", lambda: 2)
    shutil.rmtree(tree / "build" / "docs")
    everywhere = generate(Project(tree), TODAY)
    assert docs_files(tree / "build" / "docs") == sequential
    assert sorted(everywhere.written) == sorted(here.written) and len(here.written) > 50
    # A second run on every core rewrites nothing.
    again = generate(Project(tree), TODAY)
    assert (again.written, again.removed, sorted(again.unchanged)) == ([], [], sorted(here.written))


def test_every_generated_path_is_one_content_may_not_use(pages: dict[str, str]) -> None:
    assert all(is_generated(path) for path in pages)
    assert not any(is_generated(path) for path in ("index.md", "about.md", "guides/index.md", "reference/glossary.md", "data.md"))


def to_html(text: str) -> str:
    return markdown.markdown(text, extensions=["pymdownx.escapeall", "attr_list", "md_in_html", "tables", "admonition"])


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        "# heading\n\n- list\n    code",
        "*bold* _em_ `code` {: .class} --8<-- 'file' ![img](x) <!-- c -->",
    ],
)
def test_escaped_text_renders_as_the_same_text(text: str) -> None:
    rendered = to_html(escape_markdown(text))
    assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered and "<!--" not in rendered
    assert rendered.startswith("<p>") and rendered.count("<p>") == 1
    assert " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in rendered


def test_every_program_has_a_page_with_its_facts(directory: Directory, pages: dict[str, str]) -> None:
    for program in directory.programs:
        page = pages[f"programs/{program.id}.md"]
        html = to_html(page.split("---\n", 2)[2])
        assert program.name.replace("&", "&amp;") in html
        for profession in program.professions:
            assert vocabularies()["profession"].label(profession) in html
        assert f"Last reviewed on {program.last_reviewed.isoformat()}" in html
        if program.contact.website:
            assert f'href="{program.contact.website}"' in html


def test_a_program_without_a_verified_contact_says_so(directory: Directory, pages: dict[str, str]) -> None:
    unverified = [program for program in directory.programs if not program.contact.verified]
    assert unverified, "the seed data has programs without a contact"
    for program in unverified:
        assert "Contact details not yet verified" in pages[f"programs/{program.id}.md"]
    verified = next(program for program in directory.programs if program.contact.verified)
    assert "Contact details not yet verified" not in pages[f"programs/{verified.id}.md"]


def test_correction_link_is_built_from_repo_url(pages: dict[str, str]) -> None:
    assert (
        'href="https://github.com/example/repo/issues/new?title=Correction%3A%20Listening%20Friends'
        in pages["programs/listening-friends.md"]
    )


def test_directory_page_lists_every_program_as_plain_html(directory: Directory, pages: dict[str, str]) -> None:
    page = pages["programs/index.md"]
    for program in directory.programs:
        assert f'<a href="{program.id}/" data-slot="name">' in page
    assert page.count('<li class="pd-card" id="') == len(directory.programs)
    # The filters draw cards from a blank copy of the same card.
    assert re.search(r'<template data-pd-card data-prefix="">\n<li class="pd-card" data-profession=""', page)


def test_record_format_page_documents_every_field_and_value(pages: dict[str, str]) -> None:
    page = pages["reference/record-format.md"]
    for name in schema()["properties"]:
        assert f"| `{name}` |" in page
    assert "| `contact.website` |" in page and "| `sources[].ref` |" in page
    for vocab in vocabularies().values():
        for value, label in vocab.labels.items():
            assert f"| `{value}` | {escape_markdown(label)} |" in page
    assert {row.path for row in record_fields() if row.required} >= {"id", "name", "sources", "last_reviewed"}


def test_published_schema_carries_its_permanent_address(pages: dict[str, str]) -> None:
    published = json.loads(pages[SCHEMA_PATH])
    assert published["$id"] == "https://example.org/site/schema/program.schema.json"
    assert published["properties"] == schema()["properties"]


def write_pages(docs: Path, pages: dict[str, str | bytes]) -> WriteReport:
    report = write_changed(docs, pages)
    remove_stale(docs, report)
    return report


def test_writer_rewrites_only_changes_and_removes_stale_files(tmp_path: Path) -> None:
    first = write_pages(tmp_path, {"programs/a.md": "A", "programs/b.md": "B", "img/x.png": b"\x89PNG"})
    assert first.written == ["img/x.png", "programs/a.md", "programs/b.md"]
    (tmp_path / "programs" / "orphan.md").write_text("left over")
    (tmp_path / "old" / "deep").mkdir(parents=True)
    (tmp_path / "old" / "deep" / "page.md").write_text("left over")
    second = write_pages(tmp_path, {"programs/a.md": "A", "programs/b.md": "B2"})
    assert (second.written, second.unchanged) == (["programs/b.md"], ["programs/a.md"])
    assert sorted(second.removed) == ["img/x.png", "old/deep/page.md", "programs/orphan.md"]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["programs", "programs/a.md", "programs/b.md"]
