"""CII counts and value rules of the EN 16931 artefacts: the CII-SR-* and CII-DT-* assertions
that are not "should not be present" (those are rows of ``en16931-cii-restrictions``).

The CII schema lets many elements repeat that EN 16931 allows once; these rules count them in
each context element (the exchanged document, a line's trade agreement, the monetary
summation, ...). The plain counts are rows of :data:`COUNTS`; the rest are written out from
the meaning of each assertion. Rules and flags follow ``EN16931-CII-syntax.sch`` of the
validation artefacts 1.3.16 (queryBinding xslt2, so XPath 2.0 comparisons); messages are our
own.
"""

from __future__ import annotations

import re

from defa.einvoice.rules.en16931 import EN16931
from defa.einvoice.rules.en16931._syntax import (
    ContextRules,
    Contexts,
    Element,
    Guard,
    Test,
    string_value,
)
from defa.einvoice.rules.en16931.syntax_cii import CII, index, kids

__all__ = ["COUNTS"]

_RULES = ContextRules(EN16931, "cii-cardinality", "cii", CII)
_clark = CII.clark


def _norm(text: str) -> str:
    return " ".join(text.split())


# -- contexts --------------------------------------------------------------------------------


def _at_root(root: Element) -> list[Element]:
    return [root]


_CONTEXTS: dict[str, Contexts] = {}


def _at(path: str) -> Contexts:
    """The context named by ``path``: ``//a/b`` for every ``b`` element whose parent is an
    ``a``, else the elements at that path below the root. One function per path, so the rules
    of a context share it."""
    found = _CONTEXTS.get(path)
    if found is None:
        if path.startswith("//"):
            tags = [_clark(step) for step in path[2:].split("/")]
            found = _CONTEXTS[path] = lambda root: [
                el for el in index(root).all(tags[-1]) if _ends_with(el, tags)
            ]
        else:
            found = _CONTEXTS[path] = lambda root: kids(root, path)
    return found


def _ends_with(el: Element, tags: list[str]) -> bool:
    node = el
    for tag in reversed(tags):
        if node is None or node.tag != tag:
            return False
        node = node.getparent()
    return True


_TRANSACTION = "rsm:SupplyChainTradeTransaction"
_CONTEXT = "rsm:ExchangedDocumentContext"
_DOCUMENT = "rsm:ExchangedDocument"
_LINE = f"{_TRANSACTION}/ram:IncludedSupplyChainTradeLineItem"
_PRODUCT = f"{_LINE}/ram:SpecifiedTradeProduct"
_LINE_AGREEMENT = f"{_LINE}/ram:SpecifiedLineTradeAgreement"
_LINE_SETTLEMENT = f"{_LINE}/ram:SpecifiedLineTradeSettlement"
_AGREEMENT = f"{_TRANSACTION}/ram:ApplicableHeaderTradeAgreement"
_DELIVERY = f"{_TRANSACTION}/ram:ApplicableHeaderTradeDelivery"
_SETTLEMENT = f"{_TRANSACTION}/ram:ApplicableHeaderTradeSettlement"
_SUMMATION = f"{_SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
_ALLOWANCE_CHARGE = "//ram:SpecifiedTradeAllowanceCharge"
_DATE_TIME_STRING = _clark("udt:DateTimeString")


def _dates_102(root: Element) -> list[Element]:
    """``//udt:DateTimeString[@format = '102']``."""
    return [el for el in index(root).all(_DATE_TIME_STRING) if el.get("format") == "102"]


# -- counts ----------------------------------------------------------------------------------

