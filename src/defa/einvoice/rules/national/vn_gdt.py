"""Viet Nam ``vn-gdt``: structure rules of the GDT e-invoice (Decree 123/2020/ND-CP,
Circular 78/2021/TT-BTC Art. 4, Decision 1450/QĐ-TCT and the 2025 data-format regulation
for Decree 70/2025/ND-CP), on the model read by ``defa.countries.vn.einvoice``.

* invoice template symbol (KHMSHDon): one digit, 1 to 6 (Circular 78 Art. 4.1.a);
* invoice symbol (KHHDon): six characters, C or K (with or without the tax authority's
  code), two digits of the year, one letter of the invoice kind, two letters chosen by the
  seller (Art. 4.1.b); the letters of the kind are a warning (later additions unconfirmed);
* invoice number (SHDon): up to 8 digits (Decree 123 Art. 10.3);
* issue date, seller name and tax code, and a tax rate on each goods line of a VAT
  invoice (template 1) are required (Decree 123 Art. 10);
* the total payable is the total before tax plus the tax (warning: fees may be added);
* the elements the data-format tables mark mandatory ("Bắt buộc"): the version, invoice
  name, currency, payment method and solution provider's tax code; the exchange rate
  unless the currency is VND; the seller's address; the totals before tax, of tax and
  payable, in figures and in words; each line's nature (TChat 1 to 5) and name, and its
  amount unless it is a note (TChat 4).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import Findings, RuleSet
from defa.einvoice.rules.national._common import absent, iso_date, not_in, not_matching, sum_differs

VN_GDT = RuleSet(
    "vn-gdt",
    "2025.1",
    title="Viet Nam GDT e-invoice structure rules",
    source="Decree 123/2020/ND-CP Art. 10 as amended by Decree 70/2025/ND-CP; Circular "
    "78/2021/TT-BTC Art. 4; GDT Decision 1450/QĐ-TCT (XML data format)",
    valid_from=date(2022, 7, 1),
)

_TEMPLATE = re.compile(r"[1-9]")
_TEMPLATE_KNOWN = re.compile(r"[1-6]")
_SYMBOL = re.compile(r"[CK]\d{2}[A-Z]{3}")
_SYMBOL_KIND = re.compile(r"[CK]\d{2}[TDLMNBGH][A-Z]{2}")
_NUMBER = re.compile(r"\d{1,8}")
_TAX_CODE = re.compile(r"\d{10}(?:-\d{3})?|\d{12}")
_NATURE = frozenset({"1", "2", "3", "4", "5"})


@VN_GDT.rule(
    "VN-GDT-01",
    "error",
    "The invoice template symbol (KHMSHDon) shall be one digit.",
    terms=("VN-KHMSHDON",),
)
def template_digit(doc: Invoice) -> Findings:
    yield from absent(doc, "VN-KHMSHDON", doc)
    yield from not_matching(doc.all("VN-KHMSHDON"), _TEMPLATE)


@VN_GDT.rule(
    "VN-GDT-02",
    "warning",
    "The invoice template symbol (KHMSHDon) should be 1 to 6 (Circular 78/2021 Art. 4).",
    terms=("VN-KHMSHDON",),
)
def template_known(doc: Invoice) -> Findings:
    found = [t for t in doc.all("VN-KHMSHDON") if _TEMPLATE.fullmatch(t.text.strip())]
    yield from not_matching(found, _TEMPLATE_KNOWN)


@VN_GDT.rule(
    "VN-GDT-03",
    "error",
    "The invoice symbol (KHHDon) shall be C or K, two digits of the year and three letters.",
    terms=("VN-KHHDON",),
)
def symbol_shape(doc: Invoice) -> Findings:
    yield from absent(doc, "VN-KHHDON", doc)
    yield from not_matching(doc.all("VN-KHHDON"), _SYMBOL)


@VN_GDT.rule(
    "VN-GDT-04",
    "warning",
    "The fourth character of the invoice symbol (KHHDon) should be a known invoice kind.",
    terms=("VN-KHHDON",),
)
def symbol_kind(doc: Invoice) -> Findings:
    found = [t for t in doc.all("VN-KHHDON") if _SYMBOL.fullmatch(t.text.strip())]
    yield from not_matching(found, _SYMBOL_KIND)


@VN_GDT.rule(
    "VN-GDT-05",
    "error",
    "The invoice number (SHDon) shall be present and have at most 8 digits.",
    terms=("BT-1",),
)
def invoice_number(doc: Invoice) -> Findings:
    yield from absent(doc, "BT-1", doc)
    yield from not_matching(doc.all("BT-1"), _NUMBER)


@VN_GDT.rule(
    "VN-GDT-06",
    "error",
    "The invoice shall have an issue date (NLap) as YYYY-MM-DD.",
    terms=("BT-2",),
)
def issue_date(doc: Invoice) -> Findings:
    return iso_date(doc, "BT-2")


@VN_GDT.rule(
    "VN-GDT-07",
    "error",
    "The seller's name (NBan/Ten), tax code (NBan/MST) and address (NBan/DChi) shall be present.",
    terms=("BT-27", "BT-31", "BT-35"),
)
def seller(doc: Invoice) -> Findings:
    party = doc.child("BG-4")
    yield from absent(party, "BT-27", doc)
    if party is not None:
        yield from absent(party, "BT-31", doc)
        yield from absent(party.child("BG-5"), "BT-35", party)


@VN_GDT.rule(
    "VN-GDT-08",
    "warning",
    "A tax code (MST) should be 10 digits, 10 digits and a 3-digit branch, or 12 digits.",
    terms=("BT-31", "BT-48"),
)
def tax_code(doc: Invoice) -> Findings:
    for gid, tid in (("BG-4", "BT-31"), ("BG-7", "BT-48")):
        party = doc.child(gid)
        if party is not None:
            yield from not_matching(party.all(tid), _TAX_CODE)


@VN_GDT.rule(
    "VN-GDT-09",
    "error",
    "Each goods or services line (TChat 1) of a VAT invoice (KHMSHDon 1) shall have a "
    "tax rate (TSuat).",
    terms=("VN-KHMSHDON", "VN-TCHAT", "BT-152"),
)
def line_rate(doc: Invoice) -> Findings:
    if doc.value("VN-KHMSHDON") != "1":
        return
    for line in doc.children("BG-25"):
        if (line.value("VN-TCHAT") or "1").strip() != "1":
            continue
        vat = line.child("BG-30")
        if vat is None or not (vat.has("BT-152") or vat.has("VN-TSUAT")):
            yield line


@VN_GDT.rule(
    "VN-GDT-10",
    "warning",
    "The total payable (TgTTTBSo) should be the total before tax (TgTCThue) plus the tax "
    "(TgTThue).",
    terms=("BT-109", "BT-110", "BT-112"),
)
def total(doc: Invoice) -> Findings:
    totals = doc.child("BG-22")
    if totals is not None and sum_differs(
        totals.decimal("BT-112"),
        [totals.decimal("BT-109"), totals.decimal("BT-110")],
        Decimal("1"),
    ):
        yield totals


_GENERAL = ("VN-PBAN", "VN-THDON", "BT-5", "VN-HTTTOAN", "VN-MSTTCGP")


@VN_GDT.rule(
    "VN-GDT-11",
    "error",
    "The general information shall have the format version (PBan), invoice name (THDon), "
    "currency (DVTTe), payment method (HTTToan) and solution provider's tax code (MSTTCGP).",
    terms=_GENERAL,
)
def general(doc: Invoice) -> Findings:
    for term_id in _GENERAL:
        if not doc.has(term_id):
            yield doc, {"missing": term_id}


@VN_GDT.rule(
    "VN-GDT-12",
    "error",
    "An invoice in a currency other than VND shall state its exchange rate (TGia).",
    terms=("BT-5", "VN-TGIA"),
)
def exchange_rate(doc: Invoice) -> Findings:
    currency = (doc.value("BT-5") or "VND").strip().upper()
    if currency != "VND":
        yield from absent(doc, "VN-TGIA", doc)


_TOTALS = ("BT-109", "BT-110", "BT-112")


@VN_GDT.rule(
    "VN-GDT-13",
    "error",
    "The payment information shall have the totals before tax (TgTCThue), of tax (TgTThue) "
    "and payable in figures (TgTTTBSo) and in words (TgTTTBChu).",
    terms=(*_TOTALS, "VN-TGTTTBCHU"),
)
def totals_present(doc: Invoice) -> Findings:
    totals = doc.child("BG-22")
    for term_id in _TOTALS:
        if totals is None or not totals.has(term_id):
            yield (totals or doc), {"missing": term_id}
    yield from absent(doc, "VN-TGTTTBCHU", doc)


@VN_GDT.rule(
    "VN-GDT-14",
    "error",
    "Each line shall have its nature (TChat, 1 to 5) and the name of the goods or service "
    "(THHDVu).",
    terms=("VN-TCHAT", "BT-153"),
)
def line_nature(doc: Invoice) -> Findings:
    for line in doc.children("BG-25"):
        yield from absent(line, "VN-TCHAT", line)
        yield from not_in(line.all("VN-TCHAT"), _NATURE)
        yield from absent(line.child("BG-31"), "BT-153", line)


@VN_GDT.rule(
    "VN-GDT-15",
    "error",
    "Each line other than a note (TChat 4) shall have its amount before tax (ThTien).",
    terms=("VN-TCHAT", "BT-131"),
)
def line_amount(doc: Invoice) -> Findings:
    for line in doc.children("BG-25"):
        if (line.value("VN-TCHAT") or "").strip() != "4":
            yield from absent(line, "BT-131", line)
