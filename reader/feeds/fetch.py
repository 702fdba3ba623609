"""Fetching feeds over HTTP with the standard library: polite, bounded, never fatal.

Each fetch sends the stored ETag and Last-Modified (conditional GET, so an unchanged feed
costs a 304 and no parsing), asks for gzip, follows at most :data:`MAX_REDIRECTS` redirects to
http(s) only, stops after :data:`TIMEOUT` seconds in all, and refuses bodies over
:data:`MAX_BYTES` (also after decompression, so a gzip bomb cannot fill memory). Failures come
back as a :class:`FetchResult` with ``error`` set, never as an exception, so one bad feed never
stops the others. :func:`fetch_many` runs fetches on a small thread pool; it touches no
database (connections belong to their thread).

Redirects are recorded hop by hop so the caller can tell a feed that *moved* (301 or 308:
the subscription should follow it) from one that is only served elsewhere for now (302,
303, 307: the subscription keeps its address).
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
    #: The address the feed moved to for good: where the leading run of permanent redirects
    #: (301, 308) ended. None when the first hop, if any, was temporary.
    moved_to: str | None = None


#: Redirect codes that mean "use the new address from now on".
PERMANENT_REDIRECTS = frozenset({301, 308})


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows at most :data:`MAX_REDIRECTS` redirects, to http(s) only, noting each hop.

    One instance serves one fetch (see :func:`_opener`), so ``hops`` needs no lock.
    """

    max_redirections = MAX_REDIRECTS

    def __init__(self) -> None:
        super().__init__()
        self.hops: list[tuple[int, str]] = []

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
        followed = super().redirect_request(req, fp, code, msg, headers, newurl)
        if followed is not None:
            self.hops.append((code, newurl))
        return followed

    def moved_to(self) -> str | None:
        """Where the leading permanent redirects ended, or None."""
        moved = None
        for code, url in self.hops:
            if code not in PERMANENT_REDIRECTS:
                break
            moved = url
        return moved


def _opener() -> tuple[urllib.request.OpenerDirector, _LimitedRedirects]:
    redirects = _LimitedRedirects()
    return urllib.request.build_opener(redirects), redirects


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
    opener, redirects = _opener()
    try:
        req = urllib.request.Request(url, headers=headers)
        with opener.open(req, timeout=timeout) as response:
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
                moved_to=redirects.moved_to(),
            )
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return FetchResult(
                request.key, url, exc.geturl() or url, status=304, not_modified=True,
                moved_to=redirects.moved_to(),
            )
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
