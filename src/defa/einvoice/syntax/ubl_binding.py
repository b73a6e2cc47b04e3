"""The UBL 2.1 binding of EN 16931 (CEN/TS 16931-3-2) as a table: element -> term or group.

Each business term's path is the one the EN 16931 UBL validation artefacts (1.3.x,
``EN16931-UBL-model.sch`` and ``-syntax.sch``) bind it to; children are listed in UBL 2.1
schema order so the writer can walk this same table. Placement conventions (the semantic
model's, not the syntax's; see :mod:`defa.einvoice.syntax.ubl`):

* BT-8 (``cac:InvoicePeriod/cbc:DescriptionCode``), BT-9 (also ``cac:PaymentMeans/
  cbc:PaymentDueDate`` in a credit note) and BT-20 (``cac:PaymentTerms/cbc:Note``) are
  document-level terms of ``INVOICE``;
* BT-110 and BT-111 (``cac:TaxTotal/cbc:TaxAmount``) belong to BG-22 with the other totals;
  BG-23 (``cac:TaxTotal/cac:TaxSubtotal``) is a child of ``INVOICE``;
* BG-30 (``cac:Item/cac:ClassifiedTaxCategory``) is a child of the line BG-25, BG-31 holds
  the item's other terms;
* BT-90 (a party identifier with ``schemeID="SEPA"``, the seller's or the payee's) is a
  document-level term of ``INVOICE``; a writer puts it with the payee when there is one.

Content decides some bindings, as the validation artefacts do: ``cac:AllowanceCharge`` is
BG-20/BG-27 or BG-21/BG-28 by ``cbc:ChargeIndicator`` (``false``/``0``, ``true``/``1``); a
seller's ``cac:PartyTaxScheme`` is BT-31 when its ``cac:TaxScheme/cbc:ID`` is ``VAT`` and
BT-32 otherwise, a buyer's or tax representative's is BT-48/BT-63 when ``VAT`` and the
extension term ``BT-48-TAX``/``BT-63-TAX`` otherwise (PINT SG's BT-48-GST and BT-63-GST);
``cac:AdditionalDocumentReference`` is BT-18 with ``cbc:DocumentTypeCode`` 130, BT-11 with
50 (a credit note's project reference) and BG-24 otherwise; ``cac:TaxTotal`` gives BT-110
(with the breakdown, in the invoice currency) or BT-111 (in the VAT accounting currency).
BG-3 is ``cac:BillingReference``.
"""

from __future__ import annotations

from lxml import etree

from defa.einvoice.syntax._read import Reader
from defa.einvoice.syntax._xmlmap import Binding, Fixed, Leaf, Node, Switch

__all__ = [
    "BUYER_TAX_ID",
    "CAC",
    "CBC",
    "CREDIT_NOTE",
    "CREDIT_NOTE_ORDER",
    "EXT",
    "INVOICE",
    "PREFIXES",
    "REPRESENTATIVE_TAX_ID",
    "ROOT_NODE",
    "SG_TOTAL_EXCL",
    "SG_TOTAL_INCL",
    "SG_UUID",
]

INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"

PREFIXES = {CAC: "cac", CBC: "cbc", EXT: "ext", INVOICE: "", CREDIT_NOTE: ""}

