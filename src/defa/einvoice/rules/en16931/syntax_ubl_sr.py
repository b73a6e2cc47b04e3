"""UBL cardinality and data type rules of the EN 16931 artefacts: UBL-SR-*, UBL-DT-01/06/07.

The UBL schema lets many elements repeat that EN 16931 allows once; these rules count them in
each context element (the invoice, a line, a payment means, ...). The plain "at most N" counts
are rows of :data:`COUNTS`; the rest are written out. Rules and flags follow
``EN16931-UBL-syntax.sch`` of the validation artefacts 1.3.16; messages are our own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from defa.einvoice.model import Invoice
from defa.einvoice.rules.en16931 import EN16931
from defa.einvoice.rules.en16931._syntax import (
    ContextRules,
    Contexts,
    Guard,
    Test,
    root_of,
    string_value,
)
from defa.einvoice.rules.en16931.syntax_ubl import UBL, _clark, _name, index, kids, loc
from defa.einvoice.rules.engine import Findings

__all__ = ["COUNTS"]

Element = Any  # an lxml element


def _root(doc: Invoice) -> Element | None:
    return root_of(doc.tree)


def _at_root(root: Element) -> list[Element]:
    return [root]


_ANYWHERE: dict[str, Contexts] = {}


def _anywhere(name: str) -> Contexts:
    """The context "every ``name`` element": one function per name, so rules share it."""
    found = _ANYWHERE.get(name)
    if found is None:
        tag = _clark(name)
        found = _ANYWHERE[name] = lambda root: index(root).all(tag)
    return found


_INVOICE_LINE = _clark("cac:InvoiceLine")
_CREDIT_NOTE_LINE = _clark("cac:CreditNoteLine")


def _lines(root: Element) -> list[Element]:
    children = index(root).children_of(root)
    return children.get(_INVOICE_LINE, []) + children.get(_CREDIT_NOTE_LINE, [])


_text = string_value


def _is_vat(scheme_holder: Element) -> bool | None:
    """Whether a PartyTaxScheme's TaxScheme/ID is VAT (upper-cased); None if it has none."""
    ids = kids(scheme_holder, "cac:TaxScheme/cbc:ID")
    if not ids:
        return None
    return any(_text(i).upper() == "VAT" for i in ids)


# The engine runs the context rules as one family; each stays a rule of its own.
_RULES = ContextRules(EN16931, "ubl-cardinality", "ubl", UBL)


def _register(
    rule_id: str, message: str, contexts: Contexts, test: Test, guard: Guard = None
) -> None:
    _RULES.register(rule_id, "fatal", message, contexts, test, guard)


# -- "at most N" counts ----------------------------------------------------------------------

_SUPPLIER = "cac:AccountingSupplierParty/cac:Party"
_CUSTOMER = "cac:AccountingCustomerParty/cac:Party"

