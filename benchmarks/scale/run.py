"""How the build and the site grow from 100 to 10,000 programs; writes REPORT.md.

For each size, a throw-away copy of the checkout gets seeded synthetic programs
(``peerdir.synthetic``, added to the real ones) and is measured, medians of 11 runs below
10,000 programs and 5 at 10,000 (this machine's speed varies by a fifth from one run to
the next, as much as the generator's cost being measured; each run is listed):

- ``peerdir validate``: wall time, interpreter start included (what a commit costs);
- ``peerdir build`` (generate, ``mkdocs build --strict``, search index, swap): wall time
  and peak memory of the process and its children;
- the baseline: ``mkdocs build`` and the same Pagefind indexing, of the very Markdown
  pages ``peerdir generate`` wrote, copied into a plain project with the same theme and
  settings and no hook, so the difference is what the generator costs;
- the built site's size, per program;
- in Debian's Chromium, with the site served as GitHub Pages serves it (gzip): what the
  directory page transfers, and what a visitor downloads from opening the home page to the
  first search result;
- at 1,000 programs: how long ``mkdocs serve`` takes to show a changed record.

At the largest size the same pages are also built once with Material's own search, to
compare its index with the one the site uses.

    .venv/bin/python benchmarks/scale/run.py [--sizes 100 1000 10000] [--runs 11] [--large-runs 5]
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from common import CHROMIUM, FLAGS, StaticHost, serving, synthetic_tree  # noqa: E402

REPORT = HERE / "REPORT.md"
WORK = HERE.parent / ".work"  # git-ignored
PYTHON = sys.executable
QUERIES = ("nurses", "Harbour")  # a profession, and a word of many synthetic program names
SERVE_EDITS = 3
# What the figures do not say by themselves; measured by hand, kept true when they change.
NOTES = """## Where the generator's time goes

Measured by hand with timestamps in `peerdir generate` on the 1,000-program tree, docs
folder empty: interpreter start and imports 0.15 s; loading and checking the records,
guides and bibliography 0.25 to 0.35 s (on both cores); compiling the templates 0.06 s;
rendering and writing every generated page 0.6 s (both cores, each part written by the
worker that rendered it); about 1.1 s in all. The baseline pays for none of this, because
its Markdown is already written.

