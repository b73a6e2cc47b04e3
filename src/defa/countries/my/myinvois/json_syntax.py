"""MyInvois JSON: the OASIS UBL 2.1 JSON alternative representation (v2.0), as LHDN takes it.

UBL-JSON spells each element as a list of objects: ``"_"`` holds an element's text, other
string members are its attributes, list members are child elements; ``_D``, ``_A``, ``_B``
name the document, aggregate (``cac``) and basic (``cbc``) namespaces. Element names carry
no prefix, so the namespace of each is inferred as UBL-JSON's rules allow: an object with
``"_"`` is a basic component, one without an aggregate; the signature extension (which UBL
leaves to ``ext:ExtensionContent`` and LHDN transliterates from XML) has its names listed.

A JSON document is mapped element for element onto the MyInvois XML tree and read by the
same reader (:func:`.xml_syntax.read_xml`), so the XML and JSON forms of one document give
the same model; writing goes the other way. Input has a size limit (the engine's) and a
nesting limit; numbers are kept as their verbatim text.

The tree is made by writing the document as XML text and parsing that once (lxml's C
parser, with the hardened parser's options). What the text would not give exactly as one
lxml element call per element builds (an unusual name or character, nesting beyond the
limit, a value beyond the parser's limits...) is built element by element instead, which
also gives the precise refusal.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lxml import etree

from defa.countries.my.myinvois import xml_syntax as x
from defa.countries.my.myinvois._binding import ROOT_NODE
from defa.einvoice import jsonsafe
from defa.einvoice.jsonsafe import looks_like_json
from defa.einvoice.model import Invoice
from defa.einvoice.syntax import ubl_binding as ubl
from defa.einvoice.syntax._write import write_json_object
from defa.einvoice.xmlsafe import MAX_BYTES, MAX_DEPTH, Source, parse_written, read_bytes
from defa.errors import InputRejected, Issue

__all__ = ["SYNTAX", "from_tree", "looks_like_json", "read_json", "to_tree", "write_json"]

SYNTAX = "myinvois-json"

# The signature extension's element names and their namespaces (MyInvois signature guide);
# the other names inside it are XML-DSig's ("ds"), save "ID" (cbc).
_EXTENSION_NS = {
    "UBLExtension": ubl.EXT,
    "ExtensionURI": ubl.EXT,
    "ExtensionContent": ubl.EXT,
    "UBLDocumentSignatures": x.SIG,
    "SignatureInformation": x.SAC,
    "ReferencedSignatureID": x.SBC,
    "ID": ubl.CBC,
    **dict.fromkeys(
        (
            "QualifyingProperties",
            "SignedProperties",
            "SignedSignatureProperties",
            "SigningTime",
            "SigningCertificate",
            "Cert",
            "CertDigest",
            "IssuerSerial",
        ),
        x.XADES,
    ),
}
_NSMAP: Any = {None: ubl.INVOICE, "cac": ubl.CAC, "cbc": ubl.CBC}  # lxml takes None keys
_EXT_NSMAP: Any = {None: ubl.EXT, **{p: ns for p, ns in x.NAMESPACES.items() if p != "ext"}}
# an element with no children written without "_" (an empty aggregate)
_AGGREGATES = frozenset({ubl.CAC, x.SAC})


def _reject(code: str, msg: str, loc: str = "") -> InputRejected:
    return InputRejected(Issue(code, msg[:300], loc=loc))


def _text(value: object) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


def _element(
    name: str, obj: object, parent: etree._Element, in_ext: bool, depth: int, loc: str
) -> etree._Element:
    if depth > MAX_DEPTH:
        raise _reject("json.too_deep", f"elements nest deeper than {MAX_DEPTH} levels", loc)
    if not isinstance(obj, dict):
        raise _reject("json.wrong_shape", f"{name} must be a list of objects", loc)
    if in_ext:
        ns = _EXTENSION_NS.get(name, x.DS)
    elif name == "UBLExtensions":
        ns, in_ext = ubl.EXT, True
    else:
        ns = ubl.CBC if "_" in obj else ubl.CAC
    tag = f"{{{ns}}}{name}"
    try:
        # the extension declares its prefixes as MyInvois' own XML does (sig, ds, xades...)
        nsmap = _EXT_NSMAP if name == "UBLExtensions" else None
        el = etree.SubElement(parent, tag, nsmap=nsmap)
    except ValueError:
        raise _reject("json.wrong_shape", f"{name[:60]!r} is not an element name", loc) from None
    for key, value in obj.items():
        if key == "_":
            try:
                el.text = _text(value)
            except ValueError:
                raise _reject(
                    "json.wrong_shape",
                    f"the text of {name[:60]!r} holds characters XML cannot carry "
                    f"(NUL or control characters)",
                    loc,
                ) from None
        elif isinstance(value, list):
            for i, item in enumerate(value, 1):
                _element(key, item, el, in_ext, depth + 1, f"{loc}/{key[:60]}[{i}]")
        else:
            try:
                el.set(key, _text(value))
            except (ValueError, TypeError):
                raise _reject(
                    "json.wrong_shape",
                    f"{key[:60]!r} is not an attribute name, or its value holds characters "
                    f"XML cannot carry",
                    loc,
                ) from None
    return el


class _Unusual(Exception):
    """What the text pass does not write exactly as the element calls would build it."""


# Start tags as lxml's element calls make them: the document element declares the default,
# "cac" and "cbc" namespaces; an "UBLExtensions" outside the extension declares the ones
# _EXT_NSMAP adds (lxml leaves out "cac" and "cbc", already declared alike).
_ROOT_START = f'<Invoice xmlns="{ubl.INVOICE}" xmlns:cac="{ubl.CAC}" xmlns:cbc="{ubl.CBC}">'
_EXTENSIONS_START = "<UBLExtensions" + "".join(
    f' xmlns{":" + p if p else ""}="{ns}"' for p, ns in _EXT_NSMAP.items() if _NSMAP.get(p) != ns
)
# The prefix of each namespace inside the extension (ext is its default namespace)
_EXT_PREFIXES = {**{ns: f"{p}:" for p, ns in x.NAMESPACES.items()}, ubl.EXT: ""}
# A name lxml takes as it is: plain ASCII, no colon, not starting with "xml" (reserved, and
# an attribute "xmlns" would be read back as a declaration)
_PLAIN_NAME = re.compile(r"(?![Xx][Mm][Ll])[A-Za-z_][A-Za-z0-9._-]*").fullmatch
# What an attribute value cannot hold as it is (the parser would read whitespace back as
# spaces). A character XML cannot carry makes the parser refuse the text; a CR (which it
# would read back as LF) is in no markup the text pass writes, so one look finds any value's.
_ATTR_SPECIAL = re.compile('[&<"\t\n]').search
# Names found plain, by kind: "cbc" and "cac" (outside the extension) and "ext" (inside)
_TAGS: dict[str, dict[str, str]] = {"cbc": {}, "cac": {}, "ext": {}}
_ATTRIBUTES: set[str] = set()
# Input is untrusted: so many names are kept per kind, each so long at most (UBL's are shorter)
_KNOWN_NAMES = 4096
_KNOWN_NAME_LENGTH = 64


def _tag(kind: str, name: str) -> str:
    """The prefixed tag of a plain element name (raises :class:`_Unusual` otherwise)."""
    if not _PLAIN_NAME(name):
        raise _Unusual
    prefix = _EXT_PREFIXES[_EXTENSION_NS.get(name, x.DS)] if kind == "ext" else f"{kind}:"
    tag = prefix + name
    known = _TAGS[kind]
    if len(known) < _KNOWN_NAMES and len(name) <= _KNOWN_NAME_LENGTH:
        known[name] = tag
    return tag


def _attribute(key: str, value: object) -> str:
    """An attribute as the start tag holds it (raises :class:`_Unusual` for an unusual name)."""
    if key not in _ATTRIBUTES:
        if not _PLAIN_NAME(key):
            raise _Unusual
        if len(_ATTRIBUTES) < _KNOWN_NAMES and len(key) <= _KNOWN_NAME_LENGTH:
            _ATTRIBUTES.add(key)
    text = value if type(value) is str else _text(value)
    if _ATTR_SPECIAL(text):
        text = (
            text.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace('"', "&quot;")
            .replace("\t", "&#9;")
            .replace("\n", "&#10;")
        )
    return f' {key}="{text}"'


def _write(name: str, obj: object, out: list[str], in_ext: bool, depth: int) -> None:
    """Append the element's XML text to ``out``."""
    if depth > MAX_DEPTH or type(obj) is not dict:
        raise _Unusual
    if in_ext:
        if name == "UBLExtensions":
            raise _Unusual  # declares its namespaces again, in the xmldsig namespace
        tag = _TAGS["ext"].get(name) or _tag("ext", name)
        start = "<" + tag
    elif name == "UBLExtensions":
        tag, start, in_ext = name, _EXTENSIONS_START, True
    else:
        kind = "cbc" if "_" in obj else "cac"
        tag = _TAGS[kind].get(name) or _tag(kind, name)
        start = "<" + tag
    text = None
    children = None
    for key, value in obj.items():
        if key == "_":
            text = value if type(value) is str else _text(value)
            if not text:
                # lxml's el.text = "" leaves an empty text node, which an empty CDATA section
                # parses into ("<a></a>" parses without one: its text is None)
                text = "<![CDATA[]]>"
            elif "<" in text or "&" in text or ">" in text:
                text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        elif type(value) is list:
            if children is None:
                children = [(key, value)]
            else:
                children.append((key, value))
        else:
            start += _attribute(key, value)
    if children is None:
        out.append(f"{start}>{text}</{tag}>" if text else start + "/>")
        return
    out.append(f"{start}>{text}" if text else start + ">")
    for key, items in children:
        for item in items:
            _write(key, item, out, in_ext, depth + 1)
    out.append(f"</{tag}>")


