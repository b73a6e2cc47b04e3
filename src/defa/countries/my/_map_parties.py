"""Between MyInvois and PINT MY: the parties mappings, one step each way.

Each step is a :data:`~defa.einvoice.profiles.Prepare` in the target format's chain
(:mod:`defa.countries.my.einvoice`). MyInvois (LHDN SDK, "Document Types" v1.0/v1.1)
states every identifier of a supplier, buyer or shipping recipient as a
``cac:PartyIdentification/cbc:ID`` with a ``schemeID`` of its own list (TIN, BRN, NRIC,
PASSPORT, ARMY, SST, TTX); PINT MY 1.3.1 (BIS chapter 2.1 and section 4.6) states them in
the EN 16931 places:

=====================  =====================================  ==============================
MyInvois ``schemeID``  PINT MY, supplier                      PINT MY, buyer
=====================  =====================================  ==============================
``TIN``                ibt-032, ``cac:PartyTaxScheme`` under  ``cac:PartyIdentification/
                       a scheme other than VAT (``GST``, as   cbc:ID`` with no schemeID
                       LHDN's own PINT MY samples); with a    (ibt-046: ibt-048 is the SST
                       tourism tax registration,              number and occurs once,
                       ``cac:PartyIdentification/cbc:ID``     ibr-104)
                       with no schemeID (BIS 4.6.2, ibr-04-my)
``BRN``                ibt-030, ``cac:PartyLegalEntity/       ibt-047, the same
                       cbc:CompanyID`` (ibr-02-my)            (ibr-03-my)
``SST``                ibt-031, ``cac:PartyTaxScheme`` under  ibt-048, the same (BIS 4.6.4)
                       ``VAT`` (BIS 4.6: VAT is read as SST;
                       4.6.3)
``TTX``                ``cac:PartyTaxScheme`` under ``TTX``   the same form (``BT-48-TAX``
                       (BIS 4.6.2, example 2)                 under ``TTX``)
=====================  =====================================  ==============================

A shipping recipient's (``cac:Delivery/cac:DeliveryParty``) TIN is stated as a party
identifier with no schemeID and its BRN as its ``cac:PartyLegalEntity/cbc:CompanyID``, as
LHDN's PINT MY sample ``CompleteSample_LHDN.xml`` states a delivery party's legal
registration. The way back reads PINT MY's places as its BIS says: a supplier's TIN is the
``cbc:CompanyID`` of a ``cac:PartyTaxScheme`` under a scheme other than VAT, or with a
tourism tax registration (scheme ``TTX``, or ``AAL``, the scheme PINT MY states tourism tax
under: aligned-ibrp-047) the party identifier with no schemeID (BIS 4.6.2, "Implementation
Guidance"). Each value keeps its text; each mapping is undone by the other step, so that a
document converted there and back holds every value and its scheme.

What is not mapped, and why:

* NRIC, PASSPORT and ARMY numbers: PINT MY has no place for an individual's
  identification number (ibt-030 is a legal registration identifier, and its scheme
  must be an ISO 6523 ICD, ibr-cl-11): they are kept as they are, and listed.
* An identifier under an ISO 6523 scheme (PINT MY's ``0230``, the National e-Invoicing
  Framework id issued by MDEC): MyInvois takes only its own schemes (MYINVOIS-26), so it
  is not written into MyInvois and is listed as not carried.
* Electronic addresses (ibt-034, ibt-049, ibr-080/ibr-081): the BIS makes them mandatory
  with a scheme of the EAS list and shows ``0230`` ids, but does not define them from a
  TIN, BRN or other id a MyInvois document holds: none is made.
* A buyer's tourism tax registration (LHDN's samples give ``NA``) has no field in either
  specification; it is stated as a supplier's is, and PINT MY's ibr-104 (one buyer tax
  identifier) reports it beside the SST number.
* Empty elements (a consolidated e-invoice's buyer address) are carried as they are: an
  empty value is no value, and none is invented for it.

Addresses: MyInvois gives up to three ``cac:AddressLine`` (Address Line 0, 1, 2); PINT MY
states them as street name, additional street name and address line (ibt-035/036/162 and
ibt-050/051/163, each once: ibr-sr-53, ibr-sr-54), the order LHDN's PINT MY samples give
("Address Line 0" in ``cbc:StreetName``...); a single line stays an address line. PINT
MY names a state in ``cbc:CountrySubentity``; MyInvois wants its state code
(``cbc:CountrySubentityCode``, MYINVOIS-15, -24): a Malaysian address's subentity that is
a state's name or code in LHDN's State Codes table is stated as that code as well; any
other text (a town) is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from defa import data
from defa.einvoice.model import Group, Invoice, Term, not_carried
from defa.einvoice.rules.pint_my import MY_CUSTOMIZATION, MY_SELFBILLING_CUSTOMIZATION
from defa.errors import Issue

__all__ = ["parties_to_myinvois", "parties_to_pint", "states"]

#: The syntax value of a party tax scheme's id, kept on its term (UBL binding).
_TAX_SCHEME = "cac:TaxScheme/cbc:ID"
#: The scheme a supplier's TIN is stated under (BIS 2.1.1 and LHDN's PINT MY samples).
_TIN_TAX_SCHEME = "GST"
#: The scheme of a tourism tax registration (BIS 4.6.2); ``AAL`` as PINT MY states TTX.
_TTX_TAX_SCHEME = "TTX"
_TTX_TAX_SCHEMES = frozenset({"TTX", "AAL"})
_VAT = "VAT"

_REGISTRATION = frozenset({"BRN", "NRIC", "PASSPORT", "ARMY"})
_MYINVOIS_SCHEMES = _REGISTRATION | {"TIN", "SST", "TTX"}
# the order MyInvois's field tables (and every LHDN sample) give a party's identifiers
_RANK = {"TIN": 0, "BRN": 1, "NRIC": 1, "PASSPORT": 1, "ARMY": 1, "SST": 2, "TTX": 3}


@cache
def states() -> dict[str, str]:
    """LHDN's State Codes table (MyInvois SDK, "State Codes"): code -> state or territory
    (data ``my-myinvois-codes``), loaded once."""
    table = data.load("my-myinvois-codes", date(2024, 8, 1)).content["state_names"]
    return {str(code): str(name) for code, name in table.items()}


@cache
def _state_by_name() -> dict[str, str]:
    return {" ".join(name.casefold().split()): code for code, name in states().items()}


_MALAYSIA = frozenset({"MY", "MYS"})


@dataclass(frozen=True, slots=True)
class _Party:
    """Where PINT MY states one party's terms (the EN 16931 ids of the UBL binding)."""

    group: str
    ident: str  # party identifier (MyInvois: every identifier)
    legal: str  # legal registration identifier (BRN)
    vat: str  # tax identifier under VAT (SST registration)
    tax: str  # tax identifier under another scheme
    address: str
    street: str
    more: str
    line: str
    subentity: str
    country: str


