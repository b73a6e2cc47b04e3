"""EN 16931 calculation and consistency rules: BR-CO-03, BR-CO-04, BR-CO-09 ... BR-CO-26.

Written from the CEN/TC 434 artefacts' abstract assertions and their UBL and CII bindings.
Sums follow the bindings exactly: the parts are added as written and the sum is rounded
with XPath's ``round(x * 100) div 100`` (halves towards +infinity) before an exact
comparison, so ``100`` equals ``100.00`` and ``200.01`` does not equal ``110 + 90``.
Where the two bindings decide a case differently, the document's syntax picks the one
that applies. An amount that is not a number makes its rule fail when it is the amount
under test, and makes a sum unknown (no finding: the datatype rules report the value).

BR-CO-05 ... BR-CO-08 are bound to ``true()`` in both syntaxes (reason texts and codes
cannot be compared mechanically) and so have no check here. The decimal-places rules
(BR-DEC-*) are in ``decimals``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from defa.einvoice.model import Group, Invoice, Term
from defa.einvoice.rules.en16931 import EN16931
from defa.einvoice.rules.en16931._access import (
    dec,
    is_cii,
    round0,
    round2,
    totals,
)
from defa.einvoice.rules.engine import Findings

__all__ = ["EN16931"]

rule = EN16931.rule

_ZERO = Decimal(0)
_ONE = Decimal(1)

# The country prefixes the UBL binding of BR-CO-09 accepts: ISO 3166-1 alpha-2 codes,
# plus EL (Greece's VAT prefix), XI (Northern Ireland) and 1A (Kosovo).
_PREFIXES = """
    1A AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN
    BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE
    DJ DK DM DO DZ EC EE EG EH EL ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM
    GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP
    KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH
    MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM
    PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ
    SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA
    UG UM US UY UZ VA VC VE VG VI VN VU WF WS XI YE YT ZA ZM ZW
