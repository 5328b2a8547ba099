"""A real HTTP receiver on 127.0.0.1 for the webhook and health-check channels.

It runs a ThreadingHTTPServer on an ephemeral port in a thread, records every request (method,
path, query, headers, body) and answers according to its mode:

- ``ok``: 200 "OK";
- ``error``: 500 every time; ``flaky``: 500 for the first ``fail_times`` requests, then 200;
- ``slow``: waits ``delay`` seconds before answering (longer than the client's timeout);
- ``redirect``: 302 to ``redirect_to``;
- ``notfound``: 404; ``status``: answers ``status`` (e.g. 429).
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Hit:
    method: str
    path: str
    query: dict[str, list[str]]
    raw_query: str
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass
class Receiver:
    mode: str = "ok"
    fail_times: int = 0
    delay: float = 2.0
    redirect_to: str = ""
    status: int = 200
    hits: list[Hit] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    _stopping: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                split = urllib.parse.urlsplit(self.path)
                hit = Hit(
                    method=self.command,
                    path=split.path,
                    query=urllib.parse.parse_qs(split.query, keep_blank_values=True),
                    raw_query=split.query,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
                with receiver._lock:
                    receiver.hits.append(hit)
                    number = len(receiver.hits)
                code, headers = receiver._answer(number)
                if code is None:  # slow: hold the request, answer late (the client is gone)
                    receiver._stopping.wait(receiver.delay)
                    code = 200
                payload = b"OK" if code < 300 else b"no"
                try:
                    self.send_response(code)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(payload)))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass
                self.close_connection = True

            do_GET = _handle
            do_POST = _handle

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that hung up on a slow answer

        self._server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def _answer(self, number: int) -> tuple[int | None, dict[str, str]]:
        if self.mode == "ok":
            return 200, {}
        if self.mode == "error":
            return 500, {}
        if self.mode == "flaky":
            return (500 if number <= self.fail_times else 200), {}
        if self.mode == "slow":
            return None, {}
        if self.mode == "redirect":
            return 302, {"Location": self.redirect_to}
        if self.mode == "notfound":
            return 404, {}
        if self.mode == "status":
            return self.status, {}
        raise AssertionError(f"unknown mode {self.mode}")

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)


@contextmanager
def serving(**settings: Any) -> Iterator[Receiver]:
    receiver = Receiver(**settings).start()
    try:
        yield receiver
    finally:
        receiver.stop()
