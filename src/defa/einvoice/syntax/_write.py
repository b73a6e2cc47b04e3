"""Writing a model through a binding table, in the table's (schema) order.

See :mod:`defa.einvoice.syntax._xmlmap` for the table's node types. One walk of the table
decides what is written; emitters put it down. :func:`write_xml` serialises straight to
text, as lxml would serialise the tree (``to_xml``: UTF-8, declaration, indented), without
one lxml element per element; :func:`write_tree` builds the lxml tree. A document the text
emitter cannot write exactly as lxml would (a value XML cannot carry, an attribute name
that is not a plain XML name, an attribute in a namespace the root does not declare) is
written through the tree, as before, so that the bytes and the errors are lxml's own.
:func:`write_json_object` builds the UBL-JSON objects the tree would give, without the tree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from lxml import etree

from defa.einvoice.model import ROOT, Group, Invoice, Term
from defa.einvoice.syntax._xmlmap import Binding, Fixed, Leaf, Node, Switch, WritePlan
from defa.errors import Issue, ValidationError

__all__ = ["Writer", "to_xml", "write_json_object", "write_tree", "write_xml"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NOT_ATTR = re.compile(r"[:/@]")

E = TypeVar("E")  # what an emitter hands back for an element it opened


def _xml_attrs(term: Term) -> dict[str, str]:
    """The attrs of a term that are XML attributes of its own element."""
    # Other keys are syntax values kept on the term: "cac:TaxScheme/cbc:ID", "ram:TypeCode",
    # "@element". Namespaced attributes are read in Clark notation, so a plain XML
    # attribute name never holds a colon.
    attrs = term.attrs
    if not attrs or _XML_ATTR_NAMES.issuperset(attrs):
        # most terms: nothing to filter (emitters only read the mapping)
        return attrs
    own = {k: v for k, v in attrs.items() if k[0] == "{" or not _NOT_ATTR.search(k)}
    if len(_XML_ATTR_NAMES) < 256:  # names from documents: a bounded set
        _XML_ATTR_NAMES.update(own)
    return own


# The keys found to be XML attribute names (an amount's currencyID, a code's listID): a
# term whose attrs hold no other is written with all of them, without filtering.
_XML_ATTR_NAMES: set[str] = set()


class _Walk(Generic[E]):
    """Walks a binding table over a model, in the table's (schema) order.

    What is written is decided here; how is the emitter's (``put``, ``open``, ``close``,
    ``drop``): an lxml tree or text.
    """

    __slots__ = ("currencies", "derive", "doc", "kind")

    def __init__(self, doc: Invoice, syntax: str = "") -> None:
        self.doc = doc
        self.kind = doc.kind
        # what the target syntax requires but the source did not say (an amount's
        # currencyID in UBL) is derived, except for a document read from that syntax,
        # whose omissions are its own and written back as they were
        self.derive = doc.syntax != syntax
        self.currencies: dict[str, str | None] = {}  # term id -> the currencyID it gives

    # -- the emitter
    def put(self, el: E, tag: str, attrs: Mapping[str, str], text: str) -> None:
        """Write a leaf element with its attributes (in order) and text into ``el``."""
        raise NotImplementedError

    def open(self, el: E, tag: str) -> E:
        """Open an element with children in ``el``."""
        raise NotImplementedError

    def close(self, child: E, tag: str) -> None:
        """Close an element :meth:`open` opened, written with what went into it."""
        raise NotImplementedError

    def drop(self, el: E, child: E) -> None:
        """Remove an element :meth:`open` opened, and what went into it."""
        raise NotImplementedError

    # -- the walk
    def currency(self, term_id: str) -> str | None:
        """The currencyID derived for an amount whose currency term is ``term_id``."""
        try:
            return self.currencies[term_id]
        except KeyError:
            found = self.doc.value(term_id) or self.doc.value("BT-5")
            self.currencies[term_id] = found
            return found

    def target(self, group_id: str, stack: list[Group]) -> Group | None:
        """The group an ``at`` placement names, seen from the groups being written."""
        if "/" in group_id:
            holder: Group | None = self.doc
            for part in group_id.split("/"):
                holder = holder.child(part) if holder is not None else None
            return holder
        for g in reversed(stack):
            if g.id == group_id:
                return g
        if group_id == ROOT:
            return self.doc
        return stack[-1].child(group_id)

    def node(
        self,
        el: E,
        node: Node,
        stack: list[Group],
        pick: int | None = None,
        first: bool = True,
        index: int = 0,
    ) -> bool:
        """Write ``node``'s children into ``el``; True when any business content was written."""
        wrote = False
        terms = stack[-1].terms
        held = stack[-1].groups
        put = self.put
        for tag, b, plain, currency_of, need, needs, write in node.plan or _plan(node):
            if plain is not None:
                # a leaf with nothing but its text and its own attributes: written here,
                # as leaf() would write it, without the calls and the checks
                if plain not in terms:
                    continue  # (an operator test costs less than a method call)
                found = terms[plain]
                if not found:
                    continue
                if pick is not None:
                    found = found[pick : pick + 1]
                    if not found:
                        continue
                currency = (
                    self.currency(currency_of) if currency_of is not None and self.derive else None
                )
                for term in found:
                    attrs = term.attrs
                    # (most hold only XML attribute names: tested here, without the call)
                    own = (
                        attrs
                        if not attrs or _XML_ATTR_NAMES.issuperset(attrs)
                        else _xml_attrs(term)
                    )
                    # a plain attribute name is one of the term's own XML attributes
                    if currency and "currencyID" not in attrs:
                        own = {**own, "currencyID": currency}
                    put(el, tag, own, term.text)
                wrote = True
                continue
            if need is not None:
                if need not in terms and need not in held:
                    continue  # its one source id: operator tests, cheaper than isdisjoint()
            elif needs is not None and needs.isdisjoint(terms) and needs.isdisjoint(held):
                continue  # nothing the binding writes from is in the group: as it would find
            # (a leaf of a term the group does not hold was passed over by its source ids)
            # the method that writes its kind of binding, planned (no type tests here)
            wrote |= write(self, el, tag, b, stack, pick, first, index)
        return wrote

    def leaf(
        self,
        el: E,
        tag: str,
        b: Leaf,
        stack: list[Group],
        pick: int | None,
        first: bool,
        index: int,
    ) -> bool:
        """Write the term occurrences a leaf binds, with their attributes."""
        if b.only is not None and b.only != self.kind:
            return False
        if b.opens is not None:
            wrote = False
            opened = stack[-1].groups.get(b.opens, [])
            for g in opened if pick is None else opened[pick : pick + 1]:
                plain = Leaf(b.id, b.attrs, const=b.const, currency=b.currency)
                wrote |= self.leaf(el, tag, plain, [*stack, g], None, True, 0)
            return wrote
        group = stack[-1] if b.at is None else self.target(b.at, stack)
        if group is None:
            return False
        base = group.terms.get(b.id)
        if not base:
            return False
        terms = base
        if b.at is not None and group is not stack[-1] and not _holds(stack[-1], group):
            # a term placed elsewhere is written once, or once per enclosing occurrence
            if b.spread:
                # one per enclosing occurrence, the rest with the last one
                siblings = stack[-2].groups.get(stack[-1].id, ()) if len(stack) > 1 else ()
                last = index >= len(siblings) - 1
                terms = terms[index:] if last else terms[index : index + 1]
            elif not first:
                return False
        if pick is not None:
            terms = terms[pick : pick + 1]
        if b.mark is not None or b.when is not None:
            terms = self._fitting(b, terms, group)
        if b.unless is not None and self.doc.child(b.unless) is not None:
            return False
        # the sub-terms the group holds for a leaf with attribute terms, by attribute: a
        # lone occurrence's lone sub-term is its own (as _Pairs finds), without the pairing;
        # others paired with the occurrences once
        subterms: Sequence[tuple[str, Term | None, _Pairs | None]] = ()
        position: dict[int, int] = {}
        if b.attrs:
            held = group.terms
            subterms = []
            for name, sub_id in b.attrs.items():
                found = held.get(sub_id)
                if not found:
                    continue
                if len(found) == 1 and len(base) == 1:
                    subterms.append((name, found[0], None))
                else:
                    subterms.append((name, None, _Pairs(found, base)))
                    if not position:
                        position = {id(t): k for k, t in enumerate(base)}
        currency = None
        if b.currency is not None and self.derive:
            currency = self.currency(b.currency)
        if not (subterms or currency or b.const or b.date):
            # nothing to add: each occurrence with its own attributes, as they are
            for term in terms:
                self.put(el, tag, _xml_attrs(term), term.text)
            return bool(terms)
        for term in terms:
            # the element's attributes in the order they are set: the term's own, then
            # what the binding adds (a value set again keeps its place)
            attrs = dict(_xml_attrs(term))
            text = term.text
            if b.date and "format" not in term.attrs and _ISO_DATE.fullmatch(text):
                text = text.replace("-", "")
                attrs["format"] = "102"
            if b.const:
                for name, value in b.const.items():
                    if name not in attrs:
                        attrs[name] = value
            if currency and "currencyID" not in attrs:
                attrs["currencyID"] = currency
            for name, sub, pairs in subterms:
                if pairs is not None:
                    sub = pairs.of(term, position[id(term)])
                if sub is not None:
                    attrs[name] = sub.text
            self.put(el, tag, attrs, text)
        return bool(terms)

    def _fitting(self, b: Leaf, terms: list[Term], group: Group) -> list[Term]:
        """The occurrences in ``terms`` that belong in this one of several elements bound to
        their term: those read from it (``mark``), those read from no marked sibling
        (``unmarked``), else those with a scheme sub-term (``scheme``) or without (``plain``)."""
        if b.mark is not None:
            mark = b.mark
            return [t for t in terms if t.attrs.get("@element") == mark]
        if b.when == "unmarked":
            return [t for t in terms if t.attrs.get("@element") is None]
        scheme = b.when == "scheme"
        held = group.terms
        schemes = self._scheme_terms(b)
        if not any(held.get(s) for s in schemes):
            return [] if scheme else terms  # no sub-term in the group: no occurrence has one
        # each sub-term paired with the occurrences once, not once per occurrence
        base = group.all(b.id)
        pairs = [_Pairs(group.all(s), base) for s in schemes]
        position: dict[int, int] = {}
        for k, t in enumerate(base):
            position.setdefault(id(t), k)
        return [
            t for t in terms if any(p.of(t, position[id(t)]) is not None for p in pairs) is scheme
        ]

    def _scheme_terms(self, b: Leaf) -> Iterable[str]:
        """The sub-terms whose presence makes an occurrence of ``b``'s term a "scheme" one:
        its attribute terms, or without any, the sibling element's (:meth:`scheme_of`)."""
        return b.attrs.values() if b.attrs else self.scheme_of(b)

    def scheme_of(self, b: Leaf) -> tuple[str, ...]:
        """The sub-terms that make an occurrence a "scheme" one (``BT-29-1`` for BT-29)."""
        return (f"{b.id}-1",)

    def fixed(
        self,
        el: E,
        tag: str,
        b: Fixed,
        stack: list[Group],
        pick: int | None,
        first: bool,
        index: int,
    ) -> bool:
        """Write a constant syntax element, or the other value the model kept (no business
        content: False)."""
        value = b.value
        if b.carrier:
            carriers = stack[-1].all(b.carrier)
            if carriers:
                carrier = carriers[pick if pick is not None and pick < len(carriers) else -1]
                value = carrier.attrs.get(b.key, value)
        if b.absent and value == "":
            return False  # read without this element
        self.put(el, tag, _NO_ATTRS, value)
        return False

    def wrapper(
        self,
        el: E,
        tag: str,
        b: Node,
        stack: list[Group],
        pick: int | None,
        first: bool,
        index: int,
    ) -> bool:
        """Write a pass-through element: once, once per occurrence (``repeat``), or not.

        The caller (node()) found some of what it writes from in the group already.
        """
        if b.only is not None and b.only != self.kind:
            return False
        if b.structural:
            # e.g. cac:TaxScheme/cbc:ID=VAT: written whenever its parent is
            child = self.open(el, tag)
            self.node(child, b, stack, pick, first, index)
            self.close(child, tag)
            return False
        if b.repeat and pick is None:
            # one element per occurrence: each written as a picked one
            wrote = False
            for p in range(self._count(b, stack)):
                wrote |= self.wrapper(el, tag, b, stack, p, first, index)
            return wrote
        child = self.open(el, tag)
        if self.node(child, b, stack, pick, first, index):
            self.close(child, tag)
            return True
        if b.keep:
            self.close(child, tag)
        else:
            self.drop(el, child)
        return False

    def _count(self, b: Node, stack: list[Group]) -> int:
        """How many occurrences a repeated wrapper has: its most frequent item."""
        n = 0
        top = stack[-1]
        for at, item, group in _items(b):
            if group:
                k = len(top.groups.get(item, ()))
            else:
                g = top if at is None else self.target(at, stack)
                k = len(g.terms.get(item, ())) if g is not None else 0
            if k > n:
                n = k
        return n

    def groups(
        self,
        el: E,
        tag: str,
        b: Node,
        stack: list[Group],
        pick: int | None,
        first: bool,
        index: int,
    ) -> bool:
        """Write one element per occurrence of the group a node opens (``index``, the
        enclosing occurrence's, is not needed: the occurrences are numbered here)."""
        if b.only is not None and b.only != self.kind:
            return False
        group_id = b.group
        assert group_id is not None
        at = b.at
        if at is None:
            groups: Sequence[Group] = stack[-1].groups.get(group_id, ())
        elif at != stack[-1].id and not first:
            return False
        else:
            holder = self.target(at, stack)
            groups = holder.groups.get(group_id, ()) if holder is not None else ()
        if pick is not None:
            groups = groups[pick : pick + 1]
        if not groups and b.foreign and b.hosts and self._foreign_content(b, stack):
            groups = [Group(group_id)]
        if not groups:
            return False
        wrote = False
        # the stack grows by the occurrence being written, not copied for each: what is
        # below it is only read while it is written
        stack.append(groups[0])
        for i, g in enumerate(groups):
            stack[-1] = g
            child = self.open(el, tag)
            wrote_here = self.node(child, b, stack, None, i == 0, i)
            # an element for content of the group written elsewhere is dropped; an empty
            # group keeps its empty element, as it was read
            if wrote_here or not b.skip_empty or not (g.terms or g.groups):
                wrote = True
                self.close(child, tag)
            else:
                self.drop(el, child)
        stack.pop()
        return wrote

    def _foreign_content(self, b: Node, stack: list[Group]) -> bool:
        probe = [*stack, Group(b.group or "")]
        for f in b.foreign:
            if f.only is not None and f.only != self.kind:
                continue
            assert f.at is not None
            holder = self.target(f.at, probe)
            if holder is None:
                continue
            if isinstance(f, Leaf) and holder.terms.get(f.id):
                return True
            if isinstance(f, Node) and f.group and holder.groups.get(f.group):
                return True
        return False


