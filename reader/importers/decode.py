"""Bytes to a stream of normalised text lines: encoding detection and streaming decoding.

The encoding is decided once, from a sample at the start of the file: a byte-order mark
first, then strict UTF-8, then UTF-16 without a BOM (NUL bytes in alternate positions), then
charset-normalizer for legacy encodings (cp1251, cp1252, ...). The whole file is then decoded
with that codec in chunks, so a 200 MB dump never sits in memory at once, and a byte that
does not decode further on is reported with its offset instead of being silently replaced.

Every line that leaves this module has LF endings removed (CRLF and lone CR count as line
ends too) and is in Unicode NFC, so parsers and identity hashes never see two spellings of
one text.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reader.errors import ImportFailed

#: Bytes read to decide the encoding and sniff the format.
SAMPLE_BYTES = 64 * 1024
#: Bytes decoded per step while streaming.
CHUNK_BYTES = 256 * 1024
#: A "line" longer than this is not news text (and would defeat streaming).
MAX_LINE_CHARS = 8 * 1024 * 1024

#: Signatures of common binary files, so the refusal can say what the file is.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "a zip archive"),
    (b"PK\x07\x08", "a zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"%PDF-", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF media file"),
    (b"\x7fELF", "a program (ELF)"),
    (b"MZ", "a Windows program"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
)

#: BOMs, longest first (the UTF-32 LE BOM starts with the UTF-16 LE one).
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32 (BOM)"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32 (BOM)"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16 (BOM)"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16 (BOM)"),
)

#: Control characters that do not occur in text (tab, LF, CR, form feed are fine), C1
#: controls (a sign of mis-decoded bytes) and the replacement character.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


@dataclass(frozen=True, slots=True)
class Detected:
    """The decision made from the sample."""

    codec: str  # Python codec used to stream
    encoding: str  # what to report ("utf-8", "utf-8-sig", "utf-16 (BOM)", "cp1251", ...)
    skip: int  # bytes of BOM to skip
    sample_lines: list[str]  # complete, normalised lines of the sample
    complete: bool  # the sample is the whole file
    partial: str = ""  # the start of the line the sample ends inside (unless complete)


#: Signatures short enough to begin ordinary text ("MZ Mazda News" is a listing header),
#: so they only count when binary bytes follow.
_WEAK_MAGIC = frozenset({b"MZ", b"BZh", b"RIFF"})
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _binary_kind(raw: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            if magic in _WEAK_MAGIC and not _BINARY_BYTES.search(raw, 0, 64):
                continue
            return kind
    return None


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when ``raw`` looks like UTF-16 text that lost its BOM.

    In UTF-16 text the high byte of each unit comes from very few values: 0 for ASCII (spaces,
    newlines, digits) and one or two script blocks (0x04 for Cyrillic, 0x20 for curly
    quotes). Binary data with NUL bytes has high bytes all over the place. A short sample
    says little: there the high bytes may take one value per eight units (two at least), so a
    few bytes of garbage with a NUL in them are not taken for text.
    """
    units = len(raw) // 2
    if units < 4:
        return None
    best: tuple[int, str] | None = None
    for codec, highs in (
        ("utf-16-le", raw[1 : units * 2 : 2]),
        ("utf-16-be", raw[0 : units * 2 : 2]),
    ):
        zeros = highs.count(0)
        varied = len(set(highs)) > min(8, max(2, units // 8))
        if zeros * 20 >= units and not varied and (best is None or zeros > best[0]):
            best = (zeros, codec)
    if best is None:
        return None
    try:  # incremental: the sample may end inside a surrogate pair
        codecs.getincrementaldecoder(best[1])().decode(raw[: units * 2], False)
    except UnicodeDecodeError:
        return None
    return best[1]


def _utf32_without_bom(raw: bytes) -> str | None:
    """'utf-32-le'/'utf-32-be' for UTF-32 text without a BOM: text is mostly characters
    below U+10000, so in every 4-byte unit the two high bytes are zero (and such a sample
    must decode)."""
    units = len(raw) // 4
    if units < 4:
        return None
    for codec, high in (("utf-32-le", raw[2 : units * 4 : 4] + raw[3 : units * 4 : 4]),
                        ("utf-32-be", raw[0 : units * 4 : 4] + raw[1 : units * 4 : 4])):
        if high.count(0) * 10 >= len(high) * 9:
            try:
                raw[: units * 4].decode(codec)
            except UnicodeDecodeError:
                continue
            return codec
    return None


def mostly_utf8(raw: bytes, ratio: int = 4) -> tuple[bool, int]:
    """Whether ``raw`` is UTF-8 with a few bad bytes, and the offset of the first bad one.

    Legacy single-byte text (cp1251, cp1252) almost never forms valid multi-byte UTF-8
    sequences; text that does, and has only a few invalid bytes, is damaged UTF-8 and must
    be refused rather than decoded as mojibake. "A few" is at most one bad byte per
    ``ratio`` valid multi-byte characters (a caller with other evidence, such as a document
    that declares UTF-8, asks for less).
    """
    text = raw.decode("utf-8", errors="surrogateescape")
    bad = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    good = sum(1 for ch in text if ch > "\x7f" and not "\udc80" <= ch <= "\udcff")
    try:
        raw.decode("utf-8")
        first = -1
    except UnicodeDecodeError as exc:
        first = exc.start
    return good > 0 and good >= ratio * bad, first


#: Windows code pages: what legacy news dumps are nearly always in.
_WINDOWS_CODEPAGES = frozenset(f"cp{n}" for n in range(1250, 1259))


def legacy_codec(raw: bytes) -> str | None:
    """The legacy codec for non-UTF-8 text, or None when nothing fits.

    charset-normalizer ranks candidates; for mostly-English text it often cannot tell a
    Windows code page from a DOS one (cp775, cp850) and may rank the DOS one first, which
    turns no-break spaces and bullets into letters. So a Windows code page that scores
    about as well wins, and cp1252 wins over another Windows page that reads the sample
    identically (it is by far the most common, and the reported name should be the one the
    user most likely saved in).
    """
    from charset_normalizer import from_bytes  # imported lazily: only legacy files pay for it

    try:
        matches = list(from_bytes(raw[:SAMPLE_BYTES]))
    except Exception:  # a detector crash on junk means "not decodable", never a traceback
        return None
    if not matches:
        return None
    best = matches[0]
    chosen = best.encoding
    for match in matches:
        name = _codec_name(match.encoding)
        if (
            name in _WINDOWS_CODEPAGES
            and match.chaos <= best.chaos + 0.01
            and match.coherence >= best.coherence - 0.05
        ):
            chosen = name
            break
    name = _codec_name(chosen)
    if name is None:
        return None
    if name in _WINDOWS_CODEPAGES and name != "cp1252":
        try:
            if raw.decode(name) == raw.decode("cp1252"):
                return "cp1252"
        except UnicodeDecodeError:
            pass
    return name


def _codec_name(encoding: str) -> str | None:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def _decode_sample(path: Path, raw: bytes, codec: str, skip: int, complete: bool) -> str:
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    try:
        return decoder.decode(raw[skip:], complete)
    except UnicodeDecodeError as exc:
        raise ImportFailed(path, _decode_error_reason(exc, skip, codec)) from None


def _decode_error_reason(exc: UnicodeDecodeError, base: int, codec: str) -> str:
    offset = base + exc.start
    if exc.reason in ("unexpected end of data", "truncated data"):
        return f"undecodable bytes: the file ends inside a {codec} character (truncated?)"
    return f"undecodable bytes at byte offset {offset} (the file otherwise reads as {codec})"


def _nfc(text: str) -> str:
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def normalise_block(text: str) -> str:
    """CRLF/CR to LF and NFC: the one text form every parser sees."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _nfc(text)


def check_text(path: Path, text: str) -> None:
    """Refuse text that is really binary: NUL bytes or too many control characters."""
    if "\x00" in text:
        raise ImportFailed(path, "binary file (holds NUL bytes), not text")
    controls = len(_CONTROL_RE.findall(text))
    if controls and controls * 200 > len(text):
        raise ImportFailed(path, "binary file (full of control characters), not text")


def detect(path: Path, handle: BinaryIO, sample_bytes: int = SAMPLE_BYTES) -> Detected:
    """Read a sample of ``sample_bytes`` from the start of ``handle`` and decide how to
    decode the file."""
    raw = handle.read(sample_bytes)
    if not raw:
        raise ImportFailed(path, "empty file")
    complete = len(raw) < sample_bytes or not handle.read(1)

    codec = encoding = ""
    skip = 0
    for bom, bom_codec, name in _BOMS:
        if raw.startswith(bom):
            codec, encoding, skip = bom_codec, name, len(bom)
            break
    if not codec:
        kind = _binary_kind(raw)
        if kind is not None:
            raise ImportFailed(path, f"binary file ({kind}), not text")
        wide = _utf32_without_bom(raw) or _utf16_without_bom(raw)
        if wide is not None:
            codec = encoding = wide
        elif b"\x00" in raw:
            first_nul = raw.index(b"\x00")
            raise ImportFailed(
                path, f"binary file (a NUL byte at byte offset {first_nul}), not text"
            )
    if not codec:
        utf8 = codecs.getincrementaldecoder("utf-8")()
        try:
            # A multi-byte character may straddle the end of a partial sample.
            utf8.decode(raw, False)
            if complete:
                try:
                    utf8.decode(b"", True)
                except UnicodeDecodeError:
                    raise ImportFailed(
                        path,
                        "undecodable bytes: the file ends inside a UTF-8 character (truncated?)",
                    ) from None
            codec = encoding = "utf-8"
        except UnicodeDecodeError:
            damaged, first = mostly_utf8(raw)
            if damaged:
                raise ImportFailed(
                    path, f"undecodable bytes at byte offset {first} (invalid UTF-8)"
                ) from None
            legacy = legacy_codec(raw)
            if legacy is None:
                raise ImportFailed(
                    path, "undecodable bytes: not UTF-8, UTF-16 or a known legacy encoding"
                ) from None
            codec = encoding = legacy

    text = normalise_block(_decode_sample(path, raw, codec, skip, complete))
    check_text(path, text)
    lines = text.split("\n")
    partial = "" if complete else lines.pop()  # the last line may continue past the sample
    return Detected(codec, encoding, skip, lines, complete, partial)


def _encoded_length(text: str, codec: str) -> int:
    """How many bytes ``text`` took in ``codec`` (to turn a character position into a byte
    offset; every codec used here round-trips what it decoded)."""
    try:
        return len(text.encode(codec))
    except UnicodeEncodeError:
        return len(text.encode(codec, errors="replace"))


class ByteCounter:
    """How many bytes of the file the decoder has read so far (for progress bars)."""

    __slots__ = ("done",)

    def __init__(self) -> None:
        self.done = 0

    def __call__(self) -> int:
        return self.done


def iter_lines(
    path: Path,
    handle: BinaryIO,
    detected: Detected,
    chunk_bytes: int = CHUNK_BYTES,
    counter: ByteCounter | None = None,
) -> Iterator[str]:
    """Decode the whole file from the start, yielding normalised lines without their LF.

    Raises :class:`ImportFailed` for a byte that does not decode (with its offset), NUL
    bytes further into the file, or an absurdly long line.
    """
    codec = detected.codec
    try:
        handle.seek(detected.skip)
    except OSError as exc:
        raise ImportFailed(path, f"cannot read the file ({exc.strerror})") from None
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    offset = detected.skip  # bytes handed to the decoder so far
    pending = ""  # an unfinished line
    hold_cr = False  # a CR at a chunk end may be the first half of CRLF
    while True:
        try:
            raw = handle.read(chunk_bytes)
        except OSError as exc:
            raise ImportFailed(path, f"cannot read the file ({exc.strerror})") from None
        final = not raw
        buffered = len(decoder.getstate()[0])
        try:
            text = decoder.decode(raw, final)
        except UnicodeDecodeError as exc:
            raise ImportFailed(path, _decode_error_reason(exc, offset - buffered, codec)) from None
        if "\x00" in text:
            at = offset - buffered + _encoded_length(text[: text.index("\x00")], codec)
            raise ImportFailed(path, f"binary data (a NUL byte) at byte offset {at}")
        if hold_cr:
            text = "\r" + text
            hold_cr = False
        if not final and text.endswith("\r"):
            text = text[:-1]
            hold_cr = True
        offset += len(raw)
        if counter is not None:
            counter.done = offset
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        cut = text.rfind("\n")
        if cut == -1:
            pending += text
            if len(pending) > MAX_LINE_CHARS:
                raise ImportFailed(
                    path, f"a line longer than {MAX_LINE_CHARS // (1024 * 1024)}M characters"
                )
        else:
            # NFC on whole lines only: a combining mark never crosses a line end.
            block = _nfc(pending + text[:cut])
            pending = text[cut + 1 :]
            yield from block.split("\n")
        if final:
            break
    if pending:
        yield _nfc(pending)
