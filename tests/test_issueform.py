"""``peerdir from-issue`` on the body GitHub renders from the suggest-a-program form.

The sample issue (fixtures/suggestion-hand-n-hand.md) holds the facts of a real record,
directory/hand-n-hand.yml, as a suggester would type them into the form.
"""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO, record_data
from peerdir import scaffold, schema
from peerdir.issueform import FORM, load_form
from test_cli import peerdir

SAMPLE = Path(__file__).parent / "fixtures" / "suggestion-hand-n-hand.md"
# What the sample names as its sources: the title of a reference in data/references.yml.
MJA_TITLE = (
    "Peer support initiatives can help health professionals experiencing mental health and wellbeing challenges "
    "during the COVID-19 pandemic and beyond"
)


def from_issue(tree: Path, body: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return peerdir("from-issue", body.name, "--root", str(tree), *args, cwd=body.parent)


@pytest.fixture
def body(tmp_path: Path) -> Path:
    """A private copy of the sample issue body, to edit."""
    copy = tmp_path / "issue.md"
    copy.write_text(SAMPLE.read_text())
    return copy


def edit(body: Path, changes: dict[str, str]) -> None:
    text = body.read_text()
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new)
    body.write_text(text)


def test_the_form_asks_for_the_record_in_its_own_words() -> None:
    form = load_form(REPO / FORM, FORM)
    raw = yaml.safe_load((REPO / FORM).read_text())
    assert len({field.label for field in form}) == len(form)
    assert [field.id for field in form if field.question is None] == ["sourcing"]
    for field in form:
        if field.question and field.question.vocabulary:
            assert list(field.options) == list(field.question.vocabulary.labels.values()), field.id
    defaulted = set(scaffold.defaults({"name": "x"}, datetime.date.today()))
    asked = {field.question.name for field in form if field.question}
    needed = {question.name for question in scaffold.questions() if question.required}
    assert needed - defaulted <= asked
    required_in_form = {field.question.name for field in form if field.question and field.required}
    assert required_in_form == needed - defaulted - {"professions", "regions"}  # checkboxes cannot be required as a group
    assert raw["labels"] == ["suggestion"]


def test_the_sample_issue_becomes_the_real_record(tree: Path) -> None:
    original = tree / "directory" / "hand-n-hand.yml"
    expected = record_data(original)
    original.unlink()
    result = from_issue(tree, SAMPLE, "--id", "hand-n-hand")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == "wrote directory/hand-n-hand.yml; preview it with `make serve`, then open a pull request.\n"
    today = datetime.date.today().isoformat()
    expected.pop("status_note")  # the form does not ask it: a maintainer writes it on review
    expected.update(added=today, last_reviewed=today, format=["one-off", "one-to-one", "small-group"])  # the form's order
    assert record_data(original) == expected
    assert original.read_text().splitlines()[0] == scaffold.SCHEMA_LINE
    validated = peerdir("validate", "--root", str(tree))
    assert validated.returncode == 0, validated.stdout


def test_windows_line_endings_read_the_same(tree: Path, body: Path) -> None:
    (tree / "directory" / "hand-n-hand.yml").unlink()
    body.write_bytes(SAMPLE.read_bytes().replace(b"\n", b"\r\n"))
    assert from_issue(tree, body, "--id", "hand-n-hand").returncode == 0
    assert record_data(tree / "directory" / "hand-n-hand.yml")["support"].startswith("After a triage conversation with")


def test_a_program_already_listed_is_reported_at_its_web_page(tree: Path) -> None:
    result = from_issue(tree, SAMPLE)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "suggestion-hand-n-hand.md:112:1: The program's web page: contact.website: https://www.handnhand.org.au is already "
        "the website of directory/hand-n-hand.yml; one program has one record, so merge the two or correct the address"
    ]
    assert "nothing was written" in result.stderr
    assert not (tree / "directory" / "hand-n-hand-peer-support.yml").exists()
    again = from_issue(tree, SAMPLE, "--id", "hand-n-hand")
    assert again.returncode == 1
    assert again.stdout == (
        "suggestion-hand-n-hand.md:1:1: id: directory/hand-n-hand.yml already exists: the program may be listed already "
        "(or give another --id)\n"
    )


def test_answers_that_do_not_map_are_located_and_named_never_guessed(tree: Path, body: Path) -> None:
    edit(
        body,
        {
            "- [X] Doctors": "- [X] Doctor",
            "\nEvaluation in progress\n": "\nBeing evaluated\n",
            "Peer support for health care workers from every part of the workforce in\n"
            "Australia and New Zealand, started during the COVID-19 pandemic.": "Peers.",
            "### Email address\n\n_No response_": "### Email address\n\nnot an address",
            f"{MJA_TITLE}; The Hand-n-Hand initiative; Future directions": "Annual report 2021; page 4",
            "- [X] Every answer above": "- [ ] Every answer above",
        },
    )
    body.write_text(body.read_text() + "\n### Opening hours\n\nMonday to Friday\n")
    result = from_issue(tree, body, "--id", "hand-n-hand-two")
    assert result.returncode == 1
    choices = "; ".join(schema.vocabularies()["evaluation_status"].labels.values())
    assert result.stdout.splitlines() == [
        "issue.md:15:1: Who it is for, and what it is for: purpose: is too short (6 characters); write at least 10 characters",
        "issue.md:32:1: Who can use it: 'Doctor' is not one of the choices; did you mean 'Doctors'? Choices: All health workers; "
        "Doctors; Medical students; Nurses; Midwives; Pharmacists; Pharmacy students; Paramedics and ambulance staff; "
        "Allied health professionals; Mental health professionals",
        f"issue.md:99:1: Has it been evaluated?: 'Being evaluated' is not one of the choices. Choices: {choices}",
        "issue.md:119:1: Email address: contact.email: 'not an address' is not an email address like name@example.org",
        "issue.md:131:1: Sources: 'Annual report 2021' is not in data/references.yml yet: a maintainer adds it there "
        "(authors, title, web address), then runs peerdir from-issue again.",
        "issue.md:135:1: Before you submit: the box 'Every answer above comes from the sources I listed, and I have not guessed "
        "any contact detail.' must be ticked",
        "issue.md:137:1: form: '### Opening hours' is not a question of the form; was the issue written with another template?",
    ]
    assert not (tree / "directory" / "hand-n-hand-two.yml").exists()


def test_a_missing_required_answer_names_its_question(tree: Path, body: Path) -> None:
    edit(body, {"### Who runs it\n\nHand-n-Hand peer support initiative": "### Who runs it\n\n_No response_"})
    result = from_issue(tree, body, "--id", "hand-n-hand-two")
    assert result.returncode == 1
    assert result.stdout == ("issue.md:5:1: Who runs it: no answer, and the record needs one: Organisation name.\n")
    body.write_text("### Program name\n\nSomething\n")
    bare = from_issue(tree, body)
    assert "issue.md:1:1: Sources: no answer, and the record needs one: Where every fact in this record comes from" in bare.stdout


def test_a_missing_or_broken_form_is_a_usage_error(tree: Path) -> None:
    form = tree / FORM
    form.write_text("name: Suggest\nbody:\n  - type: input\n    id: name\n")
    broken = from_issue(tree, SAMPLE)
    assert (broken.returncode, broken.stdout) == (2, f"{FORM}:1:1: form: not an issue form: a question has no 'attributes'\n")
    form.unlink()
    missing = from_issue(tree, SAMPLE)
    assert (missing.returncode, missing.stdout) == (2, f"{FORM}:1:1: form: the suggest-a-program form is missing\n")