_NO_ATTRS: Mapping[str, str] = {}


class Writer(_Walk[etree._Element]):
    """Writes a model through a binding table into an lxml tree, in schema order."""

    __slots__ = ()

    def put(self, el: etree._Element, tag: str, attrs: Mapping[str, str], text: str) -> None:
        """Write a leaf element with its attributes (in order) and text into ``el``."""
        child = etree.SubElement(el, tag, dict(attrs)) if attrs else etree.SubElement(el, tag)
        child.text = text

    def open(self, el: etree._Element, tag: str) -> etree._Element:
        """Open an element with children in ``el``."""
        return etree.SubElement(el, tag)

    def close(self, child: etree._Element, tag: str) -> None:
        """Nothing to do: the tree holds the element already."""

    def drop(self, el: etree._Element, child: etree._Element) -> None:
        """Remove an element :meth:`open` opened, and what went into it."""
        el.remove(child)


class _Unusual(Exception):
    """What the text emitter does not write as lxml would: the tree writes it instead."""


# Text lxml (libxml2) escapes in element content, and attribute values; characters XML 1.0
# cannot hold (lxml refuses ASCII controls; the non-characters U+FFFE and U+FFFF) send the
# document to the tree writer.
_TEXT_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The bytes of UTF-8 text that need nothing: all but those of _TEXT_SPECIAL's ASCII characters
# and EF, which begins U+F000 to U+FFFF (U+FFFE and U+FFFF among them; a text with any of
# them, rare, is searched)
_PLAIN_BYTES = bytes(b for b in range(256) if b != 0xEF and not _TEXT_SPECIAL.match(chr(b)))
_ATTR_SPECIAL = re.compile('[&<>"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')
# (lone surrogates too: they do not encode, and lxml refuses them; written with chr() because
# the compiled copy cannot hold a surrogate in a string literal)
_UNWRITABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f" + chr(0xD800) + "-" + chr(0xDFFF) + "\ufffe\uffff]"
)
# Attribute values found to need no escaping: mostly codes (a currency, a unit, a scheme),
# a few a document; a set test costs less than the search (values from documents: at most
# 1,024 kept)
_PLAIN_VALUES: set[str] = set()
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*")
_MAX_DEPTH = 25  # libxml2 indents at most 30 levels; deeper documents go through the tree
_INDENTS = tuple("  " * d for d in range(_MAX_DEPTH + 2))


