"""Prepare steps: ``chain``, ``map_tax_categories`` and ``country_codes`` on small hand-built
documents."""

from __future__ import annotations

from collections.abc import Container, Iterator
from datetime import date
from typing import Any

import pytest

from defa.einvoice import profiles
from defa.einvoice.model import Group, Invoice, Term
from defa.einvoice.profiles import chain, country_codes, map_tax_categories, set_customization
from defa.errors import Issue, Severity
from tests.einvoice.crosswalks import SWITCH, next_day, two_versions

SCHEME = "cac:TaxScheme/cbc:ID"


def _invoice(*codes: str, scheme: str | None = None) -> Invoice:
    """An invoice with one VAT breakdown (BG-23) per code, each carrying BT-118."""
    doc = Invoice()
    for i, code in enumerate(codes):
        breakdown = doc.new_group("BG-23", f"/Invoice/cac:TaxTotal[{i + 1}]")
        attrs = {SCHEME: scheme} if scheme else {}
        breakdown.add(Term("BT-118", code, f"/Invoice/cac:TaxTotal[{i + 1}]/cbc:ID", attrs))
    return doc


def _codes(doc: Invoice) -> list[tuple[str, str | None]]:
    return [(t.text, t.attrs.get(SCHEME)) for g in doc.children("BG-23") for t in g.all("BT-118")]


def test_a_one_to_one_category_is_rewritten_and_the_input_left_alone() -> None:
    doc = _invoice("Z")
    out = map_tax_categories("sg-gst", tax_scheme="GST")(doc)
    # The crosswalk's zero-rated row has the single PINT SG code ZR.
    assert _codes(out) == [("ZR", "GST")]
    assert _codes(doc) == [("Z", None)]
    assert out.issues == []


def test_an_ambiguous_category_is_kept_and_listed_with_its_candidates() -> None:
    # EN 16931 E is exempt: PINT SG has ES33 and ESN33 for it.
    out = map_tax_categories("sg-gst", tax_scheme="GST")(_invoice("E"))
    assert _codes(out) == [("E", None)]
    (issue,) = out.issues
    assert issue.code == "einvoice.value_not_carried"
    assert issue.severity is Severity.WARNING
    assert issue.ctx["candidates"] == ["ES33", "ESN33"]
    assert issue.loc == "/Invoice/cac:TaxTotal[1]/cbc:ID"


def test_a_code_of_the_target_scheme_is_kept_and_an_unknown_one_listed() -> None:
    out = map_tax_categories("sg-gst", tax_scheme="GST")(_invoice("SR", "XX", scheme="GST"))
    assert _codes(out) == [("SR", "GST"), ("XX", "GST")]
    assert [i.ctx["value"] for i in out.issues] == ["XX"]
    assert out.issues[0].ctx["candidates"] == []


def test_vat_is_the_default_scheme_and_kept_as_no_attribute() -> None:
    # PINT SG SR under GST becomes EN 16931 S: the UBL binding writes VAT by default.
    out = map_tax_categories("en16931", tax_scheme="VAT")(_invoice("SR", scheme="GST"))
    assert _codes(out) == [("S", None)]


def test_chain_runs_the_steps_in_order_and_keeps_every_issue() -> None:
    doc = _invoice("E")
    doc.issues.append(Issue("einvoice.unmapped_element", "read before", loc="/x"))
    step = chain(
        map_tax_categories("sg-gst", tax_scheme="GST"),
        set_customization("urn:example", "urn:process"),  # builds a fresh document
    )
    out = step(doc)
    assert out.child("BG-2") is not None
    assert out.child("BG-2").value("BT-24") == "urn:example"  # type: ignore[union-attr]
    assert [i.code for i in out.issues] == [
        "einvoice.unmapped_element",
        "einvoice.value_not_carried",
    ]
    assert len(doc.issues) == 1


@pytest.fixture
def _fresh_crosswalk_answers() -> Iterator[None]:
    """The prepare steps' crosswalk caches emptied before and after a test that changes
    what the crosswalk holds."""
    caches = (profiles._scheme_table, profiles._mapping, profiles._resolved)
    for found in caches:
        found.cache_clear()
    yield
    for found in caches:
        found.cache_clear()


