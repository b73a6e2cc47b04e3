"""The ETDA e-Tax Invoice 2.0 binding of the semantic model, one table per document type.

ETDA's six document types (ขมธอ. 3-2560, version 2.0) are subsets of the UN/CEFACT Cross
Industry Invoice in namespaces of their own, one pair per type::

    urn:etda:uncefact:data:standard:<Type>_CrossIndustryInvoice:2                 (rsm:)
    urn:etda:uncefact:data:standard:<Type>_ReusableAggregateBusinessInformationEntity:2 (ram:)

Element paths and their order are those of the ETDA XSDs (``XMLSchemaV2/ETDA/data/standard``);
the types differ in a few places (the order of payment-terms children, a debit/credit note's
original and difference amounts, an abbreviated tax invoice's missing buyer), so each type has
its own table, built once from the same parts.

Where ETDA means what EN 16931 means, the term is EN 16931's (seller BG-4, buyer BG-7, lines
BG-25, VAT breakdown BG-23, totals BG-22, the preceding invoice BG-3 ...). What only ETDA
carries has ids of its own, ``TH-...`` (the Thai structured address: building number, tambon;
the document's name and purpose code; the party issuing on the seller's behalf, ...). A
party's tax registration (``ram:SpecifiedTaxRegistration/ram:ID``: a 13-digit tax id plus a
5-digit branch number, or a 13-digit citizen id) is carried as the party's VAT identifier
(BT-31, BT-48) with its ``schemeID`` (TXID, NIDN, CCPT, OTHR) kept in ``Term.attrs``.

Dates: ETDA's ``IssueDateTime`` and the like are ``xs:dateTime``; the reader keeps the date as
the term's value (``YYYY-MM-DD``, as the model wants) and the time in ``attrs["@time"]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from lxml import etree

from defa.einvoice.syntax._xmlmap import Binding, Fixed, Leaf, Node, Switch

if TYPE_CHECKING:
    from defa.einvoice.syntax._read import Reader

__all__ = [
    "BUYER",
    "DATETIME_TERMS",
    "DOCUMENT_TYPES",
    "INVOICER",
    "QDT",
    "SELLER",
    "UDT",
    "DocumentType",
    "Party",
    "by_root",
    "document_type",
    "prefixes",
    "ram",
    "root_node",
    "rsm",
]

QDT = "urn:etda:uncefact:data:standard:QualifiedDataType:1"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:16"
DSIG = "http://www.w3.org/2000/09/xmldsig#"

#: Terms read from ``xs:dateTime`` elements: value ``YYYY-MM-DD``, time in ``attrs["@time"]``.
DATETIME_TERMS = frozenset(
    {"BT-2", "TH-CREATION-DATETIME", "BT-26", "TH-ORDER-DATE", "BT-72", "BT-9", "TH-EXPIRY"}
)


@dataclass(frozen=True, slots=True)
class DocumentType:
    """One ETDA document type: its root name, rule prefix and type codes (ExchangedDocument)."""

    name: str  # TaxInvoice, Receipt, ...
    prefix: str  # the prefix of its Schematron rule ids: TIV, RCT, ...
    type_codes: frozenset[str]
    title: str

    @property
    def rsm(self) -> str:
        return rsm(self.name)

    @property
    def ram(self) -> str:
        return ram(self.name)

    @property
    def root(self) -> str:
        """The Clark name of its document element."""
        return f"{{{self.rsm}}}{self.name}_CrossIndustryInvoice"


def rsm(type_name: str) -> str:
    return f"urn:etda:uncefact:data:standard:{type_name}_CrossIndustryInvoice:2"


def ram(type_name: str) -> str:
    return (
        f"urn:etda:uncefact:data:standard:{type_name}_ReusableAggregateBusinessInformationEntity:2"
    )


#: The six document types and their codes (ETDA code list ThaiDocumentNameCode_Invoice and
#: UNTDID 1001 for 380, 388, 80, 81), as the ETDA Schematron's ``*-Document-001`` rules name them.
DOCUMENT_TYPES: dict[str, DocumentType] = {
    t.name: t
    for t in (
        DocumentType("TaxInvoice", "TIV", frozenset({"388", "T02", "T03", "T04"}), "tax invoice"),
        DocumentType("Invoice", "INV", frozenset({"380"}), "invoice"),
        DocumentType("Receipt", "RCT", frozenset({"T01"}), "receipt"),
        DocumentType("DebitCreditNote", "DCN", frozenset({"80", "81"}), "debit or credit note"),
        DocumentType("CancellationNote", "CLN", frozenset({"T07"}), "cancellation note"),
        DocumentType(
            "AbbreviatedTaxInvoice", "ABB", frozenset({"T05", "T06"}), "abbreviated tax invoice"
        ),
    )
}

_BY_ROOT = {t.root: t for t in DOCUMENT_TYPES.values()}


def by_root(tag: str) -> DocumentType | None:
    """The document type whose document element has this Clark name."""
    return _BY_ROOT.get(tag)


def document_type(type_code: str | None) -> DocumentType | None:
    """The document type a type code (BT-3) belongs to, if any."""
    code = (type_code or "").strip()
    return next((t for t in DOCUMENT_TYPES.values() if code in t.type_codes), None)


class Party(NamedTuple):
    """The term and group ids one party's elements carry."""

    group: str
    id: str
    name: str
    tax: str
    contact: str
    person: str
    email: str
    phone: str
    address: str
    postcode: str
    line1: str
    line2: str
    line3: str
    city: str
    country: str
    province: str