def _escape_text(text: str) -> str:
    if _UNWRITABLE.search(text):
        raise _Unusual
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _escape_attr(value: str) -> str:
    if _UNWRITABLE.search(value):
        raise _Unusual
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


# An element's pieces at one depth (see _Names.line)
_Line = tuple[str, str, str, str, str, str]


class _Names:
    """How a document element's namespaces write names: its start tag, the prefixed names
    of element tags and of attribute names (Clark notation in, as lxml would find them)."""

    __slots__ = ("attributes", "elements", "lines", "prefixes", "start", "tag")

    def __init__(self, start: str, tag: str, prefixes: dict[str, str]) -> None:
        self.start = start  # the start tag, with its namespace declarations
        self.prefixes = prefixes  # namespace -> prefix ("" the default namespace)
        self.elements: dict[str, tuple[str, str]] = {}  # tag -> ("<name", "</name>\n")
        self.attributes: dict[str, str] = {}  # name -> ' name="'
        self.tag = tag  # the document element's own
        # by depth, tag -> an element's pieces with their indentation (made once, not per
        # element written): see line()
        self.lines: list[dict[str, _Line]] = [{} for _ in _INDENTS]

    def line(self, tag: str, depth: int) -> _Line:
        """An element's pieces at ``depth``: as an element with children, its start tag, its
        empty form and its end tag (lines); as a leaf, its start tag without attributes,
        the start of its start tag, and its end tag (around its text)."""
        indent = _INDENTS[depth]
        start, end = self.elements.get(tag) or self.element(tag)
        found = self.lines[depth][tag] = (
            f"{indent}{start}>\n",
            f"{indent}{start}/>\n",
            indent + end,
            f"{indent}{start}>",
            indent + start,
            end,
        )
        return found

    def name(self, tag: str, attribute: bool = False) -> str:
        """The prefixed name of a Clark name, with the prefix lxml would find for it."""
        if tag[0] != "{":
            if attribute and not _PLAIN_NAME.fullmatch(tag):
                raise _Unusual  # lxml checks the name (and may refuse it)
            return tag
        ns, _, local = tag[1:].partition("}")
        prefix = self.prefixes.get(ns)
        if prefix is None or (attribute and not prefix) or not _PLAIN_NAME.fullmatch(local):
            raise _Unusual  # lxml would declare the namespace on the element
        return f"{prefix}:{local}" if prefix else local

    def element(self, tag: str) -> tuple[str, str]:
        """The start of an element's start tag and its end tag."""
        name = self.name(tag)
        found = self.elements[tag] = (f"<{name}", f"</{name}>\n")
        return found

    def attribute(self, key: str) -> str:
        """An attribute's name as written, with what precedes its value."""
        if type(key) is not str or not key or key[:3].lower() == "xml":
            raise _Unusual  # lxml's own checks and namespace handling decide these
        found = self.attributes[key] = f' {self.name(key, True)}="'
        return found


