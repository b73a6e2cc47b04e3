"""Peppol BIS 3 rules on CII documents (the CII Schematron's statements), by hand.

Upstream publishes no CII unit tests for Peppol; each rule here is shown to pass on a
document built to satisfy it and to fire on one built to break it.
"""

from __future__ import annotations

import pytest
from lxml import etree

from defa.einvoice.model import Invoice
from defa.einvoice.rules import run
from defa.einvoice.rules.peppol import PEPPOL_BIS3
from defa.einvoice.rules.peppol.syntax_cii import cii_abn

_NS = (
    'xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" '
    'xmlns:ram="urn:un:unece:uncefact:data:standard:'
    'ReusableAggregateBusinessInformationEntity:100" '
    'xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"'
)
_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
_SPEC = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"


def _el(path: str, value: str = "", **attrs: str) -> str:
    steps = path.split("/")
    attr = "".join(f' {k}="{v}"' for k, v in attrs.items())
    opening = "".join(f"<{s}{attr if i == len(steps) - 1 else ''}>" for i, s in enumerate(steps))
    return opening + value + "".join(f"</{s}>" for s in reversed(steps))


def _cii(
    *,
    context: str = "",
    document: str = "",
    lines: str = "",
    agreement: str = "",
    settlement: str = "",
) -> Invoice:
    xml = (
        f"<rsm:CrossIndustryInvoice {_NS}>"
        f"<rsm:ExchangedDocumentContext>{context}</rsm:ExchangedDocumentContext>"
        f"<rsm:ExchangedDocument>{document}</rsm:ExchangedDocument>"
        f"<rsm:SupplyChainTradeTransaction>{lines}"
        f"<ram:ApplicableHeaderTradeAgreement>{agreement}</ram:ApplicableHeaderTradeAgreement>"
        f"<ram:ApplicableHeaderTradeSettlement>{settlement}</ram:ApplicableHeaderTradeSettlement>"
        "</rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>"
    )
    return Invoice(syntax="cii", tree=etree.fromstring(xml.encode()))


def _fired(doc: Invoice, rule_id: str) -> list[str]:
    return [i.loc for i in run(doc, [PEPPOL_BIS3]).issues if i.rule_id == rule_id]


_GOOD_CONTEXT = _el("ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID", _PROFILE) + _el(
    "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", _SPEC
)
_EUR = _el("ram:InvoiceCurrencyCode", "EUR")


def _tax_total(amount: str, currency: str) -> str:
    return _el("ram:TaxTotalAmount", amount, currencyID=currency)


def _summation(*totals: str) -> str:
    return _el("ram:SpecifiedTradeSettlementHeaderMonetarySummation", "".join(totals))


def _line(net: str, quantity: str, price: str, unit: str = "C62", base_unit: str = "C62") -> str:
    return _el(
        "ram:IncludedSupplyChainTradeLineItem",
        _el(
            "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice",
            _el("ram:ChargeAmount", price) + _el("ram:BasisQuantity", "1", unitCode=base_unit),
        )
        + _el("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", quantity, unitCode=unit)
        + _el(
            "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation"
            "/ram:LineTotalAmount",
            net,
        ),
    )


def _period(tag: str, value: str) -> str:
    return _el(f"ram:BillingSpecifiedPeriod/ram:{tag}/udt:DateTimeString", value, format="102")


def _line_period(tag: str, value: str) -> str:
    return _el(
        "ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement",
        _period(tag, value),
    )


def _party(role: str, scheme: str, value: str) -> str:
    return _el(f"ram:{role}/ram:URIUniversalCommunication/ram:URIID", value, schemeID=scheme)