# (rule id, context, child path counted, most allowed, what it is)
COUNTS: tuple[tuple[str, str, str, int, str], ...] = (
    ("UBL-SR-01", "", "cac:ContractDocumentReference/cbc:ID", 1, "contract reference (BT-12)"),
    ("UBL-SR-02", "", "cac:ReceiptDocumentReference/cbc:ID", 1,
     "receiving advice reference (BT-15)"),
    ("UBL-SR-03", "", "cac:DespatchDocumentReference/cbc:ID", 1,
     "despatch advice reference (BT-16)"),
    ("UBL-SR-05", "", "cac:PaymentTerms/cbc:Note", 1, "payment terms (BT-20)"),
    ("UBL-SR-08", "", "cac:InvoicePeriod", 1, "invoicing period (BG-14)"),
    ("UBL-SR-09", "", f"{_SUPPLIER}/cac:PartyLegalEntity/cbc:RegistrationName", 1,
     "seller name (BT-27)"),
    ("UBL-SR-10", "", f"{_SUPPLIER}/cac:PartyName/cbc:Name", 1, "seller trading name (BT-28)"),
    ("UBL-SR-11", "", f"{_SUPPLIER}/cac:PartyLegalEntity/cbc:CompanyID", 1,
     "seller legal registration identifier (BT-30)"),
    ("UBL-SR-14", "", f"{_SUPPLIER}/cac:PartyLegalEntity/cbc:CompanyLegalForm", 1,
     "seller additional legal information (BT-33)"),
    ("UBL-SR-15", "", f"{_CUSTOMER}/cac:PartyLegalEntity/cbc:RegistrationName", 1,
     "buyer name (BT-44)"),
    ("UBL-SR-16", "", f"{_CUSTOMER}/cac:PartyIdentification/cbc:ID", 1, "buyer identifier (BT-46)"),
    ("UBL-SR-17", "", f"{_CUSTOMER}/cac:PartyLegalEntity/cbc:CompanyID", 1,
     "buyer legal registration identifier (BT-47)"),
    ("UBL-SR-24", "", "cac:Delivery", 1, "delivery information (BG-13)"),
    ("UBL-SR-39", "", "cac:ProjectReference/cbc:ID", 1, "project reference (BT-11)"),
    ("UBL-SR-40", "", f"{_CUSTOMER}/cac:PartyName/cbc:Name", 1, "buyer trading name (BT-45)"),
    ("UBL-SR-45", "", "cac:PaymentMeans/cbc:PaymentDueDate", 1, "payment due date (BT-9)"),
    ("UBL-SR-49", "", "cac:InvoicePeriod/cbc:DescriptionCode", 1, "VAT point date code (BT-8)"),
    ("UBL-SR-54", "", "cac:PaymentMeans/cac:CardAccount", 1, "payment card information (BG-18)"),
    ("UBL-SR-55", "", "cac:PaymentMeans/cac:PaymentMandate", 1, "direct debit mandate (BG-19)"),
    ("UBL-SR-56", "", "cac:OriginatorDocumentReference/cbc:ID", 1,
     "tender or lot reference (BT-17)"),
    ("UBL-SR-34", "line", "cbc:Note", 1, "invoice line note (BT-127)"),
    ("UBL-SR-35", "line", "cac:OrderLineReference/cbc:LineID", 1,
     "referenced purchase order line (BT-132)"),
    ("UBL-SR-36", "line", "cac:InvoicePeriod", 1, "invoice line period (BG-26)"),
    ("UBL-SR-37", "line", "cac:Price/cac:AllowanceCharge/cbc:Amount", 1,
     "item price discount (BT-147)"),
    ("UBL-SR-50", "line", "cac:Item/cbc:Description", 1, "item description (BT-154)"),
    ("UBL-SR-52", "line", "cac:DocumentReference", 1, "line object identifier (BT-128)"),
    ("UBL-SR-26", "cac:PaymentMeans", "cbc:PaymentID", 1, "remittance information (BT-83)"),
    ("UBL-SR-27", "cac:PaymentMeans", "cbc:PaymentMeansCode", 1, "payment means code (BT-81)"),
    ("UBL-SR-28", "cac:PaymentMeans", "cac:PaymentMandate/cbc:ID", 1,
     "mandate reference identifier (BT-89)"),
    ("UBL-SR-06", "cac:BillingReference", "cac:InvoiceDocumentReference", 1,
     "preceding invoice reference (BG-3)"),
    ("UBL-SR-22", "cac:TaxRepresentativeParty", "cac:PartyName/cbc:Name", 1,
     "seller tax representative name (BT-62)"),
    ("UBL-SR-23", "cac:TaxRepresentativeParty", "cac:PartyTaxScheme/cbc:CompanyID", 1,
     "seller tax representative VAT identifier (BT-63)"),
    ("UBL-SR-32", "cac:TaxSubtotal", "cac:TaxCategory/cbc:TaxExemptionReason", 1,
     "VAT exemption reason text (BT-120)"),
    ("UBL-SR-33", "cac:AdditionalDocumentReference", "cbc:DocumentDescription", 1,
     "supporting document description (BT-123)"),
    ("UBL-SR-25", "cac:Delivery", "cac:DeliveryParty/cac:PartyName/cbc:Name", 1,
     "deliver-to party name (BT-70)"),
    ("UBL-SR-42", "supplier", "cac:PartyTaxScheme", 2, "seller party tax scheme (BT-31, BT-32)"),
)  # fmt: skip


def _supplier(root: Element) -> list[Element]:
    return kids(root, _SUPPLIER)


def _contexts(where: str) -> Contexts:
    if where == "":
        return _at_root
    if where == "line":
        return _lines
    if where == "supplier":
        return _supplier
    return _anywhere(where)


def _at_most(path: str, most: int) -> Callable[[Element], bool]:
    return lambda ctx: len(kids(ctx, path)) <= most


for _id, _where, _path, _most, _what in COUNTS:
    _register(
        _id,
        f"The {_what} must occur at most {'once' if _most == 1 else f'{_most} times'}.",
        _contexts(_where),
        _at_most(_path, _most),
        (_clark(_path.rsplit("/", 1)[-1]), _most),
    )


# -- the rest, written out -------------------------------------------------------------------


def _sr04(root: Element) -> bool:
    refs = kids(root, "cac:AdditionalDocumentReference")
    ids = [
        i
        for r in refs
        if any(_text(c) == "130" for c in kids(r, "cbc:DocumentTypeCode"))
        for i in kids(r, "cbc:ID")
    ]
    return len(ids) <= 1


def _not_vat(scheme: Element) -> bool:
    # XPath's != over TaxScheme/ID: true when some ID differs from VAT (none: no match).
    return any(_text(i).upper() != "VAT" for i in kids(scheme, "cac:TaxScheme/cbc:ID"))