Until 2026-12-01 this benchmark deleted the last run's site and docs folder just before
each run. On ext4 without a journal, as on these machines, the kernel then skips every
recently freed inode at each file it creates, for one to six minutes (`recently_deleted`
in fs/ext4/ialloc.c): the generator's 1,073 files took up to 0.8 s to write instead of
0.1 s, which a fresh clone never sees. Finished runs are now set aside and deleted at the
end. The generator's own work was also cut by a fifth (10.7 to 8.3 billion instructions
for one `generate` on one core, counted with callgrind). Peak memory at 10,000 programs
is MkDocs, which holds every page until it writes the site.
"""
# The same build without the generator: MkDocs, then the same search index peerdir build makes.
BASELINE = f"{PYTHON} -m mkdocs build --strict && {PYTHON} -m pagefind --site site --output-subdir pagefind --quiet"


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float


@dataclass
class Size:
    programs: int
    validate: list[float] = field(default_factory=list)
    build: list[Run] = field(default_factory=list)
    baseline: list[Run] = field(default_factory=list)
    site_bytes: int = 0
    files: int = 0
    directory_kb: float = 0.0
    directory_html_kb: float = 0.0
    search: dict[str, tuple[float, float]] = field(default_factory=dict)  # query -> (KB, ms)
    material_search: dict[str, tuple[float, float]] = field(default_factory=dict)
    material_index_kb: tuple[float, float] = (0.0, 0.0)  # raw, gzip
    serve: dict[str, list[float]] = field(default_factory=dict)

    def per_program(self, runs: list[Run]) -> float:
        return statistics.median(run.seconds for run in runs) / self.programs * 1000


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Wall time and peak resident memory of a command and everything it starts."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{errors.decode(errors='replace')[-3000:]}")
    # Linux reports the largest of the process and its waited-for children, in KB.
    return Run(seconds, usage.ru_maxrss / 1024)


def set_aside(folder: Path, work: Path) -> None:
    """Move a finished run's folder out of the way instead of deleting it.

    On ext4 without a journal (as on these machines), the kernel will not reuse an inode
    for one to six minutes after its file was deleted, and each file created meanwhile in
    that part of the disk first walks past every such inode (``recently_deleted`` in
    fs/ext4/ialloc.c). Deleting the last run's thousands of files just before the next run
    made that run's own writes several times slower than on a fresh clone, and more for
    one side of a comparison than the other. Everything set aside is deleted with the work
    folder, after the last measurement; the work folder is in the checkout
    (``benchmarks/.work/``), away from the system's temporary folder, where other programs
    (a test run, say) delete thousands of files.
    """
    if folder.exists():
        aside = work / "set-aside"
        aside.mkdir(exist_ok=True)
        folder.rename(aside / f"{len(list(aside.iterdir()))}-{folder.name}")


def baseline_project(tree: Path, target: Path) -> Path:
    """The generated Markdown as a plain MkDocs project: same theme and settings, no hook."""
    project = target / "baseline"
    shutil.copytree(tree / "build" / "docs", project / "docs")
    shutil.copytree(tree / "theme", project / "theme")
    config = (tree / "mkdocs.yml").read_text()
    config = re.sub(r"^docs_dir:.*$", "docs_dir: docs", config, flags=re.MULTILINE)
    config = re.sub(r"^(hooks|watch):\n(  - .*\n)+", "", config, flags=re.MULTILINE)
    (project / "mkdocs.yml").write_text(config)
    return project


def with_material_search(project: Path) -> None:
    """Material's own search, as the site had it before Pagefind: its plugin on, its own
    header and search box (the theme's replace them for Pagefind), no Pagefind script."""
    config = project / "mkdocs.yml"
    text = re.sub(r"^plugins:.*\n((  - .*|    .*)\n)*", "", config.read_text(), flags=re.MULTILINE)
    text = text.replace("  - assets/search.js\n", "")
    config.write_text(text + "\nplugins:\n  - search\n")
    for partial in ("header.html", "search.html"):
        (project / "theme" / "partials" / partial).unlink(missing_ok=True)


def folder_size(folder: Path) -> tuple[int, int]:
    files = [path for path in folder.rglob("*") if path.is_file()]
    return sum(path.stat().st_size for path in files), len(files)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def sent_kb() -> float:
    return sum(size for _, size in StaticHost.sent) / 1024


def in_browser(site: Path, action: Callable[[Any, str], Any]) -> Any:
    """``action(page, url)`` on a fresh page of Chromium, the site served with gzip."""
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), StaticHost)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    with serving(site, server), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            return action(browser.new_page(viewport={"width": 1280, "height": 900}), url)
        finally:
            browser.close()


def directory_transfer(page: Any, url: str) -> tuple[float, float]:
    """KB the directory page transfers on a first visit (everything it loads by itself), and of that its HTML."""
    page.goto(url + "programs/", wait_until="networkidle")
    page.wait_for_timeout(1500)  # anything started after the load (Material fetches late)
    page.wait_for_load_state("networkidle")
    html = sum(size for path, size in StaticHost.sent if path.rstrip("/").endswith("programs")) / 1024
    return sent_kb(), html


def first_result(query: str) -> Callable[[Any, str], tuple[float, float]]:
    """KB from opening the home page to the first search result for ``query``, and the ms
    from the last key press to that result."""

    def measure(page: Any, url: str) -> tuple[float, float]:
        page.goto(url, wait_until="load")
        page.click(".md-search__input")
        started = time.perf_counter()
        page.keyboard.type(query)
        page.wait_for_selector(".md-search-result__item", timeout=120_000)
        elapsed = (time.perf_counter() - started) * 1000
        return sent_kb(), elapsed

    return measure