def _tree_from_text(invoice: dict[str, Any]) -> etree._Element:
    """The tree parsed from the document written as XML text (raises :class:`_Unusual`)."""
    out = [_ROOT_START]
    for key, value in invoice.items():
        if type(value) is list:
            for item in value:
                _write(key, item, out, False, 2)
    out.append("</Invoice>")
    text = "".join(out)
    if "\r" in text:
        raise _Unusual
    try:
        # a lone surrogate does not encode; the parser refuses what else XML cannot carry, a
        # "]]>" in a text, and a value beyond its limits
        root = parse_written(text.encode())
    except (UnicodeEncodeError, InputRejected):
        raise _Unusual from None
    return root


def to_tree(data: bytes) -> etree._Element:
    """The MyInvois XML tree a UBL-JSON document spells (input is untrusted)."""
    if looks_like_json(data) is False and data.lstrip()[:1] == b"<":
        raise _reject(
            "einvoice.wrong_format",
            "this looks like XML (MyInvois XML or another UBL/CII document), not MyInvois "
            "JSON; read it with the XML reader",
        )
    # Each XML level is two JSON levels (an array of objects); the element depth is checked
    # against MAX_DEPTH while the tree is built.
    parsed = jsonsafe.loads(data, len(data), 2 * MAX_DEPTH + 2, exact_numbers=True)
    if not isinstance(parsed, dict):
        raise _reject("json.wrong_root", "a UBL-JSON document is an object")
    names = [k for k in parsed if not k.startswith("_")]
    if names != ["Invoice"]:
        found = ", ".join(repr(n[:40]) for n in names[:3]) or "nothing"
        raise _reject(
            "json.wrong_root",
            f"this looks like {found}, not a MyInvois document (UBL-JSON with one 'Invoice')",
        )
    namespace = parsed.get("_D", ubl.INVOICE)
    if namespace != ubl.INVOICE:
        raise _reject(
            "xml.wrong_namespace",
            f"the Invoice must be in namespace {ubl.INVOICE}, not {str(namespace)[:80]!r}",
            "/Invoice",
        )
    body = parsed["Invoice"]
    if not isinstance(body, list) or len(body) != 1:
        raise _reject("json.wrong_shape", "'Invoice' must be a list of one object", "/Invoice")
    if not isinstance(body[0], dict):
        raise _reject("json.wrong_shape", "'Invoice' must hold an object", "/Invoice")
    try:
        return _tree_from_text(body[0])
    except _Unusual:
        return _tree_from_elements(body[0])


