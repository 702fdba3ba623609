"""Large files stream: memory stays flat however big the file is."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

from reader.importers import open_import

ARTICLE = (
    "Synthetic Headline Number {i} About Regional Markets\n\n"
    "On March 3, 2025 the regional market index moved again as traders weighed new figures. "
    "Analysts said the move reflected caution ahead of the central bank meeting, while "
    "exporters reported steady demand and importers pointed to higher shipping costs. "
    "Officials declined to comment on the outlook for the coming quarter, citing the usual "
    "uncertainty around fuel prices, wages and the exchange rate. Article {i} ends here.\n"
    "ZZ\n\n"
)


def write_listing(path: Path, target_bytes: int) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("ZZ Synthetic Wire\n\n")
        written = 0
        while written < target_bytes:
            chunk = "".join(ARTICLE.format(i=count + k) for k in range(500))
            out.write(chunk)
            written += len(chunk)
            count += 500
    return count


def test_twenty_megabyte_listing_streams_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    expected = write_listing(path, 20 * 1024 * 1024)
    size = path.stat().st_size
    assert size >= 20 * 1024 * 1024

    tracemalloc.start()
    try:
        count = 0
        last_title = ""
        with open_import(path) as parsed:
            assert parsed.format == "listing"
            assert parsed.source == "Synthetic Wire"
            for article in parsed.articles:
                count += 1
                last_title = article.title
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == expected
    assert last_title == f"Synthetic Headline Number {expected - 1} About Regional Markets"
    assert parsed.warnings == []
    # The decoder holds one 256 KB chunk (as bytes, text and lines) at a time.
    assert peak < size / 8, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"


def test_listing_parse_is_linear(tmp_path: Path) -> None:
    """Doubling the file roughly doubles the time (no quadratic buffering)."""
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    write_listing(small, 2 * 1024 * 1024)
    write_listing(large, 8 * 1024 * 1024)

    def seconds(path: Path) -> float:
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            with open_import(path) as parsed:
                for _article in parsed.articles:
                    pass
            best = min(best, time.perf_counter() - start)
        return best

    ratio = seconds(large) / seconds(small)
    assert ratio < 4 * 2.5, f"4x the data took {ratio:.1f}x the time"


def test_bytes_read_reports_progress(tmp_path: Path) -> None:
    path = tmp_path / "progress.txt"
    write_listing(path, 1024 * 1024)
    seen: list[int] = []
    with open_import(path) as parsed:
        assert parsed.size_bytes == path.stat().st_size
        for _article in parsed.articles:
            seen.append(parsed.bytes_read())
    assert seen == sorted(seen)
    assert 0 < seen[0] < parsed.size_bytes
    assert seen[-1] == parsed.size_bytes
