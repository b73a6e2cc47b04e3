"""The rule set my-myinvois on the official samples and on samples changed by hand.

Expected findings come from LHDN's field tables (Document Types v1.0/v1.1) and code tables,
applied by hand to what each document holds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from lxml import etree

import defa.einvoice.rules  # noqa: F401  # registers the rule sets
from defa import data
from defa.countries.my.myinvois import read_json, read_xml
from defa.einvoice.rules.engine import resolve, rule_set, run
from defa.errors import Severity
from tests.countries.my.conftest import JSON_SAMPLES, XML_SAMPLES, sample

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
}
RULES = rule_set("my-myinvois")


def findings(doc_bytes: bytes, reader: Callable[[bytes], object] = read_xml) -> list[str]:
    doc = reader(doc_bytes)
    return sorted(i.rule_id or "" for i in run(doc, [RULES]).issues)  # type: ignore[arg-type]


def changed(name: str, edit: Callable[[etree._Element], None]) -> bytes:
    root = etree.fromstring(sample(name))
    edit(root)
    return etree.tostring(root)


def drop(path: str) -> Callable[[etree._Element], None]:
    def edit(root: etree._Element) -> None:
        found = root.xpath(path, namespaces=NS)
        assert found, path
        for el in found:
            el.getparent().remove(el)

    return edit


def set_text(path: str, text: str) -> Callable[[etree._Element], None]:
    def edit(root: etree._Element) -> None:
        found = root.xpath(path, namespaces=NS)
        assert found, path
        for el in found:
            el.text = text

    return edit


def test_rule_set_identity() -> None:
    assert RULES.version == "1.1"
    assert len(RULES.rules) == 76
    assert [rs.id for rs in resolve("my-myinvois", date(2024, 8, 1))] == ["my-myinvois"]
    assert all(r.id.startswith("MYINVOIS-") for r in RULES.rules.values())


def test_code_tables_are_packaged_with_provenance() -> None:
    codes = data.load("my-myinvois-codes", date(2024, 8, 1))
    assert codes.meta.publisher.startswith("Lembaga Hasil Dalam Negeri")
    tables = codes.content["codes"]
    # counts of the published tables (05-code-tables)
    assert len(tables["einvoice_types"]) == 8
    assert len(tables["tax_types"]) == 7
    assert len(tables["states"]) == 17
    assert "46510" in tables["msic"]
    assert codes.content["types"]["12"] == {"kind": "credit-note", "self_billed": True}


# Samples whose every field is as the tables ask, so no rule fires. The others hold
# placeholders the tables refuse, shown below.
CLEAN = ("1.0-Invoice-MultiLineItem-Sample.json", "1.1-Invoice-MultiLineItem-Sample.json")


@pytest.mark.parametrize("name", CLEAN)
def test_clean_samples(name: str) -> None:
    assert findings(sample(name), read_json) == []


@pytest.mark.parametrize(
    "name",
    [n for n in XML_SAMPLES + JSON_SAMPLES if "Consolidated" not in n and "MultiLine" not in n],
)
def test_placeholder_recipient_tin_is_too_long(name: str) -> None:
    # the samples' shipping recipient TIN is the placeholder "Recipient's TIN": 15 characters,
    # and a TIN has at most 14 (Shipping Recipient's TIN, Number of Chars 14)
    reader = read_json if name.endswith(".json") else read_xml
    found = findings(sample(name), reader)
    assert "MYINVOIS-L04" in found
    assert set(found) <= {"MYINVOIS-L04", "MYINVOIS-43"}


def test_foreign_currency_xml_sample_tax_currency() -> None:
    # its cbc:TaxCurrencyCode is "MYS", a country code, not a currency of the table
    assert "MYINVOIS-43" in findings(sample("1.1-Invoice-ForeignCurrency-Sample.xml"))


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_consolidated_sample_buyer_address(version: str) -> None:
    # the consolidated samples leave the buyer's city, state and country empty, which the
    # Address table marks Mandatory
    found = findings(sample(f"{version}-Invoice-Consolidated-Sample.xml"))
    assert found == ["MYINVOIS-24"]


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_multiline_xml_sample_exemption(version: str) -> None:
    # its third tax subtotal has tax type E with no exemption details
    found = findings(sample(f"{version}-Invoice-MultiLineItem-Sample.xml"))
    assert found == ["MYINVOIS-69"]


BASE = "1.1-Invoice-MultiLineItem-Sample.xml"
BASE_FINDINGS = ["MYINVOIS-69"]


@pytest.mark.parametrize(
    ("edit", "rule"),
    [
        (drop("cbc:ID"), "MYINVOIS-01"),
        (drop("cbc:IssueTime"), "MYINVOIS-03"),
        (set_text("cbc:IssueTime", "8pm"), "MYINVOIS-07"),
        (set_text("cbc:InvoiceTypeCode", "05"), "MYINVOIS-40"),
        (drop("cac:AccountingSupplierParty"), "MYINVOIS-09"),
        (
            drop("cac:AccountingSupplierParty//cac:PartyIdentification[cbc:ID/@schemeID='TIN']"),
            "MYINVOIS-11",
        ),
        (
            drop("cac:AccountingCustomerParty//cac:PartyIdentification[cbc:ID/@schemeID='BRN']"),
            "MYINVOIS-22",
        ),
        (drop("cac:AccountingSupplierParty//cbc:IndustryClassificationCode"), "MYINVOIS-13"),
        (
            set_text("cac:AccountingSupplierParty//cbc:IndustryClassificationCode", "99999"),
            "MYINVOIS-44",
        ),
        (drop("cac:AccountingSupplierParty//cac:Contact/cbc:Telephone"), "MYINVOIS-16"),
        (drop("cac:AccountingCustomerParty//cbc:CityName"), "MYINVOIS-24"),
        (set_text("cac:AccountingSupplierParty//cbc:CountrySubentityCode", "99"), "MYINVOIS-45"),
        (
            set_text("cac:AccountingSupplierParty//cac:Country/cbc:IdentificationCode", "XX"),
            "MYINVOIS-46",
        ),
        (set_text("cbc:DocumentCurrencyCode", "ZZZ"), "MYINVOIS-42"),
        (set_text("cbc:DocumentCurrencyCode", "USD"), "MYINVOIS-51"),
        (drop("cac:InvoiceLine"), "MYINVOIS-60"),
        (
            drop(
                "cac:InvoiceLine[1]/cac:Item/cac:CommodityClassification[cbc:ItemClassificationCode/@listID='CLASS']"
            ),
            "MYINVOIS-61",
        ),
        (
            set_text("cac:InvoiceLine[1]//cbc:ItemClassificationCode[@listID='CLASS']", "999"),
            "MYINVOIS-49",
        ),
        (drop("cac:InvoiceLine[1]/cac:Item/cbc:Description"), "MYINVOIS-62"),
        (drop("cac:InvoiceLine[1]/cac:Price"), "MYINVOIS-63"),
        (drop("cac:InvoiceLine[1]/cac:TaxTotal"), "MYINVOIS-64"),
        (drop("cac:InvoiceLine[1]/cac:ItemPriceExtension"), "MYINVOIS-66"),
        (drop("cac:InvoiceLine[1]/cbc:LineExtensionAmount"), "MYINVOIS-67"),
        (drop("cac:TaxTotal/cac:TaxSubtotal"), "MYINVOIS-70"),
        (drop("cac:LegalMonetaryTotal/cbc:PayableAmount"), "MYINVOIS-32"),
        (drop("cac:TaxTotal/cbc:TaxAmount"), "MYINVOIS-33"),
        (drop("ext:UBLExtensions"), "MYINVOIS-90"),
        (set_text("cac:Signature/cbc:ID", "x"), "MYINVOIS-91"),
        (set_text("cbc:ID", "X" * 51), "MYINVOIS-L01"),
        (set_text("cac:AccountingSupplierParty//cbc:Telephone", "+6" + "0" * 20), "MYINVOIS-L11"),
    ],
)
def test_each_rule_fires_on_its_fault(edit: Callable[[etree._Element], None], rule: str) -> None:
    found = findings(changed(BASE, edit))
    assert rule in found, found
    assert set(found) - set(BASE_FINDINGS) - {rule} <= _KNOWN_KNOCK_ON.get(rule, set())


# removing a whole part also removes what the part held
_KNOWN_KNOCK_ON: dict[str, set[str]] = {
    "MYINVOIS-09": set(),
    "MYINVOIS-13": {"MYINVOIS-14"},  # the description is the code's @name
    "MYINVOIS-42": {"MYINVOIS-51"},  # a currency other than MYR needs an exchange rate
    "MYINVOIS-60": set(),
    "MYINVOIS-70": set(),
    "MYINVOIS-64": {"MYINVOIS-65"},
    "MYINVOIS-90": set(),
    "MYINVOIS-40": set(),
    "MYINVOIS-61": set(),
}


def test_unit_code_outside_the_table() -> None:
    def edit(root: etree._Element) -> None:
        root.xpath("cac:InvoiceLine[1]/cbc:InvoicedQuantity", namespaces=NS)[0].set(
            "unitCode", "QQQ"
        )

    assert "MYINVOIS-50" in findings(changed(BASE, edit))


def test_version_missing() -> None:
    def edit(root: etree._Element) -> None:
        del root.find("cbc:InvoiceTypeCode", NS).attrib["listVersionID"]

    assert "MYINVOIS-05" in findings(changed(BASE, edit))


def test_payment_mode_outside_the_table() -> None:
    edit = set_text("cac:PaymentMeans/cbc:PaymentMeansCode", "99")
    assert "MYINVOIS-47" in findings(changed("1.1-Invoice-Sample.xml", edit))


def test_line_exemption_without_details() -> None:
    edit = drop("cac:InvoiceLine[1]//cbc:TaxExemptionReason")
    assert "MYINVOIS-68" in findings(changed("1.1-Invoice-Sample.xml", edit))


def test_version_other_than_1_0_or_1_1() -> None:
    def edit(root: etree._Element) -> None:
        root.find("cbc:InvoiceTypeCode", NS).set("listVersionID", "2.0")

    assert "MYINVOIS-41" in findings(changed(BASE, edit))


def test_version_1_0_needs_no_signature() -> None:
    assert "MYINVOIS-90" not in findings(sample("1.0-Invoice-Sample.xml"))


def test_credit_note_without_reference_is_a_warning() -> None:
    doc = read_xml(
        changed(
            "1.1-Credit-Note-Sample.xml", drop("cac:BillingReference[cac:InvoiceDocumentReference]")
        )
    )
    issues = [i for i in run(doc, [RULES]).issues if i.rule_id == "MYINVOIS-80"]
    assert len(issues) == 1
    assert issues[0].severity is Severity.WARNING


def test_self_billed_credit_note_reference_without_uuid() -> None:
    name = "1.0-Self-Billed-Credit-Sample.xml"
    found = findings(
        changed(name, drop("cac:BillingReference/cac:InvoiceDocumentReference/cbc:UUID"))
    )
    assert "MYINVOIS-80" in found


def test_identifier_scheme_outside_the_list() -> None:
    def scheme(root: etree._Element) -> None:
        el = root.xpath("cac:AccountingCustomerParty//cbc:ID[@schemeID='BRN']", namespaces=NS)[0]
        el.set("schemeID", "GST")

    found = findings(changed(BASE, scheme))
    assert "MYINVOIS-26" in found
    assert "MYINVOIS-22" in found


def test_findings_carry_the_rule_set_and_location() -> None:
    doc = read_xml(changed(BASE, set_text("cbc:IssueTime", "8pm")))
    issue = next(i for i in run(doc, [RULES]).issues if i.rule_id == "MYINVOIS-07")
    assert issue.code == "einvoice.rule"
    assert issue.spec == "my-myinvois"
    assert issue.loc == "/Invoice/cbc:IssueTime"


@pytest.mark.parametrize("name", ["1.1-Invoice-Sample.xml", "1.0-Invoice-Consolidated-Sample.xml"])
def test_a_document_read_by_the_engines_ubl_reader_is_checked_alike(name: str) -> None:
    # the engine's UBL reader does not know the MyInvois elements; the rules read them anyway
    from defa.einvoice.syntax import ubl

    engine = ubl.read(sample(name))
    assert not any(k.startswith("MY-") for k in engine.terms)
    assert sorted(i.rule_id or "" for i in run(engine, [RULES]).issues) == findings(sample(name))
