"""Between MyInvois and PINT MY: the document mappings, one step each way.

Each step is a :data:`~defa.einvoice.profiles.Prepare` in the target format's chain
(:mod:`defa.countries.my.einvoice`). MyInvois (LHDN SDK, "Document Types" v1.0/v1.1) and
PINT MY 1.3.1 state many of the same facts in other places or other code lists; each step
moves them to where the target states them, and the other step moves them back, so that a
document converted there and back holds every value it held:

* Tax scheme. MyInvois names every tax category's scheme ``OTH`` (``schemeID="UN/ECE
  5153"``, ``schemeAgencyID="6"``: tax type rows of the field tables); PINT MY states the
  Malaysian categories under ``VAT`` and tourism tax ``TTX`` under ``AAL``
  (aligned-ibrp-047, data ``pint-my-tax-categories``). Both the document's tax breakdown
  (BG-23) and the line tax totals MyInvois adds (``MY-LINE-TAX``) are so restated.
* Tax type of a line tax total (``MY-LINE-TAX-TYPE``): MyInvois 01..06/E and PINT MY
  SA/SE/TTX/HVG/LVG/O/E, by the tax crosswalk (schemes ``myinvois`` and ``my-sst``), as
  :func:`~defa.einvoice.profiles.map_tax_categories` maps the EN 16931 category terms.
* Tax rate. A MyInvois line states its percentage in its tax subtotal
  (``cbc:Percent``, ``MY-LINE-TAX-RATE``), PINT MY in the subtotal's category
  (``MY-LINE-TAX-CATEGORY-RATE``; aligned-ibrp-048). A MyInvois tax breakdown states no
  rate; PINT MY wants one (BT-119, aligned-ibrp-048): it is the rate every line of that
  category states, when they all state one and the same (else none is made).
* Line tax category (BG-30). PINT MY states a line's category and rate in
  ``cac:Item/cac:ClassifiedTaxCategory`` (BT-151, BT-152; its per-category sums,
  aligned-ibrp-sa-08 and the like, read them there); MyInvois in the line's tax total. A
  line whose tax total has one subtotal with a tax type and a percentage gets that
  category; on the way back a category equal to the tax total's is not written twice.
* Tax accounting currency (BT-6): MyInvois writes ``cbc:TaxCurrencyCode`` even when it is
  the invoice currency; PINT MY states it only when it differs (ibr-077). It is dropped
  when equal to BT-5 and written back equal to BT-5 when absent.
* Total prepaid amount (BT-113): PINT derives it from the prepayments (ibr-093); MyInvois
  states only each prepayment's paid amount (``IBT-180``). The sum is stated when BT-113
  is absent and dropped on the way back when it is that sum.
* Item name (BT-153): MyInvois has only the "Description of Product or Service"
  (``cac:Item/cbc:Description``, mandatory), the text that names what is billed; PINT
  MY's item name is mandatory (ibr-025) and MyInvois's description is mandatory
  (MYINVOIS-62): each is made from the other when absent, and a name equal to the
  description is not written into MyInvois.
* Classification list ids (BT-158-1): MyInvois ``PTC`` (product tariff code) is UNCL 7143
  ``HS`` and ``CLASS`` (LHDN classification codes) is ``CG`` (LHDN's own PINT MY sample
  ``CompleteSample_LHDN.xml``: "LHDN listID CLASS is CG in MY PINT", "PTC is HS").
* Bill reference number: MyInvois's "supplier's internal billing reference number to
  facilitate payment from Buyer" (``cac:BillingReference/cac:AdditionalDocumentReference``)
  is what EN 16931 calls the remittance information (BT-83, ``cac:PaymentMeans/
  cbc:PaymentID``: "a textual value used to establish a link between the payment and the
  Invoice, issued by the Seller"). PINT MY reads every billing reference as a preceding
  invoice (ibr-055, ibr-sr-07), so it is moved there when the document has one payment
  instruction stating none; MyInvois has no ``cbc:PaymentID`` and gets it back.
* Payment means (BT-81): MyInvois payment modes 01..08 and UNCL 4461 by the crosswalk
  data ``my-payment-means``; a code with no single counterpart (MyInvois 07 digital bank,
  08 others; UNCL 4461 48 bank card, ZZZ, ...) is kept and reported. Several UNCL 4461
  codes are one MyInvois mode (30 and 42 are both a bank transfer, 03), which comes back
  as the code it maps to (30).
* A line's tax total, into MyInvois only: a PINT MY line may state only its category
  (BT-151) and rate (BT-152); MyInvois wants the line's tax amount and type (MYINVOIS-64,
  -65). For a percentage rate MyInvois's field table states the amount as the taxable
  amount times the rate, so the line tax total is made from the line's own net amount
  (BT-131), category and rate, rounded half up to the cent; a tourism tax (fixed amount
  per unit) is not made.
* Credit notes: PINT MY states a credit note (381, self-billed 261) on a ``CreditNote``
  root (ibr-cl-01); MyInvois states every type on an Invoice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache

from defa import data
from defa.einvoice import crosswalk
from defa.einvoice.model import Group, Invoice, Term, not_carried
from defa.einvoice.profiles import today
from defa.errors import DefaError, Issue

__all__ = [
    "CLASSIFICATION_TO_PINT",
    "MYINVOIS_TAX_SCHEME",
    "document_to_myinvois",
    "document_to_pint",
    "payment_means",
]

#: MyInvois's tax scheme of every tax type (field tables: ``cac:TaxScheme/cbc:ID
#: [schemeID="UN/ECE 5153" schemeAgencyID="6"] = "OTH"``).
MYINVOIS_TAX_SCHEME = Term(
    "MY-TAX-SCHEME", "OTH", attrs={"schemeID": "UN/ECE 5153", "schemeAgencyID": "6"}
)
#: MyInvois classification list ids and PINT MY's UNCL 7143 ids of the same lists.
CLASSIFICATION_TO_PINT: Mapping[str, str] = {"PTC": "HS", "CLASS": "CG"}
_CLASSIFICATION_TO_MYINVOIS = {v: k for k, v in CLASSIFICATION_TO_PINT.items()}
_TOURISM = {"TTX", "03"}  # tourism tax: PINT MY scheme AAL, a fixed amount, no rate
_SCHEME_TERM = "MY-TAX-SCHEME"
_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)
_CREDIT_NOTES = frozenset({"381", "261"})  # UNTDID 1001: credit note, self-billed credit note


# -- small copying helpers -------------------------------------------------------------------


def _retext(term: Term, text: str, attrs: dict[str, str] | None = None) -> Term:
    return Term(term.id, text, term.loc, dict(term.attrs if attrs is None else attrs))


def _each(group: Group, gid: str, change: Callable[[Group], Group | None]) -> Group:
    """``group`` with each subgroup ``gid`` replaced by ``change``'s copy (None: kept)."""
    subs = group.children(gid)
    if not subs:
        return group
    new = [change(g) for g in subs]
    if new.count(None) == len(new):
        return group
    out = group.copy()
    out.groups[gid] = [n if n is not None else g for n, g in zip(new, subs, strict=True)]
    return out


