"""MyInvois XML and JSON: every official sample reads and writes back equivalently."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defa.countries.my.myinvois import read_json, read_xml, write_json, write_xml
from defa.countries.my.myinvois.json_syntax import to_tree
from defa.errors import DefaError, InputRejected
from tests.countries.my.conftest import JSON_SAMPLES, XML_SAMPLES, sample, sample_dir


def test_the_samples_are_all_there() -> None:
    found = {p.name for p in sample_dir().iterdir()}
    assert set(XML_SAMPLES) | set(JSON_SAMPLES) <= found
    assert len(XML_SAMPLES) == 18


@pytest.mark.parametrize("name", XML_SAMPLES)
def test_xml_sample_reads_and_writes_back(name: str) -> None:
    doc = read_xml(sample(name))
    assert doc.issues == [], "every element of a MyInvois sample maps to a term"
    again = read_xml(write_xml(doc))
    assert again.to_dict() == doc.to_dict()
    assert again.issues == []


@pytest.mark.parametrize("name", JSON_SAMPLES)
def test_json_sample_reads_and_writes_back(name: str) -> None:
    doc = read_json(sample(name))
    assert doc.issues == []
    assert doc.syntax == "myinvois-json"
    again = read_json(write_json(doc))
    assert again.to_dict() == doc.to_dict()


@pytest.mark.parametrize("name", XML_SAMPLES)
def test_xml_and_json_forms_give_the_same_model(name: str) -> None:
    doc = read_xml(sample(name))
    as_json = read_json(write_json(doc))
    assert as_json.to_dict() == doc.to_dict()
    assert read_xml(write_xml(as_json)).to_dict() == doc.to_dict()


@pytest.mark.parametrize("name", JSON_SAMPLES)
def test_json_sample_through_xml(name: str) -> None:
    doc = read_json(sample(name))
    assert read_xml(write_xml(doc)).to_dict() == doc.to_dict()


def test_invoice_sample_values() -> None:
    # values as the 1.1 invoice sample writes them (1.1-Invoice-Sample.xml)
    doc = read_xml(sample("1.1-Invoice-Sample.xml"))
    assert doc.value("BT-1") == "XML-INV12345"
    assert doc.value("BT-3") == "01"
    assert doc.value("MY-VERSION") == "1.1"
    assert doc.value("IBT-168") == "00:40:00Z"
    assert doc.child("BG-14").value("MY-FREQUENCY") == "Monthly"
    seller = doc.child("BG-4")
    assert seller.value("MY-MSIC") == "46510"
    assert seller.value("MY-MSIC-NAME").startswith("Wholesale of computer hardware")
    assert seller.value("MY-CERTEX") == "CPT-CCN-W-211111-KL-000002"
    ids = dict(
        zip(
            (t.text for t in seller.all("BT-29-1")),
            (t.text for t in seller.all("BT-29")),
            strict=False,
        )
    )
    assert ids == {"TIN": "Supplier's TIN", "BRN": "Supplier's BRN", "SST": "NA", "TTX": "NA"}
    assert seller.child("BG-5").value("MY-STATE") == "14"
    assert [t.text for t in seller.child("BG-5").all("BT-162")] == [
        "Lot 66",
        "Bangunan Merdeka",
        "Persiaran Jaya",
    ]
    assert doc.child("MY-PREPAID").value("IBT-180") == "1.00"
    assert doc.child("MY-BILLING").value("MY-BILL-REF") == "151891-1981"
    shipment = doc.child("BG-13").child("MY-SHIPMENT")
    assert shipment.child("MY-FREIGHT").value("MY-FREIGHT-REASON") == "Service charge"
    line = doc.children("BG-25")[0]
    assert line.value("MY-LINE-SUBTOTAL") == "100"
    subtotal = line.child("MY-LINE-TAX").child("MY-LINE-TAX-SUBTOTAL")
    assert subtotal.value("MY-LINE-TAX-TYPE") == "E"
    assert subtotal.value("MY-LINE-TAX-EXEMPTION") == "Exempt New Means of Transport"
    assert doc.children("BG-23")[0].value("MY-TAX-SCHEME") == "OTH"
    assert doc.has("MY-UBL-EXTENSIONS")
    assert doc.value("MY-SIGNATURE-ID")


def test_foreign_currency_exchange_rate() -> None:
    doc = read_xml(sample("1.1-Invoice-ForeignCurrency-Sample.xml"))
    rate = doc.child("MY-EXCHANGE")
    assert (rate.value("MY-EXCHANGE-SOURCE"), rate.value("MY-EXCHANGE-RATE")) == ("USD", "4.72")


def test_credit_note_reference_uuid() -> None:
    doc = read_xml(sample("1.1-Credit-Note-Sample.xml"))
    assert doc.value("BT-3") == "02"
    ref = doc.children("BG-3")[0]
    assert (ref.value("BT-25"), ref.value("MY-REF-UUID")) == (
        "XML-INV12345",
        "Reference Invoice UUID",
    )


def test_json_numbers_and_booleans_keep_their_text() -> None:
    # UBL-JSON producers write amounts as numbers and indicators as booleans (LHDN's own
    # JSON signing guide does): read as their verbatim text
    data = json.loads(sample("1.0-Invoice-Sample.json"))
    inv = data["Invoice"][0]
    inv["LegalMonetaryTotal"][0]["PayableAmount"] = [{"_": 1436.50, "currencyID": "MYR"}]
    inv["AllowanceCharge"][0]["ChargeIndicator"] = [{"_": False}]
    raw = json.dumps(data).replace("1436.5,", "1436.50,").encode()
    doc = read_json(raw)
    assert doc.child("BG-22").value("BT-115") == "1436.50"
    assert doc.children("BG-20")[0].loc  # read as an allowance (ChargeIndicator false)


# -- bad input -----------------------------------------------------------------------------


def _code(func: object, data: bytes) -> str:
    with pytest.raises(InputRejected) as caught:
        func(data)  # type: ignore[operator]
    return caught.value.code


def test_json_given_to_the_xml_reader_says_what_it_looks_like() -> None:
    with pytest.raises(InputRejected, match="looks like JSON") as caught:
        read_xml(sample("1.0-Invoice-Sample.json"))
    assert caught.value.code == "einvoice.wrong_format"


def test_xml_given_to_the_json_reader_says_what_it_looks_like() -> None:
    with pytest.raises(InputRejected, match="looks like XML") as caught:
        read_json(sample("1.0-Invoice-Sample.xml"))
    assert caught.value.code == "einvoice.wrong_format"


def test_pint_my_document_given_to_the_myinvois_reader() -> None:
    pint = sample_dir().parent / "pint-my" / "1.3.1-billing" / "Invoice-Sample-SA_1.3.0.xml"
    with pytest.raises(InputRejected, match="looks like an EN 16931 / Peppol") as caught:
        read_xml(pint.read_bytes())
    assert caught.value.code == "einvoice.wrong_format"


def test_cii_document_given_to_the_myinvois_reader() -> None:
    cii = (
        b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:'
        b'CrossIndustryInvoice:100"/>'
    )
    with pytest.raises(InputRejected, match="looks like a UN/CEFACT CII"):
        read_xml(cii)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "json.not_json"),
        (b"{", "json.not_json"),
        (b"[1]", "json.wrong_root"),
        (b'{"CreditNote": [{}]}', "json.wrong_root"),
        (b'{"_D": "urn:x", "Invoice": [{}]}', "xml.wrong_namespace"),
        (b'{"Invoice": {}}', "json.wrong_shape"),
        (b'{"Invoice": [{"ID": ["x"]}]}', "json.wrong_shape"),
        (b'{"Invoice": [{"1bad": [{"_": "x"}]}]}', "json.wrong_shape"),
        (b"[" * 100_000 + b"]" * 100_000, "json.too_deep"),
        (b'{"Invoice": [{"ID": [{"_": "\\u001f"}]}]}', "json.wrong_shape"),
        (b'{"Invoice": [{"ID": [{"_": "x", "schemeID": "\\u0000"}]}]}', "json.wrong_shape"),
    ],
)
def test_bad_json(data: bytes, code: str) -> None:
    assert _code(read_json, data) == code


def test_json_nesting_limit() -> None:
    deep: dict[str, object] = {"_": "x"}
    for _ in range(80):
        deep = {"Party": [deep]}
    data = json.dumps({"Invoice": [{"AccountingSupplierParty": [deep]}]}).encode()
    assert _code(read_json, data) == "json.too_deep"


def test_json_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import defa.countries.my.myinvois.json_syntax as module

    monkeypatch.setattr(module, "MAX_BYTES", 100)
    assert _code(read_json, b'{"Invoice": [{}]}' + b" " * 200) == "input.too_large"


def test_hostile_xml_is_refused() -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&e;</Invoice>'
    )
    assert _code(read_xml, xxe) in ("xml.forbidden_dtd", "xml.forbidden_entity")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_json_reader_raises_only_our_errors(data: bytes) -> None:
    with contextlib.suppress(DefaError):
        read_json(data)


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.sampled_from(["_", "ID", "Party", "x y", ""]), inner, max_size=3)
        ),
        max_leaves=20,
    )
)
def test_json_reader_takes_any_invoice_shape(body: object) -> None:
    data = json.dumps({"Invoice": [{"AccountingSupplierParty": [body]}]}).encode()
    with contextlib.suppress(DefaError):
        read_json(data)


def test_to_tree_maps_signature_namespaces() -> None:
    root = to_tree(sample("1.1-Invoice-Sample.json"))
    ns = {"ds": "http://www.w3.org/2000/09/xmldsig#", "xades": "http://uri.etsi.org/01903/v1.3.2#"}
    assert root.xpath("count(//ds:Signature/ds:SignatureValue)", namespaces=ns) == 1
    assert root.xpath("count(//xades:SignedProperties)", namespaces=ns) == 1
