"""Writing a model through a binding table, in the table's (schema) order.

See :mod:`defa.einvoice.syntax._xmlmap` for the table's node types.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from defa.einvoice.model import ROOT, Group, Invoice, Term
from defa.einvoice.syntax._xmlmap import Binding, Fixed, Leaf, Node, Switch
from defa.errors import Issue, ValidationError

__all__ = ["Writer", "to_xml", "write_tree"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NOT_ATTR = re.compile(r"[:/@]")


def _xml_attrs(term: Term) -> dict[str, str]:
    """The attrs of a term that are XML attributes of its own element."""
    # Other keys are syntax values kept on the term: "cac:TaxScheme/cbc:ID", "ram:TypeCode",
    # "@element". Namespaced attributes are read in Clark notation, so a plain XML
    # attribute name never holds a colon.
    attrs = term.attrs
    if not attrs:
        return attrs  # most terms: nothing to filter (SubElement only reads the mapping)
    return {k: v for k, v in attrs.items() if k[0] == "{" or not _NOT_ATTR.search(k)}


class Writer:
    """Writes a model through a binding table, in the table's (schema) order."""

    __slots__ = ("currencies", "derive", "doc", "kind")

    def __init__(self, doc: Invoice, syntax: str = "") -> None:
        self.doc = doc
        self.kind = doc.kind
        # what the target syntax requires but the source did not say (an amount's
        # currencyID in UBL) is derived, except for a document read from that syntax,
        # whose omissions are its own and written back as they were
        self.derive = doc.syntax != syntax
        self.currencies: dict[str, str | None] = {}  # term id -> the currencyID it gives

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
        el: etree._Element,
        node: Node,
        stack: list[Group],
        pick: int | None = None,
        first: bool = True,
        index: int = 0,
    ) -> bool:
        """Write ``node``'s children into ``el``; True when any business content was written."""
        wrote = False
        terms = stack[-1].terms
        sub_element = etree.SubElement
        for tag, b, plain, currency_of in _plan(node):
            if plain is not None:
                # a leaf with nothing but its text and its own attributes: written here,
                # as leaf() would write it, without the calls and the checks
                found = terms.get(plain)
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
                    child = (
                        sub_element(el, tag, _xml_attrs(term)) if attrs else sub_element(el, tag)
                    )
                    child.text = term.text
                    # a plain attribute name is one of the term's own XML attributes
                    if currency and "currencyID" not in attrs:
                        child.set("currencyID", currency)
                wrote = True
                continue
            if type(b) is Leaf:
                # most leaves of a table bind terms the document does not hold: skip them
                # here, without the calls (what leaf() would find: nothing to write)
                if b.id not in terms and b.at is None and b.opens is None:
                    continue
                wrote |= self.leaf(el, tag, b, stack, pick, first, index)
                continue
            if type(b) is Node:  # as binding() dispatches it, without the call
                if b.only is not None and b.only != self.kind:
                    continue
                if b.group is None:
                    wrote |= self.wrapper(el, tag, b, stack, pick, first, index)
                else:
                    wrote |= self.groups(el, tag, b, stack, pick, first)
                continue
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
        """Write one child binding of a node; True when business content was written."""
        # exact type checks (mypy narrows them): cheaper than isinstance on this hot path
        if type(b) is Leaf:
            return self.leaf(el, tag, b, stack, pick, first, index)
        if type(b) is Switch:
            wrote = False
            for case in b.cases.values():
                wrote |= self.binding(el, tag, case, stack, pick, first, index)
            return wrote
        if type(b) is Fixed:
            self.fixed(el, tag, b, stack[-1], pick)
            return False
        assert isinstance(b, Node)
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
        terms = group.terms.get(b.id)
        if not terms:
            return False
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
            terms = [t for t in terms if self._fits(b, t, group)]
        if b.unless is not None and self.doc.child(b.unless) is not None:
            return False
        # the sub-terms and positions only for a leaf with attribute terms (few are)
        subs = {sub_id: group.all(sub_id) for sub_id in b.attrs.values()} if b.attrs else {}
        base = group.all(b.id) if subs else []
        position = {id(t): k for k, t in enumerate(base)} if subs else {}
        currency = None
        if b.currency is not None and self.derive:
            currency = self.currency(b.currency)
        sub_element = etree.SubElement
        for term in terms:
            child = sub_element(el, tag, _xml_attrs(term))
            child.text = term.text
            if b.date and "format" not in term.attrs and _ISO_DATE.fullmatch(term.text):
                child.text = term.text.replace("-", "")
                child.set("format", "102")
            if b.const:
                for name, value in b.const.items():
                    if name not in child.attrib:
                        child.set(name, value)
            if currency and "currencyID" not in child.attrib:
                child.set("currencyID", currency)
            if subs:
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
        """The sub-terms that make an occurrence a "scheme" one (``BT-29-1`` for BT-29)."""
        return (f"{b.id}-1",)

    def fixed(self, el: etree._Element, tag: str, b: Fixed, group: Group, pick: int | None) -> None:
        """Write a constant syntax element, or the other value the model kept."""
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
        """Write a pass-through element: once, once per occurrence (``repeat``), or not."""
        if not b.keep and not b.structural:
            needs = _needs(b)
            if needs is not None:
                here = stack[-1]
                if not any(i in here.terms or i in here.groups for i in needs):
                    return False  # nothing of it in the group: the element would be removed
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
        """Write one element per occurrence of the group a node opens."""
        assert b.group is not None
        holder = stack[-1] if b.at is None else self.target(b.at, stack)
        if b.at is not None and b.at != stack[-1].id and not first:
            return False
        groups = list(holder.groups.get(b.group, ())) if holder is not None else []
        if pick is not None:
            groups = groups[pick : pick + 1]
        if not groups and b.foreign and b.hosts and self._foreign_content(b, stack):
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


# A node's children with, for each leaf that writes nothing but its term's text, the term's
# own attributes and a derived currencyID (no sub-terms, placement, constants, date, kind or
# selection), that term's id and its currency term: node() writes those directly. Planned
# once per node, as below.
_Plan = tuple[tuple[str, Binding, str | None, str | None], ...]
_PLANS: dict[int, tuple[Node, _Plan]] = {}


def _plan(node: Node) -> _Plan:
    planned = _PLANS.get(id(node))
    if planned is not None and planned[0] is node:
        return planned[1]
    plan = tuple(
        (tag, b, plain, b.currency if plain is not None and type(b) is Leaf else None)
        for tag, b in node.children
        for plain in (_plain_id(b),)
    )
    _PLANS[id(node)] = (node, plan)
    return plan


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
