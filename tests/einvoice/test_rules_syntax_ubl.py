"""UBL syntax-bound rules (UBL-CR, UBL-SR, UBL-DT) on small UBL documents and upstream cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from defa import data
from defa.einvoice.model import Invoice
from defa.einvoice.rules.en16931 import EN16931
from defa.einvoice.rules.en16931.syntax_ubl import RESTRICTIONS
from defa.einvoice.syntax.ubl import read
from defa.errors import Severity
from tests.einvoice.unit_cases import UnitCase, errors_on, example_paths, judge
from tests.einvoice.unit_cases import fired as fired_rules
from tests.einvoice.unit_cases import unit_cases as _unit_cases
from tests.shared import shared_path

NS = (
    'xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2" '
    'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" '
    'xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"'
)


def ubl(body: str, root: str = "Invoice") -> Invoice:
    return read(f"<{root} {NS.format(root=root)}>{body}</{root}>".encode())


def fired(doc: Invoice) -> dict[str, list[str]]:
    """Every UBL-* rule that fails on ``doc``, with its locations."""
    return fired_rules(doc, "UBL-")


# -- the restriction table -------------------------------------------------------------------


def test_table_is_packaged_data_citing_the_artefacts() -> None:
    f = data.load("en16931-ubl-restrictions", EN16931.valid_from)
    assert f.meta.version == "1.3.16"
    assert "EN16931-UBL-syntax.sch" in f.meta.source


def test_every_upstream_syntax_rule_is_defined_with_its_flag() -> None:
    # The rule ids and flags as the abstract syntax Schematron declares them.
    text = shared_path(
        "specs", "einvoice", "en16931", "ubl-schematron", "abstract", "EN16931-syntax.sch"
    ).read_text(encoding="utf-8")
    found = re.findall(r'flag="(\w+)" id="(UBL-\w+-\d+)"', text)
    upstream = {rid: flag for flag, rid in found}
    assert len(upstream) > 750
    for rule_id, flag in upstream.items():
        rule = EN16931.rules[rule_id]
        assert rule.syntax == "ubl"
        assert rule.severity is (Severity.ERROR if flag == "fatal" else Severity.WARNING)
    assert {r for r in EN16931.rules if r.startswith("UBL-")} == set(upstream)
    assert len({r.rule_id for r in RESTRICTIONS}) == len(RESTRICTIONS)


def test_syntax_rules_do_not_run_on_documents_built_in_code() -> None:
    assert fired(Invoice()) == {}


# -- restrictions ----------------------------------------------------------------------------


def test_restricted_elements_and_attributes() -> None:
    doc = ubl(
        "<ext:UBLExtensions/><cbc:UBLVersionID>2.0</cbc:UBLVersionID><cbc:UUID>x</cbc:UUID>"
        '<cbc:Note languageID="en">n</cbc:Note>'
        "<cac:InvoicePeriod><cbc:StartTime>10:00:00</cbc:StartTime></cac:InvoicePeriod>"
        "<cac:InvoiceLine><cbc:UUID>u</cbc:UUID><cac:Item><cbc:PackQuantity>1</cbc:PackQuantity>"
        "</cac:Item></cac:InvoiceLine>"
        "<cac:PaymentMeans><cac:PayeeFinancialAccount><cac:FinancialInstitutionBranch>"
        "<cac:FinancialInstitution/></cac:FinancialInstitutionBranch></cac:PayeeFinancialAccount>"
        "</cac:PaymentMeans>"
    )
    got = fired(doc)
    assert got["UBL-CR-001"] == ["/Invoice/ext:UBLExtensions"]
    assert got["UBL-CR-002"] == ["/Invoice/cbc:UBLVersionID"]
    assert "UBL-CR-005" in got
    assert got["UBL-CR-012"] == ["/Invoice/cac:InvoicePeriod/cbc:StartTime"]
    assert got["UBL-CR-515"] == ["/Invoice/cac:InvoiceLine/cbc:UUID"]
    assert "UBL-CR-563" in got
    assert "UBL-CR-664" in got  # //cac:FinancialInstitution, anywhere
    assert got["UBL-DT-19"] == ["/Invoice/cbc:Note/@languageID"]
    restrictions = [r for r in got if r.startswith(("UBL-CR", "UBL-DT-1", "UBL-DT-2"))]
    assert all(EN16931.rules[r].severity is Severity.WARNING for r in restrictions)


def test_restrictions_past_comments_and_in_a_root_inside_another_tree() -> None:
    body = (
        "<!-- c --><cbc:UBLVersionID>2.0</cbc:UBLVersionID>"
        "<cac:InvoicePeriod><?pi x?><cbc:StartTime>10:00:00</cbc:StartTime></cac:InvoicePeriod>"
        '<cbc:Note languageID="en">n</cbc:Note><cac:FinancialInstitution/>'
    )
    got = fired(ubl(body))
    assert got["UBL-CR-002"] == ["/Invoice/cbc:UBLVersionID"]
    assert got["UBL-CR-012"] == ["/Invoice/cac:InvoicePeriod/cbc:StartTime"]
    assert got["UBL-DT-19"] == ["/Invoice/cbc:Note/@languageID"]
    assert got["UBL-CR-664"] == ["/Invoice/cac:FinancialInstitution"]
    # An invoice element inside an envelope: "//" attribute rows read the whole document.
    envelope = etree.fromstring(
        f'<Envelope languageID="x"><Invoice {NS.format(root="Invoice")}>{body}</Invoice></Envelope>'
    )
    got = fired(read(envelope[0]))
    assert got["UBL-CR-002"] == ["/Envelope/Invoice/cbc:UBLVersionID"]
    assert got["UBL-DT-19"] == ["/Envelope/@languageID"]


def test_version_2_1_and_credit_note_due_date_are_allowed() -> None:
    doc = ubl(
        "<cbc:UBLVersionID>2.1</cbc:UBLVersionID>"
        "<cac:PaymentMeans><cbc:PaymentDueDate>2024-01-01</cbc:PaymentDueDate></cac:PaymentMeans>",
        root="CreditNote",
    )
    got = fired(doc)
    assert "UBL-CR-002" not in got
    assert "UBL-CR-412" not in got
    invoice = ubl(
        "<cac:PaymentMeans><cbc:PaymentDueDate>2024-01-01</cbc:PaymentDueDate></cac:PaymentMeans>"
    )
    assert "UBL-CR-412" in fired(invoice)


def test_invoiced_object_reference_restrictions() -> None:
    ref130 = (
        "<cac:AdditionalDocumentReference><cbc:ID>1</cbc:ID>"
        "<cbc:DocumentTypeCode>130</cbc:DocumentTypeCode>"
        "<cbc:DocumentDescription>d</cbc:DocumentDescription><cac:Attachment/>"
        "</cac:AdditionalDocumentReference>"
    )
    got = fired(ubl(ref130))
    assert EN16931.rules["UBL-CR-666"].severity is Severity.ERROR
    assert {"UBL-CR-666", "UBL-CR-673"} <= set(got)
    other = (
        '<cac:AdditionalDocumentReference><cbc:ID schemeID="ABT">1</cbc:ID>'
        "</cac:AdditionalDocumentReference>"
    )
    got = fired(ubl(other))
    assert "UBL-CR-665" in got
    assert "UBL-CR-666" not in got


def test_name_attribute_only_on_payment_means_code() -> None:
    ok = ubl('<cac:PaymentMeans><cbc:PaymentMeansCode name="x">30</cbc:PaymentMeansCode>'
             "</cac:PaymentMeans>")  # fmt: skip
    assert "UBL-DT-18" not in fired(ok)
    assert "UBL-DT-18" in fired(ubl('<cbc:Note name="x">n</cbc:Note>'))


# -- cardinalities and data types ----------------------------------------------------------------


def test_cardinalities() -> None:
    doc = ubl(
        "<cac:InvoicePeriod/><cac:InvoicePeriod/>"
        "<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>"
        "<cbc:PaymentID>A</cbc:PaymentID></cac:PaymentMeans>"
        "<cac:PaymentMeans><cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>"
        "<cbc:PaymentID>B</cbc:PaymentID></cac:PaymentMeans>"
        "<cac:InvoiceLine><cbc:Note>a</cbc:Note><cbc:Note>b</cbc:Note><cac:Item/></cac:InvoiceLine>"
    )
    got = fired(doc)
    assert got["UBL-SR-08"] == ["/Invoice"]
    assert "UBL-SR-44" in got  # two different PaymentIDs
    assert "UBL-SR-47" in got  # two different payment means codes
    assert got["UBL-SR-34"] == ["/Invoice/cac:InvoiceLine"]
    assert got["UBL-SR-48"] == ["/Invoice/cac:InvoiceLine"]  # no ClassifiedTaxCategory


def test_same_payment_id_on_several_payment_means_is_fine() -> None:
    pm = ("<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>"
          "<cbc:PaymentID>A</cbc:PaymentID></cac:PaymentMeans>")  # fmt: skip
    got = fired(ubl(pm + pm))
    assert "UBL-SR-44" not in got
    assert "UBL-SR-47" not in got


def test_seller_vat_and_tax_registration() -> None:
    def party(*schemes: str) -> str:
        pts = "".join(
            f"<cac:PartyTaxScheme><cbc:CompanyID>X{n}</cbc:CompanyID>"
            f"<cac:TaxScheme><cbc:ID>{s}</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>"
            for n, s in enumerate(schemes)
        )
        party = f"<cac:Party>{pts}</cac:Party>"
        return f"<cac:AccountingSupplierParty>{party}</cac:AccountingSupplierParty>"

    assert not {"UBL-SR-12", "UBL-SR-13", "UBL-SR-42"} & set(fired(ubl(party("VAT", "TAX"))))
    assert "UBL-SR-12" in fired(ubl(party("VAT", "vat")))  # upper-cased before comparing
    assert "UBL-SR-13" in fired(ubl(party("TAX", "FOO")))
    assert "UBL-SR-42" in fired(ubl(party("VAT", "TAX", "FOO")))


def test_payee_name_must_differ_from_the_seller() -> None:
    seller = (
        "<cac:AccountingSupplierParty><cac:Party><cac:PartyLegalEntity>"
        "<cbc:RegistrationName>Acme</cbc:RegistrationName></cac:PartyLegalEntity>"
        "</cac:Party></cac:AccountingSupplierParty>"
    )

    def payee(name: str) -> str:
        named = f"<cac:PartyName><cbc:Name>{name}</cbc:Name></cac:PartyName>"
        return f"<cac:PayeeParty>{named}</cac:PayeeParty>"

    assert "UBL-SR-19" in fired(ubl(seller + payee("Acme")))
    assert "UBL-SR-19" not in fired(ubl(seller + payee("Factor Ltd")))


@pytest.mark.parametrize(
    ("amount", "ok"), [("10", True), ("10.5", True), ("10.25", True), ("10.255", False)]
)
def test_ubl_dt_01_two_decimals(amount: str, ok: bool) -> None:
    doc = ubl(
        f'<cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="EUR">{amount}'
        "</cbc:PayableAmount></cac:LegalMonetaryTotal>"
    )
    assert ("UBL-DT-01" in fired(doc)) is not ok


def test_ubl_dt_01_skips_prices_and_price_discounts() -> None:
    doc = ubl(
        "<cac:InvoiceLine><cac:Price>"
        '<cbc:PriceAmount currencyID="EUR">1.2345</cbc:PriceAmount>'
        '<cac:AllowanceCharge><cbc:Amount currencyID="EUR">0.1234</cbc:Amount>'
        '<cbc:BaseAmount currencyID="EUR">1.3579</cbc:BaseAmount></cac:AllowanceCharge>'
        "</cac:Price></cac:InvoiceLine>"
    )
    assert "UBL-DT-01" not in fired(doc)


def test_binary_objects_need_mime_code_and_file_name() -> None:
    doc = ubl(
        "<cac:AdditionalDocumentReference><cbc:ID>1</cbc:ID><cac:Attachment>"
        "<cbc:EmbeddedDocumentBinaryObject>AA==</cbc:EmbeddedDocumentBinaryObject>"
        "</cac:Attachment></cac:AdditionalDocumentReference>"
    )
    got = fired(doc)
    assert {"UBL-DT-06", "UBL-DT-07"} <= set(got)


# -- the official cases ---------------------------------------------------------------------------

CASES = _unit_cases(r"UBL-")


@pytest.mark.parametrize("case", CASES, ids=[f"{c.name}:{c.rule_id}" for c in CASES])
def test_upstream_unit_case(case: UnitCase) -> None:
    judge(case)


SYNTAX = re.compile(r"UBL-")


@pytest.mark.parametrize("path", list(example_paths()), ids=lambda p: p.name)
def test_no_syntax_errors_on_official_examples(path: Path) -> None:
    assert errors_on(path, SYNTAX) == {}
