"""PINT SG 1.4.1 (InvoiceNow): the Singapore aligned rules, on top of the PINT base rules.

Written from ``PINT-jurisdiction-aligned-rules.sch`` of PINT SG 1.4.1 (the invoice and
credit note files are identical). The set ``sg-pint`` builds on ``pint-billing`` (the PINT
General 1.1.3 base rules with the billing document type codes). Rule ids are upstream's
verbatim (``PEPPOL-EN16931-R004-SG``, ``BR-NG-01-GST-SG``, ``UBL-SR-12-GST-SG``...), with
their severities (``fatal`` reported as an error, ``warning`` as a warning).

Like the base rules, they are stated on UBL paths and read the parsed tree (``syntax="ubl"``).
Several upstream tests can never fail as written, and are registered so that their ids are
known but report nothing: ``BR-CO-05-SG`` ... ``BR-CO-08-SG`` (``true()``), ``BR-48-GST-SG``
(``exists()`` of a boolean), ``BR-111-GST-SG`` (a path relative to the tax category),
``BR-DEC-13-GST-SG`` and ``BR-DEC-15-SG`` (a predicate relative to the tax amount), and
``BR-DEC-19-SG``/``BR-DEC-20-SG`` (shadowed by the earlier ``cac:TaxSubtotal`` rule of their
pattern). See docs/einvoice-pint.md.

Modules: ``derived`` (the Peppol-derived ``PEPPOL-EN16931-R*-SG`` rules), ``gst`` (totals,
GST breakdown, parties), ``charges`` (document allowances and charges, payment), ``ng``
(non-GST-registered supplies, ``BR-NG-*``), ``syntax`` (cardinalities, SGD totals, code
lists and the GST-registered category rules ``BR-105`` ... ``BR-113-GST-SG``).

PINT SG 1.4.1 was released on 2026-06-08 (release notes, status "Draft"); that is the
set's ``valid_from``.
"""

from collections.abc import Callable
from datetime import date

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import CheckFn, Findings, RuleSet

__all__ = ["SG_PINT", "never", "rule"]

SG_PINT = RuleSet(
    "sg-pint",
    "1.4.1",
    title="PINT SG 1.4.1 billing (InvoiceNow): Singapore aligned rules on the PINT base",
    source="Singapore Peppol Authority, PINT SG 1.4.1 (2026-06-08): "
    "PINT-jurisdiction-aligned-rules.sch (invoice and credit note) and code lists, as "
    "redistributed in phax/phive-rules @ 432f0e9; https://docs.peppol.eu/poac/sg/pint-sg/",
    valid_from=date(2026, 6, 8),
    bases=("pint-billing",),
)


def rule(
    rule_id: str, severity: str, message: str, *, terms: tuple[str, ...] = ()
) -> Callable[[CheckFn], CheckFn]:
    """Register a UBL rule of the ``sg-pint`` set."""
    return SG_PINT.rule(rule_id, severity, message, terms=terms, syntax="ubl")


def never(rule_id: str, message: str, severity: str = "fatal") -> None:
    """Register an upstream rule whose test cannot fail as published (see module doc)."""

    def check(doc: Invoice) -> Findings:
        return iter(())

    check.__name__ = rule_id
    rule(rule_id, severity, message)(check)


# The rule modules register themselves on SG_PINT when imported.
from defa.einvoice.rules.pint_sg import charges, derived, gst, ng, syntax  # noqa: E402

__all__ += ["charges", "derived", "gst", "ng", "syntax"]
