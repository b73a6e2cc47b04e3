"""One hardened XML parse for every reader.

Invoices come from strangers, so the parse assumes hostile input (OWASP XXE, "billion
laughs"):

* a document type declaration is refused (``xml.forbidden_dtd``) and so is any entity
  declaration or reference to an entity other than XML's five predefined ones
  (``xml.forbidden_entity``). Both are looked for in the raw bytes *before* parsing, so an
  entity bomb is never expanded; the parser itself runs with entity resolution, DTD loading
  and network access off as a second line of defence;
* the input has a size limit (``input.too_large``, 50 MB unless configured) checked before
  any byte is parsed, and a depth limit (``xml.too_deep``);
* anything lxml cannot parse is ``xml.not_xml``.

Every refusal raises :class:`~defa.errors.InputRejected` carrying one issue; nothing else
escapes :func:`parse`. Comments and processing instructions are dropped while parsing: no
business term lives in them and readers then see elements only.
"""

from __future__ import annotations

import codecs
import os
import re
from functools import lru_cache
from typing import Any

from lxml import etree

from defa.errors import InputRejected, Issue

__all__ = ["MAX_BYTES", "MAX_DEPTH", "Source", "parse", "parse_written", "read_bytes"]

#: Default size limit of one document, in bytes.
MAX_BYTES = 50 * 1024 * 1024
#: Default nesting limit. UBL and CII invoices nest about 10 deep; libxml2 itself stops at
#: 256 without its "huge" option, so larger limits have no effect.
MAX_DEPTH = 64

Source = bytes | bytearray | memoryview | str | os.PathLike[str]

_PREDEFINED = frozenset({b"lt", b"gt", b"amp", b"apos", b"quot"})
# An entity reference: "&name;" (character references "&#...;" do not match).
_ENTITY_REF = re.compile(rb"&([A-Za-z_:][A-Za-z0-9_.:\-]*);")
# The encoding pseudo-attribute of an XML declaration, rewritten when text is re-encoded.
_DECL_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?\sencoding\s*=\s*)(["'])[^"']*\2""")

_UTF16_32 = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)


def _reject(code: str, msg: str, loc: str = "", **ctx: Any) -> InputRejected:
    return InputRejected(Issue(code, msg, loc=loc, ctx=ctx))


def _too_large(size: int, limit: int) -> InputRejected:
    return _reject(
        "input.too_large",
        f"the document has {size} bytes; the limit is {limit}",
        size=size,
        limit=limit,
    )


def read_bytes(source: Source, max_bytes: int = MAX_BYTES) -> bytes:
    """The raw bytes of ``source`` within the size limit.

    ``bytes``-like values are the document; a ``str`` is the document's text (never a file
    name); an ``os.PathLike`` names a file, whose size is checked before it is read.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    elif isinstance(source, str):
        if len(source) > max_bytes:  # a character is at least one byte
            raise _too_large(len(source), max_bytes)
        data = _text_to_bytes(source)
    elif isinstance(source, os.PathLike):
        try:
            with open(source, "rb") as fh:
                size = os.fstat(fh.fileno()).st_size
                if size > max_bytes:
                    raise _too_large(size, max_bytes)
                data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise _reject(
                "xml.not_xml", f"the file cannot be read: {exc.strerror or exc}"
            ) from None
    else:
        raise _reject(
            "xml.not_xml", f"expected XML as bytes, text or a path, not {type(source).__name__}"
        )
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    return data


def _text_to_bytes(text: str) -> bytes:
    """UTF-8 bytes of XML text, its declaration's encoding made to say so."""
    text = text.removeprefix("\ufeff")
    if text.lstrip().startswith("<?xml"):
        text = _DECL_ENCODING.sub(r"\1\2UTF-8\2", text, count=1)
    return text.encode("utf-8", "surrogatepass")


def _normalise(data: bytes) -> bytes:
    """Re-encode UTF-16/32 input as UTF-8 so the byte-level scans below see every byte."""
    for prefix, codec in _UTF16_32:
        if data.startswith(prefix):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise _reject(
                    "xml.not_xml", f"the document is not valid {codec.upper()} text"
                ) from None
            return _text_to_bytes(text)
    return data


def _scan(data: bytes) -> None:
    """Refuse DTDs and entity declarations before the parser sees them."""
    if b"<!ENTITY" in data:
        raise _reject("xml.forbidden_entity", "the document declares entities; refused")
    if b"<!DOCTYPE" in data:
        raise _reject("xml.forbidden_dtd", "the document has a DOCTYPE declaration; refused")


def _undeclared_entity(data: bytes) -> bytes | None:
    """The first reference to an entity that is not predefined, if any."""
    for match in _ENTITY_REF.finditer(data):
        if match.group(1) not in _PREDEFINED:
            return match.group(1)
    return None


_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
    "collect_ids": False,
}


