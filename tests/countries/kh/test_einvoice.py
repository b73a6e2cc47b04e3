"""Cambodia CamInvoice: a UBL format, recognised by a Cambodian seller, with a small rule set.

CamInvoice's specification is not public, so the tests only check what the profile claims:
detection by the seller's country (BT-40), the tax-invoice contents the rule set requires,
and that the format says it is unconfirmed. The UBL document is the EN 16931 example
``examples-ubl/ubl-tc434-example1.xml`` with its seller moved to Cambodia.
"""

from __future__ import annotations

from datetime import date

from defa import einvoice
from defa.countries.kh import einvoice as kh
from defa.einvoice.model import Invoice
from tests.shared import shared_path

# The example is dated 2015; the rules are judged as of a day CamInvoice is in force.
ON = date(2026, 1, 1)
EXAMPLE = ("vectors", "einvoice", "en16931", "examples-ubl", "ubl-tc434-example1.xml")


def _cambodian() -> Invoice:
    doc = einvoice.read(shared_path(*EXAMPLE))
    seller = doc.child("BG-4")
    assert seller is not None
    address = seller.child("BG-5")
    assert address is not None
    address.all("BT-40")[0].text = "KH"
    return doc


def test_a_cambodian_seller_is_recognised() -> None:
    assert kh.is_cambodian(_cambodian())
    assert not kh.is_cambodian(einvoice.read(shared_path(*EXAMPLE)))


def test_rules_pass_on_a_complete_invoice_and_fire_on_missing_contents() -> None:
    doc = _cambodian()
    assert einvoice.check(doc, rules="kh-caminvoice", as_of=ON).issues == []
    seller = doc.child("BG-4")
    assert seller is not None
    seller.terms.pop("BT-31", None)
    seller.terms.pop("BT-32", None)
    fired = [i.rule_id for i in einvoice.check(doc, rules="kh-caminvoice", as_of=ON).issues]
    assert fired == ["KH-CAMINVOICE-01"]


def test_format_is_ubl_and_unconfirmed() -> None:
    (fmt,) = kh.FORMATS
    assert (fmt.id, fmt.syntax, fmt.rules, fmt.country) == (
        "kh-caminvoice",
        "ubl",
        "kh-caminvoice",
        "KH",
    )
    assert fmt.confidence == "unconfirmed"
    assert fmt.matches(_cambodian())
    assert "not public" in fmt.notes