_SELLER = _Party(
    "BG-4", "BT-29", "BT-30", "BT-31", "BT-32", "BG-5", "BT-35", "BT-36", "BT-162", "BT-39",
    "BT-40",
)  # fmt: skip
_BUYER = _Party(
    "BG-7", "BT-46", "BT-47", "BT-48", "BT-48-TAX", "BG-8", "BT-50", "BT-51", "BT-163", "BT-54",
    "BT-55",
)  # fmt: skip
_PARTIES = (_SELLER, _BUYER)
_SHIP_ID, _SHIP_SCHEME, _SHIP_COMPANY = "MY-SHIP-ID", "MY-SHIP-ID-SCHEME", "MY-SHIP-COMPANY-ID"

# one identifier: its term and its scheme (None: no schemeID)
_Id = tuple[Term, str | None]


def _issue(term: Term, reason: str, to: str) -> Issue:
    """A value not carried to its place in ``to`` (left as it was, or, where ``to`` cannot
    hold it at all, not written)."""
    return not_carried(term, reason, to=to)


def _identifiers(group: Group, term: str, scheme: str) -> list[_Id] | None:
    """A group's identifiers with their schemes, paired as the writers pair them (by
    location, else by position when every identifier has one); None when they cannot be
    told apart."""
    ids = group.all(term)
    schemes = group.all(scheme)
    if not schemes:
        return [(t, None) for t in ids]
    by_loc = {s.loc.rpartition("/@")[0]: s for s in schemes if "/@" in s.loc}
    if by_loc and all(t.loc for t in ids) and len(by_loc) == len(schemes):
        found = [(t, by_loc.get(t.loc)) for t in ids]
        if sum(s is not None for _, s in found) == len(schemes):
            return [(t, s.text.strip() if s is not None else None) for t, s in found]
    if len(schemes) == len(ids):
        return [(t, s.text.strip()) for t, s in zip(ids, schemes, strict=True)]
    return None