def _parser() -> etree.XMLParser:
    # lxml parsers are not thread-safe to share while parsing; one per call is cheap.
    return etree.XMLParser(**_PARSER_OPTIONS)


@lru_cache(maxsize=8)
def _depth_probe(max_depth: int) -> etree.XPath:
    """An XPath that is true when some element lies deeper than ``max_depth``."""
    return etree.XPath("boolean(/" + "/".join(["*"] * (max_depth + 1)) + ")")


def parse(
    source: Source, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH
) -> etree._Element:
    """Parse untrusted XML safely and return its root element.

    Raises :class:`~defa.errors.InputRejected` with ``input.too_large``,
    ``xml.forbidden_dtd``, ``xml.forbidden_entity``, ``xml.too_deep`` or ``xml.not_xml``.
    """
    data = _normalise(read_bytes(source, max_bytes))
    _scan(data)
    if not data.strip():
        raise _reject("xml.not_xml", "the document is empty")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise _classify(data, exc) from None
    except (etree.LxmlError, ValueError, LookupError, TypeError) as exc:
        raise _reject("xml.not_xml", f"the document is not well-formed XML: {exc}"[:300]) from None
    if root is None:
        raise _reject("xml.not_xml", "the document has no root element")
    docinfo = root.getroottree().docinfo
    # Belt and braces for encodings whose bytes hide "<!DOCTYPE" from the scan (EBCDIC).
    if getattr(docinfo, "doctype", "") or docinfo.internalDTD is not None:
        raise _reject("xml.forbidden_dtd", "the document has a DOCTYPE declaration; refused")
    if _depth_probe(max_depth)(root):
        raise _reject(
            "xml.too_deep",
            f"elements nest deeper than {max_depth} levels",
            max_depth=max_depth,
        )
    return root


def parse_written(document: bytes) -> etree._Element:
    """Parse a document one of the engine's writers has just serialised.

    The parser is the hardened one :func:`parse` uses (no entities resolved, no network);
    what :func:`parse` checks of untrusted input besides (size, DTD or entity declarations,
    nesting depth) a writer cannot produce: markup in values is escaped, and its binding
    bounds the depth. Anything the parser refuses goes through :func:`parse`, for its issue.
    """
    try:
        return etree.fromstring(document, _parser())
    except etree.XMLSyntaxError:
        return parse(document)


def _classify(data: bytes, exc: etree.XMLSyntaxError) -> InputRejected:
    """Turn a parse error into the most telling issue."""
    message = str(exc.msg if getattr(exc, "msg", None) else exc)
    if "Excessive depth" in message:
        return _reject("xml.too_deep", "elements nest deeper than the parser allows")
    if "XML_PARSE_HUGE" in message:
        # libxml2's own limits without its "huge" option: one text node or attribute value
        # of about 10 MB (a large embedded attachment)
        return _reject(
            "input.too_large",
            "a single text or attribute value exceeds the parser's limit (about 10 MB)",
        )
    name = _undeclared_entity(data)
    if name is not None:
        return _reject(
            "xml.forbidden_entity",
            f"the document references the entity {name.decode('ascii', 'replace')!r}; refused",
        )
    line = getattr(exc, "lineno", None)
    return _reject(
        "xml.not_xml",
        f"the document is not well-formed XML: {message}"[:300],
        loc=f"line {line}" if line else "",
    )
