"""Philippines BIR EIS invoice JSON: read, write back, convert to and from UBL, rules.

The document uses the field names public EIS integrations send (CompInvoiceId, IssueDtm,
EisUniqueId, SellerInfo, BuyerInfo, ItemList, Discount, ForCur...); BIR's specification
itself is not public, which is why the format is ``unconfirmed``.

Hand arithmetic: 2 x 500.00 = 1 000.00 sales, less a regular discount of 100.00, gives
net sales of 900.00; VAT at 12% is 108.00; the amount payable is 1 008.00.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from defa import einvoice
from defa.countries.ph import einvoice as eis
from defa.einvoice.national import load_json
from defa.errors import InputRejected

SAMPLE = b"""{
  "CompInvoiceId": "SI-0000001",
  "IssueDtm": "20250314",
  "EisUniqueId": "202503140000000100000001",
  "DocType": "SI",
  "TransClass": "01",
  "CorrYN": "N",
  "Rmk1": "Delivered to warehouse 3",
  "SellerInfo": {
    "Tin": "123456789",
    "BranchCd": "00000",
    "Type": "V",
    "RegNm": "Acme Trading Corporation",
    "BusinessNm": "Acme",
    "Email": "billing@acme.example",
    "RegAddr": "Makati City"
  },
  "BuyerInfo": {
    "Tin": "987654321",
    "BranchCd": "00000",
    "RegNm": "Buyer Incorporated",
    "RegAddr": "Pasig City"
  },
  "ItemList": [
    {"Nm": "Bond paper A4", "Desc": "500 sheets", "Qty": 2, "Unit": "ream",
     "UnitCost": 500.00, "SalesAmt": 1000.00, "RegDscntAmt": 100.00,
     "SpeDscntAmt": 0, "NetSales": 900.00}
  ],
  "TotNetItemSales": 900.00,
  "Discount": {"ScAmt": 0, "PwdAmt": 0, "RegAmt": 100.00, "SpeAmt": 0},
  "TotNetSalesAftDisct": 900.00,
  "VATAmt": 108.00,
  "WithholdIncome": 0,
  "NetAmtPay": 1008.00,
  "PtuNum": "PTU-0001"
}"""


def test_reads_the_terms_where_en16931_puts_them() -> None:
    doc = eis.read_json(SAMPLE)
    assert doc.issues == []
    assert doc.value("BT-1") == "SI-0000001"
    assert doc.value("BT-2") == "2025-03-14"  # YYYYMMDD read as a date
    seller = doc.child("BG-4")
    assert seller is not None
    assert seller.value("BT-32") == "123456789"
    assert seller.value("PH-BRANCHCD") == "00000"
    (line,) = doc.children("BG-25")
    assert line.value("BT-129") == "2"
    assert line.value("BT-131") == "900.00"  # the number's source text, not a float
    totals = doc.child("BG-22")
    assert totals is not None
    assert (totals.value("BT-109"), totals.value("BT-110"), totals.value("BT-115")) == (
        "900.00",
        "108.00",
        "1008.00",
    )
    assert doc.child("BG-1").value("BT-22") == "Delivered to warehouse 3"  # type: ignore[union-attr]


def test_writes_back_the_same_json() -> None:
    doc = eis.read_json(SAMPLE)
    written = eis.write_json(doc)
    assert json.loads(written) == json.loads(SAMPLE)
    assert b'"NetAmtPay":1008.00' in written  # numbers keep their text
    assert eis.read_json(written).to_dict() == doc.to_dict()


def test_converts_to_ubl_and_back() -> None:
    result = einvoice.convert(eis.read_json(SAMPLE), to="ubl")
    lost = {loss.term for loss in result.losses}
    assert {"PH-EISUNIQUEID", "PH-BRANCHCD", "PH-SALESAMT", "PH-PTUNUM"} <= lost
    ubl = einvoice.read(result.document)
    assert ubl.value("BT-2") == "2025-03-14"
    back = einvoice.convert(ubl, to="ph-eis")
    assert json.loads(back.document)["IssueDtm"] == "20250314"
    # Every EN 16931 term read from the EIS JSON has its EIS field again.
    assert back.losses == []


def test_rules_pass_on_the_sample_and_check_net_sales() -> None:
    assert einvoice.check(eis.read_json(SAMPLE), rules="ph-eis").issues == []
    # 1000.00 - 100.00 - 0 = 900.00: net sales of 950.00 do not add up.
    wrong = SAMPLE.replace(b'"NetSales": 900.00', b'"NetSales": 950.00')
    fired = [i.rule_id for i in einvoice.check(eis.read_json(wrong), rules="ph-eis").issues]
    assert fired == ["PH-EIS-04"]


def test_seller_tin_rule() -> None:
    wrong = SAMPLE.replace(b'"Tin": "123456789"', b'"Tin": "123-456-789"')
    fired = {i.rule_id for i in einvoice.check(eis.read_json(wrong), rules="ph-eis").issues}
    assert fired == {"PH-EIS-02"}


def test_unknown_members_are_reported() -> None:
    doc = eis.read_json(SAMPLE.replace(b'"PtuNum"', b'"Min": "X", "PtuNum"'))
    assert [(i.code, i.loc) for i in doc.issues] == [("einvoice.unmapped_element", "/Min")]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"{", "json.not_json"),
        (b"[" * 100 + b"]" * 100, "json.too_deep"),
        (b"\xff\xfe{}", "input.invalid_encoding"),
    ],
)
def test_bad_json_is_refused(data: bytes, code: str) -> None:
    with pytest.raises(InputRejected) as exc:
        eis.read_json(data)
    assert exc.value.code == code


def test_size_limit_is_checked_before_parsing() -> None:
    with pytest.raises(InputRejected) as exc:
        load_json(b"{}" + b" " * 100, max_bytes=50)
    assert exc.value.code == "input.too_large"


def test_very_deep_json_is_refused_without_recursion_errors() -> None:
    with pytest.raises(InputRejected) as exc:
        eis.read_json(b"[" * 100_000 + b"]" * 100_000)
    assert exc.value.code == "json.too_deep"


def test_format_is_marked_unconfirmed() -> None:
    (fmt,) = eis.FORMATS
    assert fmt.id == "ph-eis"
    assert fmt.confidence == "unconfirmed"
    assert "Certification portal" in fmt.notes
    (syntax,) = eis.SYNTAXES
    assert (syntax.name, syntax.media) == ("ph-eis", "json")


def test_eis_json_is_detected_among_json_syntaxes() -> None:
    assert einvoice.read(SAMPLE).syntax == "ph-eis"
    assert einvoice.check(SAMPLE, as_of=date(2026, 1, 1)).meta["format"] == "ph-eis"


def test_an_issue_date_in_another_form_is_kept_and_warned_about() -> None:
    doc = eis.read_json(SAMPLE.replace(b'"20250314"', b'"03/14/2025"'))
    assert doc.value("BT-2") == "03/14/2025"
    (issue,) = einvoice.check(doc, rules="ph-eis", as_of=date(2026, 1, 1)).issues
    assert (issue.rule_id, issue.severity) == ("PH-EIS-05", "warning")
