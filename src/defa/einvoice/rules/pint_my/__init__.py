"""PINT MY 1.3.1 billing and self-billing: the Malaysian aligned rules on the PINT base.

Written from ``PINT-jurisdiction-aligned-rules.sch`` of PINT MY 1.3.1 (``pint-my``) and
PINT MY 1.3.1 self-billing (``pint-my-selfbilling``). The two files differ only in the
specification and process identifiers that ``aligned-ibrp-001-my`` and ``aligned-ibrp-002``
require, so each rule is written once and registered on both sets:

- ``my-pint``: on ``pint-billing`` (document types of UNTDID 1001 for invoices and credit
  notes), specification ``urn:peppol:pint:billing-1@my-1``, process
  ``urn:peppol:bis:billing``;
- ``my-pint-selfbilling``: on ``pint-selfbilling`` (types 389 and 261), specification
  ``urn:peppol:pint:selfbilling-1@my-1``, process ``urn:peppol:bis:selfbilling``.

Rule ids are upstream's verbatim (``aligned-ibrp-sa-08``, ``ibr-02-my``...). The Malaysian
sales and service tax categories (SA, SE, HVG, LVG, E, O) ride on tax scheme ``VAT``; tourism
tax (TTX) on scheme ``AAL`` and without a rate. Like the base rules they read the UBL tree.

PINT MY 1.3.1 (billing and self-billing) was released on 2026-06-08 (release notes, status
"Final"); that is the sets' ``valid_from``.
"""

from collections.abc import Callable
from datetime import date

from defa.einvoice.rules.engine import CheckFn, RuleSet, rule_on

__all__ = [
    "MY_CUSTOMIZATION",
    "MY_PINT",
    "MY_PINT_SELFBILLING",
    "MY_PROCESS",
    "MY_SELFBILLING_CUSTOMIZATION",
    "MY_SELFBILLING_PROCESS",
    "rule",
]

# Specification id prefixes (ibt-024) and business processes (ibt-023) the sets require.
MY_CUSTOMIZATION = "urn:peppol:pint:billing-1@my-1"
MY_PROCESS = "urn:peppol:bis:billing"
MY_SELFBILLING_CUSTOMIZATION = "urn:peppol:pint:selfbilling-1@my-1"
MY_SELFBILLING_PROCESS = "urn:peppol:bis:selfbilling"

_SOURCE = (
    "Malaysia Peppol Authority (MDEC), PINT MY 1.3.1 (2026-06-08): "
    "PINT-jurisdiction-aligned-rules.sch (invoice and credit note) and code lists, as "
    "redistributed in phax/phive-rules @ 432f0e9; https://docs.peppol.eu/poac/my/"
)

MY_PINT = RuleSet(
    "my-pint",
    "1.3.1",
    title="PINT MY 1.3.1 billing: Malaysian aligned rules on the PINT base",
    source=_SOURCE + "pint-my/",
    valid_from=date(2026, 6, 8),
    bases=("pint-billing",),
)
MY_PINT_SELFBILLING = RuleSet(
    "my-pint-selfbilling",
    "1.3.1",
    title="PINT MY 1.3.1 self-billing: Malaysian aligned rules on the PINT self-billing base",
    source=_SOURCE + "pint-my-selfbilling/",
    valid_from=date(2026, 6, 8),
    bases=("pint-selfbilling",),
)
_SETS = (MY_PINT, MY_PINT_SELFBILLING)


def rule(
    rule_id: str, severity: str, message: str, *, terms: tuple[str, ...] = ()
) -> Callable[[CheckFn], CheckFn]:
    """Register a UBL rule on both Malaysian sets (billing and self-billing)."""
    return rule_on(_SETS, rule_id, severity, message, terms=terms, syntax="ubl")


# The rule module registers itself on the sets when imported.
from defa.einvoice.rules.pint_my import aligned  # noqa: E402

__all__ += ["aligned"]
