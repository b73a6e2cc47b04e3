"""The machinery shared by the XML syntaxes: a binding table read and written in one pass.

A syntax binding is a tree of nodes keyed by element tag (Clark notation, ``{ns}local``),
in schema order:

* :class:`Leaf`: an element whose text is a business term; its attributes may be terms of
  their own (``schemeID`` -> ``BT-29-1``); other attributes are kept in ``Term.attrs``.
* :class:`Node`: an element with children. It opens a business group (``group="BG-4"``) or
  passes through (``group=None``: ``cac:Party``, ``cac:Country``, ...).
* :class:`Switch`: an element whose meaning depends on its content (``cac:AllowanceCharge``
  is BG-20 or BG-21 by its ``cbc:ChargeIndicator``).
* :class:`Fixed`: a syntax element with a constant value and no term (``cac:TaxScheme/
  cbc:ID`` = ``VAT``). A reader consumes it; a different value is kept on a nearby term's
  ``attrs`` under the element's path so that a writer puts it back.

``at`` places a term or group in a semantic group other than the one the syntax nests it
in: the nearest open group with that id, else (for document-level singletons such as BG-22)
one made at the root. The reader walks each element once, dispatching on dicts; the writer
walks the same table in schema order. Sub-terms read from attributes get the ``loc`` of
their element plus ``/@name``, which is how a writer pairs them with their term again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeAlias

from lxml import etree

from defa.einvoice.model import ROOT, Group, Invoice, Term
from defa.errors import Issue, Severity, ValidationError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NOT_ATTR = re.compile(r"[:/@]")

__all__ = [
    "Binding",
    "Fixed",
    "Leaf",
    "Node",
    "Reader",
    "Switch",
    "Writer",
    "leaves",
    "to_xml",
    "write_tree",
]


@dataclass(frozen=True, slots=True)
class Leaf:
    """An element whose text is the business term ``id``."""

    id: str
    attrs: Mapping[str, str] = field(default_factory=dict)  # attribute -> sub-term id
    at: str | None = None  # semantic group to hold the term, if not the current one
    const: Mapping[str, str] = field(default_factory=dict)  # attributes a writer always puts
    currency: str | None = None  # amounts: the term whose value a writer uses for currencyID
    only: str | None = None  # writer: write only for this document kind
    spread: bool = False  # an ``at`` term repeated once per enclosing group occurrence
    opens: str | None = None  # the element is also a group of its own (``cbc:Note``: BG-1)
    # writer: "scheme" only terms with a scheme sub-term, "plain" only those without,
    # "unmarked" only those not read from a sibling element with a ``mark``
    when: str | None = None
    mark: str | None = None  # one of several elements of one term: noted in attrs["@element"]
    unless: str | None = None  # writer: skip when the document has this group
    date: bool = False  # CII: udt date strings, "102" (YYYYMMDD) read as ISO YYYY-MM-DD


@dataclass(frozen=True, slots=True)
class Fixed:
    """A syntax element with a constant value and no business term of its own."""

    value: str
    carrier: str | None = None  # term in the current group that keeps a different value
    key: str = ""  # the attrs key of the kept value (the element's path)
    pending: bool = False  # the carrier term follows this element
    # the element's absence matters (UBL's line DocumentTypeCode): kept as "" on the
    # carrier, and a writer then leaves the element out
    absent: bool = False


@dataclass(slots=True)
class Node:
    """An element with children; opens group ``group`` or passes through when None."""

    group: str | None
    children: tuple[tuple[str, Binding], ...]
    at: str | None = None
    single: bool = False  # one group per parent: reuse it if it exists
    adopt: bool = False  # reuse a group made on demand (by an ``at`` term read earlier)
    keep: bool = False  # writer: a container the schema requires, written even when empty
    skip_empty: bool = False  # writer: drop the group's element when nothing went into it
    repeat: bool = False  # writer: one element per occurrence of what it holds
    only: str | None = None
    index: dict[str, Binding] = field(default_factory=dict, repr=False)
    foreign: tuple[Leaf | Node, ...] = field(default=(), repr=False)
    structural: bool = field(default=False, repr=False)  # holds only Fixed elements
    absent: tuple[tuple[str, Fixed], ...] = field(default=(), repr=False)
    # tag -> term id for plain leaves (no sub-terms, placement or constants): the fast path
    plain: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.index = dict(self.children)
        self.absent = tuple((t, c) for t, c in self.children if isinstance(c, Fixed) and c.absent)
        self.plain = {
            tag: b.id
            for tag, b in self.children
            if isinstance(b, Leaf)
            and not b.attrs
            and b.at is None
            and b.opens is None
            and not b.const
            and b.only is None
            and b.mark is None
            and not b.date
        }
        self.structural = (
            self.group is None
            and bool(self.children)
            and all(
                isinstance(c, Fixed) or (isinstance(c, Node) and c.structural)
                for _tag, c in self.children
            )
        )
        self.foreign = tuple(_foreign(self))


@dataclass(frozen=True, slots=True)
class Switch:
    """An element bound by its content: ``select`` names the case."""

    select: Callable[[etree._Element, Reader], str]
    cases: Mapping[str, Binding]
    default: str


Binding: TypeAlias = Leaf | Node | Switch | Fixed


def _foreign(node: Node) -> Iterable[Leaf | Node]:
    """Bindings below ``node`` (not inside a subgroup) placed elsewhere with ``at``."""
    for _tag, b in node.children:
        cases = b.cases.values() if isinstance(b, Switch) else (b,)
        for c in cases:
            if isinstance(c, Leaf | Node) and c.at is not None:
                yield c
            elif isinstance(c, Node) and c.group is None:
                yield from _foreign(c)


def leaves(node: Node, path: str = "") -> Iterable[tuple[str, str, Leaf]]:
    """Every (term id, path, leaf) of a binding, for catalogues and documentation."""
    for tag, b in node.children:
        cases: Iterable[Binding] = b.cases.values() if isinstance(b, Switch) else (b,)
        for c in cases:
            here = f"{path}/{tag}"
            if isinstance(c, Leaf):
                yield c.id, here, c
            elif isinstance(c, Node):
                yield from leaves(c, here)


# -- reading ------------------------------------------------------------------------------


_QNAMES: dict[str, str] = {}  # Clark name -> prefixed name, for known namespaces only


class Reader:
    """One document's read: the open groups, the qualified names, the findings."""

    __slots__ = ("doc", "issues", "made", "pending", "prefixes", "routed", "stack")

    def __init__(self, doc: Invoice, prefixes: Mapping[str, str]) -> None:
        self.doc = doc
        self.stack: list[Group] = [doc]
        self.issues: list[Issue] = []
        self.prefixes = prefixes
        # Fixed values read before the term that keeps them: (group, carrier, n, key, text, loc)
        self.pending: list[tuple[Group, str, int, str, str, str]] = []
        self.made: list[Group] = []  # groups made on demand by an ``at`` placement
        self.routed = 0  # terms and groups placed away from their element's group

    def finish(self) -> None:
        """Settle what waited for the end of the document."""
        for group, carrier, n, key, text, loc in self.pending:
            found = group.all(carrier)
            if len(found) > n:
                found[n].attrs[key] = text
            else:
                self.issues.append(
                    Issue(
                        "einvoice.unmapped_element",
                        f"{key} {text!r:.40} has no business term to hold it",
                        loc=loc,
                        severity=Severity.WARNING,
                    )
                )
        self.pending.clear()
        # groups made on demand and never met as an element: the document's location
        for g in self.made:
            if not g.loc:
                g.loc = self.doc.loc
        self.made.clear()

    def qname(self, tag: str) -> str:
        """``{ns}local`` as ``prefix:local`` (known namespaces) for locations."""
        q = _QNAMES.get(tag)
        if q is None:
            ns, _, local = tag[1:].rpartition("}")
            prefix = self.prefixes.get(ns)
            q = f"{prefix}:{local}" if prefix else (local if not ns else f"*[{local}]")
            if prefix is not None and len(_QNAMES) < 8192:  # bounded: tags come from input
                _QNAMES[tag] = q
        return q

    def target(self, group_id: str) -> Group:
        """The nearest open group ``group_id``, or a document-level one made on demand.

        ``group_id`` may be a path (``BG-16/BG-19``): the first of each, made as needed.
        """
        if "/" in group_id:
            holder: Group = self.doc
            for part in group_id.split("/"):
                found = holder.child(part)
                if found is None:
                    found = holder.new_group(part)
                    self.made.append(found)
                holder = found
            return holder
        for g in reversed(self.stack):
            if g.id == group_id:
                return g
        if group_id == ROOT:
            return self.doc
        # a sibling element's group (CII: BT-86 beside the account of BG-17), else one made
        # under the current group: BG-22 for BT-110 in UBL, BG-13 for BT-72 in CII
        current = self.stack[-1]
        siblings = current.groups.get(group_id)
        if siblings:
            return siblings[-1]
        made = current.new_group(group_id)
        self.made.append(made)
        return made

    def unmapped(self, el: etree._Element, loc: str) -> None:
        self.issues.append(
            Issue(
                "einvoice.unmapped_element",
                f"{self.qname(str(el.tag))} maps to no business term; it was not read",
                loc=loc,
                severity=Severity.WARNING,
            )
        )

    def children(self, el: etree._Element, node: Node, group: Group, loc: str) -> None:
        """Read the element children of ``el`` bound by ``node`` into ``group``.

        The hot loop of every read: leaves (most elements) are handled inline.
        """
        kids = list(el)  # one proxy per child, reused below
        counts: dict[str, int] | None = None
        if len(kids) > 1:
            tags = [c.tag for c in kids]
            if len(set(tags)) < len(tags):
                counts = {}
                for t in tags:
                    if t.__class__ is str:
                        counts[t] = counts.get(t, 0) + 1
        seen: dict[str, int] = {}
        index = node.index
        plain = node.plain
        qnames = _QNAMES
        terms = group.terms
        for child in kids:
            tag = child.tag
            if tag.__class__ is not str:
                continue  # a comment or processing instruction in a tree built elsewhere
            q = qnames.get(tag) or self.qname(tag)
            if counts is not None and counts[tag] > 1:
                n = seen[tag] = seen.get(tag, 0) + 1
                cloc = f"{loc}/{q}[{n}]"
            else:
                cloc = f"{loc}/{q}"
            term_id = plain.get(tag)
            if term_id is not None:
                # the common case: a plain term of the current group
                items = child.items()  # lxml gives str names and values
                term = Term(term_id, child.text or "", cloc, dict(items) if items else {})  # type: ignore[arg-type]
                found = terms.get(term_id)
                if found is None:
                    terms[term_id] = [term]
                else:
                    found.append(term)
                if len(child):
                    self.stray(child, cloc)
                continue
            b = index.get(tag)
            if b is None:
                self.unmapped(child, cloc)
                continue
            if b.__class__ is Switch:
                b = b.cases.get(b.select(child, self)) or b.cases[b.default]
            cls = b.__class__
            # exact class checks: cheaper than isinstance in the hot loop
            if cls is Leaf:
                self.leaf(child, b, group, cloc)  # type: ignore[arg-type]
            elif cls is Node:
                self.node(child, b, group, cloc)  # type: ignore[arg-type]
            else:
                self.fixed(child, b, group, cloc)  # type: ignore[arg-type]

        if node.absent:
            present = {c.tag for c in kids}
            for tag, fixed in node.absent:
                carriers = group.all(fixed.carrier) if fixed.carrier else []
                if tag not in present and carriers and carriers[-1].loc.startswith(loc + "/"):
                    carriers[-1].attrs[fixed.key] = ""

    def stray(self, el: etree._Element, loc: str) -> None:
        """Children of an element whose text is a term: not read."""
        for child in el:
            if child.tag.__class__ is str:
                self.unmapped(child, f"{loc}/{self.qname(str(child.tag))}")

    def leaf(self, el: etree._Element, b: Leaf, group: Group, loc: str) -> None:
        target = group if b.at is None else self.target(b.at)
        if target is not group:
            self.routed += 1
        if b.opens is not None:
            target = target.new_group(b.opens, loc)
        attrs: dict[str, str] = {}
        subs: list[Term] = []
        for key, val in el.items():
            name, value = str(key), str(val)
            sub = b.attrs.get(name)
            if sub is not None:
                subs.append(Term(sub, value, f"{loc}/@{name}", {}))
            elif b.const.get(name) != value:
                attrs[name] = value
        text = el.text or ""
        if b.date and attrs.get("format") == "102" and len(text) == 8 and text.isdigit():
            # the semantic value is the date; a writer puts the 102 form back
            text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
            del attrs["format"]
        if b.mark is not None:
            attrs["@element"] = b.mark
        target.add(Term(b.id, text, loc, attrs))
        for s in subs:
            target.add(s)
        if len(el):
            self.stray(el, loc)

    def node(self, el: etree._Element, b: Node, group: Group, loc: str) -> None:
        if b.group is None:
            self.children(el, b, group, loc)
            return
        parent = group if b.at is None else self.target(b.at)
        if parent is not group:
            self.routed += 1
        g = parent.child(b.group) if b.single else None
        if b.adopt:
            g = next((x for x in parent.groups.get(b.group, ()) if not x.loc), None)
        if g is None:
            g = parent.new_group(b.group, loc)
        elif not g.loc:
            g.loc = loc
        routed = self.routed
        self.stack.append(g)
        try:
            self.children(el, b, g, loc)
        finally:
            self.stack.pop()
        # An element whose content all went to other groups (cac:InvoicePeriod with only
        # BT-8, cac:Item with only BG-30) opens no group of its own. An empty element does:
        # the rules judge an empty cac:PostalAddress present.
        if not g.terms and not g.groups and self.routed > routed:
            siblings = parent.groups[b.group]
            siblings.remove(g)
            if not siblings:
                del parent.groups[b.group]

    def fixed(self, el: etree._Element, b: Fixed, group: Group, loc: str) -> None:
        text = el.text or ""
        if text == b.value:
            return
        if b.carrier and b.pending:
            # the carrier comes later in this syntax (CII: TypeCode before CategoryCode)
            self.pending.append((group, b.carrier, len(group.all(b.carrier)), b.key, text, loc))
            return
        carrier = group.all(b.carrier)[-1:] if b.carrier else []
        if carrier:
            carrier[0].attrs[b.key] = text
        else:
            self.issues.append(
                Issue(
                    "einvoice.unmapped_element",
                    f"{self.qname(str(el.tag))} {text!r:.40} has no business term to hold it",
                    loc=loc,
                    severity=Severity.WARNING,
                )
            )