def _write_identifiers(
    terms: dict[str, list[Term]], term: str, scheme: str, items: list[_Id], where: str
) -> None:
    """Set ``term`` and its ``scheme`` sub-terms in ``terms`` (a group's copy) to ``items``,
    each scheme located on its identifier (``loc/@schemeID``) so that writers pair them."""
    ids: list[Term] = []
    schemes: list[Term] = []
    seen: set[str] = set()
    for i, (t, s) in enumerate(items):
        loc = t.loc if t.loc and t.loc not in seen else f"{where}/{term}[{i + 1}]"
        seen.add(loc)
        ids.append(Term(term, t.text, loc, {}))
        if s is not None:
            schemes.append(Term(scheme, s, f"{loc}/@schemeID"))
    for tid, found in ((term, ids), (scheme, schemes)):
        if found:
            terms[tid] = found
        else:
            terms.pop(tid, None)


def _moved(t: Term, term_id: str, **attrs: str) -> Term:
    return Term(term_id, t.text, t.loc, dict(attrs))


def _with_group(doc: Invoice, group_id: str, new: Group, old: Group) -> None:
    doc.groups[group_id] = [new if g is old else g for g in doc.groups[group_id]]


# -- into PINT MY -------------------------------------------------------------------------


def _party_to_pint(party: Group, p: _Party, issues: list[Issue]) -> Group:
    pairs = _identifiers(party, p.ident, f"{p.ident}-1")
    if not pairs:
        return _address_to_pint(party, p)
    by_scheme: dict[str, list[Term]] = {}
    for t, s in pairs:
        by_scheme.setdefault(s or "", []).append(t)

    def single(scheme: str, free: bool) -> Term | None:
        found = by_scheme.get(scheme, [])
        if len(found) == 1 and free:
            return found[0]
        if len(found) > 1:
            issues.append(
                _issue(
                    found[0],
                    f"not moved to its PINT MY place: the {party.id} gives {len(found)} "
                    f"identifiers under schemeID {scheme}, PINT MY one",
                    "my-pint",
                )
            )
        return None

    out = party.copy()
    terms = out.terms
    tin = single("TIN", True)
    brn = single("BRN", not party.has(p.legal))
    sst = single("SST", not party.has(p.vat))
    ttx = single("TTX", not party.has(p.tax))
    taken = {id(t) for t in (tin, brn, sst, ttx) if t is not None}
    kept: list[_Id] = [(t, s) for t, s in pairs if id(t) not in taken]
    if brn is not None:
        terms[p.legal] = [_moved(brn, p.legal)]
    if sst is not None:
        terms[p.vat] = [_moved(sst, p.vat)]
    tax: list[Term] = []
    if tin is not None:
        if p is _SELLER and ttx is None and not party.has(p.tax):
            tax.append(_moved(tin, p.tax, **{_TAX_SCHEME: _TIN_TAX_SCHEME}))
        else:
            kept.insert(0, (tin, None))  # the TIN as a party identifier with no schemeID
    if ttx is not None:
        tax.append(_moved(ttx, p.tax, **{_TAX_SCHEME: _TTX_TAX_SCHEME}))
    if tax:
        terms[p.tax] = tax
    for t, s in kept:
        if s in _REGISTRATION:
            issues.append(
                _issue(
                    t,
                    f"kept as a party identifier with schemeID {s}: PINT MY has no place for "
                    "an individual's identification number",
                    "my-pint",
                )
            )
    _write_identifiers(terms, p.ident, f"{p.ident}-1", kept, party.loc)
    return _address_to_pint(out, p)


