"""The MyInvois binding: the engine's UBL 2.1 binding plus the MyInvois extension terms.

MyInvois documents are UBL 2.1 Invoices (every document type, credit notes included, uses the
``Invoice`` root and tells its type by ``cbc:InvoiceTypeCode``). The EN 16931 terms are read
and written by the engine's binding table (:mod:`defa.einvoice.syntax.ubl_binding`); this
module derives a table from it with the elements MyInvois adds, as model terms of their own
(``MY-...``), each placed where UBL 2.1's schema order puts it. The field definitions are
LHDN's (MyInvois SDK, "Document Types", v1.0/v1.1). PINT MY binds the same elements to map
these fields (release notes 1.1.0 to 1.3.0); where its artefacts name the business term of
an element, the model uses that id: ``IBT-168``, the issue time (``ibr-119``), and
``IBT-180``, the paid amount of a prepayment (``ibr-093``).

Extension ids, by the MyInvois field they hold:

=========================  ===================================================================
``MY-UBL-VERSION``         ``cbc:UBLVersionID`` (MyInvois documents leave it out)
``MY-VERSION``             e-Invoice version (``cbc:InvoiceTypeCode/@listVersionID``)
``IBT-168``                e-Invoice time (``cbc:IssueTime``; PINT's invoice issue time)
``MY-FREQUENCY``           frequency of billing (``cac:InvoicePeriod/cbc:Description``)
``MY-REF-UUID``            LHDN unique id of a referenced document (BG-3, ``cbc:UUID``)
``MY-BILL-REF``            bill reference number (group ``MY-BILLING``)
``MY-DOC-TYPE``            additional document type (BG-24: ``CustomsImportForm``, ``K2``, ...)
``MY-DOC-TYPE-CODE``       its coded type (BG-24, ``cbc:DocumentTypeCode``: PINT MY's 938, the
                           IRBM unique identifier, and 914, a customs import form)
``MY-VERIFIED-DATE``       the date (``MY-VERIFIED-TIME`` the time) a referenced document was
                           validated (BG-24, ``cac:ResultOfVerification``)
``MY-SIGNATURE-ID``        ``cac:Signature/cbc:ID``; ``MY-SIGNATURE-METHOD`` its method
``MY-CERTEX``              supplier's authorised certified exporter number (``-SCHEME``)
``MY-MSIC``                supplier's MSIC code; ``MY-MSIC-NAME`` its business activity
``MY-STATE``               state code of an address (BG-5, BG-8, ``MY-SHIP-ADDRESS``)
``MY-SHIP-*``              shipping recipient (``cac:Delivery/cac:DeliveryParty``), its
                           legal registration ``MY-SHIP-COMPANY-ID``
``MY-SHIPMENT``            ``cac:Delivery/cac:Shipment`` with its freight charge ``MY-FREIGHT``
                           and consignment (``MY-CONSIGNMENT-ID``, its delivery terms
                           ``MY-CONSIGNMENT-TERMS``)
``MY-PAYMENT-MEANS-ID``    ``cac:PaymentMeans/cbc:ID`` (BG-16)
``MY-PREPAID``             prepayment (``cac:PrepaidPayment``): reference, amount (``IBT-180``,
                           PINT's paid amount), the date it was received
                           (``MY-PREPAID-RECEIVED``), date and time paid
``MY-EXCHANGE``            currency exchange rate (``cac:TaxExchangeRate``)
``MY-TAX-SCHEME``          a tax scheme id other than ``VAT`` (``OTH``) with its attributes
``MY-LINE-TAX``            a line's tax total (``cac:InvoiceLine/cac:TaxTotal``), per subtotal
                           ``MY-LINE-TAX-SUBTOTAL``; the rate PINT MY puts in the subtotal's
                           category (``cac:TaxCategory/cbc:Percent``):
                           ``MY-LINE-TAX-CATEGORY-RATE``
``MY-LINE-SUBTOTAL``       a line's subtotal (``cac:ItemPriceExtension/cbc:Amount``)
``MY-COMMODITY-CODE``      an item's commodity code (``cac:CommodityClassification``, BG-31)
``MY-LOT-ID``              an item's lot number (``cac:ItemInstance/cac:LotIdentification``)
                           and ``MY-LOT-EXPIRY`` its expiry date
=========================  ===================================================================

Credit notes: PINT MY credit notes (the ``CreditNote`` root) carry the same elements; the
table binds them on ``cac:CreditNoteLine`` too, where UBL 2.1 puts the line's tax total
before its allowances and charges.
"""

