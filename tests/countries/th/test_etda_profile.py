"""The Thai e-invoice profile: format th-etda, preparation for writing, schemas, VAT data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from defa import einvoice
from defa.countries.th import einvoice as th
from defa.countries.th.etda import read, schema, write
from defa.einvoice import profiles
from defa.einvoice.rules.engine import resolve, run
from tests.shared import shared_path

TIV = ("vectors", "einvoice", "etda", "TIV_IV2017110007_Sample.xml")


def test_format() -> None:
    fmt = profiles.get("th-etda")
    assert (fmt.syntax, fmt.rules, fmt.country, fmt.version) == ("etda", "th-etda", "TH", "2.0")
    assert fmt.confidence == "official"
    assert "3-2560" in fmt.source
    assert th.SYNTAXES[0].name == "etda"
    assert [rs.id for rs in resolve("th-etda", date(2018, 4, 26))] == ["th-etda"]


def test_prepare_a_ubl_credit_note() -> None:
    ubl = shared_path("vectors", "einvoice", "en16931", "examples-ubl", "ubl-tc434-example1.xml")
    doc = einvoice.read(ubl)
    doc.terms["BT-3"][0].text = "381"
    ready = th.prepare(doc)
    control = ready.child("BG-2")
    assert control is not None
    guideline = control.term("BT-24")
    assert guideline is not None
    assert guideline.text == "ER3-2560"
    assert guideline.attrs == {"schemeAgencyID": "ETDA", "schemeVersionID": "v2.0"}
    assert (ready.value("BT-3"), ready.value("TH-DOCUMENT")) == ("81", "DebitCreditNote")
    assert ready.value("TH-DOCUMENT-NAME") == "ใบลดหนี้"
    assert doc.value("BT-3") == "381"  # the source model is left as it was


def test_prepare_gives_lines_a_gross_price() -> None:
    ubl = shared_path("vectors", "einvoice", "en16931", "examples-ubl", "ubl-tc434-example2.xml")
    doc = einvoice.read(ubl)
    line = doc.children("BG-25")[0]
    price = line.child("BG-29")
    assert price is not None
    assert not price.has("BT-148")
    prepared = th.prepare(doc).children("BG-25")[0].child("BG-29")
    assert prepared is not None
    assert prepared.value("BT-148") == price.value("BT-146")
    assert not price.has("BT-148")


def test_through_ubl_and_back() -> None:
    """ETDA -> UBL -> ETDA: the XSD is satisfied; the rules name what UBL could not carry."""
    original = read(shared_path(*TIV))
    ubl = einvoice.write(original, "ubl")
    again = read(write(th.prepare(einvoice.read(ubl))))
    assert [i for i in again.issues if i.code.startswith("einvoice.schema")] == []
    fired = {i.rule_id for i in run(again, resolve("th-etda", date(2017, 11, 24))).issues}
    # the Thai structured address (building number, tambon) has no UBL element
    assert fired == {"TIV-SellerTradeParty-009", "TIV-SellerTradeParty-011"}
    assert again.value("BT-1") == original.value("BT-1")
    assert again.child("BG-22").value("BT-112") == "2140"  # type: ignore[union-attr]


def test_vat_categories() -> None:
    assert th.vat_categories("7", date(2025, 1, 1)) == ("standard",)
    assert th.vat_categories("7.00", date(2024, 10, 1)) == ("standard",)
    assert th.vat_categories("0", date(2025, 1, 1)) == ("zero", "exempt")
    assert th.vat_categories("10", date(2025, 1, 1)) == ()
    assert th.vat_categories("seven", date(2025, 1, 1)) == ()
    # the last Royal Decree read for the data ends on 30 September 2025
    assert th.vat_categories("7", date(2025, 10, 1)) == ()


def test_schemas_missing_is_a_warning(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(schema, "schema_dirs", lambda: [tmp_path])
    schema.schema.cache_clear()
    try:
        doc = read(shared_path(*TIV))
    finally:
        schema.schema.cache_clear()
    (issue,) = doc.issues
    assert issue.code == "einvoice.schema_missing"
    assert issue.severity == "warning"


def test_schemas_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    folder = shared_path("specs", "einvoice", "etda")
    monkeypatch.setenv("DEFA_ETDA_SCHEMAS", str(folder))
    assert schema.schema_dirs()[0] == folder
    assert schema.schema_root() == folder.resolve()


def test_imports_never_leave_the_schema_folder(tmp_path: Path) -> None:
    xsd = tmp_path / "x.xsd"
    xsd.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:import namespace="urn:x" schemaLocation="http://example.invalid/x.xsd"/>'
        '<xs:include schemaLocation="/etc/passwd"/></xs:schema>'
    )
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    parser.resolvers.add(schema._LocalOnly(tmp_path.resolve()))
    with pytest.raises(etree.XMLSchemaParseError):
        etree.XMLSchema(etree.parse(str(xsd), parser))


def test_prepare_computes_line_tax() -> None:
    doc = read(shared_path(*TIV))
    (line,) = doc.children("BG-25")
    line.terms["BT-131"][0].text = "100.05"
    (vat,) = line.children("BG-30")
    del vat.terms["TH-LINE-TAX-BASIS"], vat.terms["TH-LINE-TAX-AMOUNT"]
    del line.terms["TH-LINE-TOTAL-WITH-TAX"]
    (ready,) = th.prepare(doc).children("BG-25")
    (ready_vat,) = ready.children("BG-30")
    # 100.05 x 7 / 100 = 7.0035, rounded to 7.00; 100.05 + 7.00 = 107.05
    assert ready_vat.value("TH-LINE-TAX-BASIS") == "100.05"
    assert ready_vat.value("TH-LINE-TAX-AMOUNT") == "7.00"
    assert ready.value("TH-LINE-TOTAL-WITH-TAX") == "107.05"
    assert not line.has("TH-LINE-TOTAL-WITH-TAX")  # the source model is left as it was
