"""links.yml: exclusions and accepted statuses, each with a reason; mistakes located."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import REPO
from peerdir.links.config import LinkConfig, Rule, load_config


def load(tmp_path: Path, text: str) -> tuple[LinkConfig, list[str]]:
    path = tmp_path / "links.yml"
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    config, problems = load_config(path, "links.yml")
    return config, [str(problem) for problem in problems]


def test_the_repository_configuration_is_valid() -> None:
    config, problems = load_config(REPO / "links.yml", "links.yml")
    assert problems == []
    assert all(rule.reason for rule in (*config.exclude, *config.accept))


def test_rules_match_exact_addresses_and_prefixes(tmp_path: Path) -> None:
    config, problems = load(
        tmp_path,
        """
        exclude:
          - prefix: https://www.facebook.com/
            reason: Facebook shows robots a login wall.
        accept:
          - url: https://example.org/form
            status: [403, 404]
            reason: The form answers 403 to robots but works in a browser.
          - url: https://example.org/other
            status: 401
            reason: Members' page.
        """,
    )
    assert problems == []
    assert config.excluded("https://www.facebook.com/groups/x") == Rule(
        "https://www.facebook.com/", True, "Facebook shows robots a login wall."
    )
    assert config.excluded("https://facebook.com/") is None
    assert config.accepted("https://example.org/form", 404) is not None
    assert config.accepted("https://example.org/form", 500) is None
    assert config.accepted("https://example.org/form/x", 403) is None
    assert config.accepted("https://example.org/other", 401) is not None


def test_a_missing_file_is_an_empty_configuration(tmp_path: Path) -> None:
    assert load_config(tmp_path / "absent.yml", "absent.yml") == (LinkConfig(), [])


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "exclued: []\n",
            "links.yml:1:1: exclued: 'exclued' is not a section of links.yml; did you mean 'exclude'? Allowed: exclude, accept",
        ),
        (
            "exclude:\n  url: https://x.org/\n",
            "links.yml:2:3: exclude: 'exclude' is a list of entries, each starting with '- url:' or '- prefix:'",
        ),
        (
            "exclude:\n  - url: https://x.org/\n",
            "links.yml:2:5: exclude[0].reason: say why, in a sentence a future maintainer will understand",
        ),
        (
            "exclude:\n  - url: https://x.org/\n    prefix: https://x.org/\n    reason: r\n",
            "links.yml:2:5: exclude[0]: give exactly one of url: (one address) or prefix: (every address starting with it)",
        ),
        (
            "exclude:\n  - url: x.org\n    reason: r\n",
            "links.yml:2:10: exclude[0].url: 'x.org' is not an absolute http(s), mailto: or tel: address",
        ),
        (
            "accept:\n  - url: https://x.org/\n    reason: r\n    status: [40]\n",
            "links.yml:4:13: accept[0].status: a status code (100-999) or a list of them, e.g. [403]",
        ),
        (
            "accept:\n  - url: https://x.org/\n    reason: r\n",
            "links.yml:2:5: accept[0].status: a status code (100-999) or a list of them, e.g. [403]",
        ),
        (
            "exclude:\n  - url: https://x.org/\n    reson: r\n",
            "links.yml:3:5: exclude[0].reson: 'reson' is not a field of exclude entries; did you mean 'reason'? "
            "Allowed: url, prefix, reason",
        ),
        ("exclude:\n  - https://x.org/\n", "links.yml:2:5: exclude[0]: each entry is a mapping with url or prefix and reason"),
        ("exclude: [\n", "links.yml:2:1: record: YAML syntax error: a [ list or { mapping is left open; close it with ] or }"),
    ],
)
def test_mistakes_are_reported_with_file_line_and_field(tmp_path: Path, text: str, problem: str) -> None:
    assert load(tmp_path, text)[1][:1] == [problem]
