"""Feed bytes to text: which encoding a feed is in, and the cp1252 characters feeds misspell.

The decision order, strongest evidence first:

1. a byte-order mark;
2. the byte pattern of UTF-32 or UTF-16 text without a mark (``<`` as ``00 00 00 3C``,
   ``3C 00``, …), which no single-byte encoding produces;
3. the charset of the HTTP ``Content-Type`` (a refresh), when it decodes the bytes: a server's
   header overrides the document's declaration, as in every browser and in feedparser;
4. the XML declaration, unless it names a single-byte encoding while the bytes are valid UTF-8
   with multi-byte characters (a WordPress blog declaring ISO-8859-1 and sending UTF-8: cp1252
   text practically never forms valid UTF-8 sequences);
5. UTF-8;
6. UTF-8 with a few damaged bytes (replaced, with a warning); fewer valid characters are
   needed when the document declares UTF-8 (:data:`DECLARED_UTF8_RATIO`);
7. charset-normalizer, which recognises undeclared legacy encodings (Big5, EUC-JP,
   Shift_JIS, KOI8-R, TIS-620, cp1251, …) where a fixed cp1252 fallback made mojibake;
8. cp1252, with a warning.

Separately, :func:`fix_cp1252_controls` maps C1 control characters (U+0080–U+009F), raw or
written as ``&#146;``, to the cp1252 characters their authors meant (’ “ ” – — € …). No text
uses those controls, and HTML5 reads the references the same way.
"""

from __future__ import annotations

import codecs
import re

from reader.importers.decode import legacy_codec, mostly_utf8

#: Codec names as feeds declare them, mapped to the Python codec that decodes what they mean
#: (gb2312 and big5 documents routinely use characters of their supersets, and "ISO-8859-1"
#: on the web means cp1252).
CODEC_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "big5": "big5hkscs",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "utf-16": "utf-16",
    "utf-32": "utf-32",
}

#: How many valid multi-byte UTF-8 characters per invalid byte make a document damaged UTF-8
#: rather than a legacy encoding. Without a declaration it takes four: legacy text almost never
#: forms a valid sequence, but a short one may by chance. A document that declares UTF-8 has
#: said what it is, so its valid sequences need only outnumber its bad bytes (one stray byte
#: beside two curly quotes is damaged UTF-8, not the Ukrainian DOS page a detector guesses);
#: a legacy document mislabelled UTF-8 has no valid sequences and still goes to detection.
UNDECLARED_UTF8_RATIO = 4
DECLARED_UTF8_RATIO = 1

_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DECLARED_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']""", re.IGNORECASE)
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:\-]+)""", re.IGNORECASE)

#: BOMs, the UTF-32 ones first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def codec_for(name: str) -> str | None:
    """The Python codec that decodes what a document calls ``name``, or None if unknown."""
    name = name.strip().lower()
    try:
        return codecs.lookup(CODEC_ALIASES.get(name, name)).name
    except LookupError:
        return None


def _wide_codec(data: bytes) -> str | None:
    """UTF-32 or UTF-16 recognised from the NUL bytes around ASCII markup, without a BOM.

    A feed starts with an ASCII character (``<``, white space), which shows its encoding's
    zero bytes: three of them in UTF-32, one in UTF-16.
    """
    head = data[:4]
    if len(head) < 4 or b"\x00" not in head:
        return None
    if head[:3] == b"\x00\x00\x00" and head[3]:
        return "utf-32-be"
    if head[1:] == b"\x00\x00\x00" and head[0]:
        return "utf-32-le"
    if not head[0] and head[1]:
        return "utf-16-be"
    if head[0] and not head[1]:
        return "utf-16-le"
    return None


def declared_encoding(data: bytes) -> str | None:
    """The encoding named by the XML declaration (lower case), if any."""
    declared = _XML_DECLARATION.match(data[:1024])
    if not declared:
        return None
    found = _DECLARED_ENCODING.search(declared.group(0))
    return found.group(1).decode("ascii").lower() if found else None


def http_charset(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a ``Content-Type`` header (lower case), if any."""
    if not content_type:
        return None
    found = _CHARSET.search(content_type)
    return found.group(1).lower() if found else None


