"""Feed XML to an lxml element tree, safely, repairing what feeds commonly get wrong.

* **Entities.** A document may declare plain internal entities (``<!ENTITY nbsp "&#160;">``,
  ``<!ENTITY id "tag:example.com,">``): text and character references only, substituted here
  before parsing, their total expansion bounded. Any other declaration (one entity built
  from others, a parameter or external entity) is refused before parsing: that is how
  entity-expansion bombs and external-entity attacks work, and feeds never need it. HTML
  named entities such as ``&eacute;``, common in old RSS, become character references; a
  name neither XML nor HTML knows (``&doesnotexist;``) is kept as the text it is.
* **Well-formedness.** A strict parse decides whether the document is well-formed. If it is
  not, the commonest faults are repaired (a bare ``&`` in a URL or in text, ``&#X41;`` written
  with a capital X, control characters XML forbids) and the document parsed strictly again;
  failing that, libxml2's recovering parser keeps what it can, and the caller warns (and
  may ask :mod:`.fallback` for a second opinion on the repaired bytes).
* **cp1252 in C1.** References to C1 controls (``&#146;``) and the controls themselves become
  the cp1252 characters they stand for, here, once for the whole document.
* **Nothing is fetched.** DTDs are not loaded and the network is off.
"""

from __future__ import annotations

import html.entities
import re
from dataclasses import dataclass
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from reader.feeds.decoding import fix_cp1252_controls, has_cp1252_controls

_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
#: A plain internal entity: a name and a quoted value of text and character references.
_PLAIN_ENTITY = re.compile(
    r"""<!ENTITY\s+([A-Za-z_][\w.\-]*)\s+(?:"((?:[^"&<%]|&\#\d+;|&\#x[0-9a-fA-F]+;)*)"|"""
    r"""'((?:[^'&<%]|&\#\d+;|&\#x[0-9a-fA-F]+;)*)')\s*>"""
)
#: An external parameter entity (``<!ENTITY % HTMLlat1 PUBLIC "…" "….ent">``), the way
#: feeds pull in the XHTML entity sets: never loaded (HTML entities are read anyway).
_EXTERNAL_PARAMETER_ENTITY = re.compile(
    r"""<!ENTITY\s+%\s*[A-Za-z_][\w.\-]*\s+(?:PUBLIC\s+(?:"[^"]*"|'[^']*')\s*|SYSTEM\s*)"""
    r"""(?:"[^"]*"|'[^']*')\s*>"""
)
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[(.*?)\]\s*>", re.DOTALL | re.IGNORECASE)
#: Substituted entities may add at most this much text beyond the document's own size.
_ENTITY_GROWTH = 1024 * 1024
_NAMED_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|apos);)([A-Za-z][A-Za-z0-9]{0,31});")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_DECLARATION = re.compile(r"\s*<\?xml[^>]*\?>")
#: An ``&`` that starts no reference at all.
_BARE_AMPERSAND = re.compile(r"&(?!#\d+;|#[xX][0-9a-fA-F]+;|[A-Za-z_][\w.-]*;)")
_CAPITAL_HEX_REFERENCE = re.compile(r"&#X([0-9a-fA-F]+;)")
#: Characters XML 1.0 forbids, which feeds carry anyway (pasted from word processors).
_FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class Tree:
    """A parsed document: its root element and, if it was not well-formed, why."""

    root: Any  # lxml ``_Element``
    problem: str | None
    has_xml_base: bool
    body: bytes  # what was parsed (repaired, when ``problem`` is set)


class EntityDeclarations(ValueError):
    """The document declares its own entities (refused)."""


def prolog(text: str) -> str:
    """The part of an XML document before its root element (declaration, DOCTYPE)."""
    position = 0
    while True:
        start = text.find("<", position)
        if start < 0:
            return text
        following = text[start + 1 : start + 2]
        if following not in ("?", "!"):
            return text[:start]
        if text.startswith("<!DOCTYPE", start) or text.startswith("<!doctype", start):
            bracket = text.find("[", start, start + 4096)
            close = text.find(">", start)
            if bracket != -1 and bracket < close:  # internal subset: up to "]>"
                end = text.find("]>", bracket)
                return text if end < 0 else text[: end + 2]
            position = close + 1 if close >= 0 else len(text)
            continue
        end = text.find("?>" if following == "?" else ">", start)
        if end < 0:
            return text
        position = end + 1