#: PINT SG terms EN 16931 has no term for (PINT SG BIS 1.4, Schematron ``BR-109-GST-SG``,
#: ``BR-53-GST-SG``): the document's UUID (``/*/cbc:UUID``), and the invoice total in SGD
#: without and with GST (``cac:AdditionalDocumentReference`` with ``cbc:DocumentTypeCode``
#: ``sgdtotal-excl-gst`` or ``sgdtotal-incl-gst``, the amount in ``cbc:DocumentDescription``).
SG_UUID = "BT-SG-003"
#: A buyer's and a tax representative's tax identifier under a scheme other than VAT, which
#: EN 16931 has no term for (BT-48 and BT-63 are VAT identifiers, BR-48, BR-56): PINT SG's
#: BT-48-GST and BT-63-GST (``BR-56-GST-SG``), any other scheme kept on the term.
BUYER_TAX_ID = "BT-48-TAX"
REPRESENTATIVE_TAX_ID = "BT-63-TAX"
SG_TOTAL_EXCL = "BT-SG-001"
SG_TOTAL_INCL = "BT-SG-002"
_SG_TOTALS = {"sgdtotal-excl-gst": SG_TOTAL_EXCL, "sgdtotal-incl-gst": SG_TOTAL_INCL}
_DOCUMENT_TYPES = frozenset(("130", "50", *_SG_TOTALS))

_CBC = "{" + CBC + "}"
_CAC = "{" + CAC + "}"
_TAX_SCHEME = "cac:TaxScheme/cbc:ID"


def b(name: str) -> str:
    """The Clark name of a ``cbc:`` element."""
    return _CBC + name


def a(name: str) -> str:
    """The Clark name of a ``cac:`` element."""
    return _CAC + name


def N(group: str | None, *children: tuple[str, Binding], **kw: object) -> Node:  # noqa: N802
    """A node; short so that the table below reads like the binding."""
    return Node(group, tuple(children), **kw)  # type: ignore[arg-type]


def amount(term: str, currency: str = "BT-5") -> Leaf:
    return Leaf(term, currency=currency)


def tax_scheme(carrier: str, value: str = "VAT") -> tuple[str, Node]:
    """``cac:TaxScheme/cbc:ID``: constant, kept on ``carrier`` when it differs."""
    return a("TaxScheme"), N(None, (b("ID"), Fixed(value, carrier, _TAX_SCHEME)))


# -- content selectors ---------------------------------------------------------------------


def _child_text(el: etree._Element, tag: str) -> str | None:
    for child in el:
        if child.tag == tag:
            return child.text or ""
    return None


def _charge(el: etree._Element, _r: Reader) -> str:
    text = (_child_text(el, b("ChargeIndicator")) or "").strip().lower()
    return "true" if text in ("true", "1") else "false"


def _tax_scheme_of(el: etree._Element, _r: Reader) -> str:
    for child in el:
        if child.tag == a("TaxScheme"):
            text = _child_text(child, b("ID"))
            if text is not None and text.strip().upper() == "VAT":
                return "VAT"
    return "other"


def _document_type(el: etree._Element, _r: Reader) -> str:
    code = (_child_text(el, b("DocumentTypeCode")) or "").strip()
    return code if code in _DOCUMENT_TYPES else "other"


def _sepa(el: etree._Element, _r: Reader) -> str:
    for child in el:
        if child.tag == b("ID"):
            scheme = child.get("schemeID")
            return "SEPA" if scheme is not None and scheme.upper() == "SEPA" else "other"
    return "other"


def _tax_total(el: etree._Element, r: Reader) -> str:
    """BT-110 (document currency, with the breakdown) or BT-111 (VAT accounting currency)."""
    amount_currency = None
    for child in el:
        if child.tag == a("TaxSubtotal"):
            return "document"
        if child.tag == b("TaxAmount") and amount_currency is None:
            amount_currency = child.get("currencyID")
    doc_currency = r.doc.value("BT-5")
    tax_currency = r.doc.value("BT-6")
    if amount_currency is not None and tax_currency and doc_currency != tax_currency:
        if amount_currency == tax_currency:
            return "accounting"
        if amount_currency == doc_currency:
            return "document"
    totals = r.doc.child("BG-22")
    return "accounting" if totals is not None and totals.has("BT-110") else "document"


# -- the binding ---------------------------------------------------------------------------


