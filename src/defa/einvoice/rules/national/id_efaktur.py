"""Indonesia ``id-efaktur``: rules of the Coretax e-Faktur import (PMK 81/2024 on Coretax,
PMK 131/2024 on the 12% rate and the other tax base), on the model read by
``defa.countries.id.einvoice``.

* the seller's NPWP (TIN) is 16 digits and its place-of-business id (IDTKU/NITKU) the
  NPWP followed by six digits (PMK 112/2022 as amended by PMK 136/2023: 16-digit NPWP,
  NITKU); the buyer's IDTKU is a warning;
* the tax invoice date is a date; the transaction code is two digits 01 to 10;
* the buyer's document is TIN, National ID, Passport or Other ID; a line is A (goods) or B
  (services);
* the line VAT is the other tax base times the rate, within one rupiah (warning: the
  rounding rule is not stated in the import format);
* transaction codes 07 (VAT not collected) and 08 (exempt) name their facility in AddInfo
  and FacilityStamp and carry no VAT (warnings: stated by public integrations, e.g. Odoo's
  l10n_id_efaktur_coretax, not in a published DJP rule text).

The element names and values are those of DJP's template (``TaxInvoice.xsd``) as public
integrations write them (Odoo ``l10n_id_efaktur_coretax`` test ``results/sample.xml``).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import Findings, RuleSet
from defa.einvoice.rules.national._common import absent, iso_date, not_in, not_matching

ID_EFAKTUR = RuleSet(
    "id-efaktur",
    "2025.1",
    title="Indonesia Coretax e-Faktur import rules",
    source="PMK 81/2024 (Coretax), PMK 131/2024 (12% VAT, DPP Nilai Lain 11/12), "
    "PMK 112/2022 as amended by PMK 136/2023 (16-digit NPWP, NITKU); DJP Coretax XML "
    "import template",
    valid_from=date(2025, 1, 1),
)

_NPWP = re.compile(r"\d{16}")
_IDTKU = re.compile(r"\d{22}")
_TRX = re.compile(r"0[1-9]|10")
_BUYER_DOCUMENTS = frozenset({"TIN", "National ID", "Passport", "Other ID"})
_KINDS = frozenset({"A", "B"})


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
        yield from not_matching(party.all("BT-31"), _NPWP)


@ID_EFAKTUR.rule(
    "ID-EFAKTUR-02",
    "error",
    "The seller's place-of-business id (SellerIDTKU) shall have 22 digits.",
    terms=("ID-IDTKU",),
)
def seller_idtku(doc: Invoice) -> Findings:
    party = doc.child("BG-4")
    if party is not None:
        yield from not_matching(party.all("ID-IDTKU"), _IDTKU)


@ID_EFAKTUR.rule(
    "ID-EFAKTUR-10",
    "warning",
    "The buyer's place-of-business id (BuyerIDTKU) should have 22 digits (integrations "
    "write other values for buyers without a TIN; what Coretax accepts is not confirmed).",
    terms=("ID-IDTKU",),
)
def buyer_idtku(doc: Invoice) -> Findings:
    party = doc.child("BG-7")
    if party is not None:
        yield from not_matching(party.all("ID-IDTKU"), _IDTKU)


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
    "A line's VAT should be its other tax base (OtherTaxBase) times its rate (VATRate).",
    terms=("ID-OTHERTAXBASE", "BT-152", "ID-VAT"),
)
def line_vat(doc: Invoice) -> Findings:
    for line in doc.children("BG-25"):
        base, vat = line.decimal("ID-OTHERTAXBASE"), line.decimal("ID-VAT")
        rates = line.child("BG-30")
        rate = rates.decimal("BT-152") if rates is not None else None
        if base is None or vat is None or rate is None:
            continue
        expected = base * rate / Decimal(100)
        if abs(expected - vat) > Decimal(1):
            yield line, {"expected": str(expected.quantize(Decimal("0.01"))), "value": str(vat)}


_FACILITY_CODES = frozenset({"07", "08"})


@ID_EFAKTUR.rule(
    "ID-EFAKTUR-08",
    "warning",
    "A tax invoice with transaction code 07 or 08 should name its facility in AddInfo and "
    "FacilityStamp.",
    terms=("ID-TRXCODE", "ID-ADDINFO", "ID-FACILITYSTAMP"),
)
def facility(doc: Invoice) -> Findings:
    if (doc.value("ID-TRXCODE") or "").strip() in _FACILITY_CODES:
        for term_id in ("ID-ADDINFO", "ID-FACILITYSTAMP"):
            yield from absent(doc, term_id, doc)


@ID_EFAKTUR.rule(
    "ID-EFAKTUR-09",
    "warning",
    "Lines of a tax invoice with transaction code 07 or 08 should carry no VAT.",
    terms=("ID-TRXCODE", "ID-VAT"),
)
def facility_vat(doc: Invoice) -> Findings:
    if (doc.value("ID-TRXCODE") or "").strip() not in _FACILITY_CODES:
        return
    for line in doc.children("BG-25"):
        vat = line.decimal("ID-VAT")
        if vat is not None and vat != 0:
            yield line, {"value": str(vat)}