def _view(term: Term) -> object:
    # a term as :meth:`Group.to_dict` states it
    return term.text if not term.attrs else {"text": term.text, **term.attrs}


def _changed(copy: Group, group: Group) -> Group | None:
    """``copy`` (``group.copy()`` with terms replaced or removed) if its content differs
    from ``group``'s, else None: ``copy.to_dict() != group.to_dict()``, comparing only the
    occurrence lists the copy does not share (the whole dicts where it is not so simple)."""
    terms, before = copy.terms, group.terms
    if (copy.groups or group.groups) and (
        copy.groups.keys() != group.groups.keys()
        or any(copy.groups[gid] is not subs for gid, subs in group.groups.items())
    ):
        return copy if copy.to_dict() != group.to_dict() else None
    touched = [tid for tid, found in terms.items() if before.get(tid) is not found]
    touched.extend(tid for tid in before if tid not in terms)
    if not touched:
        return None
    if any(tid in group.groups for tid in touched):  # a term id that is a group's too
        return copy if copy.to_dict() != group.to_dict() else None
    if terms.keys() != before.keys():
        return copy
    same = all([_view(t) for t in terms[tid]] == [_view(t) for t in before[tid]] for tid in touched)
    return None if same else copy


# -- code mappings ---------------------------------------------------------------------------