# (rule id, flag, context, child path counted, "<=" or "=", limit, what it is)
COUNTS: tuple[tuple[str, str, str, str, str, int, str], ...] = (
    ("CII-SR-003", "warning", _CONTEXT, "ram:BusinessProcessSpecifiedDocumentContextParameter",
     "<=", 1, "business process context (BT-23)"),
    ("CII-SR-009", "fatal", _CONTEXT, "ram:GuidelineSpecifiedDocumentContextParameter", "=", 1,
     "specification identifier context (BT-24)"),
    ("CII-SR-010", "fatal", _CONTEXT, "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
     "=", 1, "specification identifier (BT-24)"),
    ("CII-SR-014", "fatal", _DOCUMENT, "ram:TypeCode", "=", 1, "invoice type code (BT-3)"),
    ("CII-SR-030", "warning", f"{_DOCUMENT}/ram:IncludedNote", "ram:Content", "<=", 1,
     "text of an invoice note (BT-22)"),
    ("CII-SR-039", "warning", f"{_LINE}/ram:AssociatedDocumentLineDocument", "ram:IncludedNote",
     "<=", 1, "invoice line note (BT-127)"),
    ("CII-SR-040", "warning", f"{_LINE}/ram:AssociatedDocumentLineDocument",
     "ram:IncludedNote/ram:Content", "<=", 1, "invoice line note text (BT-127)"),
    ("CII-SR-069", "fatal", f"{_PRODUCT}/ram:ApplicableProductCharacteristic",
     "ram:Description", "=", 1, "item attribute name (BT-160) of an item attribute"),
    ("CII-SR-072", "fatal", f"{_PRODUCT}/ram:ApplicableProductCharacteristic", "ram:Value",
     "=", 1, "item attribute value (BT-161) of an item attribute"),
    ("CII-SR-439", "fatal", _LINE_AGREEMENT, "ram:NetPriceProductTradePrice/ram:ChargeAmount",
     "=", 1, "item net price (BT-146)"),
    ("CII-SR-441", "fatal", _LINE_AGREEMENT, "ram:NetPriceProductTradePrice/ram:ChargeAmount",
     "<=", 1, "item net price (BT-146)"),
    ("CII-SR-471", "fatal", _ALLOWANCE_CHARGE, "ram:RateApplicablePercent", "<=", 1,
     "rate (ram:RateApplicablePercent) of an allowance or charge"),
    ("CII-SR-472", "fatal", _ALLOWANCE_CHARGE, "ram:CategoryTradeTax", "<=", 1,
     "VAT category (BT-95, BT-102) of an allowance or charge"),
    ("CII-SR-473", "fatal", _ALLOWANCE_CHARGE, "ram:ActualAmount", "<=", 1,
     "amount (BT-92, BT-99, BT-136, BT-141) of an allowance or charge"),
    ("CII-SR-454", "warning", _LINE_SETTLEMENT, "ram:ApplicableTradeTax", "=", 1,
     "line VAT information (BG-30)"),
    ("CII-SR-459", "fatal", _AGREEMENT, "ram:SellerTradeParty/ram:URIUniversalCommunication",
     "<=", 1, "seller electronic address (BT-34)"),
    ("CII-SR-460", "fatal", _AGREEMENT, "ram:BuyerTradeParty/ram:URIUniversalCommunication",
     "<=", 1, "buyer electronic address (BT-49)"),
    ("CII-SR-455", "fatal", _AGREEMENT, "ram:SellerTradeParty/ram:DefinedTradeContact", "<=", 1,
     "seller contact (BG-6)"),
    ("CII-SR-456", "fatal", _AGREEMENT, "ram:BuyerTradeParty/ram:DefinedTradeContact", "<=", 1,
     "buyer contact (BG-9)"),
    ("CII-SR-452", "warning", _SETTLEMENT, "ram:SpecifiedTradePaymentTerms", "<=", 1,
     "payment terms group"),
    ("CII-SR-453", "warning", _SETTLEMENT, "ram:SpecifiedTradePaymentTerms/ram:Description",
     "<=", 1, "payment terms (BT-20)"),
    ("CII-SR-461", "fatal", _SETTLEMENT, "ram:ApplicableTradeTax/ram:TaxPointDate", "<=", 1,
     "VAT point date (BT-7)"),
    ("CII-SR-440", "fatal", "//ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge",
     "ram:ActualAmount", "<=", 1, "item price discount (BT-147)"),
)  # fmt: skip