from __future__ import annotations

from dataclasses import replace

from defa.einvoice.syntax import ubl_binding as ubl
from defa.einvoice.syntax._xmlmap import Binding, Leaf, Node, Switch

__all__ = ["EXTENSION_IDS", "ROOT_NODE"]

a, b, N = ubl.a, ubl.b, ubl.N


def _tax_scheme() -> tuple[str, Node]:
    # MyInvois names the scheme "OTH" with schemeID/schemeAgencyID attributes: a term of its
    # own keeps the attributes, which the engine's constant-valued TaxScheme would not
    return a("TaxScheme"), N(None, (b("ID"), Leaf("MY-TAX-SCHEME")))


def _address(group: str, prefix: str) -> Node:
    return N(
        group,
        (b("CityName"), Leaf(f"{prefix}-CITY")),
        (b("PostalZone"), Leaf(f"{prefix}-POSTCODE")),
        (b("CountrySubentityCode"), Leaf("MY-STATE")),
        (a("AddressLine"), N(None, (b("Line"), Leaf(f"{prefix}-LINE")), repeat=True)),
        (a("Country"), N(None, (b("IdentificationCode"), Leaf(f"{prefix}-COUNTRY")))),
    )


def _insert(node: Node, after: str | None, *items: tuple[str, Binding]) -> Node:
    """``node`` with ``items`` after the child ``after`` (first when None)."""
    kids = list(node.children)
    at = 0 if after is None else next(i for i, (t, _) in enumerate(kids) if t == after) + 1
    kids[at:at] = items
    return replace(node, children=tuple(kids))


def _swap(node: Node, tag: str, new: Binding) -> Node:
    """``node`` with the binding of child ``tag`` replaced."""
    return replace(node, children=tuple((t, new if t == tag else c) for t, c in node.children))


def _child(node: Node, tag: str) -> Node:
    found = node.index[tag]
    assert isinstance(found, Node), tag
    return found


def _case(switch: Binding, case: str) -> Node:
    assert isinstance(switch, Switch)
    found = switch.cases[case]
    assert isinstance(found, Node), case
    return found


def _with_case(switch: Binding, case: str, new: Node) -> Switch:
    assert isinstance(switch, Switch)
    return replace(switch, cases={**switch.cases, case: new})


def _address_with_state(node: Node) -> Node:
    # MyInvois writes each address line in an AddressLine of its own (Address Line 0-2)
    line = replace(_child(node, a("AddressLine")), repeat=True)
    node = _swap(node, a("AddressLine"), line)
    return _insert(node, b("CountrySubentity"), (b("CountrySubentityCode"), Leaf("MY-STATE")))


def _seller(seller: Node) -> Node:
    party = _child(seller, a("Party"))
    party = _insert(
        party,
        b("EndpointID"),
        (b("IndustryClassificationCode"), Leaf("MY-MSIC", {"name": "MY-MSIC-NAME"})),
    )
    party = _swap(party, a("PostalAddress"), _address_with_state(_child(party, a("PostalAddress"))))
    seller = _swap(seller, a("Party"), party)
    return _insert(
        seller,
        None,
        (b("AdditionalAccountID"), Leaf("MY-CERTEX", {"schemeAgencyName": "MY-CERTEX-SCHEME"})),
    )


def _buyer(buyer: Node) -> Node:
    party = _child(buyer, a("Party"))
    party = _swap(party, a("PostalAddress"), _address_with_state(_child(party, a("PostalAddress"))))
    return _swap(buyer, a("Party"), party)