CASES = [
    # rule, passing document, failing document
    ("PEPPOL-EN16931-R001", _cii(context=_GOOD_CONTEXT), _cii()),
    (
        "PEPPOL-EN16931-R007",
        _cii(context=_GOOD_CONTEXT),
        _cii(
            context=_el(
                "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID", "urn:example"
            )
        ),
    ),
    ("PEPPOL-EN16931-R004", _cii(context=_GOOD_CONTEXT), _cii()),
    (
        "PEPPOL-EN16931-R002",
        _cii(document=_el("ram:IncludedNote/ram:Content", "a")),
        _cii(document=_el("ram:IncludedNote", _el("ram:SubjectCode", "AAI"))),
    ),
    ("PEPPOL-EN16931-R003", _cii(agreement=_el("ram:BuyerReference", "abc")), _cii()),
    (
        "PEPPOL-EN16931-R006",
        _cii(agreement=_el("ram:AdditionalReferencedDocument/ram:TypeCode", "130")),
        _cii(agreement=2 * _el("ram:AdditionalReferencedDocument/ram:TypeCode", "130")),
    ),
    (
        "PEPPOL-EN16931-R005",
        _cii(settlement=_el("ram:TaxCurrencyCode", "SEK") + _EUR),
        _cii(settlement=_el("ram:TaxCurrencyCode", "EUR") + _EUR),
    ),
    (
        "PEPPOL-EN16931-R053",
        _cii(settlement=_EUR + _summation(_tax_total("10", "EUR"))),
        _cii(settlement=_EUR + _summation(_tax_total("10", "SEK"))),
    ),
    (
        "PEPPOL-EN16931-R054",
        _cii(settlement=_EUR + _summation(_tax_total("10", "EUR"))),
        _cii(settlement=_EUR + _summation(_tax_total("10", "EUR"), _tax_total("99", "SEK"))),
    ),
    (
        "PEPPOL-EN16931-R055",
        _cii(
            settlement=_el("ram:TaxCurrencyCode", "SEK")
            + _EUR
            + _summation(_tax_total("10", "EUR"), _tax_total("100", "SEK"))
        ),
        _cii(
            settlement=_el("ram:TaxCurrencyCode", "SEK")
            + _EUR
            + _summation(_tax_total("10", "EUR"), _tax_total("-100", "SEK"))
        ),
    ),
    (
        "PEPPOL-EN16931-R061",
        _cii(
            settlement=_el("ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode", "59")
            + _el("ram:SpecifiedTradePaymentTerms/ram:DirectDebitMandateID", "M1")
        ),
        _cii(settlement=_el("ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode", "59")),
    ),
    # 3 × 12.50 / 1 = 37.50; 37.52 is within the slack, 37.53 is not.
    (
        "PEPPOL-EN16931-R120",
        _cii(lines=_line("37.52", "3", "12.50")),
        _cii(lines=_line("37.53", "3", "12.50")),
    ),
    (
        "PEPPOL-EN16931-R130",
        _cii(lines=_line("1", "1", "1")),
        _cii(lines=_line("1", "1", "1", unit="C62", base_unit="KGM")),
    ),
    (
        "PEPPOL-EN16931-R110",
        _cii(
            lines=_line_period("StartDateTime", "20250102"),
            settlement=_period("StartDateTime", "20250101"),
        ),
        _cii(
            lines=_line_period("StartDateTime", "20241231"),
            settlement=_period("StartDateTime", "20250101"),
        ),
    ),
    (
        "PEPPOL-EN16931-F001",
        _cii(document=_el("ram:IssueDateTime/udt:DateTimeString", "20250101", format="102")),
        _cii(document=_el("ram:IssueDateTime/udt:DateTimeString", "2025-01-01", format="102")),
    ),
    (
        "PEPPOL-EN16931-CL008",
        _cii(agreement=_party("SellerTradeParty", "0088", "5790000435975")),
        _cii(agreement=_party("SellerTradeParty", "0000", "5790000435975")),
    ),
    (
        "PEPPOL-EN16931-R020",
        _cii(agreement=_party("SellerTradeParty", "0088", "5790000435975")),
        _cii(agreement=_el("ram:SellerTradeParty/ram:Name", "Seller")),
    ),
    (
        "PEPPOL-COMMON-R040",
        _cii(agreement=_party("SellerTradeParty", "0088", "5790000435975")),
        _cii(agreement=_party("SellerTradeParty", "0088", "5790000435976")),
    ),
    (
        "PEPPOL-COMMON-R048",
        _cii(agreement=_party("BuyerTradeParty", "9906", "IT02985591201")),
        _cii(agreement=_party("BuyerTradeParty", "9906", "IT02985591202")),
    ),
    (
        "PEPPOL-EN16931-P0100",
        _cii(context=_GOOD_CONTEXT, document=_el("ram:TypeCode", "381")),
        _cii(context=_GOOD_CONTEXT, document=_el("ram:TypeCode", "389")),
    ),
]


@pytest.mark.parametrize(("rule_id", "good", "bad"), CASES, ids=[c[0] for c in CASES])
def test_cii_rule_by_hand(rule_id: str, good: Invoice, bad: Invoice) -> None:
    assert _fired(good, rule_id) == []
    assert _fired(bad, rule_id) != []