def serve_rebuilds(tree: Path) -> dict[str, list[float]]:
    """Seconds from saving a changed record to ``mkdocs serve`` serving it, as ``make serve``
    runs it and with ``--dirty`` (MkDocs rebuilds only the pages whose files changed)."""
    results: dict[str, list[float]] = {}
    record = sorted((tree / "directory").glob("synthetic-*.yml"))[0]
    program = f"programs/{record.stem}/"
    # mkdocs serve serves the site under the path of its site_url.
    site_url = re.search(r"^site_url: *(.*)$", (tree / "mkdocs.yml").read_text(), flags=re.MULTILINE)
    base = urllib.parse.urlsplit(site_url.group(1) if site_url else "/").path.strip("/")
    program = f"{base}/{program}" if base else program
    original = record.read_text()
    for name, extra in (("mkdocs serve", []), ("mkdocs serve --dirty (make serve)", ["--dirty"])):
        port = free_port()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        command = [PYTHON, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", *extra]
        server = subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_for(f"http://127.0.0.1:{port}/{program}", "", 600)
            times = []
            for edit in range(SERVE_EDITS):
                marker = f"Edited for the benchmark, {name} {edit}."
                record.write_text(re.sub(r"^purpose: .*$", f"purpose: {marker}", original, count=1, flags=re.MULTILINE))
                started = time.perf_counter()
                _wait_for(f"http://127.0.0.1:{port}/{program}", marker, 300)
                times.append(time.perf_counter() - started)
                time.sleep(1)
            results[name] = times
        finally:
            server.terminate()
            server.wait(30)
            record.write_text(original)
    return results


def _wait_for(url: str, text: str, limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8", "replace"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"{url} did not show {text!r} within {limit:.0f} s")


def measure(programs: int, runs: int, work: Path, compare_search: bool, serve: bool) -> Size:
    size = Size(programs)
    tree = synthetic_tree(work, programs)
    peerdir = [PYTHON, "-m", "peerdir.cli"]
    site = work / "site"
    for _ in range(runs):
        size.validate.append(timed([*peerdir, "validate", "--root", str(tree)], tree).seconds)
    subprocess.run([*peerdir, "generate", "--root", str(tree)], check=True, stdout=subprocess.DEVNULL)
    baseline = baseline_project(tree, work)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # Interleaved, so that other work on the machine slows both alike.
    # Both start every run from nothing: no previous site, and no docs folder left from the
    # last run (a fresh clone, as in CI). What a run made is set aside, not deleted (see
    # set_aside).
    for _ in range(runs):
        set_aside(baseline / "site", work)
        size.baseline.append(timed(["sh", "-c", BASELINE], baseline, env))
        set_aside(site, work)
        set_aside(tree / "build" / "docs", work)
        (tree / "build" / "docs").mkdir()
        size.build.append(timed([*peerdir, "build", "--root", str(tree), "--site-dir", str(site)], tree))
    size.site_bytes, size.files = folder_size(site)
    size.directory_kb, size.directory_html_kb = in_browser(site, directory_transfer)
    for query in QUERIES:
        size.search[query] = in_browser(site, first_result(query))
    if compare_search:
        with_material_search(baseline)
        set_aside(baseline / "site", work)
        timed([PYTHON, "-m", "mkdocs", "build"], baseline, env)
        index = baseline / "site" / "search" / "search_index.json"
        if index.exists():
            import gzip

            raw = index.read_bytes()
            size.material_index_kb = (len(raw) / 1024, len(gzip.compress(raw, 6)) / 1024)
            for query in QUERIES:
                size.material_search[query] = in_browser(baseline / "site", first_result(query))
    if serve:
        size.serve = serve_rebuilds(tree)
    return size


def verdict(met: bool, text: str) -> str:
    return f"**{'met' if met else 'missed'}**: {text}"


def runs_said(sizes: list[Size]) -> str:
    """How many runs each size had, in words: "11 runs (5 at 10,000 programs)"."""
    counts = {size.programs: len(size.build) for size in sizes}
    usual = statistics.mode(counts.values())
    others = ", ".join(f"{count} at {programs:,} programs" for programs, count in counts.items() if count != usual)
    return f"{usual} runs" + (f" ({others})" if others else "")


def report(sizes: list[Size]) -> str:
    by = {size.programs: size for size in sizes}
    versions = ", ".join(f"{name} {importlib.metadata.version(name)}" for name in ("mkdocs", "mkdocs-material", "pagefind"))
    median = statistics.median
    lines = [
        "# Scale benchmark: 100 to 10,000 programs",
        "",
        f"Generated by `benchmarks/scale/run.py` on {datetime.date.today().isoformat()}: {platform.machine()}, "
        f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, {versions}; "
        f"load average {os.getloadavg()[0]:.1f} when the report was written (other work on the machine slows every "
        f"time). Medians of {runs_said(sizes)}. Programs are the real records plus seeded synthetic ones "
        "(`peerdir.synthetic`: varied countries, professions, formats and text lengths).",
        "",
        "| programs | validate | build | build per program | baseline build | build / baseline | peak memory |"
        " site size | per program | directory page (gzip) | of which HTML |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in sizes:
        build = median(run.seconds for run in size.build)
        base = median(run.seconds for run in size.baseline)
        lines.append(
            f"| {size.programs:,} | {median(size.validate):.2f} s | {build:.1f} s | {size.per_program(size.build):.1f} ms "
            f"| {base:.1f} s | {build / base:.2f}x | {max(run.peak_mb for run in size.build):.0f} MB "
            f"| {size.site_bytes / 1e6:.1f} MB ({size.files:,} files) | {size.site_bytes / size.programs / 1024:.1f} KB "
            f"| {size.directory_kb:.0f} KB | {size.directory_html_kb:.0f} KB |"
        )
    lines += ["", "Each run, in seconds, in the order run (baseline and build alternate):", ""]
    for size in sizes:
        lines.append(
            f"- {size.programs:,} programs: build {', '.join(f'{r.seconds:.1f}' for r in size.build)}; "
            f"baseline {', '.join(f'{r.seconds:.1f}' for r in size.baseline)}"
        )
    lines += ["", "## Search: what a visitor downloads before the first result", ""]
    lines += [
        "| programs | index | query | KB before the first result | ms from last key to result |",
        "| ---: | --- | --- | ---: | ---: |",
    ]
    for size in sizes:
        for query, (kb, ms) in size.search.items():
            lines.append(f"| {size.programs:,} | the site's (Pagefind) | {query} | {kb:.0f} KB | {ms:.0f} ms |")
        for query, (kb, ms) in size.material_search.items():
            lines.append(f"| {size.programs:,} | Material's (same pages) | {query} | {kb:.0f} KB | {ms:.0f} ms |")
    for size in sizes:
        if size.material_index_kb[0]:
            raw, gz = size.material_index_kb
            lines += ["", f"Material's `search_index.json` at {size.programs:,} programs: {raw / 1024:.1f} MB, {gz:.0f} KB gzipped."]
    lines += ["", "## `mkdocs serve`: from saving a record to the page showing it", ""]
    for size in sizes:
        for name, times in size.serve.items():
            lines.append(f"- {size.programs:,} programs, `{name}`: median {median(times):.1f} s ({', '.join(f'{t:.1f}' for t in times)})")
    lines += ["", NOTES.rstrip("\n")]
    lines += ["", "## Targets", ""]
    small, large = by.get(1000), by.get(10000)
    if small and large:
        ratio = large.per_program(large.build) / small.per_program(small.build)
        lines.append(
            f"- Linear growth (per-program build time at 10,000 at most 1.2x that at 1,000): {verdict(ratio <= 1.2, f'{ratio:.2f}x')}"
        )
    if small:
        ratio = median(r.seconds for r in small.build) / median(r.seconds for r in small.baseline)
        lines.append(f"- The generator costs little (build at most 1.15x the baseline at 1,000): {verdict(ratio <= 1.15, f'{ratio:.2f}x')}")
    if large:
        seconds = median(large.validate)
        lines.append(f"- `peerdir validate` for 10,000 records under 5 s: {verdict(seconds < 5, f'{seconds:.2f} s')}")
        # At 10,000 the theme's own files (a few MB, whatever the size) have all but vanished
        # from the average; the growth from 1,000 is what each further program costs.
        average = large.site_bytes / large.programs / 1024
        growth = (
            f"; each program past 1,000 adds {(large.site_bytes - small.site_bytes) / (large.programs - small.programs) / 1024:.1f} KB"
            if small
            else ""
        )
        lines.append(f"- Site size per program under 40 KB: {verdict(average < 40, f'{average:.1f} KB at 10,000{growth}')}")
        lines.append(
            f"- Directory page under 400 KB gzipped at 10,000: {verdict(large.directory_kb < 400, f'{large.directory_kb:.0f} KB')}"
        )
        worst_search = max((kb for kb, _ in large.search.values()), default=float("inf"))
        lines.append(
            f"- Search under 500 KB before the first result at 10,000: {verdict(worst_search < 500, f'at most {worst_search:.0f} KB')}"
        )
    if small and small.serve:
        best = min(median(times) for times in small.serve.values())
        lines.append(f"- One-record rebuild in `mkdocs serve` under 5 s at 1,000: {verdict(best < 5, f'{best:.1f} s')}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--runs", type=int, default=11, help="runs below 10,000 programs (each takes seconds)")
    parser.add_argument("--large-runs", type=int, default=5, help="runs at 10,000 programs and more")
    parser.add_argument("--report", type=Path, default=REPORT)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is needed: apt-get install -y chromium")
    sizes = []
    # One work folder for every size, deleted only at the end (see set_aside).
    WORK.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="scale-", dir=WORK) as root:
        for programs in args.sizes:
            print(f"measuring {programs:,} programs ...", file=sys.stderr, flush=True)
            work = Path(root) / str(programs)
            work.mkdir()
            runs = args.large_runs if programs >= 10_000 else args.runs
            sizes.append(measure(programs, runs, work, programs == max(args.sizes), programs == 1000))
    args.report.write_text(report(sizes))
    print(args.report.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
