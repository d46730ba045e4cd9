"""Collecting: every published address once, with every place it is written."""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

from conftest import REPO, RecordWriter, valid_record
from peerdir.links.collect import Origin, collect, html_links, markdown_links
from peerdir.project import Project
from peerdir.records import load_directory

TODAY = datetime.date(2026, 11, 22)


def test_real_records_keep_listing_field_and_line() -> None:
    project = Project(REPO)
    directory, problems = load_directory(project, TODAY)
    assert problems == []
    links = collect(project, directory)
    assert links["https://pharmacistsupport.org/how-we-can-help/listening-friends/"] == (
        Origin("directory/listening-friends.yml", 19, "contact.website", "contact website", "listening-friends", "Listening Friends"),
    )
    # One address, two fields: both places, each on its own line.
    both = links["https://www.handnhand.org.au"]
    assert [(origin.field, origin.line) for origin in both] == [("organisation.website", 6), ("contact.website", 27)]
    assert both[1].place == "Hand-n-Hand Peer Support — contact website"


def test_every_kind_of_place(tree: Path, write_record: RecordWriter) -> None:
    sample = valid_record(
        "sample",
        {
            "  name: Test Organisation": "  name: Test Organisation\n  website: https://org.example.org/",
            "  website: https://example.org/sample": (
                "  website: https://example.org/sample#contact\n"
                "  phone: +44 20 7946 0000\n"
                "  email: help@example.org\n"
                "  links:\n"
                "    - label: Sign-up form\n"
                "      url: https://forms.example.org/x"
            ),
        },
    )
    write_record("sample", sample)
    (tree / "content" / "guides" / "links.md").write_text(
        textwrap.dedent(
            """\
            # Links

            See [the study](https://study.example.org/a_(b)) and <https://auto.example.org/>.

            ```
            [not a link](https://code.example.org/)
            ```

            [ref]: https://ref.example.org/page "Title"
            <a href="mailto:team@example.org">mail</a>
            """
        )
    )
    site = tree / "site"
    (site / "programs").mkdir(parents=True)
    (site / "programs" / "index.html").write_text(
        '<html>\n<link rel="canonical" href="https://peerdir.example/programs/">\n'
        '<a href="https://example.org/sample">x</a> <a href="/relative/">y</a>\n<img src="https://img.example.org/i.png"></html>'
    )
    project = Project(tree)
    directory, problems = load_directory(project, TODAY)
    assert problems == []
    links = collect(project, directory, site, site_url="https://peerdir.example/")

    record = "directory/sample.yml"
    assert links["https://example.org/sample"] == (
        Origin(record, 15, "contact.website", "contact website", "sample", "Test Program sample"),
        Origin("site/programs/index.html", 3, "href", "link"),
    )
    assert links["https://org.example.org/"] == (
        Origin(record, 6, "organisation.website", "organisation website", "sample", "Test Program sample"),
    )
    assert links["tel:+442079460000"][0].line == 16
    assert links["mailto:help@example.org"][0].line == 17
    assert links["https://forms.example.org/x"][0].label == "contact link “Sign-up form”"
    cited = links["https://www.sciencedirect.com/science/article/abs/pii/S1553725020300027"]
    assert [origin.file for origin in cited] == ["data/references.yml"]  # cited by a record: the listing owns it
    assert cited[0].listing == "amsterdam-umc-elearning-peer-support"
    guide = "content/guides/links.md"
    assert links["https://study.example.org/a_(b)"] == (Origin(guide, 3, "link", "link"),)
    assert links["https://auto.example.org/"] == (Origin(guide, 3, "link", "link"),)
    assert links["https://ref.example.org/page"] == (Origin(guide, 9, "link", "link"),)
    assert links["mailto:team@example.org"] == (Origin(guide, 10, "link", "link"),)
    assert "https://code.example.org/" not in links
    assert "https://img.example.org/i.png" in links
    assert not any(url.startswith("https://peerdir.example/") for url in links), "the site's own pages are not external"
    uncited = links["https://nap.nationalacademies.org/download/2552"]
    assert uncited[0].place == f"data/references.yml, line {uncited[0].line} (reference nasem2019)"


def test_markdown_and_html_extraction_edge_cases() -> None:
    assert list(markdown_links("~~~\n[a](https://x.org/)\n~~~\n[b](<https://y.org/p q>)")) == [("https://y.org/p", 4)]
    assert html_links('<a href=" https://x.org/ ">x</a><a href="javascript:alert(1)">j</a>') == [("https://x.org/", 1)]