def _substitute_plain_entities(text: str) -> str:
    """``text`` without its DOCTYPE's internal subset, its plain entities written out and
    its external parameter entities dropped; raises :class:`EntityDeclarations` for any other
    entity declaration, or when the entities would add too much text."""
    subset = _DOCTYPE_SUBSET.search(text, 0, 64 * 1024)
    if subset is None:
        raise EntityDeclarations
    declarations = subset.group(1)
    entities = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
                for m in _PLAIN_ENTITY.finditer(declarations)}
    rest = _EXTERNAL_PARAMETER_ENTITY.sub("", _PLAIN_ENTITY.sub("", declarations))
    if _ENTITY_DECLARATION.search(rest):
        raise EntityDeclarations
    body = text[subset.end():]
    growth = 0
    for name, value in entities.items():
        reference = f"&{name};"
        growth += body.count(reference) * max(0, len(value) - len(reference))
        if growth > max(len(text), _ENTITY_GROWTH):
            raise EntityDeclarations
        body = body.replace(reference, value)
    return text[: subset.start()] + body


def _swap_entity(match: re.Match[str]) -> str:
    name = match.group(1)
    code = html.entities.name2codepoint.get(name)
    if code is not None:
        return f"&#{code};"
    return f"&amp;{name};"  # not an entity anyone defines: keep the text as written


def replace_html_entities(text: str) -> str:
    """HTML named entities, which XML does not define, as character references."""
    if "&" not in text:
        return text
    return _NAMED_ENTITY.sub(_swap_entity, text)


def _parser(recover: bool) -> Any:
    """Comments and processing instructions stay in the tree (the reader skips them: asking
    libxml2 to drop them made parsing half as slow again). ``collect_ids=False`` is not
    used: with it libxml2 tries to fetch an external DTD (and fails, as the network is off)."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True,
        recover=recover,
    )


def _first_error(exc: Exception) -> str:
    # lxml appends "(<string>, line N)": the position is already in libxml2's text.
    message = str(exc).split("\n")[0]
    return re.sub(r"\s*\(<string>, line \d+\)$", "", message)[:160]


def parse(text: str, base_url: str | None = None) -> Tree:
    """Parse a decoded document; ``root`` is None when not even the recovering parser finds
    an element.

    Raises :class:`EntityDeclarations` for a document that declares entities other than
    plain ones.
    """
    if _ENTITY_DECLARATION.search(prolog(text[: 64 * 1024])):
        text = _substitute_plain_entities(text)
    declaration = _DECLARATION.match(text)
    if declaration:
        text = text[declaration.end():]
    text = replace_html_entities(text)
    if has_cp1252_controls(text):
        text = fix_cp1252_controls(text)
    has_xml_base = "xml:base" in text
    body = text.encode("utf-8")
    try:
        root = etree.fromstring(body, _parser(False), base_url=base_url)
        return Tree(root, None, has_xml_base, body)
    except etree.XMLSyntaxError as exc:
        problem = _first_error(exc)
    repaired = _CAPITAL_HEX_REFERENCE.sub(r"&#x\1", _BARE_AMPERSAND.sub("&amp;", text))
    repaired = _FORBIDDEN_CHARACTERS.sub("", repaired)
    body = repaired.encode("utf-8")
    if repaired != text:
        try:
            root = etree.fromstring(body, _parser(False), base_url=base_url)
            return Tree(root, problem, has_xml_base, body)
        except etree.XMLSyntaxError:
            pass
    try:
        root = etree.fromstring(body, _parser(True), base_url=base_url)
    except etree.XMLSyntaxError:
        root = None
    return Tree(root, problem, has_xml_base, body)
