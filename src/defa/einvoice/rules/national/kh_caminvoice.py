"""Cambodia ``kh-caminvoice``: the invoice contents Cambodian tax law requires, on a UBL
document (CamInvoice's own rules are not public).

The Law on Taxation and its Prakas on tax invoices require the seller's VAT TIN, the
invoice number and date, a description, quantity and price of each item, and the VAT
charged. These are checked; CamInvoice's platform rules could not be confirmed and are
not guessed.
"""

from __future__ import annotations

from datetime import date

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import Findings, RuleSet
from defa.einvoice.rules.national._common import absent

KH_CAMINVOICE = RuleSet(
    "kh-caminvoice",
    "2025.1",
    title="Cambodia tax invoice contents (CamInvoice rules unconfirmed)",
    source="Law on Taxation of the Kingdom of Cambodia (tax invoice contents); CamInvoice "
    "technical rules not public",
    valid_from=date(2025, 1, 1),
)


@KH_CAMINVOICE.rule(
    "KH-CAMINVOICE-01",
    "error",
    "The seller's VAT TIN (BT-31) or tax registration (BT-32) shall be present.",
    terms=("BT-31", "BT-32"),
)
def seller_tin(doc: Invoice) -> Findings:
    party = doc.child("BG-4")
    if party is None or not (party.has("BT-31") or party.has("BT-32")):
        yield party if party is not None else doc


@KH_CAMINVOICE.rule(
    "KH-CAMINVOICE-02",
    "error",
    "The invoice number (BT-1) and issue date (BT-2) shall be present.",
    terms=("BT-1", "BT-2"),
)
def identity(doc: Invoice) -> Findings:
    yield from absent(doc, "BT-1", doc)
    yield from absent(doc, "BT-2", doc)


@KH_CAMINVOICE.rule(
    "KH-CAMINVOICE-03",
    "error",
    "Each line shall have an item name (BT-153), a quantity (BT-129) and a price (BT-146).",
    terms=("BT-153", "BT-129", "BT-146"),
)
def lines(doc: Invoice) -> Findings:
    for line in doc.children("BG-25"):
        item, price = line.child("BG-31"), line.child("BG-29")
        if not (
            line.has("BT-129")
            and item is not None
            and item.has("BT-153")
            and price is not None
            and price.has("BT-146")
        ):
            yield line


@KH_CAMINVOICE.rule(
    "KH-CAMINVOICE-04",
    "error",
    "The invoice shall state the VAT charged (BT-110).",
    terms=("BT-110",),
)
def vat_total(doc: Invoice) -> Findings:
    totals = doc.child("BG-22")
    yield from absent(totals, "BT-110", doc)
