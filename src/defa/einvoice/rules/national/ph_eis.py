"""Philippines ``ph-eis``: rules of the BIR EIS invoice data (RR 8-2022, RR 11-2025; the
invoice contents of Section 113 of the Tax Code as amended by the EOPT Act, RA 11976), on
the model read by ``defa.countries.ph.einvoice``.

* the company invoice number, the issue date and the seller's registered name are required;
  the issue date reads as a date (warning: its form is not confirmed);
* the seller's TIN is nine digits and its branch code three to five digits (BIR registers
  TINs as nine digits plus a branch code; the EIS field lengths are not confirmed, so the
  branch code is a warning);
* a line's net sales are its sales amount less its discounts (warning).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import Findings, RuleSet
from defa.einvoice.rules.national._common import absent, not_matching, sum_differs

PH_EIS = RuleSet(
    "ph-eis",
    "2025.1",
    title="Philippines BIR EIS invoice data rules (unconfirmed field set)",
    source="BIR RR 8-2022 and RR 11-2025; NIRC Sec. 113 as amended by RA 11976 (EOPT)",
    valid_from=date(2022, 7, 1),
)

_TIN = re.compile(r"\d{9}")
_BRANCH = re.compile(r"\d{3,5}")
TOL = Decimal("0.01")  # amounts are in centavos


@PH_EIS.rule(
    "PH-EIS-01",
    "error",
    "The company invoice number (CompInvoiceId) and issue date (IssueDtm) shall be present.",
    terms=("BT-1", "BT-2"),
)
def identity(doc: Invoice) -> Findings:
    yield from absent(doc, "BT-1", doc)
    yield from absent(doc, "BT-2", doc)


@PH_EIS.rule(
    "PH-EIS-05",
    "warning",
    "The issue date (IssueDtm) should be a date (YYYYMMDD); its form is not confirmed.",
    terms=("BT-2",),
)
def issue_date_form(doc: Invoice) -> Findings:
    for term in doc.all("BT-2"):
        if term.text.strip() and term.date() is None:
            yield term, {"value": term.text[:40]}


@PH_EIS.rule(
    "PH-EIS-02",
    "error",
    "The seller's registered name (RegNm) and TIN (nine digits) shall be present.",
    terms=("BT-27", "BT-32"),
)
def seller(doc: Invoice) -> Findings:
    party = doc.child("BG-4")
    yield from absent(party, "BT-27", doc)
    if party is not None:
        yield from absent(party, "BT-32", doc)
        yield from not_matching(party.all("BT-32"), _TIN)


@PH_EIS.rule(
    "PH-EIS-03",
    "warning",
    "A branch code (BranchCd) should be three to five digits.",
    terms=("PH-BRANCHCD",),
)
def branch(doc: Invoice) -> Findings:
    for gid in ("BG-4", "BG-7"):
        party = doc.child(gid)
        if party is not None:
            yield from not_matching(party.all("PH-BRANCHCD"), _BRANCH)


@PH_EIS.rule(
    "PH-EIS-04",
    "warning",
    "A line's net sales (NetSales) should be its sales amount less its regular and "
    "special discounts.",
    terms=("PH-SALESAMT", "PH-REGDSCNTAMT", "PH-SPEDSCNTAMT", "BT-131"),
)
def line_net(doc: Invoice) -> Findings:
    for line in doc.children("BG-25"):
        sales = line.decimal("PH-SALESAMT")
        discounts = [line.decimal("PH-REGDSCNTAMT") or Decimal(0)]
        discounts.append(line.decimal("PH-SPEDSCNTAMT") or Decimal(0))
        net = line.decimal("BT-131")
        if sales is not None and net is not None and sum_differs(sales, [net, *discounts], TOL):
            yield line
