"""Peppol BIS 3 identifier format rules by ICD/EAS scheme (PEPPOL-COMMON-R040 ... R050).

Each rule applies to an electronic address (``cbc:EndpointID``), a party identifier
(``cac:PartyIdentification/cbc:ID``) or a legal or tax registration id (``cbc:CompanyID``)
whose ``schemeID`` names the scheme, wherever it sits in the document.

The checks are written from what the Peppol rules specify, which is not always what the
national registers specify: Peppol's Norwegian check refuses ``000000000``, its Belgian
check ignores the leading-digit rule, its Italian VAT check has no office-code test, its
GLN check takes any length. python-stdnum's Luhn is used where Peppol prescribes Luhn.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from stdnum import luhn

from defa.einvoice.model import Invoice
from defa.einvoice.rules._tree import (
    CAC,
    CBC,
    Element,
    TreeView,
    is_number,
    loc,
    norm,
    text,
    view,
)
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.peppol import rule

__all__ = [
    "au_abn",
    "be_enterprise_number",
    "dk_cvr",
    "gln",
    "it_codice_fiscale",
    "it_ipa_code",
    "it_partita_iva",
    "no_orgnr",
    "se_orgnr",
    "se_orgnr_check_digit",
]

_DIGITS = re.compile(r"[0-9]+")
_ALNUM_ASCII = re.compile(r"[A-Za-z0-9]*")
_LETTERS_ASCII = re.compile(r"[A-Za-z]*")
_XS_INTEGER = re.compile(r"\s*[+-]?[0-9]+\s*")
_PIVA_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # each digit doubled, digits summed


def gln(value: str) -> bool:
    """GS1 Global Location Number (ICD 0088): digits, GS1 mod-10 check digit (any length)."""
    if not _DIGITS.fullmatch(value):
        return False
    body = value[:-1]
    # Weights 3, 1, 3, ... from the digit next to the check digit leftwards.
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == int(value[-1])


def _mod11(value: str) -> bool:
    """Peppol's modulus 11 (weights 2..7 from the right); the number must be above zero."""
    body = value[:-1]
    total = sum(int(d) * (i % 6 + 2) for i, d in enumerate(reversed(body)))
    return int(value) > 0 and (11 - total % 11) % 11 == int(value[-1])


def no_orgnr(value: str) -> bool:
    """Norwegian organisation number (ICD 0192): nine digits, modulus 11."""
    return len(value) == 9 and value.isascii() and value.isdigit() and _mod11(value)


def dk_cvr(value: str) -> bool:
    """Danish CVR (ICD 0184): eight digits, optionally prefixed DK (format only)."""
    if len(value) == 10 and value.startswith("DK"):
        value = value[2:]
    return len(value) == 8 and value.isascii() and value.isdigit()


def be_enterprise_number(value: str) -> bool:
    """Belgian enterprise number (ICD 0208): ten digits, the last two 97 - (first 8 mod 97)."""
    if not (len(value) == 10 and value.isascii() and value.isdigit()):
        return False
    return int(value[8:]) == 97 - int(value[:8]) % 97


def it_ipa_code(value: str) -> bool:
    """Italian IPA code (ICD 0201): six ASCII letters or digits."""
    return len(value) == 6 and bool(_ALNUM_ASCII.fullmatch(value))


def _letters(value: str) -> bool:
    return bool(_LETTERS_ASCII.fullmatch(value))


def _integer(value: str) -> bool:
    return bool(_XS_INTEGER.fullmatch(value))


def it_codice_fiscale(value: str) -> bool:
    """Italian tax code (ICD 0210, EAS 9907): 11 digits, or 16 characters of the personal
    code's shape (letters, digits and letters where the code has them; no check character).
    """
    if len(value) == 11:
        return _integer(value)
    if len(value) != 16:
        return False
    return (
        _letters(value[0:6])
        and _integer(value[6:8])
        and _letters(value[8])
        and _integer(value[9:11])
        and _integer(value[14])
        and _letters(value[15])
    )


def it_partita_iva(value: str) -> bool:
    """Italian VAT number (ICD 0211): when prefixed IT, eleven digits with a Luhn-style
    check; identifiers without the IT prefix are not judged by Peppol.
    """
    if value[:2] not in ("IT", "it"):
        return True
    number = value[2:]
    if not (len(number) == 11 and number.isascii() and number.isdigit()):
        return False
    total = sum(_PIVA_DOUBLED[int(d)] if i % 2 else int(d) for i, d in enumerate(number))
    return total % 10 == 0


def se_orgnr(value: str) -> bool:
    """Swedish organisation number (ICD 0007): ten digits, Luhn check digit."""
    return len(value) == 10 and value.isascii() and value.isdigit() and bool(luhn.is_valid(value))