@cache
def _payment_table() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    content = data.load("my-payment-means").content
    unmapped = content.get("unmapped", {})
    return (
        dict(content["to_uncl4461"]),
        dict(content["from_uncl4461"]),
        dict(unmapped.get("myinvois", {})),
        dict(unmapped.get("uncl4461", {})),
    )


def payment_means(code: str, to: str) -> tuple[str | None, str]:
    """A payment means code in the other list: ``to`` ``"uncl4461"`` (from a MyInvois
    payment mode) or ``"myinvois"`` (from UNCL 4461, PINT's Z01-Z08 included).

    Returns ``(code, "")`` when the crosswalk ``my-payment-means`` pairs it, else
    ``(None, reason)``: a code the crosswalk lists as having no single counterpart, or
    one it does not know."""
    forward, backward, open_my, open_uncl = _payment_table()
    key = code.strip()
    table, open_, name = (
        (forward, open_my, "MyInvois payment mode")
        if to == "uncl4461"
        else (backward, open_uncl, "UNCL 4461 code")
    )
    if key in table:
        return table[key], ""
    if key in open_:
        return None, str(open_[key])
    return None, f"not a {name} the crosswalk my-payment-means knows"


# codes come from documents (any text), one answer per crosswalk day: a bounded cache
@lru_cache(maxsize=1024)
def _tax_type(code: str, from_scheme: str, to_scheme: str, on: date) -> str | None:
    """A tax category code in ``to_scheme`` where the crosswalk in force on ``on`` maps it
    one to one."""
    try:
        if code in crosswalk.scheme_codes(to_scheme, on):
            return code
        return crosswalk.map_category(code, from_scheme, to_scheme, on).value
    except DefaError:
        return None


def _decimal(term: Term | None) -> Decimal | None:
    return term.decimal() if term is not None else None


# -- the line tax total (MY-LINE-TAX) --------------------------------------------------------


def _subtotal_rate(sub: Group) -> Term | None:
    """The percentage a line tax subtotal states: MyInvois's place, else PINT MY's."""
    return sub.term("MY-LINE-TAX-RATE") or sub.term("MY-LINE-TAX-CATEGORY-RATE")


def _subtotal_to_pint(sub: Group) -> Group | None:
    out = sub.copy()
    kind = sub.term("MY-LINE-TAX-TYPE")
    if kind is not None:
        code = _tax_type(kind.text.strip(), "myinvois", "my-sst", today())
        if code is not None and code != kind.text:
            out.terms["MY-LINE-TAX-TYPE"] = [_retext(kind, code), *sub.all("MY-LINE-TAX-TYPE")[1:]]
    code_now = out.value("MY-LINE-TAX-TYPE")
    tourism = code_now is not None and code_now.strip() in _TOURISM
    _scheme_to_pint(out, tourism)
    rate = sub.term("MY-LINE-TAX-RATE")
    if rate is not None and not tourism and not sub.has("MY-LINE-TAX-CATEGORY-RATE"):
        out.terms["MY-LINE-TAX-CATEGORY-RATE"] = [Term("MY-LINE-TAX-CATEGORY-RATE", rate.text)]
    return _changed(out, sub)


def _subtotal_to_myinvois(sub: Group) -> Group | None:
    out = sub.copy()
    kind = sub.term("MY-LINE-TAX-TYPE")
    if kind is not None:
        code = _tax_type(kind.text.strip(), "my-sst", "myinvois", today())
        if code is not None and code != kind.text:
            out.terms["MY-LINE-TAX-TYPE"] = [_retext(kind, code), *sub.all("MY-LINE-TAX-TYPE")[1:]]
    _scheme_to_myinvois(out)
    rate = sub.term("MY-LINE-TAX-RATE")
    category = sub.term("MY-LINE-TAX-CATEGORY-RATE")
    if category is not None and len(sub.all("MY-LINE-TAX-CATEGORY-RATE")) == 1:
        if rate is None:
            out.terms["MY-LINE-TAX-RATE"] = [Term("MY-LINE-TAX-RATE", category.text)]
            del out.terms["MY-LINE-TAX-CATEGORY-RATE"]
        elif rate.text == category.text:
            del out.terms["MY-LINE-TAX-CATEGORY-RATE"]
    return _changed(out, sub)