class _TextWriter(_Walk[int]):
    """Writes a model through a binding table as indented XML text, as lxml serialises.

    An element is a position in ``out`` (where its start tag is), the text pieces of the
    document; elements are indented two spaces a level, leaves on one line (their start
    tag, their text, their end tag: three pieces), an element left without children
    written as an empty element. The texts are tested for what needs escaping all at once,
    after the walk (:meth:`settle`).
    """

    __slots__ = ("attr_names", "depth", "lines", "names", "out", "texts", "tops")

    def __init__(self, doc: Invoice, syntax: str, names: _Names) -> None:
        super().__init__(doc, syntax)
        self.names = names
        self.attr_names = names.attributes
        self.lines = names.lines
        self.out: list[str] = []
        self.texts: list[str] = []  # every leaf's text, as put into out
        self.depth = 1  # the document element's children
        self.tops: list[tuple[int, str]] = []  # (position, tag) of the root's children

    def put(self, el: int, tag: str, attrs: Mapping[str, str], text: str) -> None:
        """Write a leaf element with its attributes (in order) and text (escaped later)."""
        depth = self.depth
        try:
            line = self.lines[depth][tag]
        except KeyError:
            line = self.names.line(tag, depth)
        if type(text) is not str:
            raise _Unusual
        out = self.out
        if depth == 1:
            self.tops.append((len(out), tag))
        self.texts.append(text)
        if not attrs:
            out += (line[3], text, line[5])
            return
        start = line[4]
        names = self.attr_names
        for key, value in attrs.items():
            # (a subscript costs less than dict.get(); the names are found once each)
            try:
                name = names[key]
            except KeyError:
                name = self.names.attribute(key)
            if type(value) is not str:
                raise _Unusual
            if value not in _PLAIN_VALUES:
                if _ATTR_SPECIAL.search(value):
                    value = _escape_attr(value)
                elif len(_PLAIN_VALUES) < 1024:
                    _PLAIN_VALUES.add(value)
            start = f'{start}{name}{value}"'  # (a leaf has few attributes)
        out += (f"{start}>", text, line[5])

    def open(self, el: int, tag: str) -> int:
        """Open an element with children: its start tag, made empty if none follow."""
        depth = self.depth
        if depth >= _MAX_DEPTH:
            raise _Unusual
        try:
            line = self.lines[depth][tag][0]
        except KeyError:
            line = self.names.line(tag, depth)[0]
        out = self.out
        at = len(out)
        if depth == 1:
            self.tops.append((at, tag))
        out.append(line)
        self.depth = depth + 1
        return at

    def close(self, child: int, tag: str) -> None:
        """Close an element :meth:`open` opened."""
        self.depth -= 1
        lines = self.lines[self.depth][tag]  # open() made them
        out = self.out
        if len(out) == child + 1:
            out[child] = lines[1]
        else:
            out.append(lines[2])

    def settle(self) -> None:
        """Escape the texts written that need it; raise ``_Unusual`` for one XML cannot hold.

        One test of all the texts' bytes costs less than one search per text: most
        documents have none to escape, and then nothing is searched.
        """
        texts = self.texts
        try:
            data = "".join(texts).encode()
        except UnicodeEncodeError:
            raise _Unusual from None  # a lone surrogate
        if not data.translate(None, _PLAIN_BYTES):
            return  # (most documents: nothing left once the bytes that need nothing are gone)
        escaped = {id(t): _escape_text(t) for t in texts if _TEXT_SPECIAL.search(t)}
        if not escaped:
            return
        # a leaf's text is its own piece in out, the very object put (markup pieces are
        # made here); one dropped since is not found
        out = self.out
        for i, piece in enumerate(out):
            if id(piece) in escaped:
                out[i] = escaped[id(piece)]

    def drop(self, el: int, child: int) -> None:
        """Remove an element :meth:`open` opened, and what went into it."""
        self.depth -= 1
        del self.out[child:]
        tops = self.tops
        while tops and tops[-1][0] >= child:
            tops.pop()


