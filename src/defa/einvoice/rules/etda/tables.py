"""Which check each ETDA Schematron rule id is, document type by document type.

Ids are ETDA's verbatim, as they stand at the start of each ``sch:report`` message in the
ETDA Schematron 2.0 files (``<Type>_Schematron_2p0.sch``); rules ETDA commented out are not
here. Where one id names two reports (``TIV-BuyerTradeParty-001``: no tax registration, or
an empty tax id), its check runs both. Messages are our own.
"""

from __future__ import annotations

from collections.abc import Iterator

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import CheckFn, Finding
from defa.einvoice.rules.etda import checks as c
from defa.einvoice.rules.etda.checks import BUYER, INVOICER, SELLER, Party

__all__ = ["TABLES", "Entry"]

Entry = tuple[str, CheckFn, str, tuple[str, ...]]  # id suffix, check, message, terms

_TXID = c.TXID_LIKE
_SELLER_SCHEMES: frozenset[str | None] = frozenset({"TXID", "NIDN", "", None})
_BUYER_SCHEMES: frozenset[str | None] = frozenset({"TXID", "NIDN", "CCPT", "OTHR", "", None})
_NIDN: frozenset[str | None] = frozenset({"NIDN"})
_CCPT: frozenset[str | None] = frozenset({"CCPT"})


def _both(*checks: CheckFn) -> CheckFn:
    def check(doc: Invoice) -> Iterator[Finding]:
        for one in checks:
            yield from one(doc)

    return check


def _who(p: Party) -> str:
    return {"BG-4": "seller", "BG-7": "buyer"}.get(p.group, "invoicer (issuing for the seller)")


def _tax(p: Party, first: int, *, guard: str = "") -> list[Entry]:
    """The tax registration rules of a seller or invoicer, numbered from ``first``."""
    who = _who(p)
    return [
        (f"{first:03d}", c.tax_id_filled(p), f"The {who}'s tax id is empty.", (p.tax,)),
        (
            f"{first + 1:03d}",
            c.tax_scheme_in(p, _SELLER_SCHEMES),
            f"The {who}'s tax id scheme (schemeID) shall be TXID or NIDN.",
            (p.tax,),
        ),
        (
            f"{first + 2:03d}",
            c.tax_id_length(p, _TXID, 18, guard=guard),
            f"The {who}'s TXID tax id shall have 18 digits (13-digit tax id, 5-digit branch).",
            (p.tax,),
        ),
        (
            f"{first + 3:03d}",
            c.tax_id_length(p, _NIDN, 13),
            f"The {who}'s NIDN id (citizen id) shall have 13 digits.",
            (p.tax,),
        ),
    ]


def _th_address(p: Party, first: int) -> list[Entry]:
    """The Thai structured address rules of a seller or invoicer, numbered from ``first``."""
    who = _who(p)
    return [
        (
            f"{first:03d}",
            c.address_check(p, c.postcode_bad, p.postcode),
            f"The {who}'s postcode shall be given, with 5 digits.",
            (p.postcode,),
        ),
        (
            f"{first + 1:03d}",
            c.address_check(p, c.country_not_th, p.country),
            f"The {who}'s country shall be TH.",
            (p.country,),
        ),
        (
            f"{first + 2:03d}",
            c.address_check(p, c.missing(lambda _p: "TH-BUILDING-NUMBER")),
            f"The {who}'s address shall give the building (house) number.",
            ("TH-BUILDING-NUMBER",),
        ),
        (
            f"{first + 3:03d}",
            c.address_check(p, c.missing(lambda q: q.city)),
            f"The {who}'s address shall give the district (amphoe, CityName).",
            (p.city,),
        ),
        (
            f"{first + 4:03d}",
            c.address_check(p, c.missing(lambda _p: "TH-SUBDIVISION")),
            f"The {who}'s address shall give the sub-district (tambon, CitySubDivisionName).",
            ("TH-SUBDIVISION",),
        ),
        (
            f"{first + 5:03d}",
            c.address_check(p, c.missing(lambda q: q.province)),
            f"The {who}'s address shall give the province code (CountrySubDivisionID).",
            (p.province,),
        ),
    ]


