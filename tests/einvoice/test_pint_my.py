"""PINT MY 1.3.1 aligned rules (billing and self-billing): each family fails when a valid
official example is broken in one place, with the hand reasoning for the rule ids expected.
"""

from __future__ import annotations

import pytest
from lxml import etree

from tests.einvoice.test_pint_base import (
    Mutation,
    add_after,
    chain,
    errors,
    one,
    remove,
    set_text,
)
from tests.shared import shared_path

MY = ("vectors", "einvoice", "pint-my", "1.3.1-billing")
SA = "Invoice-Sample-SA_1.3.0.xml"
TTX = "Invoice-Sample-TTX_1.3.0.xml"
EXEMPT = "TaxTotal-DocumentAndLineLevel.xml"
CREDIT_SA = "CreditNote-Sample-SA_1.3.0.xml"
SUBTOTAL = "/*/cac:TaxTotal/cac:TaxSubtotal"
SELLER = "/*/cac:AccountingSupplierParty/cac:Party"


def _root(name: str) -> etree._Element:
    return etree.fromstring(shared_path(*MY, name).read_bytes())


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
    # No official self-billing example is published: a billing example with the self-billing
    # specification id, process and type code (389) must pass the self-billing set, and the
    # unchanged billing example must fail it on exactly those three.
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
