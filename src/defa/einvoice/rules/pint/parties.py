"""PINT base rules on parties: seller, buyer, payee, tax representative, delivery address,
electronic addresses, and the check digits of identifiers by ICD/EAS scheme (ibr-068 ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.pint import at_most, rule
from defa.einvoice.rules.pint._xp import (
    Element,
    TreeView,
    a,
    at,
    b,
    exists,
    find,
    has_text,
    loc,
    norm,
    text,
    tree,
)

__all__ = ["identifiers"]

_ASP = (a("AccountingSupplierParty"), a("Party"))
_ACP = (a("AccountingCustomerParty"), a("Party"))
_DIGITS = re.compile(r"[0-9]+")
_NINE, _TEN, _ELEVEN = (re.compile(rf"[0-9]{{{n}}}") for n in (9, 10, 11))
_INTEGER = re.compile(r"\s*[+-]?\d+\s*")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")
_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def identifiers(u: TreeView, schemes: frozenset[str]) -> list[Element]:
    """``cbc:EndpointID``, ``cac:PartyIdentification/cbc:ID`` and ``cbc:CompanyID`` whose
    ``@schemeID`` is one of ``schemes`` (the identifier rules' context), in document order."""
    return [
        el
        for el in (
            *u.all(b("EndpointID")),
            *at(u, a("PartyIdentification"), b("ID")),
            *u.all(b("CompanyID")),
        )
        if el.get("schemeID") in schemes
    ]


# -- check digits, as the PINT utility functions compute them -----------------------------


def _gln(value: str) -> bool:
    """u:gln: GS1 mod-10 with weights 3, 1 from the right (check digit last)."""
    body, check = value[:-1], value[-1:]
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return bool(check) and (10 - total % 10) % 10 == int(check)


def _mod11(value: str) -> bool:
    """u:mod11 (Norwegian organisation number): weights 2..7 from the right."""
    body, check = value[:-1], value[-1:]
    total = sum(int(d) * (i % 6 + 2) for i, d in enumerate(reversed(body)))
    return int(value) > 0 and (11 - total % 11) % 11 == int(check)


def _mod97_0208(value: str) -> bool:
    """u:mod97-0208 (Belgian enterprise number): 97 - (first 8 digits mod 97)."""
    return int(value[8:10]) == 97 - int(value[:8]) % 97


def _codice_ipa(value: str) -> bool:
    return len(value) == 6 and all(c in _ALNUM for c in value)


def _is_integer(value: str) -> bool:
    return bool(_INTEGER.fullmatch(value))


def _letters(value: str) -> bool:
    """``string-length(translate(value, letters, '')) = 0``."""
    return all(c in _LETTERS for c in value)


def _cf16(value: str) -> bool:
    return (
        _letters(value[0:6])
        and _is_integer(value[6:8])
        and _letters(value[8:9])
        and _is_integer(value[9:11])
        and _is_integer(value[14:15])
        and _letters(value[15:16])
    )


def _codice_fiscale(value: str) -> bool:
    if len(value) == 16:
        return _cf16(value)
    return len(value) == 11 and _is_integer(value)


def _partita_iva(value: str) -> bool:
    if value[:2] not in ("IT", "it"):
        return True
    code = value[2:]
    if len(code) != 11 or not code.isdigit():
        return False
    total = 0
    for i, d in enumerate(code):
        digit = int(d)
        total += int("0246813579"[digit]) if i % 2 else digit
    return total % 10 == 0


def _abn(value: str) -> bool:
    weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    digits = [int(c) for c in value]
    digits[0] -= 1
    return sum(w * d for w, d in zip(weights, digits, strict=True)) % 89 == 0


_CHECKS: tuple[tuple[str, frozenset[str], str, Callable[[str], bool]], ...] = (
    (
        "ibr-068",
        frozenset({"0088"}),
        "A GLN (scheme 0088) fails the GS1 format.",
        lambda v: bool(_DIGITS.fullmatch(v)) and _gln(v),
    ),
    (
        "ibr-127",
        frozenset({"0007"}),
        "A Swedish organisation number (scheme 0007) is not 10 digits.",
        lambda v: len(v) == 10 and bool(_NUMBER.fullmatch(v)),
    ),
    (
        "ibr-069",
        frozenset({"0192"}),
        "A Norwegian organisation number (scheme 0192) is invalid.",
        lambda v: bool(_NINE.fullmatch(v)) and _mod11(v),
    ),
    (
        "ibr-113",
        frozenset({"0208"}),
        "A Belgian enterprise number (scheme 0208) is invalid.",
        lambda v: bool(_TEN.fullmatch(v)) and _mod97_0208(v),
    ),
    (
        "ibr-114",
        frozenset({"0201"}),
        "An IPA code (scheme 0201) is not 6 letters or digits.",
        _codice_ipa,
    ),
    (
        "ibr-115",
        frozenset({"0210", "9907"}),
        "A codice fiscale (scheme 0210/9907) is invalid.",
        _codice_fiscale,
    ),
    (
        "ibr-116",
        frozenset({"0211", "9906"}),
        "An Italian VAT number (scheme 0211/9906) is invalid.",
        _partita_iva,
    ),
    (
        "ibr-120",
        frozenset({"0151"}),
        "An Australian Business Number (scheme 0151) is invalid.",
        lambda v: bool(_ELEVEN.fullmatch(v)) and _abn(v),
    ),
)


def _identifier_rule(
    rule_id: str, schemes: frozenset[str], message: str, valid: Callable[[str], bool]
) -> None:
    def check(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is not None:
            for el in identifiers(u, schemes):
                if not valid(norm(text(el))):
                    yield loc(el)

    check.__name__ = rule_id
    rule(rule_id, "fatal", message)(check)


for _args in _CHECKS:
    _identifier_rule(*_args)


@rule("ibr-070", "fatal", "A Danish CVR number (scheme 0184) is not 'DK' and 8 digits.")
def ibr_070(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for el in identifiers(u, frozenset({"0184"})):
            value = el.text or ""  # text(), not normalised, as upstream
            if not (len(value) == 10 and value[:2] == "DK" and value[2:].isdigit()):
                yield loc(el)


# -- parties --------------------------------------------------------------------------------


def _parties(u: TreeView, *path: str) -> list[Element]:
    return list(at(u, *path))


@rule("ibr-080", "fatal", "The buyer electronic address (ibt-049) is missing.")
def ibr_080(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for party in _parties(u, *_ACP):
            if not exists(party, b("EndpointID")):
                yield loc(party)


@rule("ibr-081", "fatal", "The seller electronic address (ibt-034) is missing.")
def ibr_081(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for party in _parties(u, *_ASP):
            if not exists(party, b("EndpointID")):
                yield loc(party)


@rule("ibr-063", "fatal", "The buyer electronic address (ibt-049) has no scheme identifier.")
def ibr_063(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for el in _parties(u, *_ACP, b("EndpointID")):
            if el.get("schemeID") is None:
                yield loc(el)


@rule("ibr-062", "fatal", "The seller electronic address (ibt-034) has no scheme identifier.")
def ibr_062(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for el in _parties(u, *_ASP, b("EndpointID")):
            if el.get("schemeID") is None:
                yield loc(el)


def _country_rule(rule_id: str, message: str, *path: str, trimmed: bool = True) -> None:
    def check(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is None:
            return
        for address in at(u, *path):
            ok = (
                has_text(address, a("Country"), b("IdentificationCode"))
                if trimmed
                else exists(address, a("Country"), b("IdentificationCode"))
            )
            if not ok:
                yield loc(address)

    check.__name__ = rule_id
    rule(rule_id, "fatal", message)(check)


_country_rule(
    "ibr-009", "The seller postal address has no country code (ibt-040).", *_ASP, a("PostalAddress")
)
_country_rule(
    "ibr-011", "The buyer postal address has no country code (ibt-055).", *_ACP, a("PostalAddress")
)
_country_rule(
    "ibr-020",
    "The tax representative address has no country code (ibt-069).",
    a("TaxRepresentativeParty"),
    a("PostalAddress"),
)
_country_rule(
    "ibr-057",
    "The deliver-to address has no country code (ibt-080).",
    a("Delivery"),
    a("DeliveryLocation"),
    a("Address"),
    trimmed=False,
)

_LINE = (a("AddressLine"), b("Line"))
at_most(
    "ibr-sr-53",
    "The seller address line (ibt-162) occurs more than once.",
    lambda u: at(u, *_ASP, a("PostalAddress")),
    *_LINE,
)
at_most(
    "ibr-sr-54",
    "The buyer address line (ibt-163) occurs more than once.",
    lambda u: at(u, *_ACP, a("PostalAddress")),
    *_LINE,
)
at_most(
    "ibr-sr-55",
    "The tax representative address line (ibt-164) occurs more than once.",
    lambda u: at(u, a("TaxRepresentativeParty"), a("PostalAddress")),
    *_LINE,
)
at_most(
    "ibr-sr-56",
    "The delivery address line (ibt-165) occurs more than once.",
    lambda u: at(u, a("Delivery"), a("DeliveryLocation"), a("Address")),
    *_LINE,
)
at_most(
    "ibr-sr-59",
    "The payee bank address line (ibt-174) occurs more than once.",
    lambda u: at(
        u,
        a("PaymentMeans"),
        a("PayeeFinancialAccount"),
        a("FinancialInstitutionBranch"),
        a("Address"),
    ),
    *_LINE,
)
at_most(
    "ibr-sr-42",
    "The seller has more than two party tax schemes.",
    lambda u: at(u, *_ASP),
    a("PartyTaxScheme"),
    limit=2,
)


@rule(
    "ibr-co-26",
    "fatal",
    "The seller has none of identifier (ibt-029), legal registration id (ibt-030), tax id "
    "(ibt-031).",
)
def ibr_co_26(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for party in at(u, *_ASP):
            if not (
                exists(party, a("PartyTaxScheme"), b("CompanyID"))
                or exists(party, a("PartyIdentification"), b("ID"))
                or exists(party, a("PartyLegalEntity"), b("CompanyID"))
            ):
                yield loc(party)


@rule("ibr-sr-57", "fatal", "A party tax scheme has no company identifier.")
def ibr_sr_57(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for scheme in u.all(a("PartyTaxScheme")):
            if not exists(scheme, b("CompanyID")):
                yield loc(scheme)


# -- tax representative ---------------------------------------------------------------------


def _reps(u: TreeView) -> list[Element]:
    return list(u.all(a("TaxRepresentativeParty")))


@rule("ibr-018", "fatal", "The seller tax representative name (ibt-062) is missing.")
def ibr_018(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        yield from (loc(p) for p in _reps(u) if not has_text(p, a("PartyName"), b("Name")))


@rule("ibr-019", "fatal", "The seller tax representative postal address (ibg-12) is missing.")
def ibr_019(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        yield from (loc(p) for p in _reps(u) if not exists(p, a("PostalAddress")))


@rule("ibr-056", "fatal", "The seller tax representative has no tax identifier (ibt-063).")
def ibr_056(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for p in _reps(u):
            if not exists(p, a("PartyTaxScheme"), b("CompanyID")):
                yield loc(p)


at_most(
    "ibr-sr-22",
    "The tax representative name (ibt-062) occurs more than once.",
    _reps,
    a("PartyName"),
    b("Name"),
)
at_most(
    "ibr-sr-23",
    "The tax representative tax id (ibt-063) occurs more than once.",
    _reps,
    a("Party"),
    a("PartyTaxScheme"),
    b("CompanyID"),
)


# -- payee ----------------------------------------------------------------------------------


def _texts(el: Element | None, *path: str) -> set[str]:
    return {text(n) for n in find(el, *path)}


def _payees(u: TreeView) -> list[tuple[Element, Element | None]]:
    """Each payee with the seller party (``../cac:AccountingSupplierParty/cac:Party``)."""
    found = []
    for payee in u.all(a("PayeeParty")):
        parent = payee.getparent()
        seller = find(parent, a("AccountingSupplierParty"), a("Party"))
        found.append((payee, seller[0] if seller else None))
    return found


def _named_as_seller(payee: Element, seller: Element | None) -> bool:
    """``cac:PartyName/cbc:Name = ../...Party/cac:PartyLegalEntity/cbc:RegistrationName``."""
    names = _texts(payee, a("PartyName"), b("Name"))
    return bool(names & _texts(seller, a("PartyLegalEntity"), b("RegistrationName")))


@rule(
    "ibr-017",
    "fatal",
    "A payee (ibg-10) other than the seller must have a name (ibt-059) and differ from the seller.",
)
def ibr_017(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for payee, seller in _payees(u):
        names = _texts(payee, a("PartyName"), b("Name"))
        ids = _texts(payee, a("PartyIdentification"), b("ID"))
        same_name = bool(names & _texts(seller, a("PartyName"), b("Name")))
        same_id = bool(ids & _texts(seller, a("PartyIdentification"), b("ID")))
        if not (names and not same_name and not same_id):
            yield loc(payee)


@rule("ibr-105", "fatal", "The payee identifier (ibt-060) occurs more than once.")
def ibr_105(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for payee, seller in _payees(u):
        ids = [
            el
            for el in find(payee, a("PartyIdentification"), b("ID"))
            if (el.get("schemeID") or "").upper() != "SEPA"
        ]
        if len(ids) > 1 and not _named_as_seller(payee, seller):
            yield loc(payee)


@rule(
    "ibr-106", "fatal", "The payee legal registration identifier (ibt-061) occurs more than once."
)
def ibr_106(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for payee, seller in _payees(u):
        many = len(find(payee, a("PartyLegalEntity"), b("CompanyID"))) > 1
        if many and not _named_as_seller(payee, seller):
            yield loc(payee)


@rule("ibr-sr-19", "fatal", "The payee name (ibt-059) occurs more than once.")
def ibr_sr_19(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for payee, seller in _payees(u):
        many = len(find(payee, a("PartyName"), b("Name"))) > 1
        if many and not _named_as_seller(payee, seller):
            yield loc(payee)