def _th_party(group: str) -> Party:
    """A party EN 16931 has no group for: every term an ETDA one, in the party's group."""
    return Party(
        group, "TH-PARTY-ID", "TH-PARTY-NAME", "TH-TAX-ID", "TH-CONTACT", "TH-CONTACT-NAME",
        "TH-EMAIL", "TH-PHONE", "TH-ADDRESS", "TH-POSTCODE", "TH-LINE-1", "TH-LINE-2",
        "TH-LINE-3", "TH-CITY", "TH-COUNTRY", "TH-PROVINCE",
    )  # fmt: skip


SELLER = Party(
    "BG-4", "BT-29", "BT-27", "BT-31", "BG-6", "BT-41", "BT-43", "BT-42",
    "BG-5", "BT-38", "BT-35", "BT-36", "BT-162", "BT-37", "BT-40", "BT-39",
)  # fmt: skip
BUYER = Party(
    "BG-7", "BT-46", "BT-44", "BT-48", "BG-9", "BT-56", "BT-58", "BT-57",
    "BG-8", "BT-53", "BT-50", "BT-51", "BT-163", "BT-52", "BT-55", "BT-54",
)  # fmt: skip
SHIP_TO = Party(
    "BG-13", "BT-71", "BT-70", "TH-TAX-ID", "TH-CONTACT", "TH-CONTACT-NAME", "TH-EMAIL",
    "TH-PHONE", "BG-15", "BT-78", "BT-75", "BT-76", "BT-165", "BT-77", "BT-80", "BT-79",
)  # fmt: skip
PAYEE = _th_party("BG-10")._replace(id="BT-60", name="BT-59")
SHIP_FROM = _th_party("TH-SHIP-FROM")
INVOICER = _th_party("TH-INVOICER")  # issues the document on the seller's behalf
INVOICEE = _th_party("TH-INVOICEE")
PAYER = _th_party("TH-PAYER")