# Each element tag's UBL-JSON name and whether it carries "_" without element children,
# by the namespaces whose elements never do (tags come from binding tables: a bounded set)
_JSON_TAGS: dict[frozenset[str], dict[str, tuple[str, bool]]] = {}
# Attribute names lxml takes and keeps as given -> their local names (names from documents:
# at most 256 kept)
_JSON_ATTRS: dict[str, str] = {}


class _JsonWriter(_Walk[dict[str, Any]]):
    """Writes a model through a binding table as UBL-JSON objects: those that reading the
    tree :class:`Writer` builds gives, element for element, without the tree.

    An element is its object: ``"_"``, its text, when it has no element children and is
    not in one of the namespaces ``bare`` names; then its attributes by local name; then,
    for each child local name in the order of its first child, the list of those children.
    """

    __slots__ = ("bare", "keys", "tags")

    def __init__(self, doc: Invoice, syntax: str, bare: frozenset[str]) -> None:
        super().__init__(doc, syntax)
        self.bare = bare
        self.tags = _JSON_TAGS.setdefault(bare, {})
        self.keys: list[str] = []  # the name of each open element in its parent

    def name(self, tag: str) -> tuple[str, bool]:
        """An element's name and whether it carries ``"_"``, found once per tag."""
        try:
            name = etree.QName(etree.Element(tag))  # lxml's own checks of the tag
        except (ValueError, TypeError):
            raise _Unusual from None
        found = self.tags[tag] = (name.localname, name.namespace not in self.bare)
        return found

    def put(self, el: dict[str, Any], tag: str, attrs: Mapping[str, str], text: str) -> None:
        """Write a leaf element with its attributes (in order) and text into ``el``."""
        local, texted = self.tags.get(tag) or self.name(tag)
        # isprintable() is true for most values, and then none of _UNWRITABLE is in them
        if type(text) is not str or (not text.isprintable() and _UNWRITABLE.search(text)):
            raise _Unusual
        obj: dict[str, Any] = {"_": text} if texted else {}
        if attrs:
            names = _JSON_ATTRS
            for key, value in attrs.items():
                if type(value) is not str or (
                    not value.isprintable() and _UNWRITABLE.search(value)
                ):
                    raise _Unusual
                obj[names.get(key) or _json_attribute(key)] = value
        found = el.get(local)
        if found is None:
            el[local] = [obj]
        else:
            found.append(obj)

    def open(self, el: dict[str, Any], tag: str) -> dict[str, Any]:
        """Open an element with children in ``el``."""
        local = (self.tags.get(tag) or self.name(tag))[0]
        child: dict[str, Any] = {}
        found = el.get(local)
        if found is None:
            el[local] = [child]
        else:
            found.append(child)
        self.keys.append(local)
        return child

    def close(self, child: dict[str, Any], tag: str) -> None:
        """Close an element :meth:`open` opened: one left without children has ``"_"``."""
        self.keys.pop()
        if not child and self.tags[tag][1]:
            child["_"] = ""

    def drop(self, el: dict[str, Any], child: dict[str, Any]) -> None:
        """Remove an element :meth:`open` opened (the last of its name in ``el``)."""
        local = self.keys.pop()
        found = el[local]
        found.pop()
        if not found:
            del el[local]  # its name comes where the next element of that name is put


