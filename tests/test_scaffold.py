"""``peerdir new`` as a contributor uses it: a real record retyped through the prompts or
the flags comes out as the same record, commented, valid and lint-clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, RecordWriter, record_data, valid_record
from hypothesis import given, settings
from hypothesis import strategies as st
from peerdir import scaffold, schema
from peerdir.yamlfile import parse_yaml
from test_cli import peerdir


def run_new(tree: Path, *args: str, answers: str = "") -> subprocess.CompletedProcess[str]:
    return peerdir("new", "--root", str(tree), *args, typed=answers)


def question(name: str) -> scaffold.Question:
    return next(q for q in scaffold.questions() if q.name == name)


def value_at(record: dict[str, Any], question: scaffold.Question) -> Any:
    for part in question.path:
        if not isinstance(record, dict) or part not in record:
            return None
        record = record[part]
    return record


def typed(question: scaffold.Question, value: Any) -> list[str]:
    """How a person types ``value``: one line, or one line per item then an empty line."""
    if value is None:
        return [""]
    if question.kind == "items":
        return ["; ".join(item.get(part, "") for part in question.parts) for item in value] + [""]
    return [", ".join(value) if isinstance(value, list) else str(value)]


def flags_for(record: dict[str, Any]) -> list[str]:
    flags: list[str] = []
    for question in scaffold.questions():
        value = value_at(record, question)
        if value is None:
            continue
        lines = typed(question, value)
        for line in lines[:-1] if question.kind == "items" else lines:
            flags += [question.flag, line]
    return flags


def yamllint(path: Path) -> subprocess.CompletedProcess[str]:
    config = str(REPO / ".yamllint.yml")
    return subprocess.run([sys.executable, "-m", "yamllint", "--strict", "-c", config, str(path)], capture_output=True, text=True)


def test_every_field_of_the_schema_is_asked() -> None:
    asked = {question.name for question in scaffold.questions()}
    leaves = {row for row in _leaf_paths(schema.schema(), "")}
    assert asked == leaves
    assert [question.name for question in scaffold.asking_order()][:2] == ["name", "id"]
    professions = question("professions")
    assert professions.vocabulary is not None and professions.vocabulary.labels == schema.vocabularies()["profession"].labels


def _leaf_paths(node: dict[str, Any], prefix: str) -> list[str]:
    found = []
    for name, prop in node["properties"].items():
        resolved = schema.resolve(prop)
        if resolved.get("type") == "object":
            found += _leaf_paths(resolved, f"{prefix}{name}.")
        else:
            found.append(f"{prefix}{name}")
    return found


def test_prompts_rebuild_a_real_record_correcting_mistakes_on_the_way(tree: Path) -> None:
    original = tree / "directory" / "listening-friends.yml"
    expected = record_data(original)
    original.unlink()
    lines: list[str] = []
    for question in scaffold.asking_order():
        value = value_at(expected, question)
        if question.name == "professions":
            lines += ["pharmacist", "Pharmacists, Pharmacy students"]  # a near miss, then the labels
        elif question.name == "regions":
            lines.append(str(list(schema.vocabularies()["region"].labels).index("GB") + 1))  # by its number
        elif question.name == "contact.website":
            lines += [value.removeprefix("https://"), value]  # no scheme, then right
        elif question.name == "id":
            lines.append("")  # accept the id made from the name
        else:
            lines += typed(question, value)
    result = run_new(tree, answers="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("Answer each question")
    assert "  ! professions[0]: 'pharmacist' is not allowed; did you mean 'pharmacists' (Pharmacists)? Allowed: " in result.stderr
    assert (
        "  ! contact.website: 'pharmacistsupport.org/how-we-can-help/listening-friends/' is not an absolute web address "
        "starting with https:// or http://; did you mean 'https://pharmacistsupport.org/how-we-can-help/listening-friends/'?"
    ) in result.stderr
    assert "    8. paramedics                   Paramedics and ambulance staff" in result.stderr
    assert "[listening-friends] > " in result.stderr
    assert "wrote directory/listening-friends.yml" in result.stderr
    assert record_data(original) == expected
    text = original.read_text()
    assert text.splitlines()[0] == scaffold.SCHEMA_LINE
    assert "# Who the program serves.\n# Allowed: health-workers, doctors," in text
    assert yamllint(original).returncode == 0, yamllint(original).stdout
    validated = peerdir("validate", "--root", str(tree))
    assert validated.returncode == 0, validated.stdout


def test_flags_rebuild_a_real_record_without_a_question(tree: Path) -> None:
    original = tree / "directory" / "hand-n-hand.yml"
    expected = record_data(original)
    original.unlink()
    result = run_new(tree, "--no-input", *flags_for(expected))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Answer each question" not in result.stderr
    assert record_data(original) == expected
    assert (
        "  links:\n    - label: Hand-n-Hand Facebook group\n      url: https://www.facebook.com/groups/HandnHandAU\n"
        in original.read_text()
    )
    assert yamllint(original).returncode == 0


def test_new_refuses_to_overwrite_a_record(tree: Path) -> None:
    existing = tree / "directory" / "hand-n-hand.yml"
    before = existing.read_text()
    flags = flags_for(record_data(existing))
    result = run_new(tree, "--no-input", *flags)
    assert result.returncode == 1
    assert "--id: id: directory/hand-n-hand.yml already exists; edit that file, or choose another id" in result.stdout
    assert existing.read_text() == before
    asked = run_new(tree, *flags, answers="hand-n-hand\n")
    assert asked.returncode == 1
    assert "  ! id: directory/hand-n-hand.yml already exists; edit that file, or choose another id" in asked.stderr
    assert "the input ended before id was answered; nothing was written." in asked.stderr


def test_no_input_names_every_missing_answer_and_its_flag(tree: Path) -> None:
    result = run_new(tree, "--no-input", "--name", "Some Program", "--regions", "GB")
    assert result.returncode == 2
    assert result.stderr == (
        "peerdir new: --no-input needs an answer for: organisation.name (--organisation-name), purpose (--purpose), "
        "support (--support), professions (--professions), evaluation.status (--evaluation-status), sources (--sources)\n"
    )
    assert not (tree / "directory" / "some-program.yml").exists()


def test_bad_flags_report_the_validator_messages_and_write_nothing(tree: Path) -> None:
    record = record_data(tree / "directory" / "hand-n-hand.yml")
    record.update(id="hand-n-hand-copy", regions=["AU", "Germany"])
    record["contact"]["phone"] = "0400 000 000"
    result = run_new(tree, "--no-input", *flags_for(record))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("--regions: regions[1]: 'Germany' is not allowed. Allowed: 'AU' (Australia)")
    assert result.stdout.splitlines()[1] == (
        "--contact-phone: contact.phone: '0400 000 000' is not an international number: + then the country code and number, spaces allowed"
    )
    assert not (tree / "directory" / "hand-n-hand-copy.yml").exists()


def test_a_clash_only_the_whole_directory_sees_is_asked_again(tree: Path, write_record: RecordWriter) -> None:
    write_record("renamed", valid_record("renamed") + "former_ids: [old-name]\n")
    answers = {
        "name": "Old Name",
        "organisation.name": "Test Organisation",
        "purpose": "A program used only by the test suite.",
        "support": "One-to-one conversations with a trained peer.",
        "professions": "nurses",
        "regions": "GB",
        "evaluation.status": "none",
        "sources": "mja-handnhand; Box\n",
    }
    lines = [answers.get(question.name, "") for question in scaffold.asking_order()]
    lines.append("old-name-two")  # the id, asked again once the whole directory has seen the record
    result = run_new(tree, answers="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    assert "  ! id: 'old-name' is already used by directory/renamed.yml; an id names one program for good" in result.stderr
    assert record_data(tree / "directory" / "old-name-two.yml")["name"] == "Old Name"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.text(alphabet=st.characters(codec="utf-8"), max_size=120))
def test_any_text_answer_reads_back_exactly(purpose: str, name: str) -> None:
    answers = {"purpose": purpose, "name": name, "contact.note": name, "sources": [{"ref": name, "locator": purpose}]}
    text = scaffold.render_record(answers)
    data = parse_yaml(text, "x.yml").data
    assert data["purpose"] == purpose and data["name"] == name
    assert data["contact"]["note"] == name and data["sources"] == [{"ref": name, "locator": purpose}]
    assert yaml.safe_load(text)["purpose"] == purpose


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("professions", "2, Nurses, paramedics", ["doctors", "nurses", "paramedics"]),
        ("evaluation.status", "No evaluation available", "none"),
        ("evaluation.status", "99", "99"),
        (
            "sources",
            "mja-handnhand; The initiative; Future directions\nhu2012\n",
            [
                {"ref": "mja-handnhand", "locator": "The initiative; Future directions"},
                {"ref": "hu2012"},
            ],
        ),
        ("purpose", "  Two\n  lines  ", "Two lines"),
        ("more_help", "   ", None),
    ],
)
def test_typed_answers_become_values(name: str, text: str, value: Any) -> None:
    assert scaffold.parse_answer(question(name), text) == value


def test_ids_made_from_names() -> None:
    assert scaffold.suggested_id("Hand-n-Hand Peer Support") == "hand-n-hand-peer-support"
    assert scaffold.suggested_id("Ärzte helfen Ärzten (AhÄ)") == "arzte-helfen-arzten-aha"
    assert scaffold.suggested_id("!!!") == ""