# The monetary summation's amounts, each at most once (CII-SR-477..494).
_TOTALS = (
    ("CII-SR-477", "LineTotalAmount", " (BT-106)"),
    ("CII-SR-478", "ChargeTotalAmount", " (BT-108)"),
    ("CII-SR-479", "AllowanceTotalAmount", " (BT-107)"),
    ("CII-SR-480", "TaxBasisTotalAmount", " (BT-109)"),
    ("CII-SR-481", "RoundingAmount", " (BT-114)"),
    ("CII-SR-482", "GrandTotalAmount", " (BT-112)"),
    ("CII-SR-483", "InformationAmount", ""),
    ("CII-SR-484", "TotalPrepaidAmount", " (BT-113)"),
    ("CII-SR-485", "TotalDiscountAmount", ""),
    ("CII-SR-486", "TotalAllowanceChargeAmount", ""),
    ("CII-SR-487", "DuePayableAmount", " (BT-115)"),
    ("CII-SR-488", "RetailValueExcludingTaxInformationAmount", ""),
    ("CII-SR-489", "TotalDepositFeeInformationAmount", ""),
    ("CII-SR-490", "ProductValueExcludingTobaccoTaxInformationAmount", ""),
    ("CII-SR-491", "TotalRetailValueInformationAmount", ""),
    ("CII-SR-492", "GrossLineTotalAmount", ""),
    ("CII-SR-493", "NetLineTotalAmount", ""),
    ("CII-SR-494", "NetIncludingTaxesLineTotalAmount", ""),
)


def _count(path: str, op: str, limit: int) -> Test:
    if op == "=":
        return lambda ctx: len(kids(ctx, path)) == limit
    return lambda ctx: len(kids(ctx, path)) <= limit


def _times(limit: int) -> str:
    return "once" if limit == 1 else f"{limit} times"


for _id, _flag, _where, _path, _op, _limit, _what in COUNTS:
    _RULES.register(
        _id,
        _flag,
        f"The {_what} {'must' if _flag == 'fatal' else 'should'} occur "
        f"{'exactly' if _op == '=' else 'at most'} {_times(_limit)}.",
        _at(_where),
        _count(_path, _op, _limit),
        # An "at most N" count cannot fail where the document has at most N such elements.
        (_clark(_path.rsplit("/", 1)[-1]), _limit) if _op == "<=" else None,
    )

for _id, _name, _bt in _TOTALS:
    _RULES.register(
        _id,
        "fatal",
        f"The document totals may give ram:{_name}{_bt} at most once.",
        _at(_SUMMATION),
        _count(f"ram:{_name}", "<=", 1),
        (_clark(f"ram:{_name}"), 1),
    )


# -- the rest, written out -------------------------------------------------------------------


def _type_code_is(ref: Element, code: str, normalized: bool) -> bool:
    """``ram:TypeCode = code`` (any of them, as XPath compares a node-set with a string), or
    ``normalize-space(ram:TypeCode) = code`` (the first)."""
    codes = kids(ref, "ram:TypeCode")
    if normalized:
        return bool(codes) and _norm(string_value(codes[0])) == code
    return any(string_value(c) == code for c in codes)


def _documents_at_most_once(code: str, normalized: bool, below: str = "") -> Test:
    """At most one additional document of type ``code`` (or of its ``below`` children)."""

    def test(agreement: Element) -> bool:
        refs = [
            r
            for r in kids(agreement, "ram:AdditionalReferencedDocument")
            if _type_code_is(r, code, normalized)
        ]
        if below:
            return sum(len(kids(r, below)) for r in refs) <= 1
        return len(refs) <= 1

    return test


