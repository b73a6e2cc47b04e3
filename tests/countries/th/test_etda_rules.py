"""The th-etda rules, each made to fire by one change to a valid ETDA sample.

Expected ids come from the ETDA Schematron texts (which report fires for which content);
the base documents are ETDA's own valid samples, on which no rule fires.
"""

from __future__ import annotations

import re

import pytest

from defa.countries.th.etda import read
from defa.einvoice.rules.engine import run
from defa.einvoice.rules.etda import ETDA
from tests.shared import shared_path

TIV = "TIV_IV2017110007_Sample.xml"
DBN = "DBN71600001.xml"
SELLER_TAX = '<ram:ID schemeID="TXID">010554106923700000</ram:ID>'
BUYER_TAX = '<ram:ID schemeID="TXID">010555105690100003</ram:ID>'
SUMMATION_END = "</ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
INVOICER = (
    SUMMATION_END + "<ram:InvoicerTradeParty><ram:Name>Agent</ram:Name>"
    '<ram:SpecifiedTaxRegistration><ram:ID schemeID="TXID">{tax}</ram:ID>'
    "</ram:SpecifiedTaxRegistration><ram:PostalTradeAddress><ram:PostcodeCode>10120"
    "</ram:PostcodeCode><ram:CityName>1028</ram:CityName><ram:CitySubDivisionName>102803"
    "</ram:CitySubDivisionName><ram:CountryID>TH</ram:CountryID><ram:CountrySubDivisionID>10"
    "</ram:CountrySubDivisionID><ram:BuildingNumber>1</ram:BuildingNumber>"
    "</ram:PostalTradeAddress></ram:InvoicerTradeParty>"
)
REFERENCE = (
    "</ram:BuyerTradeParty><ram:AdditionalReferencedDocument><ram:IssuerAssignedID>IV1"
    "</ram:IssuerAssignedID><ram:ReferenceTypeCode>{code}</ram:ReferenceTypeCode>"
    "</ram:AdditionalReferencedDocument>"
)


def _text(name: str) -> str:
    return shared_path("vectors", "einvoice", "etda", name).read_text(encoding="utf-8-sig")


def _fired(text: str) -> set[str]:
    doc = read(text.encode())
    return {i.rule_id or "" for i in run(doc, [ETDA]).issues}


def _as(text: str, type_name: str, code: str) -> str:
    """The tax invoice sample as another document type (its namespaces and type code)."""
    text = text.replace("TaxInvoice_", f"{type_name}_")
    return text.replace("<ram:TypeCode>388</ram:TypeCode>", f"<ram:TypeCode>{code}</ram:TypeCode>")


