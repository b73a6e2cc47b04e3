"""CII syntax-bound rules (CII-SR, CII-DT) on small CII documents and the official examples.

Expected verdicts are read from the meaning of each assertion of ``EN16931-CII-syntax.sch``
(validation artefacts 1.3.16, queryBinding xslt2): CEN/TC 434 publishes no CII unit tests.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from defa import data
from defa.einvoice import check, convert, read
from defa.einvoice.model import Invoice
from defa.einvoice.rules import rule_set
from defa.einvoice.rules.en16931 import EN16931
from defa.einvoice.rules.en16931.syntax_cii import RESTRICTIONS
from defa.errors import Severity
from tests.einvoice.unit_cases import example_paths, findings
from tests.einvoice.unit_cases import fired as fired_rules
from tests.shared import shared_path

NS = (
    'xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" '
    'xmlns:ram="urn:un:unece:uncefact:data:standard:'
    'ReusableAggregateBusinessInformationEntity:100" '
    'xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100" '
    'xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"'
)
ROOT = "/rsm:CrossIndustryInvoice"
AS_OF = date(2026, 11, 28)


def cii(body: str, root_attrs: str = "") -> Invoice:
    return read(
        f"<rsm:CrossIndustryInvoice {NS}{root_attrs}>{body}</rsm:CrossIndustryInvoice>".encode()
    )


def ram(name: str, *inner: str, attrs: str = "") -> str:
    """``<ram:name attrs>inner</ram:name>``."""
    return f"<ram:{name}{attrs}>{''.join(inner)}</ram:{name}>"


def tx(inner: str) -> str:
    return f"<rsm:SupplyChainTradeTransaction>{inner}</rsm:SupplyChainTradeTransaction>"


def line(inner: str) -> str:
    return tx(
        f"<ram:IncludedSupplyChainTradeLineItem>{inner}</ram:IncludedSupplyChainTradeLineItem>"
    )


def agreement(inner: str) -> str:
    return tx(f"<ram:ApplicableHeaderTradeAgreement>{inner}</ram:ApplicableHeaderTradeAgreement>")


def settlement(inner: str) -> str:
    return tx(f"<ram:ApplicableHeaderTradeSettlement>{inner}</ram:ApplicableHeaderTradeSettlement>")


def fired(doc: Invoice) -> dict[str, list[str]]:
    """Every CII-* rule that fails on ``doc``, with its locations."""
    return fired_rules(doc, "CII-")


def verdict(rule_id: str, doc: Invoice) -> bool:
    return bool(findings(rule_id, doc))


# -- the rule set ----------------------------------------------------------------------------

_UPSTREAM = shared_path(
    "specs", "einvoice", "en16931", "cii-schematron", "abstract", "EN16931-CII-syntax.sch"
)


def _upstream_flags() -> dict[str, str]:
    text = _UPSTREAM.read_text(encoding="iso-8859-1")
    return {rid: flag for flag, rid in re.findall(r'flag="(\w+)" id="(CII-\w+-\d+)"', text)}


def test_table_is_packaged_data_citing_the_artefacts() -> None:
    f = data.load("en16931-cii-restrictions", EN16931.valid_from)
    assert f.meta.version == "1.3.16"
    assert "EN16931-CII-syntax.sch" in f.meta.source
    assert "EUPL" in f.meta.licence


def test_every_upstream_syntax_rule_is_defined_with_its_flag() -> None:
    upstream = _upstream_flags()
    assert len(upstream) == 583
    for rule_id, flag in upstream.items():
        rule = EN16931.rules[rule_id]
        assert rule.syntax == "cii"
        assert rule.severity is (Severity.ERROR if flag == "fatal" else Severity.WARNING)
    assert {r for r in EN16931.rules if r.startswith("CII-")} == set(upstream)


def test_every_table_row_names_what_its_assertion_tests() -> None:
    # The upstream test of a table rule is not(...) of the row's last step (with the step
    # before it, for an attribute of a child).
    text = _UPSTREAM.read_text(encoding="iso-8859-1")
    tests = dict(re.findall(r'<param name="(CII-\w+-\d+)"\s+value="([^"]*)"', text))
    concrete = shared_path(
        "specs", "einvoice", "en16931", "cii-schematron", "CII", "EN16931-CII-syntax.sch"
    ).read_text(encoding="iso-8859-1")
    tests.update(re.findall(r'<param name="(CII-\w+-\d+)"\s+value="([^"]*)"', concrete))
    assert len({r.rule_id for r in RESTRICTIONS}) == 523
    for row in RESTRICTIONS:
        param = row.rule_id.replace("SR-04", "SR-004").replace("SR-05", "SR-005")
        test = " ".join(tests[param if param in tests else row.rule_id].split())
        assert test.startswith("not("), row.rule_id
        assert row.path.rsplit("/", 1)[-1] in test, row.rule_id


def test_syntax_rules_do_not_run_on_other_documents() -> None:
    assert fired(Invoice()) == {}
    assert not any(
        (rule is not None and rule.id.startswith("CII-"))
        or (family is not None and "cii" in family.id)
        for rs in (EN16931, rule_set("peppol-bis3"))
        for rule, family, _ in rs.plan("ubl")
    )


# -- restriction rows ------------------------------------------------------------------------


def test_a_forbidden_element_fires_and_its_absence_passes() -> None:
    doc = cii(
        "<rsm:ExchangedDocument><ram:ID>1</ram:ID><ram:Name>n</ram:Name></rsm:ExchangedDocument>"
    )
    got = fired(doc)
    assert got["CII-SR-013"] == [f"{ROOT}/rsm:ExchangedDocument/ram:Name"]
    assert EN16931.rules["CII-SR-013"].severity is Severity.WARNING
    assert "CII-SR-013" not in fired(
        cii("<rsm:ExchangedDocument><ram:ID>1</ram:ID></rsm:ExchangedDocument>")
    )
    # Only where the row's path says: a Name elsewhere is not CII-SR-013.
    assert "CII-SR-013" not in fired(
        cii(agreement("<ram:SellerTradeParty><ram:Name>s</ram:Name></ram:SellerTradeParty>"))
    )


def test_forbidden_elements_anywhere_are_errors_where_fatal() -> None:
    address = (
        "<ram:PostalTradeAddress><ram:PostOfficeBox>1</ram:PostOfficeBox></ram:PostalTradeAddress>"
    )
    doc = cii(agreement(f"<ram:BuyerTradeParty>{address}</ram:BuyerTradeParty>"))
    assert fired(doc)["CII-DT-083"] == [
        f"{ROOT}/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
        "/ram:BuyerTradeParty/ram:PostalTradeAddress/ram:PostOfficeBox"
    ]
    assert EN16931.rules["CII-DT-083"].severity is Severity.ERROR
    ok = "<ram:PostalTradeAddress><ram:CityName>c</ram:CityName></ram:PostalTradeAddress>"
    assert "CII-DT-083" not in fired(
        cii(agreement(f"<ram:BuyerTradeParty>{ok}</ram:BuyerTradeParty>"))
    )


def test_attribute_rows() -> None:
    # On the root itself.
    got = fired(cii("", ' languageID="en"'))
    assert got["CII-DT-013"] == [f"{ROOT}/@languageID"]
    assert "CII-DT-013" not in fired(cii(""))
    # On any ram:*Amount but the tax total.
    sums = ram(
        "SpecifiedTradeSettlementHeaderMonetarySummation",
        ram("LineTotalAmount", "1", attrs=' currencyID="EUR"'),
        ram("TaxTotalAmount", "0", attrs=' currencyID="EUR"'),
    )
    got = fired(cii(settlement(sums)))
    assert got["CII-DT-031"] == [
        f"{ROOT}/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
        "/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:LineTotalAmount/@currencyID"
    ]
    tax_only = sums.replace(' currencyID="EUR">1', ">1")
    assert "CII-DT-031" not in fired(cii(settlement(tax_only)))
    # On a child of a ram:*TradeTax.
    tax = ram("ApplicableTradeTax", ram("RateApplicablePercent", "1", attrs=' format="x"'))
    assert "CII-DT-059" in fired(cii(settlement(tax)))
    assert "CII-DT-059" not in fired(cii(settlement(tax.replace(' format="x"', ""))))


def test_wildcard_contexts() -> None:
    # //*[ends-with(name(), 'DocumentContextParameter')]/ram:Value (the artefact's id CII-SR-04)
    parameter = ram("GuidelineSpecifiedDocumentContextParameter", ram("ID", "x"), ram("Value", "v"))
    context = f"<rsm:ExchangedDocumentContext>{parameter}</rsm:ExchangedDocumentContext>"
    assert "CII-SR-04" in fired(cii(context))
    # //ram:*[ends-with(name(), 'TradeTax')]/ram:CalculatedRate, on an allowance's category
    charge = (
        "<ram:SpecifiedTradeAllowanceCharge><ram:CategoryTradeTax><ram:CalculatedRate>1"
        "</ram:CalculatedRate></ram:CategoryTradeTax></ram:SpecifiedTradeAllowanceCharge>"
    )
    assert "CII-DT-038" in fired(cii(settlement(charge)))


def test_identifier_attributes_follow_the_first_matching_context() -> None:
    # The four identifiers of CII-DT-001..007 are judged by that rule, not by CII-DT-101..104.
    ident = ram("ID", "1", attrs=' schemeName="s" schemeID="x"')
    doc = cii(f"<rsm:ExchangedDocument>{ident}</rsm:ExchangedDocument>")
    got = fired(doc)
    assert got["CII-DT-001"] == [f"{ROOT}/rsm:ExchangedDocument/ram:ID/@schemeName"]
    assert "CII-DT-005" in got
    assert "CII-DT-101" not in got
    buyer = cii(agreement(ram("BuyerTradeParty", ident)))
    got = fired(buyer)
    assert "CII-DT-101" in got
    assert "CII-DT-001" not in got
    assert "CII-DT-005" not in got  # schemeID is allowed on other identifiers


def test_document_type_code_attributes_are_shadowed_by_the_type_code_rule() -> None:
    # //ram:TypeCode comes first in the pattern: it takes the document type code, so
    # CII-DT-010..012 never fire, while CII-DT-008 does on the same element.
    code = ram("TypeCode", "380", attrs=' name="n" listID="1001"')
    doc = cii(f"<rsm:ExchangedDocument>{code}</rsm:ExchangedDocument>")
    got = fired(doc)
    assert "CII-DT-008" in got
    assert "CII-DT-010" not in got
    assert "CII-DT-010" in EN16931.rules


def _reference(tag: str, inner: str) -> str:
    return agreement(
        f"<ram:{tag}><ram:IssuerAssignedID>1</ram:IssuerAssignedID>{inner}</ram:{tag}>"
    )


@pytest.mark.parametrize(
    ("rule_id", "tag", "inner", "fires"),
    [
        ("CII-DT-015", "AdditionalReferencedDocument",
         "<ram:URIID>u</ram:URIID><ram:TypeCode>916</ram:TypeCode>", False),
        ("CII-DT-015", "AdditionalReferencedDocument",
         "<ram:URIID>u</ram:URIID><ram:TypeCode>130</ram:TypeCode>", True),
        ("CII-DT-015", "BuyerOrderReferencedDocument", "<ram:URIID>u</ram:URIID>", True),
        ("CII-DT-018", "AdditionalReferencedDocument", "<ram:TypeCode>50</ram:TypeCode>", False),
        ("CII-DT-018", "AdditionalReferencedDocument", "<ram:TypeCode>51</ram:TypeCode>", True),
        ("CII-DT-018", "ContractReferencedDocument", "<ram:TypeCode>50</ram:TypeCode>", True),
        ("CII-DT-024", "AdditionalReferencedDocument",
         "<ram:TypeCode>130</ram:TypeCode><ram:ReferenceTypeCode>A</ram:ReferenceTypeCode>", False),
        ("CII-DT-024", "AdditionalReferencedDocument",
         "<ram:TypeCode>916</ram:TypeCode><ram:ReferenceTypeCode>A</ram:ReferenceTypeCode>", True),
        ("CII-DT-027", "AdditionalReferencedDocument", "<ram:FormattedIssueDateTime/>", True),
        ("CII-DT-016", "ContractReferencedDocument", "<ram:StatusCode>1</ram:StatusCode>", True),
    ],
)  # fmt: skip
def test_referenced_document_exceptions(rule_id: str, tag: str, inner: str, fires: bool) -> None:
    assert verdict(rule_id, cii(_reference(tag, inner))) is fires


def test_formatted_issue_date_only_in_the_preceding_invoice_reference() -> None:
    ref = ram("InvoiceReferencedDocument", "<ram:FormattedIssueDateTime/>")
    assert not verdict("CII-DT-027", cii(settlement(ref)))


def test_tax_exceptions() -> None:
    header = ram(
        "ApplicableTradeTax",
        ram("BasisAmount", "1"),
        ram("TaxPointDate"),
        ram("ExemptionReasonCode", "x"),
    )
    got = fired(cii(settlement(header)))
    assert not {"CII-DT-041", "CII-DT-054", "CII-DT-052"} & set(got)
    on_line = line(
        ram("SpecifiedLineTradeSettlement", ram("ApplicableTradeTax", ram("BasisAmount", "1")))
    )
    assert "CII-DT-041" in fired(cii(on_line))
    category = ram(
        "SpecifiedTradeAllowanceCharge", ram("CategoryTradeTax", ram("ExemptionReasonCode", "x"))
    )
    assert "CII-DT-052" in fired(cii(settlement(category)))


def test_tax_type_must_be_vat() -> None:
    tax = "<ram:ApplicableTradeTax><ram:TypeCode>{}</ram:TypeCode></ram:ApplicableTradeTax>"
    assert not verdict("CII-DT-037", cii(settlement(tax.format("VAT"))))
    assert verdict("CII-DT-037", cii(settlement(tax.format("GST"))))
    assert EN16931.rules["CII-DT-037"].severity is Severity.ERROR


def test_quantity_unit_codes_need_a_billed_quantity_unit() -> None:
    def doc(billed_unit: str) -> Invoice:
        return cii(
            line(
                "<ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice>"
                '<ram:ChargeAmount>1</ram:ChargeAmount><ram:BasisQuantity unitCode="C62">1'
                "</ram:BasisQuantity></ram:NetPriceProductTradePrice>"
                "</ram:SpecifiedLineTradeAgreement>"
                f"<ram:SpecifiedLineTradeDelivery><ram:BilledQuantity{billed_unit}>1"
                "</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>"
            )
        )

    assert not verdict("CII-DT-033", doc(' unitCode="C62"'))
    assert verdict("CII-DT-033", doc(""))


def test_product_global_id_needs_a_scheme() -> None:
    def doc(attrs: str) -> Invoice:
        return cii(line(ram("SpecifiedTradeProduct", ram("GlobalID", "1", attrs=attrs))))

    assert verdict("CII-SR-046", doc(""))
    assert not verdict("CII-SR-046", doc(' schemeID="0160"'))


# -- counts ----------------------------------------------------------------------------------


def _guideline(times: int, ids: int = 1) -> Invoice:
    param = "<ram:GuidelineSpecifiedDocumentContextParameter>" + "<ram:ID>x</ram:ID>" * ids
    param += "</ram:GuidelineSpecifiedDocumentContextParameter>"
    return cii(f"<rsm:ExchangedDocumentContext>{param * times}</rsm:ExchangedDocumentContext>")


def test_exactly_one_count() -> None:
    assert verdict("CII-SR-009", _guideline(0))
    assert not verdict("CII-SR-009", _guideline(1))
    assert verdict("CII-SR-009", _guideline(2))
    assert verdict("CII-SR-010", _guideline(1, ids=2))
    assert EN16931.rules["CII-SR-009"].severity is Severity.ERROR


def test_at_most_one_count_at_the_limit_and_above() -> None:
    param = ram("BusinessProcessSpecifiedDocumentContextParameter", ram("ID", "p"))

    def doc(times: int) -> Invoice:
        return cii(f"<rsm:ExchangedDocumentContext>{param * times}</rsm:ExchangedDocumentContext>")

    assert not verdict("CII-SR-003", doc(1))
    assert findings("CII-SR-003", doc(2)) == [f"{ROOT}/rsm:ExchangedDocumentContext"]
    assert EN16931.rules["CII-SR-003"].severity is Severity.WARNING


@pytest.mark.parametrize("name", ["LineTotalAmount", "GrandTotalAmount", "DuePayableAmount"])
def test_document_totals_at_most_once(name: str) -> None:
    rule_id = {
        "LineTotalAmount": "CII-SR-477",
        "GrandTotalAmount": "CII-SR-482",
        "DuePayableAmount": "CII-SR-487",
    }[name]

    def doc(times: int) -> Invoice:
        amounts = f"<ram:{name}>1</ram:{name}>" * times
        return cii(settlement(ram("SpecifiedTradeSettlementHeaderMonetarySummation", amounts)))

    assert not verdict(rule_id, doc(1))
    assert verdict(rule_id, doc(2))


def test_allowance_charge_counts_and_indicator() -> None:
    def doc(inner: str) -> Invoice:
        return cii(
            settlement(
                f"<ram:SpecifiedTradeAllowanceCharge>{inner}</ram:SpecifiedTradeAllowanceCharge>"
            )
        )

    indicator = "<ram:ChargeIndicator><udt:Indicator>false</udt:Indicator></ram:ChargeIndicator>"
    amount = "<ram:ActualAmount>1</ram:ActualAmount>"
    assert not fired(doc(indicator + amount))
    assert verdict("CII-SR-473", doc(indicator + amount * 2))
    assert verdict("CII-SR-463", doc(amount))


def test_price_discount_counts_only_under_the_gross_price() -> None:
    def doc(price: str) -> Invoice:
        inner = ram(
            "AppliedTradeAllowanceCharge", ram("ActualAmount", "1"), ram("ActualAmount", "2")
        )
        return cii(line(ram("SpecifiedLineTradeAgreement", ram(price, inner))))

    assert verdict("CII-SR-440", doc("GrossPriceProductTradePrice"))
    assert not verdict("CII-SR-440", doc("NetPriceProductTradePrice"))


def test_line_net_price_exactly_once() -> None:
    def doc(times: int) -> Invoice:
        prices = "<ram:ChargeAmount>1</ram:ChargeAmount>" * times
        price = ram("NetPriceProductTradePrice", prices)
        return cii(line(ram("SpecifiedLineTradeAgreement", price)))

    assert verdict("CII-SR-439", doc(0))
    assert not verdict("CII-SR-439", doc(1))
    assert not verdict("CII-SR-441", doc(1))
    assert verdict("CII-SR-441", doc(2))


# -- rules written by hand -------------------------------------------------------------------


def test_origin_country_needs_one_code() -> None:
    def doc(country: str) -> Invoice:
        return cii(line(f"<ram:SpecifiedTradeProduct>{country}</ram:SpecifiedTradeProduct>"))

    assert not verdict("CII-SR-090", doc(""))
    assert not verdict(
        "CII-SR-090", doc("<ram:OriginTradeCountry><ram:ID>DE</ram:ID></ram:OriginTradeCountry>")
    )
    assert verdict("CII-SR-090", doc("<ram:OriginTradeCountry/>"))


@pytest.mark.parametrize(
    ("discount", "ok"),
    [
        ("", True),
        ("<ram:ChargeIndicator><udt:Indicator>false</udt:Indicator></ram:ChargeIndicator>"
         "<ram:ActualAmount>1</ram:ActualAmount>", True),
        ("<ram:ChargeIndicator><udt:Indicator>true</udt:Indicator></ram:ChargeIndicator>"
         "<ram:ActualAmount>1</ram:ActualAmount>", False),
        ("<ram:ActualAmount>1</ram:ActualAmount>", False),
        ("<ram:ChargeIndicator><udt:Indicator>false</udt:Indicator></ram:ChargeIndicator>", False),
    ],
)  # fmt: skip
def test_gross_price_discount_is_an_allowance_with_amount(discount: str, ok: bool) -> None:
    price = ram("GrossPriceProductTradePrice", ram("AppliedTradeAllowanceCharge", discount))
    doc = cii(line(f"<ram:SpecifiedLineTradeAgreement>{price}</ram:SpecifiedLineTradeAgreement>"))
    assert verdict("CII-SR-119", doc) is not ok


def _additional(code: str, extra: str = "") -> str:
    return ram(
        "AdditionalReferencedDocument", ram("IssuerAssignedID", "1"), ram("TypeCode", code), extra
    )


def test_additional_document_counts() -> None:
    assert not verdict("CII-SR-458", cii(agreement(_additional("130") + _additional("916"))))
    assert verdict("CII-SR-458", cii(agreement(_additional("130") * 2)))
    assert verdict("CII-SR-457", cii(agreement(_additional("50") * 2)))
    named = _additional("916", "<ram:Name>d</ram:Name>")
    assert not verdict("CII-SR-475", cii(agreement(named)))
    assert verdict("CII-SR-475", cii(agreement(named * 2)))  # counted over all of them
    on_line = "<ram:SpecifiedLineTradeSettlement>{}</ram:SpecifiedLineTradeSettlement>"
    assert verdict("CII-SR-474", cii(line(on_line.format(_additional(" 130 ") * 2))))
    assert not verdict("CII-SR-474", cii(line(on_line.format(_additional("130")))))


def test_contact_point_person_or_department() -> None:
    contact = "<ram:DefinedTradeContact>{}</ram:DefinedTradeContact>"
    both = contact.format(
        "<ram:PersonName>p</ram:PersonName><ram:DepartmentName>d</ram:DepartmentName>"
    )
    one = contact.format("<ram:PersonName>p</ram:PersonName>")
    assert verdict(
        "CII-SR-465", cii(agreement(f"<ram:SellerTradeParty>{both}</ram:SellerTradeParty>"))
    )
    assert not verdict(
        "CII-SR-465", cii(agreement(f"<ram:SellerTradeParty>{one}</ram:SellerTradeParty>"))
    )
    assert verdict(
        "CII-SR-466", cii(agreement(f"<ram:BuyerTradeParty>{both}</ram:BuyerTradeParty>"))
    )
    assert verdict(
        "CII-SR-455", cii(agreement(f"<ram:SellerTradeParty>{one * 2}</ram:SellerTradeParty>"))
    )


def test_party_id_or_global_id() -> None:
    both = "<ram:ID>1</ram:ID><ram:GlobalID schemeID='0088'>2</ram:GlobalID>"
    assert verdict(
        "CII-SR-450", cii(agreement(f"<ram:BuyerTradeParty>{both}</ram:BuyerTradeParty>"))
    )
    assert not verdict(
        "CII-SR-450",
        cii(agreement("<ram:BuyerTradeParty><ram:ID>1</ram:ID></ram:BuyerTradeParty>")),
    )
    delivery = tx(ram("ApplicableHeaderTradeDelivery", ram("ShipToTradeParty", both)))
    assert verdict("CII-SR-449", cii(delivery))
    assert verdict(
        "CII-SR-451", cii(settlement(f"<ram:PayeeTradeParty>{both}</ram:PayeeTradeParty>"))
    )


def test_due_date_codes_agree() -> None:
    tax = ram("ApplicableTradeTax", ram("DueDateTypeCode", "{}"))
    assert not verdict("CII-SR-462", cii(settlement(tax.format("5") * 2)))
    assert verdict("CII-SR-462", cii(settlement(tax.format("5") + tax.format("29"))))
    assert verdict(
        "CII-SR-461",
        cii(settlement(ram("ApplicableTradeTax", ram("TaxPointDate"), ram("TaxPointDate")))),
    )


def _means(code: str, inner: str = "") -> str:
    return ram("SpecifiedTradeSettlementPaymentMeans", ram("TypeCode", code), inner)


def test_credit_transfer_needs_an_account() -> None:
    account = ram("PayeePartyCreditorFinancialAccount", ram("IBANID", "DE02"))
    proprietary = account.replace("IBANID", "ProprietaryID")
    assert verdict("CII-SR-470", cii(settlement(_means("58"))))
    assert verdict("CII-SR-470", cii(settlement(_means(" 30 "))))
    assert not verdict("CII-SR-470", cii(settlement(_means("58", account))))
    assert not verdict("CII-SR-470", cii(settlement(_means("30", proprietary))))
    assert not verdict("CII-SR-470", cii(settlement(_means("49"))))


def test_payment_means_agree() -> None:
    assert not verdict("CII-SR-467", cii(settlement(_means("58") + _means(" 58"))))
    assert verdict("CII-SR-467", cii(settlement(_means("58") + _means("30"))))
    info = "<ram:Information>{}</ram:Information>"
    assert verdict(
        "CII-SR-468",
        cii(settlement(_means("58", info.format("a")) + _means("58", info.format("b")))),
    )
    assert not verdict("CII-SR-468", cii(settlement(_means("58", info.format("a")) * 2)))
    reference = "<ram:PaymentReference>r</ram:PaymentReference>"
    assert not verdict("CII-SR-469", cii(settlement(reference)))
    assert verdict("CII-SR-469", cii(settlement(reference * 2)))


@pytest.mark.parametrize(
    ("value", "fmt", "ok"),
    [("20240131", "102", True), (" 20241231\n", "102", True), ("20241331", "102", False),
     ("2024-01-31", "102", False), ("20240100", "102", False), ("2024-01-31", "610", True)],
)  # fmt: skip
def test_format_102_dates(value: str, fmt: str, ok: bool) -> None:
    doc = cii(
        f'<rsm:ExchangedDocument><ram:IssueDateTime><udt:DateTimeString format="{fmt}">{value}'
        "</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>"
    )
    assert verdict("CII-DT-097", doc) is not ok


# -- whole documents -------------------------------------------------------------------------


def _cii_examples() -> list[Path]:
    return sorted(shared_path("vectors", "einvoice", "en16931", "examples-cii").glob("*.xml"))


def test_the_cii_examples_are_there() -> None:
    assert len(_cii_examples()) >= 15


@pytest.mark.parametrize("path", _cii_examples(), ids=lambda p: p.name)
def test_official_cii_example_has_no_error(path: Path) -> None:
    report = check(read(path.read_bytes()), rules="en16931", as_of=AS_OF)
    errors = [f"{i.rule_id} at {i.loc}" for i in report.issues if i.severity is Severity.ERROR]
    assert errors == []


@pytest.mark.parametrize("path", list(example_paths()), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_ubl_example_converted_to_cii_keeps_the_cii_syntax_rules(path: Path) -> None:
    out = convert(path.read_bytes(), to="cii")
    report = check(read(out.document), rules="en16931", as_of=AS_OF)
    errors = [
        f"{i.rule_id} at {i.loc}"
        for i in report.issues
        if i.rule_id and i.rule_id.startswith("CII-") and i.severity is Severity.ERROR
    ]
    assert errors == []


# -- Peppol's own CII statement --------------------------------------------------------------


def test_peppol_r002_is_worded_per_syntax() -> None:
    notes = "<ram:IncludedNote><ram:Content>a</ram:Content></ram:IncludedNote>" * 2
    report = check(
        cii(f"<rsm:ExchangedDocument>{notes}</rsm:ExchangedDocument>"),
        rules="peppol-bis3",
        as_of=AS_OF,
    )
    found = [i for i in report.issues if i.rule_id == "PEPPOL-EN16931-R002"]
    assert found
    assert "German" not in found[0].msg
    assert "subject code" in found[0].msg
    assert "German" in rule_set("peppol-bis3").rules["PEPPOL-EN16931-R002"].message