def _not_both(party: str, first: str, second: str) -> Test:
    """``not(party/first and party/second)``: both may not be there (over all its elements)."""
    one, two = f"{party}/{first}", f"{party}/{second}"
    return lambda ctx: not (kids(ctx, one) and kids(ctx, two))


def _sr090(product: Element) -> bool:
    countries = kids(product, "ram:OriginTradeCountry")
    return not countries or len(kids(product, "ram:OriginTradeCountry/ram:ID")) == 1


def _is_false(indicator: Element) -> bool:
    """``ram:ChargeIndicator[udt:Indicator = false()]``: XPath 2.0 casts the indicator's value
    to a boolean ("false" or "0") before comparing."""
    return any(
        string_value(i).strip(" \t\r\n") in ("false", "0") for i in kids(indicator, "udt:Indicator")
    )


def _sr119(agreement: Element) -> bool:
    discounts = kids(agreement, "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge")
    indicators = [i for d in discounts for i in kids(d, "ram:ChargeIndicator")]
    amounts = any(kids(d, "ram:ActualAmount") for d in discounts)
    return (any(_is_false(i) for i in indicators) and amounts) or (not indicators and not amounts)


def _sr462(settlement: Element) -> bool:
    root = settlement.getroottree().getroot()
    taxes = index(root).all(_clark("ram:ApplicableTradeTax"))
    return len({string_value(c) for t in taxes for c in kids(t, "ram:DueDateTypeCode")}) <= 1


def _sr470(settlement: Element) -> bool:
    for means in kids(settlement, "ram:SpecifiedTradeSettlementPaymentMeans"):
        codes = kids(means, "ram:TypeCode")
        if codes and _norm(string_value(codes[0])) in ("30", "58"):
            account = "ram:PayeePartyCreditorFinancialAccount"
            if not (
                kids(means, f"{account}/ram:IBANID") or kids(means, f"{account}/ram:ProprietaryID")
            ):
                return False
    return True


def _all_equal(name: str) -> Test:
    """Every ``//ram:SpecifiedTradeSettlementPaymentMeans/name`` has the first one's value
    (after normalize-space)."""
    tag = _clark("ram:SpecifiedTradeSettlementPaymentMeans")

    def test(root: Element) -> bool:
        values = [_norm(string_value(v)) for m in index(root).all(tag) for v in kids(m, name)]
        return len(set(values)) <= 1

    return test


def _sr469(root: Element) -> bool:
    settlements = index(root).all(_clark("ram:ApplicableHeaderTradeSettlement"))
    return sum(len(kids(s, "ram:PaymentReference")) for s in settlements) <= 1


def _sr463(allowance_charge: Element) -> bool:
    return bool(kids(allowance_charge, "ram:ChargeIndicator"))


_YYYYMMDD = re.compile(r"[ \t\r\n]*\d{4}(?:1[0-2]|0[1-9])(?:3[01]|[12][0-9]|0[1-9])[ \t\r\n]*")


def _dt097(date_time: Element) -> bool:
    return _YYYYMMDD.fullmatch(string_value(date_time)) is not None


