"""Shared shape of the national e-invoice syntaxes (VN, ID, PH, KH): one declarative binding.

A national syntax is described once as a tree of :class:`Node` (an element or JSON object)
and :class:`Leaf` (a value) and read or written by the functions here, so each country
module holds only its binding table and a few codecs:

* a :class:`Node` with ``group`` opens a model group (``BG-25`` for each line) per element;
  without one, its content goes into the current group (a wrapper such as ``TTChung``);
* a :class:`Leaf` carries one business term; ``at`` names the subgroups under the current
  group where the term lives in EN 16931 when the national syntax flattens them (a seller's
  address directly under the seller: ``at=("BG-5",)``); a :class:`Codec` turns one national
  value into several terms and back (``"10%"`` is a VAT rate and a category).

National terms that EN 16931 has no term for use ids of their own (``VN-KHHDON``). Readers
are lenient: an element or key the binding does not know is an
``einvoice.unmapped_element`` issue, and a value is kept verbatim. JSON input is parsed
with a size and a depth limit; numbers keep their source text.

Conversion into a national format is the engine's :func:`defa.einvoice.convert` with the
format's id (``vn-gdt``, ``id-efaktur``, ...): it writes, reads back, lists every value
that did not survive and checks the output against the format's rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from lxml import etree
from mypy_extensions import mypyc_attr

from defa.einvoice import jsonsafe
from defa.einvoice.model import Group, Invoice, Term
from defa.einvoice.xmlsafe import Source, parse
from defa.errors import InputRejected, Issue, Severity

__all__ = [
    "JSON_MAX_BYTES",
    "JSON_MAX_DEPTH",
    "Codec",
    "Leaf",
    "NationalSyntax",
    "Node",
    "document_defaults",
    "dump_json",
    "json_document",
    "load_json",
    "plain_decimal",
    "read_json_tree",
    "read_xml_tree",
    "root_check",
    "terms_of",
    "to_xml",
    "write_json_tree",
    "write_xml_tree",
    "xml_document",
    "xml_reader",
    "xml_writer",
]

#: Size limit of one JSON document, in bytes (a national invoice is a few kilobytes).
JSON_MAX_BYTES = 10 * 1024 * 1024
#: Nesting limit of one JSON document; the national payloads nest four or five deep.
JSON_MAX_DEPTH = 32

# A JSON number as RFC 8259 writes it: emitted bare, anything else is written as a string.
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_PLAIN_DECIMAL = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class Codec:
    """How one national value maps to model terms (``read``) and back (``write``).

    ``read`` returns the terms to set in the target group; ``write`` returns the national
    text for the group, or None when the group holds nothing this value can say.
    """

    read: Callable[[str], Mapping[str, str]]
    write: Callable[[Group], str | None]
    terms: tuple[str, ...]  # the term ids ``read`` may produce (for coverage and losses)


@dataclass(frozen=True, slots=True)
class Leaf:
    """One value: an element with text, or a JSON member with a string or number."""

    name: str
    term: str | None = None
    at: tuple[str, ...] = ()  # subgroup path under the current group
    codec: Codec | None = None
    number: bool = False  # JSON: written as a number when the text is one

    def ids(self) -> tuple[str, ...]:
        if self.codec is not None:
            return self.codec.terms
        return (self.term,) if self.term else ()


@dataclass(frozen=True)
class Node:
    """An element or JSON object; ``group`` opens a model group per occurrence.

    ``repeat`` says the node occurs many times (a JSON array; in XML, repeated elements);
    a node that does not repeat takes its first occurrence, and the others are reported.
    """

    name: str
    children: tuple[Leaf | Node, ...] = ()
    group: str | None = None
    repeat: bool = False

    @cached_property
    def by_name(self) -> Mapping[str, Leaf | Node]:
        return {child.name: child for child in self.children}


def terms_of(node: Node) -> frozenset[str]:
    """Every term id a binding can carry (to account for values a target cannot hold)."""
    found: set[str] = set()
    for child in node.children:
        if isinstance(child, Leaf):
            found.update(child.ids())
        else:
            found.update(terms_of(child))
    return frozenset(found)


def _subgroup(group: Group, path: tuple[str, ...], create: bool) -> Group | None:
    """The first group along ``path`` under ``group``; made on the way when ``create``."""
    here = group
    for gid in path:
        found = here.child(gid)
        if found is None:
            if not create:
                return None
            found = here.new_group(gid, here.loc)
        here = found
    return here


def _set(group: Group, leaf: Leaf, text: str, loc: str) -> None:
    target = _subgroup(group, leaf.at, create=True)
    assert target is not None  # created on the way
    if leaf.codec is not None:
        for term_id, value in leaf.codec.read(text).items():
            target.add(Term(term_id, value, loc))
    elif leaf.term is not None:
        target.add(Term(leaf.term, text, loc))


def _values(group: Group, leaf: Leaf) -> list[str]:
    target = _subgroup(group, leaf.at, create=False)
    if target is None:
        return []
    if leaf.codec is not None:
        text = leaf.codec.write(target)
        return [] if text is None else [text]
    return [t.text for t in target.all(leaf.term)] if leaf.term else []


def _unmapped(loc: str, name: str, why: str = "maps to no business term") -> Issue:
    return Issue(
        "einvoice.unmapped_element",
        f"{name[:60]} {why}; it was not read",
        loc=loc,
        severity=Severity.WARNING,
    )


# -- XML ---------------------------------------------------------------------------------


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _steps(parent: etree._Element, base: str) -> Iterator[tuple[etree._Element, str, str]]:
    """Each element child with its local name and loc (positions only where names repeat)."""
    children = [c for c in parent if isinstance(c.tag, str)]
    counts: dict[str, int] = {}
    for child in children:
        name = _local(child)
        counts[name] = counts.get(name, 0) + 1
    seen: dict[str, int] = {}
    for child in children:
        name = _local(child)
        seen[name] = seen.get(name, 0) + 1
        pos = f"[{seen[name]}]" if counts[name] > 1 else ""
        yield child, name, f"{base}/{name}{pos}"


def read_xml_tree(el: etree._Element, node: Node, group: Group, doc: Invoice, loc: str) -> None:
    """Read element ``el`` (bound to ``node``) into ``group``; unknown elements are issues."""
    taken: set[str] = set()
    for child, name, here in _steps(el, loc):
        spec = node.by_name.get(name)
        if spec is None:
            doc.issues.append(_unmapped(here, name))
            continue
        if isinstance(spec, Leaf):
            if len(child):
                doc.issues.append(_unmapped(here, name, "holds elements where a value belongs"))
                continue
            _set(group, spec, (child.text or "").strip(), here)
            continue
        if not spec.repeat and name in taken:
            doc.issues.append(_unmapped(here, name, "occurs again where one is expected"))
            continue
        taken.add(name)
        target = group.new_group(spec.group, here) if spec.group else group
        read_xml_tree(child, spec, target, doc, here)


def write_xml_tree(el: etree._Element, node: Node, group: Group) -> None:
    """Append to ``el`` the elements ``node`` binds, from ``group``, in binding order."""
    for spec in node.children:
        if isinstance(spec, Leaf):
            for text in _values(group, spec):
                etree.SubElement(el, spec.name).text = text
            continue
        if spec.group is not None:
            for sub in group.children(spec.group):
                write_xml_tree(etree.SubElement(el, spec.name), spec, sub)
            continue
        wrapper = etree.SubElement(el, spec.name)
        write_xml_tree(wrapper, spec, group)
        if not len(wrapper):
            el.remove(wrapper)  # a wrapper with nothing to hold is left out


# -- JSON --------------------------------------------------------------------------------


def load_json(
    source: Source, *, max_bytes: int = JSON_MAX_BYTES, max_depth: int = JSON_MAX_DEPTH
) -> Any:
    """Parse untrusted JSON with the national limits; numbers stay text (no float rounding).

    Raises :class:`~defa.errors.InputRejected` with ``input.too_large``,
    ``input.invalid_encoding``, ``json.not_json`` or ``json.too_deep``; nothing else
    escapes.
    """
    return jsonsafe.loads(source, max_bytes, max_depth, exact_numbers=True)


def _scalar(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return None


def read_json_tree(obj: Any, node: Node, group: Group, doc: Invoice, loc: str) -> None:
    """Read a JSON object (bound to ``node``) into ``group``; unknown members are issues."""
    if not isinstance(obj, dict):
        doc.issues.append(_unmapped(loc or "/", node.name, "is not a JSON object"))
        return
    for key, value in obj.items():
        here = f"{loc}/{key}"
        spec = node.by_name.get(key)
        if spec is None:
            doc.issues.append(_unmapped(here, key))
        elif isinstance(spec, Leaf):
            text = _scalar(value)
            if text is None:
                doc.issues.append(_unmapped(here, key, "holds a structure where a value belongs"))
            elif value is not None:
                _set(group, spec, text.strip(), here)
        elif spec.repeat:
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items, 1):
                where = f"{here}[{i}]"
                target = group.new_group(spec.group, where) if spec.group else group
                read_json_tree(item, spec, target, doc, where)
        else:
            target = group.new_group(spec.group, here) if spec.group else group
            read_json_tree(value, spec, target, doc, here)


def write_json_tree(node: Node, group: Group) -> dict[str, Any]:
    """The JSON object ``node`` binds, from ``group`` (members without values left out)."""
    out: dict[str, Any] = {}
    for spec in node.children:
        if isinstance(spec, Leaf):
            values = _values(group, spec)
            if values:
                # JSON holds one value per member; further occurrences are losses.
                out[spec.name] = _Number(values[0]) if spec.number else values[0]
            continue
        subs = group.children(spec.group) if spec.group else [group]
        objects = [o for o in (write_json_tree(spec, sub) for sub in subs) if o]
        if spec.repeat:
            if objects:
                out[spec.name] = objects
        elif objects:
            out[spec.name] = objects[0]
    return out


# A str subclass stays a Python class where this module is compiled (tools/compile.py).
@mypyc_attr(native_class=False)
class _Number(str):
    """A number's text, written bare when it is a JSON number."""