def _seller(*, receipt: bool = False) -> list[Entry]:
    p = SELLER
    entries: list[Entry] = [
        ("001", c.party_name(p), "The seller's name shall be given.", (p.name,)),
        (
            "002",
            c.party_tax_registration(p),
            "The seller's tax registration shall be given.",
            (p.tax,),
        ),
    ]
    if receipt:
        # RCT numbers the rules one on: 003 is both "tax id missing" and "address missing"
        entries.append(
            (
                "003",
                _both(c.party_tax_registration(p), c.party_address(p)),
                "The seller's tax id and postal address shall be given.",
                (p.tax, p.address),
            )
        )
        tax = _tax(p, 3)[1:]
    else:
        tax = _tax(p, 3)
    return entries + tax + _th_address(p, 7)


def _buyer(*, guard: str) -> list[Entry]:
    p = BUYER
    return [
        (
            "001",
            c.party_tax_registration(p, id_filled=True),
            "The buyer's tax registration and tax id shall be given.",
            (p.tax,),
        ),
        (
            "002",
            c.tax_scheme_in(p, _BUYER_SCHEMES),
            "The buyer's tax id scheme (schemeID) shall be TXID, NIDN, CCPT or OTHR.",
            (p.tax,),
        ),
        (
            "003",
            c.tax_id_length(p, _TXID, 18, guard=guard),
            "The buyer's TXID tax id shall have 18 digits (13-digit tax id, 5-digit branch).",
            (p.tax,),
        ),
        (
            "004",
            c.tax_id_length(p, _NIDN, 13),
            "The buyer's NIDN id shall have 13 digits.",
            (p.tax,),
        ),
        (
            "005",
            c.tax_id_length(p, _CCPT, 35, at_most=True),
            "The buyer's passport number (CCPT) shall have at most 35 characters.",
            (p.tax,),
        ),
        (
            "006",
            c.tax_id_is(p, "OTHR", "N/A"),
            "With scheme OTHR the buyer's id shall be N/A.",
            (p.tax,),
        ),
        (
            "007",
            c.address_check(p, c.unstructured_or_structured),
            "The buyer's address shall have a first line, or building number, district, "
            "sub-district and province.",
            (p.line1, "TH-BUILDING-NUMBER", p.city, "TH-SUBDIVISION", p.province),
        ),
        (
            "008",
            c.address_check(p, lambda a, q: c.in_th(a, q) and c.postcode_bad(a, q), p.postcode),
            "A buyer in Thailand shall have a 5-digit postcode.",
            (p.postcode,),
        ),
        (
            "009",
            c.address_check(p, c.missing(lambda q: q.country), p.country),
            "The buyer's country shall be given.",
            (p.country,),
        ),
    ]


def _invoicer(*, guard: str) -> list[Entry]:
    p = INVOICER
    return [
        ("001", c.party_name(p), "The invoicer's name shall be given.", (p.name,)),
        (
            "002",
            c.party_tax_registration(p),
            "The invoicer's tax registration shall be given.",
            (p.tax,),
        ),
        ("003", c.party_address(p), "The invoicer's postal address shall be given.", (p.address,)),
        *_tax(p, 4, guard=guard),
        *_th_address(p, 8),
    ]


def _codes(*codes: str) -> frozenset[str]:
    return frozenset(codes)


_TIV_REFS = _codes("388", "T02", "T03", "T04")
_DEBIT = _codes("DBNG01", "DBNG02", "DBNG99", "DBNS01", "DBNS02", "DBNS99")
_CREDIT = _codes(
    "CDNG01",
    "CDNG02",
    "CDNG03",
    "CDNG04",
    "CDNG05",
    "CDNG99",
    "CDNS01",
    "CDNS02",
    "CDNS03",
    "CDNS04",
    "CDNS99",
)
_DCN_REFS = _TIV_REFS | _codes("80", "81")
_OTHER = "A purpose code meaning 'other' needs the purpose stated (Purpose)."


