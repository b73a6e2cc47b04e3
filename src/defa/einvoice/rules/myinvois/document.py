"""MyInvois mandatory fields of the document, its parties, totals, notes and signature.

From the field tables of MyInvois "Document Types" v1.0/v1.1 (Invoice, Credit Note, Debit
Note, Refund Note and their self-billed forms share them): a field marked Mandatory with
cardinality [1-1] or [1-*] must be there.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.myinvois import MYINVOIS
from defa.einvoice.rules.myinvois._access import (
    PARTY_IDS,
    REGISTRATION_SCHEMES,
    group_at,
    identifiers,
    types,
)

__all__: list[str] = []

# (rule id, message, group path, term): a mandatory term of a group that is there (the
# group's own absence is a rule of its own)
_REQUIRED: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("MYINVOIS-01", "An e-invoice shall have an e-Invoice Code / Number (cbc:ID).", (), "BT-1"),
    ("MYINVOIS-02", "An e-invoice shall have an e-Invoice Date (cbc:IssueDate).", (), "BT-2"),
    (
        "MYINVOIS-03",
        "An e-invoice shall have an e-Invoice Time (cbc:IssueTime).",
        (),
        "IBT-168",
    ),
    (
        "MYINVOIS-04",
        "An e-invoice shall have an e-Invoice Type Code (cbc:InvoiceTypeCode).",
        (),
        "BT-3",
    ),
    (
        "MYINVOIS-05",
        "An e-invoice shall have an e-Invoice Version (cbc:InvoiceTypeCode/@listVersionID).",
        (),
        "MY-VERSION",
    ),
    ("MYINVOIS-06", "An e-invoice shall have an Invoice Currency Code.", (), "BT-5"),
    (
        "MYINVOIS-10",
        "The supplier shall have a name (cac:PartyLegalEntity/cbc:RegistrationName).",
        ("BG-4",),
        "BT-27",
    ),
    (
        "MYINVOIS-13",
        "The supplier shall have an MSIC code (cbc:IndustryClassificationCode).",
        ("BG-4",),
        "MY-MSIC",
    ),
    (
        "MYINVOIS-14",
        "The supplier shall have a business activity description (its MSIC code's @name).",
        ("BG-4",),
        "MY-MSIC-NAME",
    ),
    (
        "MYINVOIS-20",
        "The buyer shall have a name (cac:PartyLegalEntity/cbc:RegistrationName).",
        ("BG-7",),
        "BT-44",
    ),
    (
        "MYINVOIS-30",
        "An e-invoice shall have a Total Excluding Tax (cbc:TaxExclusiveAmount).",
        ("BG-22",),
        "BT-109",
    ),
    (
        "MYINVOIS-31",
        "An e-invoice shall have a Total Including Tax (cbc:TaxInclusiveAmount).",
        ("BG-22",),
        "BT-112",
    ),
    (
        "MYINVOIS-32",
        "An e-invoice shall have a Total Payable Amount (cbc:PayableAmount).",
        ("BG-22",),
        "BT-115",
    ),
)


def _required(path: tuple[str, ...], term: str) -> Callable[[Invoice], Findings]:
    def check(doc: Invoice) -> Findings:
        group = group_at(doc, *path)
        if group is not None and not group.has(term):
            yield group

    return check


for _id, _message, _path, _term in _REQUIRED:
    MYINVOIS.rule(_id, "error", _message, terms=(_term,))(_required(_path, _term))


@MYINVOIS.rule(
    "MYINVOIS-09",
    "error",
    "An e-invoice shall have a supplier (cac:AccountingSupplierParty).",
    terms=("BG-4",),
)
def supplier_present(doc: Invoice) -> Findings:
    if doc.child("BG-4") is None:
        yield doc


@MYINVOIS.rule(
    "MYINVOIS-19",
    "error",
    "An e-invoice shall have a buyer (cac:AccountingCustomerParty).",
    terms=("BG-7",),
)
def buyer_present(doc: Invoice) -> Findings:
    if doc.child("BG-7") is None:
        yield doc


@MYINVOIS.rule(
    "MYINVOIS-33",
    "error",
    "An e-invoice shall have a Total Tax Amount (cac:TaxTotal/cbc:TaxAmount).",
    terms=("BT-110",),
)
def total_tax(doc: Invoice) -> Findings:
    totals = doc.child("BG-22")
    if totals is None or not totals.has("BT-110"):
        yield totals or doc


@MYINVOIS.rule(
    "MYINVOIS-34",
    "error",
    "An e-invoice shall have legal monetary totals (cac:LegalMonetaryTotal).",
    terms=("BG-22",),
)
def totals_present(doc: Invoice) -> Findings:
    if doc.child("BG-22") is None:
        yield doc


def _party_ids(doc: Invoice, party_id: str, scheme: str, registration: bool) -> Findings:
    party = doc.child(party_id)
    if party is None:
        return
    term, scheme_term = PARTY_IDS[party_id]
    found = identifiers(party, term, scheme_term)
    if registration:
        count = sum(len(v) for k, v in found.items() if k in REGISTRATION_SCHEMES)
    else:
        count = len(found.get(scheme, ()))
    if count != 1:
        yield party, {"found": count}


_REGISTRATION = (
    "registration, identification or passport number (schemeID BRN, NRIC, PASSPORT or ARMY)"
)

# The identifiers each party shall or should give: rule id -> (severity, message, party
# group, schemeID ("" with registration=True: any of the registration schemes), terms).
_PARTY_IDS: dict[str, tuple[str, str, str, str, bool, tuple[str, ...]]] = {
    "MYINVOIS-11": (
        "error",
        "The supplier shall have exactly one TIN (cac:PartyIdentification/cbc:ID"
        "[@schemeID='TIN']).",
        "BG-4", "TIN", False, ("BT-29", "BT-29-1"),
    ),
    "MYINVOIS-12": (
        "error", f"The supplier shall have exactly one {_REGISTRATION}.",
        "BG-4", "", True, ("BT-29", "BT-29-1"),
    ),
    "MYINVOIS-17": (
        "warning",
        "The supplier should give an SST registration number, 'NA' when not registered for "
        "SST (schemeID SST).",
        "BG-4", "SST", False, ("BT-29", "BT-29-1"),
    ),
    "MYINVOIS-18": (
        "warning",
        "The supplier should give a tourism tax registration number, 'NA' when not "
        "registered (schemeID TTX).",
        "BG-4", "TTX", False, ("BT-29", "BT-29-1"),
    ),
    "MYINVOIS-21": (
        "error",
        "The buyer shall have exactly one TIN (cac:PartyIdentification/cbc:ID"
        "[@schemeID='TIN']).",
        "BG-7", "TIN", False, ("BT-46", "BT-46-1"),
    ),
    "MYINVOIS-22": (
        "error", f"The buyer shall have exactly one {_REGISTRATION}.",
        "BG-7", "", True, ("BT-46", "BT-46-1"),
    ),
    "MYINVOIS-25": (
        "warning",
        "The buyer should give an SST registration number, 'NA' when not available "
        "(schemeID SST).",
        "BG-7", "SST", False, ("BT-46", "BT-46-1"),
    ),
}  # fmt: skip


def _party_id_check(party: str, scheme: str, registration: bool) -> Callable[[Invoice], Findings]:
    def check(doc: Invoice) -> Findings:
        yield from _party_ids(doc, party, scheme, registration)

    return check


for _id, (_severity, _message, _holder, _scheme, _registration, _terms) in _PARTY_IDS.items():
    MYINVOIS.rule(_id, _severity, _message, terms=_terms)(
        _party_id_check(_holder, _scheme, _registration)
    )


# the address of each party: (party, address group, line, city, country terms)
_ADDRESSES = {
    "MYINVOIS-15": ("supplier", "BG-4", "BG-5", "BT-162", "BT-37", "BT-40"),
    "MYINVOIS-24": ("buyer", "BG-7", "BG-8", "BT-163", "BT-52", "BT-55"),
}


def _address(
    party: str, address: str, line: str, city: str, country: str
) -> Callable[[Invoice], Findings]:
    def check(doc: Invoice) -> Findings:
        holder = doc.child(party)
        if holder is None:
            return
        where = holder.child(address)
        if where is None:
            yield holder, {"missing": "cac:PostalAddress"}
            return
        missing = [
            name
            for name, term in (
                ("cac:AddressLine/cbc:Line", line),
                ("cbc:CityName", city),
                ("cbc:CountrySubentityCode", "MY-STATE"),
                ("cac:Country/cbc:IdentificationCode", country),
            )
            if not where.has(term) and not (term == line and where.has("BT-35"))
        ]
        if missing:
            yield where, {"missing": missing}

    return check


for _id, (_who, _party, _addr, _line, _city, _country) in _ADDRESSES.items():
    MYINVOIS.rule(
        _id,
        "error",
        f"The {_who}'s address shall have an address line, a city, a state and a country.",
        terms=(_addr, _line, _city, "MY-STATE", _country),
    )(_address(_party, _addr, _line, _city, _country))


@MYINVOIS.rule(
    "MYINVOIS-16",
    "error",
    "The supplier shall have a contact number (cac:Contact/cbc:Telephone).",
    terms=("BT-42",),
)
def supplier_phone(doc: Invoice) -> Findings:
    party = doc.child("BG-4")
    contact = party.child("BG-6") if party is not None else None
    if party is not None and (contact is None or not contact.has("BT-42")):
        yield contact or party


@MYINVOIS.rule(
    "MYINVOIS-23",
    "error",
    "The buyer shall have a contact number (cac:Contact/cbc:Telephone; 'NA' for a "
    "consolidated e-invoice).",
    terms=("BT-57",),
)
def buyer_phone(doc: Invoice) -> Findings:
    party = doc.child("BG-7")
    contact = party.child("BG-9") if party is not None else None
    if party is not None and (contact is None or not contact.has("BT-57")):
        yield contact or party


# xsd:time: hh:mm:ss, optional fraction, optional zone (the field takes "15:30:00Z")
_TIME = re.compile(r"\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")


@MYINVOIS.rule(
    "MYINVOIS-07",
    "error",
    "The e-Invoice Date shall be a date (YYYY-MM-DD) and the e-Invoice Time a time "
    "(hh:mm:ss, UTC 'Z').",
    terms=("BT-2", "IBT-168"),
)
def date_time(doc: Invoice) -> Findings:
    issued = doc.term("BT-2")
    if issued is not None and issued.text.strip() and issued.date() is None:
        yield issued
    for t in doc.all("IBT-168"):
        if t.text.strip() and not _TIME.fullmatch(t.text.strip()):
            yield t


_NOTES = frozenset({"credit-note", "debit-note", "refund-note"})


@MYINVOIS.rule(
    "MYINVOIS-80",
    "warning",
    "A credit, debit or refund note should reference the original e-invoice: its number "
    "and LHDN unique identifier (cac:BillingReference/cac:InvoiceDocumentReference: cbc:ID "
    "and cbc:UUID).",
    terms=("BG-3", "BT-25", "MY-REF-UUID"),
)
def note_reference(doc: Invoice) -> Findings:
    code = (doc.value("BT-3") or "").strip()
    kind = types().get(code, {}).get("kind")
    if kind not in _NOTES:
        return
    refs = doc.children("BG-3")
    if not refs:
        yield doc
    for ref in refs:
        if not ref.has("BT-25") or not ref.has("MY-REF-UUID"):
            yield ref


_SIGNATURE_ID = "urn:oasis:names:specification:ubl:signature:Invoice"
_SIGNATURE_METHOD = "urn:oasis:names:specification:ubl:dsig:enveloped:xades"


@MYINVOIS.rule(
    "MYINVOIS-90",
    "error",
    "A version 1.1 e-invoice shall carry the issuer's digital signature (ext:UBLExtensions "
    "and cac:Signature).",
    terms=("MY-VERSION", "MY-UBL-EXTENSIONS", "MY-SIGNATURE-ID"),
)
def signature_present(doc: Invoice) -> Findings:
    if (doc.value("MY-VERSION") or "").strip() != "1.1":
        return
    if not doc.has("MY-UBL-EXTENSIONS") or not doc.has("MY-SIGNATURE-ID"):
        yield doc


@MYINVOIS.rule(
    "MYINVOIS-91",
    "error",
    f"cac:Signature shall have the ID {_SIGNATURE_ID} and the method {_SIGNATURE_METHOD}.",
    terms=("MY-SIGNATURE-ID", "MY-SIGNATURE-METHOD"),
)
def signature_reference(doc: Invoice) -> Findings:
    for t in doc.all("MY-SIGNATURE-ID"):
        if t.text.strip() != _SIGNATURE_ID:
            yield t
    if doc.has("MY-SIGNATURE-ID"):
        methods = doc.all("MY-SIGNATURE-METHOD")
        if not methods:
            yield doc
        for t in methods:
            if t.text.strip() != _SIGNATURE_METHOD:
                yield t
