"""The UN/CEFACT CII D16B binding of EN 16931 (CEN/TS 16931-3-3) as a table.

Each business term's path is the one the EN 16931 CII validation artefacts (1.3.x,
``EN16931-CII-model.sch`` and ``-syntax.sch``) bind it to; children are listed in D16B
schema order so the writer can walk this same table. The model is the one UBL reads into
(see :mod:`defa.einvoice.syntax.ubl_binding`); where CII places a term differently, ``at``
puts it where the model holds it:

* BT-7 and BT-8 (``ram:ApplicableTradeTax/ram:TaxPointDate`` and ``ram:DueDateTypeCode``,
  once per VAT breakdown) are document-level terms, one occurrence per breakdown read;
* BT-83 (``ram:PaymentReference``) belongs to the first BG-16, BT-89
  (``ram:SpecifiedTradePaymentTerms/ram:DirectDebitMandateID``) to its BG-19, BT-90
  (``ram:CreditorReferenceID``) to the document;
* BT-72 (``ram:ActualDeliverySupplyChainEvent``) joins BG-13 with the ship-to party, BT-86
  (``ram:PayeeSpecifiedCreditorFinancialInstitution``) joins BG-17 with the account;
* BG-29 spans ``ram:GrossPriceProductTradePrice`` and ``ram:NetPriceProductTradePrice``.

Dates (``udt:DateTimeString`` with ``format="102"``) are read as ISO ``YYYY-MM-DD``, the
same semantic value UBL carries; other formats are kept verbatim with their ``format``.
Where two elements carry one term (``ram:PersonName``/``ram:DepartmentName`` for BT-41,
``ram:IBANID``/``ram:ProprietaryID`` for BT-84, the gross and net price's base quantity),
the less usual one is noted in ``Term.attrs["@element"]`` so a CII writer puts it back;
party identifiers with a scheme go to ``ram:GlobalID``, those without to ``ram:ID``.
"""

from __future__ import annotations

from lxml import etree

from defa.einvoice.syntax._read import Reader
from defa.einvoice.syntax._xmlmap import Binding, Fixed, Leaf, Node, Switch

__all__ = ["PREFIXES", "QDT", "RAM", "ROOT_NODE", "RSM", "UDT"]

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"

PREFIXES = {RSM: "rsm", RAM: "ram", UDT: "udt", QDT: "qdt"}

_RAM = "{" + RAM + "}"


def r(name: str) -> str:
    """The Clark name of a ``ram:`` element."""
    return _RAM + name


def rsm(name: str) -> str:
    return "{" + RSM + "}" + name


def N(group: str | None, *children: tuple[str, Binding], **kw: object) -> Node:  # noqa: N802
    return Node(group, tuple(children), **kw)  # type: ignore[arg-type]


def date_of(wrapper: str, term: str, ns: str = UDT, **kw: object) -> tuple[str, Node]:
    """``ram:<wrapper>/udt:DateTimeString``: a date term."""
    leaf = Leaf(term, date=True, **kw)  # type: ignore[arg-type]
    return r(wrapper), N(None, ("{" + ns + "}DateTimeString", leaf))


def _vat_type(carrier: str) -> tuple[str, Fixed]:
    """``ram:TypeCode`` = VAT before the category code it qualifies."""
    return r("TypeCode"), Fixed("VAT", carrier, "ram:TypeCode", pending=True)


def _indicator(value: str) -> tuple[str, Node]:
    return r("ChargeIndicator"), N(None, ("{" + UDT + "}Indicator", Fixed(value)))


# -- content selectors ---------------------------------------------------------------------


def _child(el: etree._Element, tag: str) -> etree._Element | None:
    for child in el:
        if child.tag == tag:
            return child
    return None


def _charge(el: etree._Element, _r: Reader) -> str:
    indicator = _child(el, r("ChargeIndicator"))
    found = _child(indicator, "{" + UDT + "}Indicator") if indicator is not None else None
    text = (found.text or "").strip().lower() if found is not None else ""
    return "true" if text in ("true", "1") else "false"


