"""Material's search against Pagefind's on the same synthetic site; writes REPORT.md.

Target: a visitor downloads under 500 KB before the first search result at 10,000
programs. Material's search downloads its whole index before the first result; Pagefind
fetches its entry file, WebAssembly and the index chunks for the words typed.

Builds one throw-away tree of the real records plus seeded synthetic programs twice: with
the search of ``--material-ref`` (the last commit with Material's search) and with this
checkout's (Pagefind, indexed by ``peerdir build``). Each site is served on 127.0.0.1 the
way a static host does (gzip for text, as in benchmarks/ux/), and for each query a fresh
Chromium opens the home page, types the query at once and waits for the first result. The
server counts the bytes it sends (gzip-encoded, bodies only) from the home page's request
to the first result.

Needs /usr/bin/chromium and git (for the Material build). Run from the checkout:
.venv/bin/python benchmarks/search/run.py [--programs 10000]
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "benchmarks" / "ux"))
sys.path.insert(0, str(REPO / "tests"))
import run as ux  # noqa: E402  (benchmarks/ux/run.py: the static host)
from conftest import CHROMIUM  # noqa: E402
from conftest import CHROMIUM_FLAGS as FLAGS  # noqa: E402

TARGET_KB = 500.0
SEED = 2026
TODAY = datetime.date(2026, 11, 22)  # fixed, so both builds hold the same records
FIRST_RESULT = ".md-search-result__item a"
# Addresses of the search's own files: Pagefind's folder; Material's index and worker.
SEARCH_FILES = ("/pagefind/", "/search/search_index.json", "/workers/search.")


class CountingHost(ux.StaticHost):
    """The static host, remembering each response's path and body size as sent."""

    sent: list[tuple[str, int]]

    def send_header(self, keyword: str, value: str) -> None:
        if keyword == "Content-Length":
            self.sent.append((self.path, int(value)))
        super().send_header(keyword, value)


@dataclass(frozen=True)
class Search:
    query: str
    bytes_sent: int
    search_bytes: int  # of which the search's own files (index, its code, WebAssembly)
    files: int
    ms_to_result: float  # from the home page's navigation start
    ms_after_typing: float  # from the query typed
    found: bool  # the expected program among the first results (or any result)


def build(tree: Path, site: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "peerdir.cli", "build", "--root", str(tree), "--site-dir", str(site)], check=True)
    return time.perf_counter() - started


def tree_at(ref: str | None, target: Path, programs: int) -> Path:
    """The checkout (or ``ref`` of it) without .git, plus synthetic records."""
    from peerdir.synthetic import write_synthetic_directory

    if ref is None:
        shutil.copytree(REPO, target, ignore=shutil.ignore_patterns(*ux.NOT_COPIED))
        shutil.copytree(REPO / "directory", target / "directory")
    else:
        target.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", ref], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    (target / "build" / "docs").mkdir(parents=True, exist_ok=True)
    write_synthetic_directory(target / "directory", programs, SEED, TODAY)
    return target


def measure(site: Path, query: str, expected: str | None) -> Search:
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), CountingHost)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    CountingHost.sent = []
    with ux.serving(site, server), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url, wait_until="load")
        page.click(".md-search__input")
        typed = page.evaluate("() => performance.now()")
        page.fill(".md-search__input", query)
        page.keyboard.press("End")  # Material searches on key-up
        shown = page.wait_for_function(f"() => document.querySelector('{FIRST_RESULT}') && performance.now()", timeout=120_000)
        at = float(shown.json_value())
        sent = list(CountingHost.sent)
        links = page.eval_on_selector_all(FIRST_RESULT, "links => links.slice(0, 10).map(link => link.href)")
        browser.close()
    found = any(f"/programs/{expected}/" in link for link in links) if expected else bool(links)
    searching = sum(size for path, size in sent if any(part in path for part in SEARCH_FILES))
    return Search(query, sum(size for _, size in sent), searching, len(sent), at, at - typed, found)


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def folder_bytes(folder: Path) -> tuple[int, int]:
    files = [path for path in folder.rglob("*") if path.is_file()]
    return sum(path.stat().st_size for path in files), len(files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=10_000)
    parser.add_argument("--material-ref", default="b2d22bb", help="a commit with Material's search (default: b2d22bb)")
    parser.add_argument("--report", type=Path, default=HERE / "REPORT.md")
    parser.add_argument("--work", type=Path, default=None, help="keep the trees and sites here (default: a temp folder)")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: apt-get install -y chromium", file=sys.stderr)
        return 2

    work = args.work or Path(tempfile.mkdtemp(prefix="peerdir-search-"))
    try:
        results: dict[str, Any] = {}
        for name, ref in (("Material", args.material_ref), ("Pagefind", None)):
            tree = work / name.lower()
            site = work / f"{name.lower()}-site"
            timed = work / f"{name.lower()}-build-seconds.txt"  # kept with the site, for re-runs with --work
            if not site.exists():
                timed.write_text(str(build(tree_at(ref, tree, args.programs), site)))
            results[f"{name} build s"] = float(timed.read_text())
            name_query = (tree / "directory" / "synthetic-04321.yml").read_text().split("\nname: ")[1].split("\n")[0]
            results[name] = [measure(site, "nurses", None), measure(site, name_query, "synthetic-04321")]
            if name == "Material":
                index = site / "search" / "search_index.json"
                results["material index"] = (index.stat().st_size, gzipped(index))
            else:
                started = time.perf_counter()
                again = work / "pagefind-again"
                shutil.rmtree(again, ignore_errors=True)
                subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(again), "--quiet"], check=True)
                results["pagefind seconds"] = time.perf_counter() - started
                results["pagefind size"] = folder_bytes(site / "pagefind")
                results["pagefind index only"] = folder_bytes(site / "pagefind" / "index")
                results["pagefind fragments"] = folder_bytes(site / "pagefind" / "fragment")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    args.report.write_text(report(args.programs, results))
    print(f"wrote {args.report}")
    return 0


