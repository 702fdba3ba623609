"""Facade verbs behind the Add feed dialog: find the feeds a page offers, and subscribe
with a title. Fetching happens only here, on the user's request (never while reading)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from reader.errors import ImportFailed
from reader.feeds import fetch as fetching
from reader.feeds.discover import FeedLink, discover
from reader.library.base import LibraryBase
from reader.storage import feeds as feed_store
from reader.types import FeedInfo

#: The most of a local page read for discovery (a page's head holds its feed links).
MAX_LOCAL_BYTES = 4 << 20


class DiscoveryVerbs(LibraryBase):
    def discover_feeds(self, address: str) -> list[FeedLink]:
        """Feeds at ``address``: an http(s) page or feed (fetched), or a local file."""
        address = address.strip()
        if not address:
            return []
        parsed = urlparse(address)
        if parsed.scheme in ("http", "https"):
            result = fetching.fetch(fetching.FetchRequest(0, address))
            if result.error or result.body is None:
                raise ImportFailed(address, result.error or "nothing came back")
            return discover(result.body, result.final_url or address)
        path = Path(unquote(parsed.path) if parsed.scheme == "file" else address).expanduser()
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_LOCAL_BYTES)
        except OSError as exc:
            raise ImportFailed(address, f"cannot read it ({exc.strerror})") from exc
        return [link for link in discover(data, path.resolve().as_uri())
                if link.url.startswith(("http://", "https://"))]

    def subscribe(self, url: str, title: str = "", folder: str | None = None) -> FeedInfo:
        """Subscribe with a title of the user's choosing (the feed's own is used when it is
        left empty); nothing is fetched until the next refresh."""
        url = url.strip()
        if not url.lower().startswith(("http://", "https://")):
            raise ImportFailed(url, "a feed address must start with http:// or https://")
        with self.db.atomic():
            feed_id = feed_store.add_feed(self.db, url, folder, title.strip())
        return feed_store.list_feeds(self.db, [feed_id])[0]