def _address_to_pint(party: Group, p: _Party) -> Group:
    """MyInvois's Address Line 0, 1, 2 as PINT MY's street name, additional street name
    and address line, where there is more than one line (one line is an address line in
    both; a fourth and more stay address lines, which ibr-sr-53/54 report)."""
    address = party.child(p.address)
    if address is None:
        return party
    lines = address.all(p.line)
    if len(lines) < 2 or p.street in address.terms or p.more in address.terms:
        return party
    new = address.copy()
    new.terms[p.street] = [_moved(lines[0], p.street)]
    new.terms[p.more] = [_moved(lines[1], p.more)]
    if len(lines) > 2:
        new.terms[p.line] = lines[2:]
    else:
        del new.terms[p.line]
    out = party.copy()
    out.groups[p.address] = [new if g is address else g for g in party.children(p.address)]
    return out


def _delivery_to_pint(delivery: Group, issues: list[Issue]) -> Group:
    pairs = _identifiers(delivery, _SHIP_ID, _SHIP_SCHEME)
    if not pairs:
        return delivery
    tins = [t for t, s in pairs if s == "TIN"]
    brns = [t for t, s in pairs if s == "BRN"]
    if len(tins) > 1 or len(brns) > 1:
        issues.append(
            _issue(
                (tins if len(tins) > 1 else brns)[0],
                "not moved: the shipping recipient gives several identifiers under one scheme",
                "my-pint",
            )
        )
        return delivery
    brn = brns[0] if brns and not delivery.has(_SHIP_COMPANY) else None
    if not tins and brn is None:
        return delivery
    out = delivery.copy()
    kept: list[_Id] = []
    for t, s in pairs:
        if s == "TIN":
            kept.append((t, None))
        elif brn is None or t is not brn:
            kept.append((t, s))
    if brn is not None:
        out.terms[_SHIP_COMPANY] = [_moved(brn, _SHIP_COMPANY)]
    _write_identifiers(out.terms, _SHIP_ID, _SHIP_SCHEME, kept, delivery.loc)
    return out


def parties_to_pint(doc: Invoice) -> Invoice:
    """``doc`` with its parties terms where PINT MY states them.

    A MyInvois supplier's and buyer's identifiers (``cbc:ID`` by ``schemeID``) are moved
    to PINT MY's places (TIN, BRN, SST and TTX: see the module's table), a shipping
    recipient's TIN and BRN likewise, and a party address's three address lines become
    street name, additional street name and address line. What has no PINT MY place is
    kept as it was and listed in the document's issues.
    """
    issues = list(doc.issues)
    out = doc.reshaped(groups=dict(doc.groups), issues=issues)
    changed = False
    for p in _PARTIES:
        for g in doc.children(p.group):
            new = _party_to_pint(g, p, issues)
            if new is not g:
                _with_group(out, p.group, new, g)
                changed = True
    for g in doc.children("BG-13"):
        new = _delivery_to_pint(g, issues)
        if new is not g:
            _with_group(out, "BG-13", new, g)
            changed = True
    return out if changed or len(issues) != len(doc.issues) else doc


