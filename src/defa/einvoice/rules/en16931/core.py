"""EN 16931 core rules on the document and its parties: BR-01 ... BR-20, BR-49 ... BR-63.

Each rule is written from the abstract assertion of the CEN/TC 434 artefacts and the
contexts of their UBL and CII bindings: a rule about a group runs once per occurrence of
that group, and does not run at all when the group is absent. "Has" below means the term
carries text (the bindings' ``normalize-space(...) != ''``); "present" means the term
occurs at all (``exists(...)``). Line-level and breakdown rules are in ``core_lines``.
"""

from __future__ import annotations

from defa.einvoice.model import Invoice
from defa.einvoice.rules.en16931 import EN16931
from defa.einvoice.rules.en16931._access import has, is_cii, present, totals
from defa.einvoice.rules.engine import Findings

__all__ = ["EN16931"]

rule = EN16931.rule

# Payment means codes for credit transfers whose account must be given (UNCL 4461):
# 30 credit transfer, 58 SEPA credit transfer.
_CREDIT_TRANSFER = frozenset({"30", "58"})


# -- the document ----------------------------------------------------------------------


@rule("BR-01", "error", "The invoice has no specification identifier (BT-24).", terms=("BT-24",))
def br_01(doc: Invoice) -> Findings:
    process = doc.child("BG-2")
    if not (has(doc, "BT-24") or (process is not None and has(process, "BT-24"))):
        yield doc


@rule("BR-02", "error", "The invoice has no invoice number (BT-1).", terms=("BT-1",))
def br_02(doc: Invoice) -> Findings:
    if not has(doc, "BT-1"):
        yield doc


@rule("BR-03", "error", "The invoice has no issue date (BT-2).", terms=("BT-2",))
def br_03(doc: Invoice) -> Findings:
    if not has(doc, "BT-2"):
        yield doc


@rule("BR-04", "error", "The invoice has no invoice type code (BT-3).", terms=("BT-3",))
def br_04(doc: Invoice) -> Findings:
    if not has(doc, "BT-3"):
        yield doc


@rule("BR-05", "error", "The invoice has no invoice currency code (BT-5).", terms=("BT-5",))
def br_05(doc: Invoice) -> Findings:
    if not has(doc, "BT-5"):
        yield doc


@rule("BR-06", "error", "The invoice does not name the seller (BT-27).", terms=("BT-27",))
def br_06(doc: Invoice) -> Findings:
    seller = doc.child("BG-4")
    if seller is None or not has(seller, "BT-27"):
        yield doc


@rule("BR-07", "error", "The invoice does not name the buyer (BT-44).", terms=("BT-44",))
def br_07(doc: Invoice) -> Findings:
    buyer = doc.child("BG-7")
    if buyer is None or not has(buyer, "BT-44"):
        yield doc


@rule("BR-08", "error", "The invoice has no seller postal address (BG-5).", terms=("BG-5",))
def br_08(doc: Invoice) -> Findings:
    seller = doc.child("BG-4")
    if seller is None or seller.child("BG-5") is None:
        yield doc


@rule(
    "BR-09",
    "error",
    "The seller postal address (BG-5) has no country code (BT-40).",
    terms=("BG-5", "BT-40"),
)
def br_09(doc: Invoice) -> Findings:
    seller = doc.child("BG-4")
    if seller is not None:
        for address in seller.groups.get("BG-5", ()):
            if not has(address, "BT-40"):
                yield address


@rule("BR-10", "error", "The invoice has no buyer postal address (BG-8).", terms=("BG-8",))
def br_10(doc: Invoice) -> Findings:
    buyer = doc.child("BG-7")
    if buyer is None or buyer.child("BG-8") is None:
        yield doc


@rule(
    "BR-11",
    "error",
    "The buyer postal address (BG-8) has no country code (BT-55).",
    terms=("BG-8", "BT-55"),
)
def br_11(doc: Invoice) -> Findings:
    buyer = doc.child("BG-7")
    if buyer is not None:
        for address in buyer.groups.get("BG-8", ()):
            if not has(address, "BT-55"):
                yield address


# BR-12 ... BR-15 run in the document totals' context: a document without totals at all
# is left to the syntax's cardinality rules.