def _tiv() -> list[tuple[str, list[Entry]]]:
    return [
        (
            "Document",
            [
                (
                    "001",
                    c.type_code_in(_TIV_REFS),
                    "A tax invoice's type code shall be 388, T02, T03 or T04.",
                    ("BT-3",),
                ),
                (
                    "004",
                    c.purpose_code_in(_codes("TIVC01", "TIVC02", "TIVC99"), with_reference=True),
                    "A tax invoice replacing another shall have purpose code TIVC01, TIVC02 "
                    "or TIVC99.",
                    ("TH-PURPOSE-CODE",),
                ),
                ("005", c.purpose_stated(_codes("TIVC99")), _OTHER, ("TH-PURPOSE",)),
                (
                    "006",
                    c.invoicer_not_seller(),
                    "The invoicer's tax id shall differ from the seller's.",
                    ("TH-TAX-ID",),
                ),
            ],
        ),
        (
            "AdditionalReferencedDocument",
            [
                (
                    "001",
                    c.reference_type_in(_TIV_REFS),
                    "A replaced document shall be referred to with type 388, T02, T03 or T04.",
                    ("TH-REFERENCE-TYPE",),
                ),
            ],
        ),
        ("SellerTradeParty", _seller()),
        ("BuyerTradeParty", _buyer(guard="filled")),
        ("InvoicerTradeParty", _invoicer(guard="")),
    ]


def _dcn() -> list[tuple[str, list[Entry]]]:
    return [
        (
            "Document",
            [
                (
                    "001",
                    c.type_code_in(_codes("80", "81")),
                    "A debit or credit note's type code shall be 80 or 81.",
                    ("BT-3",),
                ),
                (
                    "004",
                    c.purpose_code_required(),
                    "A debit or credit note shall have a purpose code.",
                    ("TH-PURPOSE-CODE",),
                ),
                (
                    "005",
                    c.purpose_code_in(_DEBIT, with_reference=True, type_code="80"),
                    "A debit note's purpose code shall be one of DBNG01, DBNG02, DBNG99, DBNS01, "
                    "DBNS02, DBNS99.",
                    ("TH-PURPOSE-CODE",),
                ),
                (
                    "006",
                    c.purpose_code_in(_CREDIT, with_reference=True, type_code="81"),
                    "A credit note's purpose code shall be one of the CDNG and CDNS codes.",
                    ("TH-PURPOSE-CODE",),
                ),
                (
                    "007",
                    c.purpose_stated(_codes("DBNG99", "DBNS99", "CDNG99", "CDNS99")),
                    _OTHER,
                    ("TH-PURPOSE",),
                ),
                (
                    "008",
                    c.invoicer_not_seller(),
                    "The invoicer's tax id shall differ from the seller's.",
                    ("TH-TAX-ID",),
                ),
            ],
        ),
        (
            "AdditionalReferencedDocument",
            [
                (
                    "001",
                    c.reference_type_in(_DCN_REFS, only_with_reference=False),
                    "A debit or credit note shall refer to the document it corrects "
                    "(type 80, 81, 388, T02, T03 or T04).",
                    ("TH-REFERENCE-TYPE",),
                ),
            ],
        ),
        ("SellerTradeParty", _seller()),
        ("BuyerTradeParty", _buyer(guard="")),
        ("InvoicerTradeParty", _invoicer(guard="")),
    ]


def _rct() -> list[tuple[str, list[Entry]]]:
    return [
        (
            "Document",
            [
                (
                    "001",
                    c.type_code_in(_codes("T01")),
                    "A receipt's type code shall be T01.",
                    ("BT-3",),
                ),
                (
                    "002",
                    c.purpose_code_in(_codes("RCTC01", "RCTC02", "RCTC03", "RCTC04", "RCTC99")),
                    "A receipt's purpose code shall be RCTC01, RCTC02, RCTC03, RCTC04 or RCTC99.",
                    ("TH-PURPOSE-CODE",),
                ),
                ("003", c.purpose_stated(_codes("RCTC99")), _OTHER, ("TH-PURPOSE",)),
                (
                    "004",
                    c.invoicer_not_seller(),
                    "The invoicer's tax id shall differ from the seller's.",
                    ("TH-TAX-ID",),
                ),
            ],
        ),
        (
            "AdditionalReferencedDocument",
            [
                (
                    "001",
                    c.reference_type_in(_codes("T01")),
                    "A replaced receipt shall be referred to with type T01.",
                    ("TH-REFERENCE-TYPE",),
                ),
            ],
        ),
        ("SellerTradeParty", _seller(receipt=True)),
        ("BuyerTradeParty", _buyer(guard="scheme")),
        ("InvoicerTradeParty", _invoicer(guard="")),
        (
            "GoodsDetail",
            [
                (
                    "013",
                    c.quantity_on_every_line(),
                    "Every line shall have a billed quantity.",
                    ("BT-129",),
                ),
            ],
        ),
    ]