def _scheme_to_pint(group: Group, tourism: bool) -> bool:
    """MyInvois's ``OTH`` scheme (exactly as MyInvois writes it) made PINT MY's; whether
    it was (a change: ``OTH`` with attributes becomes ``VAT`` or ``AAL`` with none)."""
    found = group.all(_SCHEME_TERM)
    if len(found) == 1 and _is_myinvois_scheme(found[0]):
        group.terms[_SCHEME_TERM] = [Term(_SCHEME_TERM, "AAL" if tourism else "VAT")]
        return True
    return False


def _scheme_to_myinvois(group: Group) -> bool:
    """PINT MY's ``VAT`` or ``AAL`` scheme made MyInvois's ``OTH``; whether it was."""
    found = group.all(_SCHEME_TERM)
    if len(found) == 1 and not found[0].attrs and found[0].text.strip() in ("VAT", "AAL"):
        scheme = MYINVOIS_TAX_SCHEME
        group.terms[_SCHEME_TERM] = [Term(scheme.id, scheme.text, attrs=dict(scheme.attrs))]
        return True
    return False


def _is_myinvois_scheme(term: Term) -> bool:
    return term.text.strip() == MYINVOIS_TAX_SCHEME.text and term.attrs == MYINVOIS_TAX_SCHEME.attrs


def _line_tax(line: Group, to_pint: bool) -> Group:
    if "MY-LINE-TAX" not in line.groups:  # most lines (all but MyInvois's and PINT MY's)
        return line
    change = _subtotal_to_pint if to_pint else _subtotal_to_myinvois
    return _each(
        line, "MY-LINE-TAX", lambda tax: _each_or_none(tax, "MY-LINE-TAX-SUBTOTAL", change)
    )


def _each_or_none(group: Group, gid: str, change: Callable[[Group], Group | None]) -> Group | None:
    out = _each(group, gid, change)
    return None if out is group else out


def _made_line_tax(line: Group, types: frozenset[str]) -> Group | None:
    """A MyInvois line tax total made from a line's own category (BT-151, already a
    MyInvois tax type: one of ``types``), percentage rate (BT-152) and net amount (BT-131);
    None when the line lacks one of them, states a tourism tax (a fixed amount per unit) or
    a category that is no MyInvois tax type."""
    info = line.child("BG-30")
    net = line.term("BT-131")
    if info is None or net is None:
        return None
    category, rate = info.term("BT-151"), info.term("BT-152")
    if category is None or rate is None:
        return None
    code = category.text.strip()
    if code in _TOURISM or code not in types:  # before the numbers are read: cheaper
        return None
    amount, percent = _decimal(net), _decimal(rate)
    if amount is None or percent is None:
        return None
    currency = {"currencyID": net.attrs["currencyID"]} if "currencyID" in net.attrs else {}
    try:
        tax = (amount * percent / _HUNDRED).quantize(_CENT, rounding=ROUND_HALF_UP)
    except ArithmeticError:  # more digits than a cent of it can be stated in
        return None
    tax = abs(tax) if tax == 0 else tax  # no "-0.00"
    sub = Group("MY-LINE-TAX-SUBTOTAL")
    sub.set("MY-LINE-TAXABLE", net.text, **currency)
    sub.set("MY-LINE-TAX-SUB-AMOUNT", str(tax), **currency)
    sub.set("MY-LINE-TAX-RATE", rate.text)
    sub.set("MY-LINE-TAX-TYPE", code)
    scheme = MYINVOIS_TAX_SCHEME
    sub.add(Term(scheme.id, scheme.text, attrs=dict(scheme.attrs)))
    total = Group("MY-LINE-TAX")
    total.set("MY-LINE-TAX-AMOUNT", str(tax), **currency)
    total.add_group(sub)
    return total


def _single_subtotal(line: Group) -> Group | None:
    """The one subtotal of a line's one tax total, if so."""
    taxes = line.children("MY-LINE-TAX")
    subs = taxes[0].children("MY-LINE-TAX-SUBTOTAL") if len(taxes) == 1 else []
    return subs[0] if len(subs) == 1 else None