def _address(
    group: str, street: str, more: str, city: str, zone: str, sub: str, line: str, country: str
) -> Node:
    return N(
        group,
        (b("StreetName"), Leaf(street)),
        (b("AdditionalStreetName"), Leaf(more)),
        (b("CityName"), Leaf(city)),
        (b("PostalZone"), Leaf(zone)),
        (b("CountrySubentity"), Leaf(sub)),
        (a("AddressLine"), N(None, (b("Line"), Leaf(line)))),
        (a("Country"), N(None, (b("IdentificationCode"), Leaf(country)))),
    )


def _contact(group: str, name: str, phone: str, mail: str) -> Node:
    return N(
        group,
        (b("Name"), Leaf(name)),
        (b("Telephone"), Leaf(phone)),
        (b("ElectronicMail"), Leaf(mail)),
    )


def _party_identification(term: str, scheme: str, unless: str | None = None) -> Switch:
    creditor = Leaf("BT-90", at="INVOICE", const={"schemeID": "SEPA"}, unless=unless)
    return Switch(
        _sepa,
        {
            "SEPA": N(None, (b("ID"), creditor), repeat=True),
            "other": N(None, (b("ID"), Leaf(term, {"schemeID": scheme})), repeat=True),
        },
        "other",
    )


def _vat_id(term: str) -> Node:
    return N(None, (b("CompanyID"), Leaf(term)), tax_scheme(term), repeat=True)


def _vat_or_tax(vat: str, tax: str) -> Switch:
    """A buyer's or tax representative's party tax scheme: the EN 16931 VAT identifier
    (BT-48, BT-63) under ``VAT``, the extension term ``tax`` under any other scheme (the
    scheme kept on the term when it is not ``GST``)."""
    other = N(None, (b("CompanyID"), Leaf(tax)), tax_scheme(tax, "GST"), repeat=True)
    return Switch(_tax_scheme_of, {"VAT": _vat_id(vat), "other": other}, "other")


_SELLER = N(
    "BG-4",
    (
        a("Party"),
        N(
            None,
            (b("EndpointID"), Leaf("BT-34", {"schemeID": "BT-34-1"})),
            (a("PartyIdentification"), _party_identification("BT-29", "BT-29-1", unless="BG-10")),
            (a("PartyName"), N(None, (b("Name"), Leaf("BT-28")))),
            (
                a("PostalAddress"),
                _address("BG-5", *(f"BT-{n}" for n in (35, 36, 37, 38, 39, 162, 40))),
            ),
            (
                a("PartyTaxScheme"),
                Switch(
                    _tax_scheme_of,
                    {
                        "VAT": _vat_id("BT-31"),
                        "other": N(
                            None,
                            (b("CompanyID"), Leaf("BT-32")),
                            tax_scheme("BT-32", "TAX"),
                            repeat=True,
                        ),
                    },
                    "other",
                ),
            ),
            (
                a("PartyLegalEntity"),
                N(
                    None,
                    (b("RegistrationName"), Leaf("BT-27")),
                    (b("CompanyID"), Leaf("BT-30", {"schemeID": "BT-30-1"})),
                    (b("CompanyLegalForm"), Leaf("BT-33")),
                ),
            ),
            (a("Contact"), _contact("BG-6", "BT-41", "BT-42", "BT-43")),
        ),
    ),
)

_BUYER = N(
    "BG-7",
    (
        a("Party"),
        N(
            None,
            (b("EndpointID"), Leaf("BT-49", {"schemeID": "BT-49-1"})),
            (
                a("PartyIdentification"),
                N(None, (b("ID"), Leaf("BT-46", {"schemeID": "BT-46-1"})), repeat=True),
            ),
            (a("PartyName"), N(None, (b("Name"), Leaf("BT-45")))),
            (
                a("PostalAddress"),
                _address("BG-8", *(f"BT-{n}" for n in (50, 51, 52, 53, 54, 163, 55))),
            ),
            (a("PartyTaxScheme"), _vat_or_tax("BT-48", BUYER_TAX_ID)),
            (
                a("PartyLegalEntity"),
                N(
                    None,
                    (b("RegistrationName"), Leaf("BT-44")),
                    (b("CompanyID"), Leaf("BT-47", {"schemeID": "BT-47-1"})),
                ),
            ),
            (a("Contact"), _contact("BG-9", "BT-56", "BT-57", "BT-58")),
        ),
    ),
)

