"""Indonesia Coretax e-Faktur XML: read, write back, convert to and from UBL, rules.

The document follows DJP's import template (``TaxInvoice.xsd``) as Odoo's Coretax module
expects it in its test ``addons/l10n_id_efaktur_coretax/tests/results/sample.xml``
(odoo/odoo): transaction code 04 (other tax base), one line of 100 000.

Hand arithmetic (PMK 131/2024): the other tax base is 11/12 of 100 000 = 91 666.67, and the
VAT is 12% of it = 11 000.00.
"""

from __future__ import annotations

import pytest

from defa import einvoice
from defa.countries.id import einvoice as efaktur
from defa.errors import InputRejected

SAMPLE = b"""<?xml version='1.0' encoding='UTF-8'?>
<TaxInvoiceBulk xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:noNamespaceSchemaLocation="TaxInvoice.xsd">
  <TIN>1234567890123456</TIN>
  <ListOfTaxInvoice>
    <TaxInvoice>
      <TaxInvoiceDate>2025-05-01</TaxInvoiceDate>
      <TaxInvoiceOpt>Normal</TaxInvoiceOpt>
      <TrxCode>04</TrxCode>
      <AddInfo/>
      <CustomDoc/>
      <RefDesc>INV/2025/00001</RefDesc>
      <FacilityStamp/>
      <SellerIDTKU>1234567890123456000000</SellerIDTKU>
      <BuyerTin>1234567890123457</BuyerTin>
      <BuyerDocument>TIN</BuyerDocument>
      <BuyerCountry>IDN</BuyerCountry>
      <BuyerDocumentNumber/>
      <BuyerName>PT Pembeli</BuyerName>
      <BuyerAdress>Jakarta</BuyerAdress>
      <BuyerEmail/>
      <BuyerIDTKU>1234567890123457000000</BuyerIDTKU>
      <ListOfGoodService>
        <GoodService>
          <Opt>A</Opt>
          <Code>000000</Code>
          <Name>product_a</Name>
          <Unit>UM.0018</Unit>
          <Price>100000.0</Price>
          <Qty>1.0</Qty>
          <TotalDiscount>0.0</TotalDiscount>
          <TaxBase>100000.0</TaxBase>
          <OtherTaxBase>91666.67</OtherTaxBase>
          <VATRate>12</VATRate>
          <VAT>11000.0</VAT>
          <STLGRate>0.0</STLGRate>
          <STLG>0.0</STLG>
        </GoodService>
      </ListOfGoodService>
    </TaxInvoice>
  </ListOfTaxInvoice>
</TaxInvoiceBulk>
"""


def test_reads_seller_buyer_and_lines() -> None:
    doc = efaktur.read(SAMPLE)
    assert doc.issues == []
    assert (doc.value("BT-1"), doc.value("BT-2")) == ("INV/2025/00001", "2025-05-01")
    assert doc.value("ID-TRXCODE") == "04"
    seller, buyer = doc.child("BG-4"), doc.child("BG-7")
    assert seller is not None
    assert seller.value("BT-31") == "1234567890123456"
    assert seller.value("ID-IDTKU") == "1234567890123456000000"
    assert buyer is not None
    assert buyer.value("BT-48") == "1234567890123457"
    assert buyer.child("BG-8").value("BT-50") == "Jakarta"  # type: ignore[union-attr]
    (line,) = doc.children("BG-25")
    assert line.value("BT-131") == "100000.0"
    assert line.value("ID-OTHERTAXBASE") == "91666.67"
    assert line.child("BG-30").value("BT-152") == "12"  # type: ignore[union-attr]


def test_writes_back_what_it_read() -> None:
    doc = efaktur.read(SAMPLE)
    assert efaktur.read(efaktur.write(doc)).to_dict() == doc.to_dict()


def test_converts_to_ubl_with_the_coretax_terms_listed_as_losses() -> None:
    result = einvoice.convert(efaktur.read(SAMPLE), to="ubl")
    lost = {loss.term for loss in result.losses}
    assert {"ID-TRXCODE", "ID-OTHERTAXBASE", "ID-VAT", "ID-IDTKU", "ID-UNIT"} <= lost
    assert not {t for t in lost if t.startswith("BT-")}
    ubl = einvoice.read(result.document)
    assert ubl.value("BT-1") == "INV/2025/00001"
    back = einvoice.convert(ubl, to="id-efaktur")
    assert back.losses == []
    assert efaktur.read(back.document).children("BG-25")[0].value("BT-131") == "100000.0"


def test_rules_pass_on_the_sample() -> None:
    report = einvoice.check(efaktur.read(SAMPLE), rules="id-efaktur")
    assert report.issues == []


def test_line_vat_rule_uses_the_other_tax_base() -> None:
    # 12% of 91 666.67 is 11 000.00; a VAT of 12 000 (12% of the full base) is off.
    wrong = SAMPLE.replace(b"<VAT>11000.0</VAT>", b"<VAT>12000</VAT>")
    (issue,) = einvoice.check(efaktur.read(wrong), rules="id-efaktur").issues
    assert issue.rule_id == "ID-EFAKTUR-07"
    assert issue.ctx["expected"] == "11000.00"


def test_structure_rules_fire() -> None:
    broken = (
        SAMPLE.replace(b"<TIN>1234567890123456</TIN>", b"<TIN>123456789012345</TIN>")
        .replace(b"<TrxCode>04</TrxCode>", b"<TrxCode>11</TrxCode>")
        .replace(b"<BuyerDocument>TIN</BuyerDocument>", b"<BuyerDocument>NPWP</BuyerDocument>")
        .replace(b"<Opt>A</Opt>", b"<Opt>C</Opt>")
    )
    fired = {i.rule_id for i in einvoice.check(efaktur.read(broken), rules="id-efaktur").issues}
    assert fired == {"ID-EFAKTUR-01", "ID-EFAKTUR-04", "ID-EFAKTUR-05", "ID-EFAKTUR-06"}


def test_facility_codes_need_their_facility_and_no_vat() -> None:
    exempt = SAMPLE.replace(b"<TrxCode>04</TrxCode>", b"<TrxCode>08</TrxCode>")
    fired = [i.rule_id for i in einvoice.check(efaktur.read(exempt), rules="id-efaktur").issues]
    assert sorted(fired) == ["ID-EFAKTUR-08", "ID-EFAKTUR-08", "ID-EFAKTUR-09"]


def test_a_bulk_file_with_two_invoices_reads_the_first_and_reports_the_second() -> None:
    start = SAMPLE.index(b"<TaxInvoice>")
    end = SAMPLE.index(b"</TaxInvoice>") + len(b"</TaxInvoice>")
    two = SAMPLE[:end] + SAMPLE[start:end] + SAMPLE[end:]
    doc = efaktur.read(two)
    assert len(doc.children("BG-25")) == 1
    assert [i.loc for i in doc.issues] == ["/TaxInvoiceBulk/ListOfTaxInvoice/TaxInvoice[2]"]


def test_wrong_root_is_refused() -> None:
    with pytest.raises(InputRejected) as exc:
        efaktur.read(b"<TaxInvoice/>")
    assert exc.value.code == "xml.wrong_root"
