"""Brunei Darussalam's identifiers.

Brunei taxes only companies; Brunei's information for the OECD "Tax Identification
Numbers" pages (Brunei Darussalam sheet, August 2018) gives no separate TIN for entities
but their registration number with the Registry of Companies and Business Names (ROCBN):
``P`` + 8 digits (sole proprietorships and partnerships), ``RC`` + 8 digits (private and
public companies) or ``RFC`` + 8 digits (branches of foreign companies). No check digit
is published. The one scheme therefore serves as both the tin and the brn. Individuals
have no TIN (the identity card number is the functional equivalent); it is not offered
here because its format is not published.
"""

from __future__ import annotations

from defa.ids import PatternScheme, Scheme

SCHEMES: dict[str, Scheme] = {
    "rocbn": PatternScheme(
        country="BN",
        name="rocbn",
        title="ROCBN registration number",
        source=(
            "Registry of Companies and Business Names; Brunei Darussalam TIN sheet on the "
            "OECD Tax Identification Numbers pages (August 2018)"
        ),
        pattern=r"P[0-9]{8}|RC[0-9]{8}|RFC[0-9]{8}",
        lengths=(9, 10, 11),
    ),
}
ROLES = {"tin": "rocbn", "brn": "rocbn"}