def _scheme(el: etree._Element, _r: Reader) -> str:
    child = _child(el, r("ID"))
    scheme = child.get("schemeID") if child is not None else None
    return "VA" if scheme == "VA" else "other"


def _document_type(el: etree._Element, _r: Reader) -> str:
    child = _child(el, r("TypeCode"))
    code = (child.text or "").strip() if child is not None else ""
    return code if code in ("50", "130") else "other"


def _tax_total(el: etree._Element, rd: Reader) -> str:
    currency = el.get("currencyID")
    doc_currency = rd.doc.value("BT-5")
    tax_currency = rd.doc.value("BT-6")
    if currency is not None and tax_currency and tax_currency != doc_currency:
        if currency == tax_currency:
            return "accounting"
        if currency == doc_currency:
            return "document"
    totals = rd.stack[-1]
    return "accounting" if totals.has("BT-110") else "document"


# -- the binding ---------------------------------------------------------------------------


def _address(
    group: str, zone: str, one: str, two: str, three: str, city: str, country: str, sub: str
) -> Node:
    return N(
        group,
        (r("PostcodeCode"), Leaf(zone)),
        (r("LineOne"), Leaf(one)),
        (r("LineTwo"), Leaf(two)),
        (r("LineThree"), Leaf(three)),
        (r("CityName"), Leaf(city)),
        (r("CountryID"), Leaf(country)),
        (r("CountrySubDivisionName"), Leaf(sub)),
    )


def _contact(group: str, name: str, phone: str, mail: str) -> Node:
    return N(
        group,
        (r("PersonName"), Leaf(name, when="unmarked")),
        (r("DepartmentName"), Leaf(name, mark="DepartmentName")),
        (r("TelephoneUniversalCommunication"), N(None, (r("CompleteNumber"), Leaf(phone)))),
        (r("EmailURIUniversalCommunication"), N(None, (r("URIID"), Leaf(mail)))),
    )


def _ids(term: str, scheme: str) -> tuple[tuple[str, Leaf], tuple[str, Leaf]]:
    """``ram:ID`` (no scheme) and ``ram:GlobalID`` (with ``schemeID``) of one term."""
    return (
        (r("ID"), Leaf(term, when="plain")),
        (r("GlobalID"), Leaf(term, {"schemeID": scheme}, when="scheme")),
    )


def _vat_registration(term: str) -> Node:
    return N(None, (r("ID"), Leaf(term, const={"schemeID": "VA"})), repeat=True)


def _vat_only(term: str) -> Switch:
    """A tax registration that is a VAT identifier (``schemeID="VA"``) or nothing of
    EN 16931 (BT-48, BT-63)."""
    return Switch(_scheme, {"VA": _vat_registration(term), "other": N(None)}, "other")


_SELLER = N(
    "BG-4",
    *_ids("BT-29", "BT-29-1"),
    (r("Name"), Leaf("BT-27")),
    (r("Description"), Leaf("BT-33")),
    (
        r("SpecifiedLegalOrganization"),
        N(
            None,
            (r("ID"), Leaf("BT-30", {"schemeID": "BT-30-1"})),
            (r("TradingBusinessName"), Leaf("BT-28")),
        ),
    ),
    (r("DefinedTradeContact"), _contact("BG-6", "BT-41", "BT-42", "BT-43")),
    (
        r("PostalTradeAddress"),
        _address("BG-5", "BT-38", "BT-35", "BT-36", "BT-162", "BT-37", "BT-40", "BT-39"),
    ),
    (r("URIUniversalCommunication"), N(None, (r("URIID"), Leaf("BT-34", {"schemeID": "BT-34-1"})))),
    (
        r("SpecifiedTaxRegistration"),
        Switch(
            _scheme,
            {
                "VA": _vat_registration("BT-31"),
                "other": N(None, (r("ID"), Leaf("BT-32", const={"schemeID": "FC"})), repeat=True),
            },
            "other",
        ),
    ),
)