def _change(base: str, *edits: tuple[str, str]) -> str:
    text = _text(base)
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        ([], set()),
        (
            [(SELLER_TAX, '<ram:ID schemeID="TXID">0105541069237</ram:ID>')],
            {"TIV-SellerTradeParty-005"},
        ),
        (
            [(SELLER_TAX, '<ram:ID schemeID="VAT">010554106923700000</ram:ID>')],
            {"TIV-SellerTradeParty-004"},
        ),
        ([(SELLER_TAX, '<ram:ID schemeID="NIDN">1234567890123</ram:ID>')], set()),
        (
            [(SELLER_TAX, '<ram:ID schemeID="NIDN">010554106923700000</ram:ID>')],
            {"TIV-SellerTradeParty-006"},
        ),
        (
            [(SELLER_TAX, "<ram:ID></ram:ID>")],
            {"TIV-SellerTradeParty-003", "TIV-SellerTradeParty-005"},
        ),
        ([("<ram:BuildingNumber>11</ram:BuildingNumber>", "")], {"TIV-SellerTradeParty-009"}),
        (
            [("<ram:CitySubDivisionName>102803</ram:CitySubDivisionName>", "")],
            {"TIV-SellerTradeParty-011"},
        ),
        (
            [
                (
                    "<ram:PostcodeCode>10120</ram:PostcodeCode>",
                    "<ram:PostcodeCode>1012</ram:PostcodeCode>",
                )
            ],
            {"TIV-SellerTradeParty-007"},
        ),
        (
            [
                (
                    "TH</ram:CountryID>\n<ram:CountrySubDivisionID>",
                    "LA</ram:CountryID>\n<ram:CountrySubDivisionID>",
                )
            ],
            {"TIV-SellerTradeParty-008"},
        ),
        ([("<ram:Name>Stream I.T. Consulting Ltd.</ram:Name>", "")], {"TIV-SellerTradeParty-001"}),
        ([(BUYER_TAX, '<ram:ID schemeID="OTHR">X</ram:ID>')], {"TIV-BuyerTradeParty-006"}),
        ([(BUYER_TAX, '<ram:ID schemeID="OTHR">N/A</ram:ID>')], set()),
        (
            [(BUYER_TAX, '<ram:ID schemeID="CCPT">' + "P" * 36 + "</ram:ID>")],
            {"TIV-BuyerTradeParty-005"},
        ),
        ([(BUYER_TAX, '<ram:ID schemeID="PASS">AA1</ram:ID>')], {"TIV-BuyerTradeParty-002"}),
        ([("<ram:LineOne>15 ถนนนนทรี กรุงเทพฯ </ram:LineOne>", "")], {"TIV-BuyerTradeParty-007"}),
        ([(SUMMATION_END, INVOICER.format(tax="010554106923700001"))], {"TIV-Document-006"}),
        ([(SUMMATION_END, INVOICER.format(tax="010555105690100003"))], set()),
        (
            [("</ram:BuyerTradeParty>", REFERENCE.format(code="380"))],
            {"TIV-AdditionalReferencedDocument-001"},
        ),
        (
            [
                ("</ram:BuyerTradeParty>", REFERENCE.format(code="388")),
                (
                    "<ram:CreationDateTime>",
                    "<ram:PurposeCode>TIVC99</ram:PurposeCode><ram:CreationDateTime>",
                ),
            ],
            {"TIV-Document-005"},
        ),
        (
            [
                ("</ram:BuyerTradeParty>", REFERENCE.format(code="388")),
                (
                    "<ram:CreationDateTime>",
                    "<ram:PurposeCode>RCTC01</ram:PurposeCode><ram:CreationDateTime>",
                ),
            ],
            {"TIV-Document-004"},
        ),
        (
            [("<ram:TypeCode>388</ram:TypeCode>", "<ram:TypeCode>380</ram:TypeCode>")],
            {"TIV-Document-001"},
        ),
    ],
)
def test_tax_invoice_rules(edits: list[tuple[str, str]], expected: set[str]) -> None:
    assert _fired(_change(TIV, *edits)) == expected


def test_invoicer_rules() -> None:
    invoicer = INVOICER.format(tax="0105551056901")  # 13 digits under TXID
    invoicer = invoicer.replace("<ram:BuildingNumber>1</ram:BuildingNumber>", "")
    fired = _fired(_change(TIV, (SUMMATION_END, invoicer)))
    assert fired == {"TIV-InvoicerTradeParty-006", "TIV-InvoicerTradeParty-010"}


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        ([], set()),
        ([("<ram:PurposeCode>DBNG01</ram:PurposeCode >", "")], {"DCN-Document-004"}),
        ([("<ram:PurposeCode>DBNG01", "<ram:PurposeCode>CDNG01")], {"DCN-Document-005"}),
        (
            [
                ("<ram:PurposeCode>DBNG01", "<ram:PurposeCode>DBNG99"),
                ("<ram:Purpose>มีการเพิ่มราคาค่าสินค้า (สินค้าเกินกว่าจำนวนที่ตกลงกัน)</ram:Purpose >", ""),
            ],
            {"DCN-Document-007"},
        ),
        (
            [
                (
                    "<ram:ReferenceTypeCode>388</ram:ReferenceTypeCode>",
                    "<ram:ReferenceTypeCode>T01</ram:ReferenceTypeCode>",
                )
            ],
            {"DCN-AdditionalReferencedDocument-001"},
        ),
        (
            [
                (
                    '<ram:ID schemeID="TXID" >000000000000000000</ram:ID>',
                    '<ram:ID schemeID="TXID" >0000000000000</ram:ID>',
                )
            ],
            {"DCN-BuyerTradeParty-003"},
        ),
    ],
)
def test_debit_note_rules(edits: list[tuple[str, str]], expected: set[str]) -> None:
    assert _fired(_change(DBN, *edits)) == expected


