"""ETDA e-Tax Invoice 2.0 rules (Thailand), native: the rule set ``th-etda``.

Written from ETDA's published Schematron, one file per document type
(``XMLSchemaV2/ETDA/data/standard/<Type>_Schematron_2p0.sch`` in ETDA/XMLValidation). ETDA
states its rules as ``sch:report``: each fires when its test is *true*, and the rule's id
stands at the start of the message text (``TIV-SellerTradeParty-005 ...``), followed by Thai
and English wording. The ids here are those, verbatim; the messages are our own; every rule
is an error (the Schematron gives no role, and ETDA's validator rejects on any report).

The rules run on the semantic model, which the ETDA reader fills with EN 16931 terms and
ETDA's own (``TH-...``, see :mod:`defa.countries.th.etda.binding`), so a document converted
into ETDA is judged the same way. Each rule applies to the document type its prefix names
(TIV tax invoice, DCN debit/credit note, RCT receipt, INV invoice, ABB abbreviated tax
invoice, CLN cancellation note), read from ``TH-DOCUMENT``.

Where this implementation departs from the Schematron's literal behaviour, on purpose:

* ``ABB-SellerTradeParty-001`` tests ``ram:ID`` upstream but its message asks for the name;
  we check the name.
* ``ABB-SellerTradeParty-004`` .. ``-007`` sit under a context path missing its ``ram:``
  prefix, so the official Schematron never fires them; we apply them as written.
* ``*-Document-006``/``DCN-Document-008``/``RCT-Document-004`` (invoicer and seller share a
  tax id) fire only when the invoicer has a tax id; upstream they also fire when neither
  party has one.
* an empty ``ram:SpecifiedTaxRegistration`` counts as absent (the model holds no term for it).
* The unnumbered "document type does not match" reports (context ``/``) cannot fire: the
  reader picks each document's type from its own root element.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import CheckFn, Finding, RuleSet
from defa.einvoice.rules.etda.tables import TABLES

__all__ = ["ETDA", "PREFIXES"]

ETDA = RuleSet(
    "th-etda",
    "2.0",
    title="ETDA e-Tax Invoice 2.0 Schematron rules (ขมธอ. 3-2560)",
    source="ETDA/XMLValidation @ 5220c21: XMLSchemaV2/ETDA/data/standard/*_Schematron_2p0.sch "
    "(TaxInvoice, Invoice, Receipt, DebitCreditNote, CancellationNote, AbbreviatedTaxInvoice); "
    "ETDA recommendation ขมธอ. 3-2560, version 2.0",
    # ขมธอ. 3-2560 was published in 2017 (B.E. 2560); e-Tax Invoice by e-mail and the
    # ETDA XML standard are accepted by the Revenue Department from that year
    valid_from=date(2017, 1, 1),
)

#: document type -> the prefix of its rule ids
PREFIXES = {
    "TaxInvoice": "TIV",
    "DebitCreditNote": "DCN",
    "Receipt": "RCT",
    "Invoice": "INV",
    "AbbreviatedTaxInvoice": "ABB",
    "CancellationNote": "CLN",
}


def _for_type(type_name: str, check: CheckFn) -> CheckFn:
    """``check``, run only on documents of ETDA document type ``type_name``."""

    def run(doc: Invoice) -> Iterator[Finding]:
        if doc.value("TH-DOCUMENT") == type_name:
            yield from check(doc)

    return run


def _register() -> None:
    for type_name, sections in TABLES.items():
        prefix = PREFIXES[type_name]
        for section, entries in sections:
            for number, check, message, terms in entries:
                rule_id = f"{prefix}-{section}-{number}"
                ETDA.rule(rule_id, "error", message, terms=terms)(_for_type(type_name, check))


_register()