_BUYER = N(
    "BG-7",
    *_ids("BT-46", "BT-46-1"),
    (r("Name"), Leaf("BT-44")),
    (
        r("SpecifiedLegalOrganization"),
        N(
            None,
            (r("ID"), Leaf("BT-47", {"schemeID": "BT-47-1"})),
            (r("TradingBusinessName"), Leaf("BT-45")),
        ),
    ),
    (r("DefinedTradeContact"), _contact("BG-9", "BT-56", "BT-57", "BT-58")),
    (
        r("PostalTradeAddress"),
        _address("BG-8", "BT-53", "BT-50", "BT-51", "BT-163", "BT-52", "BT-55", "BT-54"),
    ),
    (r("URIUniversalCommunication"), N(None, (r("URIID"), Leaf("BT-49", {"schemeID": "BT-49-1"})))),
    (r("SpecifiedTaxRegistration"), _vat_only("BT-48")),
)

_TAX_REPRESENTATIVE = N(
    "BG-11",
    (r("Name"), Leaf("BT-62")),
    (
        r("PostalTradeAddress"),
        _address("BG-12", "BT-67", "BT-64", "BT-65", "BT-164", "BT-66", "BT-69", "BT-68"),
    ),
    (r("SpecifiedTaxRegistration"), _vat_only("BT-63")),
)


def _reference(term: str) -> Node:
    return N(None, (r("IssuerAssignedID"), Leaf(term)), repeat=True)


_ADDITIONAL_DOCUMENT = Switch(
    _document_type,
    {
        "50": N(
            None,
            (r("IssuerAssignedID"), Leaf("BT-17")),
            (r("TypeCode"), Fixed("50")),
            repeat=True,
        ),
        "130": N(
            None,
            (r("IssuerAssignedID"), Leaf("BT-18")),
            (r("TypeCode"), Fixed("130")),
            (r("ReferenceTypeCode"), Leaf("BT-18-1")),
            repeat=True,
        ),
        "other": N(
            "BG-24",
            (r("IssuerAssignedID"), Leaf("BT-122")),
            (r("URIID"), Leaf("BT-124")),
            (r("TypeCode"), Fixed("916", "BT-122", "ram:TypeCode")),
            (r("Name"), Leaf("BT-123")),
            (
                r("AttachmentBinaryObject"),
                Leaf("BT-125", {"mimeCode": "BT-125-1", "filename": "BT-125-2"}),
            ),
        ),
    },
    "other",
)

_AGREEMENT = N(
    None,
    (r("BuyerReference"), Leaf("BT-10")),
    (r("SellerTradeParty"), _SELLER),
    (r("BuyerTradeParty"), _BUYER),
    (r("SellerTaxRepresentativeTradeParty"), _TAX_REPRESENTATIVE),
    (r("SellerOrderReferencedDocument"), _reference("BT-14")),
    (r("BuyerOrderReferencedDocument"), _reference("BT-13")),
    (r("ContractReferencedDocument"), _reference("BT-12")),
    (r("AdditionalReferencedDocument"), _ADDITIONAL_DOCUMENT),
    (
        r("SpecifiedProcuringProject"),
        N(
            None,
            (r("ID"), Leaf("BT-11")),
            (r("Name"), Fixed("Project reference", "BT-11", "ram:Name")),
            repeat=True,
        ),
    ),
    keep=True,
)

_DELIVERY = N(
    None,
    (
        r("ShipToTradeParty"),
        N(
            "BG-13",
            *_ids("BT-71", "BT-71-1"),
            (r("Name"), Leaf("BT-70")),
            (
                r("PostalTradeAddress"),
                _address("BG-15", "BT-78", "BT-75", "BT-76", "BT-165", "BT-77", "BT-80", "BT-79"),
            ),
            single=True,
            skip_empty=True,
        ),
    ),
    (
        r("ActualDeliverySupplyChainEvent"),
        N(None, date_of("OccurrenceDateTime", "BT-72", at="BG-13")),
    ),
    (r("DespatchAdviceReferencedDocument"), _reference("BT-16")),
    (r("ReceivingAdviceReferencedDocument"), _reference("BT-15")),
    keep=True,
)

