"""PINT MY 1.3.1 aligned rules (billing and self-billing): each family fails when a valid
official example is broken in one place, with the hand reasoning for the rule ids expected.
"""

from __future__ import annotations

import pytest
from lxml import etree

from defa import einvoice
from defa.countries.my.myinvois import read_ubl
from defa.einvoice.model import Invoice
from defa.errors import Severity
from tests.einvoice.test_pint_base import (
    AS_OF,
    NS,
    Mutation,
    add_after,
    chain,
    errors,
    one,
    remove,
    set_text,
)
from tests.shared import shared_dir, shared_path

MY = ("vectors", "einvoice", "pint-my", "1.3.1-billing")
SA = "Invoice-Sample-SA_1.3.0.xml"
TTX = "Invoice-Sample-TTX_1.3.0.xml"
EXEMPT = "TaxTotal-DocumentAndLineLevel.xml"
CREDIT_SA = "CreditNote-Sample-SA_1.3.0.xml"
SUBTOTAL = "/*/cac:TaxTotal/cac:TaxSubtotal"
SELLER = "/*/cac:AccountingSupplierParty/cac:Party"


def _root(name: str) -> etree._Element:
    return etree.fromstring(shared_path(*MY, name).read_bytes())


def _samples() -> list[str]:
    return sorted(p.name for p in shared_dir().joinpath(*MY).glob("*.xml"))


COMPLETE_CREDIT = "CompleteSample_LHDN-CreditNote.xml"
COMPLETE = "CompleteSample_LHDN.xml"


CASES: list[tuple[str, str, Mutation, set[str]]] = [
    # A PINT SG specification id is not a PINT MY one.
    (
        "001",
        SA,
        set_text("/*/cbc:CustomizationID", "urn:peppol:pint:billing-1@sg-1"),
        {"aligned-ibrp-001-my"},
    ),
    # SA 10% of 11000.00 is 1100.00; 1110.00 is 10.00 off (sa-09). The total tax (1100.00)
    # is then not the sum of the subtotal (base ibr-co-14).
    (
        "sa-09",
        SA,
        set_text(f"{SUBTOTAL}/cbc:TaxAmount", "1110.00"),
        {"aligned-ibrp-sa-09", "ibr-co-14"},
    ),
    # Taxable 11000.00 -> 11100.00: the SA lines still sum to 11000.00 (sa-08); 10% of
    # 11100.00 is 1110.00, not the stated 1100.00 (sa-09).
    (
        "sa-08",
        SA,
        set_text(f"{SUBTOTAL}/cbc:TaxableAmount", "11100.00"),
        {"aligned-ibrp-sa-08", "aligned-ibrp-sa-09"},
    ),
    # An SA breakdown with an exemption reason.
    (
        "sa-10",
        SA,
        add_after(
            f"{SUBTOTAL}/cac:TaxCategory/cbc:Percent",
            "<cbc:TaxExemptionReason>x</cbc:TaxExemptionReason>",
        ),
        {"aligned-ibrp-sa-10"},
    ),
    # 'S' is not a Malaysian category (breakdown); the breakdown is then no SA one, so the
    # SA rules have nothing to judge.
    (
        "cl-01",
        SA,
        set_text(f"{SUBTOTAL}/cac:TaxCategory/cbc:ID", "S"),
        {"aligned-ibrp-cl-01-my"},
    ),
    # No supplier BRN (ibt-030).
    ("ibr-02-my", SA, remove(f"{SELLER}/cac:PartyLegalEntity/cbc:CompanyID"), {"ibr-02-my"}),
    # A VAT breakdown without a rate whose category is not O (048). The SA rules then read
    # the rate as 0: no SA line is at 0% (sa-08), and 0% of 11000.00 is not 1100.00 (sa-09).
    (
        "048",
        SA,
        remove(f"{SUBTOTAL}/cac:TaxCategory/cbc:Percent"),
        {"aligned-ibrp-048", "aligned-ibrp-sa-08", "aligned-ibrp-sa-09"},
    ),
]


