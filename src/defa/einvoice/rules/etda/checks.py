"""The checks the ETDA Schematron states, as functions of the semantic model.

ETDA's six Schematron files state the same few checks again and again, once per document
type and party (the seller's tax id, the invoicer's address ...), with ids of their own
(``TIV-SellerTradeParty-005``, ``DCN-SellerTradeParty-005``). Each check is written here
once, as a factory taking the party or the codes it is about; the rule tables
(:mod:`.tables`) give each upstream id its check.

XPath's comparison semantics are kept where they decide the outcome: ``X != 'a'`` is false
when ``X`` is absent, true when some ``X`` differs; ``X = ''`` is true when some ``X`` is
empty; ``string-length(X)`` is the length of the first ``X`` (0 when absent). Text is
compared as read, without trimming, as the Schematron does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from defa.countries.th.etda.binding import BUYER, INVOICER, SELLER, Party
from defa.einvoice.model import Group, Invoice, Term
from defa.einvoice.rules.engine import CheckFn, Finding

__all__ = ["BUYER", "INVOICER", "PARTIES", "SELLER", "Party"]


#: The parties the ETDA Schematron judges, by the name its rule ids use.
PARTIES = {"SellerTradeParty": SELLER, "BuyerTradeParty": BUYER, "InvoicerTradeParty": INVOICER}

# TXID: a 13-digit tax id and a 5-digit branch; NIDN: a 13-digit citizen id; CCPT: a passport
TXID_LIKE = frozenset({"", "TXID", None})


def _texts(group: Group, term_id: str) -> list[str]:
    return [t.text for t in group.terms.get(term_id, ())]


def _filled(group: Group, term_id: str) -> bool:
    """XPath ``X != ''``: some occurrence is not empty."""
    return any(t != "" for t in _texts(group, term_id))


def _missing(group: Group, term_id: str) -> bool:
    """XPath ``not(X) or X = ''``: absent, or some occurrence empty."""
    texts = _texts(group, term_id)
    return not texts or "" in texts


def _any_is(group: Group, term_id: str, value: str) -> bool:
    return value in _texts(group, term_id)


def _any_is_not(group: Group, term_id: str, value: str) -> bool:
    return any(t != value for t in _texts(group, term_id))


def _length(group: Group, term_id: str) -> int:
    """XPath ``string-length(X)``: of the first occurrence, 0 when absent."""
    texts = _texts(group, term_id)
    return len(texts[0]) if texts else 0


def _where(group: Group, term_id: str) -> Group | Term:
    found = group.term(term_id)
    return found if found is not None else group


# -- the document --------------------------------------------------------------------------


def type_code_in(codes: frozenset[str]) -> CheckFn:
    """The type code (BT-3) is one of ``codes``."""

    def check(doc: Invoice) -> Iterator[Finding]:
        if not any(t in codes for t in _texts(doc, "BT-3")):
            yield _where(doc, "BT-3"), {"expected": sorted(codes)}

    return check


def name_is(name: str, type_code: str | None = None) -> CheckFn:
    """The document's name (``ExchangedDocument/Name``) is ``name`` (for ``type_code``)."""

    def check(doc: Invoice) -> Iterator[Finding]:
        if type_code is not None and not _any_is(doc, "BT-3", type_code):
            return
        # INV-Document-002: no name is ``name``; -003: with the type code, some name is not
        wrong = (
            _any_is_not(doc, "TH-DOCUMENT-NAME", name)
            if type_code is not None
            else not _any_is(doc, "TH-DOCUMENT-NAME", name)
        )
        if wrong:
            yield _where(doc, "TH-DOCUMENT-NAME"), {"expected": name}

    return check