def decode_document(
    data: bytes, content_type: str | None = None
) -> tuple[str, str, list[str]]:
    """Decode feed bytes: ``(text, encoding name, warnings)``; never raises for bad bytes."""
    warnings: list[str] = []
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom):], codec, warnings), codec, warnings
    wide = _wide_codec(data)
    if wide is not None:
        return _decode(data, wide, warnings), wide, warnings
    header = http_charset(content_type)
    header_codec = codec_for(header) if header is not None else None
    if header is not None and header_codec is not None:
        if _mislabelled_utf8(data, header_codec):
            warnings.append(f"the server calls the feed {header}, but it is UTF-8")
            return data.decode("utf-8"), "utf-8", warnings
        try:
            return data.decode(header_codec), header, warnings
        except UnicodeDecodeError:
            warnings.append(
                f"the server said the feed is {header}, but it is not; its own "
                "declaration was used"
            )
    name = declared_encoding(data)
    declared = codec_for(name) if name else None
    if name and declared is None:
        warnings.append(f"unknown declared encoding {name!r}; the encoding was detected")
    elif name and declared is not None and declared != "utf-8":
        if declared in ("utf-16", "utf-32"):  # declared but without a BOM: guess the order
            declared += "-le" if data[1:2] == b"\x00" else "-be"
        if _mislabelled_utf8(data, declared):
            warnings.append(f"the feed declares {name} but is UTF-8; it was read as UTF-8")
            return data.decode("utf-8"), "utf-8", warnings
        return _decode(data, declared, warnings), name, warnings
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    ratio = DECLARED_UTF8_RATIO if name in ("utf-8", "utf8") else UNDECLARED_UTF8_RATIO
    damaged, first = mostly_utf8(data[: 256 * 1024], ratio)
    if damaged:
        warnings.append(
            f"some bytes are not valid UTF-8 (first at byte {first}); they were replaced"
        )
        return data.decode("utf-8", errors="replace"), "utf-8", warnings
    legacy = legacy_codec(data)
    if legacy is not None:
        try:
            return data.decode(legacy), legacy, warnings
        except UnicodeDecodeError:
            pass
    warnings.append("the feed is not valid UTF-8; it was read as Windows-1252")
    return data.decode("cp1252", errors="replace"), "cp1252", warnings


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mislabelled_utf8(data: bytes, codec: str) -> bool:
    """Whether ``data`` is UTF-8 with multi-byte characters although labelled with the
    single-byte ``codec`` (cp1252 text practically never forms valid UTF-8 sequences)."""
    single_byte = codec.startswith(("cp", "iso8859", "latin", "koi8", "mac")) and codec not in (
        "cp932", "cp949", "cp950"
    )
    return single_byte and not data.isascii() and _valid_utf8(data)


def _decode(data: bytes, codec: str, warnings: list[str]) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        warnings.append(
            f"some bytes are not valid {codec} (first at byte {exc.start}); they were replaced"
        )
        return data.decode(codec, errors="replace")


# --------------------------------------------------------------------------- cp1252 in C1


def _cp1252_for_c1() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x80, 0xA0):
        try:
            table[code] = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined, left alone
            continue
    return table


_C1_TABLE = _cp1252_for_c1()
#: A C1 control, or a character reference to one (decimal 128-159, hex 80-9F), also one
#: escaped inside HTML (``&amp;#146;``).
_C1 = re.compile(r"[\x80-\x9f]|&(amp;)?#(?:1(?:2[89]|[34]\d|5\d);|[xX]0*[89][0-9a-fA-F];)")
#: Where a reference to a C1 control may be: searched from its rare ``#``, which is far
#: faster over a whole document than :data:`_C1` searched from every ``&``.
_C1_REFERENCE = re.compile(r"#(?:1(?:2[89]|[34]\d|5\d)|[xX]0*[89][0-9a-fA-F]);")
_C1_CHARACTER = re.compile(r"[\x80-\x9f]")


def has_c1_characters(text: str) -> bool:
    """Whether ``text`` holds a C1 control character (an ASCII text never does)."""
    return not text.isascii() and _C1_CHARACTER.search(text) is not None


def has_cp1252_controls(text: str) -> bool:
    """Whether ``text`` holds a C1 control or a reference to one (``&#146;``, also escaped
    as ``&amp;#146;`` inside HTML)."""
    return has_c1_characters(text) or _C1_REFERENCE.search(text) is not None


def _c1_replacement(match: re.Match[str]) -> str:
    found = match.group(0)
    if len(found) == 1:
        return _C1_TABLE.get(ord(found), found)
    escaped = match.group(1) or ""
    number = found[2 + len(escaped) : -1]
    code = int(number[1:], 16) if number[:1] in "xX" else int(number)
    char = _C1_TABLE.get(code)
    return f"&{escaped}#{ord(char)};" if char is not None else found


def fix_cp1252_controls(text: str) -> str:
    """C1 controls and references to them replaced by the cp1252 characters they stand for
    (a reference stays a reference, so markup keeps its meaning)."""
    return _C1.sub(_c1_replacement, text)