class _Tables:
    """Builds one document type's table; ``r`` makes the type's ``ram:`` names."""

    def __init__(self, t: DocumentType) -> None:
        self.t = t
        self.ns = "{" + t.ram + "}"

    def r(self, name: str) -> str:
        return self.ns + name

    @staticmethod
    def n(group: str | None, *children: tuple[str, Binding], **kw: object) -> Node:
        return Node(group, tuple(children), **kw)  # type: ignore[arg-type]

    def note(self, group: str, subject: str, content: str) -> Node:
        r = self.r
        return self.n(group, (r("Subject"), Leaf(subject)), (r("Content"), Leaf(content)))

    def party(self, p: Party, **kw: object) -> Node:
        r, n = self.r, self.n
        email = (
            "EmailURICIUniversalCommunication"
            if self.t.name == "CancellationNote"
            else "EmailURIUniversalCommunication"
        )
        return n(
            p.group,
            (r("ID"), Leaf(p.id, when="plain")),
            (r("GlobalID"), Leaf(p.id, {"schemeID": f"{p.id}-1"}, when="scheme")),
            (r("Name"), Leaf(p.name)),
            (r("SpecifiedTaxRegistration"), n(None, (r("ID"), Leaf(p.tax)))),
            (
                r("DefinedTradeContact"),
                n(
                    p.contact,
                    (r("PersonName"), Leaf(p.person)),
                    (r("DepartmentName"), Leaf("TH-DEPARTMENT")),
                    (
                        r(email),
                        n(
                            None,
                            (r("URIID"), Leaf(p.email)),
                            (r("CompleteNumber"), Leaf("TH-EMAIL-TEXT")),
                        ),
                    ),
                    (
                        r("TelephoneUniversalCommunication"),
                        n(None, (r("CompleteNumber"), Leaf(p.phone))),
                    ),
                ),
            ),
            (
                r("PostalTradeAddress"),
                n(
                    p.address,
                    (r("PostcodeCode"), Leaf(p.postcode)),
                    (r("BuildingName"), Leaf("TH-BUILDING-NAME")),
                    (r("LineOne"), Leaf(p.line1)),
                    (r("LineTwo"), Leaf(p.line2)),
                    (r("LineThree"), Leaf(p.line3)),
                    (r("LineFour"), Leaf("TH-LINE-4")),
                    (r("LineFive"), Leaf("TH-LINE-5")),
                    (r("StreetName"), Leaf("TH-STREET")),
                    (r("CityName"), Leaf(p.city)),  # amphoe: a TIS 1099 code
                    (r("CitySubDivisionName"), Leaf("TH-SUBDIVISION")),  # tambon: TIS 1099
                    (r("CountryID"), Leaf(p.country)),
                    (r("CountrySubDivisionID"), Leaf(p.province)),  # changwat: TIS 1099
                    (r("BuildingNumber"), Leaf("TH-BUILDING-NUMBER")),
                ),
            ),
            **kw,
        )

    def datetime(self, tag: str, term: str, **kw: object) -> tuple[str, Leaf]:
        return self.r(tag), Leaf(term, **kw)  # type: ignore[arg-type]

    def allowance_charge(self, allowance: tuple[str, ...], charge: tuple[str, ...]) -> Switch:
        """``ram:SpecifiedTradeAllowanceCharge``: an allowance or a charge by its indicator."""
        r = self.r

        def case(group: str, terms: tuple[str, ...], value: str) -> Node:
            amount, code, reason = terms
            return self.n(
                group,
                (r("ChargeIndicator"), Fixed(value, amount, "ram:ChargeIndicator", pending=True)),
                (r("ActualAmount"), Leaf(amount)),
                (r("ReasonCode"), Leaf(code)),
                (r("Reason"), Leaf(reason)),
                (r("TypeCode"), Leaf("TH-ALLOWANCE-TYPE")),
            )

        indicator = r("ChargeIndicator")

        def select(el: etree._Element, _reader: Reader) -> str:
            for child in el:
                if child.tag == indicator:
                    text = (child.text or "").strip().lower()
                    return "true" if text in ("true", "1") else "false"
            return "false"

        return Switch(
            select,
            {"false": case(allowance[0], allowance[1:], "false"),
             "true": case(charge[0], charge[1:], "true")},
            "false",
        )  # fmt: skip

    def tax(self, group: str, rate: str, basis: str, amount: str) -> Node:
        r = self.r
        return self.n(
            group,
            (r("TypeCode"), Fixed("VAT", rate, "ram:TypeCode", pending=True)),
            (r("CalculatedRate"), Leaf(rate)),
            (r("BasisAmount"), Leaf(basis)),
            (r("CalculatedAmount"), Leaf(amount)),
        )

    def agreement(self) -> Node:
        r, n = self.r, self.n
        children: list[tuple[str, Binding]] = [(r("SellerTradeParty"), self.party(SELLER))]
        if self.t.name not in ("AbbreviatedTaxInvoice", "CancellationNote"):
            children += [
                (r("BuyerTradeParty"), self.party(BUYER)),
                (
                    r("ApplicableTradeDeliveryTerms"),
                    n(None, (r("DeliveryTypeCode"), Leaf("TH-DELIVERY-TERMS"))),
                ),
                (
                    r("BuyerOrderReferencedDocument"),
                    n(
                        None,
                        (r("IssuerAssignedID"), Leaf("BT-13")),
                        self.datetime("IssueDateTime", "TH-ORDER-DATE"),
                        (r("ReferenceTypeCode"), Leaf("TH-ORDER-TYPE")),
                    ),
                ),
            ]
        if self.t.name != "AbbreviatedTaxInvoice":
            # the document this one corrects, replaces or cancels
            children.append(
                (
                    r("AdditionalReferencedDocument"),
                    n(
                        "BG-3",
                        (r("IssuerAssignedID"), Leaf("BT-25")),
                        self.datetime("IssueDateTime", "BT-26"),
                        (r("ReferenceTypeCode"), Leaf("TH-REFERENCE-TYPE")),
                    ),
                )
            )
        return n(None, *children, keep=True)

    def delivery(self) -> Node:
        r, n = self.r, self.n
        return n(
            None,
            (r("ShipToTradeParty"), self.party(SHIP_TO, single=True)),
            (r("ShipFromTradeParty"), self.party(SHIP_FROM)),
            (
                r("ActualDeliverySupplyChainEvent"),
                n(None, self.datetime("OccurrenceDateTime", "BT-72", at="BG-13")),
            ),
            keep=True,
        )

    def settlement(self) -> Node:
        r, n = self.r, self.n
        if self.t.name == "CancellationNote":
            return n(None, (r("InvoicerTradeParty"), self.party(INVOICER)), keep=True)
        terms_type = (r("TypeCode"), Leaf("TH-PAYMENT-TERMS-TYPE"))
        terms: list[tuple[str, Binding]] = [
            (r("Description"), Leaf("BT-20")),
            self.datetime("DueDateDateTime", "BT-9"),
        ]
        if self.t.name in ("Receipt", "DebitCreditNote"):
            terms.insert(0, terms_type)
        else:
            terms.append(terms_type)
        totals: list[tuple[str, Binding]] = [
            (r("LineTotalAmount"), Leaf("BT-106")),
            (r("AllowanceTotalAmount"), Leaf("BT-107")),
            (r("ChargeTotalAmount"), Leaf("BT-108")),
            (r("TaxBasisTotalAmount"), Leaf("BT-109")),
            (r("TaxTotalAmount"), Leaf("BT-110")),
            (r("GrandTotalAmount"), Leaf("BT-112")),
        ]
        if self.t.name == "DebitCreditNote":
            # the amount of the document corrected, and the difference this note makes
            totals.insert(0, (r("OriginalInformationAmount"), Leaf("TH-ORIGINAL-AMOUNT")))
            totals.insert(2, (r("DifferenceInformationAmount"), Leaf("TH-DIFFERENCE-AMOUNT")))
        children: list[tuple[str, Binding]] = [
            (r("InvoiceCurrencyCode"), Leaf("BT-5")),
            (r("ApplicableTradeTax"), self.tax("BG-23", "BT-119", "BT-116", "BT-117")),
            (
                r("SpecifiedTradeAllowanceCharge"),
                self.allowance_charge(
                    ("BG-20", "BT-92", "BT-98", "BT-97"), ("BG-21", "BT-99", "BT-105", "BT-104")
                ),
            ),
            (r("SpecifiedTradePaymentTerms"), n(None, *terms, repeat=True)),
            (
                r("SpecifiedTradeSettlementHeaderMonetarySummation"),
                n("BG-22", *totals, single=True),
            ),
        ]
        if self.t.name != "AbbreviatedTaxInvoice":
            children += [
                (r("InvoicerTradeParty"), self.party(INVOICER)),
                (r("InvoiceeTradeParty"), self.party(INVOICEE)),
                (r("PayerTradeParty"), self.party(PAYER)),
                (r("PayeeTradeParty"), self.party(PAYEE)),
            ]
        return n(None, *children, keep=True)

    def product(self) -> Node:
        r, n = self.r, self.n
        description = (r("Description"), Leaf("BT-154"))
        children: list[tuple[str, Binding]] = [
            (r("ID"), Leaf("BT-155")),
            (r("GlobalID"), Leaf("BT-157", {"schemeID": "BT-157-1"})),
            (r("Name"), Leaf("BT-153")),
            (
                r("IndividualTradeProductInstance"),
                n(
                    "TH-PRODUCT-INSTANCE",
                    (r("BatchID"), Leaf("TH-BATCH")),
                    self.datetime("ExpiryDateTime", "TH-EXPIRY"),
                ),
            ),
            (r("OriginTradeCountry"), n(None, (r("ID"), Leaf("BT-159")))),
            (
                r("InformationNote"),
                self.note("TH-PRODUCT-NOTE", "TH-NOTE-SUBJECT", "TH-NOTE-CONTENT"),
            ),
        ]
        if self.t.name == "AbbreviatedTaxInvoice":
            children.append(description)
        else:
            children.insert(3, description)
            children.insert(
                5,
                (
                    r("DesignatedProductClassification"),
                    n(
                        None,
                        (r("ClassCode"), Leaf("BT-158", {"listID": "BT-158-1"})),
                        (r("ClassName"), Leaf("TH-CLASS-NAME")),
                    ),
                ),
            )
        return n("BG-31", *children, keep=True)

    def line(self) -> Node:
        r, n = self.r, self.n
        applied = (
            "AppliedCITradeAllowanceCharge"
            if self.t.name == "DebitCreditNote"
            else "AppliedTradeAllowanceCharge"
        )
        price = n(
            "BG-29",
            (r("ChargeAmount"), Leaf("BT-148")),
            (
                r(applied),
                n(
                    None,
                    (r("ChargeIndicator"), Fixed("false", "BT-147", "ram:ChargeIndicator", True)),
                    (r("ActualAmount"), Leaf("BT-147")),
                    (r("ReasonCode"), Leaf("TH-PRICE-ALLOWANCE-REASON-CODE")),
                    (r("Reason"), Leaf("TH-PRICE-ALLOWANCE-REASON")),
                    (r("TypeCode"), Leaf("TH-ALLOWANCE-TYPE")),
                    repeat=True,
                ),
            ),
            single=True,
            skip_empty=True,
        )
        return n(
            "BG-25",
            (
                r("AssociatedDocumentLineDocument"),
                n(None, (r("LineID"), Leaf("BT-126")), keep=True),
            ),
            (r("SpecifiedTradeProduct"), self.product()),
            (
                r("SpecifiedLineTradeAgreement"),
                n(None, (r("GrossPriceProductTradePrice"), price), keep=True),
            ),
            (
                r("SpecifiedLineTradeDelivery"),
                n(
                    None,
                    (r("BilledQuantity"), Leaf("BT-129", {"unitCode": "BT-130"})),
                    (r("PerPackageUnitQuantity"), Leaf("TH-PER-PACKAGE-QUANTITY")),
                    keep=True,
                ),
            ),
            (
                r("SpecifiedLineTradeSettlement"),
                n(
                    None,
                    (
                        r("ApplicableTradeTax"),
                        self.tax("BG-30", "BT-152", "TH-LINE-TAX-BASIS", "TH-LINE-TAX-AMOUNT"),
                    ),
                    (
                        r("SpecifiedTradeAllowanceCharge"),
                        self.allowance_charge(
                            ("BG-27", "BT-136", "BT-140", "BT-139"),
                            ("BG-28", "BT-141", "BT-145", "BT-144"),
                        ),
                    ),
                    (
                        r("SpecifiedTradeSettlementLineMonetarySummation"),
                        n(
                            None,
                            (r("TaxTotalAmount"), Leaf("TH-LINE-TAX-TOTAL")),
                            (r("NetLineTotalAmount"), Leaf("BT-131")),
                            (r("NetIncludingTaxesLineTotalAmount"), Leaf("TH-LINE-TOTAL-WITH-TAX")),
                            keep=True,
                        ),
                    ),
                    keep=True,
                ),
            ),
        )

    def root(self) -> Node:
        r, n = self.r, self.n
        rsm_ = "{" + self.t.rsm + "}"
        document: list[tuple[str, Binding]] = [
            (r("ID"), Leaf("BT-1")),
            (r("Name"), Leaf("TH-DOCUMENT-NAME")),
            (r("TypeCode"), Leaf("BT-3")),
            self.datetime("IssueDateTime", "BT-2"),
            (r("Purpose"), Leaf("TH-PURPOSE")),
            (r("PurposeCode"), Leaf("TH-PURPOSE-CODE")),
            (r("GlobalID"), Leaf("TH-GLOBAL-ID")),
            self.datetime("CreationDateTime", "TH-CREATION-DATETIME"),
            (r("IncludedNote"), self.note("BG-1", "TH-NOTE-SUBJECT", "BT-22")),
        ]
        if self.t.name == "CancellationNote":
            document = [d for d in document if d[0] != r("PurposeCode")]
        transaction: list[tuple[str, Binding]] = [
            (r("ApplicableHeaderTradeAgreement"), self.agreement()),
        ]
        if self.t.name != "CancellationNote":
            transaction.append((r("ApplicableHeaderTradeDelivery"), self.delivery()))
        transaction.append((r("ApplicableHeaderTradeSettlement"), self.settlement()))
        if self.t.name != "CancellationNote":
            transaction.append((r("IncludedSupplyChainTradeLineItem"), self.line()))
        return n(
            "INVOICE",
            (
                rsm_ + "ExchangedDocumentContext",
                n(
                    None,
                    (
                        r("GuidelineSpecifiedDocumentContextParameter"),
                        n(None, (r("ID"), Leaf("BT-24", at="BG-2")), keep=True),
                    ),
                    keep=True,
                ),
            ),
            (rsm_ + "ExchangedDocument", n(None, *document, keep=True)),
            (rsm_ + "SupplyChainTradeTransaction", n(None, *transaction, keep=True)),
        )


@cache
def root_node(type_name: str) -> Node:
    """The binding table of one document type (built once)."""
    return _Tables(DOCUMENT_TYPES[type_name]).root()


def prefixes(t: DocumentType) -> dict[str, str]:
    """Namespace -> prefix, for locations (``/rsm:.../ram:...``)."""
    return {t.rsm: "rsm", t.ram: "ram", QDT: "qdt", UDT: "udt", DSIG: "ds"}