def _json_attribute(key: object) -> str:
    """The local name of an attribute name lxml takes and keeps as given."""
    if type(key) is not str:
        raise _Unusual
    try:
        probe = etree.Element("a", {key: ""})  # lxml's own checks of the name
    except (ValueError, TypeError):
        raise _Unusual from None
    if list(probe.attrib) != [key]:
        raise _Unusual  # kept under another name ("{}a"): lxml decides what two such mean
    local = etree.QName(key).localname
    if len(_JSON_ATTRS) < 256:
        _JSON_ATTRS[key] = local
    return local


def write_json_object(
    doc: Invoice, root: str, node: Node, syntax: str, bare: frozenset[str]
) -> dict[str, Any] | None:
    """The UBL-JSON object of the document element ``root`` (a Clark tag, with no
    attributes) after ``write_tree(doc, root, node, syntax)``, as the tree reads: ``"_"``
    for an element without element children outside the namespaces in ``bare``, the
    attributes by local name, the children's lists by local name in the order of the first
    of each. Written straight from the walk; None for a document the tree refuses or might
    write otherwise (a value XML cannot carry, an attribute name lxml refuses or renames):
    write that one through the tree."""
    writer = _JsonWriter(doc, syntax, bare)
    obj: dict[str, Any] = {}
    try:
        writer.node(obj, node, [doc])
        if not obj and (writer.tags.get(root) or writer.name(root))[1]:
            obj["_"] = ""
    except (_Unusual, ValueError, TypeError):
        return None
    return obj


# A node's children with, for each leaf that writes nothing but its term's text, the term's
# own attributes and a derived currencyID (no sub-terms, placement, constants, date, kind or
# selection), that term's id and its currency term: node() writes those directly. For the
# others, the ids of the current group's terms and groups the child writes from, when it
# writes nothing without one of them (None if it may), a lone id apart (tested with ``in``,
# cheaper than isdisjoint()): node() passes over a child whose ids the group has none of.
# A switch is planned as its cases, one after the other under its tag: each writes what
# its content decides. Planned once per node, and kept on it (``Node.plan``).
def _plan(node: Node) -> WritePlan:
    plan = node.plan = tuple(
        (
            tag,
            b,
            plain,
            b.currency if plain is not None and type(b) is Leaf else None,
            next(iter(ids)) if ids is not None and len(ids) == 1 else None,
            ids if ids is not None and len(ids) != 1 else None,
            _writes(b),
        )
        for tag, child in node.children
        for b in _cases(child)
        for plain in (_plain_id(b),)
        for ids in (_sources(b) if plain is None else None,)
    )
    return plan