def purpose_code_in(
    codes: frozenset[str], *, with_reference: bool = False, type_code: str | None = None
) -> CheckFn:
    """A purpose code, where given, is one of ``codes``.

    ``with_reference``: only when the document refers to another (BG-3); ``type_code``:
    only for that type code.
    """

    def check(doc: Invoice) -> Iterator[Finding]:
        if type_code is not None and not _any_is(doc, "BT-3", type_code):
            return
        if with_reference and not doc.children("BG-3"):
            return
        given = _texts(doc, "TH-PURPOSE-CODE")
        # XPath: (PurposeCode) != 'a' and ... is false when there is no PurposeCode
        if given and not any(c in codes for c in given):
            yield _where(doc, "TH-PURPOSE-CODE"), {"expected": sorted(codes)}

    return check


def purpose_code_required() -> CheckFn:
    def check(doc: Invoice) -> Iterator[Finding]:
        if not _filled(doc, "TH-PURPOSE-CODE"):
            yield _where(doc, "TH-PURPOSE-CODE")

    return check


def purpose_stated(codes: frozenset[str]) -> CheckFn:
    """With a purpose code of ``codes`` ("other"), the purpose is stated in words."""

    def check(doc: Invoice) -> Iterator[Finding]:
        if any(c in codes for c in _texts(doc, "TH-PURPOSE-CODE")) and _missing(doc, "TH-PURPOSE"):
            yield _where(doc, "TH-PURPOSE-CODE")

    return check


def invoicer_not_seller() -> CheckFn:
    """The party issuing on the seller's behalf has a tax id other than the seller's.

    The Schematron compares the first 13 characters of both; we compare only when the
    invoicer has a tax id (the Schematron also fires when neither party has one, which
    other rules already report).
    """

    def check(doc: Invoice) -> Iterator[Finding]:
        invoicer = doc.child(INVOICER.group)
        seller = doc.child(SELLER.group)
        if invoicer is None or seller is None:
            return
        theirs = _texts(invoicer, INVOICER.tax)
        ours = _texts(seller, SELLER.tax)
        if theirs and ours and theirs[0][:13] == ours[0][:13]:
            yield _where(invoicer, INVOICER.tax)

    return check


def reference_type_in(codes: frozenset[str], *, only_with_reference: bool = True) -> CheckFn:
    """Some referenced document (BG-3) has a reference type code of ``codes``."""

    def check(doc: Invoice) -> Iterator[Finding]:
        refs = doc.children("BG-3")
        if only_with_reference and not refs:
            return
        if not any(c in codes for g in refs for c in _texts(g, "TH-REFERENCE-TYPE")):
            yield (refs[0] if refs else doc), {"expected": sorted(codes)}

    return check


def quantity_on_every_line() -> CheckFn:
    def check(doc: Invoice) -> Iterator[Finding]:
        for line in doc.children("BG-25"):
            if not _filled(line, "BT-129"):
                yield line

    return check


# -- parties -------------------------------------------------------------------------------


def _parties(doc: Invoice, p: Party) -> Iterable[Group]:
    return doc.children(p.group)


def party_name(p: Party) -> CheckFn:
    def check(doc: Invoice) -> Iterator[Finding]:
        for g in _parties(doc, p):
            if not _filled(g, p.name):
                yield g

    return check


def party_tax_registration(p: Party, *, id_filled: bool = False) -> CheckFn:
    """The party has a tax registration; with ``id_filled``, one whose id is not empty.

    An empty ``ram:SpecifiedTaxRegistration`` element holds no term, so it counts as absent.
    """

    def check(doc: Invoice) -> Iterator[Finding]:
        for g in _parties(doc, p):
            texts = _texts(g, p.tax)
            if not texts:
                yield g
            elif id_filled and not any(t != "" for t in texts):
                yield _where(g, p.tax)

    return check


def party_address(p: Party) -> CheckFn:
    def check(doc: Invoice) -> Iterator[Finding]:
        for g in _parties(doc, p):
            if not g.children(p.address):
                yield g

    return check


def _registrations(doc: Invoice, p: Party) -> Iterator[tuple[Group, Term]]:
    """Each party's tax id (the context of the Schematron's tax registration rules)."""
    for g in _parties(doc, p):
        found = g.term(p.tax)
        if found is not None:
            yield g, found