_PAYEE = N(
    "BG-10",
    (a("PartyIdentification"), _party_identification("BT-60", "BT-60-1")),
    (a("PartyName"), N(None, (b("Name"), Leaf("BT-59")))),
    (a("PartyLegalEntity"), N(None, (b("CompanyID"), Leaf("BT-61", {"schemeID": "BT-61-1"})))),
)

_TAX_REPRESENTATIVE = N(
    "BG-11",
    (a("PartyName"), N(None, (b("Name"), Leaf("BT-62")))),
    (a("PostalAddress"), _address("BG-12", *(f"BT-{n}" for n in (64, 65, 66, 67, 68, 164, 69)))),
    (a("PartyTaxScheme"), _vat_or_tax("BT-63", REPRESENTATIVE_TAX_ID)),
)

_DELIVERY = N(
    "BG-13",
    (b("ActualDeliveryDate"), Leaf("BT-72")),
    (
        a("DeliveryLocation"),
        N(
            None,
            (b("ID"), Leaf("BT-71", {"schemeID": "BT-71-1"})),
            (a("Address"), _address("BG-15", *(f"BT-{n}" for n in (75, 76, 77, 78, 79, 165, 80)))),
        ),
    ),
    (a("DeliveryParty"), N(None, (a("PartyName"), N(None, (b("Name"), Leaf("BT-70")))))),
)

_PAYMENT_MEANS = N(
    "BG-16",
    (b("PaymentMeansCode"), Leaf("BT-81", {"name": "BT-82"})),
    (b("PaymentDueDate"), Leaf("BT-9", at="INVOICE", only="credit-note", spread=True)),
    (b("PaymentID"), Leaf("BT-83")),
    (
        a("CardAccount"),
        N(
            "BG-18",
            (b("PrimaryAccountNumberID"), Leaf("BT-87")),
            (b("NetworkID"), Fixed("NA", "BT-87", "cbc:NetworkID")),
            (b("HolderName"), Leaf("BT-88")),
        ),
    ),
    (
        a("PayeeFinancialAccount"),
        N(
            "BG-17",
            (b("ID"), Leaf("BT-84")),
            (b("Name"), Leaf("BT-85")),
            (a("FinancialInstitutionBranch"), N(None, (b("ID"), Leaf("BT-86")))),
        ),
    ),
    (
        a("PaymentMandate"),
        N(
            "BG-19",
            (b("ID"), Leaf("BT-89")),
            (a("PayerFinancialAccount"), N(None, (b("ID"), Leaf("BT-91")))),
        ),
    ),
    # a credit note's due date (BT-9) needs payment means, and UBL requires their code
    hosts=False,
)


def _allowance_charge(
    group: str,
    amount_: str,
    base: str,
    factor: str,
    reason: str,
    code: str,
    category: tuple[str, str] | None,
) -> Node:
    children: list[tuple[str, Binding]] = [
        (b("ChargeIndicator"), Fixed("true" if group in ("BG-21", "BG-28") else "false")),
        (b("AllowanceChargeReasonCode"), Leaf(code)),
        (b("AllowanceChargeReason"), Leaf(reason)),
        (b("MultiplierFactorNumeric"), Leaf(factor)),
        (b("Amount"), amount(amount_)),
        (b("BaseAmount"), amount(base)),
    ]
    if category is not None:
        cat, rate = category
        children.append(
            (
                a("TaxCategory"),
                N(None, (b("ID"), Leaf(cat)), (b("Percent"), Leaf(rate)), tax_scheme(cat)),
            )
        )
    return N(group, *children)


