"""How long a contributor waits for ``peerdir validate`` as the directory grows.

The pre-commit hook and the pull-request check run the whole validator on every change
(ids and websites must be unique across all records), so its wall time, interpreter start
included, is what a commit costs. The real records are copied under new ids (and new
contact addresses, which must be unique) into a temporary checkout up to each size.

    .venv/bin/python benchmarks/validate.py            # writes benchmarks/validate.md
"""

from __future__ import annotations

import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REPORT = Path(__file__).with_suffix(".md")
SIZES = (15, 1_000, 3_000)
RUNS = 3
SCHEMA_LINE = "# yaml-language-server: $schema=../generator/peerdir/schema/program.schema.json\n"


def checkout(target: Path, size: int) -> Path:
    """A copy of the checkout whose directory/ holds ``size`` valid records."""
    for name in ("data", "content", "mkdocs.yml"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / name)
    records = [yaml.safe_load(path.read_text()) for path in sorted((ROOT / "directory").glob("*.yml"))]
    (target / "directory").mkdir()
    for number in range(size):
        record = dict(records[number % len(records)])
        copy = number // len(records)
        if copy:
            record["id"] = f"{record['id']}-{copy}"
            record.pop("former_ids", None)
            contact = dict(record["contact"])
            if "website" in contact:
                contact["website"] = f"{contact['website'].rstrip('/')}/copy-{copy}"
            record["contact"] = contact
        text = SCHEMA_LINE + yaml.safe_dump(record, sort_keys=False, allow_unicode=True)
        (target / "directory" / f"{record['id']}.yml").write_text(text)
    return target


def best_of(command: list[str]) -> float:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        finished = subprocess.run(command, capture_output=True, text=True, check=False)
        timings.append(time.perf_counter() - started)
        if finished.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{finished.stdout}{finished.stderr}")
    return min(timings)


def main() -> int:
    rows = []
    for size in SIZES:
        with tempfile.TemporaryDirectory() as folder:
            tree = checkout(Path(folder), size)
            seconds = best_of([sys.executable, "-m", "peerdir.cli", "validate", "--root", str(tree)])
            rows.append(f"| {size:,} | {seconds:,.2f} s | {seconds / size * 1000:,.2f} ms |")
    REPORT.write_text(
        "# peerdir validate: what a commit waits for\n\n"
        f"`benchmarks/validate.py`, {datetime.date.today().isoformat()}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end; "
        f"fastest of {RUNS} runs of the whole command (interpreter start included), real records copied "
        "under new ids.\n\n"
        "| records | wall time | per record |\n| --- | --- | --- |\n" + "\n".join(rows) + "\n"
    )
    print(f"wrote {REPORT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
