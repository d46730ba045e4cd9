"""Shared fixtures: a throw-away copy of the checkout to break, and YAML record helpers."""

from __future__ import annotations

import functools
import os
import shutil
import socket
import ssl
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import trustme
from faultserver import FaultServer
from peerdir.yamlfile import parse_yaml

REPO = Path(__file__).resolve().parent.parent
# ../shared/ sits beside the project's own checkouts (never inside the repository);
# PEERDIR_SHARED points elsewhere, e.g. from a git worktree.
SHARED = Path(os.environ.get("PEERDIR_SHARED") or REPO.parent / "shared")
# What a build needs from the checkout (generated folders are left out on purpose).
TREE = ("directory", "data", "content", "theme", "mkdocs.yml", "generator", "build/docs/.gitkeep", ".github")


def copy_tree(target: Path) -> Path:
    for name in TREE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A private copy of the checkout's records, content, theme and config."""
    return copy_tree(tmp_path / "checkout")


RecordWriter = Callable[..., Path]


@pytest.fixture
def write_record(tree: Path) -> RecordWriter:
    """Write directory/<name>.yml in the private tree from dedented YAML text."""

    def write(name: str, text: str) -> Path:
        path = tree / "directory" / f"{name}.yml"
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


VALID_RECORD = """\
# yaml-language-server: $schema=../generator/peerdir/schema/program.schema.json
id: {id}
name: Test Program {id}
organisation:
  name: Test Organisation
purpose: A program used only by the test suite.
support: One-to-one conversations with a trained peer.
professions: [nurses]
regions: [GB]
delivery: [phone]
evaluation:
  status: none
contact:
  website: https://example.org/{id}
sources:
  - ref: mja-handnhand
    locator: Box
added: 2026-01-01
last_reviewed: 2026-01-02
status: active
"""


def valid_record(record_id: str, changes: dict[str, str] | None = None) -> str:
    """A valid record; ``changes`` replaces whole lines (old line -> new text)."""
    text = VALID_RECORD.format(id=record_id)
    for old, new in (changes or {}).items():
        assert old in text, f"{old!r} is not a line of the sample record"
        text = text.replace(old, new)
    return text


def peerdir_build(tree: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """``peerdir build`` of the checkout ``tree`` into ``site``, as a real process."""
    command = [sys.executable, "-m", "peerdir.cli", "build", "--root", str(tree), "--site-dir", str(site)]
    return subprocess.run(command, cwd=tree, capture_output=True, text=True, timeout=300)


def require_shared(path: Path) -> Path:
    """A file of ../shared/: skipped with a reason on a user's clone, a failure in CI."""
    return require_file(path, "../shared/ exists only beside the project's own checkouts (or set PEERDIR_SHARED)")


def require_file(path: Path, how_to_get_it: str) -> Path:
    """A file a test needs from outside the repository: skipped locally when missing, a failure in CI."""
    if path.exists():
        return path
    message = f"{path} is not here: {how_to_get_it}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def record_data(path: Path) -> dict[str, Any]:
    """A record file's data, read by the project's own strict reader."""
    data: dict[str, Any] = parse_yaml(path.read_text(), path.name).data
    return data


# -- The link checker's servers: real HTTP and HTTPS on 127.0.0.1, misbehaving on request --


@dataclass(frozen=True)
class LinkServers:
    server: FaultServer
    http: str  # base URL of plain HTTP
    https: str  # HTTPS with a certificate the client trusts
    untrusted: str  # HTTPS with a certificate from an authority nobody trusts
    refused: str  # a port nothing listens on
    client_tls: ssl.SSLContext  # trusts the test authority only


@pytest.fixture(scope="session")
def link_servers() -> Iterator[LinkServers]:
    authority, stranger = trustme.CA(), trustme.CA()
    trusted_context, untrusted_context = (ssl.create_default_context(ssl.Purpose.CLIENT_AUTH) for _ in range(2))
    authority.issue_cert("127.0.0.1").configure_cert(trusted_context)
    stranger.issue_cert("127.0.0.1").configure_cert(untrusted_context)
    client_tls = ssl.create_default_context()
    authority.configure_trust(client_tls)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{probe.getsockname()[1]}"
    server = FaultServer().start()
    try:
        yield LinkServers(
            server, server.listen(), server.listen(tls=trusted_context), server.listen(tls=untrusted_context), refused, client_tls
        )
    finally:
        server.stop()


# -- A real browser: Debian's Chromium through Playwright, and a folder served on 127.0.0.1 --

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium tries to reach Google at start-up.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the whole session. Playwright's synchronous API keeps an event loop
    open while it runs, so a second one in the same process would refuse to start."""
    require_file(CHROMIUM, "install Debian's Chromium: apt-get install -y chromium fonts-liberation")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """``folder`` served over HTTP on 127.0.0.1, as a static host would; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