_DOCUMENT_ALLOWANCE_CHARGE = Switch(
    _charge,
    {
        "false": _allowance_charge(
            "BG-20", "BT-92", "BT-93", "BT-94", "BT-97", "BT-98", ("BT-95", "BT-96")
        ),
        "true": _allowance_charge(
            "BG-21", "BT-99", "BT-100", "BT-101", "BT-104", "BT-105", ("BT-102", "BT-103")
        ),
    },
    "false",
)

_LINE_ALLOWANCE_CHARGE = Switch(
    _charge,
    {
        "false": _allowance_charge("BG-27", "BT-136", "BT-137", "BT-138", "BT-139", "BT-140", None),
        "true": _allowance_charge("BG-28", "BT-141", "BT-142", "BT-143", "BT-144", "BT-145", None),
    },
    "false",
)

_VAT_BREAKDOWN = N(
    "BG-23",
    (b("TaxableAmount"), amount("BT-116")),
    (b("TaxAmount"), amount("BT-117")),
    (
        a("TaxCategory"),
        N(
            None,
            (b("ID"), Leaf("BT-118")),
            (b("Percent"), Leaf("BT-119")),
            (b("TaxExemptionReasonCode"), Leaf("BT-121")),
            (b("TaxExemptionReason"), Leaf("BT-120")),
            tax_scheme("BT-118"),
        ),
    ),
)

_TAX_TOTAL = Switch(
    _tax_total,
    {
        "document": N(
            None,
            (b("TaxAmount"), Leaf("BT-110", at="BG-22", currency="BT-5")),
            (a("TaxSubtotal"), _VAT_BREAKDOWN),
        ),
        "accounting": N(None, (b("TaxAmount"), Leaf("BT-111", at="BG-22", currency="BT-6"))),
    },
    "document",
)

_TOTALS = N(
    "BG-22",
    (b("LineExtensionAmount"), amount("BT-106")),
    (b("TaxExclusiveAmount"), amount("BT-109")),
    (b("TaxInclusiveAmount"), amount("BT-112")),
    (b("AllowanceTotalAmount"), amount("BT-107")),
    (b("ChargeTotalAmount"), amount("BT-108")),
    (b("PrepaidAmount"), amount("BT-113")),
    (b("PayableRoundingAmount"), amount("BT-114")),
    (b("PayableAmount"), amount("BT-115")),
    single=True,
)

_ITEM = N(
    "BG-31",
    (b("Description"), Leaf("BT-154")),
    (b("Name"), Leaf("BT-153")),
    (a("BuyersItemIdentification"), N(None, (b("ID"), Leaf("BT-156")))),
    (a("SellersItemIdentification"), N(None, (b("ID"), Leaf("BT-155")))),
    (a("StandardItemIdentification"), N(None, (b("ID"), Leaf("BT-157", {"schemeID": "BT-157-1"})))),
    (a("OriginCountry"), N(None, (b("IdentificationCode"), Leaf("BT-159")))),
    (
        a("CommodityClassification"),
        N(
            None,
            (
                b("ItemClassificationCode"),
                Leaf("BT-158", {"listID": "BT-158-1", "listVersionID": "BT-158-2"}),
            ),
            repeat=True,
        ),
    ),
    (
        a("ClassifiedTaxCategory"),
        N(
            "BG-30",
            (b("ID"), Leaf("BT-151")),
            (b("Percent"), Leaf("BT-152")),
            tax_scheme("BT-151"),
            at="BG-25",
        ),
    ),
    (
        a("AdditionalItemProperty"),
        N("BG-32", (b("Name"), Leaf("BT-160")), (b("Value"), Leaf("BT-161"))),
    ),
)

_PRICE = N(
    "BG-29",
    (b("PriceAmount"), amount("BT-146")),
    # one base quantity in UBL: a CII gross price's own (noted "gross") is not carried
    (b("BaseQuantity"), Leaf("BT-149", {"unitCode": "BT-150"}, when="unmarked")),
    (
        a("AllowanceCharge"),
        N(
            None,
            (b("ChargeIndicator"), Fixed("false")),
            (b("Amount"), amount("BT-147")),
            (b("BaseAmount"), amount("BT-148")),
        ),
    ),
)


