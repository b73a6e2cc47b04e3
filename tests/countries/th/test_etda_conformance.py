"""The ETDA samples (ETDA/XMLValidation's test documents) against the XSDs and the rules.

ETDA's validator repository ships its test documents without a statement of what each is
expected to give; the expectations below are read from the documents themselves against the
ETDA XSDs and Schematron texts, with the reason for each. Several are negative tests of the
validator (a misspelt root element, a missing standard id, a date in the wrong format).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from defa.countries.th.etda import read
from defa.einvoice.rules.engine import run
from defa.einvoice.rules.etda import ETDA
from defa.errors import InputRejected
from tests.shared import shared_path

# sample -> (XSD issues expected, rule ids expected); valid documents expect neither
VALID = {
    "TIV_IV2017110007_Sample.xml": "a tax invoice, 7% VAT on 2000 THB",
    "INV71600001.xml": "a tax invoice naming standard version v2.0",
    "INV71800001.xml": "a tax invoice whose standard id has no version attribute",
    "INV71800004.xml": "a tax invoice naming standard version v2.2 (the XSD does not judge it)",
    "DBN71600001.xml": "a debit note (80, DBNG01) referring to tax invoice INV71600001",
    "DBN71800001.xml": "the same debit note without a version attribute",
    "DBN71800004v2.xml": "the same debit note naming version v2.2",
}

# sample -> (XSD finding paths, expected rule ids, why)
INVALID = {
    "6102002-Fix.xml": (
        ["CompleteNumber", "CityName", "CitySubDivisionName", "Name"],
        {"TIV-SellerTradeParty-005", "TIV-BuyerTradeParty-003", "TIV-BuyerTradeParty-009"},
        "phone 02-938-2496 misses the +66- form; district and sub-district given as Thai "
        "names, not TIS 1099 codes; markup inside an item name; 13-digit TXID tax ids "
        "(18 wanted); the buyer's address has no country",
    ),
    "CDN_CN2017110001_Sample.xml": (
        ["GuidelineSpecifiedDocumentContextParameter"],
        set(),
        "a credit note (81, CDNG01) with an empty standard id element",
    ),
    "DBN71800003v2.xml": (
        ["GuidelineSpecifiedDocumentContextParameter"],
        set(),
        "a debit note without the standard id (ER3-2560)",
    ),
    "INV71800003.xml": (
        ["GuidelineSpecifiedDocumentContextParameter"],
        set(),
        "a tax invoice without the standard id",
    ),
    "INV71800005.xml": (
        ["IssueDateTime"],
        set(),
        "issue date written 26-04-2018T00:00:00.000, not xs:dateTime",
    ),
    "INV71800006.xml": (
        [],
        {"TIV-Document-001"},
        "a tax invoice with type code T01 (a receipt's): the XSD's Thai code list allows it, "
        "the Schematron does not",
    ),
}

# sample -> the code of the issue that refuses it
REFUSED = {
    "INV71800002.xml": "xml.not_xml",  # the root's closing tag is misspelt: not well-formed
    "INV71800002_new.xml": "xml.wrong_root",  # TaxInvoice_CrossIndustryInvoicf
    "DBN71800002v2.xml": "xml.wrong_root",  # DebitCreditNote_CrossIndustryInvoicf
}


def _sample(name: str) -> Path:
    return shared_path("vectors", "einvoice", "etda", name)


def test_every_sample_is_judged() -> None:
    folder = shared_path("vectors", "einvoice", "etda")
    names = {p.name for p in folder.glob("*.xml")}
    assert names == set(VALID) | set(INVALID) | set(REFUSED)


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_samples_pass_xsd_and_rules(name: str) -> None:
    doc = read(_sample(name))
    assert [i for i in doc.issues if i.code.startswith("einvoice.schema")] == [], VALID[name]
    assert run(doc, [ETDA]).issues == [], VALID[name]


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_samples_fail_for_their_reason(name: str) -> None:
    paths, rule_ids, why = INVALID[name]
    doc = read(_sample(name))
    found = [i.loc.rpartition("/ram:")[2] for i in doc.issues if i.code == "einvoice.schema"]
    assert found == paths, why
    assert {i.rule_id for i in run(doc, [ETDA]).issues} == rule_ids, why


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_broken_samples_are_refused(name: str) -> None:
    with pytest.raises(InputRejected) as exc:
        read(_sample(name))
    assert exc.value.code == REFUSED[name]


_ID = re.compile(r"\s*([A-Z]{3}-[A-Za-z]+-\d{3})\b")


def test_every_active_schematron_rule_is_implemented() -> None:
    """Each id standing at the start of a report ETDA did not comment out is a rule here."""
    folder = shared_path("specs", "einvoice", "etda", "XMLSchemaV2", "ETDA", "data", "standard")
    upstream: set[str] = set()
    parser = etree.XMLParser(remove_comments=True, resolve_entities=False, no_network=True)
    for sch in folder.glob("*_Schematron_2p0.sch"):
        for report in etree.parse(str(sch), parser).iter("{*}report", "{*}assert"):
            found = _ID.match(report.text or "")
            if found:
                upstream.add(found.group(1))
    assert len(upstream) == 142
    assert set(ETDA.rules) == upstream