def dump_json(value: Any) -> bytes:
    """Serialise what :func:`write_json_tree` made: numbers keep their exact text."""
    parts: list[str] = []

    def emit(item: Any) -> None:
        if isinstance(item, dict):
            parts.append("{")
            for i, (key, sub) in enumerate(item.items()):
                if i:
                    parts.append(",")
                parts.append(json.dumps(key, ensure_ascii=False))
                parts.append(":")
                emit(sub)
            parts.append("}")
        elif isinstance(item, list):
            parts.append("[")
            for i, sub in enumerate(item):
                if i:
                    parts.append(",")
                emit(sub)
            parts.append("]")
        elif isinstance(item, _Number) and _JSON_NUMBER.fullmatch(item):
            parts.append(str(item))
        else:
            parts.append(json.dumps(str(item), ensure_ascii=False))

    emit(value)
    return "".join(parts).encode("utf-8")


# -- a national syntax and conversion into it ---------------------------------------------


@dataclass(frozen=True, slots=True)
class NationalSyntax:
    """A national syntax: its name, its reader and writer of bytes, and its binding."""

    name: str
    title: str
    read: Callable[[Source], Invoice]
    write: Callable[[Invoice], bytes]
    binding: Node
    carried: frozenset[str] = field(default_factory=frozenset)

    def terms(self) -> frozenset[str]:
        return self.carried or terms_of(self.binding)


