"""Viet Nam GDT e-invoice XML: read, write back, convert to and from UBL, rules.

The document is built by hand from the element tables of the GDT data format (Decision
1450/QĐ-TCT; version 2.1.0 of the 2025 regulation for Decree 70/2025): HDon/DLHDon/TTChung,
NDHDon/NBan, NMua, DSHHDVu/HHDVu, TToan with THTTLTSuat/LTSuat, in the shape public
integrations write it. The amounts are hand arithmetic: 2 x 500 000 = 1 000 000 at 10% gives
100 000 VAT; 4 x 50 000 = 200 000 not subject to VAT (KCT); total 1 300 000.
"""

from __future__ import annotations

from datetime import date

import pytest

from defa import einvoice
from defa.countries.vn import einvoice as vn
from defa.errors import InputRejected

SAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<HDon>
  <DLHDon Id="data">
    <TTChung>
      <PBan>2.1.0</PBan>
      <THDon>Hóa đơn giá trị gia tăng</THDon>
      <KHMSHDon>1</KHMSHDon>
      <KHHDon>C25TAA</KHHDon>
      <SHDon>123</SHDon>
      <NLap>2025-08-15</NLap>
      <DVTTe>VND</DVTTe>
      <TGia>1</TGia>
      <HTTToan>TM/CK</HTTToan>
      <MSTTCGP>0101300842</MSTTCGP>
      <TTKhac>
        <TTin><TTruong>Ghi chú</TTruong><KDLieu>string</KDLieu><DLieu>Giao tại kho</DLieu></TTin>
      </TTKhac>
    </TTChung>
    <NDHDon>
      <NBan>
        <Ten>Công ty TNHH Văn Phòng Phẩm Sao Mai</Ten>
        <MST>0100109106</MST>
        <DChi>Hà Nội</DChi>
        <STKNHang>0011004012345</STKNHang>
      </NBan>
      <NMua>
        <Ten>Công ty Cổ phần Xây dựng Hà Thành</Ten>
        <MST>0312345678</MST>
        <DChi>TP Hồ Chí Minh</DChi>
        <HVTNMHang>Nguyễn Văn An</HVTNMHang>
      </NMua>
      <DSHHDVu>
        <HHDVu>
          <TChat>1</TChat><STT>1</STT><MHHDVu>SP01</MHHDVu><THHDVu>Giấy in A4</THHDVu>
          <DVTinh>Thùng</DVTinh><SLuong>2</SLuong><DGia>500000</DGia>
          <ThTien>1000000</ThTien><TSuat>10%</TSuat><TThue>100000</TThue>
        </HHDVu>
        <HHDVu>
          <TChat>1</TChat><STT>2</STT><THHDVu>Sách giáo khoa</THHDVu>
          <DVTinh>Quyển</DVTinh><SLuong>4</SLuong><DGia>50000</DGia>
          <ThTien>200000</ThTien><TSuat>KCT</TSuat>
        </HHDVu>
      </DSHHDVu>
      <TToan>
        <THTTLTSuat>
          <LTSuat><TSuat>10%</TSuat><ThTien>1000000</ThTien><TThue>100000</TThue></LTSuat>
          <LTSuat><TSuat>KCT</TSuat><ThTien>200000</ThTien><TThue>0</TThue></LTSuat>
        </THTTLTSuat>
        <TgTCThue>1200000</TgTCThue>
        <TgTThue>100000</TgTThue>
        <TTCKTMai>0</TTCKTMai>
        <TgTTTBSo>1300000</TgTTTBSo>
        <TgTTTBChu>Một triệu ba trăm nghìn đồng</TgTTTBChu>
      </TToan>
    </NDHDon>
  </DLHDon>
  <MCCQT Id="Id-MCCQT">00DEMO123</MCCQT>