_PAYMENT_MEANS = N(
    "BG-16",
    (r("TypeCode"), Leaf("BT-81")),
    (r("Information"), Leaf("BT-82")),
    (
        r("ApplicableTradeSettlementFinancialCard"),
        N("BG-18", (r("ID"), Leaf("BT-87")), (r("CardholderName"), Leaf("BT-88"))),
    ),
    (
        r("PayerPartyDebtorFinancialAccount"),
        N("BG-19", (r("IBANID"), Leaf("BT-91")), single=True, skip_empty=True),
    ),
    (
        r("PayeePartyCreditorFinancialAccount"),
        N(
            "BG-17",
            (r("IBANID"), Leaf("BT-84", when="unmarked")),
            (r("AccountName"), Leaf("BT-85")),
            (r("ProprietaryID"), Leaf("BT-84", mark="ProprietaryID")),
        ),
    ),
    (
        r("PayeeSpecifiedCreditorFinancialInstitution"),
        N(None, (r("BICID"), Leaf("BT-86", at="BG-17"))),
    ),
    adopt=True,
)

_VAT_BREAKDOWN = N(
    "BG-23",
    (r("CalculatedAmount"), Leaf("BT-117")),
    _vat_type("BT-118"),
    (r("ExemptionReason"), Leaf("BT-120")),
    (r("BasisAmount"), Leaf("BT-116")),
    (r("CategoryCode"), Leaf("BT-118")),
    (r("ExemptionReasonCode"), Leaf("BT-121")),
    (
        r("TaxPointDate"),
        N(None, ("{" + UDT + "}DateString", Leaf("BT-7", at="INVOICE", spread=True, date=True))),
    ),
    (r("DueDateTypeCode"), Leaf("BT-8", at="INVOICE", spread=True)),
    (r("RateApplicablePercent"), Leaf("BT-119")),
)


def _allowance_charge(
    group: str,
    percent: str,
    base: str,
    amount: str,
    code: str,
    reason: str,
    category: tuple[str, str] | None,
) -> Node:
    children: list[tuple[str, Binding]] = [
        _indicator("true" if group in ("BG-21", "BG-28") else "false"),
        (r("CalculationPercent"), Leaf(percent)),
        (r("BasisAmount"), Leaf(base)),
        (r("ActualAmount"), Leaf(amount)),
        (r("ReasonCode"), Leaf(code)),
        (r("Reason"), Leaf(reason)),
    ]
    if category is not None:
        cat, rate = category
        children.append(
            (
                r("CategoryTradeTax"),
                N(
                    None,
                    _vat_type(cat),
                    (r("CategoryCode"), Leaf(cat)),
                    (r("RateApplicablePercent"), Leaf(rate)),
                ),
            )
        )
    return N(group, *children)


_DOCUMENT_ALLOWANCE_CHARGE = Switch(
    _charge,
    {
        "false": _allowance_charge(
            "BG-20", "BT-94", "BT-93", "BT-92", "BT-98", "BT-97", ("BT-95", "BT-96")
        ),
        "true": _allowance_charge(
            "BG-21", "BT-101", "BT-100", "BT-99", "BT-105", "BT-104", ("BT-102", "BT-103")
        ),
    },
    "false",
)

_LINE_ALLOWANCE_CHARGE = Switch(
    _charge,
    {
        "false": _allowance_charge("BG-27", "BT-138", "BT-137", "BT-136", "BT-140", "BT-139", None),
        "true": _allowance_charge("BG-28", "BT-143", "BT-142", "BT-141", "BT-145", "BT-144", None),
    },
    "false",
)

