"""Reading a document through a binding table: one pass over the elements, dict dispatch.

See :mod:`defa.einvoice.syntax._xmlmap` for the table's node types.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from defa.einvoice.model import ROOT, Group, Invoice, Term
from defa.einvoice.syntax._xmlmap import Fixed, Leaf, Node, Switch
from defa.errors import Issue, Severity

__all__ = ["Reader"]

_QNAMES: dict[str, str] = {}  # Clark name -> prefixed name, for known namespaces only

# The element proxies of the last document read, kept alive until the next read ends.
# lxml makes a Python proxy for an element the first time Python touches it and drops it
# when nothing refers to it any more; the checks that follow a read walk the same elements
# again (the UBL element index), and an element whose proxy is alive costs them about a
# third as much (measured: about 900 instructions against 2,700). Only the last document
# is kept, like the rules' per-document facts (docs/adr/0004).
_kept: list[list[etree._Element]] = []


class Reader:
    """One document's read: the open groups, the qualified names, the findings."""

    __slots__ = ("doc", "issues", "kept", "made", "pending", "prefixes", "routed", "stack")

    def __init__(self, doc: Invoice, prefixes: Mapping[str, str]) -> None:
        self.doc = doc
        self.stack: list[Group] = [doc]
        self.issues: list[Issue] = []
        self.prefixes = prefixes
        # Fixed values read before the term that keeps them: (group, carrier, n, key, text, loc)
        self.pending: list[tuple[Group, str, int, str, str, str]] = []
        self.made: list[Group] = []  # groups made on demand by an ``at`` placement
        self.routed = 0  # terms and groups placed away from their element's group
        self.kept: list[list[etree._Element]] = []  # the element proxies made (see _kept)

    def finish(self) -> None:
        """Settle what waited for the end of the document; keep its element proxies."""
        global _kept
        _kept = self.kept
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
        """Record an element that maps to no business term."""
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
        self.kept.append(kids)
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
        """Read an element whose text is a term, with its attribute sub-terms."""
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
        """Read an element with children: a group of its own, or a pass-through."""
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
        # (Only where a writer makes the element again for that content: ``hosts``.)
        if not g.terms and not g.groups and self.routed > routed and b.hosts:
            siblings = parent.groups[b.group]
            siblings.remove(g)
            if not siblings:
                del parent.groups[b.group]

    def fixed(self, el: etree._Element, b: Fixed, group: Group, loc: str) -> None:
        """Read a constant syntax element; keep a value other than the constant."""
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