@pytest.mark.usefixtures("_fresh_crosswalk_answers")
def test_a_step_of_today_follows_the_crosswalk_in_force_on_each_day(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # from the switch on, PINT SG's scheme also has the code E
    clock = two_versions(monkeypatch, "sg-gst", "E")
    step = map_tax_categories("sg-gst", tax_scheme="GST")  # as_of None: today's crosswalk
    before = step(_invoice("E"))
    assert [i.ctx["candidates"] for i in before.issues] == [["ES33", "ESN33"]]
    assert profiles.today() == date(2030, 12, 31)
    next_day(clock)  # the same step, the next day
    assert profiles.today() == SWITCH
    after = step(_invoice("E"))
    assert _codes(after) == [("E", "GST")]
    assert after.issues == []
    # a date the step names is kept whatever the day
    assert step.choosing({}).as_of is None
    assert len(map_tax_categories("sg-gst", as_of=date(2030, 6, 1))(_invoice("E")).issues) == 1
    for found in (profiles._scheme_table, profiles._mapping, profiles._resolved):
        assert found.cache_info().maxsize is not None  # one entry per date: bounded


# -- country codes -------------------------------------------------------------------------


def _with_countries(seller: str, origin: str) -> Invoice:
    doc = Invoice()
    address = doc.new_group("BG-4").new_group("BG-5")
    address.add(Term("BT-40", seller, "/Invoice/seller", {"listID": "ISO3166-1"}))
    doc.new_group("BG-25").new_group("BG-31").add(Term("BT-159", origin, "/Invoice/line"))
    return doc


def _countries(doc: Invoice) -> tuple[str, str]:
    seller = doc.children("BG-4")[0].children("BG-5")[0].all("BT-40")[0]
    origin = doc.children("BG-25")[0].children("BG-31")[0].all("BT-159")[0]
    return seller.text, origin.text


def test_alpha3_country_codes_become_alpha2_and_the_input_is_left_alone() -> None:
    # ISO 3166-1: Malaysia is MYS / MY, Singapore SGP / SG.
    doc = _with_countries("MYS", "SGP")
    out = country_codes(2)(doc)
    assert _countries(out) == ("MY", "SG")
    assert _countries(doc) == ("MYS", "SGP")
    seller = out.children("BG-4")[0].children("BG-5")[0].all("BT-40")[0]
    assert seller.attrs == {"listID": "ISO3166-1"}  # the term keeps its attributes


def test_alpha2_country_codes_become_alpha3() -> None:
    # ISO 3166-1: Thailand is TH / THA, Viet Nam VN / VNM.
    assert _countries(country_codes(3)(_with_countries("TH", "VN"))) == ("THA", "VNM")


def test_values_that_are_no_iso_code_or_already_in_form_are_kept() -> None:
    doc = _with_countries("XXX", "")
    assert country_codes(2)(doc) is doc
    assert (
        country_codes(3)(_with_countries("MYS", "1A"))
        .children("BG-4")[0]
        .children("BG-5")[0]
        .all("BT-40")[0]
        .text
        == "MYS"
    )


def test_a_chain_maps_categories_and_country_codes_in_one_walk_as_one_after_the_other() -> None:
    doc = _with_countries("MY", "SG")
    breakdown = doc.new_group("BG-23", "/Invoice/cac:TaxTotal")
    breakdown.add(Term("BT-118", "E", "/Invoice/cac:TaxTotal/cbc:ID"))
    line = doc.children("BG-25")[0].new_group("BG-30")
    line.add(Term("BT-151", "Z", "/Invoice/line/cbc:ID"))
    line.add(Term("BT-151", "XX", "/Invoice/line/cbc:ID[2]"))
    steps = (map_tax_categories("sg-gst", tax_scheme="GST"), country_codes(3))
    walks: list[int] = []
    counted = Group.rewritten

    def rewritten(group: Group, *args: Any, **kwargs: Any) -> Group:
        walks.append(1)
        return counted(group, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Group, "rewritten", rewritten)
        out = chain(*steps)(doc)
    assert len(walks) == 1
    one_by_one = steps[1](steps[0](doc))
    assert out.to_dict() == one_by_one.to_dict()
    assert _countries(out) == ("MYS", "SGP")
    assert [i.ctx["value"] for i in out.issues] == ["XX", "E"]  # in document order
    assert [i.to_dict() for i in out.issues] == [i.to_dict() for i in one_by_one.issues]
    assert _countries(doc) == ("MY", "SG")  # the input is left as it was


def test_term_steps_look_only_through_the_groups_that_hold_their_terms() -> None:
    # EN 16931-1 nests the category terms in the breakdowns, the lines' VAT information,
    # the allowances and the charges
    assert profiles._holders(frozenset(profiles.CATEGORY_TERMS)) == {
        "BG-23": {},
        "BG-25": {"BG-30": {}},
        "BG-20": {},
        "BG-21": {},
    }
    # a national term is held where its binding puts it: every group is looked through
    which = profiles.COUNTRY_TERMS | {"MY-SHIP-COUNTRY"}
    assert profiles._holders(which) is None
    doc = _with_countries("MY", "SG")
    doc.new_group("MY-SHIP-ADDRESS").add(Term("MY-SHIP-COUNTRY", "SG"))
    out = country_codes(3, which)(doc)
    assert out.child("MY-SHIP-ADDRESS").value("MY-SHIP-COUNTRY") == "SGP"  # type: ignore[union-attr]
    assert _countries(out) == ("MYS", "SGP")


def test_country_codes_take_two_or_three_letters_only() -> None:
    with pytest.raises(ValueError, match="2 or 3 letters"):
        country_codes(4)


def test_rewritten_copies_only_the_groups_it_changes() -> None:
    doc = _invoice("Z", "E")
    seller = doc.new_group("BG-4", "/Invoice/cac:AccountingSupplierParty")
    seller.add(Term("BT-27", "Seller"))

    def lower(tid: str, found: list[Term]) -> list[Term] | None:
        return [Term(t.id, t.text.lower(), t.loc) for t in found] if tid == "BT-118" else None

    out = doc.rewritten(lower, {"BT-118"})
    assert [g.value("BT-118") for g in out.children("BG-23")] == ["z", "e"]
    assert _codes(doc) == [("Z", None), ("E", None)]  # the input is left as it was
    assert out.child("BG-4") is seller  # nothing changed in it: shared, not copied
    assert doc.rewritten(lower, {"BT-27"}) is doc  # BT-118 not offered: nothing changes


def test_rewritten_looks_only_through_the_groups_within_names() -> None:
    doc = _invoice("Z", "E")
    line = doc.new_group("BG-25", "/Invoice/cac:InvoiceLine")
    line.new_group("BG-31", "/Invoice/cac:InvoiceLine/cac:Item").add(Term("BT-153", "Bolt"))
    doc.new_group("BG-4", "/Invoice/cac:AccountingSupplierParty").add(Term("BT-27", "Seller"))

    def lower(tid: str, found: list[Term]) -> list[Term] | None:
        return [Term(t.id, t.text.lower(), t.loc) for t in found]

    out = doc.rewritten(lower, within={"BG-25": {"BG-31": {}}})
    # the lines and their items are looked through; the breakdowns and the seller are not
    assert out.children("BG-25")[0].child("BG-31").value("BT-153") == "bolt"
    assert [g.value("BT-118") for g in out.children("BG-23")] == ["Z", "E"]
    assert out.child("BG-4") is doc.child("BG-4")
    assert doc.rewritten(lower, within={"BG-25": {}}).child("BG-25") is line  # item not named


@pytest.mark.parametrize("ids", [{"BT-153"}, frozenset({"BT-153"}), {"BT-153": ""}, ("BT-153",)])
def test_rewritten_offers_the_same_terms_whatever_container_names_them(ids: Container[str]) -> None:
    doc = _invoice("Z")
    line = doc.new_group("BG-25", "/Invoice/cac:InvoiceLine")
    line.add(Term("BT-131", "10"))
    item = line.new_group("BG-31", "/Invoice/cac:InvoiceLine/cac:Item")
    item.add(Term("BT-153", "Bolt"))
    item.add(Term("BT-154", "M6"))
    seen: list[str] = []

    def lower(tid: str, found: list[Term]) -> list[Term] | None:
        seen.append(tid)
        return [Term(t.id, t.text.lower(), t.loc) for t in found]

    out = doc.rewritten(lower, ids)
    assert seen == ["BT-153"]
    assert out.children("BG-25")[0].child("BG-31").value("BT-153") == "bolt"
    assert out.children("BG-25")[0].child("BG-31").value("BT-154") == "M6"
    assert out.child("BG-23") is doc.child("BG-23")  # none of the ids in it: shared
    assert doc.rewritten(lower, ids, within={"BG-23": {}}) is doc  # the line not looked in


def test_retermed_asks_once_per_group_and_copies_only_what_changes() -> None:
    doc = _invoice("Z", "E")
    seller = doc.new_group("BG-4", "/Invoice/cac:AccountingSupplierParty")
    seller.add(Term("BT-27", "Seller"))
    asked: list[str] = []

    def lower_codes(group: Group) -> dict[str, list[Term]] | None:
        asked.append(group.id)
        found = group.terms.get("BT-118")
        if not found:
            return None
        return {**group.terms, "BT-118": [Term(t.id, t.text.lower(), t.loc) for t in found]}

    out = doc.retermed(lower_codes)
    assert sorted(asked) == ["BG-23", "BG-23", "BG-4", "INVOICE"]  # every group, once
    assert [g.value("BT-118") for g in out.children("BG-23")] == ["z", "e"]
    assert _codes(doc) == [("Z", None), ("E", None)]  # the input is left as it was
    assert out.child("BG-4") is seller  # nothing changed in it: shared, not copied
    assert doc.retermed(lambda group: None) is doc
    assert doc.retermed(lower_codes, within={"BG-4": {}}) is doc  # the breakdowns not looked in