def _one_company_id(
    party_path: str, picked: Callable[[Element], object]
) -> Callable[[Element], bool]:
    """At most one ``cbc:CompanyID`` over the party's tax schemes that ``picked`` selects."""

    def test(root: Element) -> bool:
        schemes = kids(root, f"{party_path}/cac:PartyTaxScheme")
        return sum(len(kids(s, "cbc:CompanyID")) for s in schemes if picked(s)) <= 1

    return test


def _distinct_at_most_one(name: str) -> Callable[[Element], bool]:
    tag = _clark(name)

    def test(root: Element) -> bool:
        return len({_text(e) for e in index(root).all(tag)}) <= 1

    return test


def _sepa(el: Element) -> bool:
    return (el.get("schemeID") or "").upper() == "SEPA"


def _sr29(root: Element) -> bool:
    parties = index(root).all(_clark("cac:PartyIdentification"))
    ids = [i for p in parties for i in kids(p, "cbc:ID")]
    return sum(1 for i in ids if _sepa(i)) <= 1


def _payee_differs(payee: Element) -> bool:
    """XPath ``PartyName/Name != seller RegistrationName``: some pair of values differ."""
    root = payee.getroottree().getroot()
    names = [_text(n) for n in kids(payee, "cac:PartyName/cbc:Name")]
    seller = [
        _text(n) for n in kids(root, f"{_SUPPLIER}/cac:PartyLegalEntity/cbc:RegistrationName")
    ]
    return any(a != b for a in names for b in seller)


def _sr19(payee: Element) -> bool:
    return len(kids(payee, "cac:PartyName/cbc:Name")) <= 1 and _payee_differs(payee)


def _sr20(payee: Element) -> bool:
    ids = [i for i in kids(payee, "cac:PartyIdentification/cbc:ID") if not _sepa(i)]
    return len(ids) <= 1 and _payee_differs(payee)


def _sr21(payee: Element) -> bool:
    return len(kids(payee, "cac:PartyLegalEntity/cbc:CompanyID")) <= 1 and _payee_differs(payee)


def _sr07(billing: Element) -> bool:
    return bool(kids(billing, "cac:InvoiceDocumentReference/cbc:ID"))


def _charge_indicator(ac: Element) -> bool | None:
    values = [_text(c).strip() for c in kids(ac, "cbc:ChargeIndicator")]
    if not values:
        return None
    return values[0] in ("true", "1")


def _allowances(charge: bool) -> Contexts:
    tag = _clark("cac:AllowanceCharge")

    def contexts(root: Element) -> list[Element]:
        return [
            ac
            for ac in index(root).all(tag)
            if kids(ac, "cbc:ChargeIndicator") and _charge_indicator(ac) is charge
        ]

    return contexts


def _reason_once(ac: Element) -> bool:
    return len(kids(ac, "cbc:AllowanceChargeReason")) <= 1


def _sr43(ref: Element) -> bool:
    codes = [_text(c) for c in kids(ref, "cbc:DocumentTypeCode")]
    if "130" in codes:
        return True
    root = ref.getroottree().getroot()
    if _name(root.tag) == "CreditNote" and "50" in codes:
        return True
    has_scheme = any(i.get("schemeID") is not None for i in kids(ref, "cbc:ID"))
    return not has_scheme and not codes


def _sr46(root: Element) -> bool:
    codes = kids(root, "cac:PaymentMeans/cbc:PaymentMeansCode")
    return sum(1 for c in codes if c.get("name") is not None) <= 1


def _sr48(line: Element) -> bool:
    return len(kids(line, "cac:Item/cac:ClassifiedTaxCategory")) == 1


def _sr51(address: Element) -> bool:
    return len(kids(address, "cac:AddressLine")) <= 1


def _addresses(root: Element) -> list[Element]:
    idx = index(root)
    return idx.all(_clark("cac:PostalAddress")) + idx.all(_clark("cac:Address"))


def _sr53(scheme: Element) -> bool:
    return bool(kids(scheme, "cac:TaxScheme/cbc:ID")) and bool(kids(scheme, "cbc:CompanyID"))


