"""MyInvois <-> PINT MY: where each format states a party's identifiers and address.

Expected values are the official samples' own (LHDN's MyInvois samples, LHDN's PINT MY
samples in the PINT MY 1.3.1 release) read against the two specifications: PINT MY BIS
chapter 2.1 and section 4.6 (TIN, SST and BRN places), MyInvois "Document Types" (party
identifiers by schemeID) and LHDN's State Codes table.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from lxml import etree

from defa import einvoice
from defa.countries.my._map_parties import parties_to_myinvois, parties_to_pint
from defa.countries.my.myinvois.xml_syntax import read_xml
from defa.einvoice.convert import read_document
from defa.einvoice.model import Group, Invoice
from defa.errors import Report, Severity
from tests.countries.my.conftest import JSON_SAMPLES, XML_SAMPLES, sample
from tests.einvoice.values import values as term_values
from tests.shared import shared_dir, shared_path

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
SUPPLIER = "/*/cac:AccountingSupplierParty/cac:Party"
BUYER = "/*/cac:AccountingCustomerParty/cac:Party"
RECIPIENT = "/*/cac:Delivery/cac:DeliveryParty"
PINT_DIR = ("vectors", "einvoice", "pint-my", "1.3.1-billing")

# the rules of the parties mappings, each way
TO_PINT_RULES = frozenset(
    {"ibr-02-my", "ibr-03-my", "ibr-04-my", "ibr-cl-10", "ibr-sr-16", "ibr-sr-53", "ibr-sr-54"}
)
TO_MYINVOIS_RULES = frozenset(
    {"MYINVOIS-11", "MYINVOIS-12", "MYINVOIS-21", "MYINVOIS-22", "MYINVOIS-26"}
    | {"MYINVOIS-15", "MYINVOIS-24"}
)


def _pint_samples() -> list[str]:
    return sorted(p.name for p in shared_dir().joinpath(*PINT_DIR).glob("*.xml"))


def _pint(name: str) -> bytes:
    return shared_path(*PINT_DIR, name).read_bytes()


def _errors(report: Report | None) -> list[tuple[str, str]]:
    assert report is not None
    return [(i.rule_id or i.code, i.loc) for i in report.issues if i.severity is Severity.ERROR]


def _rules(report: Report | None) -> set[str]:
    return {rule for rule, _ in _errors(report)}


def _xp(document: bytes, path: str) -> list[str]:
    found = etree.fromstring(document).xpath(path, namespaces=NS)
    return [str(v) for v in found]


def _ids(doc: Invoice | None, group: str, term: str) -> list[tuple[str, str | None]]:
    """A party's identifiers with their schemeIDs (paired by location, as the readers
    read them)."""
    assert doc is not None
    party = doc.child(group)
    assert party is not None
    schemes = {s.loc: s.text for s in party.all(f"{term}-1")}
    return [(t.text, schemes.get(f"{t.loc}/@schemeID")) for t in party.all(term)]


# -- MyInvois -> PINT MY: hand-written expectations -------------------------------------------


def test_myinvois_identifiers_take_their_pint_my_places() -> None:
    # 1.1-Invoice-Sample: supplier and buyer give TIN, BRN, SST "NA" and TTX "NA".
    there = einvoice.convert(sample("1.1-Invoice-Sample.xml"), to="my-pint")
    out = there.document
    # BRN is the legal registration identifier (ibt-030, ibt-047; ibr-02-my, ibr-03-my)
    assert _xp(out, f"{SUPPLIER}/cac:PartyLegalEntity/cbc:CompanyID/text()") == ["Supplier's BRN"]
    assert _xp(out, f"{BUYER}/cac:PartyLegalEntity/cbc:CompanyID/text()") == ["Buyer's BRN"]
    # SST is the tax identifier under VAT (ibt-031, ibt-048; BIS 4.6.3, 4.6.4: "NA" when
    # not registered)
    vat = "cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID/text()"
    assert _xp(out, f"{SUPPLIER}/{vat}") == ["NA"]
    assert _xp(out, f"{BUYER}/{vat}") == ["NA"]
    # a tourism tax registration under TTX, and then the supplier's TIN as a party
    # identifier without schemeID (BIS 4.6.2 example 2; ibr-04-my)
    ttx = "cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='TTX']/cbc:CompanyID/text()"
    assert _xp(out, f"{SUPPLIER}/{ttx}") == ["NA"]
    assert _xp(out, f"{SUPPLIER}/cac:PartyIdentification/cbc:ID/text()") == ["Supplier's TIN"]
    assert _xp(out, f"{SUPPLIER}/cac:PartyIdentification/cbc:ID/@schemeID") == []
    # the buyer's one party identifier (ibr-sr-16) is its TIN
    assert _xp(out, f"{BUYER}/cac:PartyIdentification/cbc:ID/text()") == ["Buyer's TIN"]
    assert _xp(out, f"{BUYER}/cac:PartyIdentification/cbc:ID/@schemeID") == []
    # the shipping recipient: TIN as its identifier, BRN as its legal registration
    assert _xp(out, f"{RECIPIENT}/cac:PartyIdentification/cbc:ID/text()") == ["Recipient's TIN"]
    assert _xp(out, f"{RECIPIENT}/cac:PartyIdentification/cbc:ID/@schemeID") == []
    assert _xp(out, f"{RECIPIENT}/cac:PartyLegalEntity/cbc:CompanyID/text()") == ["Recipient's BRN"]
    assert there.losses == []


def test_a_supplier_tin_without_tourism_tax_is_stated_under_a_non_vat_scheme() -> None:
    # BIS 4.6.2 example 1 and LHDN's CompleteSample_LHDN.xml: the TIN is the CompanyID of a
    # PartyTaxScheme under GST. The sample's supplier is given the TIN C2584563222 and no
    # TTX identifier.
    root = etree.fromstring(sample("1.0-Invoice-Sample.xml"))
    ids = root.xpath(f"{SUPPLIER}/cac:PartyIdentification/cbc:ID", namespaces=NS)
    for el in ids:
        if el.get("schemeID") == "TIN":
            el.text = "C2584563222"
        if el.get("schemeID") == "TTX":
            el.getparent().getparent().remove(el.getparent())
    there = einvoice.convert(etree.tostring(root), to="my-pint")
    gst = "cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='GST']/cbc:CompanyID/text()"
    assert _xp(there.document, f"{SUPPLIER}/{gst}") == ["C2584563222"]
    assert _xp(there.document, f"{SUPPLIER}/cac:PartyIdentification") == []
    assert "ibr-04-my" not in _rules(there.check)
    back = einvoice.convert(there.document, to="my-myinvois-xml")
    assert _ids(back.output, "BG-4", "BT-29") == [
        ("C2584563222", "TIN"),
        ("Supplier's BRN", "BRN"),
        ("NA", "SST"),
    ]


def test_three_address_lines_are_street_additional_street_and_line() -> None:
    # MyInvois Address Line 0, 1, 2; PINT MY's StreetName, AdditionalStreetName and
    # AddressLine (LHDN's PINT MY samples: "Address Line 0" in cbc:StreetName ...)
    there = einvoice.convert(sample("1.0-Invoice-Sample.xml"), to="my-pint")
    address = f"{SUPPLIER}/cac:PostalAddress"
    assert _xp(there.document, f"{address}/cbc:StreetName/text()") == ["Lot 66"]
    assert _xp(there.document, f"{address}/cbc:AdditionalStreetName/text()") == ["Bangunan Merdeka"]
    assert _xp(there.document, f"{address}/cac:AddressLine/cbc:Line/text()") == ["Persiaran Jaya"]
    back = einvoice.convert(there.document, to="my-myinvois-xml")
    assert _xp(back.document, f"{address}/cac:AddressLine/cbc:Line/text()") == [
        "Lot 66",
        "Bangunan Merdeka",
        "Persiaran Jaya",
    ]


def test_the_steps_do_not_change_their_input() -> None:
    doc = read_xml(sample("1.1-Invoice-Sample.xml"))
    before = doc.to_dict()
    assert parties_to_pint(doc).to_dict() != before
    assert doc.to_dict() == before
    pint = read_document(_pint("CompleteSample_LHDN.xml"))
    before = pint.to_dict()
    assert parties_to_myinvois(pint).to_dict() != before
    assert pint.to_dict() == before


# -- MyInvois -> PINT MY: over the official samples -------------------------------------------


@pytest.mark.parametrize("name", [*XML_SAMPLES, *JSON_SAMPLES])
def test_no_party_rule_fails_in_pint_my_where_myinvois_holds_the_fact(name: str) -> None:
    there = einvoice.convert(sample(name), to="my-pint")
    assert _rules(there.check) & TO_PINT_RULES == set()


@pytest.mark.parametrize("name", ["1.0-Invoice-Sample.xml", "1.1-Credit-Note-Sample.json"])
def test_electronic_addresses_are_not_made(name: str) -> None:
    # ibt-034 and ibt-049 are mandatory in PINT MY with an EAS scheme; the BIS shows 0230
    # (MDEC's National e-Invoicing Framework) ids but defines them from no TIN or BRN, and
    # MyInvois states none: ibr-080 and ibr-081 stay, one each.
    there = einvoice.convert(sample(name), to="my-pint")
    rules = [rule for rule, _ in _errors(there.check)]
    assert rules.count("ibr-080") == rules.count("ibr-081") == 1
    assert _xp(there.document, "//cbc:EndpointID") == []


@pytest.mark.parametrize("name", ["1.0-Invoice-Sample.xml", "1.1-Debit-Note-Sample.json"])
def test_a_buyer_tourism_tax_registration_is_a_second_buyer_tax_identifier(name: str) -> None:
    # LHDN's samples give the buyer a TTX "NA" that neither specification has a buyer field
    # for; it is stated as a supplier's TTX is (BIS 4.6.2), beside the SST number that
    # ibt-048 holds: ibr-104 (ibt-048 once) reports the second, and only it.
    there = einvoice.convert(sample(name), to="my-pint")
    findings = [loc for rule, loc in _errors(there.check) if rule == "ibr-104"]
    assert len(findings) == 1
    assert _xp(there.document, f"{BUYER}/cac:PartyTaxScheme/cac:TaxScheme/cbc:ID/text()") == [
        "VAT",
        "TTX",
    ]


@pytest.mark.parametrize(
    "name", ["1.0-Invoice-Consolidated-Sample.xml", "1.1-Invoice-Consolidated-Sample.json"]
)
def test_a_consolidated_buyer_address_stays_without_a_country(name: str) -> None:
    # LHDN's consolidated samples leave the buyer's city, postal zone, state, two address
    # lines and country empty: an empty value is no country, and none is invented, so
    # ibr-011 (no buyer country) stays; the empty elements are carried as they are (the
    # MyInvois -> PINT MY -> MyInvois round trip gives them back), which ibr-079 (empty
    # element) and ibr-cl-14 (the empty code is no ISO 3166 code) report.
    there = einvoice.convert(sample(name), to="my-pint")
    errors = _errors(there.check)
    address = "/Invoice/cac:AccountingCustomerParty/cac:Party/cac:PostalAddress"
    assert ("ibr-011", address) in errors
    assert [loc for rule, loc in errors if rule == "ibr-cl-14"] == [
        f"{address}/cac:Country/cbc:IdentificationCode"
    ]
    empty = sorted(loc for rule, loc in errors if rule == "ibr-079" and loc.startswith(address))
    assert empty == sorted(
        f"{address}/{p}"
        for p in (
            "cbc:AdditionalStreetName",
            "cbc:CityName",
            "cbc:PostalZone",
            "cbc:CountrySubentityCode",
            "cac:AddressLine/cbc:Line",
            "cac:Country/cbc:IdentificationCode",
        )
    )


# -- PINT MY -> MyInvois: hand-written expectations -------------------------------------------


def test_pint_my_identifiers_take_their_myinvois_schemes() -> None:
    there = einvoice.convert(_pint("CompleteSample_LHDN.xml"), to="my-myinvois-xml")
    # the supplier's TIN is under GST and, the same value, the party identifier without
    # schemeID: one TIN; BRN from PartyLegalEntity, SST from the PartyTaxScheme under VAT
    assert _ids(there.output, "BG-4", "BT-29") == [
        ("TIN20211100090911", "TIN"),
        ("2023010000001", "BRN"),
        ("X88-1907-12345678", "SST"),
    ]
    assert _ids(there.output, "BG-7", "BT-46") == [
        ("20201234567", "BRN"),
        ("X81-0708-12345678", "SST"),
    ]
    # the delivery party's legal registration is its BRN
    assert there.output is not None
    delivery = there.output.child("BG-13")
    assert delivery is not None
    assert [t.text for t in delivery.all("MY-SHIP-ID")] == ["BUYER-ENT-001"]
    assert [t.text for t in delivery.all("MY-SHIP-ID-SCHEME")] == ["BRN"]
    # "Kedah" is state 02 in LHDN's State Codes table
    supplier = there.output.child("BG-4")
    assert supplier is not None
    address = supplier.child("BG-5")
    assert address is not None
    assert address.value("MY-STATE") == "02"
    assert address.value("BT-39") == "Kedah"
    assert [t.text for t in address.all("BT-162")] == [
        "Lot 66",
        "Bangunan Merdeka",
        "Persiaran Jaya",
    ]
    # the 0230 (MDEC) party identifiers: MyInvois has no such scheme, each is listed
    dropped = [
        i.ctx["value"]
        for i in there.report.issues
        if i.code == "einvoice.value_not_carried" and "schemeID 0230" in i.msg
    ]
    assert sorted(dropped) == ["0088005554443", "20201234567", "2023010000001"]


def test_a_tourism_tax_registrant_tin_is_the_identifier_without_scheme() -> None:
    # BIS 4.6.2: with tourism tax, the TIN is the PartyIdentification without schemeID and
    # the PartyTaxScheme CompanyID the tourism tax registration (AAL, PINT MY's scheme for
    # TTX). The buyer's TIN is its PartyTaxScheme under GST.
    there = einvoice.convert(_pint("Invoice-Sample-TTX_1.3.0.xml"), to="my-myinvois-xml")
    assert _ids(there.output, "BG-4", "BT-29") == [
        ("TIN20211100090911", "TIN"),
        ("050987654321", "BRN"),
        ("X88-1907-12345678", "SST"),
        ("20211100090911", "TTX"),
    ]
    assert _ids(there.output, "BG-7", "BT-46") == [
        ("C26628753000", "TIN"),
        ("050987654321", "BRN"),
    ]
    # CountrySubentity "14" is a code of the State Codes table
    assert there.output is not None
    buyer = there.output.child("BG-7")
    assert buyer is not None
    address = buyer.child("BG-8")
    assert address is not None
    assert address.value("MY-STATE") == "14"
    assert _rules(there.check) & TO_MYINVOIS_RULES == set()


def test_a_state_is_made_only_from_a_state_name_or_code() -> None:
    # "Sunway" (a town) and "14 Texas 17" are no state of the table: no code is guessed.
    for name, where in (
        ("Invoice-Sample-SA_1.3.0.xml", "BG-4"),
        ("CompleteSample_LHDN.xml", "BG-7"),
    ):
        there = einvoice.convert(_pint(name), to="my-myinvois-xml")
        assert there.output is not None
        party = there.output.child(where)
        assert party is not None
        assert all(
            not a.has("MY-STATE")
            for a in party.groups.get("BG-5", []) + party.groups.get("BG-8", [])
        )


def test_an_eu_vat_number_is_not_taken_for_an_sst_number() -> None:
    # PINT MY reads VAT as SST (BIS 4.6); an EN 16931 document's VAT identifier is not
    # one: only a PINT MY document's tax identifiers are restated as MyInvois ones.
    data = shared_path("vectors", "einvoice", "peppol-bis3", "examples", "base-example.xml")
    there = einvoice.convert(data.read_bytes(), to="my-myinvois-xml")
    assert "SST" not in {s for _, s in _ids(there.output, "BG-4", "BT-29")}
    assert there.output is not None
    seller = there.output.child("BG-4")
    assert seller is not None
    assert seller.has("BT-31")


# -- PINT MY -> MyInvois: over the official samples -------------------------------------------

# The PINT MY samples' party findings that stay in MyInvois, and why (source data):
# MYINVOIS-21: a buyer with no TIN (only an SST number and a 0230 id; the TTX samples give
#   it under GST); MYINVOIS-15/-24: a subentity that is no state ("Sunway", "14 Texas 17")
#   or none at all.
NO_BUYER_TIN = frozenset(_n for _n in _pint_samples() if "TTX" not in _n)
NO_SUPPLIER_STATE = frozenset(_n for _n in _pint_samples() if "_1.3.0" in _n and "TTX" not in _n)
NO_BUYER_STATE = NO_SUPPLIER_STATE | {
    "CompleteSample_LHDN.xml",
    "CompleteSample_LHDN-CreditNote.xml",
}


@pytest.mark.parametrize("name", _pint_samples())
def test_party_findings_in_myinvois_are_those_the_pint_my_source_lacks_data_for(name: str) -> None:
    there = einvoice.convert(_pint(name), to="my-myinvois-xml")
    expected = set()
    if name in NO_BUYER_TIN:
        expected.add("MYINVOIS-21")
    if name in NO_SUPPLIER_STATE:
        expected.add("MYINVOIS-15")
    if name in NO_BUYER_STATE:
        expected.add("MYINVOIS-24")
    assert _rules(there.check) & TO_MYINVOIS_RULES == expected


# -- round trips ------------------------------------------------------------------------------


def _party_values(doc: Invoice | None) -> set[tuple[str, str]]:
    assert doc is not None
    out: set[tuple[str, str]] = set()
    for gid in ("BG-4", "BG-7", "BG-10", "BG-13"):
        for g in doc.children(gid):
            out.update((path, text) for path, _id, text in term_values(g))
    return out


def _walk_ids(doc: Invoice) -> Iterator[Group]:
    yield from (g for gid in ("BG-4", "BG-7") for g in doc.children(gid))


@pytest.mark.parametrize("name", _pint_samples())
def test_pint_my_to_myinvois_and_back_keeps_every_party_value(name: str) -> None:
    source = read_document(_pint(name))
    there = einvoice.convert(_pint(name), to="my-myinvois-xml")
    back = einvoice.convert(there.document, to="my-pint")
    lost = _party_values(source) - _party_values(back.output)
    # only the party identifiers under ISO 6523 schemes, which MyInvois cannot state (each
    # listed in the conversion's report)
    reported = {
        i.ctx["value"]
        for i in there.report.issues
        if i.code == "einvoice.value_not_carried" and "schemeID" in i.msg
    }
    assert {value for _, value in lost} <= reported


@pytest.mark.parametrize("name", XML_SAMPLES[:3])
def test_myinvois_identifiers_come_back_with_their_schemes(name: str) -> None:
    source = read_xml(sample(name))
    there = einvoice.convert(sample(name), to="my-pint")
    back = einvoice.convert(there.document, to="my-myinvois-xml")
    assert back.output is not None
    for party, term in (("BG-4", "BT-29"), ("BG-7", "BT-46")):
        assert _ids(back.output, party, term) == _ids(source, party, term)
    assert [g.to_dict() for g in _walk_ids(back.output)] == [g.to_dict() for g in _walk_ids(source)]


# -- what is not mapped -----------------------------------------------------------------------


def _party(group: str, term: str, ids: list[tuple[str, str | None]]) -> Invoice:
    doc = Invoice()
    party = doc.new_group(group, f"/Invoice/{group}")
    for i, (value, scheme) in enumerate(ids, 1):
        loc = f"/Invoice/{group}/cac:PartyIdentification[{i}]/cbc:ID"
        party.set(term, value, loc)
        if scheme is not None:
            party.set(f"{term}-1", scheme, f"{loc}/@schemeID")
    return doc


def _warnings(doc: Invoice) -> list[str]:
    return [i.ctx["value"] for i in doc.issues if i.code == "einvoice.value_not_carried"]


def test_an_individual_identification_number_has_no_pint_my_place() -> None:
    # NRIC (MyKad): PINT MY's ibt-030 is a legal registration identifier with an ICD
    # scheme; the number is kept as it is, and listed (ibr-02-my then reports no BRN).
    doc = _party("BG-4", "BT-29", [("C2584563222", "TIN"), ("880101-14-5678", "NRIC")])
    out = parties_to_pint(doc)
    supplier = out.child("BG-4")
    assert supplier is not None
    assert supplier.value("BT-32") == "C2584563222"
    assert not supplier.has("BT-30")
    assert _ids(out, "BG-4", "BT-29") == [("880101-14-5678", "NRIC")]
    assert _warnings(out) == ["880101-14-5678"]


def test_two_tins_are_not_moved() -> None:
    # MyInvois wants exactly one TIN (MYINVOIS-11); which of two is meant is not guessed
    ids: list[tuple[str, str | None]] = [("C1", "TIN"), ("C2", "TIN"), ("B1", "BRN")]
    out = parties_to_pint(_party("BG-7", "BT-46", ids))
    assert _ids(out, "BG-7", "BT-46") == [("C1", "TIN"), ("C2", "TIN")]
    buyer = out.child("BG-7")
    assert buyer is not None
    assert buyer.value("BT-47") == "B1"
    assert _warnings(out) == ["C1"]


def test_two_different_pint_my_tins_are_not_guessed() -> None:
    # a supplier's PartyTaxScheme under GST and a party identifier without schemeID, with
    # different values: either may be the TIN (BIS 4.6.2), so neither becomes it
    doc = _party("BG-4", "BT-29", [("T1", None)])
    control = doc.new_group("BG-2")
    control.set("BT-24", "urn:peppol:pint:billing-1@my-1")
    supplier = doc.child("BG-4")
    assert supplier is not None
    supplier.set("BT-32", "T2", **{"cac:TaxScheme/cbc:ID": "GST"})
    out = parties_to_myinvois(doc)
    assert ("T1", "TIN") not in _ids(out, "BG-4", "BT-29")
    assert ("T2", "TIN") not in _ids(out, "BG-4", "BT-29")
    assert _warnings(out) == ["T2"]


@pytest.mark.parametrize("name", ["CompleteSample_LHDN.xml", "Invoice-Sample-TTX_1.3.0.xml"])
def test_a_tin_longer_than_myinvois_allows_is_carried_as_it_is(name: str) -> None:
    # LHDN's PINT MY samples give the supplier's TIN as "TIN20211100090911": 17
    # characters, where a MyInvois TIN has at most 14 (MYINVOIS-L04). The value is the
    # source's; it is not shortened into another number.
    there = einvoice.convert(_pint(name), to="my-myinvois-xml")
    assert ("TIN20211100090911", "TIN") in _ids(there.output, "BG-4", "BT-29")
    findings = [loc for rule, loc in _errors(there.check) if rule == "MYINVOIS-L04"]
    assert findings == [
        "/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification[1]/cbc:ID"
    ]