# -- writing ------------------------------------------------------------------------------


def _xml_attrs(term: Term) -> dict[str, str]:
    """The attrs of a term that are XML attributes of its own element."""
    # Other keys are syntax values kept on the term: "cac:TaxScheme/cbc:ID", "ram:TypeCode",
    # "@element". Namespaced attributes are read in Clark notation, so a plain XML
    # attribute name never holds a colon.
    return {k: v for k, v in term.attrs.items() if k.startswith("{") or not _NOT_ATTR.search(k)}


class Writer:
    """Writes a model through a binding table, in the table's (schema) order."""

    __slots__ = ("derive", "doc", "kind")

    def __init__(self, doc: Invoice, syntax: str = "") -> None:
        self.doc = doc
        self.kind = doc.kind
        # what the target syntax requires but the source did not say (an amount's
        # currencyID in UBL) is derived, except for a document read from that syntax,
        # whose omissions are its own and written back as they were
        self.derive = doc.syntax != syntax

    def target(self, group_id: str, stack: list[Group]) -> Group | None:
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
        el: etree._Element,
        node: Node,
        stack: list[Group],
        pick: int | None = None,
        first: bool = True,
        index: int = 0,
    ) -> bool:
        """Write ``node``'s children into ``el``; True when any business content was written."""
        wrote = False
        for tag, b in node.children:
            wrote |= self.binding(el, tag, b, stack, pick, first, index)
        return wrote

    def binding(
        self,
        el: etree._Element,
        tag: str,
        b: Binding,
        stack: list[Group],
        pick: int | None,
        first: bool,
        index: int,
    ) -> bool:
        if isinstance(b, Switch):
            wrote = False
            for case in b.cases.values():
                wrote |= self.binding(el, tag, case, stack, pick, first, index)
            return wrote
        if isinstance(b, Leaf):
            return self.leaf(el, tag, b, stack, pick, first, index)
        if isinstance(b, Fixed):
            self.fixed(el, tag, b, stack[-1], pick)
            return False
        if b.only is not None and b.only != self.kind:
            return False
        if b.group is None:
            return self.wrapper(el, tag, b, stack, pick, first, index)
        return self.groups(el, tag, b, stack, pick, first)

    def leaf(
        self,
        el: etree._Element,
        tag: str,
        b: Leaf,
        stack: list[Group],
        pick: int | None,
        first: bool,
        index: int,
    ) -> bool:
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
        terms = group.terms.get(b.id)
        if not terms:
            return False
        if b.at is not None and group is not stack[-1] and not _holds(stack[-1], group):
            # a term placed elsewhere is written once, or once per enclosing occurrence
            if b.spread:
                terms = terms[index : index + 1]
            elif not first:
                return False
        if pick is not None:
            terms = terms[pick : pick + 1]
        subs = {sub_id: group.all(sub_id) for sub_id in b.attrs.values()}
        if b.mark is not None or b.when is not None:
            terms = [t for t in terms if self._fits(b, t, group)]
        if b.unless is not None and self.doc.child(b.unless) is not None:
            return False
        base = group.all(b.id)
        position = {id(t): k for k, t in enumerate(base)}
        for term in terms:
            child = etree.SubElement(el, tag, _xml_attrs(term))
            child.text = term.text
            if b.date and "format" not in term.attrs and _ISO_DATE.fullmatch(term.text):
                child.text = term.text.replace("-", "")
                child.set("format", "102")
            for name, value in b.const.items():
                if name not in child.attrib:
                    child.set(name, value)
            if b.currency is not None and self.derive and "currencyID" not in child.attrib:
                currency = self.doc.value(b.currency) or self.doc.value("BT-5")
                if currency:
                    child.set("currencyID", currency)
            for name, sub_id in b.attrs.items():
                sub = _pair(term, position[id(term)], subs[sub_id], base)
                if sub is not None:
                    child.set(name, sub.text)
        return bool(terms)

    def _fits(self, b: Leaf, term: Term, group: Group) -> bool:
        """Whether ``term`` belongs in this one of several elements bound to its id."""
        marked = term.attrs.get("@element")
        if b.mark is not None:
            return marked == b.mark
        if b.when == "unmarked":
            return marked is None
        base = group.all(b.id)
        i = next(k for k, t in enumerate(base) if t is term)
        has = any(_pair(term, i, group.all(s), base) is not None for s in b.attrs.values())
        if not b.attrs:  # the scheme is a sub-term of the sibling element
            has = any(_pair(term, i, group.all(s), base) is not None for s in self.scheme_of(b))
        return has if b.when == "scheme" else not has

    def scheme_of(self, b: Leaf) -> tuple[str, ...]:
        return (f"{b.id}-1",)

    def fixed(self, el: etree._Element, tag: str, b: Fixed, group: Group, pick: int | None) -> None:
        value = b.value
        if b.carrier:
            carriers = group.all(b.carrier)
            if carriers:
                carrier = carriers[pick if pick is not None and pick < len(carriers) else -1]
                value = carrier.attrs.get(b.key, value)
        if b.absent and value == "":
            return  # read without this element
        etree.SubElement(el, tag).text = value

    def wrapper(
        self,
        el: etree._Element,
        tag: str,
        b: Node,
        stack: list[Group],
        pick: int | None,
        first: bool,
        index: int,
    ) -> bool:
        picks: Iterable[int | None] = (pick,)
        if b.repeat and pick is None:
            picks = range(self._count(b, stack))
        if b.structural:
            # e.g. cac:TaxScheme/cbc:ID=VAT: written whenever its parent is
            self.node(etree.SubElement(el, tag), b, stack, pick, first, index)
            return False
        wrote = False
        for p in picks:
            child = etree.SubElement(el, tag)
            if self.node(child, b, stack, p, first, index):
                wrote = True
            elif not b.keep:
                el.remove(child)
        return wrote

    def _count(self, b: Node, stack: list[Group]) -> int:
        """How many occurrences a repeated wrapper has: its most frequent item."""
        n = 0
        for _tag, c in b.children:
            for case in c.cases.values() if isinstance(c, Switch) else (c,):
                if isinstance(case, Leaf):
                    g = stack[-1] if case.at is None else self.target(case.at, stack)
                    n = max(n, len(g.terms.get(case.id, ())) if g is not None else 0)
                elif isinstance(case, Node) and case.group is not None:
                    n = max(n, len(stack[-1].groups.get(case.group, ())))
                elif isinstance(case, Node):
                    n = max(n, self._count(case, stack))
        return n

    def groups(
        self,
        el: etree._Element,
        tag: str,
        b: Node,
        stack: list[Group],
        pick: int | None,
        first: bool,
    ) -> bool:
        assert b.group is not None
        holder = stack[-1] if b.at is None else self.target(b.at, stack)
        if b.at is not None and b.at != stack[-1].id and not first:
            return False
        groups = list(holder.groups.get(b.group, ())) if holder is not None else []
        if pick is not None:
            groups = groups[pick : pick + 1]
        if not groups and b.foreign and self._foreign_content(b, stack):
            groups = [Group(b.group)]
        wrote = False
        for i, g in enumerate(groups):
            child = etree.SubElement(el, tag)
            wrote_here = self.node(child, b, [*stack, g], None, i == 0, i)
            # an element for content of the group written elsewhere is dropped; an empty
            # group keeps its empty element, as it was read
            if wrote_here or not b.skip_empty or not (g.terms or g.groups):
                wrote = True
            else:
                el.remove(child)
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