def report(programs: int, results: dict[str, Any]) -> str:
    raw, packed = results["material index"]
    total, files = results["pagefind size"]
    index_bytes, chunks = results["pagefind index only"]
    fragment_bytes, fragments = results["pagefind fragments"]
    worst = max(search.bytes_sent for search in results["Pagefind"]) / 1024
    verdict = f"met, {TARGET_KB - worst:.0f} KB to spare" if worst < TARGET_KB else f"missed by {worst - TARGET_KB:.0f} KB"
    rows = [
        f"| {name} | `{search.query}` | {search.bytes_sent / 1024:.0f} KB in {search.files} files "
        f"({search.search_bytes / 1024:.0f} KB of them search) | "
        f"{search.ms_to_result:.0f} ms | {search.ms_after_typing:.0f} ms | {'yes' if search.found else 'no'} |"
        for name in ("Material", "Pagefind")
        for search in results[name]
    ]
    load = os.getloadavg()[0]
    return "\n".join(
        [
            "# Search benchmark: Material's search against Pagefind",
            "",
            f"Generated by `benchmarks/search/run.py` on {datetime.date.today().isoformat()}: {programs:,} synthetic "
            f"programs added to the real records (seed {SEED}), {platform.machine()}, {os.cpu_count()} cores (load "
            f"average {load:.1f}: other work on the machine slows every time), Debian Chromium headless, a fresh "
            "browser per query, served from 127.0.0.1 with gzip for text as a static host sends it.",
            "",
            f"Target: under {TARGET_KB:.0f} KB downloaded from opening the home page to the first search result. "
            f"Pagefind: **{verdict}** (worst query {worst:.0f} KB).",
            "",
            "| search | query | sent by the server, gzip, home page to first result | first result after navigation "
            "start | after typing | expected program in the first 10 |",
            "| --- | --- | --- | --- | --- | --- |",
            *rows,
            "",
            "Both columns of bytes include the home page itself with its CSS, JavaScript and icons; the second query "
            "is a synthetic program's full name. Material's figure is almost all its index, fetched by every page "
            "at start whether or not the visitor searches; Pagefind fetches nothing until the search box gets focus.",
            "",
            "## The indexes",
            "",
            f"- Material's `search/search_index.json`: {raw / 1e6:.1f} MB raw, {packed / 1e6:.2f} MB gzipped "
            f"({packed / programs:.0f} bytes a program), all of it fetched before the first result.",
            f"- Pagefind's `pagefind/`: {total / 1e6:.1f} MB on disk in {files:,} files, of which {chunks} index "
            f"chunks ({index_bytes / 1e6:.1f} MB) and {fragments:,} page fragments ({fragment_bytes / 1e6:.1f} MB; "
            "one per page, fetched only for the results shown). Its files are compressed by Pagefind itself.",
            f"- Pagefind's indexing of the built site: {results['pagefind seconds']:.0f} s "
            "(`python -m pagefind --site`, run again on its own).",
            "",
            "Whole builds (`peerdir build`, generate + MkDocs + index for Pagefind): "
            + ", ".join(f"{name}: {results[f'{name} build s']:.0f} s" for name in ("Material", "Pagefind"))
            + ".",
            "",
        ]
    )


if __name__ == "__main__":
    raise SystemExit(main())
