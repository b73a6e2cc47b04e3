"""The EN 16931 rule set (CEN/TC 434 validation artefacts 1.3.16), implemented natively.

Rules are written from the published Schematron's assertions (``specs/einvoice/en16931``);
ids and severities are the upstream's verbatim, messages are our own.
"""

from datetime import date

from defa.einvoice.rules.engine import RuleSet

EN16931 = RuleSet(
    "en16931",
    "1.3.16",
    title="EN 16931-1:2017 business rules (CEN/TC 434 validation artefacts)",
    source="ConnectingEurope/eInvoicing-EN16931 validation artefacts 1.3.16",
    valid_from=date(2017, 10, 1),
)

# The rule modules register themselves on EN16931 when imported.
from defa.einvoice.rules.en16931 import (  # noqa: E402
    calculation,
    codelists,
    core,
    core_lines,
    decimals,
    syntax_cii,
    syntax_ubl,
    vat,
)

__all__ = [
    "EN16931",
    "calculation",
    "codelists",
    "core",
    "core_lines",
    "decimals",
    "syntax_cii",
    "syntax_ubl",
    "vat",
]
