"""MyInvois field lengths: the "Number of Chars" column of the Document Types tables."""

from __future__ import annotations

from collections.abc import Callable

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.myinvois import MYINVOIS
from defa.einvoice.rules.myinvois._access import walk_terms

__all__: list[str] = []

# (rule id, field, terms, most characters). Identifier lengths that depend on the scheme
# (TIN 14, BRN 20, NRIC/PASSPORT/ARMY 12, SST 35, TTX 17) are one rule, MYINVOIS-L04.
_LENGTHS: tuple[tuple[str, str, tuple[str, ...], int], ...] = (
    ("MYINVOIS-L01", "e-Invoice Code / Number", ("BT-1",), 50),
    ("MYINVOIS-L02", "a party's name", ("BT-27", "BT-44", "MY-SHIP-NAME"), 300),
    ("MYINVOIS-L03", "a party's e-mail", ("BT-43", "BT-58"), 320),
    ("MYINVOIS-L05", "the MSIC code", ("MY-MSIC",), 5),
    ("MYINVOIS-L06", "the business activity description", ("MY-MSIC-NAME",), 300),
    ("MYINVOIS-L07", "an address line", ("BT-162", "BT-163", "MY-SHIP-LINE"), 150),
    ("MYINVOIS-L08", "a city name", ("BT-37", "BT-52", "MY-SHIP-CITY"), 50),
    ("MYINVOIS-L09", "a postal zone", ("BT-38", "BT-53", "MY-SHIP-POSTCODE"), 50),
    ("MYINVOIS-L10", "a state", ("MY-STATE",), 50),
    ("MYINVOIS-L11", "a contact number", ("BT-42", "BT-57"), 20),
    ("MYINVOIS-L12", "the e-Invoice Version", ("MY-VERSION",), 5),
    ("MYINVOIS-L13", "the frequency of billing", ("MY-FREQUENCY",), 50),
    ("MYINVOIS-L14", "the payment terms", ("BT-20",), 300),
    ("MYINVOIS-L15", "the supplier's bank account number", ("BT-84",), 150),
    ("MYINVOIS-L16", "the prepayment reference number", ("MY-PREPAID-ID",), 150),
    ("MYINVOIS-L17", "the bill reference number", ("MY-BILL-REF",), 150),
    ("MYINVOIS-L18", "the details of a tax exemption", ("BT-120", "MY-LINE-TAX-EXEMPTION"), 300),
    ("MYINVOIS-L19", "a product description", ("BT-154",), 300),
    ("MYINVOIS-L20", "the certified exporter's authorisation number", ("MY-CERTEX",), 300),
)

_ID_LENGTHS = {"TIN": 14, "BRN": 20, "NRIC": 12, "PASSPORT": 12, "ARMY": 12, "SST": 35, "TTX": 17}


def _longer(terms: tuple[str, ...], most: int) -> Callable[[Invoice], Findings]:
    def check(doc: Invoice) -> Findings:
        for term in terms:
            for t in walk_terms(doc, term):
                if len(t.text.strip()) > most:
                    yield t, {"length": len(t.text.strip()), "max": most}

    return check


for _id, _field, _terms, _most in _LENGTHS:
    MYINVOIS.rule(
        _id, "error", f"The {_field} shall have at most {_most} characters.", terms=_terms
    )(_longer(_terms, _most))


@MYINVOIS.rule(
    "MYINVOIS-L04",
    "error",
    "A party identifier shall have at most the characters of its scheme (TIN 14, BRN 20, "
    "NRIC, PASSPORT and ARMY 12, SST 35, TTX 17).",
    terms=("BT-29", "BT-46", "MY-SHIP-ID"),
)
def identifier_lengths(doc: Invoice) -> Findings:
    for term, scheme_term in (
        ("BT-29", "BT-29-1"),
        ("BT-46", "BT-46-1"),
        ("MY-SHIP-ID", "MY-SHIP-ID-SCHEME"),
    ):
        for g in doc.walk():
            if term not in g.terms:
                continue
            schemes = {t.loc: t.text.strip() for t in g.all(scheme_term)}
            for t in g.all(term):
                most = _ID_LENGTHS.get(schemes.get(f"{t.loc}/@schemeID", ""))
                if most is not None and len(t.text.strip()) > most:
                    yield t, {"length": len(t.text.strip()), "max": most}