"""
# " 1A AD ... ZW ": UBL looks the first two characters up in this line as a substring (so a
# one-character identifier passes), CII looks up the two characters padded with spaces.
_PREFIX_LINE = " " + " ".join(_PREFIXES.split()) + " "


def _sum(groups: Iterable[Group], term_id: str) -> Decimal | None:
    """Σ of a term over groups (absent terms add nothing); None if a value is not a number."""
    total = _ZERO
    for group in groups:
        for term in group.terms.get(term_id, ()):
            value = term.decimal()
            if value is None:
                return None
            total += value
    return total


def _tax_point_code(doc: Invoice) -> bool:
    """BT-8 occurs: at the document level, or inside the invoicing period as UBL has it."""
    if "BT-8" in doc.terms:
        return True
    return any("BT-8" in period.terms for period in _invoicing_periods(doc))


def _invoicing_periods(doc: Invoice) -> list[Group]:
    """BG-14, where the semantic model puts it (BG-13) or at the document level."""
    periods = list(doc.groups.get("BG-14", ()))
    for delivery in doc.groups.get("BG-13", ()):
        periods.extend(delivery.groups.get("BG-14", ()))
    return periods


# -- dates, categories and identifiers ---------------------------------------------------


@rule(
    "BR-CO-03",
    "error",
    "The VAT point date (BT-7) and the VAT point date code (BT-8) are both given; "
    "they exclude each other.",
    terms=("BT-7", "BT-8"),
)
def br_co_03(doc: Invoice) -> Findings:
    if "BT-7" in doc.terms and _tax_point_code(doc):
        yield doc.all("BT-7")[0]


@rule(
    "BR-CO-04",
    "error",
    "An invoice line (BG-25) has no invoiced item VAT category code (BT-151).",
    terms=("BG-25", "BT-151"),
)
def br_co_04(doc: Invoice) -> Findings:
    for line in doc.groups.get("BG-25", ()):
        if "BT-151" in line.terms:
            continue
        if not any("BT-151" in vat.terms for vat in line.groups.get("BG-30", ())):
            yield line


def _vat_identifiers(doc: Invoice) -> list[Term]:
    found: list[Term] = []
    for group_id, term_id in (("BG-4", "BT-31"), ("BG-7", "BT-48"), ("BG-11", "BT-63")):
        for party in doc.children(group_id):
            found.extend(party.all(term_id))
    return found


@rule(
    "BR-CO-09",
    "error",
    "A VAT identifier (BT-31, BT-48 or BT-63) does not start with an ISO 3166-1 alpha-2 "
    "country code (Greece may use EL).",
    terms=("BT-31", "BT-48", "BT-63"),
)
def br_co_09(doc: Invoice) -> Findings:
    cii = is_cii(doc)
    for identifier in _vat_identifiers(doc):
        prefix = identifier.text[:2]
        if (f" {prefix} " if cii else prefix) not in _PREFIX_LINE:
            yield identifier


@rule(
    "BR-CO-26",
    "error",
    "The seller (BG-4) has none of seller identifier (BT-29), legal registration "
    "identifier (BT-30) or VAT identifier (BT-31), so the buyer cannot identify it.",
    terms=("BT-29", "BT-30", "BT-31"),
)
def br_co_26(doc: Invoice) -> Findings:
    # A SEPA creditor identifier is read as BT-90, not BT-29: it names a mandate
    # creditor, not the seller, and does not count here.
    for seller in doc.groups.get("BG-4", ()):
        if not ("BT-29" in seller.terms or "BT-30" in seller.terms or "BT-31" in seller.terms):
            yield seller


# -- document totals -------------------------------------------------------------------------


@rule(
    "BR-CO-10",
    "error",
    "The sum of line net amounts (BT-106) is not the sum of the invoice line net amounts (BT-131).",
    terms=("BT-106", "BT-131"),
)
def br_co_10(doc: Invoice) -> Findings:
    group = totals(doc)
    if group is None:
        return
    expected = _sum(doc.groups.get("BG-25", ()), "BT-131")
    if expected is None:
        return
    stated = dec(group, "BT-106")
    if stated is None or stated != round2(expected):
        yield group, {"expected": str(round2(expected))}


def _allowance_total(doc: Invoice, total_id: str, group_id: str, amount_id: str) -> Findings:
    """BR-CO-11 / BR-CO-12: a document level total equals the Σ of its parts, and is
    absent only when there are no parts."""
    group = totals(doc)
    if group is None:
        return
    parts = doc.children(group_id)
    if total_id not in group.terms:
        if parts:
            yield group
        return
    expected = _sum(parts, amount_id)
    if expected is None:
        return
    stated = dec(group, total_id)
    if stated is None or stated != round2(expected):
        yield group.all(total_id)[0], {"expected": str(round2(expected))}


@rule(
    "BR-CO-11",
    "error",
    "The sum of allowances on document level (BT-107) is not the sum of the document "
    "level allowance amounts (BT-92).",
    terms=("BT-107", "BT-92"),
)
def br_co_11(doc: Invoice) -> Findings:
    return _allowance_total(doc, "BT-107", "BG-20", "BT-92")


@rule(
    "BR-CO-12",
    "error",
    "The sum of charges on document level (BT-108) is not the sum of the document level "
    "charge amounts (BT-99).",
    terms=("BT-108", "BT-99"),
)
def br_co_12(doc: Invoice) -> Findings:
    return _allowance_total(doc, "BT-108", "BG-21", "BT-99")


@rule(
    "BR-CO-13",
    "error",
    "The total without VAT (BT-109) is not the sum of line net amounts (BT-106) minus "
    "document allowances (BT-107) plus document charges (BT-108).",
    terms=("BT-109", "BT-106", "BT-107", "BT-108"),
)
def br_co_13(doc: Invoice) -> Findings:
    group = totals(doc)
    if group is None:
        return
    stated = dec(group, "BT-109")
    lines = dec(group, "BT-106")
    has_allowances, has_charges = "BT-107" in group.terms, "BT-108" in group.terms
    allowances = dec(group, "BT-107") if has_allowances else _ZERO
    charges = dec(group, "BT-108") if has_charges else _ZERO
    if stated is None or lines is None or allowances is None or charges is None:
        yield group
        return
    if has_allowances or has_charges or is_cii(doc):
        expected = round2(lines - allowances + charges)
    else:
        expected = lines  # UBL compares the two totals as written when there are neither
    if stated != expected:
        yield group.all("BT-109")[0], {"expected": str(expected)}


def _amount_in(doc: Invoice, group: Group | None, currency: str) -> list[Term]:
    """The total VAT amounts (BT-110/BT-111) stated in ``currency``.

    An amount without a currency attribute counts as the invoice currency's BT-110:
    the attribute is then missing, which the syntax rules report on their own.
    """
    if group is None:
        return []
    found = [t for t in group.all("BT-110") if t.attrs.get("currencyID", currency) == currency]
    found.extend(t for t in group.all("BT-111") if t.attrs.get("currencyID") == currency)
    return found


@rule(
    "BR-CO-14",
    "error",
    "The invoice total VAT amount (BT-110) is not the sum of the VAT category tax amounts "
    "(BT-117).",
    terms=("BT-110", "BT-117"),
)
def br_co_14(doc: Invoice) -> Findings:
    group = totals(doc)
    breakdowns = doc.groups.get("BG-23", ())
    vat_totals = group.all("BT-110") if group is not None else []
    # UBL checks each tax total that carries a breakdown (so a breakdown without a total
    # amount fails); CII checks the total in the invoice currency when there is one,
    # whatever the breakdown (an empty sum is zero).
    if not (vat_totals if is_cii(doc) else breakdowns):
        return
    expected = _sum(breakdowns, "BT-117")
    if expected is None:
        return
    expected = round2(expected)
    if not vat_totals:
        yield group if group is not None else doc, {"expected": str(expected)}
        return
    stated = vat_totals[0].decimal()
    if stated is None or stated != expected:
        yield vat_totals[0], {"expected": str(expected)}


@rule(
    "BR-CO-15",
    "error",
    "The total with VAT (BT-112) is not the total without VAT (BT-109) plus the total VAT "
    "amount in the invoice currency (BT-110), or that VAT amount is not given exactly once.",
    terms=("BT-112", "BT-109", "BT-110"),
)
def br_co_15(doc: Invoice) -> Findings:
    currency = doc.term("BT-5")
    if currency is None:
        return
    group = totals(doc)
    with_vat = dec(group, "BT-112") if group is not None else None
    without_vat = dec(group, "BT-109") if group is not None else None
    if is_cii(doc) and with_vat is not None and with_vat == without_vat:
        return  # CII also accepts a grand total equal to the basis (no VAT at all)
    vat = _amount_in(doc, group, currency.text)
    if len(vat) == 1 and with_vat is not None and without_vat is not None:
        amount = vat[0].decimal()
        if amount is not None and with_vat == round2(without_vat + amount):
            return
    yield group if group is not None else doc


@rule(
    "BR-CO-16",
    "error",
    "The amount due (BT-115) is not the total with VAT (BT-112) minus the paid amount "
    "(BT-113) plus the rounding amount (BT-114).",
    terms=("BT-115", "BT-112", "BT-113", "BT-114"),
)
def br_co_16(doc: Invoice) -> Findings:
    group = totals(doc)
    if group is None:
        return
    due, with_vat = dec(group, "BT-115"), dec(group, "BT-112")
    has_paid, has_rounding = "BT-113" in group.terms, "BT-114" in group.terms
    paid = dec(group, "BT-113") if has_paid else _ZERO
    rounding = dec(group, "BT-114") if has_rounding else _ZERO
    if due is None or with_vat is None or paid is None or rounding is None:
        yield group
        return
    if is_cii(doc):
        ok = due == with_vat - paid + rounding
    elif not has_rounding:
        # UBL: without a rounding amount, compare with the paid amount taken off.
        ok = due == (round2(with_vat - paid) if has_paid else with_vat)
    else:
        ok = round2(due - rounding) == (round2(with_vat - paid) if has_paid else with_vat)
    if not ok:
        yield group.all("BT-115")[0], {"expected": str(with_vat - paid + rounding)}


# -- VAT breakdown -----------------------------------------------------------------------------


@rule(
    "BR-CO-17",
    "error",
    "The VAT category tax amount (BT-117) is not the taxable amount (BT-116) times the "
    "rate (BT-119) / 100, rounded to two decimals (within one unit).",
    terms=("BT-117", "BT-116", "BT-119"),
)
def br_co_17(doc: Invoice) -> Findings:
    inclusive = is_cii(doc)  # CII's tolerance includes its bounds, UBL's excludes them
    for breakdown in doc.groups.get("BG-23", ()):
        tax = dec(breakdown, "BT-117")
        rate = dec(breakdown, "BT-119")
        if tax is None:
            yield breakdown
            continue
        if rate is None or round0(rate) == 0:
            # No rate, or one that rounds to zero: the tax must round to zero.
            if round0(tax) != 0:
                yield breakdown.all("BT-117")[0]
            continue
        taxable = dec(breakdown, "BT-116")
        if taxable is None:
            yield breakdown
            continue
        expected = round2(abs(taxable) * (rate / 100))
        low, high = abs(tax) - _ONE, abs(tax) + _ONE
        ok = low <= expected <= high if inclusive else low < expected < high
        if not ok:
            yield breakdown.all("BT-117")[0], {"expected": str(expected)}


@rule(
    "BR-CO-18",
    "error",
    "The invoice has no VAT breakdown (BG-23).",
    terms=("BG-23",),
)
def br_co_18(doc: Invoice) -> Findings:
    if not doc.groups.get("BG-23"):
        yield doc


# -- periods and reasons -----------------------------------------------------------------------


@rule(
    "BR-CO-19",
    "error",
    "The invoicing period (BG-14) has neither a start date (BT-73) nor an end date (BT-74).",
    terms=("BG-14", "BT-73", "BT-74"),
)
def br_co_19(doc: Invoice) -> Findings:
    periods = _invoicing_periods(doc)
    if not periods:
        return
    # UBL carries the VAT point date code (BT-8) in its invoice period element, which
    # then may hold that code alone.
    code_only_ok = not is_cii(doc) and _tax_point_code(doc)
    for period in periods:
        if "BT-73" in period.terms or "BT-74" in period.terms:
            continue
        if code_only_ok:
            continue
        yield period


@rule(
    "BR-CO-20",
    "error",
    "An invoice line period (BG-26) has neither a start date (BT-134) nor an end date (BT-135).",
    terms=("BG-26", "BT-134", "BT-135"),
)
def br_co_20(doc: Invoice) -> Findings:
    for line in doc.groups.get("BG-25", ()):
        for period in line.groups.get("BG-26", ()):
            if not ("BT-134" in period.terms or "BT-135" in period.terms):
                yield period


def _reasonless(groups: Iterable[Group], reason: str, code: str) -> Findings:
    for group in groups:
        if not (reason in group.terms or code in group.terms):
            yield group


@rule(
    "BR-CO-21",
    "error",
    "A document level allowance (BG-20) has neither a reason (BT-97) nor a reason code (BT-98).",
    terms=("BG-20", "BT-97", "BT-98"),
)
def br_co_21(doc: Invoice) -> Findings:
    return _reasonless(doc.groups.get("BG-20", ()), "BT-97", "BT-98")


@rule(
    "BR-CO-22",
    "error",
    "A document level charge (BG-21) has neither a reason (BT-104) nor a reason code (BT-105).",
    terms=("BG-21", "BT-104", "BT-105"),
)
def br_co_22(doc: Invoice) -> Findings:
    return _reasonless(doc.groups.get("BG-21", ()), "BT-104", "BT-105")


@rule(
    "BR-CO-23",
    "error",
    "An invoice line allowance (BG-27) has neither a reason (BT-139) nor a reason code (BT-140).",
    terms=("BG-27", "BT-139", "BT-140"),
)
def br_co_23(doc: Invoice) -> Findings:
    for line in doc.groups.get("BG-25", ()):
        yield from _reasonless(line.groups.get("BG-27", ()), "BT-139", "BT-140")


@rule(
    "BR-CO-24",
    "error",
    "An invoice line charge (BG-28) has neither a reason (BT-144) nor a reason code (BT-145).",
    terms=("BG-28", "BT-144", "BT-145"),
)
def br_co_24(doc: Invoice) -> Findings:
    for line in doc.groups.get("BG-25", ()):
        yield from _reasonless(line.groups.get("BG-28", ()), "BT-144", "BT-145")