@pytest.mark.parametrize(
    ("case", "example", "mutate", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_my_rule_fires(case: str, example: str, mutate: Mutation, expected: set[str]) -> None:
    root = _root(example)
    mutate(root)
    assert errors(root, "my-pint") == expected


def test_tax_currency_must_be_ringgit() -> None:
    root = _root(SA)
    add_after("/*/cbc:DocumentCurrencyCode", "<cbc:TaxCurrencyCode>SGD</cbc:TaxCurrencyCode>")(root)
    assert "ibr-cl-05-my" in errors(root, "my-pint")


def test_tourism_tax_has_no_rate() -> None:
    # A TTX (scheme AAL) breakdown with a rate: ttx-08, and aligned-ibrp-048 (AAL/TTX must
    # not have one).
    root = _root(TTX)
    assert errors(root, "my-pint") == set()
    category = one(root, f"{SUBTOTAL}/cac:TaxCategory[cbc:ID='TTX']/cbc:ID")
    category.addnext(
        etree.fromstring(f'<cbc:Percent xmlns:cbc="{category.nsmap["cbc"]}">10</cbc:Percent>')
    )
    assert {"aligned-ibrp-ttx-08", "aligned-ibrp-048"} <= errors(root, "my-pint")


def test_tourism_tax_amount_is_the_lines_sum() -> None:
    # The TTX breakdown's 20.00 must equal the lines' TTX tax amounts (20.00); 25.00 is 5 off.
    root = _root(TTX)
    amount = one(root, f"{SUBTOTAL}[cac:TaxCategory/cbc:ID='TTX']/cbc:TaxAmount")
    amount.text = "25.00"
    assert "aligned-ibrp-ttx-09" in errors(root, "my-pint")


def test_exempt_breakdown() -> None:
    # An exempt (E) breakdown must carry tax 0 (e-09).
    root = _root(EXEMPT)
    assert errors(root, "my-pint") == set()
    one(root, f"{SUBTOTAL}[cac:TaxCategory/cbc:ID='E']/cbc:TaxAmount").text = "1.00"
    assert "aligned-ibrp-e-09" in errors(root, "my-pint")


def test_self_billing() -> None:
    # The official self-billing examples are not in shared/: a billing example with the
    # self-billing specification id, process and type code (389) must pass the self-billing
    # set, and the unchanged billing example must fail it on exactly those three.
    root = _root(SA)
    assert errors(root, "my-pint-selfbilling") == {
        "aligned-ibrp-001-my",
        "aligned-ibrp-002",
        "ibr-cl-01",
    }
    chain(
        set_text("/*/cbc:CustomizationID", "urn:peppol:pint:selfbilling-1@my-1"),
        set_text("/*/cbc:ProfileID", "urn:peppol:bis:selfbilling"),
        set_text("/*/cbc:InvoiceTypeCode", "389"),
    )(root)
    assert errors(root, "my-pint-selfbilling") == set()
    assert {"aligned-ibrp-001-my", "ibr-cl-01"} <= errors(root, "my-pint")


def test_self_billing_credit_note() -> None:
    root = _root(CREDIT_SA)
    chain(
        set_text("/*/cbc:CustomizationID", "urn:peppol:pint:selfbilling-1@my-1"),
        set_text("/*/cbc:ProfileID", "urn:peppol:bis:selfbilling"),
        set_text("/*/cbc:CreditNoteTypeCode", "261"),
    )(root)
    assert errors(root, "my-pint-selfbilling") == set()


def test_exempt_line_rate_must_be_zero() -> None:
    # An exempt (E, scheme VAT) line at 6% breaks aligned-ibrp-e-05.
    root = _root(EXEMPT)
    category = one(root, "/*/cac:InvoiceLine[1]/cac:Item/cac:ClassifiedTaxCategory[cbc:ID='E']")
    percent = category.find(f"{{{category.nsmap['cbc']}}}Percent")
    assert percent is not None
    percent.text = "6"
    assert "aligned-ibrp-e-05" in errors(root, "my-pint")


def test_buyer_brn_is_required() -> None:
    root = _root(SA)
    remove("/*/cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID")(root)
    assert errors(root, "my-pint") == {"ibr-03-my"}


# -- reading and writing the samples ------------------------------------------------------


def test_all_thirteen_samples_are_there() -> None:
    names = _samples()
    assert len(names) == 13
    assert sum(n.startswith(("CreditNote", "CompleteSample_LHDN-CreditNote")) for n in names) == 6


@pytest.mark.parametrize("name", _samples())
def test_sample_converts_to_itself_whole_and_valid(name: str) -> None:
    # Every element of an official sample is read (no einvoice.unmapped_element), written
    # back (no loss), and the written document passes the PINT MY rules as the sample does.
    data = shared_path(*MY, name).read_bytes()
    source = einvoice.check(data, as_of=AS_OF)
    assert [i.rule_id for i in source.issues if i.severity is Severity.ERROR] == []
    result = einvoice.convert(data, to="my-pint", as_of=AS_OF)
    assert [i.loc for i in result.report.issues if i.code == "einvoice.unmapped_element"] == []
    assert result.losses == []
    assert result.check is not None
    assert [i.rule_id for i in result.check.issues if i.severity is Severity.ERROR] == []
    root = etree.fromstring(result.document)
    assert etree.QName(root).localname == etree.QName(_root(name)).localname


def _text(root: etree._Element, path: str) -> str:
    return one(root, path).text or ""


def _credit_note() -> tuple[etree._Element, Invoice]:
    data = shared_path(*MY, COMPLETE_CREDIT).read_bytes()
    return etree.fromstring(data), read_ubl(data)


def test_a_credit_note_is_read_with_the_malaysian_elements() -> None:
    # Expected values are the sample's own, at the element each term binds.
    src, doc = _credit_note()
    assert (doc.kind, doc.loc, doc.issues) == ("credit-note", "/CreditNote", [])
    assert doc.value("IBT-168") == _text(src, "/*/cbc:IssueTime")
    assert doc.child("BG-14").value("MY-FREQUENCY") == _text(
        src, "/*/cac:InvoicePeriod/cbc:Description"
    )
    assert doc.child("BG-3").value("MY-REF-UUID") == _text(
        src, "/*/cac:BillingReference/cac:InvoiceDocumentReference/cbc:UUID"
    )
    seller = doc.child("BG-4")
    assert seller.value("MY-MSIC") == _text(
        src, "/*/cac:AccountingSupplierParty/cac:Party/cbc:IndustryClassificationCode"
    )
    prepaid = doc.child("MY-PREPAID")
    assert prepaid.value("IBT-180") == _text(src, "/*/cac:PrepaidPayment/cbc:PaidAmount")
    assert prepaid.value("MY-PREPAID-RECEIVED") == _text(
        src, "/*/cac:PrepaidPayment/cbc:ReceivedDate"
    )
    shipment = doc.child("BG-13").child("MY-SHIPMENT")
    assert shipment.value("MY-SHIPMENT-ID") == _text(src, "/*/cac:Delivery/cac:Shipment/cbc:ID")
    assert doc.child("MY-EXCHANGE").value("MY-EXCHANGE-RATE") == _text(
        src, "/*/cac:TaxExchangeRate/cbc:CalculationRate"
    )
    line = doc.children("BG-25")[0]
    xline = "/*/cac:CreditNoteLine[1]"
    assert line.child("MY-LINE-TAX").value("MY-LINE-TAX-AMOUNT") == _text(
        src, f"{xline}/cac:TaxTotal/cbc:TaxAmount"
    )
    assert line.value("MY-LINE-SUBTOTAL") == _text(
        src, f"{xline}/cac:ItemPriceExtension/cbc:Amount"
    )
    assert line.child("BG-31").value("MY-LOT-ID") == _text(
        src, f"{xline}/cac:Item/cac:ItemInstance/cac:LotIdentification/cbc:LotNumberID"
    )
    codes = [t.text for g in doc.children("BG-24") for t in g.all("MY-DOC-TYPE-CODE")]
    assert codes == [
        e.text
        for e in src.xpath("/*/cac:AdditionalDocumentReference/cbc:DocumentTypeCode", namespaces=NS)
    ]


def test_the_elements_pint_my_adds_are_read_in_an_invoice() -> None:
    data = shared_path(*MY, COMPLETE).read_bytes()
    src, doc = etree.fromstring(data), read_ubl(data)
    assert doc.issues == []
    assert doc.child("BG-16").value("MY-PAYMENT-MEANS-ID") == _text(
        src, "/*/cac:PaymentMeans/cbc:ID"
    )
    shipment = doc.child("BG-13").child("MY-SHIPMENT")
    assert shipment.value("MY-CONSIGNMENT-ID") == _text(
        src, "/*/cac:Delivery/cac:Shipment/cac:Consignment/cbc:ID"
    )
    verified = [g for g in doc.children("BG-24") if g.has("MY-VERIFIED-DATE")]
    assert [g.value("MY-VERIFIED-DATE") for g in verified] == [
        _text(src, "/*/cac:AdditionalDocumentReference/cac:ResultOfVerification/cbc:ValidationDate")
    ]
    rate = doc.children("BG-25")[0].child("MY-LINE-TAX").child("MY-LINE-TAX-SUBTOTAL")
    assert rate.value("MY-LINE-TAX-CATEGORY-RATE") == _text(
        src, "/*/cac:InvoiceLine[1]/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent"
    )


def test_a_credit_note_is_written_as_a_ubl_credit_note() -> None:
    src, _ = _credit_note()
    result = einvoice.convert(etree.tostring(src), to="my-pint", as_of=AS_OF)
    out = etree.fromstring(result.document)
    assert etree.QName(out).localname == "CreditNote"
    assert not out.xpath("/*/cbc:InvoiceTypeCode | /*/cac:InvoiceLine", namespaces=NS)
    assert _text(out, "/*/cbc:CreditNoteTypeCode") == _text(src, "/*/cbc:CreditNoteTypeCode")
    # UBL 2.1 orders a credit note line's tax total before its allowances and charges
    line = [etree.QName(c).localname for c in one(out, "/*/cac:CreditNoteLine[1]")]
    assert line.index("TaxTotal") < line.index("AllowanceCharge") < line.index("Item")
    # cac:PrepaidPayment, which the CreditNote schema lacks, where the sample puts it
    top = [etree.QName(c).localname for c in out]
    assert top.index("PaymentTerms") < top.index("PrepaidPayment") < top.index("TaxTotal")


def test_a_peppol_credit_note_into_my_pint_keeps_each_breakdown_scheme() -> None:
    # Read by the engine's UBL binding, the breakdown's scheme is implicit; written through
    # the MyInvois binding it is stated as the source states it, and nothing is lost.
    data = shared_path("vectors", "einvoice", "peppol-bis3", "examples").joinpath(
        "base-creditnote-correction.xml"
    )
    src = etree.fromstring(data.read_bytes())
    result = einvoice.convert(data.read_bytes(), to="my-pint", as_of=AS_OF)
    assert result.losses == []
    out = etree.fromstring(result.document)
    assert etree.QName(out).localname == "CreditNote"
    scheme = "/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID"
    assert [e.text for e in out.xpath(scheme, namespaces=NS)] == [
        e.text for e in src.xpath(scheme, namespaces=NS)
    ]
    assert result.check is not None
    assert not {"aligned-ibrp-047", "aligned-ibrp-048"} & {
        i.rule_id for i in result.check.issues if i.severity is Severity.ERROR
    }
