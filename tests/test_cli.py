"""``peerdir`` as a maintainer runs it: real processes, exit codes, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, RecordWriter, valid_record


def peerdir(*args: str, cwd: Path = REPO, typed: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``peerdir`` as a maintainer does; ``typed`` is what they type at its prompts."""
    return subprocess.run([sys.executable, "-m", "peerdir.cli", *args], cwd=cwd, input=typed, capture_output=True, text=True, timeout=120)


def test_validate_clean_tree_exits_0(tree: Path) -> None:
    result = peerdir("validate", "--root", str(tree))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "records valid" in result.stderr


def test_validate_reports_problems_one_per_line_and_exits_1(tree: Path, write_record: RecordWriter) -> None:
    write_record("sample", valid_record("sample", {"professions: [nurses]": "professions: [nurse]"}))
    write_record("empty", "")
    result = peerdir("validate", "--root", str(tree))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "directory/empty.yml:1:1: record: file is empty; a record is a mapping of fields such as id: and name:",
        result.stdout.splitlines()[1],
    ]
    assert result.stdout.splitlines()[1].startswith(
        "directory/sample.yml:8:15: professions[0]: 'nurse' is not allowed; did you mean 'nurses'"
    )
    assert "Traceback" not in result.stderr


def test_validate_github_format_prints_annotations(tree: Path, write_record: RecordWriter) -> None:
    write_record("sample", valid_record("sample", {"id: sample": "id: other"}))
    result = peerdir("validate", "--format", "github", "--root", str(tree))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=directory/sample.yml,line=2,col=5,title=id::"
        "id: id 'other' must equal the file name 'sample' (rename the file or the id)"
    ]


def test_a_broken_record_gives_one_annotation_per_problem_on_its_line(tree: Path, write_record: RecordWriter) -> None:
    changes = {
        "professions: [nurses]": "professions: [nurse]",
        "  website: https://example.org/sample": "  website: www.example.org/sample",
        "last_reviewed: 2026-01-02": "last_reviewed: 2025-12-31",
    }
    write_record("sample", valid_record("sample", changes))
    result = peerdir("validate", "--format", "github", "--root", str(tree))
    assert result.returncode == 1
    allowed = (
        "'health-workers' (All health workers), 'doctors' (Doctors), 'medical-students' (Medical students), "
        "'nurses' (Nurses), 'midwives' (Midwives), 'pharmacists' (Pharmacists), 'pharmacy-students' (Pharmacy students), "
        "'paramedics' (Paramedics and ambulance staff), 'allied-health' (Allied health professionals), "
        "'mental-health-professionals' (Mental health professionals)"
    )
    assert result.stdout.splitlines() == [
        "::error file=directory/sample.yml,line=8,col=15,title=professions[0]::professions[0]: 'nurse' is not allowed; "
        "did you mean 'nurses' (Nurses)? Allowed: " + allowed,
        "::error file=directory/sample.yml,line=14,col=12,title=contact.website::contact.website: 'www.example.org/sample' is not "
        "an absolute web address starting with https:// or http://; did you mean 'https://www.example.org/sample'?",
        "::error file=directory/sample.yml,line=19,col=16,title=last_reviewed::last_reviewed: 2025-12-31 is earlier than added "
        "(2026-01-01); a record is reviewed when it is added, so write 2026-01-01 or later",
    ]
    assert result.stderr == "3 problem(s) found.\n"


def test_usage_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    for args in (["validate", "--format", "xml"], ["no-such-command"], ["validate", "--root", str(tmp_path / "missing")]):
        result = peerdir(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr


def test_default_root_is_the_checkout_around_the_working_directory() -> None:
    result = peerdir("validate", cwd=REPO / "directory")
    assert result.returncode == 0, result.stderr


def test_generate_writes_pages_and_refuses_invalid_input(tree: Path, write_record: RecordWriter) -> None:
    result = peerdir("generate", "--root", str(tree))
    assert result.returncode == 0, result.stderr
    assert (tree / "build/docs/programs/listening-friends.md").is_file()
    again = peerdir("generate", "--root", str(tree))
    assert " 0 written" in again.stderr
    write_record("sample", "id: [\n")
    broken = peerdir("generate", "--root", str(tree))
    assert broken.returncode == 1
    assert broken.stdout.startswith("directory/sample.yml:2:1: record: YAML syntax error")
    assert not (tree / "build/docs/programs/sample.md").exists()


def test_generate_assembles_content_and_refuses_a_clash(tree: Path) -> None:
    (tree / "content" / "notes.txt").write_text("copied as is")
    assert peerdir("generate", "--root", str(tree)).returncode == 0
    assert (tree / "build/docs/notes.txt").read_text() == "copied as is"
    assert (tree / "build/docs/about.md").read_bytes() == (tree / "content/about.md").read_bytes()
    (tree / "content" / "programs").mkdir()
    (tree / "content" / "programs" / "index.md").write_text("# mine")
    clash = peerdir("generate", "--root", str(tree))
    assert clash.returncode == 1
    assert clash.stdout.startswith("content/programs/index.md:1:1: page: this path is generated")


def test_export_writes_what_the_build_publishes(tree: Path, tmp_path: Path) -> None:
    assert peerdir("generate", "--root", str(tree)).returncode == 0
    published = tree / "build" / "docs"
    json_out = peerdir("export", "--format", "json", "--root", str(tree))
    assert json_out.returncode == 0, json_out.stderr
    assert json_out.stdout == (published / "data/programs.json").read_text()
    csv_file = tmp_path / "out" / "programs.csv"
    csv_out = peerdir("export", "--format", "csv", "--output", str(csv_file), "--root", str(tree))
    assert csv_out.returncode == 0, csv_out.stderr
    assert csv_file.read_bytes() == (published / "data/programs.csv").read_bytes()
    hsds_out = peerdir("export", "--format", "hsds", "--output", str(tmp_path / "hsds"), "--root", str(tree))
    assert hsds_out.returncode == 0, hsds_out.stderr
    assert sorted(path.name for path in (tmp_path / "hsds").iterdir()) == ["organizations.json", "services.json"]
    for path in (tmp_path / "hsds").iterdir():
        assert path.read_bytes() == (published / "data/hsds" / path.name).read_bytes()


def test_export_usage_errors_exit_2(tree: Path, tmp_path: Path) -> None:
    (tmp_path / "file.json").write_text("")
    cases = {
        ("export",): "the following arguments are required: --format",
        ("export", "--format", "xml"): "invalid choice: 'xml'",
        ("export", "--format", "hsds"): "--format hsds writes two files; give a folder with --output",
        ("export", "--format", "json", "--output", str(tmp_path)): "must be a file for --format json",
        ("export", "--format", "hsds", "--output", str(tmp_path / "file.json")): "must be a folder for --format hsds",
    }
    for args, message in cases.items():
        result = peerdir(*args, "--root", str(tree))
        assert result.returncode == 2, args
        assert message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and result.stdout == ""


def test_export_refuses_invalid_records_and_writes_nothing(tree: Path, write_record: RecordWriter, tmp_path: Path) -> None:
    write_record("sample", valid_record("sample", {"regions: [GB]": "regions: [UK]"}))
    result = peerdir("export", "--format", "csv", "--output", str(tmp_path / "programs.csv"), "--root", str(tree))
    assert result.returncode == 1
    assert result.stdout.startswith("directory/sample.yml:9:11: regions[0]: 'UK' is not allowed")
    assert "nothing was exported" in result.stderr
    assert not (tmp_path / "programs.csv").exists()