def _inv() -> list[tuple[str, list[Entry]]]:
    name = "ใบแจ้งหนี้"
    return [
        (
            "Document",
            [
                (
                    "001",
                    c.type_code_in(_codes("380")),
                    "An invoice's type code shall be 380.",
                    ("BT-3",),
                ),
                (
                    "002",
                    c.name_is(name),
                    f"An invoice's document name shall be {name}.",
                    ("TH-DOCUMENT-NAME",),
                ),
                (
                    "003",
                    c.name_is(name, "380"),
                    "The document name does not match type code 380.",
                    ("TH-DOCUMENT-NAME",),
                ),
            ],
        ),
        (
            "SellerTradeParty",
            [("001", c.party_name(SELLER), "The seller's name shall be given.", ("BT-27",))],
        ),
    ]


def _abb() -> list[tuple[str, list[Entry]]]:
    p = SELLER
    th = {"th_only": True}
    return [
        (
            "Document",
            [
                (
                    "001",
                    c.type_code_in(_codes("T05", "T06")),
                    "An abbreviated tax invoice's type code shall be T05 or T06.",
                    ("BT-3",),
                ),
            ],
        ),
        (
            "SellerTradeParty",
            [
                ("001", c.party_name(p), "The seller's name shall be given.", (p.name,)),
                (
                    "002",
                    c.party_tax_registration(p),
                    "The seller's tax registration shall be given.",
                    (p.tax,),
                ),
                (
                    "003",
                    c.party_address(p),
                    "The seller's postal address shall be given.",
                    (p.address,),
                ),
                (
                    "004",
                    c.party_tax_registration(p),
                    "The seller's tax id shall be given.",
                    (p.tax,),
                ),
                *_tax(p, 4)[1:],
                (
                    "008",
                    c.address_check(p, c.missing(lambda q: q.postcode), p.postcode),
                    "The seller's postcode shall be given.",
                    (p.postcode,),
                ),
                (
                    "009",
                    c.address_check(p, c.missing(lambda q: q.country, absent_only=True)),
                    "The seller's country shall be given.",
                    (p.country,),
                ),
                (
                    "010",
                    c.address_check(p, c.missing(lambda _q: "TH-BUILDING-NUMBER", **th)),
                    "A seller in Thailand shall give the building number.",
                    ("TH-BUILDING-NUMBER",),
                ),
                (
                    "011",
                    c.address_check(p, c.missing(lambda q: q.city, absent_only=True, **th)),
                    "A seller in Thailand shall give the district (CityName).",
                    (p.city,),
                ),
                (
                    "012",
                    c.address_check(
                        p, c.missing(lambda _q: "TH-SUBDIVISION", absent_only=True, **th)
                    ),
                    "A seller in Thailand shall give the sub-district.",
                    ("TH-SUBDIVISION",),
                ),
                (
                    "013",
                    c.address_check(p, c.missing(lambda q: q.province, absent_only=True, **th)),
                    "A seller in Thailand shall give the province code.",
                    (p.province,),
                ),
                (
                    "014",
                    c.address_check(p, c.missing(lambda q: q.line1, not_th=True)),
                    "A seller outside Thailand shall give the first address line.",
                    (p.line1,),
                ),
                (
                    "015",
                    c.address_check(p, c.missing(lambda q: q.line2, not_th=True)),
                    "A seller outside Thailand shall give the second address line.",
                    (p.line2,),
                ),
                (
                    "016",
                    c.address_check(p, c.missing(lambda q: q.postcode, **th), p.postcode),
                    "A seller in Thailand shall give the postcode.",
                    (p.postcode,),
                ),
            ],
        ),
    ]


def _cln() -> list[tuple[str, list[Entry]]]:
    return [
        (
            "Document",
            [
                (
                    "001",
                    c.type_code_in(_codes("T07")),
                    "A cancellation note's type code shall be T07.",
                    ("BT-3",),
                ),
            ],
        ),
    ]


#: document type -> [(rule id section, [entries])]
TABLES = {
    "TaxInvoice": _tiv(),
    "DebitCreditNote": _dcn(),
    "Receipt": _rct(),
    "Invoice": _inv(),
    "AbbreviatedTaxInvoice": _abb(),
    "CancellationNote": _cln(),
}
