"""Reading table rows straight from an SQLite file's b-tree pages, past damaged ones.

Why by hand: SQLite stops a query at the first damaged page, and its own recovery (the
``sqlite3_recover`` API, the shell's ``.recover``) needs the ``sqlite_dbpage`` virtual table,
which neither Python's ``sqlite3`` nor Debian's shell is built with (and the frozen app ships
no shell). The file format is small and stable (https://www.sqlite.org/fileformat2.html), so
this module walks each table's b-tree from its root page, decodes every cell of every leaf it
can reach, and notes each page it cannot read with the range of rowids that page held (the
parent's separator keys say so). A damaged *interior* page hides whole subtrees; their leaf
pages are still in the file, so :func:`orphan_leaves` finds table-leaf pages no tree reached,
and the caller assigns them to a table by the shape of their records.

Only what salvage needs is here: rowid tables (the kind every table Broadsheet salvages is),
overflow chains, UTF-8/UTF-16 text, the freelist (whose pages never come back as rows).
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

Value = None | int | float | str | bytes
Row = tuple[int, list[Value]]  # (rowid, values in column order)
Accept = Callable[[list[Value]], bool]

_MAGIC = b"SQLite format 3\x00"
_LEAF_TABLE = 0x0D
_INTERIOR_TABLE = 0x05
#: Beyond any real Broadsheet row; a larger size means the cell is garbage.
_MAX_PAYLOAD = 1 << 30
_ENCODINGS = {1: "utf-8", 2: "utf-16-le", 3: "utf-16-be"}


class PageError(Exception):
    """A page (or cell) that does not parse: damaged."""


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """SQLite's big-endian varint at ``pos``: ``(value, next position)``."""
    value = 0
    for i in range(8):
        if pos + i >= len(data):
            raise PageError("varint runs past the end")
        byte = data[pos + i]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, pos + i + 1
    if pos + 8 >= len(data):
        raise PageError("varint runs past the end")
    return (value << 8) | data[pos + 8], pos + 9


def _signed(value: int, bits: int) -> int:
    return value - (1 << bits) if value >= 1 << (bits - 1) else value


def decode_record(payload: bytes, encoding: str = "utf-8") -> list[Value]:
    """The values of one record (the payload of a table-leaf cell)."""
    header_size, pos = read_varint(payload, 0)
    if header_size < 1 or header_size > len(payload):
        raise PageError("bad record header size")
    types: list[int] = []
    while pos < header_size:
        serial, pos = read_varint(payload, pos)
        types.append(serial)
    if pos != header_size:
        raise PageError("record header overruns")
    values: list[Value] = []
    body = header_size
    for serial in types:
        if serial == 0:
            values.append(None)
        elif 1 <= serial <= 6:
            width = (0, 1, 2, 3, 4, 6, 8)[serial]
            chunk = payload[body : body + width]
            if len(chunk) != width:
                raise PageError("record value overruns")
            values.append(_signed(int.from_bytes(chunk, "big"), width * 8))
            body += width
        elif serial == 7:
            chunk = payload[body : body + 8]
            if len(chunk) != 8:
                raise PageError("record value overruns")
            values.append(struct.unpack(">d", chunk)[0])
            body += 8
        elif serial in (8, 9):
            values.append(serial - 8)
        elif serial >= 12:
            length = (serial - 12) // 2
            chunk = payload[body : body + length]
            if len(chunk) != length:
                raise PageError("record value overruns")
            values.append(chunk.decode(encoding, "replace") if serial % 2 else bytes(chunk))
            body += length
        else:
            raise PageError("reserved serial type")
    if body != len(payload):
        raise PageError("record length does not match its header")
    return values


@dataclass(frozen=True, slots=True)
class LostRange:
    """A page that could not be read, and the rowids it held: ``after < rowid <= upto``
    (None: unbounded on that side)."""

    page: int
    after: int | None
    upto: int | None


@dataclass(slots=True)
class TreeRead:
    """What walking one table's b-tree found."""

    rows: list[Row] = field(default_factory=list)
    lost: list[LostRange] = field(default_factory=list)
    bad_cells: int = 0  # cells on readable pages that did not decode (rowid unknown)
    lost_rowids: list[int] = field(default_factory=list)  # cells with a known rowid