def _writes(b: Binding) -> Callable[..., bool]:
    """The walk's method that writes ``b``'s kind of binding (all take the same arguments;
    emitters do not override them)."""
    if type(b) is Leaf:
        return _Walk.leaf
    if type(b) is Node:
        # a pass-through node's source ids are looked for in node(): not again
        return _Walk.wrapper if b.group is None else _Walk.groups
    assert type(b) is Fixed  # a switch's cases are planned in its place
    return _Walk.fixed


def _cases(b: Binding) -> Iterable[Binding]:
    """A binding, or a switch's cases in order (theirs, if cases are switches)."""
    if type(b) is not Switch:
        return (b,)
    return [c for case in b.cases.values() for c in _cases(case)]


def _sources(b: Binding) -> frozenset[str] | None:
    """The ids of the current group's terms or groups ``b`` writes from, when it writes
    nothing if the group holds none of them; None when it may (a constant, a switch, a
    placement elsewhere, a container always written)."""
    if type(b) is Leaf:
        return frozenset((b.id,)) if b.at is None and b.opens is None else None
    if type(b) is Node:
        if b.group is None:
            return None if b.keep or b.structural else _needs(b)
        return frozenset((b.group,)) if b.at is None and not b.foreign else None
    return None


def _plain_id(b: Binding) -> str | None:
    if type(b) is not Leaf:
        return None
    if (
        b.attrs
        or b.at is not None
        or b.opens is not None
        or b.const
        or b.only is not None
        or b.when is not None
        or b.mark is not None
        or b.unless is not None
        or b.date
    ):
        return None
    return b.id


# The write plan of a pass-through node: the ids of the current group's terms and groups it
# can write from (None when some content comes from elsewhere: an ``at`` placement, a leaf
# that opens a group, foreign content). Binding tables are module constants, so each node
# is planned once; the node itself is kept with its plan so that its id stays its own.
_NEEDS: dict[int, tuple[Node, frozenset[str] | None]] = {}


def _needs(node: Node) -> frozenset[str] | None:
    planned = _NEEDS.get(id(node))
    if planned is not None and planned[0] is node:
        return planned[1]
    ids: set[str] | None = set()
    for _tag, child in node.children:
        cases = child.cases.values() if isinstance(child, Switch) else (child,)
        for case in cases:
            if ids is None:
                break
            if isinstance(case, Leaf):
                if case.at is not None or case.opens is not None:
                    ids = None
                else:
                    ids.add(case.id)
            elif isinstance(case, Node):
                if case.group is not None:
                    if case.at is not None or case.foreign:
                        ids = None
                    else:
                        ids.add(case.group)
                else:
                    inner = _needs(case)
                    ids = None if inner is None else ids | inner
    plan = frozenset(ids) if ids is not None else None
    _NEEDS[id(node)] = (node, plan)
    return plan


# The items of a repeated wrapper (see _Walk._count), by node: (placement, term id, False)
# for a leaf, (None, group id, True) for a node that opens a group, those of a pass-through
# node in its place. Planned once per node, which is kept so that its id stays its own.
_ITEMS: dict[int, tuple[Node, tuple[tuple[str | None, str, bool], ...]]] = {}


def _items(node: Node) -> tuple[tuple[str | None, str, bool], ...]:
    planned = _ITEMS.get(id(node))
    if planned is not None and planned[0] is node:
        return planned[1]
    items: list[tuple[str | None, str, bool]] = []
    for _tag, c in node.children:
        for case in _cases(c):
            if isinstance(case, Leaf):
                items.append((case.at, case.id, False))
            elif isinstance(case, Node) and case.group is not None:
                items.append((None, case.group, True))
            elif isinstance(case, Node):
                items.extend(_items(case))
    found = tuple(items)
    _ITEMS[id(node)] = (node, found)
    return found


def _holds(parent: Group, child: Group) -> bool:
    return any(g is child for g in parent.groups.get(child.id, ()))


