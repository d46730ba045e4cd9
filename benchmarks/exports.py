"""How the open data exports grow with the directory: time and size of each file.

Every build regenerates every export, so their cost must stay linear and small next to
the MkDocs build itself. The real records are copied under new ids up to each size.

    .venv/bin/python benchmarks/exports.py            # writes benchmarks/exports.md
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

from peerdir.exports import atom, csvfile, dataset, envelope, hsds
from peerdir.project import Project
from peerdir.records import Directory, load_directory

ROOT = Path(__file__).resolve().parent.parent
REPORT = Path(__file__).with_suffix(".md")
SIZES = (15, 1_000, 5_000)
SITE = "https://peerdir.github.io/peer-support-directory/"
RUNS = 3


def scaled(directory: Directory, size: int) -> Directory:
    programs = tuple(
        dataclasses.replace(program, id=f"{program.id}-{copy}", name=f"{program.name} {copy}")
        for copy in range(size // len(directory.programs) + 1)
        for program in directory.programs
    )[:size]
    return dataclasses.replace(directory, programs=programs)


def best_of(run: Callable[[], str]) -> tuple[float, int]:
    """Seconds of the fastest of RUNS runs, and the size in bytes of what it wrote."""
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        text = run()
        timings.append(time.perf_counter() - started)
    return min(timings), len(text.encode("utf-8"))


def main() -> int:
    today = datetime.date.today()
    loaded, problems = load_directory(Project(ROOT), today)
    if problems:
        print("\n".join(map(str, problems)), file=sys.stderr)
        return 1
    exports: dict[str, Callable[[Directory], str]] = {
        "data/programs.json": lambda d: envelope.programs_json(d, SITE, dataset.as_of(d, today)),
        "data/programs.csv": lambda d: csvfile.programs_csv(d, SITE),
        "data/hsds/ (both files)": lambda d: "".join(hsds.hsds_files(d, SITE).values()),
        "feed.xml": lambda d: atom.programs_feed(d, SITE, dataset.as_of(d, today), "feed.xml"),
    }
    rows = []
    for size in SIZES:
        directory = scaled(loaded, size)
        for name, export in exports.items():
            seconds, size_bytes = best_of(lambda export=export, directory=directory: export(directory))  # type: ignore[misc]
            rows.append(f"| {size:,} | `{name}` | {seconds * 1000:,.1f} ms | {size_bytes / 1024:,.0f} KB |")
    REPORT.write_text(
        "# Open data exports: time and size\n\n"
        f"`benchmarks/exports.py`, {today.isoformat()}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end; "
        f"fastest of {RUNS} runs, real records copied under new ids.\n\n"
        "| programs | export | time | size |\n| --- | --- | --- | --- |\n" + "\n".join(rows) + "\n\n"
        f"The feed keeps the {atom.MAX_ENTRIES} newest entries, so its size stops growing.\n"
    )
    print(f"wrote {REPORT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