def xml_reader(
    syntax: str, root_name: str, binding: Node
) -> Callable[[etree._Element | Source], Invoice]:
    """The reader of a national XML syntax whose document element is ``root_name``."""

    def read(source: etree._Element | Source) -> Invoice:
        root = xml_document(source)
        root_check(root, root_name, syntax)
        doc = Invoice(syntax=syntax, tree=root)
        doc.loc = f"/{root_name}"
        read_xml_tree(root, binding, doc, doc, doc.loc)
        return doc

    return read


def xml_writer(root_name: str, binding: Node) -> Callable[[Invoice], bytes]:
    """The writer of a national XML syntax: ``binding`` under a ``root_name`` element."""

    def write(doc: Invoice) -> bytes:
        root = etree.Element(root_name)
        write_xml_tree(root, binding, doc)
        return to_xml(root)

    return write


def document_defaults(defaults: Mapping[str, str]) -> Callable[[Invoice], Invoice]:
    """A ``prepare`` step: a copy of the document with document-level terms set when absent.

    For facts of the target format itself (the data-format version a writer produces), not
    for business content: nothing a document does not say is made up.
    """

    def prepare(doc: Invoice) -> Invoice:
        missing = {tid: text for tid, text in defaults.items() if not doc.has(tid)}
        if not missing:
            return doc
        # a shallow copy: only the new terms are added
        out = doc.reshaped(terms=dict(doc.terms), issues=list(doc.issues))
        for term_id, text in missing.items():
            out.terms[term_id] = [Term(term_id, text)]
        return out

    return prepare


def xml_document(source: etree._Element | Source) -> etree._Element:
    """A parsed root from a root or from bytes/text/path, through the hardened parser."""
    return source if isinstance(source, etree._Element) else parse(source)


def to_xml(root: etree._Element) -> bytes:
    """Serialise a national XML document (UTF-8, declared, indented for people)."""
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def json_document(source: Any) -> Any:
    """A parsed JSON value from bytes/text/path (hardened) or an already-parsed dict."""
    return source if isinstance(source, dict) else load_json(source)


def root_check(root: etree._Element, expected: str, syntax: str) -> None:
    """Refuse a document whose root element is not ``expected`` (``xml.wrong_root``)."""
    name = _local(root)
    if name != expected:
        raise InputRejected(
            Issue(
                "xml.wrong_root",
                f"the {syntax} reader takes a {expected} document, not {name[:60]!r}",
                loc=f"/{name[:60]}",
            )
        )


def plain_decimal(text: str) -> str:
    """A decimal's text without trailing zeros (``"10.00"`` -> ``"10"``), else as given."""
    if _PLAIN_DECIMAL.fullmatch(text) is None:
        return text
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
