"""What the benchmarks share: a throw-away copy of the checkout with synthetic programs,
and a static host on 127.0.0.1 that serves a built site as GitHub Pages does (gzip)."""

from __future__ import annotations

import datetime
import gzip
import mimetypes
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

from peerdir.synthetic import write_synthetic_directory

REPO = Path(__file__).resolve().parent.parent
SEED = 2026
COMPRESSED = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")
# Everything of the checkout a build needs (the real records too: the guides link to them).
NOT_COPIED = (".git", ".venv", "node_modules", "site", "build", "test-artifacts", "benchmarks", "__pycache__", ".*_cache", ".cache")

# Chromium is started exactly as the browser tests start it.
sys.path.insert(0, str(REPO / "tests"))
from conftest import CHROMIUM  # noqa: E402,F401  (re-exported)
from conftest import CHROMIUM_FLAGS as FLAGS  # noqa: E402,F401  (re-exported)


def synthetic_tree(target: Path, programs: int, site_url: str | None = None) -> Path:
    """A copy of the checkout at ``target``/checkout whose directory holds ``programs``
    records: the real ones plus seeded synthetic ones."""
    tree = target / "checkout"
    shutil.copytree(REPO, tree, ignore=shutil.ignore_patterns(*NOT_COPIED))
    (tree / "build" / "docs").mkdir(parents=True)
    real = len(list((tree / "directory").glob("*.yml")))
    write_synthetic_directory(tree / "directory", max(programs - real, 0), SEED, datetime.date.today())
    if site_url:
        config = tree / "mkdocs.yml"
        lines = [f"site_url: {site_url}" if line.startswith("site_url:") else line for line in config.read_text().splitlines()]
        config.write_text("\n".join(lines) + "\n")
    return tree


class StaticHost(BaseHTTPRequestHandler):
    """Files of ``root`` as a static host serves them: index.html for folders, gzip for text."""

    root: Path
    cache: dict[Path, bytes]
    # Every response's path and body bytes as sent, workers' requests included (a page's
    # own performance entries miss those).
    sent: ClassVar[list[tuple[str, int]]] = []

    def do_GET(self) -> None:
        path = self.root / unquote(urlsplit(self.path).path).lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or self.root not in path.resolve().parents:
            self.send_error(404)
            return
        body = path.read_bytes()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.send_response(200)
        self.send_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else ""))
        self.send_header("Cache-Control", "max-age=600")
        if "gzip" in self.headers.get("Accept-Encoding", "") and kind.startswith(COMPRESSED):
            if path not in self.cache:
                self.cache[path] = gzip.compress(body, compresslevel=6)
            body = self.cache[path]
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.sent.append((self.path, len(body)))

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving(root: Path, server: ThreadingHTTPServer) -> Iterator[None]:
    StaticHost.root = root.resolve()
    StaticHost.cache = {}
    StaticHost.sent = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