def _line(quantity: str, kind: str) -> Node:
    return N(
        "BG-25",
        (b("ID"), Leaf("BT-126")),
        (b("Note"), Leaf("BT-127")),
        (b(quantity), Leaf("BT-129", {"unitCode": "BT-130"})),
        (b("LineExtensionAmount"), amount("BT-131")),
        (b("AccountingCost"), Leaf("BT-133")),
        (
            a("InvoicePeriod"),
            N("BG-26", (b("StartDate"), Leaf("BT-134")), (b("EndDate"), Leaf("BT-135"))),
        ),
        (a("OrderLineReference"), N(None, (b("LineID"), Leaf("BT-132")))),
        (
            a("DocumentReference"),
            N(
                None,
                (b("ID"), Leaf("BT-128", {"schemeID": "BT-128-1"})),
                (
                    b("DocumentTypeCode"),
                    Fixed("130", "BT-128", "cbc:DocumentTypeCode", absent=True),
                ),
                repeat=True,
            ),
        ),
        (a("AllowanceCharge"), _LINE_ALLOWANCE_CHARGE),
        (a("Item"), _ITEM),
        (a("Price"), _PRICE),
        only=kind,
    )


def _sg_total(code: str, term: str) -> Node:
    """A PINT SG total in SGD: its ``cbc:ID`` (the currency, ``SGD``) kept on the term."""
    return N(
        None,
        (b("ID"), Fixed("SGD", term, "cbc:ID", pending=True)),
        (b("DocumentTypeCode"), Fixed(code)),
        (b("DocumentDescription"), Leaf(term)),
        repeat=True,
    )


_ADDITIONAL_DOCUMENT = Switch(
    _document_type,
    {
        **{code: _sg_total(code, term) for code, term in _SG_TOTALS.items()},
        "130": N(
            None,
            (b("ID"), Leaf("BT-18", {"schemeID": "BT-18-1"})),
            (b("DocumentTypeCode"), Fixed("130")),
            repeat=True,
        ),
        "50": N(
            None,
            (b("ID"), Leaf("BT-11", only="credit-note")),
            (b("DocumentTypeCode"), Fixed("50")),
            repeat=True,
        ),
        "other": N(
            "BG-24",
            (b("ID"), Leaf("BT-122")),
            (b("DocumentDescription"), Leaf("BT-123")),
            (
                a("Attachment"),
                N(
                    None,
                    (
                        b("EmbeddedDocumentBinaryObject"),
                        Leaf("BT-125", {"mimeCode": "BT-125-1", "filename": "BT-125-2"}),
                    ),
                    (a("ExternalReference"), N(None, (b("URI"), Leaf("BT-124")))),
                ),
            ),
        ),
    },
    "other",
)


def _reference(term: str, **kw: object) -> Node:
    return N(None, (b("ID"), Leaf(term)), repeat=True, **kw)


