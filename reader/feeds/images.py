"""The offline image cache: images feed entries reference, downloaded at refresh time.

Files live in ``<library folder>/<library stem>-cache/images/`` under a name derived from the
image URL (SHA-256), so the same image shared by many entries is stored once and can be found
again from its URL alone. After a refresh the stored HTML's ``src`` is rewritten to that local
name (the remote address is kept in ``data-src``); the reader resolves names with
:func:`cached_image_path` and shows an "image not cached" placeholder when it returns None,
so nothing is ever loaded from the network while reading.

The cache is capped (1 GB by default); the oldest files are evicted first.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

from reader.feeds.fetch import FetchRequest, fetch
from reader.feeds.htmltext import html_unescape_attr
from reader.feeds.sanitize import escape_attr

DEFAULT_CACHE_BYTES = 1024 * 1024 * 1024
#: One image larger than this is not worth keeping offline.
MAX_IMAGE_BYTES = 10 * 1024 * 1024
IMAGE_TIMEOUT = 15.0
#: A refresh downloads at most this many new images (the rest wait for the next refresh).
MAX_IMAGES_PER_REFRESH = 500

_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif",
               "image/webp": ".webp", "image/svg+xml": ".svg", "image/avif": ".avif"}
_NAME = re.compile(r"^[0-9a-f]{40}\.[a-z]{3,4}$")
_IMG_SRC_ATTR = re.compile(r'(<img\b[^>]*?)\bsrc="([^"]*)"', re.IGNORECASE)


def cache_dir(library_path: Path) -> Path:
    return library_path.parent / f"{library_path.stem}-cache" / "images"


def _stem(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:40]


def cached_image_path(library_path: Path | str, src: str) -> Path | None:
    """The local file for an image ``src`` (a cache name or the original URL), or None.

    Meant for ``QTextBrowser.loadResource``: anything not in the cache stays unloaded.
    """
    folder = cache_dir(Path(library_path))
    name = src.rsplit("/", 1)[-1] if not src.startswith(("http://", "https://")) else ""
    if name and _NAME.match(name):
        path = folder / name
        return path if path.is_file() else None
    if src.startswith(("http://", "https://")):
        stem = _stem(src)
        for ext in (*_EXTENSIONS.values(), ".img"):
            path = folder / f"{stem}{ext}"
            if path.is_file():
                return path
    return None


def download_images(
    library_path: Path, urls: Iterable[str], workers: int = 6,
    limit_bytes: int = DEFAULT_CACHE_BYTES,
) -> dict[str, str]:
    """Download the images not cached yet; return ``{url: local file name}`` for every URL
    now in the cache. Then evict the oldest files above ``limit_bytes``."""
    folder = cache_dir(library_path)
    folder.mkdir(parents=True, exist_ok=True)
    found: dict[str, str] = {}
    todo: list[str] = []
    for url in dict.fromkeys(urls):
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        existing = cached_image_path(library_path, url)
        if existing is not None:
            found[url] = existing.name
        elif len(todo) < MAX_IMAGES_PER_REFRESH:
            todo.append(url)

    def one(url: str) -> tuple[str, str | None]:
        result = fetch(FetchRequest(0, url), IMAGE_TIMEOUT, MAX_IMAGE_BYTES)
        kind = result.content_type.split(";")[0].strip().lower()
        if result.error or not result.body or not kind.startswith("image/"):
            return url, None
        name = _stem(url) + _EXTENSIONS.get(kind, ".img")
        temporary = folder / f".{name}.part"
        temporary.write_bytes(result.body)
        os.replace(temporary, folder / name)
        return url, name

    if todo:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="image-fetch") as pool:
            for url, name in pool.map(one, todo):
                if name:
                    found[url] = name
    evict(folder, limit_bytes)
    return found


def cache_size(library_path: Path) -> tuple[int, int]:
    """``(bytes, files)`` the image cache holds now (0, 0 when it does not exist yet)."""
    total = files = 0
    try:
        entries = list(os.scandir(cache_dir(library_path)))
    except OSError:
        return 0, 0
    for entry in entries:
        try:
            if entry.is_file() and not entry.name.startswith("."):
                total += entry.stat().st_size
                files += 1
        except OSError:
            continue
    return total, files


def evict(folder: Path, limit_bytes: int) -> int:
    """Delete the oldest cached images until the folder is under ``limit_bytes``."""
    try:
        files = [(p.stat().st_mtime, p.stat().st_size, p) for p in folder.iterdir() if p.is_file()]
    except OSError:
        return 0
    total = sum(size for _, size, _ in files)
    removed = 0
    for _, size, path in sorted(files, key=lambda item: item[0]):
        if total <= limit_bytes:
            break
        try:
            path.unlink()
        except OSError:
            continue
        total -= size
        removed += 1
    return removed


def rewrite_sources(clean_html: str, names: Mapping[str, str]) -> str:
    """Point cached images at their local file names, keeping the address in ``data-src``."""

    def swap(match: re.Match[str]) -> str:
        url = html_unescape_attr(match.group(2))
        name = names.get(url)
        if name is None:
            return match.group(0)
        return f'{match.group(1)}src="{name}" data-src="{escape_attr(url)}"'

    return _IMG_SRC_ATTR.sub(swap, clean_html)