def _delivery(delivery: Node) -> Node:
    party = N(
        None,
        (
            a("PartyIdentification"),
            N(None, (b("ID"), Leaf("MY-SHIP-ID", {"schemeID": "MY-SHIP-ID-SCHEME"})), repeat=True),
        ),
        (a("PartyName"), N(None, (b("Name"), Leaf("BT-70")))),
        (a("PostalAddress"), _address("MY-SHIP-ADDRESS", "MY-SHIP")),
        (
            a("PartyLegalEntity"),
            N(
                None,
                (b("RegistrationName"), Leaf("MY-SHIP-NAME")),
                (b("CompanyID"), Leaf("MY-SHIP-COMPANY-ID")),
            ),
        ),
    )
    shipment = N(
        "MY-SHIPMENT",
        (b("ID"), Leaf("MY-SHIPMENT-ID")),
        (
            a("Consignment"),
            N(
                None,
                (b("ID"), Leaf("MY-CONSIGNMENT-ID")),
                (a("DeliveryTerms"), N(None, (b("ID"), Leaf("MY-CONSIGNMENT-TERMS")))),
            ),
        ),
        (
            a("FreightAllowanceCharge"),
            N(
                "MY-FREIGHT",
                (b("ChargeIndicator"), Leaf("MY-FREIGHT-INDICATOR")),
                (b("AllowanceChargeReason"), Leaf("MY-FREIGHT-REASON")),
                (b("Amount"), ubl.amount("MY-FREIGHT-AMOUNT")),
            ),
        ),
    )
    delivery = _swap(delivery, a("DeliveryParty"), party)
    return _insert(delivery, a("DeliveryParty"), (a("Shipment"), shipment))


def _billing_reference(node: Node) -> Switch:
    invoice_ref = _child(node, a("InvoiceDocumentReference"))
    invoice_ref = _insert(invoice_ref, b("ID"), (b("UUID"), Leaf("MY-REF-UUID")))
    bill = N(
        "MY-BILLING",
        (a("AdditionalDocumentReference"), N(None, (b("ID"), Leaf("MY-BILL-REF")))),
    )
    return Switch(
        _billing_kind,
        {"invoice": _swap(node, a("InvoiceDocumentReference"), invoice_ref), "bill": bill},
        "invoice",
    )


def _billing_kind(el: object, _r: object) -> str:
    """A billing reference to a document (BG-3), or MyInvois' bill reference number."""
    for child in el:  # type: ignore[attr-defined]
        if child.tag == a("InvoiceDocumentReference"):
            return "invoice"
    return "bill"


def _tax_total(switch: Binding) -> Switch:
    document = _case(switch, "document")
    breakdown = _child(document, a("TaxSubtotal"))
    category = _child(breakdown, a("TaxCategory"))
    category = _swap(category, a("TaxScheme"), _tax_scheme()[1])
    breakdown = _swap(breakdown, a("TaxCategory"), category)
    return _with_case(switch, "document", _swap(document, a("TaxSubtotal"), breakdown))


_LINE_TAX = N(
    "MY-LINE-TAX",
    (b("TaxAmount"), ubl.amount("MY-LINE-TAX-AMOUNT")),
    (
        a("TaxSubtotal"),
        N(
            "MY-LINE-TAX-SUBTOTAL",
            (b("TaxableAmount"), ubl.amount("MY-LINE-TAXABLE")),
            (b("TaxAmount"), ubl.amount("MY-LINE-TAX-SUB-AMOUNT")),
            (b("BaseUnitMeasure"), Leaf("MY-LINE-TAX-UNIT-MEASURE")),
            (b("PerUnitAmount"), ubl.amount("MY-LINE-TAX-PER-UNIT")),
            (b("Percent"), Leaf("MY-LINE-TAX-RATE")),
            (
                a("TaxCategory"),
                N(
                    None,
                    (b("ID"), Leaf("MY-LINE-TAX-TYPE")),
                    (b("Percent"), Leaf("MY-LINE-TAX-CATEGORY-RATE")),
                    (b("TaxExemptionReason"), Leaf("MY-LINE-TAX-EXEMPTION")),
                    _tax_scheme(),
                ),
            ),
        ),
    ),
)


