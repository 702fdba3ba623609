"""A local HTTP server on 127.0.0.1 for the feed tests (library and window alike).

One server, so the library tests and the GUI tests exercise the same behaviour: routes map a
path to ``(status, headers, body)``; a route may ask for gzip (``gzip=True``), carry an ETag
(answered with 304 when the client sends it back), redirect (a ``Location`` header with a
3xx status) or answer late (``delays``). Every request is counted in ``hits``. Images
(``.png``) get an ``image/png`` type unless the route sets its own.

Use it through the ``feed_server`` fixture (``tests/conftest.py``) or as a context manager.
"""

from __future__ import annotations

import gzip as gzip_module
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

Route = tuple[int, dict[str, str], bytes]


class FeedServer:
    """A threaded HTTP server with programmable routes; unknown paths answer 404."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        #: Seconds to wait before answering a path (for timeouts and a busy window).
        self.delays: dict[str, float] = {}
        self._gzip: set[str] = set()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server._answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def serve(
        self,
        path: str,
        body: bytes,
        status: int = 200,
        headers: dict[str, str] | None = None,
        *,
        gzip: bool = False,
    ) -> str:
        """Set what ``path`` answers; return its full URL."""
        with self._lock:
            self.routes[path] = (status, dict(headers or {}), body)
            if gzip:
                self._gzip.add(path)
            else:
                self._gzip.discard(path)
        return self.url(path)

    def redirect(self, path: str, target: str, status: int) -> str:
        """Make ``path`` redirect to ``target`` (a path or a URL) with ``status``."""
        return self.serve(path, b"", status, {"Location": target})

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        with self._lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            delay = self.delays.get(path, 0.0)
            status, headers, body = self.routes.get(path, (404, {}, b"missing"))
            packed = path in self._gzip
        if delay:
            time.sleep(delay)
        etag = headers.get("ETag")
        if etag and handler.headers.get("If-None-Match") == etag:
            handler.send_response(304)
            handler.end_headers()
            return
        if packed:
            body = gzip_module.compress(body)
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        if packed:
            handler.send_header("Content-Encoding", "gzip")
        if path.endswith(".png") and "Content-Type" not in headers:
            handler.send_header("Content-Type", "image/png")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FeedServer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def rss(items: list[tuple[str, str, str]], title: str = "Local", image: str = "") -> bytes:
    """An RSS 2.0 document: ``(guid, title, paragraph)`` per item, ``image`` markup after
    each paragraph."""
    body = "".join(
        f"<item><guid>{g}</guid><title>{t}</title><link>http://h/{g}</link>"
        f"<description><![CDATA[<p>{d}</p>{image}]]></description></item>"
        for g, t, d in items
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"{body}</channel></rss>").encode()