def _category_of(line: Group) -> tuple[str, str] | None:
    """The line tax category (BG-30: code, percentage) a line's tax total states: its one
    subtotal's tax type and percentage; None for a tourism tax, several taxes, or none."""
    sub = _single_subtotal(line)
    if sub is None or len(sub.all("MY-LINE-TAX-TYPE")) != 1:
        return None
    code = (sub.value("MY-LINE-TAX-TYPE") or "").strip()
    rate = _subtotal_rate(sub)
    if not code or code in _TOURISM or rate is None or rate.decimal() is None:
        return None
    return code, rate.text


def _category_to_pint(line: Group) -> Group:
    """A line with no tax category (BG-30) gets the one its tax total states."""
    found = _category_of(line)
    if line.children("BG-30") or found is None:
        return line
    info = Group("BG-30")
    info.set("BT-151", found[0])
    info.set("BT-152", found[1])
    out = line.copy()
    out.groups["BG-30"] = [info]
    return out


def _category_to_myinvois(line: Group) -> Group:
    """A line's tax category (BG-30) that its tax total states already is not written
    twice: MyInvois states a line's tax in its tax total only."""
    infos = line.children("BG-30")
    if len(infos) != 1 or infos[0].groups:
        return line
    found = _category_of(line)
    if found is None:
        return line
    info = infos[0]
    if set(info.terms) != {"BT-151", "BT-152"} or any(len(v) != 1 for v in info.terms.values()):
        return line
    code, rate = info.all("BT-151")[0], info.all("BT-152")[0]
    if code.attrs or rate.attrs or code.text.strip() != found[0]:
        return line
    if rate.decimal() is None or rate.decimal() != Decimal(found[1]):
        return line
    out = line.copy()
    del out.groups["BG-30"]
    return out


# -- the document tax breakdown (BG-23) ------------------------------------------------------


def _line_rates(doc: Group, category: str) -> dict[Decimal, str] | None:
    """The rates the lines' tax totals state for ``category`` (each with the text it is
    first stated in); None when a line of that category states none (or not a number)."""
    rates: dict[Decimal, str] = {}
    for line in doc.children("BG-25"):
        for tax in line.children("MY-LINE-TAX"):
            for sub in tax.children("MY-LINE-TAX-SUBTOTAL"):
                if (sub.value("MY-LINE-TAX-TYPE") or "").strip() != category:
                    continue
                term = _subtotal_rate(sub)
                rate = _decimal(term)
                if term is None or rate is None:
                    return None
                rates.setdefault(rate, term.text)
    return rates


def _derived_rate(doc: Group, breakdown: Group) -> str | None:
    """The rate of a breakdown's category that every line of it states, if one, as the
    first line states it."""
    category = (breakdown.value("BT-118") or "").strip()
    if not category or category in _TOURISM:
        return None
    rates = _line_rates(doc, category)
    return next(iter(rates.values())) if rates is not None and len(rates) == 1 else None


# The breakdown and item steps change a copy only where its content changes (a scheme
# restated, a rate or name made or dropped, a list id relisted): a copy they changed
# differs from the group, with no comparison.


def _breakdown_to_pint(doc: Group, breakdown: Group) -> Group | None:
    out = breakdown.copy()
    code = (breakdown.value("BT-118") or "").strip()
    changed = _scheme_to_pint(out, code in _TOURISM)
    if not breakdown.has("BT-119"):
        rate = _derived_rate(doc, breakdown)  # a number's text: never blank
        if rate is not None:
            out.terms["BT-119"] = [Term("BT-119", rate)]
            changed = True
    return out if changed else None


def _breakdown_to_myinvois(doc: Group, breakdown: Group) -> Group | None:
    out = breakdown.copy()
    changed = _scheme_to_myinvois(out)
    stated = breakdown.all("BT-119")
    if len(stated) == 1 and not stated[0].attrs and _derived_rate(doc, breakdown) == stated[0].text:
        del out.terms["BT-119"]  # the lines state it; MyInvois has no breakdown rate
        changed = True
    return out if changed else None