_TOTALS = N(
    "BG-22",
    (r("LineTotalAmount"), Leaf("BT-106")),
    (r("ChargeTotalAmount"), Leaf("BT-108")),
    (r("AllowanceTotalAmount"), Leaf("BT-107")),
    (r("TaxBasisTotalAmount"), Leaf("BT-109")),
    (
        r("TaxTotalAmount"),
        Switch(
            _tax_total,
            {
                "document": Leaf("BT-110", currency="BT-5"),
                "accounting": Leaf("BT-111", currency="BT-6"),
            },
            "document",
        ),
    ),
    (r("RoundingAmount"), Leaf("BT-114")),
    (r("GrandTotalAmount"), Leaf("BT-112")),
    (r("TotalPrepaidAmount"), Leaf("BT-113")),
    (r("DuePayableAmount"), Leaf("BT-115")),
    single=True,
)

_SETTLEMENT = N(
    None,
    (r("CreditorReferenceID"), Leaf("BT-90")),
    (r("PaymentReference"), Leaf("BT-83", at="BG-16")),
    (r("TaxCurrencyCode"), Leaf("BT-6")),
    (r("InvoiceCurrencyCode"), Leaf("BT-5")),
    (
        r("PayeeTradeParty"),
        N(
            "BG-10",
            *_ids("BT-60", "BT-60-1"),
            (r("Name"), Leaf("BT-59")),
            (
                r("SpecifiedLegalOrganization"),
                N(None, (r("ID"), Leaf("BT-61", {"schemeID": "BT-61-1"}))),
            ),
        ),
    ),
    (r("SpecifiedTradeSettlementPaymentMeans"), _PAYMENT_MEANS),
    (r("ApplicableTradeTax"), _VAT_BREAKDOWN),
    (
        r("BillingSpecifiedPeriod"),
        N("BG-14", date_of("StartDateTime", "BT-73"), date_of("EndDateTime", "BT-74")),
    ),
    (r("SpecifiedTradeAllowanceCharge"), _DOCUMENT_ALLOWANCE_CHARGE),
    (
        r("SpecifiedTradePaymentTerms"),
        N(
            None,
            (r("Description"), Leaf("BT-20")),
            date_of("DueDateDateTime", "BT-9"),
            (r("DirectDebitMandateID"), Leaf("BT-89", at="BG-16/BG-19")),
        ),
    ),
    (r("SpecifiedTradeSettlementHeaderMonetarySummation"), _TOTALS),
    (
        r("InvoiceReferencedDocument"),
        N(
            "BG-3",
            (r("IssuerAssignedID"), Leaf("BT-25")),
            date_of("FormattedIssueDateTime", "BT-26", ns=QDT),
        ),
    ),
    (r("ReceivableSpecifiedTradeAccountingAccount"), N(None, (r("ID"), Leaf("BT-19")))),
    keep=True,
)

_PRODUCT = N(
    "BG-31",
    (r("GlobalID"), Leaf("BT-157", {"schemeID": "BT-157-1"})),
    (r("SellerAssignedID"), Leaf("BT-155")),
    (r("BuyerAssignedID"), Leaf("BT-156")),
    (r("Name"), Leaf("BT-153")),
    (r("Description"), Leaf("BT-154")),
    (
        r("ApplicableProductCharacteristic"),
        N("BG-32", (r("Description"), Leaf("BT-160")), (r("Value"), Leaf("BT-161"))),
    ),
    (
        r("DesignatedProductClassification"),
        N(
            None,
            (r("ClassCode"), Leaf("BT-158", {"listID": "BT-158-1", "listVersionID": "BT-158-2"})),
            repeat=True,
        ),
    ),
    (r("OriginTradeCountry"), N(None, (r("ID"), Leaf("BT-159")))),
)

