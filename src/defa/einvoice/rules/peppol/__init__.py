"""Peppol BIS Billing 3.0 rules (2025-Q2 release), on top of EN 16931, implemented natively.

Written from the published Schematron (``specs/einvoice/peppol-bis3``); ids and severities
verbatim, messages our own.
"""

from datetime import date

from defa.einvoice.rules.engine import RuleSet

PEPPOL_BIS3 = RuleSet(
    "peppol-bis3",
    "2025-Q2",
    title="Peppol BIS Billing 3.0 rules and code lists",
    source="OpenPEPPOL/peppol-bis-invoice-3, 2025-Q2 release",
    valid_from=date(2025, 5, 19),
    bases=("en16931",),
)

__all__ = ["PEPPOL_BIS3"]