_SELLER = "ram:SellerTradeParty"
_BUYER = "ram:BuyerTradeParty"
_WRITTEN: tuple[tuple[str, str, str, Contexts, Test, Guard], ...] = (
    ("CII-SR-090", "fatal", "An item country of origin (BT-159) must have exactly one country "
     "code.", _at(_PRODUCT), _sr090, None),
    ("CII-SR-119", "warning", "An item price discount (BT-147) should be an allowance "
     "(ChargeIndicator false) with its amount.", _at(_LINE_AGREEMENT), _sr119, None),
    ("CII-SR-463", "fatal", "An allowance or charge must have a charge indicator.",
     _at(_ALLOWANCE_CHARGE), _sr463, None),
    ("CII-SR-474", "warning", "An invoice line may have at most one invoiced object "
     "reference (document type 130).", _at(_LINE_SETTLEMENT),
     _documents_at_most_once("130", True), (_clark("ram:AdditionalReferencedDocument"), 1)),
    ("CII-SR-457", "warning", "At most one tender or lot reference (BT-17, document type 50) "
     "may be given.", _at(_AGREEMENT), _documents_at_most_once("50", False),
     (_clark("ram:AdditionalReferencedDocument"), 1)),
    ("CII-SR-458", "warning", "At most one invoiced object identifier (BT-18, document type "
     "130) may be given.", _at(_AGREEMENT), _documents_at_most_once("130", False),
     (_clark("ram:AdditionalReferencedDocument"), 1)),
    ("CII-SR-475", "warning", "At most one supporting document description (BT-123, type 916) "
     "should be given.", _at(_AGREEMENT), _documents_at_most_once("916", True, "ram:Name"),
     (_clark("ram:Name"), 1)),
    ("CII-SR-476", "warning", "At most one attached supporting document (BT-125, type 916) "
     "should be given.", _at(_AGREEMENT),
     _documents_at_most_once("916", True, "ram:AttachmentBinaryObject"),
     (_clark("ram:AttachmentBinaryObject"), 1)),
    ("CII-SR-465", "warning", "The seller contact should give a contact point (BT-41) as a "
     "person or as a department, not both.", _at(_AGREEMENT),
     _not_both(_SELLER, "ram:DefinedTradeContact/ram:PersonName",
               "ram:DefinedTradeContact/ram:DepartmentName"), None),
    ("CII-SR-466", "warning", "The buyer contact should give a contact point (BT-56) as a "
     "person or as a department, not both.", _at(_AGREEMENT),
     _not_both(_BUYER, "ram:DefinedTradeContact/ram:PersonName",
               "ram:DefinedTradeContact/ram:DepartmentName"), None),
    ("CII-SR-450", "warning", "The buyer identifier (BT-46) should be given as ram:ID or as "
     "ram:GlobalID, not both.", _at(_AGREEMENT), _not_both(_BUYER, "ram:ID", "ram:GlobalID"),
     None),
    ("CII-SR-449", "warning", "The deliver-to location identifier (BT-71) should be given as "
     "ram:ID or as ram:GlobalID, not both.", _at(_DELIVERY),
     _not_both("ram:ShipToTradeParty", "ram:ID", "ram:GlobalID"), None),
    ("CII-SR-451", "warning", "The payee identifier (BT-60) should be given as ram:ID or as "
     "ram:GlobalID, not both.", _at(_SETTLEMENT),
     _not_both("ram:PayeeTradeParty", "ram:ID", "ram:GlobalID"), None),
    ("CII-SR-462", "fatal", "All VAT breakdowns must give the same VAT point date code (BT-8), "
     "if any.", _at(_SETTLEMENT), _sr462, (_clark("ram:DueDateTypeCode"), 1)),
    ("CII-SR-470", "fatal", "A credit transfer (payment means 30 or 58) must give the payment "
     "account identifier (BT-84).", _at(_SETTLEMENT), _sr470, None),
    ("CII-SR-467", "fatal", "All payment means type codes (BT-81) must be equal.", _at_root,
     _all_equal("ram:TypeCode"), None),
    ("CII-SR-468", "fatal", "All payment means texts (BT-82) must be equal.", _at_root,
     _all_equal("ram:Information"), (_clark("ram:Information"), 1)),
    ("CII-SR-469", "fatal", "The remittance information (BT-83) must occur at most once.",
     _at_root, _sr469, (_clark("ram:PaymentReference"), 1)),
    ("CII-DT-097", "fatal", "A date with format 102 must be written YYYYMMDD.", _dates_102,
     _dt097, None),
)  # fmt: skip

for _id, _flag, _msg, _ctx, _fn, _guard in _WRITTEN:
    _RULES.register(_id, _flag, _msg, _ctx, _fn, _guard)