# -- into MyInvois ------------------------------------------------------------------------


def _from_pint_my(doc: Invoice) -> bool:
    """True when the document is a PINT MY one (its specification id, or that of the tree
    it was read from: the MyInvois chain drops BG-2 before this step)."""
    control = doc.child("BG-2")
    spec = control.value("BT-24") if control is not None else None
    if spec is None and doc.tree is not None:
        try:
            spec = doc.tree.findtext(
                "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
                "CustomizationID"
            )
        except (AttributeError, TypeError, ValueError):
            spec = None
    spec = (spec or "").strip()
    return spec.startswith((MY_CUSTOMIZATION, MY_SELFBILLING_CUSTOMIZATION))


def _tin(candidates: list[Term], party: Group, issues: list[Issue]) -> Term | None:
    """The one TIN the candidates state (the same value stated twice is one), else None
    (several different values are listed: which is the TIN is not guessed)."""
    values = dict.fromkeys(t.text.strip() for t in candidates if t.text.strip())
    if len(values) == 1:
        return candidates[0]
    if len(values) > 1:
        issues.append(
            _issue(
                candidates[0],
                f"not stated as the {party.id}'s TIN: PINT MY states several candidates "
                f"({', '.join(v[:20] for v in values)})",
                "my-myinvois",
            )
        )
    return None


def _party_to_myinvois(party: Group, p: _Party, pint: bool, issues: list[Issue]) -> Group:
    pairs = _identifiers(party, p.ident, f"{p.ident}-1")
    if pairs is None:
        return _address_to_myinvois(party, p)
    out: Group | None = None  # the party's copy, made when something changes
    items: list[_Id] = []
    changed = False
    unschemed: list[Term] = []
    for t, s in pairs:
        if s is None:
            unschemed.append(t)
        elif s in _MYINVOIS_SCHEMES:
            items.append((t, s))
        else:
            issues.append(
                _issue(
                    t,
                    f"not carried: MyInvois takes no party identifier under schemeID {s[:10]} "
                    "(its schemes: TIN, BRN, NRIC, PASSPORT, ARMY, SST, TTX)",
                    "my-myinvois",
                )
            )
            changed = True
    have = {s for _, s in items}
    if pint:
        out = party.copy()
        terms = out.terms
        others = [t for t in party.all(p.tax) if t.text.strip()]
        ttx = [t for t in others if _scheme_of(t, p) in _TTX_TAX_SCHEMES]
        tin_terms = [t for t in others if _scheme_of(t, p) not in _TTX_TAX_SCHEMES]
        moved: list[Term] = []
        if "TIN" not in have:
            tin = _tin(tin_terms + unschemed, party, issues)
            if tin is not None:
                items.append((tin, "TIN"))
                unschemed = [t for t in unschemed if t.text.strip() != tin.text.strip()]
                moved.extend(tin_terms)
        if "TTX" not in have and len(ttx) == 1:
            items.append((ttx[0], "TTX"))
            moved.append(ttx[0])
        if moved or len(unschemed) != len([t for t, s in pairs if s is None]):
            changed = True
            rest = [t for t in party.all(p.tax) if all(t is not m for m in moved)]
            if rest:
                terms[p.tax] = rest
            else:
                terms.pop(p.tax, None)
        for term_id, scheme, held in ((p.legal, "BRN", _REGISTRATION), (p.vat, "SST", {"SST"})):
            found = party.all(term_id)
            if not have & held and len(found) == 1 and found[0].text.strip():
                if term_id == p.legal and party.has(f"{p.legal}-1"):
                    continue  # a legal registration under an ICD scheme is not a BRN
                items.append((found[0], scheme))
                del terms[term_id]
                changed = True
    if not changed:
        return _address_to_myinvois(party, p)
    if out is None:
        out = party.copy()
    items.extend((t, None) for t in unschemed)
    items.sort(key=lambda i: _RANK.get(i[1] or "", 9))
    _write_identifiers(out.terms, p.ident, f"{p.ident}-1", items, party.loc)
    return _address_to_myinvois(out, p, copied=True)