def se_orgnr_check_digit(value: str) -> bool:
    """Peppol's Swedish check digit test (SE-R-013): digits only, at least ten, and the
    tenth is the Luhn check digit of the first nine (further digits are not looked at).
    """
    if not (value.isascii() and value.isdigit()) or len(value) < 10:
        return False
    return bool(luhn.is_valid(value[:10]))


def au_abn(value: str) -> bool:
    """Australian Business Number (ICD 0151): eleven digits, weighted sum mod 89 = 0."""
    if not (len(value) == 11 and value.isascii() and value.isdigit()):
        return False
    weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    digits = [int(value[0]) - 1, *(int(d) for d in value[1:])]
    return sum(w * d for w, d in zip(weights, digits, strict=True)) % 89 == 0


def _identifiers(u: TreeView) -> dict[str, list[Element]]:
    """Endpoint ids, party ids and company ids of the document, by schemeID (once)."""
    key = "identifiers_by_scheme"
    if u.known(key):
        return u.memo(key)  # type: ignore[no-any-return]
    found: dict[str, list[Element]] = {}
    candidates = [
        *u.all(CBC + "EndpointID"),
        *u.with_parent(CBC + "ID", CAC + "PartyIdentification"),
        *u.all(CBC + "CompanyID"),
    ]
    for el in candidates:
        scheme = el.get("schemeID")
        if scheme is not None:
            found.setdefault(scheme, []).append(el)
    return u.remember(key, found)  # type: ignore[no-any-return]


def _scheme_rule(
    rule_id: str,
    severity: str,
    scheme: str,
    message: str,
    valid: Callable[[str], bool],
    *,
    endpoints_only: bool = False,
    raw: bool = False,
) -> None:
    """Register ``rule_id``: identifiers of ``scheme`` must satisfy ``valid``.

    ``raw``: the value is judged as written, not whitespace-normalised (upstream's R042).
    """

    def check(doc: Invoice) -> Findings:
        u = view(doc)
        if u is None:
            return
        for el in _identifiers(u).get(scheme, ()):
            if endpoints_only and el.tag != CBC + "EndpointID":
                continue
            value = text(el) if raw else norm(text(el))
            if not valid(value):
                yield (loc(el), {"scheme": scheme, "value": value[:64]})

    check.__name__ = "common_" + rule_id.rsplit("-", 1)[-1].lower()
    check.__doc__ = f"{rule_id}: identifiers with scheme {scheme}."
    rule(rule_id, severity, message, syntax="ubl")(check)


_scheme_rule("PEPPOL-COMMON-R040", "fatal", "0088", "A GLN must have a valid GS1 check digit.", gln)
_scheme_rule(
    "PEPPOL-COMMON-R041",
    "fatal",
    "0192",
    "A Norwegian organisation number must be nine digits with a valid modulus 11 check digit.",
    no_orgnr,
)
_scheme_rule(
    "PEPPOL-COMMON-R042",
    "fatal",
    "0184",
    "A Danish CVR number must be eight digits, optionally prefixed by DK.",
    dk_cvr,
    raw=True,
)
_scheme_rule(
    "PEPPOL-COMMON-R043",
    "fatal",
    "0208",
    "A Belgian enterprise number must be ten digits with valid modulus 97 check digits.",
    be_enterprise_number,
)
_scheme_rule(
    "PEPPOL-COMMON-R044",
    "warning",
    "0201",
    "An Italian IPA code should be six letters or digits.",
    it_ipa_code,
)
_scheme_rule(
    "PEPPOL-COMMON-R045",
    "warning",
    "0210",
    "An Italian tax code (codice fiscale) should be 11 digits or a 16-character personal code.",
    it_codice_fiscale,
)
_scheme_rule(
    "PEPPOL-COMMON-R046",
    "warning",
    "9907",
    "An Italian tax code (codice fiscale) should be 11 digits or a 16-character personal code.",
    it_codice_fiscale,
    endpoints_only=True,
)
_scheme_rule(
    "PEPPOL-COMMON-R047",
    "warning",
    "0211",
    "An Italian VAT number (partita IVA) should be IT and eleven digits with a valid check.",
    it_partita_iva,
)
_scheme_rule(
    "PEPPOL-COMMON-R049",
    "fatal",
    "0007",
    "A Swedish organisation number must be ten digits with a valid Luhn check digit.",
    lambda v: is_number(v) and se_orgnr(v),
)
_scheme_rule(
    "PEPPOL-COMMON-R050",
    "fatal",
    "0151",
    "An Australian Business Number must be eleven digits with a valid modulus 89 check.",
    au_abn,
)
