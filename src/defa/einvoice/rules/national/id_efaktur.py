"""Indonesia ``id-efaktur``: rules of the Coretax e-Faktur import (PMK 81/2024 on Coretax,
PMK 131/2024 on the 12% rate and the other tax base), on the model read by
``defa.countries.id.einvoice``.

The rules follow DJP's own artefacts for the import: the sample file ``Sample Faktur PK
Template v.1.4.xml`` and the Excel template v1.6.1 shipped in converter v1.6 (pajak.go.id,
"Template XML dan Converter Excel ke XML"), whose ``Keterangan`` sheet marks each column
mandatory or not and states its rule, and whose ``REF-*`` sheets hold the code lists. They
were read as transcribed in public repositories (nrazgulyaev/management-os
``docs/CORETAX-EFAKTUR-FORMAT.md`` @ 5baa470; the sample reproduced byte for byte in
dharmawipraja/accounting-api ``src/coretax/faktur.spec.ts`` @ a36f2a9). The XSD the sample
names (``TaxInvoice.xsd``) is not distributed by DJP.

* the seller's NPWP (TIN) is 16 digits and its place-of-business id (SellerIDTKU, NITKU) is
  present and is the NPWP followed by six digits (PMK 112/2022 as amended by PMK 136/2023);
* the buyer's TIN is 16 digits, all zeros when the buyer's document is not a TIN, and the
  buyer's IDTKU is 22 digits for a TIN buyer and ``000000`` otherwise (template; warnings
  but for the 16 digits);
* the tax invoice date is a date; the transaction code is two digits 01 to 10; the buyer's
  document is TIN, National ID, Passport or Other ID; a line is A (goods) or B (services);
* TaxInvoiceOpt is ``Normal`` for an import (warning);
* for transaction codes 01, 04 and 09 the line VAT is the rate times the other tax base
  (template: "PPN = Tarif x DPP Nilai Lain"; other codes may differ), within one rupiah
  (warning: DJP does not validate it on import);
* codes 07 (VAT not collected) and 08 (exempt) name their facility in AddInfo and
  FacilityStamp (template: conditionally mandatory and validated by DJP);
* the amounts of a line have at most two decimals, and every line states its other tax
  base, rate, VAT and luxury-goods tax (zero when none) (warnings);
* the buyer's name and address are present (warning: mandatory in the template, yet empty
  in DJP's own sample, and Coretax fills them from its register for TIN buyers).

ID-EFAKTUR-09 ("codes 07 and 08 carry no VAT", from a public integration) was withdrawn in
2025.2: DJP's sample is a code 07 invoice carrying its VAT. Its id is not reused.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from defa.einvoice.model import Invoice, Term
from defa.einvoice.rules.engine import Findings, RuleSet
from defa.einvoice.rules.national._common import absent, iso_date, not_in, not_matching

ID_EFAKTUR = RuleSet(
    "id-efaktur",
    "2025.2",
    title="Indonesia Coretax e-Faktur import rules",
    source="PMK 81/2024 (Coretax), PMK 131/2024 (12% VAT, DPP Nilai Lain 11/12), "
    "PMK 112/2022 as amended by PMK 136/2023 (16-digit NPWP, NITKU); DJP Coretax XML "
    "import: Sample Faktur PK Template v.1.4.xml and Excel template v1.6.1 (Keterangan "
    "and REF sheets) of converter v1.6, as transcribed in nrazgulyaev/management-os "
    "docs/CORETAX-EFAKTUR-FORMAT.md @ 5baa470",
    valid_from=date(2025, 1, 1),
)

_NPWP = re.compile(r"\d{16}")
_IDTKU = re.compile(r"\d{22}")
_TRX = re.compile(r"0[1-9]|10")
_BUYER_DOCUMENTS = frozenset({"TIN", "National ID", "Passport", "Other ID"})
_KINDS = frozenset({"A", "B"})
_NO_TIN = "0" * 16
_NO_IDTKU = "000000"
# Codes whose VAT the template requires to be the rate times the other tax base.
_RATE_TIMES_BASE = frozenset({"01", "04", "09"})
_FACILITY_CODES = frozenset({"07", "08"})
# The line amounts the template limits to two decimals.
_TWO_DECIMALS = ("BT-146", "BT-129", "ID-TOTALDISCOUNT", "BT-131", "ID-OTHERTAXBASE")
# The line amounts the template marks mandatory (zero when none).
_LINE_AMOUNTS = ("ID-OTHERTAXBASE", "ID-VAT", "ID-STLGRATE", "ID-STLG")


def _given(terms: list[Term]) -> list[Term]:
    """The terms with a value (an empty element is reported as absent, not as malformed)."""
    return [t for t in terms if t.text.strip()]


def _buyer_has_tin(doc: Invoice) -> bool:
    """False only for a buyer identified by one of the other documents of the list."""
    party = doc.child("BG-7")
    kind = party.value("ID-BUYERDOCUMENT") if party is not None else None
    return kind is None or kind.strip() not in _BUYER_DOCUMENTS - {"TIN"}


@ID_EFAKTUR.rule(
    "ID-EFAKTUR-01",
    "error",
    "The seller's TIN (NPWP) shall be present and have 16 digits.",
    terms=("BT-31",),
)
def seller_tin(doc: Invoice) -> Findings:
    party = doc.child("BG-4")
    yield from absent(party, "BT-31", doc)
    if party is not None:
        yield from not_matching(_given(party.all("BT-31")), _NPWP)


@ID_EFAKTUR.rule(
    "ID-EFAKTUR-02",
    "error",
    "The seller's place-of-business id (SellerIDTKU) shall be present and have 22 digits.",
    terms=("ID-IDTKU",),
)
def seller_idtku(doc: Invoice) -> Findings:
    party = doc.child("BG-4")
    yield from absent(party, "ID-IDTKU", doc)
    if party is not None:
        yield from not_matching(_given(party.all("ID-IDTKU")), _IDTKU)


@ID_EFAKTUR.rule(
    "ID-EFAKTUR-10",
    "warning",
    "The buyer's place-of-business id (BuyerIDTKU) should have 22 digits for a buyer "
    "identified by TIN, and be 000000 otherwise.",
    terms=("ID-IDTKU", "ID-BUYERDOCUMENT"),
)
def buyer_idtku(doc: Invoice) -> Findings:
    party = doc.child("BG-7")
    if party is None:
        return
    if _buyer_has_tin(doc):
        yield from not_matching(party.all("ID-IDTKU"), _IDTKU)
    else:
        yield from not_in(party.all("ID-IDTKU"), frozenset({_NO_IDTKU}))


@ID_EFAKTUR.rule(
    "ID-EFAKTUR-11",
    "error",
    "The buyer's TIN (BuyerTin) shall be present and have 16 digits.",
    terms=("BT-48",),
)
def buyer_tin(doc: Invoice) -> Findings:
    party = doc.child("BG-7")
    yield from absent(party, "BT-48", doc)
    if party is not None:
        yield from not_matching(_given(party.all("BT-48")), _NPWP)


@ID_EFAKTUR.rule(
    "ID-EFAKTUR-12",
    "warning",
    "A buyer identified by other than a TIN should have the TIN 0000000000000000.",
    terms=("BT-48", "ID-BUYERDOCUMENT"),
)
def buyer_without_tin(doc: Invoice) -> Findings:
    party = doc.child("BG-7")
    if party is not None and not _buyer_has_tin(doc):
        yield from not_in(party.all("BT-48"), frozenset({_NO_TIN}))


@ID_EFAKTUR.rule(
    "ID-EFAKTUR-03",
    "error",
    "The tax invoice date (TaxInvoiceDate) shall be present as YYYY-MM-DD.",
    terms=("BT-2",),
)
def invoice_date(doc: Invoice) -> Findings:
    return iso_date(doc, "BT-2")


@ID_EFAKTUR.rule(
    "ID-EFAKTUR-04",
    "error",
    "The transaction code (TrxCode) shall be present and be 01 to 10.",
    terms=("ID-TRXCODE",),
)
def transaction_code(doc: Invoice) -> Findings:
    yield from absent(doc, "ID-TRXCODE", doc)
    yield from not_matching(doc.all("ID-TRXCODE"), _TRX)


@ID_EFAKTUR.rule(
    "ID-EFAKTUR-13",
    "warning",
    "The kind of tax invoice (TaxInvoiceOpt) of an import should be Normal.",
    terms=("ID-TAXINVOICEOPT",),
)
def invoice_kind(doc: Invoice) -> Findings:
    return not_in(doc.all("ID-TAXINVOICEOPT"), frozenset({"Normal"}))


@ID_EFAKTUR.rule(
    "ID-EFAKTUR-05",
    "error",
    "The buyer's document (BuyerDocument) shall be TIN, National ID, Passport or Other ID.",
    terms=("ID-BUYERDOCUMENT",),
)
def buyer_document(doc: Invoice) -> Findings:
    party = doc.child("BG-7")
    if party is not None:
        yield from not_in(party.all("ID-BUYERDOCUMENT"), _BUYER_DOCUMENTS)


@ID_EFAKTUR.rule(
    "ID-EFAKTUR-16",
    "warning",
    "The buyer's name (BuyerName) and address (BuyerAdress) should be present.",
    terms=("BT-44", "BT-50"),
)
def buyer_name_and_address(doc: Invoice) -> Findings:
    party = doc.child("BG-7")
    yield from absent(party, "BT-44", doc)
    address = party.child("BG-8") if party is not None else None
    yield from absent(address, "BT-50", party if party is not None else doc)


@ID_EFAKTUR.rule(
    "ID-EFAKTUR-06",
    "error",
    "Each line (GoodService) shall say whether it is goods (A) or services (B) in Opt.",
    terms=("ID-OPT",),
)
def line_kind(doc: Invoice) -> Findings:
    for line in doc.children("BG-25"):
        yield from absent(line, "ID-OPT", line)
        yield from not_in(line.all("ID-OPT"), _KINDS)


@ID_EFAKTUR.rule(
    "ID-EFAKTUR-07",
    "warning",
    "Under transaction code 01, 04 or 09 a line's VAT should be its other tax base "
    "(OtherTaxBase) times its rate (VATRate).",
    terms=("ID-TRXCODE", "ID-OTHERTAXBASE", "BT-152", "ID-VAT"),
)
def line_vat(doc: Invoice) -> Findings:
    if (doc.value("ID-TRXCODE") or "").strip() not in _RATE_TIMES_BASE:
        return
    for line in doc.children("BG-25"):
        base, vat = line.decimal("ID-OTHERTAXBASE"), line.decimal("ID-VAT")
        rates = line.child("BG-30")
        rate = rates.decimal("BT-152") if rates is not None else None
        if base is None or vat is None or rate is None:
            continue
        expected = base * rate / Decimal(100)
        if abs(expected - vat) > Decimal(1):
            yield line, {"expected": str(expected.quantize(Decimal("0.01"))), "value": str(vat)}


@ID_EFAKTUR.rule(
    "ID-EFAKTUR-08",
    "error",
    "A tax invoice with transaction code 07 or 08 shall name its facility in AddInfo and "
    "FacilityStamp.",
    terms=("ID-TRXCODE", "ID-ADDINFO", "ID-FACILITYSTAMP"),
)
def facility(doc: Invoice) -> Findings:
    if (doc.value("ID-TRXCODE") or "").strip() in _FACILITY_CODES:
        for term_id in ("ID-ADDINFO", "ID-FACILITYSTAMP"):
            yield from absent(doc, term_id, doc)


def _decimals(text: str) -> int | None:
    try:
        exponent = Decimal(text.strip()).normalize().as_tuple().exponent
    except InvalidOperation:
        return None
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


@ID_EFAKTUR.rule(
    "ID-EFAKTUR-14",
    "warning",
    "A line's price, quantity, discount, tax base and other tax base should have at most "
    "two decimals.",
    terms=_TWO_DECIMALS,
)
def two_decimals(doc: Invoice) -> Findings:
    for line in doc.children("BG-25"):
        for group in (line, line.child("BG-29")):
            if group is None:
                continue
            for term_id in _TWO_DECIMALS:
                for term in group.all(term_id):
                    places = _decimals(term.text)
                    if places is not None and places > 2:
                        yield term, {"value": term.text[:40]}


@ID_EFAKTUR.rule(
    "ID-EFAKTUR-15",
    "warning",
    "Each line should state its other tax base, VAT and luxury-goods tax rate and amount "
    "(zero when there is none) and its VAT rate.",
    terms=(*_LINE_AMOUNTS, "BT-152"),
)
def line_amounts(doc: Invoice) -> Findings:
    for line in doc.children("BG-25"):
        for term_id in _LINE_AMOUNTS:
            yield from absent(line, term_id, line)
        yield from absent(line.child("BG-30"), "BT-152", line)
