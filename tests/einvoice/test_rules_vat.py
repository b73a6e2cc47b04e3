"""EN 16931 VAT category rules (BR-S/Z/E/AE/IC/G/O/AF/AG) on hand-built documents.

The arithmetic cases are worked by hand in the comments. The upstream unit tests of these
families and the official valid examples run at the end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from defa.einvoice.model import Invoice
from defa.einvoice.rules.en16931 import EN16931
from defa.einvoice.rules.en16931.vat import CATEGORIES
from defa.errors import Severity
from tests.einvoice.unit_cases import UnitCase, errors_on, example_paths, findings, judge
from tests.einvoice.unit_cases import unit_cases as _unit_cases

Item = tuple[str, str | None, str]  # VAT category code, rate (None: absent), amount
Breakdown = tuple[str, str | None, str, str]  # code, rate, taxable amount, VAT amount


def invoice(
    lines: Sequence[Item] = (),
    allowances: Sequence[Item] = (),
    charges: Sequence[Item] = (),
    breakdowns: Sequence[Breakdown] = (),
    seller: Sequence[str] = ("BT-31",),
    buyer: Sequence[str] = (),
    reason: str | None = None,
) -> Invoice:
    """A document holding just what the VAT rules read."""
    doc = Invoice(loc="/Invoice")
    s = doc.new_group("BG-4", "/Invoice/Seller")
    for tid in seller:
        if tid == "BT-63":
            doc.new_group("BG-11").set("BT-63", "NO999999999MVA")
        else:
            s.set(tid, "NO999999999MVA")
    b = doc.new_group("BG-7")
    for tid in buyer:
        b.set(tid, "SE556677889901")
    for n, (code, rate, amount) in enumerate(lines, 1):
        line = doc.new_group("BG-25", f"/Invoice/Line[{n}]")
        line.set("BT-131", amount)
        vat = line.new_group("BG-30", f"/Invoice/Line[{n}]/VAT")
        vat.set("BT-151", code)
        if rate is not None:
            vat.set("BT-152", rate, f"/Invoice/Line[{n}]/VAT/Rate")
    for group, (code_id, rate_id, amount_id), items in (
        ("BG-20", ("BT-95", "BT-96", "BT-92"), allowances),
        ("BG-21", ("BT-102", "BT-103", "BT-99"), charges),
    ):
        for n, (code, rate, amount) in enumerate(items, 1):
            g = doc.new_group(group, f"/Invoice/{group}[{n}]")
            g.set(amount_id, amount)
            g.set(code_id, code)
            if rate is not None:
                g.set(rate_id, rate, f"/Invoice/{group}[{n}]/Rate")
    for n, (code, rate, taxable, vat_amount) in enumerate(breakdowns, 1):
        g = doc.new_group("BG-23", f"/Invoice/VAT[{n}]")
        g.set("BT-116", taxable)
        g.set("BT-117", vat_amount)
        g.set("BT-118", code)
        if rate is not None:
            g.set("BT-119", rate)
        if reason is not None:
            g.set("BT-120", reason)
    return doc


def fires(rule_id: str, doc: Invoice) -> bool:
    return bool(findings(rule_id, doc))


def failing(doc: Invoice, family: str) -> list[str]:
    """The rules of one family that fail on ``doc``."""
    return [r for r in EN16931.rules if r.startswith(f"BR-{family}-") and fires(r, doc)]


# -- the table --------------------------------------------------------------------------------


def test_every_family_has_its_ten_rules_and_the_extras() -> None:
    ids = {r for r in EN16931.rules if re.match(r"BR-(S|Z|E|AE|IC|G|O|AF|AG|B)-\d", r)}
    for cat in CATEGORIES:
        assert {f"BR-{cat.family}-{n:02d}" for n in range(1, 11)} <= ids
    assert {"BR-IC-11", "BR-IC-12", "BR-O-11", "BR-O-12", "BR-O-13", "BR-O-14"} <= ids
    assert {"BR-B-01", "BR-B-02"} <= ids
    assert len(ids) == 9 * 10 + 2 + 4 + 2
    # Upstream flags every one of them fatal.
    assert all(EN16931.rules[r].severity is Severity.ERROR for r in ids)


def test_messages_are_our_own_and_name_the_category() -> None:
    assert '"zero rated" (Z)' in EN16931.rules["BR-Z-05"].message
    assert "0 (zero)" in EN16931.rules["BR-Z-05"].message
    assert "[BR-" not in EN16931.rules["BR-S-08"].message


# -- standard rated: the arithmetic ------------------------------------------------------------

# Lines 100 + 50, charge 10, allowance 20, all S 25 %: taxable 100 + 50 + 10 - 20 = 140,
# VAT 140 x 25 / 100 = 35.00.
S_ITEMS = {
    "lines": [("S", "25", "100.00"), ("S", "25.0", "50.00")],
    "charges": [("S", "25.00", "10.00")],
    "allowances": [("S", "25", "20.00")],
}


def standard(taxable: str = "140.00", vat: str = "35.00", **kw: object) -> Invoice:
    args: dict[str, object] = {**S_ITEMS, "breakdowns": [("S", "25", taxable, vat)], **kw}
    return invoice(**args)  # type: ignore[arg-type]


def test_a_consistent_standard_rated_invoice_passes() -> None:
    assert failing(standard(), "S") == []


@pytest.mark.parametrize(
    ("taxable", "ok"),
    [
        ("140.00", True),
        ("140.99", True),  # |140.99 - 140| = 0.99 < 1: within the artefacts' tolerance
        ("139.01", True),
        ("141.00", False),  # exactly 1 off: the comparison is strict
        ("138.50", False),
    ],
)
def test_br_s_08_taxable_amount_per_rate_within_one(taxable: str, ok: bool) -> None:
    # VAT amount kept consistent with the taxable amount so only BR-S-08 is judged.
    assert fires("BR-S-08", standard(taxable=taxable)) is not ok


def test_br_s_08_groups_by_rate_numerically() -> None:
    # 25, 25.0 and 25.00 are one rate; the 10 % line makes its own breakdown.
    doc = invoice(
        lines=[("S", "25", "100"), ("S", "25.00", "100"), ("S", "10", "50")],
        breakdowns=[("S", "25.0", "200", "50"), ("S", "10", "50", "5")],
    )
    assert not fires("BR-S-08", doc)
    # A breakdown for a rate no line, allowance or charge has fails.
    doc = invoice(lines=[("S", "25", "100")], breakdowns=[("S", "12", "0", "0")])
    assert fires("BR-S-08", doc)


def test_br_s_08_ignores_other_categories() -> None:
    doc = invoice(
        lines=[("S", "25", "100"), ("Z", "0", "70")],
        breakdowns=[("S", "25", "100", "25"), ("Z", "0", "70", "0")],
    )
    assert not fires("BR-S-08", doc)
    assert not fires("BR-Z-08", doc)


@pytest.mark.parametrize(
    ("taxable", "rate", "vat", "ok"),
    [
        ("140.00", "25", "35.00", True),  # 140 x 0.25 = 35.00
        ("140.00", "25", "35.99", True),  # within 1
        ("140.00", "25", "36.00", False),  # exactly 1 off
        ("0.10", "25", "0.03", True),  # 0.025 rounds half up to 0.03
        ("-100.00", "25", "-25.00", True),  # compared as absolute values
        ("-100.00", "25", "25.00", True),  # the artefacts compare |VAT|: sign is BR-CO's job
        ("99.99", "12.5", "12.50", True),  # 12.49875 -> 12.50
    ],
)
def test_br_s_09_vat_amount(taxable: str, rate: str, vat: str, ok: bool) -> None:
    doc = invoice(breakdowns=[("S", rate, taxable, vat)])
    assert fires("BR-S-09", doc) is not ok


@pytest.mark.parametrize(
    ("amount", "rate"), [("1E+30", "25"), ("9E+999999", "9E+999999"), ("1", "1E+999999")]
)
def test_absurd_amounts_are_reported_not_raised(amount: str, rate: str) -> None:
    doc = invoice(lines=[("S", rate, amount)], breakdowns=[("S", rate, amount, "1")])
    fires("BR-S-08", doc)
    assert fires("BR-S-09", doc)


def test_br_s_09_needs_vat_amount_and_rate() -> None:
    assert fires("BR-S-09", invoice(breakdowns=[("S", None, "100", "25")]))
    doc = invoice(breakdowns=[("S", "25", "100", "25")])
    doc.children("BG-23")[0].terms.pop("BT-117")
    assert fires("BR-S-09", doc)


@pytest.mark.parametrize(
    ("rate", "ok"), [("25", True), ("0.01", True), ("0", False), ("-5", False), (None, False)]
)
def test_br_s_05_line_rate_above_zero(rate: str | None, ok: bool) -> None:
    doc = invoice(lines=[("S", rate, "100")])
    assert fires("BR-S-05", doc) is not ok


def test_br_s_06_and_07_allowance_and_charge_rate() -> None:
    doc = invoice(allowances=[("S", "0", "5")], charges=[("S", None, "5")])
    assert fires("BR-S-06", doc)
    assert fires("BR-S-07", doc)
    # The finding points at the offending rate, or at the group when the rate is missing.
    assert findings("BR-S-06", doc) == ["/Invoice/BG-20[1]/Rate"]
    assert findings("BR-S-07", doc) == ["/Invoice/BG-21[1]"]


@pytest.mark.parametrize(
    ("seller", "ok"),
    [(("BT-31",), True), (("BT-32",), True), (("BT-63",), True), ((), False)],
)
def test_br_s_02_to_04_seller_identifiers(seller: tuple[str, ...], ok: bool) -> None:
    doc = invoice(
        lines=[("S", "25", "100")],
        allowances=[("S", "25", "1")],
        charges=[("S", "25", "1")],
        seller=seller,
    )
    for rule in ("BR-S-02", "BR-S-03", "BR-S-04"):
        assert fires(rule, doc) is not ok


def test_br_s_01_breakdown_both_ways() -> None:
    assert fires("BR-S-01", invoice(lines=[("S", "25", "100")]))
    assert fires("BR-S-01", invoice(breakdowns=[("S", "25", "0", "0")]))
    assert not fires(
        "BR-S-01", invoice(charges=[("S", "25", "1")], breakdowns=[("S", "25", "1", "0.25")])
    )
    # Several S breakdowns (one per rate) are fine.
    doc = invoice(
        lines=[("S", "25", "1"), ("S", "10", "1")],
        breakdowns=[("S", "25", "1", "0.25"), ("S", "10", "1", "0.1")],
    )
    assert not fires("BR-S-01", doc)


def test_br_s_10_no_exemption_reason() -> None:
    assert fires("BR-S-10", standard(reason="Exempt"))


# -- the zero-VAT families ------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["Z", "E", "AE", "K", "G"])
def test_zero_vat_families_rate_and_amount(code: str) -> None:
    family = next(c.family for c in CATEGORIES if c.code == code)
    ok = invoice(
        lines=[(code, "0", "100")],
        breakdowns=[(code, "0", "100", "0")],
        seller=("BT-31",),
        buyer=("BT-48",),
        reason=None if code == "Z" else "Exempt",
    )
    assert not any(fires(f"BR-{family}-{n:02d}", ok) for n in (5, 8, 9, 10))
    bad = invoice(lines=[(code, "5", "100")], breakdowns=[(code, "0", "100.50", "0.01")])
    assert fires(f"BR-{family}-05", bad)  # rate must be 0
    assert fires(f"BR-{family}-08", bad)  # 100.50 != 100: compared exactly
    assert fires(f"BR-{family}-09", bad)  # VAT must be 0


def test_br_z_08_is_the_sum_of_every_rate() -> None:
    # Z-08 sums lines + charges - allowances of Z regardless of rate: 60 + 40 + 5 - 5 = 100.
    doc = invoice(
        lines=[("Z", "0", "60"), ("Z", "0.00", "40")],
        charges=[("Z", "0", "5")],
        allowances=[("Z", "0", "5")],
        breakdowns=[("Z", "0", "100", "0")],
    )
    assert not fires("BR-Z-08", doc)


def test_exactly_one_breakdown_for_the_zero_families() -> None:
    two = invoice(
        lines=[("E", "0", "1")],
        breakdowns=[("E", "0", "1", "0"), ("E", "0", "0", "0")],
        reason="Exempt",
    )
    assert fires("BR-E-01", two)
    assert fires("BR-E-01", invoice(lines=[("E", "0", "1")]))
    # A single breakdown with no line of its category is acceptable to BR-E-01.
    assert not fires("BR-E-01", invoice(breakdowns=[("E", "0", "0", "0")], reason="x"))


@pytest.mark.parametrize(("family", "code"), [("Z", "Z"), ("E", "E"), ("AE", "AE"), ("G", "G")])
def test_exemption_reason(family: str, code: str) -> None:
    with_reason = invoice(breakdowns=[(code, "0", "0", "0")], reason="Reason")
    without = invoice(breakdowns=[(code, "0", "0", "0")])
    if family == "Z":  # zero rated: no reason allowed
        assert fires("BR-Z-10", with_reason)
        assert not fires("BR-Z-10", without)
    else:
        assert not fires(f"BR-{family}-10", with_reason)
        assert fires(f"BR-{family}-10", without)


def test_reverse_charge_needs_buyer_vat_or_legal_id() -> None:
    base = {"lines": [("AE", "0", "1")], "seller": ("BT-32",)}
    assert fires("BR-AE-02", invoice(**base))  # type: ignore[arg-type]
    assert not fires("BR-AE-02", invoice(**base, buyer=("BT-48",)))  # type: ignore[arg-type]
    assert not fires("BR-AE-02", invoice(**base, buyer=("BT-47",)))  # type: ignore[arg-type]


def test_intra_community_needs_vat_ids_on_both_sides() -> None:
    # The seller's tax registration (BT-32) is not enough here, nor the buyer's legal id.
    assert fires("BR-IC-02", invoice(lines=[("K", "0", "1")], seller=("BT-32",), buyer=("BT-48",)))
    assert fires("BR-IC-02", invoice(lines=[("K", "0", "1")], buyer=("BT-47",)))
    assert not fires("BR-IC-02", invoice(lines=[("K", "0", "1")], buyer=("BT-48",)))
    assert not fires(
        "BR-IC-03", invoice(allowances=[("K", "0", "1")], seller=("BT-63",), buyer=("BT-48",))
    )


def test_export_needs_a_seller_vat_id() -> None:
    assert fires("BR-G-02", invoice(lines=[("G", "0", "1")], seller=("BT-32",)))
    assert not fires("BR-G-02", invoice(lines=[("G", "0", "1")], seller=("BT-63",)))


def test_br_ic_11_and_12_delivery() -> None:
    doc = invoice(breakdowns=[("K", "0", "0", "0")], reason="Intra-community")
    assert fires("BR-IC-11", doc)
    assert fires("BR-IC-12", doc)
    doc = invoice(breakdowns=[("K", "0", "0", "0")], reason="Intra-community")
    delivery = doc.new_group("BG-13")
    delivery.set("BT-72", "2024-01-31")
    delivery.new_group("BG-15").set("BT-80", "DE")
    assert not fires("BR-IC-11", doc)
    assert not fires("BR-IC-12", doc)
    doc = invoice(breakdowns=[("K", "0", "0", "0")], reason="Intra-community")
    doc.new_group("BG-14").set("BT-73", "2024-01-01")
    assert not fires("BR-IC-11", doc)


# -- not subject to VAT -------------------------------------------------------------------------


def test_not_subject_to_vat() -> None:
    ok = invoice(
        lines=[("O", None, "100")],
        charges=[("O", None, "5")],
        breakdowns=[("O", None, "105", "0")],
        seller=("BT-32",),
        reason="Not subject to VAT",
    )
    assert failing(ok, "O") == []
    # A seller VAT identifier, a rate, another category: each breaks its rule.
    assert fires("BR-O-02", invoice(lines=[("O", None, "1")], seller=("BT-31",)))
    assert fires("BR-O-02", invoice(lines=[("O", None, "1")], seller=(), buyer=("BT-48",)))
    assert fires("BR-O-05", invoice(lines=[("O", "0", "1")]))
    mixed = invoice(
        lines=[("O", None, "1"), ("S", "25", "1")],
        allowances=[("Z", "0", "1")],
        charges=[("E", "0", "1")],
        breakdowns=[("O", None, "1", "0"), ("S", "25", "1", "0.25")],
    )
    for rule in ("BR-O-11", "BR-O-12", "BR-O-13", "BR-O-14"):
        assert fires(rule, mixed), rule


# -- split payment ------------------------------------------------------------------------------


def test_split_payment_is_domestic_italian_and_never_standard_rated() -> None:
    doc = invoice(lines=[("B", "22", "100")], breakdowns=[("B", "22", "100", "22")])
    doc.child("BG-4").new_group("BG-5").set("BT-40", "IT", "/Invoice/Seller/Country")  # type: ignore[union-attr]
    doc.child("BG-7").new_group("BG-8").set("BT-55", "IT")  # type: ignore[union-attr]
    assert not fires("BR-B-01", doc)
    assert not fires("BR-B-02", doc)
    doc = invoice(lines=[("B", "22", "100"), ("S", "22", "1")])
    doc.child("BG-4").new_group("BG-5").set("BT-40", "DE", "/Invoice/Seller/Country")  # type: ignore[union-attr]
    assert findings("BR-B-01", doc) == ["/Invoice/Seller/Country"]
    assert fires("BR-B-02", doc)
    # Without category B neither rule applies.
    assert not fires("BR-B-01", invoice(lines=[("S", "22", "1")]))


# -- IGIC and IPSI ------------------------------------------------------------------------------


@pytest.mark.parametrize(("family", "code"), [("AF", "L"), ("AG", "M")])
def test_canary_islands_and_ceuta_melilla(family: str, code: str) -> None:
    # Rate 0 is allowed; 7 % of 200 = 14.00.
    ok = invoice(
        lines=[(code, "0", "50"), (code, "7", "200")],
        breakdowns=[(code, "0", "50", "0"), (code, "7", "200", "14")],
    )
    assert failing(ok, family) == []
    assert fires(f"BR-{family}-05", invoice(lines=[(code, "-1", "1")]))
    # With no line at all, the per-rate taxable amount cannot be checked and fails.
    assert fires(
        f"BR-{family}-08",
        invoice(charges=[(code, "7", "1")], breakdowns=[(code, "7", "1", "0.07")]),
    )


# -- the CII binding ------------------------------------------------------------------------------


def cii(doc: Invoice) -> Invoice:
    doc.syntax = "cii"
    return doc


def test_cii_breakdown_needs_a_line_allowance_or_charge() -> None:
    # UBL: one Z breakdown alone is fine; CII: a breakdown needs a Z line, allowance or charge.
    assert not fires("BR-Z-01", invoice(breakdowns=[("Z", "0", "0", "0")]))
    assert fires("BR-Z-01", cii(invoice(breakdowns=[("Z", "0", "0", "0")])))
    assert not fires(
        "BR-Z-01", cii(invoice(lines=[("Z", "0", "1")], breakdowns=[("Z", "0", "1", "0")]))
    )
    # O in CII: nothing to check while there is no O breakdown.
    assert not fires("BR-O-01", cii(invoice(lines=[("O", None, "1")], seller=())))
    assert fires("BR-O-01", invoice(lines=[("O", None, "1")], seller=()))


def test_cii_standard_rated_breakdown_counts_in_pairs() -> None:
    # CII counts lines and breakdowns of S together: two S lines satisfy it on their own.
    two_lines = [("S", "25", "1"), ("S", "25", "1")]
    assert fires("BR-S-01", invoice(lines=two_lines))
    assert not fires("BR-S-01", cii(invoice(lines=two_lines)))
    assert fires("BR-S-01", cii(invoice(lines=two_lines[:1])))


def test_cii_taxable_amounts_round_each_sum() -> None:
    # Lines 10.005 + 10.005: CII rounds the sum 20.01 -> 20.01; UBL allows any value within 1.
    lines = [("S", "25", "10.005"), ("S", "25", "10.005")]
    assert not fires("BR-S-08", cii(invoice(lines=lines, breakdowns=[("S", "25", "20.01", "5")])))
    assert fires("BR-S-08", cii(invoice(lines=lines, breakdowns=[("S", "25", "20.50", "5.13")])))
    assert not fires("BR-S-08", invoice(lines=lines, breakdowns=[("S", "25", "20.50", "5.13")]))
    # Zero rated: exact in UBL, within 1 in CII.
    z = {"lines": [("Z", "0", "100")], "breakdowns": [("Z", "0", "100.50", "0")]}
    assert fires("BR-Z-08", invoice(**z))  # type: ignore[arg-type]
    assert not fires("BR-Z-08", cii(invoice(**z)))  # type: ignore[arg-type]


def test_cii_igic_rate_and_vat_amount() -> None:
    zero_rate = {"lines": [("L", "0", "1")], "breakdowns": [("L", "0", "1", "5")]}
    assert not fires("BR-AF-05", invoice(**zero_rate))  # type: ignore[arg-type]
    assert fires("BR-AF-05", cii(invoice(**zero_rate)))  # type: ignore[arg-type]
    # BR-AF-09 is not checked by the CII binding.
    assert fires("BR-AF-09", invoice(**zero_rate))  # type: ignore[arg-type]
    assert not fires("BR-AF-09", cii(invoice(**zero_rate)))  # type: ignore[arg-type]


def test_cii_intra_community_period_dates() -> None:
    doc = cii(invoice(breakdowns=[("K", "0", "0", "0")], reason="Intra-community"))
    doc.set("BT-8", "3")  # in UBL the VAT point date code counts as a period child; not in CII
    assert fires("BR-IC-11", doc)


def test_table_rows_are_checked() -> None:
    from defa.einvoice.rules.en16931.vat import _row

    with pytest.raises(ValueError, match="BR-X"):
        _row(
            "X",
            "X",
            "x",
            "one zero sideways zero required",
            "any",
            "",
            "one_used rounded zero checked",
        )


# -- the official cases -------------------------------------------------------------------------

FAMILY_FILES = r"BR-(S|Z|E|AE|IC|G|O|IG|IP)-"
CASES = _unit_cases(FAMILY_FILES)


def test_the_upstream_suite_has_cases_for_every_family() -> None:
    assert len(CASES) > 550
    assert {c.rule_id.rsplit("-", 1)[0] for c in CASES} >= {
        "BR-S", "BR-Z", "BR-E", "BR-AE", "BR-IC", "BR-G", "BR-O", "BR-AF", "BR-AG"
    }  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[f"{c.name}:{c.rule_id}" for c in CASES])
def test_upstream_unit_case(case: UnitCase) -> None:
    judge(case)


VAT = re.compile(r"BR-(S|Z|E|AE|IC|G|O|AF|AG)-")


@pytest.mark.parametrize("path", list(example_paths()), ids=lambda p: p.name)
def test_no_vat_errors_on_official_examples(path: Path) -> None:
    assert errors_on(path, VAT) == {}
