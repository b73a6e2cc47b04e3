"""Conversion options: self-billed document types and the caller's tax category choices.

Expected codes come from the specifications: UNTDID 1001 (380 invoice, 381 credit note,
389 self-billed invoice, 261 self billed credit note), PINT MY 1.3.1 self-billing
ibr-cl-01 (an Invoice is 389, a CreditNote 261), the MyInvois code table "e-Invoice Types"
(01-04; 11 self-billed invoice, 12 self-billed credit note, 13 self-billed debit note, 14
self-billed refund note), PINT SG's GST categories and MyInvois's tax types (01 sales tax,
02 service tax).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from lxml import etree

from defa import einvoice
from defa.einvoice import doctypes, profiles
from defa.einvoice.model import Invoice, Term
from defa.einvoice.syntax import syntaxes
from defa.errors import LookupFailed, Report
from tests.shared import shared_path

ON = date(2026, 11, 28)
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
SCHEME = "cac:TaxScheme/cbc:ID"


def _peppol(name: str) -> bytes:
    return shared_path("vectors", "einvoice", "peppol-bis3", "examples", name).read_bytes()


def _myinvois(name: str) -> bytes:
    return shared_path("vectors", "einvoice", "myinvois", name).read_bytes()


def _type_code(document: bytes) -> str | None:
    root = etree.fromstring(document)
    found = root.find(f"{{{CBC}}}InvoiceTypeCode")
    if found is None:
        found = root.find(f"{{{CBC}}}CreditNoteTypeCode")
    return found.text if found is not None else None


def _rules(report: Report | None) -> set[str]:
    assert report is not None
    return {i.rule_id or i.code for i in report.errors}


def _categories(doc: Invoice | None) -> list[Term]:
    assert doc is not None
    return [t for g in doc.walk() for tid in profiles.CATEGORY_TERMS for t in g.terms.get(tid, [])]


# -- self-billing ----------------------------------------------------------------------


def test_into_pint_my_self_billing_an_invoice_is_389_and_a_credit_note_261() -> None:
    invoice = einvoice.convert(_peppol("base-example.xml"), to="my-pint-selfbilling", as_of=ON)
    assert _type_code(invoice.document) == "389"
    credit = einvoice.convert(
        _peppol("base-creditnote-correction.xml"), to="my-pint-selfbilling", as_of=ON
    )
    assert _type_code(credit.document) == "261"
    # ibr-cl-01 of the self-billing release allows exactly these codes
    assert "ibr-cl-01" not in _rules(invoice.check)
    assert "ibr-cl-01" not in _rules(credit.check)
    assert invoice.losses == []
    assert credit.losses == []


@pytest.mark.parametrize(
    ("sample", "billing", "self_billed"),
    [
        ("1.1-Invoice-Sample.xml", "01", "11"),
        ("1.1-Credit-Note-Sample.xml", "02", "12"),
        ("1.1-Debit-Note-Sample.xml", "03", "13"),
        ("1.1-Refund-Note-Sample.xml", "04", "14"),
    ],
)
def test_myinvois_self_billed_types_when_asked(sample: str, billing: str, self_billed: str) -> None:
    data = _myinvois(sample)
    assert _type_code(einvoice.convert(data, to="my-myinvois-xml").document) == billing
    asked = einvoice.convert(data, to="my-myinvois-xml", self_billed=True)
    assert _type_code(asked.document) == self_billed
    assert asked.output is not None
    assert asked.output.value("BT-3") == self_billed
    json_doc = einvoice.convert(data, to="my-myinvois-json", self_billed=True)
    assert json_doc.output is not None
    assert json_doc.output.value("BT-3") == self_billed


def test_a_peppol_invoice_asked_self_billed_is_myinvois_11() -> None:
    result = einvoice.convert(_peppol("base-example.xml"), to="my-myinvois-xml", self_billed=True)
    assert _type_code(result.document) == "11"


@pytest.mark.parametrize(
    ("sample", "untdid"),
    [("1.0-Self-Billed-Invoice-Sample.xml", "389"), ("1.0-Self-Billed-Debit-Sample.xml", "527")],
)
def test_self_billed_myinvois_keeps_its_nature_in_untdid(sample: str, untdid: str) -> None:
    result = einvoice.convert(_myinvois(sample), to="ubl")
    assert _type_code(result.document) == untdid
    billing = einvoice.convert(_myinvois(sample), to="ubl", self_billed=False)
    assert _type_code(billing.document) == {"389": "380", "527": "383"}[untdid]


def test_a_self_billed_invoice_round_trips_through_pint_my_self_billing() -> None:
    there = einvoice.convert(
        _myinvois("1.0-Self-Billed-Invoice-Sample.xml"), to="my-pint-selfbilling"
    )
    assert _type_code(there.document) == "389"
    back = einvoice.convert(there.document, to="my-myinvois-xml")
    assert _type_code(back.document) == "11"


def test_a_type_with_no_code_in_the_target_is_kept_and_listed() -> None:
    # a refund note has no UNTDID 1001 code, and PINT MY self-billing has 389 and 261 only
    result = einvoice.convert(
        _myinvois("1.0-Self-Billed-Refund-Sample.xml"), to="my-pint-selfbilling"
    )
    assert _type_code(result.document) == "14"
    listed = [i for i in result.report.issues if i.ctx.get("term") == "BT-3"]
    assert [(i.code, i.ctx["value"]) for i in listed] == [("einvoice.value_not_carried", "14")]
    assert "refund note" in listed[0].msg


@pytest.mark.parametrize("to", ["vn-gdt", "ph-eis", "id-efaktur"])
def test_a_type_code_a_binding_has_no_element_for_is_listed_once(to: str) -> None:
    # these bindings hold no BT-3 at all: the refund note's "04" (the sample's
    # InvoiceTypeCode) is lost for that reason, listed once, not also as a type with no code
    result = einvoice.convert(_myinvois("1.1-Refund-Note-Sample.xml"), to=to)
    listed = [i for i in result.report.issues if i.ctx.get("term") == "BT-3"]
    assert [(i.code, i.ctx["value"]) for i in listed] == [("einvoice.value_not_carried", "04")]
    assert "has no element for BT-3" in listed[0].msg
    assert [(loss.term, loss.value) for loss in result.losses if loss.term == "BT-3"] == [
        ("BT-3", "04")
    ]


def test_self_billing_the_target_cannot_hold_is_refused() -> None:
    with pytest.raises(LookupFailed) as billing:
        einvoice.convert(_peppol("base-example.xml"), to="my-pint", self_billed=True)
    assert billing.value.issues[0].code == "einvoice.self_billing_unsupported"
    assert "my-pint-selfbilling" in billing.value.issues[0].msg
    with pytest.raises(LookupFailed) as only:
        einvoice.convert(_peppol("base-example.xml"), to="my-pint-selfbilling", self_billed=False)
    assert only.value.issues[0].code == "einvoice.self_billing_unsupported"


def test_type_code_meanings() -> None:
    assert doctypes.meaning("261") == ("credit-note", True)
    assert doctypes.meaning("14") == ("refund-note", True)
    assert doctypes.code_for(doctypes.MYINVOIS, "debit-note", True) == "13"
    assert doctypes.code_for(doctypes.UNTDID_1001, "debit-note", True) == "527"
    assert doctypes.meaning("386") is None


# -- tax category choices ---------------------------------------------------------------


def test_a_chosen_category_settles_an_ambiguous_one() -> None:
    # EN 16931 S has five PINT SG codes; the seller knows it is SR (standard-rated supply)
    plain = einvoice.convert(_peppol("base-example.xml"), to="sg-pint", as_of=ON)
    assert any("candidates" in i.ctx for i in plain.report.issues)
    chosen = einvoice.convert(
        _peppol("base-example.xml"), to="sg-pint", as_of=ON, tax_categories={"S": "SR"}
    )
    cats = _categories(chosen.output)
    assert cats
    assert {(t.text, t.attrs.get(SCHEME)) for t in cats} == {("SR", "GST")}
    assert not [i for i in chosen.report.issues if "candidates" in i.ctx]
    assert not {"BR-CL-17-GST-SG", "BR-CL-18-GST-SG"} & _rules(chosen.check)
    assert chosen.losses == []


def test_a_choice_applies_only_to_the_code_it_names() -> None:
    # vat-category-Z.xml: Z maps to ZR one to one; the choice for S does not touch it
    result = einvoice.convert(
        _peppol("vat-category-Z.xml"), to="sg-pint", as_of=ON, tax_categories={"S": "SR"}
    )
    assert {t.text for t in _categories(result.output)} == {"ZR"}


def test_sales_or_service_tax_is_the_callers_choice_for_myinvois() -> None:
    result = einvoice.convert(
        _peppol("base-example.xml"), to="my-myinvois-xml", tax_categories={"S": "02"}
    )
    assert {t.text for t in _categories(result.output)} == {"02"}
    assert not [i for i in result.report.issues if "candidates" in i.ctx]


def test_an_unknown_target_code_is_refused() -> None:
    with pytest.raises(LookupFailed) as caught:
        einvoice.convert(_peppol("base-example.xml"), to="sg-pint", tax_categories={"S": "XX"})
    issue = caught.value.issues[0]
    assert issue.code == "einvoice.unknown_tax_category"
    assert issue.loc == "tax_categories.S"


@pytest.mark.parametrize(
    ("to", "choice"),
    [
        ("sg-pint", {"S": "ZR"}),  # standard rate is never zero-rated
        ("sg-pint", {"SR": "DS"}),  # SR is a PINT SG code already: kept as it is
        ("my-myinvois-xml", {"S": "E"}),  # standard rate is not an exemption
    ],
)
def test_a_choice_the_crosswalk_does_not_allow_is_refused(to: str, choice: dict[str, str]) -> None:
    with pytest.raises(LookupFailed) as caught:
        einvoice.convert(_peppol("base-example.xml"), to=to, tax_categories=choice)
    assert caught.value.issues[0].code == "einvoice.tax_category_choice"


def test_the_step_with_choices_leaves_the_format_alone() -> None:
    fmt = profiles.get("sg-pint")
    assert fmt.prepare is not None
    assert profiles.tax_schemes(fmt.prepare) == ["sg-gst"]
    chosen = profiles.with_tax_choices(fmt.prepare, {"S": "SR"})
    assert chosen is not fmt.prepare
    doc = Invoice()
    doc.new_group("BG-23").add(Term("BT-118", "S"))
    assert [t.text for t in _categories(chosen(doc))] == ["SR"]
    assert [t.text for t in _categories(fmt.prepare(doc))] == ["S"]


# -- reading once ---------------------------------------------------------------------------


def _counting_ubl_reader(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    ubl = syntaxes()["ubl"]

    def read(root: etree._Element) -> Invoice:
        calls.append(etree.QName(root).localname)
        return ubl.read(root)

    monkeypatch.setitem(syntaxes(), "ubl", replace(ubl, read=read))
    return calls


def test_a_myinvois_document_is_read_once_by_its_own_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _counting_ubl_reader(monkeypatch)
    report = einvoice.check(_myinvois("1.1-Invoice-Sample.xml"), as_of=ON)
    assert report.meta["format"] == "my-myinvois-xml"
    assert calls == []  # recognised from its header, read by the MyInvois reader alone
    einvoice.check(_peppol("base-example.xml"), as_of=ON)
    assert calls == ["Invoice"]  # a document of no such format: its syntax reads it, once


def test_a_document_another_format_reader_refuses_is_reported_not_raised() -> None:
    # a Peppol BIS 3 invoice named as MyInvois: the MyInvois reader says what it looks like
    report = einvoice.check(_peppol("base-example.xml"), format="my-myinvois-xml")
    assert [i.code for i in report.errors] == ["einvoice.wrong_format"]