@rule("BR-12", "error", "The totals lack the sum of line net amounts (BT-106).", terms=("BT-106",))
def br_12(doc: Invoice) -> Findings:
    group = totals(doc)
    if group is not None and "BT-106" not in group.terms:
        yield group


@rule("BR-13", "error", "The totals lack the total amount without VAT (BT-109).", terms=("BT-109",))
def br_13(doc: Invoice) -> Findings:
    group = totals(doc)
    if group is not None and "BT-109" not in group.terms:
        yield group


@rule("BR-14", "error", "The totals lack the total amount with VAT (BT-112).", terms=("BT-112",))
def br_14(doc: Invoice) -> Findings:
    group = totals(doc)
    if group is not None and "BT-112" not in group.terms:
        yield group


@rule("BR-15", "error", "The totals lack the amount due for payment (BT-115).", terms=("BT-115",))
def br_15(doc: Invoice) -> Findings:
    group = totals(doc)
    if group is not None and "BT-115" not in group.terms:
        yield group


@rule("BR-16", "error", "The invoice has no invoice line (BG-25).", terms=("BG-25",))
def br_16(doc: Invoice) -> Findings:
    if not doc.groups.get("BG-25"):
        yield doc


@rule(
    "BR-17",
    "error",
    "The payee (BG-10) differs from the seller but has no payee name (BT-59).",
    terms=("BG-10", "BT-59"),
)
def br_17(doc: Invoice) -> Findings:
    payees = doc.groups.get("BG-10", ())
    if not payees:
        return
    seller = doc.child("BG-4")
    # The bindings call a payee "different" when neither its name nor its identifiers
    # equal the seller's (UBL compares with the seller's trading name, CII with the
    # seller's name and also the legal registration identifiers).
    cii = is_cii(doc)
    seller_names: set[str] = set()
    seller_ids: set[str] = set()
    seller_legal: set[str] = set()
    if seller is not None:
        seller_names = {t.text for t in seller.all("BT-27" if cii else "BT-28")}
        seller_ids = {t.text for t in seller.all("BT-29")}
        seller_legal = {t.text for t in seller.all("BT-30")}
    for payee in payees:
        names = payee.all("BT-59")
        ok = (
            bool(names)
            and not any(t.text in seller_names for t in names)
            and not any(t.text in seller_ids for t in payee.all("BT-60"))
            and not (cii and any(t.text in seller_legal for t in payee.all("BT-61")))
        )
        if not ok:
            yield payee


@rule(
    "BR-18",
    "error",
    "The seller tax representative (BG-11) has no name (BT-62).",
    terms=("BG-11", "BT-62"),
)
def br_18(doc: Invoice) -> Findings:
    for party in doc.groups.get("BG-11", ()):
        if not has(party, "BT-62"):
            yield party


@rule(
    "BR-19",
    "error",
    "The seller tax representative (BG-11) has no postal address (BG-12).",
    terms=("BG-11", "BG-12"),
)
def br_19(doc: Invoice) -> Findings:
    for party in doc.groups.get("BG-11", ()):
        if party.child("BG-12") is None:
            yield party


@rule(
    "BR-20",
    "error",
    "The seller tax representative postal address (BG-12) has no country code (BT-69).",
    terms=("BG-12", "BT-69"),
)
def br_20(doc: Invoice) -> Findings:
    for party in doc.groups.get("BG-11", ()):
        for address in party.groups.get("BG-12", ()):
            if not has(address, "BT-69"):
                yield address


# -- payment, references and identifiers -------------------------------------------------


@rule(
    "BR-49",
    "error",
    "A payment instruction (BG-16) has no payment means type code (BT-81).",
    terms=("BG-16", "BT-81"),
)
def br_49(doc: Invoice) -> Findings:
    for means in doc.groups.get("BG-16", ()):
        if "BT-81" not in means.terms:
            yield means


def _credit_transfer(means_code: str | None) -> bool:
    return means_code is not None and means_code.strip() in _CREDIT_TRANSFER


@rule(
    "BR-50",
    "error",
    "A credit transfer (BG-17) has no payment account identifier (BT-84).",
    terms=("BG-17", "BT-84"),
)
def br_50(doc: Invoice) -> Findings:
    for means in doc.groups.get("BG-16", ()):
        if _credit_transfer(means.value("BT-81")):
            for account in means.groups.get("BG-17", ()):
                if not has(account, "BT-84"):
                    yield account


