"""MyInvois code tables ("Code Tables"): each coded field takes a code of its table."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from defa.einvoice.model import Group, Invoice, Term
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.myinvois import MYINVOIS
from defa.einvoice.rules.myinvois._access import SCHEMES, codes, lines, walk_terms

__all__: list[str] = []

_MALAYSIA = "MYS"


def _outside(table: str, found: Iterator[Term]) -> Findings:
    allowed = codes(table)
    for t in found:
        text = t.text.strip()
        if text and text not in allowed:
            yield t, {"value": text[:40]}


def _table(table: str, term: str) -> Callable[[Invoice], Findings]:
    def check(doc: Invoice) -> Findings:
        yield from _outside(table, walk_terms(doc, term))

    return check


# (rule id, message, table, term): every occurrence of the term, anywhere in the document
_TABLES: tuple[tuple[str, str, str, str], ...] = (
    (
        "MYINVOIS-40",
        "The e-Invoice Type Code shall be a code of the e-Invoice Types table.",
        "einvoice_types",
        "BT-3",
    ),
    (
        "MYINVOIS-42",
        "The invoice currency shall be a code of the Currency Codes table.",
        "currencies",
        "BT-5",
    ),
    (
        "MYINVOIS-43",
        "The tax currency shall be a code of the Currency Codes table.",
        "currencies",
        "BT-6",
    ),
    (
        "MYINVOIS-44",
        "The supplier's MSIC code shall be a code of the MSIC table.",
        "msic",
        "MY-MSIC",
    ),
    (
        "MYINVOIS-47",
        "The payment mode shall be a code of the Payment Modes table.",
        "payment_modes",
        "BT-81",
    ),
    (
        "MYINVOIS-50",
        "The unit of measurement shall be a code of the Unit Types table.",
        "units",
        "BT-130",
    ),
)

for _id, _message, _name, _term in _TABLES:
    MYINVOIS.rule(_id, "error", _message, terms=(_term,))(_table(_name, _term))


@MYINVOIS.rule(
    "MYINVOIS-41",
    "error",
    "The e-Invoice Version (cbc:InvoiceTypeCode/@listVersionID) shall be 1.0 or 1.1.",
    terms=("MY-VERSION",),
)
def version(doc: Invoice) -> Findings:
    for t in doc.all("MY-VERSION"):
        if t.text.strip() not in ("1.0", "1.1"):
            yield t, {"value": t.text.strip()[:40]}


_COUNTRIES = ("BT-40", "BT-55", "MY-SHIP-COUNTRY", "BT-159")


@MYINVOIS.rule(
    "MYINVOIS-46",
    "error",
    "A country (of an address, or of origin) shall be a code of the Country Codes table "
    "(ISO 3166-1 alpha-3).",
    terms=_COUNTRIES,
)
def countries(doc: Invoice) -> Findings:
    for term in _COUNTRIES:
        yield from _outside("countries", walk_terms(doc, term))


_ADDRESS_COUNTRY = {"BG-5": "BT-40", "BG-8": "BT-55", "MY-SHIP-ADDRESS": "MY-SHIP-COUNTRY"}


def _addresses(doc: Invoice) -> Iterator[Group]:
    for g in doc.walk():
        if g.id in _ADDRESS_COUNTRY:
            yield g


@MYINVOIS.rule(
    "MYINVOIS-45",
    "error",
    "The state of a Malaysian address shall be a code of the State Codes table.",
    terms=("MY-STATE",),
)
def states(doc: Invoice) -> Findings:
    for address in _addresses(doc):
        if (address.value(_ADDRESS_COUNTRY[address.id]) or "").strip() == _MALAYSIA:
            yield from _outside("states", iter(address.all("MY-STATE")))


@MYINVOIS.rule(
    "MYINVOIS-48",
    "error",
    "A tax type shall be a code of the Tax Types table.",
    terms=("BT-118", "MY-LINE-TAX-TYPE"),
)
def tax_types(doc: Invoice) -> Findings:
    yield from _outside("tax_types", walk_terms(doc, "BT-118"))
    yield from _outside("tax_types", walk_terms(doc, "MY-LINE-TAX-TYPE"))


@MYINVOIS.rule(
    "MYINVOIS-49",
    "error",
    "A classification (cbc:ItemClassificationCode[@listID='CLASS']) shall be a code of the "
    "Classification Codes table.",
    terms=("BT-158", "BT-158-1"),
)
def classifications(doc: Invoice) -> Findings:
    for line in lines(doc):
        item = line.child("BG-31")
        if item is None:
            continue
        schemes = {t.loc: t.text.strip() for t in item.all("BT-158-1")}
        classes = (t for t in item.all("BT-158") if schemes.get(f"{t.loc}/@listID") == "CLASS")
        yield from _outside("classifications", classes)


@MYINVOIS.rule(
    "MYINVOIS-26",
    "error",
    "A party identifier's scheme (@schemeID) shall be TIN, BRN, NRIC, PASSPORT, ARMY, SST or TTX.",
    terms=("BT-29-1", "BT-46-1", "MY-SHIP-ID-SCHEME"),
)
def identifier_schemes(doc: Invoice) -> Findings:
    for party, term in (("BG-4", "BT-29-1"), ("BG-7", "BT-46-1")):
        holder = doc.child(party)
        for t in holder.all(term) if holder is not None else ():
            if t.text.strip() not in SCHEMES:
                yield t, {"value": t.text.strip()[:40]}
    for t in walk_terms(doc, "MY-SHIP-ID-SCHEME"):
        if t.text.strip() not in SCHEMES:
            yield t, {"value": t.text.strip()[:40]}


@MYINVOIS.rule(
    "MYINVOIS-51",
    "error",
    "An e-invoice in a currency other than MYR shall give the exchange rate to MYR "
    "(cac:TaxExchangeRate/cbc:CalculationRate).",
    terms=("BT-5", "MY-EXCHANGE-RATE"),
)
def exchange_rate(doc: Invoice) -> Findings:
    currency = (doc.value("BT-5") or "").strip()
    if not currency or currency == "MYR":
        return
    rate = doc.child("MY-EXCHANGE")
    if rate is None or not rate.has("MY-EXCHANGE-RATE"):
        yield rate or doc
