"""Viet Nam: the GDT e-invoice XML (Decree 123/2020/ND-CP, Circular 78/2021/TT-BTC).

The General Department of Taxation (GDT, Tổng cục Thuế) published the XML data format of
e-invoices with Decision 1450/QĐ-TCT (7 October 2021) and updated it since; Decree
70/2025/ND-CP amended Decree 123 from 1 June 2025 (with Circular 32/2025/TT-BTC in place of
Circular 78). The invoice is an ``HDon`` element: ``DLHDon`` holds the invoice data
(``TTChung`` general information, ``NDHDon`` with seller ``NBan``, buyer ``NMua``, lines
``DSHHDVu/HHDVu`` and totals ``TToan``), ``MCCQT`` the tax authority's code and ``DSCKS``
the signatures.

The binding follows the element tables of the Tax Department's regulation on the data
components of e-invoices issued on 30 May 2025 for Decree 70 (data format version 2.1.0),
which add, among others, the buyer's budget-relation code (``MDVQHNSach``), citizen id
(``CCCDan``) and passport (``SHChieu``), the shop of the seller (``MCHang``, ``TCHang``),
special goods (``TChat`` 5 with ``TTHHDTrung``) and list references for adjustments
(``SBKCLQuan``). Earlier documents (2.0.x) read the same way. The XSD itself was not
available to us (see :data:`NOTES`). Values EN 16931 has no term for keep ids of their own
(``VN-...``). Signatures (``DSCKS``) are not read: they cannot survive any conversion.

``SYNTAXES`` holds the XML syntax ``vn-gdt`` (root ``HDon``, no namespace).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from defa.einvoice.model import Group
from defa.einvoice.national import (
    Codec,
    Leaf,
    NationalSyntax,
    Node,
    document_defaults,
    plain_decimal,
    xml_reader,
    xml_writer,
)
from defa.einvoice.profiles import Format, chain, to_en16931
from defa.einvoice.syntax import Syntax

__all__ = [
    "BINDING",
    "FORMATS",
    "FORMAT_VERSION",
    "NATIONAL",
    "NOTES",
    "ROOT",
    "SOURCE",
    "SYNTAXES",
    "read",
    "write",
]

ROOT = "HDon"
#: The data-format version (PBan) of the 2025 regulation, whose elements this binding writes.
FORMAT_VERSION = "2.1.0"

SOURCE = (
    "GDT Decision 1450/QĐ-TCT (2021-10-07) on the e-invoice XML data format under Decree "
    "123/2020/ND-CP and Circular 78/2021/TT-BTC; the Tax Department's regulation of "
    "2025-05-30 on the data components of e-invoices for Decree 70/2025/ND-CP (in force "
    "2025-06-01), data format 2.1.0, read from public transcriptions of its element tables; "
    "element use checked against public integrations writing HDon documents"
)

NOTES = (
    "Not confirmed: the XSD itself (element order within a group, lengths), the code "
    "tables of its annexes beyond the template symbols 1 to 6 of Circular 78 Art. 4 "
    "(invoice kinds, TChat 1 to 5, special goods types, related-invoice types), and the "
    "number of the 2025 regulation. The tax-rate values KCT (not subject to VAT), KKKNT "
    "(not declared) and KHAC:x% (other rate) are kept verbatim (VN-TSUAT): they have no "
    "one-to-one EN 16931 category (see the tax crosswalk). Signatures (DSCKS) are not read. "
    "No copy of GDT's XSD was found in public code or web pages (searched 2026-11-28)."
)


def _rate_codec(category: str, rate: str) -> Codec:
    """``TSuat``: "10%" is rate 10 of category S and "0%" is zero rated (Z); other values
    (KCT, KKKNT, KHAC:...) have no one-to-one category and are kept as ``VN-TSUAT``."""

    def read(text: str) -> Mapping[str, str]:
        if text.endswith("%") and text[:-1].replace(".", "", 1).isdigit():
            number = plain_decimal(text[:-1])
            return {category: "Z" if number == "0" else "S", rate: number}
        return {"VN-TSUAT": text}

    def write(group: Group) -> str | None:
        kept = group.value("VN-TSUAT")
        if kept is not None:
            return kept
        code, value = group.value(category), group.value(rate)
        # Exempt or out-of-scope categories cannot be told apart in Vietnamese terms
        # (KCT or KKKNT): nothing is written rather than a guess.
        if code in ("S", "Z", "AA") and value is not None:
            return f"{plain_decimal(value.strip())}%"
        return None

    return Codec(read, write, (category, rate, "VN-TSUAT"))


def _other_info(group: str = "VN-TTIN") -> Node:
    """``TTKhac``: free name/type/value triples, kept as groups of their own.

    Where two ``TTKhac`` would land in the same model group (those of ``TTChung``,
    ``TToan`` and ``DLHDon`` all belong to the document), ``group`` keeps them apart.
    """
    return Node(
        "TTKhac",
        (
            Node(
                "TTin",
                (
                    Leaf("TTruong", "VN-TTRUONG"),
                    Leaf("KDLieu", "VN-KDLIEU"),
                    Leaf("DLieu", "VN-DLIEU"),
                ),
                group=group,
                repeat=True,
            ),
        ),
    )


_GENERAL = Node(
    "TTChung",
    (
        Leaf("PBan", "VN-PBAN"),  # data format version
        Leaf("THDon", "VN-THDON"),  # invoice name, e.g. HÓA ĐƠN GIÁ TRỊ GIA TĂNG
        Leaf("KHMSHDon", "VN-KHMSHDON"),  # template symbol: invoice type 1..6
        Leaf("KHHDon", "VN-KHHDON"),  # invoice symbol, e.g. C22TAA
        Leaf("SHDon", "BT-1"),  # invoice number within the symbol
        Leaf("MHSo", "VN-MHSO"),  # file code of a one-off coded invoice
        Leaf("NLap", "BT-2"),
        Leaf("HDCTTChinh", "VN-HDCTTCHINH"),  # 1: a finance-lease invoice
        Leaf("SBKe", "VN-SBKE"),  # number of the attached list of goods
        Leaf("NBKe", "VN-NBKE"),  # date of that list
        Leaf("DVTTe", "BT-5"),
        Leaf("TGia", "VN-TGIA"),  # exchange rate to VND
        Leaf("HTTToan", "VN-HTTTOAN"),  # payment method as text (TM, CK, TM/CK)
        Leaf("MSTTCGP", "VN-MSTTCGP"),  # tax code of the e-invoice solution provider
        Leaf("MSTDVNUNLHDon", "VN-MSTDVNUNLHDON"),  # an issuer acting on the seller's behalf
        Leaf("TDVNUNLHDon", "VN-TDVNUNLHDON"),
        Leaf("DCDVNUNLHDon", "VN-DCDVNUNLHDON"),
        Node(
            "TTHDLQuan",  # the invoice replaced or adjusted
            (
                Leaf("TCHDon", "VN-TCHDON"),
                Leaf("LHDCLQuan", "VN-LHDCLQUAN"),
                Leaf("KHMSHDCLQuan", "VN-KHMSHDCLQUAN"),
                Leaf("KHHDCLQuan", "VN-KHHDCLQUAN"),
                Leaf("SHDCLQuan", "BT-25"),
                Leaf("NLHDCLQuan", "BT-26"),
                Leaf("GChu", "VN-GCHU"),
                Leaf("SBKCLQuan", "VN-SBKCLQUAN"),  # list of invoices adjusted together
                Leaf("NBKCLQuan", "VN-NBKCLQUAN"),
            ),
            group="BG-3",
        ),
        _other_info("VN-TTIN-TTCHUNG"),
    ),
)

_SELLER = Node(
    "NBan",
    (
        Leaf("Ten", "BT-27"),
        Leaf("MST", "BT-31"),
        Leaf("DChi", "BT-35", at=("BG-5",)),
        Leaf("MCHang", "VN-MCHANG"),  # shop code
        Leaf("TCHang", "VN-TCHANG"),  # shop name
        Leaf("SDThoai", "BT-42", at=("BG-6",)),
        Leaf("DCTDTu", "BT-43", at=("BG-6",)),
        Leaf("STKNHang", "VN-STKNHANG"),  # bank account number
        Leaf("TNHang", "VN-TNHANG"),  # bank name
        Leaf("Fax", "VN-FAX"),
        Leaf("Website", "VN-WEBSITE"),
        _other_info(),
    ),
    group="BG-4",
)

_BUYER = Node(
    "NMua",
    (
        Leaf("Ten", "BT-44"),
        Leaf("MST", "BT-48"),
        Leaf("MDVQHNSach", "VN-MDVQHNSACH"),  # budget-relation unit code
        Leaf("DChi", "BT-50", at=("BG-8",)),
        Leaf("MKHang", "BT-46"),  # the seller's code for the customer
        Leaf("SDThoai", "BT-57", at=("BG-9",)),
        Leaf("CCCDan", "VN-CCCDAN"),  # citizen identity number
        Leaf("SHChieu", "VN-SHCHIEU"),  # passport or entry document number
        Leaf("DCTDTu", "BT-58", at=("BG-9",)),
        Leaf("HVTNMHang", "BT-56", at=("BG-9",)),  # name of the person who bought
        Leaf("STKNHang", "VN-STKNHANG"),
        Leaf("TNHang", "VN-TNHANG"),
        _other_info(),
    ),
    group="BG-7",
)

_LINE = Node(
    "HHDVu",
    (
        Leaf("TChat", "VN-TCHAT"),  # 1 goods/service, 2 promotion, 3 trade discount, 4 note
        Leaf("STT", "BT-126"),
        Leaf("MHHDVu", "BT-155", at=("BG-31",)),
        Leaf("THHDVu", "BT-153", at=("BG-31",)),
        Leaf("DVTinh", "VN-DVTINH"),  # unit as words, not a UN/ECE Rec 20 code
        Leaf("SLuong", "BT-129"),
        Leaf("DGia", "BT-146", at=("BG-29",)),
        Leaf("TLCKhau", "VN-TLCKHAU"),  # discount rate (%)
        Leaf("STCKhau", "VN-STCKHAU"),  # discount amount
        Leaf("ThTien", "BT-131"),
        Leaf("TSuat", at=("BG-30",), codec=_rate_codec("BT-151", "BT-152")),
        Leaf("TThue", "VN-TTHUE"),  # VAT amount of the line (written by many issuers)
        Node(
            "TTHHDTrung",  # special goods (TChat 5), Decree 70/2025
            (
                Node(
                    "TTin",
                    (
                        Leaf("LHHDTrung", "VN-LHHDTRUNG"),
                        Leaf("TTruong", "VN-TTRUONG"),
                        Leaf("DLieu", "VN-DLIEU"),
                    ),
                    group="VN-TTHHDTRUNG",
                    repeat=True,
                ),
            ),
        ),
        _other_info(),
    ),
    group="BG-25",
    repeat=True,
)

_TOTALS = Node(
    "TToan",
    (
        Node(
            "THTTLTSuat",
            (
                Node(
                    "LTSuat",
                    (
                        Leaf("TSuat", codec=_rate_codec("BT-118", "BT-119")),
                        Leaf("ThTien", "BT-116"),
                        Leaf("TThue", "BT-117"),
                    ),
                    group="BG-23",
                    repeat=True,
                ),
            ),
        ),
        Leaf("TgTCThue", "BT-109", at=("BG-22",)),
        Leaf("TGTKCThue", "VN-TGTKCTHUE"),  # total deductions not subject to tax
        Leaf("TgTThue", "BT-110", at=("BG-22",)),
        Node(
            "DSLPhi",
            (
                Node(
                    "LPhi",
                    (Leaf("TLPhi", "VN-TLPHI"), Leaf("TPhi", "VN-TPHI")),
                    group="VN-LPHI",
                    repeat=True,
                ),
            ),
        ),
        Leaf("TTCKTMai", "VN-TTCKTMAI"),  # total trade discount
        Leaf("TGTKhac", "VN-TGTKHAC"),  # other deductions
        Leaf("TgTTTBSo", "BT-112", at=("BG-22",)),
        Leaf("TgTTTBChu", "VN-TGTTTBCHU"),  # the total in words
        _other_info("VN-TTIN-TTOAN"),
    ),
)

BINDING = Node(
    ROOT,
    (
        Node(
            "DLHDon",
            (
                _GENERAL,
                Node("NDHDon", (_SELLER, _BUYER, Node("DSHHDVu", (_LINE,)), _TOTALS)),
                _other_info(),
            ),
        ),
        Leaf("MCCQT", "VN-MCCQT"),  # the code the tax authority gave the invoice
        Leaf("DLQRCode", "VN-DLQRCODE"),
    ),
)


# Reads the document element's binding (the first invoice of a bulk file for ID); writes
# one document. Unknown elements become issues.
read = xml_reader("vn-gdt", ROOT, BINDING)
write = xml_writer(ROOT, BINDING)


NATIONAL = NationalSyntax("vn-gdt", "GDT e-invoice XML (Viet Nam)", read, write, BINDING)

SYNTAXES = (
    Syntax("vn-gdt", NATIONAL.title, read, write, frozenset({ROOT}), terms=NATIONAL.terms()),
)

FORMATS = (
    Format(
        "vn-gdt",
        "Viet Nam GDT e-invoice XML (Decree 123/2020, Circular 78/2021, Decree 70/2025)",
        "vn-gdt",
        "vn-gdt",
        country="VN",
        version="data format 2.1.0 (2025; 2.0.x read alike)",
        valid_from=date(2022, 7, 1),
        specificity=10,
        # The writer produces the 2.1.0 element set; the version is a fact of the format.
        # TSuat is written from EN 16931 categories and rates: national codes are mapped first.
        prepare=chain(to_en16931, document_defaults({"VN-PBAN": FORMAT_VERSION})),
        source=SOURCE,
        confidence="public-docs",
        notes=NOTES,
    ),
)