def _holds(parent: Group, child: Group) -> bool:
    return any(g is child for g in parent.groups.get(child.id, ()))


def _pair(term: Term, i: int, subs: list[Term], bases: list[Term]) -> Term | None:
    """The sub-term (attribute) of ``term``, the ``i``-th of ``bases``.

    Sub-terms read from attributes have their element's location plus ``/@name``; those
    pair by location. Others (CII carries some schemes as elements) pair by position.
    """
    if not subs:
        return None
    base_locs = {t.loc for t in bases if t.loc}
    by_loc = [s for s in subs if s.loc.rpartition("/@")[0] in base_locs]
    if by_loc:
        return next((s for s in by_loc if s.loc.rpartition("/@")[0] == term.loc), None)
    if len(subs) == len(bases) and i < len(bases):
        return subs[i]
    return subs[0] if len(bases) == 1 else None


def write_tree(doc: Invoice, root: etree._Element, node: Node, syntax: str) -> None:
    """Write ``doc`` into ``root`` through ``node``.

    A model built in code may hold what XML cannot (control characters, attribute names
    that are not XML names): that is a ``ValidationError``, never a bare lxml error.
    """
    try:
        Writer(doc, syntax).node(root, node, [doc])
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            Issue(
                "einvoice.value_not_carried",
                f"the invoice holds a value XML cannot carry: {exc}"[:300],
                loc=doc.loc,
            )
        ) from None


def to_xml(root: etree._Element) -> bytes:
    """Serialise a written tree as UTF-8 with an XML declaration."""
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