def _item(item: Node) -> Node:
    classification = _child(item, a("CommodityClassification"))
    classification = _insert(classification, None, (b("CommodityCode"), Leaf("MY-COMMODITY-CODE")))
    item = _swap(item, a("CommodityClassification"), classification)
    lot = N(
        None,
        (b("LotNumberID"), Leaf("MY-LOT-ID")),
        (b("ExpiryDate"), Leaf("MY-LOT-EXPIRY")),
    )
    return _insert(
        item,
        a("AdditionalItemProperty"),
        (a("ItemInstance"), N(None, (a("LotIdentification"), lot), repeat=True)),
    )


def _line(line: Node, tax_after: str) -> Node:
    """A line with the MyInvois elements; its tax total after the child ``tax_after``
    (an invoice line's allowances and charges; a credit note line's document references,
    as UBL 2.1 orders each)."""
    line = _insert(line, tax_after, (a("TaxTotal"), _LINE_TAX))
    line = _swap(line, a("Item"), _item(_child(line, a("Item"))))
    return _insert(
        line,
        a("Price"),
        (a("ItemPriceExtension"), N(None, (b("Amount"), ubl.amount("MY-LINE-SUBTOTAL")))),
    )


def _build() -> Node:
    # MyInvois documents carry no cbc:UBLVersionID: one present is kept, none is made
    root = _swap(ubl.ROOT_NODE, b("UBLVersionID"), Leaf("MY-UBL-VERSION"))
    root = _swap(
        root, b("InvoiceTypeCode"), Leaf("BT-3", {"listVersionID": "MY-VERSION"}, only="invoice")
    )
    # a PINT MY credit note (CreditNote root) keeps the version a MyInvois document states
    root = _swap(
        root,
        b("CreditNoteTypeCode"),
        Leaf("BT-3", {"listVersionID": "MY-VERSION"}, only="credit-note"),
    )
    root = _insert(root, b("IssueDate"), (b("IssueTime"), Leaf("IBT-168")))
    period = _insert(
        _child(root, a("InvoicePeriod")),
        b("DescriptionCode"),
        (b("Description"), Leaf("MY-FREQUENCY")),
    )
    root = _swap(root, a("InvoicePeriod"), period)
    root = _swap(
        root, a("BillingReference"), _billing_reference(_child(root, a("BillingReference")))
    )
    additional = root.index[a("AdditionalDocumentReference")]
    verification = N(
        None,
        (b("ValidationDate"), Leaf("MY-VERIFIED-DATE")),
        (b("ValidationTime"), Leaf("MY-VERIFIED-TIME")),
    )
    other = _insert(
        _case(additional, "other"),
        b("ID"),
        (b("DocumentTypeCode"), Leaf("MY-DOC-TYPE-CODE")),
        (b("DocumentType"), Leaf("MY-DOC-TYPE")),
    )
    other = _insert(other, a("Attachment"), (a("ResultOfVerification"), verification))
    root = _swap(root, a("AdditionalDocumentReference"), _with_case(additional, "other", other))
    root = _insert(
        root,
        a("ProjectReference"),
        (
            a("Signature"),
            N(
                None,
                (b("ID"), Leaf("MY-SIGNATURE-ID")),
                (b("SignatureMethod"), Leaf("MY-SIGNATURE-METHOD")),
            ),
        ),
    )
    root = _swap(
        root, a("AccountingSupplierParty"), _seller(_child(root, a("AccountingSupplierParty")))
    )
    root = _swap(
        root, a("AccountingCustomerParty"), _buyer(_child(root, a("AccountingCustomerParty")))
    )
    root = _swap(root, a("Delivery"), _delivery(_child(root, a("Delivery"))))
    means = _insert(_child(root, a("PaymentMeans")), None, (b("ID"), Leaf("MY-PAYMENT-MEANS-ID")))
    root = _swap(root, a("PaymentMeans"), means)
    root = _insert(
        root,
        a("PaymentTerms"),
        (
            a("PrepaidPayment"),
            N(
                "MY-PREPAID",
                (b("ID"), Leaf("MY-PREPAID-ID")),
                (b("PaidAmount"), ubl.amount("IBT-180")),
                (b("ReceivedDate"), Leaf("MY-PREPAID-RECEIVED")),
                (b("PaidDate"), Leaf("MY-PREPAID-DATE")),
                (b("PaidTime"), Leaf("MY-PREPAID-TIME")),
            ),
        ),
    )
    root = _insert(
        root,
        a("AllowanceCharge"),
        (
            a("TaxExchangeRate"),
            N(
                "MY-EXCHANGE",
                (b("SourceCurrencyCode"), Leaf("MY-EXCHANGE-SOURCE")),
                (b("TargetCurrencyCode"), Leaf("MY-EXCHANGE-TARGET")),
                (b("CalculationRate"), Leaf("MY-EXCHANGE-RATE")),
            ),
        ),
    )
    root = _swap(root, a("TaxTotal"), _tax_total(root.index[a("TaxTotal")]))
    root = _swap(
        root, a("InvoiceLine"), _line(_child(root, a("InvoiceLine")), a("AllowanceCharge"))
    )
    return _swap(
        root,
        a("CreditNoteLine"),
        _line(_child(root, a("CreditNoteLine")), a("DocumentReference")),
    )


