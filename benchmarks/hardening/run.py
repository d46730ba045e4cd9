"""Hardening report: how many hostile cases and generated examples were tried, and how
each ended. Runs the hardening tests with hypothesis statistics and writes REPORT.md.

    .venv/bin/python benchmarks/hardening/run.py [--examples N]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REPORT = Path(__file__).with_name("REPORT.md")
SUITES = [
    "tests/test_hostile_input.py",
    "tests/test_properties.py",
    "tests/test_payload_build.py",
    "tests/test_search_index.py::test_the_payload_is_indexed_as_the_text_a_visitor_reads",
    "tests/browser/test_payload.py",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=2000, help="hypothesis examples per property (default 2000)")
    args = parser.parse_args()
    env = {**os.environ, "PEERDIR_HYPOTHESIS_EXAMPLES": str(args.examples)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--hypothesis-show-statistics", *SUITES]
    started = datetime.datetime.now(datetime.UTC)
    run = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    output = run.stdout + run.stderr
    properties = re.findall(
        r"^tests/test_properties\.py::(\w+):\n(?:(?!tests/).*\n)*?\s+- (\d+) passing, (\d+) failing, and (\d+) invalid",
        output,
        re.MULTILINE,
    )
    summary = re.search(r"(\d+) passed(?:, (\d+) failed)?", output)

    sys.path.insert(0, str(REPO / "tests"))
    from test_hostile_input import CASES

    lines = [
        "# Hardening report",
        "",
        f"Generated {started:%Y-%m-%d %H:%M} UTC by `benchmarks/hardening/run.py` on {platform.node() or 'this machine'}"
        f" ({platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores).",
        "",
        "## Hostile records (`tests/test_hostile_input.py`)",
        "",
        f"{len(CASES)} hand-written hostile or broken records, each expected to end in one exact",
        "`file:line:column: field: message` line, plus symlinked and stray files in `directory/`:",
        "",
        *[f"- {name}" for name, _, _ in CASES],
        "",
        "## Generated examples (`tests/test_properties.py`, hypothesis)",
        "",
        "| property | examples that ended as expected | failing | discarded by the strategy |",
        "| --- | ---: | ---: | ---: |",
        *[f"| `{name}` | {passing} | {failing} | {invalid} |" for name, passing, failing, invalid in properties],
        "",
        f"Total generated examples: {sum(int(p[1]) + int(p[2]) for p in properties):,}; failing: {sum(int(p[2]) for p in properties)}.",
        "",
        "## Payload build (`tests/test_payload_build.py`)",
        "",
        "A record whose every text field holds script, event-handler, `javascript:`, HTML-comment,",
        "attribute-list and snippet payloads is built with MkDocs; every page, title, meta",
        "description and the directory's `cards.json` are audited for anything executable, and",
        "the Pagefind search index is shown to hold it only as the text a visitor reads.",
        "",
        "## In a real browser (`tests/browser/test_payload.py`)",
        "",
        "The same record in a site served on 127.0.0.1 and opened in Debian's Chromium: its page,",
        "the directory filtered to it (cards drawn from `cards.json` too) and the search results",
        "show every payload as text;",
        "no dialog opens, a trapped `alert` is never called, and no page reports a",
        "Content-Security-Policy violation (every browser test fails on one).",
        "",
        "## Verdict",
        "",
        (
            f"pytest: {summary.group(0) if summary else 'no summary'} (exit {run.returncode}). "
            + (
                "Every case ended in a clear, located error or a safe page."
                if run.returncode == 0
                else "SOME CASES DID NOT: see the pytest output."
            )
        ),
        "",
    ]

    REPORT.write_text("\n".join(lines), encoding="utf-8")
    print(REPORT.read_text())
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