def test_credit_note_purpose() -> None:
    text = _change(DBN, ("<ram:TypeCode>80</ram:TypeCode>", "<ram:TypeCode>81</ram:TypeCode>"))
    assert _fired(text) == {"DCN-Document-006"}  # DBNG01 is a debit note's purpose


def test_receipt_rules() -> None:
    receipt = _as(_text(TIV), "Receipt", "T01")
    assert _fired(receipt) == set()
    no_quantity = receipt.replace('<ram:BilledQuantity unitCode="Unit">1</ram:BilledQuantity>', "")
    assert _fired(no_quantity) == {"RCT-GoodsDetail-013"}
    bad_purpose = receipt.replace(
        "<ram:CreationDateTime>", "<ram:PurposeCode>TIVC01</ram:PurposeCode><ram:CreationDateTime>"
    )
    assert _fired(bad_purpose) == {"RCT-Document-002"}


def test_invoice_rules() -> None:
    invoice = _as(_text(TIV), "Invoice", "380")
    # the sample's name (ใบกำกับภาษี, tax invoice) is not an invoice's (ใบแจ้งหนี้)
    assert _fired(invoice) == {"INV-Document-002", "INV-Document-003"}
    renamed = invoice.replace("<ram:Name>ใบกำกับภาษี</ram:Name>", "<ram:Name>ใบแจ้งหนี้</ram:Name>")
    assert _fired(renamed) == set()


def test_abbreviated_tax_invoice_rules() -> None:
    abbreviated = _as(_text(TIV), "AbbreviatedTaxInvoice", "T05")
    assert _fired(abbreviated) == set()
    assert _fired(abbreviated.replace("<ram:BuildingNumber>11</ram:BuildingNumber>", "")) == {
        "ABB-SellerTradeParty-010"
    }
    assert _fired(abbreviated.replace("<ram:TypeCode>T05", "<ram:TypeCode>388")) == {
        "ABB-Document-001"
    }


def test_cancellation_note_rule() -> None:
    cancellation = _as(_text(TIV), "CancellationNote", "T07")
    assert _fired(cancellation) == set()
    assert _fired(cancellation.replace("<ram:TypeCode>T07", "<ram:TypeCode>81")) == {
        "CLN-Document-001"
    }


def test_rules_report_where() -> None:
    text = _change(TIV, (SELLER_TAX, '<ram:ID schemeID="TXID">0105541069237</ram:ID>'))
    (issue,) = run(read(text.encode()), [ETDA]).issues
    assert issue.code == "einvoice.rule"
    assert issue.spec == "th-etda"
    assert issue.loc.endswith("ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID")
    assert issue.ctx == {"length": 13, "expected": 18}


_INVOICER_OK = INVOICER.format(tax="010555105690100003")
_ADDRESS_END = _INVOICER_OK.index("</ram:PostalTradeAddress>") + len("</ram:PostalTradeAddress>")
_INVOICER_CASES = {
    "001": [("<ram:Name>Agent</ram:Name>", "")],
    "002": [
        (
            '<ram:SpecifiedTaxRegistration><ram:ID schemeID="TXID">010555105690100003</ram:ID>'
            "</ram:SpecifiedTaxRegistration>",
            "",
        )
    ],
    "003": [(_INVOICER_OK[_INVOICER_OK.index("<ram:PostalTradeAddress>") : _ADDRESS_END], "")],
    "005": [('schemeID="TXID">0105551056', 'schemeID="XX">0105551056')],
    "006": [("010555105690100003", "0105551056901")],
    "007": [('schemeID="TXID">0105551056', 'schemeID="NIDN">0105551056')],
    "008": [("<ram:PostcodeCode>10120", "<ram:PostcodeCode>101")],
    "009": [("<ram:CountryID>TH", "<ram:CountryID>LA")],
    "010": [("<ram:BuildingNumber>1</ram:BuildingNumber>", "")],
    "011": [("<ram:CityName>1028</ram:CityName>", "")],
    "012": [("<ram:CitySubDivisionName>102803</ram:CitySubDivisionName>", "")],
    "013": [("<ram:CountrySubDivisionID>10</ram:CountrySubDivisionID>", "")],
}