def _scheme_of(term: Term, p: _Party) -> str:
    default = "TAX" if p is _SELLER else "GST"  # the UBL binding's constants
    return term.attrs.get(_TAX_SCHEME, default).strip()


def _state(address: Group, p: _Party) -> str | None:
    """The LHDN state code a Malaysian address's subentity names, or None."""
    country = (address.value(p.country) or "").strip().upper()
    text = (address.value(p.subentity) or "").strip()
    if country not in _MALAYSIA or not text:
        return None
    if text in states():
        return text
    return _state_by_name().get(" ".join(text.casefold().split()))


def _address_to_myinvois(party: Group, p: _Party, copied: bool = False) -> Group:
    """The party with its address as MyInvois states it; ``copied``: ``party`` is a copy of
    this step's own, changed in place."""
    address = party.child(p.address)
    if address is None:
        return party
    street, more = address.all(p.street), address.all(p.more)
    code = None if address.has("MY-STATE") else _state(address, p)
    if not street and not more and code is None:
        return party
    new = address.copy()
    if street or more:
        new.terms[p.line] = [_moved(t, p.line) for t in street + more] + address.all(p.line)
        new.terms.pop(p.street, None)
        new.terms.pop(p.more, None)
    if code is not None:
        new.terms["MY-STATE"] = [Term("MY-STATE", code)]
    out = party if copied else party.copy()
    out.groups[p.address] = [new if g is address else g for g in party.children(p.address)]
    return out


def _delivery_to_myinvois(delivery: Group, pint: bool, issues: list[Issue]) -> Group:
    pairs = _identifiers(delivery, _SHIP_ID, _SHIP_SCHEME)
    if pairs is None:
        return delivery
    items: list[_Id] = []
    changed = False
    for t, s in pairs:
        if s is None and pint:
            items.append((t, "TIN"))
            changed = True
        elif s is None or s in _MYINVOIS_SCHEMES:
            items.append((t, s))
        else:
            issues.append(
                _issue(
                    t,
                    f"not carried: MyInvois takes no shipping recipient identifier under "
                    f"schemeID {s[:10]}",
                    "my-myinvois",
                )
            )
            changed = True
    company = delivery.all(_SHIP_COMPANY)
    out = delivery.copy()
    if pint and len(company) == 1 and not any(s in _REGISTRATION for _, s in items):
        items.append((company[0], "BRN"))
        del out.terms[_SHIP_COMPANY]
        changed = True
    if not changed:
        return delivery
    items.sort(key=lambda i: _RANK.get(i[1] or "", 9))
    _write_identifiers(out.terms, _SHIP_ID, _SHIP_SCHEME, items, delivery.loc)
    return out


def parties_to_myinvois(doc: Invoice) -> Invoice:
    """``doc`` with its parties terms where MyInvois states them.

    A PINT MY supplier's and buyer's TIN, BRN, SST and tourism tax registrations (see the
    module's table) become party identifiers with MyInvois schemeIDs, and a shipping
    recipient's; an identifier under a scheme MyInvois does not take is not carried and
    is listed. Any source's street name and additional street name become address lines,
    and a Malaysian address's state name its state code.
    """
    issues = list(doc.issues)
    out = doc.reshaped(groups=dict(doc.groups), issues=issues)
    pint = _from_pint_my(doc)
    changed = False
    for p in _PARTIES:
        for g in doc.children(p.group):
            new = _party_to_myinvois(g, p, pint, issues)
            if new is not g:
                _with_group(out, p.group, new, g)
                changed = True
    for g in doc.children("BG-13"):
        new = _delivery_to_myinvois(g, pint, issues)
        if new is not g:
            _with_group(out, "BG-13", new, g)
            changed = True
    return out if changed or len(issues) != len(doc.issues) else doc
