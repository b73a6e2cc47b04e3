"""Cambodia: CamInvoice, the e-invoicing platform of the General Department of Taxation.

CamInvoice (GDT, Ministry of Economy and Finance) went live in 2025 with a phased mandate
starting with large taxpayers. Public descriptions say its documents are OASIS UBL 2.1
XML; GDT's technical specification (customization identifier, code lists, business rules)
is given to registered integrators and was not available to us. So this format is UBL as
the engine reads and writes it, recognised by a Cambodian seller (BT-40 ``KH``), checked
by a small rule set holding only the invoice contents Cambodian tax law requires, and its
confidence is ``unconfirmed``.

No national syntax is added: ``SYNTAXES`` is empty and the format's syntax is ``ubl``.
"""

from __future__ import annotations

from datetime import date

from defa.einvoice.model import Invoice
from defa.einvoice.profiles import Format, to_en16931
from defa.einvoice.syntax import Syntax

__all__ = ["FORMATS", "NOTES", "SOURCE", "SYNTAXES", "is_cambodian"]

SOURCE = (
    "General Department of Taxation of Cambodia, CamInvoice (e-invoice.gov.kh, 2025): "
    "public descriptions of a UBL 2.1 clearance platform; Law on Taxation (tax invoice "
    "contents); a public integration (cambodia/e-invoice-sdk on Packagist, 2026) writing "
    "UBL 2.1 for the CamInvoice API; no public technical specification"
)

NOTES = (
    "Unconfirmed: CamInvoice's technical specification is not public. A public integration "
    "writes UBL 2.1 with the specification identifier urn:cen.eu:en16931:2017, CamInvoice "
    "member ids (KHUID...) as endpoint ids and VAT categories S (10%), Z and E; this is "
    "not confirmed by GDT. Not confirmed: the identifier, code lists, rules, signature and "
    "the clearance stamp the platform adds. No specification identifier is set when "
    "writing. Debit notes (UBL DebitNote-2, said to be accepted) are not read by the UBL "
    "syntax, which takes Invoice and CreditNote."
)


def is_cambodian(doc: Invoice) -> bool:
    """A UBL document whose seller's address is in Cambodia (BT-40 ``KH``)."""
    seller = doc.child("BG-4")
    address = seller.child("BG-5") if seller is not None else None
    country = address.value("BT-40") if address is not None else None
    return country is not None and country.strip().upper() == "KH"


SYNTAXES: tuple[Syntax, ...] = ()

FORMATS = (
    Format(
        "kh-caminvoice",
        "Cambodia CamInvoice (UBL 2.1, unconfirmed)",
        "ubl",
        "kh-caminvoice",
        country="KH",
        version="2025",
        valid_from=date(2025, 1, 1),
        specificity=5,  # below any format named by its specification identifier
        matches=is_cambodian,
        # The binding is written from EN 16931 categories: national codes are mapped first.
        prepare=to_en16931,
        source=SOURCE,
        confidence="unconfirmed",
        notes=NOTES,
    ),
)
