"""EN 16931 core, calculation and decimal rules on documents built by hand.

The conformance suite (``test_conformance.py``) judges the rules on the upstream unit
tests; these cases pin the details that suite touches lightly: contexts (a rule runs only
where its group exists), XPath rounding, tolerance bounds and the CII binding's variants.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from defa.einvoice.model import Group, Invoice
from defa.einvoice.rules.en16931 import EN16931
from defa.einvoice.rules.en16931._access import round2
from defa.errors import Severity


def fired(rule_id: str, doc: Invoice) -> list[str]:
    """The locations where ``rule_id`` fails on ``doc``."""
    out = []
    for finding in EN16931.rules[rule_id].check(doc):
        where = finding[0] if isinstance(finding, tuple) else finding
        out.append(where if isinstance(where, str) else where.loc)
    return out


def minimal() -> Invoice:
    """A small invoice that passes every core and calculation rule."""
    doc = Invoice(loc="/Invoice")
    doc.new_group("BG-2").set("BT-24", "urn:cen.eu:en16931:2017")
    for tid, text in (("BT-1", "INV-1"), ("BT-2", "2024-01-31"), ("BT-3", "380"), ("BT-5", "EUR")):
        doc.set(tid, text)
    seller = doc.new_group("BG-4", "/Invoice/Seller")
    seller.set("BT-27", "Seller AS")
    seller.set("BT-31", "NO999999999MVA")
    seller.new_group("BG-5").set("BT-40", "NO")
    buyer = doc.new_group("BG-7")
    buyer.set("BT-44", "Buyer AB")
    buyer.new_group("BG-8").set("BT-55", "SE")
    line = doc.new_group("BG-25", "/Invoice/Line[1]")
    line.set("BT-126", "1")
    line.set("BT-129", "2")
    line.set("BT-130", "C62")
    line.set("BT-131", "100.00")
    line.new_group("BG-29").set("BT-146", "50")
    line.new_group("BG-30").set("BT-151", "S")
    line.new_group("BG-31").set("BT-153", "Widget")
    vat = doc.new_group("BG-23")
    for tid, text in (("BT-116", "100.00"), ("BT-117", "25.00"), ("BT-118", "S")):
        vat.set(tid, text)
    vat.set("BT-119", "25")
    totals = doc.new_group("BG-22", "/Invoice/Totals")
    for tid, text in (
        ("BT-106", "100.00"),
        ("BT-109", "100.00"),
        ("BT-112", "125.00"),
        ("BT-115", "125.00"),
    ):
        totals.set(tid, text)
    totals.set("BT-110", "25.00", "/Invoice/Totals/VAT", currencyID="EUR")
    return doc


MINE = sorted(
    rid
    for rid in EN16931.rules
    if rid.startswith(("BR-CO-", "BR-DEC-")) or (rid[3:].isdigit() and rid.startswith("BR-"))
)


def totals_of(doc: Invoice) -> Group:
    group = doc.child("BG-22")
    assert group is not None
    return group


def test_every_rule_of_the_families_is_registered_with_its_upstream_flag() -> None:
    expected_core = {f"BR-{n:02d}" for n in range(1, 66)} - {
        "BR-34",
        "BR-35",
        "BR-39",
        "BR-40",
        "BR-58",
        "BR-59",
        "BR-60",
    }
    assert expected_core <= set(EN16931.rules)
    assert {f"BR-CO-{n:02d}" for n in (3, 4, *range(9, 25), 26)} <= set(EN16931.rules)
    dec = {1, 2, 5, 6, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 23, 24, 25, 27, 28}
    assert {f"BR-DEC-{n:02d}" for n in dec} <= set(EN16931.rules)
    assert EN16931.rules["BR-51"].severity is Severity.WARNING
    assert all(EN16931.rules[r].severity is Severity.ERROR for r in MINE if r != "BR-51")


@pytest.mark.parametrize("rule_id", MINE)
def test_a_complete_invoice_passes(rule_id: str) -> None:
    assert fired(rule_id, minimal()) == []


def test_mandatory_terms_fire_on_an_empty_invoice() -> None:
    doc = Invoice(loc="/Invoice")
    for rid in ("BR-01", "BR-02", "BR-05", "BR-06", "BR-08", "BR-10", "BR-16", "BR-CO-18"):
        assert fired(rid, doc) == ["/Invoice"], rid
    # Rules bound to a group do not run when the group is absent.
    for rid in ("BR-09", "BR-12", "BR-CO-10", "BR-CO-16", "BR-17", "BR-CO-26"):
        assert fired(rid, doc) == [], rid


def test_blank_text_is_not_a_value() -> None:
    doc = minimal()
    doc.terms["BT-1"][0].text = "  \n"
    assert fired("BR-02", doc) == ["/Invoice"]


def test_br_co_10_rounds_the_sum_and_compares_exactly() -> None:
    doc = minimal()
    extra = doc.new_group("BG-25")
    extra.set("BT-131", "0.004")
    totals_of(doc).terms["BT-106"][0].text = "100"
    assert fired("BR-CO-10", doc) == []  # 100.004 rounds to 100.00 == 100
    totals_of(doc).terms["BT-106"][0].text = "100.01"
    assert fired("BR-CO-10", doc) == ["/Invoice/Totals"]


def test_xpath_rounding_takes_halves_towards_positive_infinity() -> None:
    doc = minimal()
    line = doc.children("BG-25")[0]
    line.terms["BT-131"][0].text = "-0.005"
    totals_of(doc).terms["BT-106"][0].text = "0.00"
    assert fired("BR-CO-10", doc) == []  # round(-0.5) is -0, not -1
    line.terms["BT-131"][0].text = "0.005"
    totals_of(doc).terms["BT-106"][0].text = "0.01"
    assert fired("BR-CO-10", doc) == []


def test_br_co_11_total_needs_parts_and_parts_need_total() -> None:
    doc = minimal()
    allowance = doc.new_group("BG-20", "/Invoice/Allowance")
    allowance.set("BT-92", "10")
    assert fired("BR-CO-11", doc) == ["/Invoice/Totals"]  # allowance without BT-107
    totals_of(doc).set("BT-107", "10.00")
    assert fired("BR-CO-11", doc) == []
    del doc.groups["BG-20"]
    assert fired("BR-CO-11", doc) != []  # BT-107 = 10 but Σ of no allowances is 0


def test_br_co_13_uses_allowances_and_charges_only_when_given() -> None:
    doc = minimal()
    totals = totals_of(doc)
    totals.set("BT-107", "10")
    assert fired("BR-CO-13", doc) != []
    totals.terms["BT-109"][0].text = "90"
    assert fired("BR-CO-13", doc) == []
    totals.set("BT-108", "5")
    assert fired("BR-CO-13", doc) != []
    totals.terms["BT-109"][0].text = "95.00"
    assert fired("BR-CO-13", doc) == []


def test_br_co_15_needs_exactly_one_vat_total_in_the_invoice_currency() -> None:
    doc = minimal()
    totals = totals_of(doc)
    totals.set("BT-111", "250.00", currencyID="NOK")
    assert fired("BR-CO-15", doc) == []
    totals.terms["BT-110"][0].attrs["currencyID"] = "NOK"
    assert fired("BR-CO-15", doc) == ["/Invoice/Totals"]
    del doc.terms["BT-5"]
    assert fired("BR-CO-15", doc) == []  # no invoice currency: nothing to judge by


def test_br_co_16_with_paid_and_rounding_amounts() -> None:
    doc = minimal()
    totals = totals_of(doc)
    totals.set("BT-113", "25")
    assert fired("BR-CO-16", doc) != []
    totals.terms["BT-115"][0].text = "100"
    assert fired("BR-CO-16", doc) == []
    totals.set("BT-114", "0.40")
    assert fired("BR-CO-16", doc) != []
    totals.terms["BT-115"][0].text = "100.40"
    assert fired("BR-CO-16", doc) == []


@pytest.mark.parametrize(
    ("tax", "cii", "fails"),
    [
        ("25.00", False, False),
        ("24.01", False, False),
        ("24.00", False, True),  # UBL's tolerance of one excludes its bounds
        ("24.00", True, False),  # CII's includes them
        ("26.00", False, True),
        ("-25.00", False, False),  # compared in absolute value, as for credit notes
    ],
)
def test_br_co_17_tolerance(tax: str, cii: bool, fails: bool) -> None:
    doc = minimal()
    doc.syntax = "cii" if cii else "ubl"
    doc.children("BG-23")[0].terms["BT-117"][0].text = tax
    assert bool(fired("BR-CO-17", doc)) is fails


def test_br_co_17_without_a_rate_the_tax_must_round_to_zero() -> None:
    doc = minimal()
    breakdown = doc.children("BG-23")[0]
    del breakdown.terms["BT-119"]
    assert fired("BR-CO-17", doc) != []
    breakdown.terms["BT-117"][0].text = "0.49"
    assert fired("BR-CO-17", doc) == []


def test_br_co_19_accepts_a_ubl_period_with_only_the_tax_point_code() -> None:
    doc = minimal()
    period = doc.new_group("BG-14", "/Invoice/Period")
    assert fired("BR-CO-19", doc) == ["/Invoice/Period"]
    period.set("BT-8", "3")
    doc.syntax = "ubl"
    assert fired("BR-CO-19", doc) == []
    doc.syntax = "cii"
    assert fired("BR-CO-19", doc) == ["/Invoice/Period"]


def test_br_29_compares_dates() -> None:
    doc = minimal()
    period = doc.new_group("BG-14")
    period.set("BT-73", "2024-02-01")
    period.set("BT-74", "2024-01-31")
    assert fired("BR-29", doc) != []
    period.terms["BT-74"][0].text = "2024-02-01"
    assert fired("BR-29", doc) == []


def test_br_27_fires_on_a_negative_price_and_on_none() -> None:
    doc = minimal()
    price = doc.children("BG-25")[0].children("BG-29")[0]
    price.terms["BT-146"][0].text = "-1"
    assert fired("BR-27", doc) != []
    del price.terms["BT-146"]
    assert fired("BR-27", doc) != []


def test_br_co_09_vat_prefixes() -> None:
    doc = minimal()
    seller = doc.children("BG-4")[0]
    seller.terms["BT-31"][0].text = "EL123456789"
    assert fired("BR-CO-09", doc) == []
    seller.terms["BT-31"][0].text = "123456789"
    assert len(fired("BR-CO-09", doc)) == 1
    # UBL looks the prefix up as a substring of the code list: a one-letter id passes
    # there, while CII compares whole codes.
    seller.terms["BT-31"][0].text = "N"
    doc.syntax = "ubl"
    assert fired("BR-CO-09", doc) == []
    doc.syntax = "cii"
    assert len(fired("BR-CO-09", doc)) == 1


def test_br_53_a_same_currency_tax_total_serves_as_the_accounting_one() -> None:
    doc = minimal()
    doc.set("BT-6", "NOK", "/Invoice/TaxCurrency")
    assert fired("BR-53", doc) == ["/Invoice/TaxCurrency"]
    doc.terms["BT-6"][0].text = "EUR"
    assert fired("BR-53", doc) == []
    totals_of(doc).set("BT-111", "250", currencyID="NOK")
    doc.terms["BT-6"][0].text = "NOK"
    assert fired("BR-53", doc) == []


def test_br_co_26_a_sepa_creditor_id_does_not_identify_the_seller() -> None:
    doc = minimal()
    seller = doc.children("BG-4")[0]
    del seller.terms["BT-31"]
    assert fired("BR-CO-26", doc) == ["/Invoice/Seller"]
    seller.set("BT-90", "DE98ZZZ09999999999")
    assert fired("BR-CO-26", doc) == ["/Invoice/Seller"]
    seller.set("BT-29", "7300010000001")
    assert fired("BR-CO-26", doc) == []


def test_br_17_payee_named_like_the_seller_is_not_a_different_payee() -> None:
    doc = minimal()
    doc.syntax = "ubl"
    doc.children("BG-4")[0].set("BT-28", "Seller Trading")
    payee = doc.new_group("BG-10", "/Invoice/Payee")
    assert fired("BR-17", doc) == ["/Invoice/Payee"]
    payee.set("BT-59", "Seller Trading")
    assert fired("BR-17", doc) == ["/Invoice/Payee"]
    payee.terms["BT-59"][0].text = "Factor Ltd"
    assert fired("BR-17", doc) == []


@pytest.mark.parametrize(
    ("text", "fails"), [("1.00", False), ("1", False), ("1.000", True), ("0.001", True)]
)
def test_decimal_places_count_the_written_digits(text: str, fails: bool) -> None:
    doc = minimal()
    doc.children("BG-25")[0].terms["BT-131"][0].text = text
    assert bool(fired("BR-DEC-23", doc)) is fails


def test_br_dec_13_follows_its_bindings() -> None:
    doc = minimal()
    totals_of(doc).terms["BT-110"][0].text = "25.001"
    doc.syntax = "ubl"
    assert fired("BR-DEC-13", doc) == []  # the UBL binding never selects an amount
    doc.syntax = "cii"
    assert fired("BR-DEC-13", doc) == ["/Invoice/Totals/VAT"]
    totals_of(doc).terms["BT-110"][0].text = "25.000"
    assert fired("BR-DEC-13", doc) == []  # by value: trailing zeros pass in CII
    totals_of(doc).terms["BT-110"][0].text = "25.001"
    totals_of(doc).set("BT-111", "250.00", currencyID="NOK")
    assert fired("BR-DEC-13", doc) == []  # another currency's total satisfies CII


def test_br_dec_15_in_cii_needs_a_total_in_the_accounting_currency() -> None:
    doc = minimal()
    doc.syntax = "cii"
    assert fired("BR-DEC-15", doc) == []  # no accounting currency
    doc.set("BT-6", "NOK")
    assert fired("BR-DEC-15", doc) != []
    totals_of(doc).set("BT-111", "250.00", currencyID="NOK")
    assert fired("BR-DEC-15", doc) == []
    totals_of(doc).terms["BT-111"][0].text = "250.005"
    assert fired("BR-DEC-15", doc) != []


def test_br_61_credit_transfer_needs_an_account() -> None:
    doc = minimal()
    means = doc.new_group("BG-16", "/Invoice/PaymentMeans")
    means.set("BT-81", "58")
    assert fired("BR-61", doc) == ["/Invoice/PaymentMeans"]
    means.new_group("BG-17").set("BT-84", "NO9386011117947")
    assert fired("BR-61", doc) == []
    means.terms["BT-81"][0].text = "31"
    means.groups.clear()
    assert fired("BR-61", doc) == []


def test_br_51_is_a_warning_on_long_card_numbers() -> None:
    doc = minimal()
    card = doc.new_group("BG-16").new_group("BG-18")
    card.set("BT-87", "1234567890")
    assert fired("BR-51", doc) == []
    card.terms["BT-87"][0].text = "12345678901"
    assert len(fired("BR-51", doc)) == 1


def test_br_co_14_ubl_needs_a_breakdown_cii_checks_every_total() -> None:
    doc = minimal()
    totals_of(doc).terms["BT-110"][0].text = "26.00"
    assert fired("BR-CO-14", doc) == ["/Invoice/Totals/VAT"]
    del doc.groups["BG-23"]
    doc.syntax = "ubl"
    assert fired("BR-CO-14", doc) == []  # a tax total without subtotals is not checked
    doc.syntax = "cii"
    assert fired("BR-CO-14", doc) == ["/Invoice/Totals/VAT"]  # Σ of no breakdown is 0


def test_br_co_14_in_cii_a_breakdown_without_a_vat_total_is_not_checked() -> None:
    doc = minimal()
    del totals_of(doc).terms["BT-110"]
    doc.syntax = "ubl"
    assert fired("BR-CO-14", doc) == ["/Invoice/Totals"]
    doc.syntax = "cii"
    assert fired("BR-CO-14", doc) == []


def test_br_co_15_cii_also_accepts_a_grand_total_equal_to_the_basis() -> None:
    doc = minimal()
    totals_of(doc).terms["BT-112"][0].text = "100.00"
    doc.syntax = "ubl"
    assert fired("BR-CO-15", doc) == ["/Invoice/Totals"]
    doc.syntax = "cii"
    assert fired("BR-CO-15", doc) == []


def test_br_co_03_tax_point_date_and_code_exclude_each_other() -> None:
    doc = minimal()
    doc.set("BT-7", "2024-01-31", "/Invoice/TaxPointDate")
    assert fired("BR-CO-03", doc) == []
    doc.set("BT-8", "35")
    assert fired("BR-CO-03", doc) == ["/Invoice/TaxPointDate"]


def test_br_64_65_pair_scheme_attributes_with_their_identifier_by_location() -> None:
    doc = minimal()
    item = doc.children("BG-25")[0].children("BG-31")[0]
    item.set("BT-158", "12345", "/I/L/CC[1]/Code")
    item.set("BT-158", "67890", "/I/L/CC[2]/Code")
    item.set("BT-158-1", "STI", "/I/L/CC[2]/Code/@listID")
    assert fired("BR-65", doc) == ["/I/L/CC[1]/Code"]


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        ("1.005", "1.01"),
        ("-1.005", "-1.00"),  # halves go towards +infinity, as XPath's round()
        ("-1.006", "-1.01"),
        ("2.50", "2.50"),
        ("1E+40", "1E+40"),  # too long to quantize: still rounded, not raised
    ],
)
def test_round2_is_xpath_round(value: str, rounded: str) -> None:
    assert round2(Decimal(value)) == Decimal(rounded)
