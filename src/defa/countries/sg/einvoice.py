"""Singapore: e-invoice formats.

* ``sg-pint``: PINT SG 1.4.1 billing (InvoiceNow), UBL invoice and credit note; rule set
  ``sg-pint`` (the Singapore aligned rules on the PINT General 1.1.3 base rules). GST
  categories with their meanings: data ``pint-sg-tax-categories``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from defa.einvoice.profiles import Format, chain, map_tax_categories, set_customization
from defa.einvoice.rules.pint.formats import pint_format
from defa.einvoice.rules.pint_sg.derived import SG_CUSTOMIZATION, SG_PROCESS
from defa.einvoice.syntax import Syntax

__all__ = ["FORMATS", "SG_CUSTOMIZATION", "SG_PROCESS", "SYNTAXES"]

_PINT_SG = pint_format(
    "sg-pint",
    "PINT SG 1.4.1 billing (InvoiceNow), UBL invoice and credit note",
    rules="sg-pint",
    country="SG",
    version="1.4.1",
    valid_from=date(2026, 6, 8),
    customization=SG_CUSTOMIZATION,
    process=SG_PROCESS,
    source="Singapore Peppol Authority (IMDA), PINT SG 1.4.1 (release of 2026-06-08): "
    "BIS, Schematron (PINT-UBL-validation-preprocessed.sch, "
    "PINT-jurisdiction-aligned-rules.sch), code lists and examples; as redistributed "
    "in phax/phive-rules @ 432f0e9",
    notes="Release 1.4.1 is marked 'Draft' in its release notes. Some upstream rules can "
    "never fail as published (BR-CO-05/06/07/08-SG, BR-48-GST-SG, BR-111-GST-SG, "
    "BR-DEC-13-GST-SG, BR-DEC-15/19/20-SG); they report nothing here either.",
)

# PINT SG states tax under the GST scheme with its own categories (BR-CL-17/18-GST-SG):
# EN 16931 Z, G and O map one to one (ZR, ZR, OS); S, E and AE have several SG codes, so
# they stay as they are and the conversion lists them.
FORMATS: tuple[Format, ...] = (
    replace(
        _PINT_SG,
        prepare=chain(
            set_customization(SG_CUSTOMIZATION, SG_PROCESS),
            map_tax_categories("sg-gst", tax_scheme="GST"),
        ),
    ),
)

SYNTAXES: tuple[Syntax, ...] = ()
