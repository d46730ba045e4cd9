"""Property-based tests (hypothesis): whatever arrives, the tools answer with their own
located errors, and whatever a record says, the page shows it as text."""

from __future__ import annotations

import datetime
import functools
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import REPO, copy_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import FormatChecker
from peerdir.problems import Problem
from peerdir.project import Project
from peerdir.records import Contact, Directory, Evaluation, Organisation, Program, Source, load_directory
from peerdir.render import SiteSettings, render_program
from peerdir.schema import FORMATS

TODAY = datetime.date(2026, 11, 22)
SAMPLE = "directory/sample.yml"
# The hardening report (benchmarks/hardening/run.py) raises the count; the suite keeps it modest.
EXAMPLES = int(os.environ.get("PEERDIR_HYPOTHESIS_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def fuzz_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A checkout whose only record is the one under test, so each example loads one file."""
    tree = copy_tree(tmp_path_factory.mktemp("fuzz") / "checkout")
    for record in (tree / "directory").glob("*.yml"):
        record.unlink()
    return tree


def problems_for(tree: Path, content: bytes) -> list[Problem]:
    (tree / "directory" / "sample.yml").write_bytes(content)
    _, problems = load_directory(Project(tree), TODAY)
    return problems


def assert_only_own_errors(problems: list[Problem]) -> None:
    assert problems, "invalid input was accepted"
    for problem in problems:
        assert problem.file == SAMPLE, problem
        assert problem.line >= 1 and problem.column >= 1 and problem.message


@FUZZ
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_give_only_located_errors(fuzz_tree: Path, content: bytes) -> None:
    problems = problems_for(fuzz_tree, content)
    for problem in problems:
        assert problem.file == SAMPLE, problem


@FUZZ
@given(st.text(max_size=3000))
def test_arbitrary_text_gives_only_located_errors(fuzz_tree: Path, content: str) -> None:
    problems = problems_for(fuzz_tree, content.encode("utf-8", "surrogatepass"))
    for problem in problems:
        assert problem.file == SAMPLE, problem


VALID = yaml.safe_load((REPO / "directory" / "listening-friends.yml").read_text())
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


@FUZZ
@given(field=st.sampled_from(sorted(VALID) + ["unknown", "contact.website", "evaluation.status"]), value=JSONISH)
def test_any_field_with_any_value_is_accepted_or_explained(fuzz_tree: Path, field: str, value: object) -> None:
    record = {**VALID, "id": "sample", "contact": dict(VALID["contact"]), "evaluation": dict(VALID["evaluation"])}
    target, _, inner = field.partition(".")
    if inner:
        record[target][inner] = value
    else:
        record[target] = value
    try:
        text = yaml.safe_dump(record, allow_unicode=True)
    except yaml.YAMLError:
        return
    problems = problems_for(fuzz_tree, text.encode("utf-8", "surrogatepass"))
    for problem in problems:
        assert problem.file == SAMPLE, problem


class Executable(HTMLParser):
    """Anything in rendered HTML that could run script or carry a hostile link."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        data_block = tag == "script" and dict(attrs).get("type") == "application/ld+json"  # JSON-LD: never runs
        if tag in ("script", "iframe", "object", "embed", "style", "img", "svg", "form", "base", "meta", "link") and not data_block:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc"):
                self.found.append(f"{tag} {name}")
            if name == "href" and value and not re.match(r"(https?:|mailto:|tel:|\.\./|#)", value):
                self.found.append(f"href={value}")

    def handle_comment(self, data: str) -> None:
        self.found.append("<!--")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def page_html(program: Program) -> str:
    page = render_program(program, _directory(), SiteSettings(repo_url="https://github.com/example/repo"), datetime.date(2026, 1, 2))
    body = page.split("---\n", 2)[2]
    return markdown.markdown(body, extensions=["admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.escapeall"])


@functools.cache
def _directory() -> Directory:
    directory, problems = load_directory(Project(REPO), TODAY)
    assert problems == []
    return directory


# What the validator lets through: no control, surrogate, private-use or invisible
# formatting characters (checks.py refuses those), newlines allowed.
RECORD_TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs", "Cf", "Co")) | st.just("\n"), min_size=1, max_size=200)
HOSTILE = RECORD_TEXT | st.sampled_from(
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "[x](javascript:alert(1))",
        "<!-- hidden --> text",
        "`code` *em* __strong__ {: onclick=alert(1) }",
        "--8<-- '/etc/passwd'",
        "&lt;script&gt;",
        "<a href='javascript:alert(1)'>x</a>",
    ]
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(name=HOSTILE, purpose=HOSTILE, support=HOSTILE, organisation=HOSTILE)
def test_the_renderer_shows_any_text_as_text(name: str, purpose: str, support: str, organisation: str) -> None:
    program = Program(
        id="sample",
        name=name,
        organisation=Organisation(organisation),
        purpose=purpose,
        support=support,
        professions=("nurses",),
        regions=("GB",),
        evaluation=Evaluation("none"),
        contact=Contact(website="https://example.org/"),
        sources=(Source("mja-handnhand"),),
        added=TODAY,
        last_reviewed=TODAY,
        status="active",
        file=SAMPLE,
    )
    parser = Executable()
    parser.feed(page_html(program))
    assert parser.found == []
    shown = " ".join("".join(parser.text).split())  # HTMLParser has already decoded entities
    for value in (name, purpose, support, organisation):
        assert " ".join(value.split()) in shown


@FUZZ
@given(fmt=st.sampled_from(sorted(FORMATS)), value=st.one_of(st.text(), st.dates().map(str), st.from_regex(r"\d{4}-\d{2}-\d{2}")))
def test_fast_format_checks_are_jsonschemas(fmt: str, value: str) -> None:
    assert FORMATS[fmt](value) == FormatChecker().conforms(value, fmt), (fmt, value)


@FUZZ
@given(field=st.sampled_from(sorted(VALID) + ["contact.website", "evaluation.status", "contact.phone"]), value=JSONISH)
def test_fast_and_detailed_validators_agree(field: str, value: object) -> None:
    """The compiled fast path may skip jsonschema only when jsonschema would find nothing."""
    from peerdir import schema as schema_module
    from peerdir.yamlfile import Document

    record = {**VALID, "contact": dict(VALID["contact"]), "evaluation": dict(VALID["evaluation"])}
    record["added"], record["last_reviewed"] = str(record["added"]), str(record["last_reviewed"])
    target, _, inner = field.partition(".")
    if inner:
        record[target][inner] = value
    else:
        record[target] = value
    detailed = list(schema_module._validator("program").iter_errors(record))
    try:
        schema_module._fast_check("program")(record)
        fast_valid = True
    except Exception:
        fast_valid = False
    assert fast_valid == (not detailed), (field, value, [e.message for e in detailed])
    assert (schema_module.validate(Document("f.yml", record)) == []) == (not detailed)
