"""Peppol PINT base rules (``ibr-*``): PINT General 1.1.3 as the SG and MY releases carry it.

Written from ``PINT-UBL-validation-preprocessed.sch`` of PINT SG 1.4.1 and PINT MY 1.3.1
(``specs/einvoice/pint-sg``, ``pint-my``, ``pint-my-selfbilling``). The SG and MY billing
files are identical; the self-billing file differs only in ``ibr-cl-01`` (document type codes
389 and 261). So the rules live once, in three rule sets:

- ``pint``: every base rule except ``ibr-cl-01``;
- ``pint-billing``: ``pint`` plus ``ibr-cl-01`` with the billing type codes;
- ``pint-selfbilling``: ``pint`` plus ``ibr-cl-01`` with the self-billing type codes.

The national sets name one of the last two as their base (``sg-pint`` and ``my-pint`` build
on ``pint-billing``, ``my-pint-selfbilling`` on ``pint-selfbilling``).

PINT has one syntax binding, UBL, and states its rules against UBL paths; many of them judge
the syntax itself (cardinalities, attributes, empty elements). So, as for Peppol BIS 3
(docs/adr/0002), the rules read the parsed tree through the shared indexed view
(``defa.einvoice.rules._tree``) and declare ``syntax="ubl"``. Rule ids and severities
are upstream's verbatim (``fatal`` is reported as an error); messages are our own.

Schematron reports a node against the first rule of a pattern whose context it matches;
where that shadows a later rule (``ibr-079`` on elements an earlier rule already matched,
``ibr-082`` on allowances the indicator rules took), the rules here do the same, so that
findings agree with the published artefacts.

Modules: ``document`` (the document root, references, payment, dates and times),
``parties`` (parties and identifier check digits), ``amounts`` (totals, tax totals,
allowances and charges, currencies of amounts), ``items`` (lines, periods, items, empty
elements), ``codelists`` (``ibr-cl-*``).

The SG and MY releases adopting PINT General 1.1.3 are dated 2026-06-08 (release notes),
which is the sets' ``valid_from``.
"""

from collections.abc import Callable, Iterable
from datetime import date

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import CheckFn, Findings, RuleSet
from defa.einvoice.rules.pint._xp import CAC, Element, TreeView, count, loc, tree

__all__ = ["PINT", "PINT_BILLING", "PINT_SELFBILLING", "at_most", "lines", "root", "rule"]

_SOURCE = (
    "OpenPeppol PINT General 1.1.3 rules as shipped in PINT SG 1.4.1 and PINT MY 1.3.1: "
    "PINT-UBL-validation-preprocessed.sch (invoice and credit note), as redistributed in "
    "phax/phive-rules @ 432f0e9; https://docs.peppol.eu/poac/pint/"
)
RELEASED = date(2026, 6, 8)

PINT = RuleSet(
    "pint",
    "1.1.3",
    title="Peppol PINT base rules (ibr-*), PINT General 1.1.3",
    source=_SOURCE,
    valid_from=RELEASED,
)
PINT_BILLING = RuleSet(
    "pint-billing",
    "1.1.3",
    title="Peppol PINT billing: base rules and the billing document type codes",
    source=_SOURCE,
    valid_from=RELEASED,
    bases=("pint",),
)
PINT_SELFBILLING = RuleSet(
    "pint-selfbilling",
    "1.1.3",
    title="Peppol PINT self-billing: base rules and the self-billing document type codes",
    source=_SOURCE + " (pint-my-selfbilling)",
    valid_from=RELEASED,
    bases=("pint",),
)


def rule(
    rule_id: str, severity: str, message: str, *, terms: tuple[str, ...] = ()
) -> Callable[[CheckFn], CheckFn]:
    """Register a UBL rule of the ``pint`` set (PINT binds to UBL only)."""
    return PINT.rule(rule_id, severity, message, terms=terms, syntax="ubl")


def at_most(
    rule_id: str,
    message: str,
    contexts: Callable[[TreeView], Iterable[Element]],
    *path: str,
    limit: int = 1,
) -> None:
    """Register a cardinality rule: ``count(path) <= limit`` in every context node."""

    def check(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is None:
            return
        for el in contexts(u):
            if count(el, *path) > limit:
                yield loc(el)

    check.__name__ = rule_id
    rule(rule_id, "fatal", message)(check)


def root(u: TreeView) -> list[Element]:
    """The document element, as a one-node context."""
    return [u.root]


def lines(u: TreeView) -> list[Element]:
    """Every ``cac:InvoiceLine`` and ``cac:CreditNoteLine`` (the Schematron context)."""
    return [*u.all(CAC + "InvoiceLine"), *u.all(CAC + "CreditNoteLine")]


# The rule modules register themselves on the sets when imported.
from defa.einvoice.rules.pint import amounts, codelists, document, items, parties  # noqa: E402

__all__ += ["amounts", "codelists", "document", "items", "parties"]
