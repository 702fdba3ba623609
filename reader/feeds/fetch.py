"""Fetching feeds over HTTP with the standard library: polite, bounded, never fatal.

Each fetch sends the stored ETag and Last-Modified (conditional GET, so an unchanged feed
costs a 304 and no parsing), asks for gzip, follows at most :data:`MAX_REDIRECTS` redirects to
http(s) only, stops after :data:`TIMEOUT` seconds in all, and refuses bodies over
:data:`MAX_BYTES` (also after decompression, so a gzip bomb cannot fill memory). Failures come
back as a :class:`FetchResult` with ``error`` set, never as an exception, so one bad feed never
stops the others. :func:`fetch_many` runs fetches on a small thread pool; it touches no
database (connections belong to their thread).
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from http.client import HTTPMessage
from typing import IO

from reader import __version__

TIMEOUT = 20.0
MAX_REDIRECTS = 5
MAX_BYTES = 50 * 1024 * 1024
WORKERS = 8
USER_AGENT = f"Broadsheet/{__version__} (offline news reader; feed fetcher)"


@dataclass(frozen=True, slots=True)
class FetchRequest:
    key: int
    url: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    key: int
    url: str
    final_url: str
    status: int = 0
    body: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    error: str | None = None
    content_type: str = ""


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not newurl.lower().startswith(("http://", "https://")):
            raise urllib.error.HTTPError(newurl, code, "redirect to a non-web address", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_LimitedRedirects())


def fetch(
    request: FetchRequest, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES
) -> FetchResult:
    """Fetch one URL. Never raises for network or HTTP problems."""
    url = request.url
    if not url.lower().startswith(("http://", "https://")):
        return FetchResult(
            request.key, url, url, error="only http and https addresses can be fetched"
        )
    headers = {
        "User-Agent": USER_AGENT,
        "Accept-Encoding": "gzip, deflate",
        "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
        "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
    }
    if request.etag:
        headers["If-None-Match"] = request.etag
    if request.last_modified:
        headers["If-Modified-Since"] = request.last_modified
    deadline = time.monotonic() + timeout
    try:
        req = urllib.request.Request(url, headers=headers)
        with _opener().open(req, timeout=timeout) as response:
            raw = _read_bounded(response, max_bytes, deadline)
            encoding = (response.headers.get("Content-Encoding") or "").lower()
            body = _decompress(raw, encoding, max_bytes)
            return FetchResult(
                request.key,
                url,
                response.geturl(),
                status=response.status,
                body=body,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
                content_type=response.headers.get("Content-Type") or "",
            )
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return FetchResult(request.key, url, exc.geturl() or url, status=304, not_modified=True)
        return FetchResult(
            request.key,
            url,
            url,
            status=exc.code,
            error=f"the server answered {exc.code} {exc.reason}",
        )
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return FetchResult(request.key, url, url, error=f"no answer within {timeout:g} s")
        return FetchResult(request.key, url, url, error=f"cannot reach the server ({reason})")
    except TimeoutError:
        return FetchResult(request.key, url, url, error=f"no answer within {timeout:g} s")
    except _TooBig as exc:
        return FetchResult(request.key, url, url, error=str(exc))
    except (OSError, ValueError, zlib.error) as exc:
        return FetchResult(request.key, url, url, error=f"the download failed ({exc})")


class _TooBig(Exception):
    pass


def _read_bounded(response: IO[bytes], max_bytes: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError("deadline")
        chunk = response.read(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > max_bytes:
            raise _TooBig(f"the feed is larger than {max_bytes // 1_048_576} MB")
        chunks.append(chunk)


def _decompress(raw: bytes, encoding: str, max_bytes: int) -> bytes:
    if encoding in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = zlib.decompressobj()
    else:
        return raw
    out = inflater.decompress(raw, max_bytes + 1)
    if len(out) > max_bytes or inflater.unconsumed_tail:
        raise _TooBig(f"the feed is larger than {max_bytes // 1_048_576} MB once unpacked")
    return out


def fetch_many(
    requests: Iterable[FetchRequest],
    workers: int = WORKERS,
    timeout: float = TIMEOUT,
    cancelled: Callable[[], bool] = lambda: False,
) -> Iterator[FetchResult]:
    """Fetch concurrently; yield results as they finish. Cancelling stops queued fetches."""
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="feed-fetch")
    try:
        futures = [pool.submit(fetch, r, timeout) for r in requests]
        for future in as_completed(futures):
            if cancelled():
                for pending in futures:
                    pending.cancel()
                return
            yield future.result()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