@pytest.mark.parametrize("prefix", ["TIV", "DCN", "RCT"])
@pytest.mark.parametrize("number", sorted(_INVOICER_CASES))
def test_invoicer_rules_by_number(prefix: str, number: str) -> None:
    """The invoicer's rules carry the same numbers in the three document types having them."""
    invoicer = _INVOICER_OK
    for old, new in _INVOICER_CASES[number]:
        assert old in invoicer, old
        invoicer = invoicer.replace(old, new, 1)
    base = {"TIV": _text(TIV), "DCN": _text(DBN), "RCT": _as(_text(TIV), "Receipt", "T01")}
    text = base[prefix].replace(SUMMATION_END, invoicer, 1)
    assert _fired(base[prefix].replace(SUMMATION_END, _INVOICER_OK, 1)) == set()
    assert _fired(text) == {f"{prefix}-InvoicerTradeParty-{number}"}


@pytest.mark.parametrize("prefix", ["TIV", "DCN", "RCT"])
def test_empty_invoicer_tax_id(prefix: str) -> None:
    invoicer = _INVOICER_OK.replace(">010555105690100003<", "><")
    base = {"TIV": _text(TIV), "DCN": _text(DBN), "RCT": _as(_text(TIV), "Receipt", "T01")}
    fired = _fired(base[prefix].replace(SUMMATION_END, invoicer, 1))
    # the id is empty (004), so it is not 18 characters long either (006)
    assert fired == {f"{prefix}-InvoicerTradeParty-004", f"{prefix}-InvoicerTradeParty-006"}


_SELLER_BLOCK = re.compile(r"<ram:SellerTradeParty>.*?</ram:SellerTradeParty>", re.DOTALL)
_SELLER_CASES = {
    "004": (r'schemeID="TXID"', 'schemeID="XX"'),
    "005": (r">(\d{13})\d{5}</ram:ID>", r">\1</ram:ID>"),
    "006": (r'schemeID="TXID"', 'schemeID="NIDN"'),
    "007": (r"<ram:PostcodeCode>\d+</ram:PostcodeCode>", ""),
    "008": (r">TH</ram:CountryID>", ">LA</ram:CountryID>"),
    "009": (r"<ram:BuildingNumber>[^<]*</ram:BuildingNumber>", ""),
    "010": (r"<ram:CityName>[^<]*</ram:CityName>", ""),
    "011": (r"<ram:CitySubDivisionName>[^<]*</ram:CitySubDivisionName>", ""),
    "012": (r"<ram:CountrySubDivisionID>[^<]*</ram:CountrySubDivisionID>", ""),
}


@pytest.mark.parametrize("prefix", ["TIV", "DCN", "RCT"])
@pytest.mark.parametrize("number", sorted(_SELLER_CASES))
def test_seller_rules_by_number(prefix: str, number: str) -> None:
    base = {"TIV": _text(TIV), "DCN": _text(DBN), "RCT": _as(_text(TIV), "Receipt", "T01")}
    text = base[prefix]
    pattern, replacement = _SELLER_CASES[number]
    block = _SELLER_BLOCK.search(text)
    assert block is not None
    changed, n = re.subn(pattern, replacement, block.group(0), count=1)
    assert n == 1
    assert _fired(text.replace(block.group(0), changed)) == {f"{prefix}-SellerTradeParty-{number}"}