def test_ubl_only_rules_stay_quiet_on_cii() -> None:
    doc = _cii(document=_el("ram:IncludedNote"))  # an empty element: R008 is UBL-only
    fired = {i.rule_id for i in run(doc, [PEPPOL_BIS3]).issues}
    assert "PEPPOL-EN16931-R008" not in fired
    assert not {r for r in fired if r.startswith(("DE-", "NO-", "DK-", "SE-", "NL-"))}


def test_cii_abn_by_hand() -> None:
    # 51824753556: (5-1)*10 + 1*1 + 8*3 + 2*5 + 4*7 + 7*9 + 5*11 + 3*13 + 5*15 + 5*17 + 6*19
    # = 534 = 6 * 89.
    assert cii_abn("51824753556")
    assert not cii_abn("51824753557")
    assert not cii_abn("5182475355")


# -- national rules on CII -----------------------------------------------------------------


def _seller(country: str, inner: str = "") -> str:
    return _el(
        "ram:SellerTradeParty",
        inner + _el("ram:PostalTradeAddress/ram:CountryID", country),
    )


def _buyer(country: str, inner: str = "") -> str:
    return _el("ram:BuyerTradeParty", inner + _el("ram:PostalTradeAddress/ram:CountryID", country))


def _tax_id(value: str, scheme: str) -> str:
    return _el("ram:SpecifiedTaxRegistration/ram:ID", value, schemeID=scheme)


def _legal_org(value: str, scheme: str = "") -> str:
    attrs = {"schemeID": scheme} if scheme else {}
    return _el("ram:SpecifiedLegalOrganization/ram:ID", value, **attrs)


def _means(code: str, inner: str = "") -> str:
    return _el("ram:SpecifiedTradeSettlementPaymentMeans", _el("ram:TypeCode", code) + inner)


_DK_DK = _seller("DK", _legal_org("12345678", "0184")) + _buyer("DK")
_SE_SELLER = _seller("SE", _tax_id("SE556036079301", "VAT") + _legal_org("5560360793"))

NATIONAL = [
    (
        "NO-R-001",
        _cii(agreement=_seller("NO", _tax_id("NO974760673MVA", "VAT"))),
        _cii(agreement=_seller("NO", _tax_id("NO974760674MVA", "VAT"))),
    ),
    ("DK-R-002", _cii(agreement=_DK_DK), _cii(agreement=_seller("DK") + _buyer("DK"))),
    (
        "DK-R-014",
        _cii(agreement=_DK_DK),
        _cii(agreement=_seller("DK", _legal_org("12345678", "0088"))),
    ),
    (
        "DK-R-005",
        _cii(agreement=_DK_DK, settlement=_means("31")),
        _cii(agreement=_DK_DK, settlement=_means("30")),
    ),
    (
        "IT-R-002",
        _cii(
            agreement=_seller(
                "IT",
                _tax_id("IT02985591201", "VAT") + _el("ram:PostalTradeAddress/ram:LineOne", "Via"),
            )
        ),
        _cii(agreement=_seller("IT", _tax_id("IT02985591201", "VAT"))),
    ),
    (
        "SE-R-013",
        _cii(agreement=_SE_SELLER),
        _cii(agreement=_seller("SE", _legal_org("5560360794"))),
    ),
    (
        "SE-R-006",
        _cii(
            agreement=_SE_SELLER,
            settlement=_el("ram:ApplicableTradeTax/ram:RateApplicablePercent", "25"),
        ),
        _cii(
            agreement=_SE_SELLER,
            settlement=_el("ram:ApplicableTradeTax/ram:RateApplicablePercent", "20"),
        ),
    ),
    (
        "NL-R-002",
        _cii(
            agreement=_el(
                "ram:SellerTradeParty/ram:PostalTradeAddress",
                _el("ram:LineOne", "Straat 1")
                + _el("ram:CityName", "Utrecht")
                + _el("ram:PostcodeCode", "3511")
                + _el("ram:CountryID", "NL"),
            )
        ),
        _cii(agreement=_seller("NL")),
    ),
    (
        "NL-R-001",
        _cii(
            document=_el("ram:TypeCode", "381"),
            agreement=_seller("NL"),
            settlement=_el("ram:InvoiceReferencedDocument/ram:IssuerAssignedID", "INV-1"),
        ),
        _cii(document=_el("ram:TypeCode", "381"), agreement=_seller("NL")),
    ),
]


@pytest.mark.parametrize(("rule_id", "good", "bad"), NATIONAL, ids=[c[0] for c in NATIONAL])
def test_cii_national_rule_by_hand(rule_id: str, good: Invoice, bad: Invoice) -> None:
    assert _fired(good, rule_id) == []
    assert _fired(bad, rule_id) != []
