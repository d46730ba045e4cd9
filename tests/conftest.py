"""Shared fixtures: a throw-away copy of the checkout to break, and YAML record helpers."""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme
from faultserver import FaultServer

REPO = Path(__file__).resolve().parent.parent
# ../shared/ sits beside the project's own checkouts (never inside the repository);
# PEERDIR_SHARED points elsewhere, e.g. from a git worktree.
SHARED = Path(os.environ.get("PEERDIR_SHARED") or REPO.parent / "shared")
# What a build needs from the checkout (generated folders are left out on purpose).
TREE = ("directory", "data", "content", "theme", "mkdocs.yml", "generator", "build/docs/.gitkeep")


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


def require_shared(path: Path) -> Path:
    """A file of ../shared/: skipped with a reason on a user's clone, a failure in CI."""
    if path.exists():
        return path
    message = f"{path} is not here: ../shared/ exists only beside the project's own checkouts (or set PEERDIR_SHARED)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


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