class _Pairs:
    """The sub-term (attribute) of each term of ``bases`` in turn, the pairing by location
    made once.

    Sub-terms read from attributes have their element's location plus ``/@name``; those
    pair by location. Others (CII carries some schemes as elements) pair by position.
    """

    __slots__ = ("bases", "by_loc", "subs")

    def __init__(self, subs: list[Term], bases: list[Term]) -> None:
        self.subs = subs
        self.bases = bases
        self.by_loc: dict[str, Term] | None = None  # base loc -> its first sub-term
        if subs:
            base_locs = {t.loc for t in bases if t.loc}
            for s in subs:
                parent = s.loc.rpartition("/@")[0]
                if parent in base_locs:
                    if self.by_loc is None:
                        self.by_loc = {}
                    self.by_loc.setdefault(parent, s)

    def of(self, term: Term, i: int) -> Term | None:
        """The sub-term of ``term``, the ``i``-th of ``bases``, or None."""
        subs = self.subs
        if not subs:
            return None
        if self.by_loc is not None:
            return self.by_loc.get(term.loc)
        bases = self.bases
        if len(subs) == len(bases) and i < len(bases):
            return subs[i]
        return subs[0] if len(bases) == 1 else None


def _not_carried(doc: Invoice, exc: Exception) -> ValidationError:
    return ValidationError(
        Issue(
            "einvoice.value_not_carried",
            f"the invoice holds a value XML cannot carry: {exc}"[:300],
            loc=doc.loc,
        )
    )


def write_tree(doc: Invoice, root: etree._Element, node: Node, syntax: str) -> None:
    """Write ``doc`` into ``root`` through ``node``.

    A model built in code may hold what XML cannot (control characters, attribute names
    that are not XML names): that is a ``ValidationError``, never a bare lxml error.
    """
    try:
        Writer(doc, syntax).node(root, node, [doc])
    except (ValueError, TypeError) as exc:
        raise _not_carried(doc, exc) from None


# How documents under a document element write names, by the serialisation of the empty
# element (its start tag with the namespace declarations as lxml writes them).
_ROOTS: dict[bytes, _Names | None] = {}


# The names of the document elements functions make (see write_xml), by function.
_MADE: dict[Callable[[], etree._Element], _Names | None] = {}


def _names(root: etree._Element) -> _Names | None:
    """How names are written under ``root`` (empty); None if the text emitter cannot."""
    empty = etree.tostring(root)
    found = _ROOTS.get(empty)
    if found is not None or empty in _ROOTS:
        return found
    prefixes: dict[str, str] = {}
    text = empty.decode("utf-8")
    usual = text.endswith("/>") and len(root) == 0 and root.text is None
    for prefix, ns in root.nsmap.items():
        if ns in prefixes:
            usual = False  # two prefixes for one namespace: lxml picks one
        prefixes[ns] = prefix or ""
    found = None
    if usual and isinstance(root.tag, str):
        found = _Names(text[:-2] + ">\n", "", prefixes)
        try:
            found.tag = found.name(root.tag)
        except _Unusual:
            found = None
    if len(_ROOTS) >= 64:
        _ROOTS.clear()
    _ROOTS[empty] = found
    return found


def write_xml(
    doc: Invoice,
    root: etree._Element | Callable[[], etree._Element],
    node: Node,
    syntax: str,
    order: Callable[[str], int] | None = None,
) -> bytes:
    """The bytes of ``to_xml(root)`` after ``write_tree(doc, root, node, syntax)``.

    ``root`` is the empty document element with its namespace declarations, left empty,
    or a function (a module's own, kept for the process) that makes one: then the element
    is made once for the names and again only if the document goes through the tree.
    ``order``, given a child's Clark tag, sorts the document element's children (stable),
    as a writer that reorders them after writing would. Serialised as text straight from
    the walk; a document the text emitter cannot write exactly as lxml would is written
    through the tree instead. Raises ``ValidationError`` as :func:`write_tree` does.
    """
    if not callable(root):
        names = _names(root)
    elif root in _MADE:
        names = _MADE[root]
    else:
        names = _MADE[root] = _names(root())
    if names is not None:
        writer = _TextWriter(doc, syntax, names)
        try:
            writer.node(-1, node, [doc])
            writer.settle()
            out = writer.out
            if not out:
                return _DECLARATION + names.start[:-2].encode("utf-8") + b"/>\n"
            if order is not None:
                tops = writer.tops
                ends = [at for at, _tag in tops[1:]] + [len(out)]
                pieces = [
                    (order(tag), out[at:end]) for (at, tag), end in zip(tops, ends, strict=True)
                ]
                pieces.sort(key=_first)  # stable, as sorting the tree's children is
                out = [s for _key, piece in pieces for s in piece]
            out.append(f"</{names.tag}>\n")
            return _DECLARATION + (names.start + "".join(out)).encode("utf-8")
        except (_Unusual, ValueError, TypeError):
            pass  # written through the tree below: lxml's own bytes, or its own refusal
    if callable(root):
        root = root()
    write_tree(doc, root, node, syntax)
    if order is not None:
        children = sorted(root, key=lambda el: order(str(el.tag)))
        root[:] = children
    written = to_xml(root)
    for child in list(root):
        root.remove(child)
    return written


_DECLARATION = b"<?xml version='1.0' encoding='UTF-8'?>\n"


def _first(item: tuple[int, list[str]]) -> int:
    return item[0]


def to_xml(root: etree._Element) -> bytes:
    """Serialise a written tree as UTF-8 with an XML declaration."""
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