_LINE_AGREEMENT = N(
    None,
    (r("BuyerOrderReferencedDocument"), N(None, (r("LineID"), Leaf("BT-132")))),
    (
        r("GrossPriceProductTradePrice"),
        N(
            "BG-29",
            (r("ChargeAmount"), Leaf("BT-148")),
            (r("BasisQuantity"), Leaf("BT-149", {"unitCode": "BT-150"}, mark="gross")),
            (
                r("AppliedTradeAllowanceCharge"),
                N(None, _indicator("false"), (r("ActualAmount"), Leaf("BT-147"))),
            ),
            single=True,
            skip_empty=True,
        ),
    ),
    (
        r("NetPriceProductTradePrice"),
        N(
            "BG-29",
            (r("ChargeAmount"), Leaf("BT-146")),
            (r("BasisQuantity"), Leaf("BT-149", {"unitCode": "BT-150"}, when="unmarked")),
            single=True,
        ),
    ),
    keep=True,
)

_LINE_SETTLEMENT = N(
    None,
    (
        r("ApplicableTradeTax"),
        N(
            "BG-30",
            _vat_type("BT-151"),
            (r("CategoryCode"), Leaf("BT-151")),
            (r("RateApplicablePercent"), Leaf("BT-152")),
        ),
    ),
    (
        r("BillingSpecifiedPeriod"),
        N("BG-26", date_of("StartDateTime", "BT-134"), date_of("EndDateTime", "BT-135")),
    ),
    (r("SpecifiedTradeAllowanceCharge"), _LINE_ALLOWANCE_CHARGE),
    (
        r("SpecifiedTradeSettlementLineMonetarySummation"),
        N(None, (r("LineTotalAmount"), Leaf("BT-131"))),
    ),
    (
        r("AdditionalReferencedDocument"),
        N(
            None,
            (r("IssuerAssignedID"), Leaf("BT-128")),
            (r("TypeCode"), Fixed("130", "BT-128", "ram:TypeCode")),
            (r("ReferenceTypeCode"), Leaf("BT-128-1")),
            repeat=True,
        ),
    ),
    (r("ReceivableSpecifiedTradeAccountingAccount"), N(None, (r("ID"), Leaf("BT-133")))),
    keep=True,
)

_LINE = N(
    "BG-25",
    (
        r("AssociatedDocumentLineDocument"),
        N(
            None,
            (r("LineID"), Leaf("BT-126")),
            (r("IncludedNote"), N(None, (r("Content"), Leaf("BT-127")))),
            keep=True,
        ),
    ),
    (r("SpecifiedTradeProduct"), _PRODUCT),
    (r("SpecifiedLineTradeAgreement"), _LINE_AGREEMENT),
    (
        r("SpecifiedLineTradeDelivery"),
        N(None, (r("BilledQuantity"), Leaf("BT-129", {"unitCode": "BT-130"})), keep=True),
    ),
    (r("SpecifiedLineTradeSettlement"), _LINE_SETTLEMENT),
)

#: The document element's children, in D16B schema order.
ROOT_NODE = N(
    "INVOICE",
    (
        rsm("ExchangedDocumentContext"),
        N(
            None,
            (
                r("BusinessProcessSpecifiedDocumentContextParameter"),
                N(None, (r("ID"), Leaf("BT-23", at="BG-2"))),
            ),
            (
                r("GuidelineSpecifiedDocumentContextParameter"),
                N(None, (r("ID"), Leaf("BT-24", at="BG-2"))),
            ),
            keep=True,
        ),
    ),
    (
        rsm("ExchangedDocument"),
        N(
            None,
            (r("ID"), Leaf("BT-1")),
            (r("TypeCode"), Leaf("BT-3")),
            date_of("IssueDateTime", "BT-2"),
            (
                r("IncludedNote"),
                N("BG-1", (r("Content"), Leaf("BT-22")), (r("SubjectCode"), Leaf("BT-21"))),
            ),
            keep=True,
        ),
    ),
    (
        rsm("SupplyChainTradeTransaction"),
        N(
            None,
            (r("IncludedSupplyChainTradeLineItem"), _LINE),
            (r("ApplicableHeaderTradeAgreement"), _AGREEMENT),
            (r("ApplicableHeaderTradeDelivery"), _DELIVERY),
            (r("ApplicableHeaderTradeSettlement"), _SETTLEMENT),
            keep=True,
        ),
    ),
)