# -- totals ------------------------------------------------------------------------------


def _prepaid_sum(doc: Group) -> tuple[Decimal, dict[str, str]] | None:
    """The sum of the prepayments' paid amounts (IBT-180), with the first one's
    currency; None when there is none or one is no number."""
    paid = [t for g in doc.children("MY-PREPAID") for t in g.all("IBT-180")]
    if not paid:
        return None
    values = [t.decimal() for t in paid]
    if any(v is None for v in values):
        return None
    total = sum((v for v in values if v is not None), Decimal(0))
    attrs = {"currencyID": paid[0].attrs["currencyID"]} if "currencyID" in paid[0].attrs else {}
    return total, attrs


# -- items -------------------------------------------------------------------------------


def _item_to_pint(item: Group) -> Group | None:
    out = item.copy()
    changed = False
    description = item.term("BT-154")
    if not item.has("BT-153") and description is not None and description.text.strip():
        out.terms["BT-153"] = [Term("BT-153", description.text)]
        changed = True
    changed = _relist(out, CLASSIFICATION_TO_PINT) or changed
    return out if changed else None


def _item_to_myinvois(item: Group) -> Group | None:
    out = item.copy()
    changed = False
    name = item.term("BT-153")
    if name is not None and len(item.all("BT-153")) == 1:
        if not item.has("BT-154"):
            out.terms["BT-154"] = [Term("BT-154", name.text)]
            del out.terms["BT-153"]
            changed = True
        elif item.value("BT-154") == name.text:
            del out.terms["BT-153"]  # the name is the description, written once
            changed = True
    changed = _relist(out, _CLASSIFICATION_TO_MYINVOIS) or changed
    return out if changed else None


def _relist(item: Group, table: Mapping[str, str]) -> bool:
    """The classification list ids (BT-158-1) of ``table`` replaced in ``item``; whether
    there was one (its id becomes another: a change)."""
    found = item.all("BT-158-1")
    if found and any(t.text.strip() in table for t in found):
        item.terms["BT-158-1"] = [
            _retext(t, table[t.text.strip()]) if t.text.strip() in table else t for t in found
        ]
        return True
    return False


# -- the bill reference number -----------------------------------------------------------


def _bill_to_pint(doc: Group) -> Group:
    """MyInvois's bill reference number (``MY-BILL-REF``) as the payment's remittance
    information (BT-83) of the one payment instruction (BG-16) that has none."""
    bills, means = doc.children("MY-BILLING"), doc.children("BG-16")
    if len(bills) != 1 or set(bills[0].terms) != {"MY-BILL-REF"} or bills[0].groups:
        return doc
    ref = bills[0].all("MY-BILL-REF")
    if len(ref) != 1 or ref[0].attrs or len(means) != 1 or means[0].all("BT-83"):
        return doc
    out, payment = doc.copy(), means[0].copy()
    payment.terms["BT-83"] = [Term("BT-83", ref[0].text)]
    out.groups["BG-16"] = [payment]
    del out.groups["MY-BILLING"]
    return out


def _bill_to_myinvois(doc: Group) -> Group:
    """The one payment instruction's remittance information (BT-83) as MyInvois's bill
    reference number, MyInvois's field for it (it has no ``cbc:PaymentID``)."""
    means = doc.children("BG-16")
    if doc.children("MY-BILLING") or len(means) != 1:
        return doc
    ref = means[0].all("BT-83")
    if len(ref) != 1 or ref[0].attrs:
        return doc
    out, payment = doc.copy(), means[0].copy()
    del payment.terms["BT-83"]
    out.groups["BG-16"] = [payment]
    bill = Group("MY-BILLING")
    bill.set("MY-BILL-REF", ref[0].text)
    out.groups["MY-BILLING"] = [bill]
    return out


# -- the steps ---------------------------------------------------------------------------


@cache
def _myinvois_modes() -> frozenset[str]:
    return frozenset(data.load("my-myinvois-codes").content["codes"]["payment_modes"])