@rule(
    "BR-51",
    "warning",
    "The payment card number (BT-87) shows more than the 10 digits card security "
    "standards allow (at most the first 6 and last 4).",
    terms=("BT-87",),
)
def br_51(doc: Invoice) -> Findings:
    for means in doc.groups.get("BG-16", ()):
        for card in means.groups.get("BG-18", ()):
            for number in card.all("BT-87"):
                if len(" ".join(number.text.split())) > 10:
                    yield number


@rule(
    "BR-52",
    "error",
    "An additional supporting document (BG-24) has no reference (BT-122).",
    terms=("BG-24", "BT-122"),
)
def br_52(doc: Invoice) -> Findings:
    for document in doc.groups.get("BG-24", ()):
        if not has(document, "BT-122"):
            yield document


@rule(
    "BR-53",
    "error",
    "A VAT accounting currency (BT-6) is given but not the total VAT amount in that "
    "currency (BT-111).",
    terms=("BT-6", "BT-111"),
)
def br_53(doc: Invoice) -> Findings:
    group = totals(doc)
    amounts = [*group.all("BT-110"), *group.all("BT-111")] if group is not None else []
    for currency in doc.all("BT-6"):
        code = currency.text
        if is_cii(doc):
            # CII: a tax total in the accounting currency, which differs from the invoice's.
            ok = code != doc.value("BT-5") and any(
                t.id == "BT-111" or t.attrs.get("currencyID") == code for t in amounts
            )
        else:
            # UBL: some tax total stated in that currency, even the invoice currency's
            # own when the two currencies are the same.
            ok = any(t.id == "BT-111" or t.attrs.get("currencyID") == code for t in amounts)
        if not ok:
            yield currency


@rule(
    "BR-55",
    "error",
    "A preceding invoice reference (BG-3) has no invoice reference (BT-25).",
    terms=("BG-3", "BT-25"),
)
def br_55(doc: Invoice) -> Findings:
    # UBL asks for the reference element, CII for a reference with text.
    given = has if is_cii(doc) else present
    for reference in doc.groups.get("BG-3", ()):
        if not given(reference, "BT-25"):
            yield reference


@rule(
    "BR-56",
    "error",
    "The seller tax representative (BG-11) has no VAT identifier (BT-63).",
    terms=("BG-11", "BT-63"),
)
def br_56(doc: Invoice) -> Findings:
    given = has if is_cii(doc) else present  # as in BR-55
    for party in doc.groups.get("BG-11", ()):
        if not given(party, "BT-63"):
            yield party


@rule(
    "BR-57",
    "error",
    "A deliver-to address (BG-15) has no country code (BT-80).",
    terms=("BG-15", "BT-80"),
)
def br_57(doc: Invoice) -> Findings:
    for delivery in doc.groups.get("BG-13", ()):
        for address in delivery.groups.get("BG-15", ()):
            if "BT-80" not in address.terms:
                yield address


@rule(
    "BR-61",
    "error",
    "The payment means is a credit transfer (BT-81 30 or 58) but no payment account "
    "identifier (BT-84) is given.",
    terms=("BT-81", "BT-84"),
)
def br_61(doc: Invoice) -> Findings:
    for means in doc.groups.get("BG-16", ()):
        if _credit_transfer(means.value("BT-81")) and not any(
            "BT-84" in account.terms for account in means.groups.get("BG-17", ())
        ):
            yield means


@rule(
    "BR-62",
    "error",
    "The seller electronic address (BT-34) has no scheme identifier (BT-34-1).",
    terms=("BT-34", "BT-34-1"),
)
def br_62(doc: Invoice) -> Findings:
    seller = doc.child("BG-4")
    if seller is not None and "BT-34" in seller.terms and "BT-34-1" not in seller.terms:
        yield seller.all("BT-34")[0]


@rule(
    "BR-63",
    "error",
    "The buyer electronic address (BT-49) has no scheme identifier (BT-49-1).",
    terms=("BT-49", "BT-49-1"),
)
def br_63(doc: Invoice) -> Findings:
    buyer = doc.child("BG-7")
    if buyer is not None and "BT-49" in buyer.terms and "BT-49-1" not in buyer.terms:
        yield buyer.all("BT-49")[0]
