"""A real HTTP server on loopback that misbehaves on request, for the link checker's tests
and benchmark. The path chooses the behaviour:

    /ok, /page/<anything>        200
    /sleep/<ms>/<anything>       200 after <ms> milliseconds
    /status/<code>               that status to HEAD and GET (?retry-after=N adds the header)
    /chain/<c1>-<c2>-.../<end>   redirect with c1 to /chain/<c2>-.../<end>, and so on, to /<end>
    /loop/a, /loop/b             302 to each other
    /head/<code>                 <code> to HEAD, 200 to GET
    /flaky/<code>/<n>/<key>      <code> for the first n requests to this path, then 200
                                 (429 and 503 carry Retry-After: 1)
    /challenge                   503 with cf-mitigated: challenge (a bot challenge page)
    /hang                        reads the request, never answers
    /dribble-headers             the status line one byte at a time, never finished
    /dribble-body                200 at once, then the body one byte per 0.2 s
    /huge                        200 and a 10 GiB body sent as fast as it is read

``?head=<code>`` on any path answers HEAD with <code> (forcing a checker onto GET).
Every response waits ``delay`` seconds first (the benchmark's slow hosts). Connections are
kept alive as HTTP/1.1 allows. Run as a script it serves until stdin closes, printing one
JSON line with each listener's address: ``python tests/faultserver.py --delay 0.1 --host
127.0.0.2 --host 127.0.0.3 [--tls-cert CERT --tls-key KEY --tls-host 127.0.0.4]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import ssl
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

HUGE = 10 * 1024**3


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    user_agent: str
    port: int


def reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Request denied"


class FaultServer:
    """Listeners on loopback, served by one asyncio loop (in a thread for tests)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.requests: list[Request] = []
        # Requests being answered at this moment, and the most ever, per listening port.
        self.in_flight: dict[int, int] = {}
        self.most_in_flight: dict[int, int] = {}
        # Ports whose requests in flight are also counted together (a test of global limits).
        self.watched: set[int] = set()
        self.most_watched = 0
        self._counts: dict[str, int] = {}
        self._servers: list[asyncio.Server] = []
        self._handlers: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    # -- running in a thread (tests) -------------------------------------------------
    def start(self) -> FaultServer:
        self._loop = asyncio.new_event_loop()
        self._loop.set_exception_handler(lambda loop, context: None)  # failed TLS handshakes are expected
        self._thread = threading.Thread(target=self._loop.run_forever, name="faultserver", daemon=True)
        self._thread.start()
        return self

    def listen(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> str:
        """Open a listener on a free port; returns its base URL (no trailing slash)."""
        assert self._loop is not None, "start() first"
        return asyncio.run_coroutine_threadsafe(self.open(host, tls), self._loop).result(10)

    def stop(self) -> None:
        assert self._loop is not None and self._thread is not None
        asyncio.run_coroutine_threadsafe(self.close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def count(self, path: str) -> int:
        """How many requests reached ``path`` (query left out)."""
        return sum(1 for request in self.requests if request.path == path)

    # -- the loop's side ---------------------------------------------------------------
    async def open(self, host: str, tls: ssl.SSLContext | None = None) -> str:
        server = await asyncio.start_server(self._connection, host, 0, ssl=tls, backlog=1024)
        self._servers.append(server)
        port = server.sockets[0].getsockname()[1]
        return f"{'https' if tls else 'http'}://{host}:{port}"

    async def close(self) -> None:
        for server in self._servers:
            server.close()
        for task in list(self._handlers):
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        for server in self._servers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 2)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        port = writer.get_extra_info("sockname")[1]
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *header_lines = head.decode("latin-1").split("\r\n")
                method, target, _ = request_line.split(" ", 2)
                headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in header_lines if line)}
                path = urlsplit(target).path
                self.requests.append(Request(method, path, headers.get("user-agent", ""), port))
                self.in_flight[port] = self.in_flight.get(port, 0) + 1
                self.most_in_flight[port] = max(self.most_in_flight.get(port, 0), self.in_flight[port])
                if port in self.watched:
                    self.most_watched = max(self.most_watched, sum(self.in_flight.get(p, 0) for p in self.watched))
                # A request stops counting as in flight when its answer starts to be sent:
                # the client holds its slot until it has read the answer, so only a client
                # that really sent too many at once makes the counts overlap.
                left = False

                def leave() -> None:
                    nonlocal left
                    if not left:
                        left = True
                        self.in_flight[port] -= 1

                try:
                    keep_alive = await self._respond(method, target, writer, leave)
                finally:
                    leave()
                if not keep_alive:
                    break
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ssl.SSLError, ValueError):
            pass
        except asyncio.CancelledError:
            pass
        finally:
            self._handlers.discard(task)
            writer.close()

    async def _respond(self, method: str, target: str, writer: asyncio.StreamWriter, leave: Callable[[], None]) -> bool:
        """Answer one request; False closes the connection."""
        url = urlsplit(target)
        parts = [part for part in url.path.split("/") if part]
        query = parse_qs(url.query)
        head = method == "HEAD"
        kind = parts[0] if parts else ""
        if kind == "hang":
            await asyncio.Event().wait()
        if self.delay:
            await asyncio.sleep(self.delay)
        if head and "head" in query:
            return await _send(writer, int(query["head"][0]), head)
        if kind in ("ok", "page"):
            return await _send(writer, 200, head)
        if kind == "sleep" and len(parts) == 3:
            await asyncio.sleep(int(parts[1]) / 1000)
            leave()
            return await _send(writer, 200, head)
        if kind == "status" and len(parts) == 2:
            extra = {"Retry-After": query["retry-after"][0]} if "retry-after" in query else {}
            return await _send(writer, int(parts[1]), head, extra)
        if kind == "chain" and len(parts) == 3:
            codes = parts[1].split("-")
            rest = "/chain/" + "-".join(codes[1:]) + f"/{parts[2]}" if len(codes) > 1 else f"/{parts[2]}"
            return await _send(writer, int(codes[0]), head, {"Location": rest})
        if kind == "loop" and len(parts) == 2:
            return await _send(writer, 302, head, {"Location": "/loop/b" if parts[1] == "a" else "/loop/a"})
        if kind == "head" and len(parts) == 2:
            return await _send(writer, int(parts[1]) if head else 200, head)
        if kind == "flaky" and len(parts) == 4:
            seen = self._counts[url.path] = self._counts.get(url.path, 0) + 1
            status = int(parts[1]) if seen <= int(parts[2]) else 200
            return await _send(writer, status, head, {"Retry-After": "1"} if status in (429, 503) else {})
        if kind == "challenge":
            return await _send(writer, 503, head, {"cf-mitigated": "challenge"})
        if kind == "dribble-headers":
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"x" * 10_000:
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(0.2)
            return False
        if kind == "dribble-body":
            await _send(writer, 200, True, {"Content-Length": "1000"})
            if not head:
                for _ in range(1000):
                    writer.write(b"x")
                    await writer.drain()
                    await asyncio.sleep(0.2)
            return False
        if kind == "huge":
            await _send(writer, 200, True, {"Content-Length": str(HUGE)})
            if not head:
                chunk = b"\0" * 65536
                for _ in range(HUGE // len(chunk)):
                    writer.write(chunk)
                    await writer.drain()
            return False
        return await _send(writer, 404, head)


async def _send(writer: asyncio.StreamWriter, status: int, head: bool, headers: dict[str, str] | None = None) -> bool:
    body = f"{status} {reason(status)}\n".encode()
    fields = {"Content-Type": "text/plain", "Content-Length": str(len(body)), **(headers or {})}
    lines = [f"HTTP/1.1 {status} {reason(status)}", *(f"{name}: {value}" for name, value in fields.items())]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (b"" if head or "Content-Length" in (headers or {}) else body))
    await writer.drain()
    return True


async def _serve(args: argparse.Namespace) -> None:
    server = FaultServer(args.delay)
    addresses: dict[str, str] = {}
    for host in args.host:
        addresses[host] = await server.open(host)
    if args.tls_host:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        addresses["tls"] = await server.open(args.tls_host, context)
    print(json.dumps(addresses), flush=True)
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda loop, context: None)
    await loop.run_in_executor(None, sys.stdin.read)
    await server.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Serve misbehaving HTTP on loopback until stdin closes.")
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--host", action="append", default=[])
    parser.add_argument("--tls-host")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    asyncio.run(_serve(parser.parse_args()))