_WRITTEN: tuple[tuple[str, str, Contexts, Callable[[Element], bool]], ...] = (
    ("UBL-SR-04", "The invoiced object identifier (BT-18) must occur at most once.",
     _at_root, _sr04),
    ("UBL-SR-07", "A preceding invoice reference (BG-3) must give the preceding invoice "
     "number (BT-25).", _anywhere("cac:BillingReference"), _sr07),
    ("UBL-SR-12", "The seller VAT identifier (BT-31) must occur at most once.",
     _at_root, _one_company_id(_SUPPLIER, _is_vat)),
    ("UBL-SR-13", "The seller tax registration identifier (BT-32) must occur at most once.",
     _at_root, _one_company_id(_SUPPLIER, _not_vat)),
    ("UBL-SR-18", "The buyer VAT identifier (BT-48) must occur at most once.",
     _at_root, _one_company_id(_CUSTOMER, _is_vat)),
    ("UBL-SR-19", "A payee other than the seller must have one payee name (BT-59), different "
     "from the seller name.", _anywhere("cac:PayeeParty"), _sr19),
    ("UBL-SR-20", "A payee other than the seller may have at most one payee identifier (BT-60).",
     _anywhere("cac:PayeeParty"), _sr20),
    ("UBL-SR-21", "A payee other than the seller may have at most one legal registration "
     "identifier (BT-61).", _anywhere("cac:PayeeParty"), _sr21),
    ("UBL-SR-29", "The bank assigned creditor identifier (BT-90, SEPA) must occur at most once.",
     _at_root, _sr29),
    ("UBL-SR-30", "A document level allowance may give its reason (BT-97) at most once.",
     _allowances(False), _reason_once),
    ("UBL-SR-31", "A document level charge may give its reason (BT-104) at most once.",
     _allowances(True), _reason_once),
    ("UBL-SR-43", "A scheme identifier on a document reference is only for the invoiced object "
     "(document type code 130, or 50 in a credit note).",
     _anywhere("cac:AdditionalDocumentReference"), _sr43),
    ("UBL-SR-44", "All payment means must carry the same remittance information (BT-83), if any.",
     _at_root, _distinct_at_most_one("cbc:PaymentID")),
    ("UBL-SR-46", "The payment means text (BT-82) must occur at most once.", _at_root, _sr46),
    ("UBL-SR-47", "All payment means codes (BT-81) must be equal.",
     _at_root, _distinct_at_most_one("cbc:PaymentMeansCode")),
    ("UBL-SR-48", "An invoice line must have exactly one classified tax category (BG-30).",
     _lines, _sr48),
    ("UBL-SR-51", "An address may have at most one address line 3 (cac:AddressLine).",
     _addresses, _sr51),
    ("UBL-SR-53", "A party tax scheme must give both the VAT identifier (cbc:CompanyID) and the "
     "tax scheme (cac:TaxScheme/cbc:ID).", _anywhere("cac:PartyTaxScheme"), _sr53),
)  # fmt: skip

# Written-out rules that are "at most N" counts of one tag (or of its distinct values).
_GUARDS: dict[str, tuple[str, int]] = {
    "UBL-SR-12": ("cbc:CompanyID", 1),
    "UBL-SR-13": ("cbc:CompanyID", 1),
    "UBL-SR-18": ("cbc:CompanyID", 1),
    "UBL-SR-29": ("cbc:ID", 1),
    "UBL-SR-30": ("cbc:AllowanceChargeReason", 1),
    "UBL-SR-31": ("cbc:AllowanceChargeReason", 1),
    "UBL-SR-44": ("cbc:PaymentID", 1),
    "UBL-SR-46": ("cbc:PaymentMeansCode", 1),
    "UBL-SR-47": ("cbc:PaymentMeansCode", 1),
    "UBL-SR-51": ("cac:AddressLine", 1),
}

for _id, _msg, _ctx, _fn in _WRITTEN:
    _guard = _GUARDS.get(_id)
    _register(_id, _msg, _ctx, _fn, (_clark(_guard[0]), _guard[1]) if _guard else None)


# -- data types ------------------------------------------------------------------------------

_PRICE = _clark("cac:Price")
_ALLOWANCE_CHARGE = _clark("cac:AllowanceCharge")


def _in_discounted_price(el: Element) -> bool:
    """XPath ``ancestor::cac:Price/cac:AllowanceCharge``: inside a price that has one."""
    for anc in el.iterancestors(_PRICE):
        if next(anc.iterchildren(_ALLOWANCE_CHARGE), None) is not None:
            return True
    return False


@EN16931.rule(
    "UBL-DT-01",
    "fatal",
    "An amount must have at most two decimal places.",
    syntax="ubl",
)
def ubl_dt_01(doc: Invoice) -> Findings:
    root = _root(doc)
    if root is None:
        return
    for el in index(root).amounts:
        if len(_text(el).partition(".")[2]) > 2 and not _in_discounted_price(el):
            yield loc(el)


def _attribute_rule(rule_id: str, attr: str, what: str) -> None:
    def check(doc: Invoice) -> Findings:
        root = _root(doc)
        if root is None:
            return
        for el in index(root).binary_objects:
            if el.get(attr) is None:
                yield loc(el)

    EN16931.rule(
        rule_id, "fatal", f"An attached binary object must have a {what} ({attr}).", syntax="ubl"
    )(check)


_attribute_rule("UBL-DT-06", "mimeCode", "MIME code")
_attribute_rule("UBL-DT-07", "filename", "file name")