def _tree_from_elements(invoice: dict[str, Any]) -> etree._Element:
    """The tree built one lxml element at a time (raises the precise refusal)."""
    root = etree.Element(f"{{{ubl.INVOICE}}}Invoice", nsmap=_NSMAP)
    for key, value in invoice.items():
        if not isinstance(value, list):
            continue  # attributes of the document element: UBL defines none
        for i, item in enumerate(value, 1):
            _element(key, item, root, False, 2, f"/Invoice/{key[:60]}[{i}]")
    return root


def read_json(data: bytes | Source) -> Invoice:
    """Read a MyInvois JSON document into the model (the same as its XML form gives).

    Raises :class:`~defa.errors.InputRejected` for input that is too large, not JSON, too
    deep, or not a UBL-JSON Invoice.
    """
    raw = read_bytes(data, MAX_BYTES)
    doc = x.read_xml(to_tree(raw))
    doc.syntax = SYNTAX
    return doc


def _object(el: etree._Element) -> dict[str, Any]:
    out: dict[str, Any] = {}
    kids = [c for c in el if isinstance(c.tag, str)]
    if not kids and etree.QName(el).namespace not in _AGGREGATES:
        out["_"] = el.text or ""
    for key, value in el.attrib.items():
        out[etree.QName(key).localname] = value
    for child in kids:
        out.setdefault(etree.QName(child).localname, []).append(_object(child))
    return out


def from_tree(root: etree._Element) -> dict[str, Any]:
    """The UBL-JSON object of a MyInvois XML tree."""
    return {"_D": ubl.INVOICE, "_A": ubl.CAC, "_B": ubl.CBC, "Invoice": [_object(root)]}


def _written(inv: Invoice) -> dict[str, Any] | None:
    """What ``from_tree(x.write_tree_of(inv))`` gives, written straight from the binding
    walk; None for a document only the tree writes as it does (or refuses as it does)."""
    body = write_json_object(inv, x.ROOT, ROOT_NODE, x.SYNTAX, _AGGREGATES)
    if body is None:
        return None
    kept = x.kept_extensions(inv)
    if kept is not None:
        # the document element's first child, as write_tree_of inserts it
        body.pop("_", None)
        first: dict[str, Any] = {etree.QName(kept).localname: [_object(kept)]}
        for key, objects in body.items():
            first.setdefault(key, []).extend(objects)
        body = first
    return {"_D": ubl.INVOICE, "_A": ubl.CAC, "_B": ubl.CBC, "Invoice": [body]}


# What write_json serialises is a tree made for the call: no circular reference to look for
# (the encoder would keep every object's id while it is written)
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def write_json(inv: Invoice) -> bytes:
    """The MyInvois JSON document (UTF-8) holding the invoice's terms."""
    tree = _written(inv)
    if tree is None:
        tree = from_tree(x.write_tree_of(inv))
    return _ENCODER.encode(tree).encode()