#: The document element's children of a MyInvois document, in UBL 2.1 schema order.
ROOT_NODE = _build()

#: Every extension term and group id the binding uses.
EXTENSION_IDS = frozenset(
    {
        "MY-VERSION", "IBT-168", "MY-FREQUENCY", "MY-REF-UUID", "MY-BILLING",
        "MY-BILL-REF", "MY-DOC-TYPE", "MY-SIGNATURE-ID", "MY-SIGNATURE-METHOD", "MY-CERTEX",
        "MY-CERTEX-SCHEME", "MY-MSIC", "MY-MSIC-NAME", "MY-STATE", "MY-SHIP-ID",
        "MY-SHIP-ID-SCHEME", "MY-SHIP-ADDRESS", "MY-SHIP-CITY", "MY-SHIP-POSTCODE",
        "MY-SHIP-LINE", "MY-SHIP-COUNTRY", "MY-SHIP-NAME", "MY-SHIPMENT", "MY-SHIPMENT-ID",
        "MY-FREIGHT", "MY-FREIGHT-INDICATOR", "MY-FREIGHT-REASON", "MY-FREIGHT-AMOUNT",
        "MY-PREPAID", "MY-PREPAID-ID", "IBT-180", "MY-PREPAID-DATE",
        "MY-PREPAID-TIME", "MY-EXCHANGE", "MY-EXCHANGE-SOURCE", "MY-EXCHANGE-TARGET",
        "MY-EXCHANGE-RATE", "MY-TAX-SCHEME", "MY-LINE-TAX", "MY-LINE-TAX-AMOUNT",
        "MY-LINE-TAX-SUBTOTAL", "MY-LINE-TAXABLE", "MY-LINE-TAX-SUB-AMOUNT",
        "MY-LINE-TAX-UNIT-MEASURE", "MY-LINE-TAX-PER-UNIT", "MY-LINE-TAX-RATE",
        "MY-LINE-TAX-TYPE", "MY-LINE-TAX-EXEMPTION", "MY-LINE-SUBTOTAL",
        "MY-UBL-EXTENSIONS", "MY-UBL-VERSION", "MY-DOC-TYPE-CODE", "MY-VERIFIED-DATE",
        "MY-VERIFIED-TIME", "MY-SHIP-COMPANY-ID", "MY-CONSIGNMENT-ID", "MY-CONSIGNMENT-TERMS",
        "MY-PAYMENT-MEANS-ID", "MY-PREPAID-RECEIVED", "MY-LINE-TAX-CATEGORY-RATE",
        "MY-COMMODITY-CODE", "MY-LOT-ID", "MY-LOT-EXPIRY",
    }
)  # fmt: skip
