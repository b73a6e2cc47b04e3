"""Lao PDR: no national e-invoice format is published.

See :data:`STATEMENT`. ``FORMATS`` is empty; the international formats are offered.
"""

from __future__ import annotations

from defa.einvoice.profiles import Format
from defa.einvoice.syntax import Syntax

__all__ = ["FORMATS", "STATEMENT", "SYNTAXES"]

STATEMENT = (
    "As of 2026-11-28 no national e-invoice data format is published for Lao PDR: the "
    "publications of "
    "the Tax Department of the Ministry of Finance"
    " and public e-invoicing surveys were searched and "
    "no XML or JSON specification, schema or mandate with a data format was found. DEFA "
    'offers the international formats instead: Peppol PINT (the shapes of "sg-pint" and '
    '"my-pint"), or plain UBL 2.1 ("ubl", "peppol-bis3").'
)

FORMATS: tuple[Format, ...] = ()
SYNTAXES: tuple[Syntax, ...] = ()
