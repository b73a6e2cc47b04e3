"""The EN 16931 semantic model, keyed by business term ids.

A document is a tree of :class:`Group` nodes (BG-*) holding :class:`Term` values (BT-*).
Ids are the standard's verbatim (``BT-1``, ``BG-25``); attribute-level terms take the
binding's suffixed ids (``BT-29-1`` for a seller identifier's scheme); national extensions
use ids of their own (``MY-...``, ``SG-...``). The root group has the id ``INVOICE``.

Values are kept as the verbatim text of the source; typed views (:meth:`Term.decimal`,
:meth:`Term.date`) parse on demand, so a reader never fails on a bad value and a rule can
report it. Every term and group records ``loc``, the XPath-like path it was read from.

Conventions the readers (UBL, CII) keep, for rules written once for both syntaxes:

* Groups nest as in EN 16931-1 (``doc.children("BG-25")[0].child("BG-31")``), save BG-14,
  held by ``INVOICE`` (both syntaxes carry the invoicing period at document level), and
  BT-90, a document-level term (see :data:`defa.einvoice.terms.MODEL_PARENT`). BT-110 and
  BT-111 are in BG-22; BG-23 and the line's BG-30 are where the standard puts them.
* Sub-terms read from attributes (``BT-29-1``, ``BT-34-1``, ``BT-125-1``, ``BT-130``,
  ``BT-150``, ``BT-82``, ...) sit in the same group as their term, with the term's ``loc``
  plus ``/@name``. Other attributes (an amount's ``currencyID``, a code's ``listID``) stay
  in ``Term.attrs`` by name; syntax values with no term (``cac:TaxScheme/cbc:ID`` when not
  ``VAT``, CII's ``ram:TypeCode`` when not ``VAT``) are kept in ``Term.attrs`` under their
  element path when they differ from the usual constant; keys starting with ``@`` are
  notes for writers (``@element``).
* Dates are ISO ``YYYY-MM-DD`` where the source says so (UBL; CII format 102); other forms
  stay verbatim.
* ``loc`` is an XPath with prefixes (``cac:``, ``cbc:``, ``ram:``, ...) and a 1-based
  position on each step whose element repeats among its siblings:
  ``/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount``. Groups made for a term whose
  element belongs to another group (BG-2 from ``cbc:CustomizationID``) have the document's.
* An element that opens a group does so even when empty (rules judge an empty
  ``cac:PostalAddress`` present); one whose content all belongs to other groups does not.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from defa.errors import Issue, Severity

__all__ = ["ROOT", "Group", "GroupTree", "Invoice", "Term"]

ROOT = "INVOICE"

# Group ids below a group, each with the group ids below it that matter: ``{"BG-25":
# {"BG-31": {}}}`` names the lines and the item in each (see :meth:`Group.rewritten`).
GroupTree = Mapping[str, "GroupTree"]

DocumentKind = Literal["invoice", "credit-note"]


@dataclass(slots=True)
class Term:
    """One business term occurrence.

    ``attrs`` keeps syntax attributes that are not business terms of their own (e.g. an
    amount's ``currencyID``) so a writer can put them back.
    """

    id: str
    text: str
    loc: str = ""
    attrs: dict[str, str] = field(default_factory=dict)

    def decimal(self) -> Decimal | None:
        """The value as a Decimal, or None if it is not a finite number."""
        try:
            value = Decimal(self.text.strip())
        except (InvalidOperation, ValueError):
            return None
        return value if value.is_finite() else None

    def date(self) -> date | None:
        """The value as a date (ISO ``YYYY-MM-DD`` or CII's ``YYYYMMDD``), or None."""
        text = self.text.strip()
        try:
            if len(text) == 8 and text.isdigit():
                return date(int(text[:4]), int(text[4:6]), int(text[6:]))
            return date.fromisoformat(text) if len(text) == 10 else None
        except ValueError:
            return None


@dataclass(slots=True)
class Group:
    """A business group (BG-*): terms and subgroups in document order."""

    id: str
    loc: str = ""
    terms: dict[str, list[Term]] = field(default_factory=dict)
    groups: dict[str, list[Group]] = field(default_factory=dict)

    # -- reading -------------------------------------------------------------------------

    def term(self, term_id: str) -> Term | None:
        """The first occurrence of a term in this group (not in subgroups)."""
        found = self.terms.get(term_id)
        return found[0] if found else None

    def value(self, term_id: str) -> str | None:
        """The verbatim text of the first occurrence of a term, or None."""
        found = self.terms.get(term_id)
        return found[0].text if found else None

    def decimal(self, term_id: str) -> Decimal | None:
        found = self.term(term_id)
        return found.decimal() if found else None

    def all(self, term_id: str) -> list[Term]:
        """Every occurrence of a term in this group."""
        return self.terms.get(term_id, [])

    def children(self, group_id: str) -> list[Group]:
        """The subgroups with this id, in document order."""
        return self.groups.get(group_id, [])

    def child(self, group_id: str) -> Group | None:
        found = self.groups.get(group_id)
        return found[0] if found else None

    def has(self, term_id: str) -> bool:
        """True when the term occurs with non-blank text."""
        return any(t.text.strip() for t in self.terms.get(term_id, ()))

    def copy(self) -> Group:
        """A shallow copy, to replace entries in: its own ``terms`` and ``groups`` dicts,
        the occurrence lists and subgroups in them shared with this group."""
        return Group(self.id, self.loc, dict(self.terms), dict(self.groups))

    def rewritten(
        self,
        change: Callable[[str, list[Term]], list[Term] | None],
        ids: Container[str] | None = None,
        within: GroupTree | None = None,
    ) -> Group:
        """This group with the term occurrences ``change`` replaces, here and in every group
        below: ``change(term_id, occurrences)`` gives the new occurrences, or None to keep
        them. Only the term ids in ``ids`` are offered (every one by default), and only the
        groups ``within`` names are looked through below this one (every one by default).

        Copy on write: a group in which nothing changes is shared, not copied, and ``self``
        is returned when nothing changes at all; a copy is a :class:`Group` of the same id
        and location (a document's callers take its terms and groups into
        :meth:`Invoice.reshaped`).
        """
        # A set of ids (or a dict's keys) says in one C-level test that a group holds none
        # of them; any other container is asked id by id.
        keys: AbstractSet[str] | None = None
        if isinstance(ids, (set, frozenset)):
            keys = ids
        elif isinstance(ids, dict):
            keys = ids.keys()

        # asked only of the groups that hold one of the ids, when they are a set (see
        # :meth:`_retermed`)
        def terms_of(group: Group) -> dict[str, list[Term]] | None:
            terms: dict[str, list[Term]] | None = None
            for tid, found in group.terms.items():
                if ids is not None and tid not in ids:
                    continue
                new_terms = change(tid, found)
                if new_terms is not None:
                    terms = terms if terms is not None else dict(group.terms)
                    terms[tid] = new_terms
            return terms

        return self._retermed(terms_of, keys, within)

    def retermed(
        self,
        terms_of: Callable[[Group], dict[str, list[Term]] | None],
        within: GroupTree | None = None,
    ) -> Group:
        """This group with the terms ``terms_of`` gives, here and in every group below:
        ``terms_of(group)`` gives the group's new ``terms`` dict, or None to keep it. What
        :meth:`rewritten` does with one call per group instead of one per term occurrence,
        for a change that looks at every term. ``within`` as for :meth:`rewritten`; copy on
        write in the same way."""
        return self._retermed(terms_of, None, within)

    def _retermed(
        self,
        terms_of: Callable[[Group], dict[str, list[Term]] | None],
        keys: AbstractSet[str] | None,
        within: GroupTree | None,
    ) -> Group:
        # ``terms_of`` is asked only of a group holding one of ``keys`` (every group when
        # None): most groups a walk passes through (parties, lines) hold none
        terms = terms_of(self) if keys is None or not keys.isdisjoint(self.terms) else None
        groups: dict[str, list[Group]] | None = None
        for gid, subs in self.groups.items():
            below = None
            if within is not None:
                below = within.get(gid)
                if below is None:
                    continue
            copied: list[Group] | None = None
            for i, sub in enumerate(subs):
                if sub.groups:
                    new = sub._retermed(terms_of, keys, below)
                    if new is sub:
                        continue
                else:
                    # a group with no groups below it (most of those holding the ids:
                    # addresses, breakdowns, line details) without a walk call; kept as it
                    # is when it holds none of the ids
                    if keys is not None and keys.isdisjoint(sub.terms):
                        continue
                    found = terms_of(sub)
                    if found is None:
                        continue
                    new = Group(sub.id, sub.loc, found, sub.groups)
                copied = copied if copied is not None else list(subs)
                copied[i] = new
            if copied is not None:
                groups = groups if groups is not None else dict(self.groups)
                groups[gid] = copied
        if terms is None and groups is None:
            return self
        return Group(
            self.id,
            self.loc,
            terms if terms is not None else self.terms,
            groups if groups is not None else self.groups,
        )

    def walk(self) -> Iterator[Group]:
        """This group and every group below it, depth first."""
        # An explicit stack rather than nested generators: a deep document (lines, their
        # items and prices) is walked without a chain of generators per group.
        stack: list[Group] = [self]
        pop, push = stack.pop, stack.extend
        while stack:
            group = pop()
            yield group
            if group.groups:
                below = [g for subgroups in group.groups.values() for g in subgroups]
                below.reverse()
                push(below)

    # -- building ------------------------------------------------------------------------

    def add(self, term: Term) -> Term:
        self.terms.setdefault(term.id, []).append(term)
        return term

    def set(self, term_id: str, text: str, loc: str = "", **attrs: str) -> Term:
        """Add a term by id and text; returns it."""
        return self.add(Term(term_id, text, loc, dict(attrs)))

    def add_group(self, group: Group) -> Group:
        self.groups.setdefault(group.id, []).append(group)
        return group

    def new_group(self, group_id: str, loc: str = "") -> Group:
        return self.add_group(Group(group_id, loc))

    # -- comparing -----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Canonical content without locations: ``{term: [text...], group: [{...}...]}``.

        Two documents carry the same business content when their ``to_dict()`` are equal.
        """
        out: dict[str, Any] = {}
        for tid in sorted(self.terms):
            out[tid] = [
                t.text if not t.attrs else {"text": t.text, **dict(sorted(t.attrs.items()))}
                for t in self.terms[tid]
            ]
        for gid in sorted(self.groups):
            out[gid] = [g.to_dict() for g in self.groups[gid]]
        return out


@dataclass(slots=True)
class Invoice(Group):
    """A whole document: an invoice or a credit note, and where it was read from.

    ``tree`` is the parsed source (an lxml element) for checks bound to one syntax; it is
    None for documents built in code. ``issues`` holds what the reader noticed but did not
    raise: elements that map to no business term (``einvoice.unmapped_element``) and the
    like, each with its ``loc``.
    """

    id: str = ROOT
    kind: DocumentKind = "invoice"
    syntax: str = ""
    tree: Any = field(default=None, repr=False, compare=False)
    issues: list[Issue] = field(default_factory=list, repr=False, compare=False)

    def reshaped(
        self,
        terms: dict[str, list[Term]] | None = None,
        groups: dict[str, list[Group]] | None = None,
        issues: list[Issue] | None = None,
    ) -> Invoice:
        """A document like this one (kind, syntax, tree, location) holding ``terms`` and
        ``groups`` (by default this document's own dicts, shared, not copied) and
        ``issues`` (by default none): the start of a prepare step's shallow copy."""
        return Invoice(
            loc=self.loc,
            terms=self.terms if terms is None else terms,
            groups=self.groups if groups is None else groups,
            kind=self.kind,
            syntax=self.syntax,
            tree=self.tree,
            issues=[] if issues is None else issues,
        )


def not_carried(term: Term, reason: str, **ctx: Any) -> Issue:
    """An ``einvoice.value_not_carried`` warning about ``term``: ``reason`` says what became
    of its value (``"not carried: ..."``, ``"kept as ..."``); ``ctx`` adds to the term's id
    and value."""
    return Issue(
        "einvoice.value_not_carried",
        f"{term.id} {term.text!r:.40} {reason}",
        loc=term.loc,
        severity=Severity.WARNING,
        ctx={"term": term.id, "value": term.text, **ctx},
    )
