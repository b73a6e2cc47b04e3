"""EN 16931 code-list rules (BR-CL-*) on hand-built documents, the upstream cases and examples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from defa import data
from defa.einvoice.model import Invoice
from defa.einvoice.rules.en16931 import EN16931
from defa.einvoice.rules.en16931.codelists import CODE_LISTS, CODE_RULES, code_list
from tests.einvoice.unit_cases import UnitCase, errors_on, example_paths, findings, judge
from tests.einvoice.unit_cases import unit_cases as _unit_cases


def doc_with(group_id: str | None, term_id: str, text: str, **attrs: str) -> Invoice:
    doc = Invoice(loc="/Invoice")
    holder = doc if group_id is None else doc.new_group(group_id, f"/Invoice/{group_id}")
    holder.set(term_id, text, f"{holder.loc}/{term_id}", **attrs)
    return doc


# -- the data ----------------------------------------------------------------------------------


def test_code_lists_are_packaged_data_with_provenance() -> None:
    f = data.load("en16931-codelists", EN16931.valid_from)
    assert f.meta.version == "1.3.16"
    assert "EN16931-UBL-codes.sch" in f.meta.source
    assert all(isinstance(codes, frozenset) for codes in CODE_LISTS.values())


def test_list_sizes_match_the_artefacts() -> None:
    # Counted in codelist/EN16931-UBL-codes.sch of the 1.3.16 artefacts.
    sizes = {
        "iso4217": 178,
        "iso3166": 251,
        "uncl5305": 10,
        "iso6523_icd": 243,
        "cef_eas": 104,
        "unece_rec20_rec21": 2162,
        "vatex": 88,
        "uncl4461": 84,
        "uncl1001_invoice": 50,
        "uncl1001_credit_note": 13,
    }
    for key, size in sizes.items():
        assert len(code_list(key)) == size, key


def test_artefact_lists_differ_from_pycountry_where_noted() -> None:
    # The artefacts keep CNH/STD and 1A/XI: pycountry would not accept them.
    assert {"CNH", "STD"} <= code_list("iso4217")
    assert {"1A", "XI", "EL"} - {"EL"} <= code_list("iso3166")


def test_every_rule_is_registered_fatal() -> None:
    for rule in CODE_RULES:
        assert EN16931.rules[rule.rule_id].severity.value == "error"


# -- values --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "term", "text", "rule", "ok"),
    [
        (None, "BT-5", "EUR", "BR-CL-04", True),
        (None, "BT-5", "eur", "BR-CL-04", False),  # case matters
        (None, "BT-5", " EUR ", "BR-CL-04", True),  # whitespace is collapsed
        (None, "BT-5", "", "BR-CL-04", False),
        (None, "BT-6", "XXX", "BR-CL-05", True),
        (None, "BT-6", "ABC", "BR-CL-05", False),
        (None, "BT-8", "35", "BR-CL-06", True),
        (None, "BT-8", "5", "BR-CL-06", False),
        ("BG-5", "BT-40", "SG", "BR-CL-14", True),
        ("BG-5", "BT-40", "XI", "BR-CL-14", True),
        ("BG-5", "BT-40", "UK", "BR-CL-14", False),
        ("BG-16", "BT-81", "30", "BR-CL-16", True),
        ("BG-16", "BT-81", "30 58", "BR-CL-16", False),  # one code, no spaces inside
        ("BG-23", "BT-118", "K", "BR-CL-17", True),
        ("BG-23", "BT-118", "X", "BR-CL-17", False),
        ("BG-30", "BT-151", "AE", "BR-CL-18", True),
        ("BG-20", "BT-98", "95", "BR-CL-19", True),
        ("BG-20", "BT-98", "1", "BR-CL-19", False),
        ("BG-21", "BT-105", "FC", "BR-CL-20", True),
        ("BG-23", "BT-121", "vatex-eu-79-c", "BR-CL-22", True),  # upper-cased first
        ("BG-23", "BT-121", "VATEX-EU-XX", "BR-CL-22", False),
        ("BG-25", "BT-130", "C62", "BR-CL-23", True),
        ("BG-25", "BT-130", "PCS", "BR-CL-23", False),
        ("BG-31", "BT-159", "MY", "BR-CL-15", True),
    ],
)
def test_term_values(group: str | None, term: str, text: str, rule: str, ok: bool) -> None:
    doc = doc_with(group, term, text)
    assert bool(findings(rule, doc)) is not ok


def test_document_type_by_kind() -> None:
    assert not findings("BR-CL-01", doc_with(None, "BT-3", "380"))
    assert findings("BR-CL-01", doc_with(None, "BT-3", "381"))
    credit = doc_with(None, "BT-3", "381")
    credit.kind = "credit-note"
    assert not findings("BR-CL-01", credit)


@pytest.mark.parametrize(
    ("group", "sub", "text", "rule", "ok"),
    [
        ("BG-4", "BT-29-1", "0088", "BR-CL-10", True),
        ("BG-4", "BT-29-1", "SEPA", "BR-CL-10", True),  # the seller's creditor id
        ("BG-7", "BT-46-1", "SEPA", "BR-CL-10", False),  # not the buyer's
        ("BG-4", "BT-30-1", "0002", "BR-CL-11", True),
        ("BG-4", "BT-30-1", "9999", "BR-CL-11", False),
        ("BG-4", "BT-34-1", "0195", "BR-CL-25", True),
        ("BG-4", "BT-34-1", "0088 ", "BR-CL-25", True),
        ("BG-4", "BT-34-1", "XX", "BR-CL-25", False),
        ("BG-31", "BT-158-1", "STI", "BR-CL-13", True),
        ("BG-31", "BT-158-1", "QQQ", "BR-CL-13", False),
        ("BG-24", "BT-125-1", "application/pdf", "BR-CL-24", True),
        ("BG-24", "BT-125-1", "application/PDF", "BR-CL-24", False),  # compared verbatim
        ("BG-24", "BT-125-1", "application/xml", "BR-CL-24", False),
        (None, "BT-18-1", "AAA", "BR-CL-07", True),
        (None, "BT-18-1", "XXA", "BR-CL-07", False),
    ],
)
def test_scheme_sub_terms(group: str | None, sub: str, text: str, rule: str, ok: bool) -> None:
    assert bool(findings(rule, doc_with(group, sub, text))) is not ok


def test_schemes_kept_as_attributes_are_read_too() -> None:
    doc = doc_with("BG-4", "BT-29", "12345", schemeID="9999")
    assert findings("BR-CL-10", doc) == ["/Invoice/BG-4/BT-29/@schemeID"]
    assert not findings("BR-CL-10", doc_with("BG-4", "BT-29", "12345", schemeID="0088"))


@pytest.mark.parametrize(
    ("term", "group", "text", "rule", "ubl_ok", "cii_ok"),
    [
        ("BT-8", None, "3", "BR-CL-06", True, False),  # UNTDID 2005 in UBL ...
        ("BT-8", None, "5", "BR-CL-06", False, True),  # ... UNTDID 2475 in CII
        ("BT-40", "BG-5", "SS", "BR-CL-14", True, False),
        ("BT-40", "BG-5", "AN", "BR-CL-14", False, True),
        ("BT-21", "BG-1", "BAT", "BR-CL-08", False, True),  # CII's later UNTDID 4451
    ],
)
def test_cii_uses_its_own_lists_where_they_differ(
    term: str, group: str | None, text: str, rule: str, ubl_ok: bool, cii_ok: bool
) -> None:
    for syntax, ok in (("ubl", ubl_ok), ("cii", cii_ok)):
        doc = doc_with(group, term, text)
        doc.syntax = syntax
        assert bool(findings(rule, doc)) is not ok, syntax


def test_cii_document_type_codes_are_one_list() -> None:
    doc = doc_with(None, "BT-3", "381")
    doc.syntax = "cii"
    assert not findings("BR-CL-01", doc)


def test_currency_attribute_on_every_amount() -> None:
    doc = Invoice(loc="/Invoice")
    totals = doc.new_group("BG-22", "/Invoice/Totals")
    totals.set("BT-106", "1.00", "/Invoice/Totals/Net", currencyID="EUR")
    totals.set("BT-110", "1.00", "/Invoice/Totals/VAT", currencyID="EURO")
    line = doc.new_group("BG-25", "/Invoice/Line")
    line.set("BT-131", "1.00", "/Invoice/Line/Net", currencyID="SGD")
    assert findings("BR-CL-03", doc) == ["/Invoice/Totals/VAT/@currencyID"]


def test_note_subject_code() -> None:
    assert not findings("BR-CL-08", doc_with("BG-1", "BT-21", "AAI"))
    assert findings("BR-CL-08", doc_with("BG-1", "BT-21", "QQQ"))


@pytest.mark.parametrize(
    ("note", "ok"),
    [
        ("#AAI#Some text", True),
        ("#QQQ#Some text", False),
        ("#QQ#Some text", True),  # not three characters: no subject code to check
        ("#QQQ without a second hash", True),
        ("Text #QQQ# later", False),  # the first two hashes, wherever they are
        ("plain text", True),
    ],
)
def test_note_subject_code_inside_a_ubl_note(note: str, ok: bool) -> None:
    doc = doc_with("BG-1", "BT-22", note)
    doc.syntax = "ubl"
    assert bool(findings("BR-CL-08", doc)) is not ok


# -- the official cases ---------------------------------------------------------------------------

CASES = _unit_cases(r"BR-CL-")


@pytest.mark.parametrize("case", CASES, ids=[f"{c.name}:{c.rule_id}" for c in CASES])
def test_upstream_unit_case(case: UnitCase) -> None:
    judge(case)


CODES = re.compile(r"BR-CL-")


@pytest.mark.parametrize("path", list(example_paths()), ids=lambda p: p.name)
def test_no_code_list_errors_on_official_examples(path: Path) -> None:
    assert errors_on(path, CODES) == {}