class PageFile:
    """Random access to the pages of an SQLite file (opened read-only, never written)."""

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self._handle = handle
        header = self._read(0, 100)
        self.header_ok = header.startswith(_MAGIC)
        page_size = 0
        if self.header_ok:
            raw = int.from_bytes(header[16:18], "big")
            page_size = 65536 if raw == 1 else raw
        if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
            self.header_ok = False
            page_size = self._guess_page_size(size)
        self.page_size = page_size
        reserved = header[20] if self.header_ok else 0
        self.usable = page_size - reserved
        self.page_count = max(1, -(-size // page_size))
        self.encoding = _ENCODINGS.get(int.from_bytes(header[56:60], "big"), "utf-8")
        self.freelist_trunk = int.from_bytes(header[32:36], "big") if self.header_ok else 0
        #: Pages some tree (or the freelist) has claimed, and by whom.
        self.owner: dict[int, str] = {}

    @classmethod
    def open(cls, path: Path) -> PageFile:
        handle = path.open("rb")
        return cls(handle, path.stat().st_size)

    def close(self) -> None:
        self._handle.close()

    def _read(self, offset: int, length: int) -> bytes:
        self._handle.seek(offset)
        return self._handle.read(length)

    def _guess_page_size(self, size: int) -> int:
        """The page size under which most pages look like b-tree pages (header damaged)."""
        best, best_score = 4096, -1
        for candidate in (4096, 1024, 2048, 8192, 16384, 32768, 65536, 512):
            pages = min(size // candidate, 400)
            score = sum(
                1 for n in range(2, pages + 1)
                if self._read((n - 1) * candidate, 1) in (b"\x02", b"\x05", b"\x0a", b"\x0d")
            )
            if score > best_score:
                best, best_score = candidate, score
        return best

    def page(self, number: int) -> bytes:
        if number < 1 or number > self.page_count:
            raise PageError(f"page {number} is outside the file")
        data = self._read((number - 1) * self.page_size, self.page_size)
        if len(data) < self.page_size:
            raise PageError(f"page {number} is cut off (the file is truncated)")
        return data

    # ------------------------------------------------------------------ b-tree pages

    def _header(self, number: int, data: bytes) -> tuple[int, int, int]:
        """``(page type, cell count, offset of the cell pointer array)``."""
        start = 100 if number == 1 else 0
        kind = data[start]
        if kind not in (_LEAF_TABLE, _INTERIOR_TABLE, 0x02, 0x0A):
            raise PageError(f"page {number} is not a b-tree page")
        cells = int.from_bytes(data[start + 3 : start + 5], "big")
        content = int.from_bytes(data[start + 5 : start + 7], "big") or 65536
        pointers = start + (12 if kind in (_INTERIOR_TABLE, 0x02) else 8)
        if pointers + 2 * cells > content or content > self.usable:
            raise PageError(f"page {number} has an impossible header")
        return kind, cells, pointers

    def _cell_offsets(self, number: int, data: bytes, cells: int, pointers: int) -> list[int]:
        offsets = [
            int.from_bytes(data[pointers + 2 * i : pointers + 2 * i + 2], "big")
            for i in range(cells)
        ]
        low = pointers + 2 * cells
        if any(not low <= o < self.usable for o in offsets):
            raise PageError(f"page {number} points outside itself")
        return offsets

    def _interior(self, number: int, data: bytes) -> list[tuple[int, int | None]]:
        """``[(child page, largest rowid in it or None for the right-most)]``."""
        _kind, cells, pointers = self._header(number, data)
        start = 100 if number == 1 else 0
        children: list[tuple[int, int | None]] = []
        previous: int | None = None
        for offset in self._cell_offsets(number, data, cells, pointers):
            child = int.from_bytes(data[offset : offset + 4], "big")
            key, _ = read_varint(data, offset + 4)
            if previous is not None and key < previous:
                raise PageError(f"page {number} has keys out of order")
            previous = key
            children.append((child, key))
        children.append((int.from_bytes(data[start + 8 : start + 12], "big"), None))
        if any(not 1 <= child <= self.page_count for child, _ in children):
            raise PageError(f"page {number} points to a page outside the file")
        return children

    def _payload(self, data: bytes, offset: int) -> tuple[int, bytes]:
        """One table-leaf cell: ``(rowid, whole payload)``, following its overflow chain."""
        size, pos = read_varint(data, offset)
        rowid, pos = read_varint(data, pos)
        rowid = _signed(rowid, 64)
        if size > _MAX_PAYLOAD:
            raise PageError("impossible payload size")
        usable = self.usable
        max_local = usable - 35
        if size <= max_local:
            local = size
        else:
            min_local = (usable - 12) * 32 // 255 - 23
            local = min_local + (size - min_local) % (usable - 4)
            if local > max_local:
                local = min_local
        payload = bytearray(data[pos : pos + local])
        if len(payload) != local or pos + local > usable:
            raise PageError("cell runs past its page")
        if local < size:
            next_page = int.from_bytes(data[pos + local : pos + local + 4], "big")
            seen: set[int] = set()
            while len(payload) < size:
                if next_page in seen or not 2 <= next_page <= self.page_count:
                    raise RowLost(rowid, "broken overflow chain")
                seen.add(next_page)
                try:
                    chunk = self.page(next_page)
                except PageError as exc:
                    raise RowLost(rowid, str(exc)) from exc
                self.owner.setdefault(next_page, "overflow")
                payload += chunk[4 : 4 + min(usable - 4, size - len(payload))]
                next_page = int.from_bytes(chunk[:4], "big")
        return rowid, bytes(payload)

    def leaf_rows(
        self, number: int, data: bytes, read: TreeRead, accept: Accept | None = None
    ) -> None:
        """Decode every cell of a table-leaf page into ``read`` (bad cells are counted).

        With ``accept``, a row it refuses rejects the whole page (:class:`PageError`): that
        is how orphan pages of the wrong table are skipped without decoding all of them.
        """
        kind, cells, pointers = self._header(number, data)
        if kind != _LEAF_TABLE:
            raise PageError(f"page {number} is not a table leaf")
        for offset in self._cell_offsets(number, data, cells, pointers):
            try:
                rowid, payload = self._payload(data, offset)
            except RowLost as lost:
                read.lost_rowids.append(lost.rowid)
                continue
            except PageError:
                read.bad_cells += 1
                continue
            try:
                values = decode_record(payload, self.encoding)
            except PageError:
                read.lost_rowids.append(rowid)
                continue
            if accept is not None and not accept(values):
                raise PageError(f"page {number} holds rows of another table")
            read.rows.append((rowid, values))

    def walk_table(self, root: int, name: str, decode: bool = True) -> TreeRead:
        """Every readable row of the rowid table rooted at ``root`` (decoded if ``decode``),
        and the pages that could not be read with the rowid range each held."""
        read = TreeRead()
        stack: list[tuple[int, int | None, int | None]] = [(root, None, None)]
        while stack:
            number, after, upto = stack.pop()
            if number in self.owner:
                read.lost.append(LostRange(number, after, upto))  # a loop or a stray pointer
                continue
            try:
                data = self.page(number)
                kind = self._header(number, data)[0]
                if kind == _INTERIOR_TABLE:
                    children = self._interior(number, data)
                elif kind == _LEAF_TABLE:
                    if decode:
                        self.leaf_rows(number, data, read)
                    children = []
                else:
                    raise PageError(f"page {number} is an index page inside a table")
            except PageError:
                read.lost.append(LostRange(number, after, upto))
                continue
            self.owner[number] = name
            low = after
            for child, key in children:
                stack.append((child, low, key if key is not None else upto))
                low = key
        return read

    def claim_freelist(self) -> None:
        """Mark the freelist's pages: deleted content never comes back as rows."""
        trunk, seen = self.freelist_trunk, set()
        while trunk and trunk not in seen and trunk <= self.page_count:
            seen.add(trunk)
            try:
                data = self.page(trunk)
            except PageError:
                return
            self.owner.setdefault(trunk, "freelist")
            count = int.from_bytes(data[4:8], "big")
            for i in range(min(count, (self.usable - 8) // 4)):
                leaf = int.from_bytes(data[8 + 4 * i : 12 + 4 * i], "big")
                if 1 <= leaf <= self.page_count:
                    self.owner.setdefault(leaf, "freelist")
            trunk = int.from_bytes(data[:4], "big")

    def orphan_leaves(self, accept: Accept | None = None) -> Iterator[tuple[int, TreeRead]]:
        """Table-leaf pages no walked tree or the freelist reached, each with its rows (only
        pages whose every row ``accept`` takes)."""
        for number in range(2, self.page_count + 1):
            if number in self.owner:
                continue
            try:
                data = self.page(number)
                if data[0] != _LEAF_TABLE:
                    continue
                read = TreeRead()
                self.leaf_rows(number, data, read, accept)
            except PageError:
                continue
            if read.rows:
                yield number, read


class RowLost(PageError):
    """A cell whose rowid is known but whose content could not be read (overflow damage)."""

    def __init__(self, rowid: int, reason: str) -> None:
        super().__init__(reason)
        self.rowid = rowid