#: The document element's children, in the schema order of a UBL 2.1 Invoice.
ROOT_NODE = N(
    "INVOICE",
    (b("UBLVersionID"), Fixed("2.1")),
    (b("CustomizationID"), Leaf("BT-24", at="BG-2")),
    (b("ProfileID"), Leaf("BT-23", at="BG-2")),
    (b("ID"), Leaf("BT-1")),
    (b("UUID"), Leaf(SG_UUID)),
    (b("IssueDate"), Leaf("BT-2")),
    (b("DueDate"), Leaf("BT-9", only="invoice")),
    (b("InvoiceTypeCode"), Leaf("BT-3", only="invoice")),
    (b("CreditNoteTypeCode"), Leaf("BT-3", only="credit-note")),
    (b("Note"), Leaf("BT-22", opens="BG-1")),
    (b("TaxPointDate"), Leaf("BT-7")),
    (b("DocumentCurrencyCode"), Leaf("BT-5")),
    (b("TaxCurrencyCode"), Leaf("BT-6")),
    (b("AccountingCost"), Leaf("BT-19")),
    (b("BuyerReference"), Leaf("BT-10")),
    (
        a("InvoicePeriod"),
        N(
            "BG-14",
            (b("StartDate"), Leaf("BT-73")),
            (b("EndDate"), Leaf("BT-74")),
            (b("DescriptionCode"), Leaf("BT-8", at="INVOICE")),
        ),
    ),
    (
        a("OrderReference"),
        N(None, (b("ID"), Leaf("BT-13")), (b("SalesOrderID"), Leaf("BT-14"))),
    ),
    (
        a("BillingReference"),
        N(
            "BG-3",
            (
                a("InvoiceDocumentReference"),
                N(None, (b("ID"), Leaf("BT-25")), (b("IssueDate"), Leaf("BT-26"))),
            ),
        ),
    ),
    (a("DespatchDocumentReference"), _reference("BT-16")),
    (a("ReceiptDocumentReference"), _reference("BT-15")),
    (a("OriginatorDocumentReference"), _reference("BT-17")),
    (a("ContractDocumentReference"), _reference("BT-12")),
    (a("AdditionalDocumentReference"), _ADDITIONAL_DOCUMENT),
    (a("ProjectReference"), _reference("BT-11", only="invoice")),
    (a("AccountingSupplierParty"), _SELLER),
    (a("AccountingCustomerParty"), _BUYER),
    (a("PayeeParty"), _PAYEE),
    (a("TaxRepresentativeParty"), _TAX_REPRESENTATIVE),
    (a("Delivery"), _DELIVERY),
    (a("PaymentMeans"), _PAYMENT_MEANS),
    (a("PaymentTerms"), N(None, (b("Note"), Leaf("BT-20")), repeat=True)),
    (a("AllowanceCharge"), _DOCUMENT_ALLOWANCE_CHARGE),
    (a("TaxTotal"), _TAX_TOTAL),
    (a("LegalMonetaryTotal"), _TOTALS),
    (a("InvoiceLine"), _line("InvoicedQuantity", "invoice")),
    (a("CreditNoteLine"), _line("CreditedQuantity", "credit-note")),
)

#: The order of a UBL 2.1 CreditNote's children (local names) where it differs from an
#: Invoice's; a writer sorts the document element's children by it.
# fmt: off
CREDIT_NOTE_ORDER = (
    "UBLExtensions", "UBLVersionID", "CustomizationID", "ProfileID", "ProfileExecutionID", "ID",
    "CopyIndicator", "UUID", "IssueDate", "IssueTime", "TaxPointDate", "CreditNoteTypeCode",
    "Note", "DocumentCurrencyCode", "TaxCurrencyCode", "PricingCurrencyCode",
    "PaymentCurrencyCode", "PaymentAlternativeCurrencyCode", "AccountingCostCode",
    "AccountingCost", "LineCountNumeric", "BuyerReference", "InvoicePeriod",
    "DiscrepancyResponse", "OrderReference", "BillingReference", "DespatchDocumentReference",
    "ReceiptDocumentReference", "ContractDocumentReference", "AdditionalDocumentReference",
    "StatementDocumentReference", "OriginatorDocumentReference", "Signature",
    "AccountingSupplierParty", "AccountingCustomerParty", "PayeeParty", "BuyerCustomerParty",
    "SellerSupplierParty", "TaxRepresentativeParty", "Delivery", "DeliveryTerms",
    "PaymentMeans", "PaymentTerms", "TaxExchangeRate", "PricingExchangeRate",
    "PaymentExchangeRate", "PaymentAlternativeExchangeRate", "AllowanceCharge", "TaxTotal",
    "LegalMonetaryTotal", "CreditNoteLine",
)
# fmt: on