def tax_id_filled(p: Party) -> CheckFn:
    def check(doc: Invoice) -> Iterator[Finding]:
        for g, tax in _registrations(doc, p):
            if not _filled(g, p.tax):
                yield tax

    return check


def tax_scheme_in(p: Party, schemes: frozenset[str | None]) -> CheckFn:
    def check(doc: Invoice) -> Iterator[Finding]:
        for _g, tax in _registrations(doc, p):
            if tax.attrs.get("schemeID") not in schemes:
                yield tax, {"schemeID": tax.attrs.get("schemeID"), "expected": "TXID, NIDN"}

    return check


def tax_id_length(
    p: Party,
    schemes: frozenset[str | None],
    length: int,
    *,
    at_most: bool = False,
    guard: str = "",
) -> CheckFn:
    """A tax id of one of ``schemes`` has ``length`` characters (``at_most``: no more).

    ``guard``: ``"filled"`` only for a non-empty id, ``"scheme"`` only when the ``schemeID``
    attribute is present (as some of the Schematron's statements have it).
    """

    def check(doc: Invoice) -> Iterator[Finding]:
        for g, tax in _registrations(doc, p):
            scheme = tax.attrs.get("schemeID")
            if scheme not in schemes:
                continue
            if (guard == "filled" and not _filled(g, p.tax)) or (
                guard == "scheme" and scheme is None
            ):
                continue
            n = _length(g, p.tax)
            if (n > length) if at_most else (n != length):
                yield tax, {"length": n, "expected": length}

    return check


def tax_id_is(p: Party, scheme: str, value: str) -> CheckFn:
    def check(doc: Invoice) -> Iterator[Finding]:
        for _g, tax in _registrations(doc, p):
            if tax.attrs.get("schemeID") == scheme and tax.text != value:
                yield tax, {"expected": value}

    return check


# -- addresses -----------------------------------------------------------------------------


def _addresses(doc: Invoice, p: Party) -> Iterator[Group]:
    for g in _parties(doc, p):
        yield from g.children(p.address)


def address_check(
    p: Party, test: Callable[[Group, Party], bool], term: str | None = None
) -> CheckFn:
    """A check of each of the party's addresses: ``test`` true means the rule fires."""

    def check(doc: Invoice) -> Iterator[Finding]:
        for a in _addresses(doc, p):
            if test(a, p):
                yield _where(a, term) if term else a

    return check


def postcode_bad(a: Group, p: Party) -> bool:
    """Absent, empty, or not 5 characters long."""
    return _missing(a, p.postcode) or _length(a, p.postcode) != 5


def country_not_th(a: Group, p: Party) -> bool:
    return not _texts(a, p.country) or _any_is_not(a, p.country, "TH")


def in_th(a: Group, p: Party) -> bool:
    return _any_is(a, p.country, "TH")


def outside_th(a: Group, p: Party) -> bool:
    return _any_is_not(a, p.country, "TH")


def unstructured_or_structured(a: Group, p: Party) -> bool:
    """Fires when the address has neither a first line nor the full Thai structure."""
    structured = all(
        _filled(a, t) for t in ("TH-BUILDING-NUMBER", p.city, "TH-SUBDIVISION", p.province)
    )
    return not _filled(a, p.line1) and not structured


def missing(
    term: Callable[[Party], str],
    *,
    th_only: bool = False,
    absent_only: bool = False,
    not_th: bool = False,
) -> Callable[[Group, Party], bool]:
    """A test: the term is missing (absent or empty; ``absent_only``: absent).

    ``th_only``: only for an address in Thailand; ``not_th``: only for one elsewhere.
    """

    def test(a: Group, p: Party) -> bool:
        if (th_only and not in_th(a, p)) or (not_th and not outside_th(a, p)):
            return False
        tid = term(p)
        return not _texts(a, tid) if absent_only else _missing(a, tid)

    return test