</HDon>
""".encode()


def test_reads_the_terms_where_en16931_puts_them() -> None:
    doc = vn.read(SAMPLE)
    assert doc.issues == []
    assert doc.syntax == "vn-gdt"
    assert (doc.value("BT-1"), doc.value("BT-2"), doc.value("BT-5")) == ("123", "2025-08-15", "VND")
    assert doc.value("VN-KHHDON") == "C25TAA"
    seller = doc.child("BG-4")
    assert seller is not None
    assert seller.value("BT-27") == "Công ty TNHH Văn Phòng Phẩm Sao Mai"
    assert seller.value("BT-31") == "0100109106"
    assert seller.child("BG-5").value("BT-35") == "Hà Nội"  # type: ignore[union-attr]
    first, second = doc.children("BG-25")
    assert first.child("BG-31").value("BT-153") == "Giấy in A4"  # type: ignore[union-attr]
    assert first.child("BG-29").value("BT-146") == "500000"  # type: ignore[union-attr]
    # "10%" is rate 10 of the standard category; KCT has no one-to-one category.
    vat = first.child("BG-30")
    assert vat is not None
    assert (vat.value("BT-151"), vat.value("BT-152")) == ("S", "10")
    exempt = second.child("BG-30")
    assert exempt is not None
    assert exempt.value("VN-TSUAT") == "KCT"
    assert exempt.value("BT-151") is None
    breakdown = doc.children("BG-23")
    assert [b.value("BT-116") for b in breakdown] == ["1000000", "200000"]
    totals = doc.child("BG-22")
    assert totals is not None
    assert totals.value("BT-112") == "1300000"
    assert [g.value("VN-DLIEU") for g in doc.children("VN-TTIN-TTCHUNG")] == ["Giao tại kho"]


def test_writes_back_what_it_read() -> None:
    doc = vn.read(SAMPLE)
    again = vn.read(vn.write(doc))
    assert again.to_dict() == doc.to_dict()


def test_converts_to_ubl_listing_the_national_terms_ubl_cannot_hold() -> None:
    doc = vn.read(SAMPLE)
    result = einvoice.convert(doc, to="ubl")
    lost = {loss.term for loss in result.losses}
    # Every VN-* value has no UBL element; the EN 16931 terms all cross.
    assert lost == {
        "VN-PBAN",
        "VN-THDON",
        "VN-KHMSHDON",
        "VN-KHHDON",
        "VN-TGIA",
        "VN-HTTTOAN",
        "VN-MSTTCGP",
        "VN-TTRUONG",
        "VN-KDLIEU",
        "VN-DLIEU",
        "VN-STKNHANG",
        "VN-TCHAT",
        "VN-DVTINH",
        "VN-TTHUE",
        "VN-TSUAT",
        "VN-TTCKTMAI",
        "VN-TGTTTBCHU",
        "VN-MCCQT",
    }
    ubl = einvoice.read(result.document)
    line = ubl.children("BG-25")[0].child("BG-30")
    assert line is not None
    assert (line.value("BT-151"), line.value("BT-152")) == ("S", "10")


def test_converts_from_ubl_and_reports_nothing_lost_of_the_en16931_terms() -> None:
    ubl = einvoice.read(einvoice.convert(vn.read(SAMPLE), to="ubl").document)
    result = einvoice.convert(ubl, to="vn-gdt")
    back = vn.read(result.document)
    assert back.value("BT-1") == "123"
    assert back.children("BG-25")[0].child("BG-30").value("BT-152") == "10"  # type: ignore[union-attr]
    assert result.losses == []


def test_an_exempt_category_from_ubl_is_not_guessed_into_a_vietnamese_rate() -> None:
    doc = vn.read(SAMPLE)
    line = doc.children("BG-25")[0].child("BG-30")
    assert line is not None
    line.terms = {"BT-151": line.all("BT-151"), "BT-152": line.all("BT-152")}
    line.terms["BT-151"][0].text = "E"
    line.terms["BT-152"][0].text = "0"
    written = vn.read(vn.write(doc)).children("BG-25")[0]
    assert written.child("BG-30") is None  # no TSuat written: E is KCT or KKKNT


def test_rules_pass_on_the_sample_and_fire_on_broken_symbols() -> None:
    report = einvoice.check(vn.read(SAMPLE), rules="vn-gdt")
    assert report.errors == []
    broken = SAMPLE.replace(b"<KHHDon>C25TAA</KHHDon>", b"<KHHDon>X25TAA</KHHDon>")
    broken = broken.replace(b"<TSuat>10%</TSuat><TThue>100000</TThue>", b"")
    fired = {i.rule_id for i in einvoice.check(vn.read(broken), rules="vn-gdt").issues}
    assert {"VN-GDT-03", "VN-GDT-09"} <= fired


def test_total_rule_uses_hand_arithmetic() -> None:
    # 1 200 000 + 100 000 = 1 300 000: a total of 1 310 000 is off by 10 000.
    wrong = SAMPLE.replace(b"<TgTTTBSo>1300000</TgTTTBSo>", b"<TgTTTBSo>1310000</TgTTTBSo>")
    fired = {i.rule_id for i in einvoice.check(vn.read(wrong), rules="vn-gdt").issues}
    assert "VN-GDT-10" in fired


def test_unknown_elements_are_reported_not_raised() -> None:
    doc = vn.read(SAMPLE.replace(b"<TGia>1</TGia>", b"<TGia>1</TGia><XYZ>1</XYZ>"))
    assert [i.code for i in doc.issues] == ["einvoice.unmapped_element"]
    assert doc.issues[0].loc == "/HDon/DLHDon/TTChung/XYZ"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE HDon SYSTEM "hdon.dtd"><HDon/>', "xml.forbidden_dtd"),
        (b"<Invoice/>", "xml.wrong_root"),
        (b"<HDon>", "xml.not_xml"),
    ],
)
def test_hostile_or_foreign_input_is_refused(data: bytes, code: str) -> None:
    with pytest.raises(InputRejected) as exc:
        vn.read(data)
    assert exc.value.code == code


def test_format_states_its_sources_and_confidence() -> None:
    (fmt,) = vn.FORMATS
    assert fmt.id == "vn-gdt"
    assert fmt.country == "VN"
    assert fmt.rules == "vn-gdt"
    assert fmt.confidence == "public-docs"
    assert "Decision 1450" in fmt.source
    assert "Decree 70/2025" in fmt.source
    assert "Not confirmed" in fmt.notes
    assert fmt.valid_from == date(2022, 7, 1)


DECREE_70 = SAMPLE.replace(
    b"<HVTNMHang>",
    b"<MDVQHNSach>1234567</MDVQHNSach><CCCDan>001099012345</CCCDan><HVTNMHang>",
).replace(
    b"<TTCKTMai>0</TTCKTMai>",
    "<DSLPhi><LPhi><TLPhi>Phí vận chuyển</TLPhi><TPhi>20000</TPhi></LPhi></DSLPhi>"
    "<TTCKTMai>0</TTCKTMai>".encode(),
)


def test_reads_the_elements_decree_70_added() -> None:
    doc = vn.read(DECREE_70)
    assert doc.issues == []
    buyer = doc.child("BG-7")
    assert buyer is not None
    assert buyer.value("VN-MDVQHNSACH") == "1234567"
    assert buyer.value("VN-CCCDAN") == "001099012345"
    (fee,) = doc.children("VN-LPHI")
    assert (fee.value("VN-TLPHI"), fee.value("VN-TPHI")) == ("Phí vận chuyển", "20000")
    assert vn.read(vn.write(doc)).to_dict() == doc.to_dict()


def test_mandatory_elements_of_the_data_format() -> None:
    # Drop the solution provider's tax code, the seller's address and one line's name.
    broken = (
        SAMPLE.replace(b"<MSTTCGP>0101300842</MSTTCGP>", b"")
        .replace("<DChi>Hà Nội</DChi>".encode(), b"")
        .replace("<THHDVu>Sách giáo khoa</THHDVu>".encode(), b"")
        .replace(b"<DVTTe>VND</DVTTe>", b"<DVTTe>USD</DVTTe>")
        .replace(b"<TGia>1</TGia>", b"")
    )
    fired = sorted(i.rule_id or "" for i in einvoice.check(vn.read(broken), rules="vn-gdt").errors)
    assert fired == ["VN-GDT-07", "VN-GDT-11", "VN-GDT-12", "VN-GDT-14"]


def test_preparing_a_ubl_document_sets_only_the_format_version() -> None:
    ubl = einvoice.read(einvoice.convert(vn.read(SAMPLE), to="ubl").document)
    (fmt,) = vn.FORMATS
    assert fmt.prepare is not None
    prepared = fmt.prepare(ubl)
    assert prepared.value("VN-PBAN") == vn.FORMAT_VERSION
    assert ubl.value("VN-PBAN") is None  # the source is not changed
    assert set(prepared.terms) - set(ubl.terms) == {"VN-PBAN"}
    assert vn.read(vn.write(prepared)).value("VN-PBAN") == "2.1.0"