def _payment(doc: Group, to: str, issues: list[Issue]) -> Group:
    def change(means: Group) -> Group | None:
        codes = means.all("BT-81")
        if not codes:
            return None
        new: list[Term] = []
        modes = _myinvois_modes()
        for term in codes:
            # only a MyInvois payment mode is mapped into UNCL 4461, only another code
            # into MyInvois: a code already of the target's list is left as it is
            if (term.text.strip() in modes) != (to == "uncl4461"):
                new.append(term)
                continue
            code, reason = payment_means(term.text, to)
            if code is None:
                issues.append(not_carried(term, f"not carried: {reason}"))
                new.append(term)
            else:
                new.append(_retext(term, code))
        if all(a is b for a, b in zip(new, codes, strict=True)):
            return None
        out = means.copy()
        out.terms["BT-81"] = new
        return out

    return _each(doc, "BG-16", change)


def _lines(doc: Group, to_pint: bool, types: frozenset[str] = frozenset()) -> Group:
    """The lines (BG-25) as PINT MY or MyInvois states them; ``types``: MyInvois's tax
    types, for the line tax totals made into MyInvois."""
    item_change = _item_to_pint if to_pint else _item_to_myinvois

    def change(line: Group) -> Group | None:
        out = _line_tax(line, to_pint)
        out = _each(out, "BG-31", item_change)
        if to_pint:
            out = _category_to_pint(out)
        else:
            if not line.children("MY-LINE-TAX"):
                made = _made_line_tax(line, types)
                if made is not None:
                    out = out.copy() if out is line else out
                    out.groups["MY-LINE-TAX"] = [made]
            out = _category_to_myinvois(out)
        return None if out is line else out

    return _each(doc, "BG-25", change)


def _result(doc: Invoice, body: Group, issues: list[Issue], kind: str | None = None) -> Invoice:
    out = doc.reshaped(body.terms, body.groups, issues)
    if kind == "credit-note":
        out.kind = "credit-note"
    return out


def document_to_pint(doc: Invoice) -> Invoice:
    """``doc`` with its document terms where PINT MY states them (see the module's
    description); the input is not changed."""
    issues = list(doc.issues)
    body: Group = doc.copy()
    # BT-6 only when it is not the invoice currency (ibr-077)
    same = (doc.value("BT-6") or "").strip() == (doc.value("BT-5") or "").strip()
    if doc.has("BT-6") and same and len(doc.all("BT-6")) == 1:
        del body.terms["BT-6"]
    # the total prepaid amount the prepayments make (ibr-093)
    prepaid = _prepaid_sum(doc)
    if prepaid is not None:

        def totals(group: Group) -> Group | None:
            if group.terms.get("BT-113"):
                return None
            out = group.copy()
            out.terms["BT-113"] = [Term("BT-113", str(prepaid[0]), attrs=prepaid[1])]
            return out

        body = _each(body, "BG-22", totals)
    body = _lines(body, to_pint=True)
    body = _each(body, "BG-23", lambda g: _breakdown_to_pint(body, g))
    body = _payment(body, "uncl4461", issues)
    body = _bill_to_pint(body)
    code = (doc.value("BT-3") or "").strip()
    kind = "credit-note" if code in _CREDIT_NOTES else None
    return _result(doc, body, issues, kind)


def document_to_myinvois(doc: Invoice) -> Invoice:
    """``doc`` with its document terms where MyInvois states them (see the module's
    description); the input is not changed."""
    issues = list(doc.issues)
    body: Group = doc.copy()
    if not doc.all("BT-6") and doc.has("BT-5"):
        body.terms["BT-6"] = [Term("BT-6", doc.value("BT-5") or "")]
    prepaid = _prepaid_sum(doc)
    if prepaid is not None:

        def totals(group: Group) -> Group | None:
            stated = group.all("BT-113")
            if len(stated) != 1 or stated[0].decimal() != prepaid[0]:
                return None
            out = group.copy()
            del out.terms["BT-113"]
            return out

        body = _each(body, "BG-22", totals)
    # the crosswalk of the day, looked up once for the document, not once per line
    body = _lines(body, to_pint=False, types=crosswalk.scheme_codes("myinvois", today()))
    body = _each(body, "BG-23", lambda g: _breakdown_to_myinvois(body, g))
    body = _payment(body, "myinvois", issues)
    body = _bill_to_myinvois(body)
    return _result(doc, body, issues)
