"""EN 16931 VAT category rules: BR-S, BR-Z, BR-E, BR-AE, BR-IC, BR-G, BR-O, BR-AF, BR-AG.

Each VAT category (UNCL 5305 code) has the same ten rules, numbered alike in every family:

== ===================================================================================
01 the category used on a line, allowance or charge appears in the VAT breakdown (BG-23)
02 a line in the category needs the seller's (and sometimes the buyer's) VAT identifiers
03 ... the same for a document level allowance (BG-20)
04 ... the same for a document level charge (BG-21)
05 the line VAT rate (BT-152) fits the category (> 0, = 0, >= 0 or absent)
06 ... the same for the allowance VAT rate (BT-96)
07 ... the same for the charge VAT rate (BT-103)
08 the breakdown taxable amount (BT-116) equals lines + charges - allowances of the category
09 the breakdown VAT amount (BT-117) is zero, or taxable amount x rate
10 an exemption reason (BT-120/BT-121) is required, or forbidden
== ===================================================================================

plus BR-IC-11/12 (intra-community supply needs a delivery date and country) and BR-O-11..14
(a "not subject to VAT" invoice has no other category). The rules differ only in a few
parameters, so they are generated from :data:`CATEGORIES`, one row a family, keeping each
upstream rule id and flag. The parameters follow the UBL binding of the CEN/TC 434 artefacts
1.3.16 (``EN16931-UBL-model.sch``), which is what the conformance tests judge:

* BR-S/AF/AG-08 compare per rate within a tolerance of 1 (strictly), the others exactly;
  BR-S-08 also needs a line, allowance or charge with that rate, BR-AF/AG-08 just any line.
* BR-S/AF/AG-09 compare the VAT amount with ``round(|taxable| x rate / 100, 2)`` within 1.
* Seller identifiers: for BR-G and BR-IC only a VAT identifier (BT-31, BT-63) counts; for the
  others the seller's tax registration identifier (BT-32) counts too.

The document facts the rules share (categories of every line, allowance, charge and
breakdown; which party identifiers exist) are collected once per document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Literal, get_args

from defa.einvoice.model import Group, Invoice, Term
from defa.einvoice.rules.en16931 import EN16931
from defa.einvoice.rules.engine import Finding, Findings

__all__ = ["CATEGORIES", "Category"]

Who = Literal["any", "vat", "none"]
Buyer = Literal["", "vat", "vat_or_legal", "none"]
Rate = Literal["positive", "zero", "nonnegative", "absent"]
Taxable = Literal["exact", "per_rate", "per_rate_any_line"]
Breakdown = Literal["some", "one"]
# How the CII binding words 01 and 08 (see _breakdown_ok and _taxable_ok).
CiiBreakdown = Literal["pairs", "one_used", "one_used_if_present"]
CiiTaxable = Literal["per_rate_rounded", "rounded_within_one", "rounded"]


@dataclass(frozen=True, slots=True)
class Category:
    """One VAT category family and the shape each of its rules takes.

    The plain fields follow the UBL binding; the ``cii_*`` fields say how the CII binding
    (``EN16931-CII-model.sch``) differs, for documents read from CII.
    """

    family: str  # rule id prefix: "S" makes BR-S-01 ...
    code: str  # UNCL 5305 code in BT-95/102/118/151
    name: str  # for our messages
    breakdown: Breakdown  # 01: "at least one (and none if unused)" or "exactly one"
    seller: Who  # 02-04: which seller identifiers satisfy the rule ("none": must be absent)
    buyer: Buyer  # 02-04: which buyer identifiers are needed too
    rate: Rate  # 05-07
    taxable: Taxable  # 08
    vat_from_rate: bool  # 09: VAT = taxable x rate (else VAT = 0)
    exemption: bool  # 10: exemption reason required (else forbidden)
    cii_breakdown: CiiBreakdown
    cii_taxable: CiiTaxable
    cii_rate: Rate
    cii_vat_checked: bool = True  # 09 in CII (BR-AF-09 and BR-AG-09 are "true()" there)


def _row(
    family: str, code: str, name: str, shape: str, seller: Who, buyer: Buyer, cii: str
) -> Category:
    """A table row from its compact form; ``shape`` and ``cii`` are space-separated fields."""
    breakdown, rate, taxable, vat, exemption = shape.split()
    cii_breakdown, cii_taxable, cii_rate, cii_vat = cii.split()
    for value, kind in (
        (breakdown, Breakdown), (rate, Rate), (taxable, Taxable), (cii_breakdown, CiiBreakdown),
        (cii_taxable, CiiTaxable), (cii_rate, Rate),
    ):  # fmt: skip
        if value not in get_args(kind):
            raise ValueError(f"VAT category table, BR-{family}: {value!r} is not one of {kind}")
    return Category(
        family, code, name, breakdown, seller, buyer, rate, taxable,  # type: ignore[arg-type]
        vat == "rate", exemption == "required",
        cii_breakdown, cii_taxable, cii_rate, cii_vat == "checked",  # type: ignore[arg-type]
    )  # fmt: skip


# shape: 01 breakdown, 05-07 rate, 08 taxable amount, 09 VAT amount ("rate": taxable x rate,
# "zero"), 10 exemption reason ("required", "forbidden"). cii: 01, 08, 05-07, 09 in CII.
CATEGORIES: tuple[Category, ...] = (
    _row("S", "S", "standard rated", "some positive per_rate rate forbidden", "any", "",
         "pairs per_rate_rounded positive checked"),
    _row("Z", "Z", "zero rated", "one zero exact zero forbidden", "any", "",
         "one_used rounded_within_one zero checked"),
    _row("E", "E", "exempt from VAT", "one zero exact zero required", "any", "",
         "one_used rounded_within_one zero checked"),
    _row("AE", "AE", "reverse charge", "one zero exact zero required", "any", "vat_or_legal",
         "one_used rounded_within_one zero checked"),
    _row("IC", "K", "intra-community supply", "one zero exact zero required", "vat", "vat",
         "one_used rounded_within_one zero checked"),
    _row("G", "G", "export outside the EU", "one zero exact zero required", "vat", "",
         "one_used rounded_within_one zero checked"),
    _row("O", "O", "not subject to VAT", "one absent exact zero required", "none", "none",
         "one_used_if_present rounded absent checked"),
    _row("AF", "L", "IGIC (Canary Islands)", "some nonnegative per_rate_any_line rate forbidden",
         "any", "", "pairs per_rate_rounded positive unchecked"),
    _row("AG", "M", "IPSI (Ceuta and Melilla)",
         "some nonnegative per_rate_any_line rate forbidden", "any", "",
         "pairs per_rate_rounded nonnegative unchecked"),
)  # fmt: skip

_ONE = Decimal(1)
_HUNDRED = Decimal(100)
_HALF = Decimal("0.5")


# -- per-document facts ----------------------------------------------------------------------


@dataclass(slots=True)
class _Item:
    """A line, allowance or charge: its VAT category code, rate term and amount."""

    group: Group
    code: str | None
    rate: Term | None
    amount: Decimal | None


@dataclass(slots=True)
class _Facts:
    lines: list[_Item] = field(default_factory=list)
    allowances: list[_Item] = field(default_factory=list)
    charges: list[_Item] = field(default_factory=list)
    breakdowns: list[tuple[Group, str | None]] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # codes on lines, allowances, charges
    seller_vat: bool = False  # BT-31 or BT-63 (tax representative)
    seller_any: bool = False  # BT-31, BT-32 or BT-63
    buyer_vat: bool = False  # BT-48
    buyer_legal: bool = False  # BT-47
    cii: bool = False  # read from CII: the CII binding's variants apply


def _code(term: Term | None) -> str | None:
    return term.text.strip() if term is not None else None


def _present(group: Group | None, term_id: str) -> bool:
    """True when the term occurs at all (XPath ``exists``), even with empty text."""
    return group is not None and term_id in group.terms


def _item(group: Group, code_id: str, rate_id: str, amount_id: str, sub: str) -> _Item:
    # The category may sit in the group itself or in its VAT subgroup (BG-30 on a line).
    holder = group.child(sub) if sub else None
    where = holder if holder is not None and code_id in holder.terms else group
    return _Item(group, _code(where.term(code_id)), where.term(rate_id), group.decimal(amount_id))


def _collect(doc: Invoice) -> _Facts:
    facts = _Facts()
    for line in doc.children("BG-25"):
        facts.lines.append(_item(line, "BT-151", "BT-152", "BT-131", "BG-30"))
    for allowance in doc.children("BG-20"):
        facts.allowances.append(_item(allowance, "BT-95", "BT-96", "BT-92", ""))
    for charge in doc.children("BG-21"):
        facts.charges.append(_item(charge, "BT-102", "BT-103", "BT-99", ""))
    for items in (facts.lines, facts.allowances, facts.charges):
        facts.used.update(i.code for i in items if i.code is not None)
    facts.breakdowns = [(b, _code(b.term("BT-118"))) for b in doc.children("BG-23")]
    seller, rep, buyer = doc.child("BG-4"), doc.child("BG-11"), doc.child("BG-7")
    rep_vat = _present(rep, "BT-63")
    facts.seller_vat = _present(seller, "BT-31") or rep_vat
    facts.seller_any = facts.seller_vat or _present(seller, "BT-32")
    facts.buyer_vat = _present(buyer, "BT-48")
    facts.buyer_legal = _present(buyer, "BT-47")
    facts.cii = doc.syntax == "cii"
    return facts


# The rules of one document run one after another; the facts are collected by the first and
# reused by the rest. The cache holds the last document only (compared by identity), so it
# neither grows nor mixes documents; a document changed in place after a check is re-read
# only when another document has been checked in between.
_last: tuple[Invoice, _Facts] | None = None


def facts_of(doc: Invoice) -> _Facts:
    """The VAT facts of ``doc``, collected once."""
    global _last
    cached = _last
    if cached is not None and cached[0] is doc:
        return cached[1]
    facts = _collect(doc)
    _last = (doc, facts)
    return facts


# -- the shapes ------------------------------------------------------------------------------


def _num(term: Term | None) -> Decimal | None:
    return term.decimal() if term is not None else None


def _rate_ok(kind: Rate, term: Term | None) -> bool:
    if kind == "absent":
        return term is None
    value = _num(term)
    if value is None:  # missing or not a number: the comparison cannot hold
        return False
    if kind == "positive":
        return value > 0
    if kind == "zero":
        return value == 0
    return value >= 0


def _ids_ok(cat: Category, f: _Facts) -> bool:
    if cat.seller == "none":
        return not (f.seller_vat or f.buyer_vat)
    seller = f.seller_vat if cat.seller == "vat" else f.seller_any
    if cat.buyer == "vat":
        return seller and f.buyer_vat
    if cat.buyer == "vat_or_legal":
        return seller and (f.buyer_vat or f.buyer_legal)
    return seller


def _sums(f: _Facts, code: str, rate: Decimal | None) -> tuple[list[Decimal], bool]:
    """The sums of line, charge and allowance amounts of ``code`` (at ``rate`` when given),
    and whether any line, allowance or charge matched."""
    sums = [Decimal(0), Decimal(0), Decimal(0)]
    matched = False
    for n, items in enumerate((f.lines, f.charges, f.allowances)):
        for item in items:
            if item.code != code or (rate is not None and _num(item.rate) != rate):
                continue
            matched = True
            if item.amount is not None:
                sums[n] += item.amount
    return sums, matched


def _round(value: Decimal) -> Decimal:
    """XPath's ``round(x * 100) div 100``: to cents, halves towards positive infinity."""
    return (value * _HUNDRED + _HALF).to_integral_value(rounding=ROUND_FLOOR) / _HUNDRED


def _breakdown_ok(cat: Category, f: _Facts) -> bool:
    count = sum(1 for _, code in f.breakdowns if code == cat.code)
    if f.cii:
        lines = sum(1 for i in f.lines if i.code == cat.code)
        others = sum(1 for i in (*f.allowances, *f.charges) if i.code == cat.code)
        used = bool(lines or others)
        if cat.cii_breakdown == "pairs":  # as CII words it: counts of occurrences, in pairs
            return (lines + count >= 2 or not lines) and (others + count >= 2 or not others)
        if cat.cii_breakdown == "one_used_if_present" and count == 0:
            return True
        return (count == 1 and used) or (count == 0 and not used)
    used = cat.code in f.used
    if cat.breakdown == "some":
        return count > 0 if used else count == 0
    # "exactly one" applies as soon as the code occurs anywhere, the breakdown included.
    return count == 1 or (not used and count == 0)


def _taxable_ok(cat: Category, f: _Facts, breakdown: Group) -> bool:
    taxable = breakdown.decimal("BT-116")
    per_rate = cat.cii_taxable == "per_rate_rounded" if f.cii else cat.taxable != "exact"
    rate: Decimal | None = None
    if per_rate:
        rate_term = breakdown.term("BT-119")
        if rate_term is None:  # no rate: nothing to group by, the assertion holds vacuously
            return True
        rate = rate_term.decimal()
        if rate is None:
            return False
    if taxable is None:
        return False
    (lines, charges, allowances), matched = _sums(f, cat.code, rate)
    if f.cii:
        # CII rounds each sum to cents; only the zero-VAT families allow a difference below 1.
        expected = _round(lines) + _round(charges) - _round(allowances)
        if cat.cii_taxable == "rounded_within_one":
            return abs(taxable - expected) < _ONE
        return taxable == expected
    expected = lines + charges - allowances
    if cat.taxable == "exact":
        return bool(f.lines) and taxable == expected
    found = matched if cat.taxable == "per_rate" else bool(f.lines)
    return found and abs(taxable - expected) < _ONE


def _vat_amount_ok(cat: Category, f: _Facts, breakdown: Group) -> bool:
    if f.cii and not cat.cii_vat_checked:
        return True
    vat = breakdown.decimal("BT-117")
    if vat is None:
        return False
    if not cat.vat_from_rate:
        return vat == 0
    taxable, rate = breakdown.decimal("BT-116"), breakdown.decimal("BT-119")
    if taxable is None or rate is None:
        return False
    expected = _round(abs(taxable) * rate / _HUNDRED)
    return abs(abs(vat) - expected) < _ONE


def _exemption_ok(cat: Category, breakdown: Group) -> bool:
    has_reason = "BT-120" in breakdown.terms or "BT-121" in breakdown.terms
    return has_reason if cat.exemption else not has_reason


# -- generating the rules --------------------------------------------------------------------

_RATE_WORDS: dict[Rate, str] = {
    "positive": "greater than zero",
    "zero": "0 (zero)",
    "nonnegative": "zero or greater",
    "absent": "absent",
}

Check = Callable[[Invoice], Findings]


def _mine(cat: Category, breakdown: tuple[Group, str | None]) -> bool:
    return breakdown[1] == cat.code


def _make_breakdown(cat: Category) -> Check:
    def check(doc: Invoice) -> Findings:
        if not _breakdown_ok(cat, facts_of(doc)):
            yield doc

    return check


def _make_ids(cat: Category, which: Literal["lines", "allowances", "charges"]) -> Check:
    def check(doc: Invoice) -> Findings:
        f = facts_of(doc)
        if any(i.code == cat.code for i in getattr(f, which)) and not _ids_ok(cat, f):
            yield doc

    return check


def _make_rate(cat: Category, which: Literal["lines", "allowances", "charges"]) -> Check:
    def check(doc: Invoice) -> Iterator[Group | Term]:
        f = facts_of(doc)
        kind = cat.cii_rate if f.cii else cat.rate
        for item in getattr(f, which):
            if item.code == cat.code and not _rate_ok(kind, item.rate):
                yield item.rate if item.rate is not None else item.group

    return check


def _make_on_breakdown(cat: Category, test: Callable[[Category, _Facts, Group], bool]) -> Check:
    def check(doc: Invoice) -> Findings:
        f = facts_of(doc)
        for group, code in f.breakdowns:
            if code != cat.code:
                continue
            try:
                ok = test(cat, f, group)
            except ArithmeticError:  # amounts beyond decimal arithmetic cannot be shown to hold
                ok = False
            if not ok:
                yield group

    return check


# The rules of each category code, in the order defined.
_BY_CODE: dict[str, list[tuple[str, Check]]] = {}


def _category_findings(doc: Invoice) -> Iterator[tuple[str, Finding]]:
    """The findings of the whole category table in one call.

    A category whose code occurs nowhere (no line, allowance, charge or breakdown has it)
    passes all of its rules (each asks about items or breakdowns of that code, and "a
    breakdown exactly when used" holds with neither), so only the codes present are run.
    """
    f = facts_of(doc)
    present = set(f.used)
    present.update(code for _, code in f.breakdowns if code is not None)
    for code, rules in _BY_CODE.items():
        if code not in present:
            continue
        for rule_id, check in rules:
            for finding in check(doc):
                yield rule_id, finding


# The engine runs the table as one family; each row stays a rule of its own.
EN16931.family("vat-categories", _category_findings)


def _register(rule_id: str, message: str, terms: tuple[str, ...], check: Check) -> None:
    EN16931.rule(rule_id, "fatal", message, terms=terms)(check)


def _register_row(
    cat: Category, rule_id: str, message: str, terms: tuple[str, ...], check: Check
) -> None:
    _BY_CODE.setdefault(cat.code, []).append((rule_id, check))
    EN16931.member("vat-categories", rule_id, "fatal", message, terms=terms)(check)


def _define(cat: Category) -> None:
    p, n = f"BR-{cat.family}", f'"{cat.name}" ({cat.code})'
    _register_row(
        cat,
        f"{p}-01",
        f"Lines, allowances or charges with VAT category {n} need "
        + (
            "a VAT breakdown (BG-23) of that category, and a breakdown of it needs them."
            if cat.breakdown == "some"
            else "exactly one VAT breakdown (BG-23) of that category."
        ),
        ("BT-151", "BT-95", "BT-102", "BT-118"),
        _make_breakdown(cat),
    )
    if cat.seller == "none":
        ids = (
            "no seller VAT identifier (BT-31), tax representative VAT identifier (BT-63) "
            "or buyer VAT identifier (BT-48)"
        )
    else:
        seller = (
            "the seller VAT identifier (BT-31)"
            + ("" if cat.seller == "vat" else " or tax registration identifier (BT-32)")
            + " or the tax representative VAT identifier (BT-63)"
        )
        buyer = {
            "": "",
            "vat": ", and the buyer VAT identifier (BT-48)",
            "vat_or_legal": ", and the buyer VAT (BT-48) or legal registration (BT-47) identifier",
            "none": "",
        }[cat.buyer]
        ids = seller + buyer
    id_terms = ("BT-31", "BT-32", "BT-63", "BT-48", "BT-47")
    for num, which, what, code_id, rate_id in (
        ("02", "lines", "an invoice line (BG-25)", "BT-151", "BT-152"),
        ("03", "allowances", "a document level allowance (BG-20)", "BT-95", "BT-96"),
        ("04", "charges", "a document level charge (BG-21)", "BT-102", "BT-103"),
    ):
        kind: Literal["lines", "allowances", "charges"] = which  # type: ignore[assignment]
        _register_row(
            cat,
            f"{p}-{num}",
            f"An invoice with {what} of VAT category {n} must have {ids}.",
            (code_id, *id_terms),
            _make_ids(cat, kind),
        )
        _register_row(
            cat,
            f"{p}-{int(num) + 3:02d}",
            f"In {what} of VAT category {n} the VAT rate ({rate_id}) must be "
            f"{_RATE_WORDS[cat.rate]}.",
            (code_id, rate_id),
            _make_rate(cat, kind),
        )
    per_rate = " for its rate" if cat.taxable != "exact" else ""
    _register_row(
        cat,
        f"{p}-08",
        f"The taxable amount (BT-116) of the VAT breakdown for {n}{per_rate} must equal the "
        "line net amounts plus charges minus allowances of that category"
        + (" (to within 1)." if cat.taxable != "exact" else "."),
        (
            "BT-116",
            "BT-118",
            "BT-119",
            "BT-131",
            "BT-151",
            "BT-152",
            "BT-92",
            "BT-95",
            "BT-96",
            "BT-99",
            "BT-102",
            "BT-103",
        ),
        _make_on_breakdown(cat, _taxable_ok),
    )
    _register_row(
        cat,
        f"{p}-09",
        f"The VAT amount (BT-117) of the VAT breakdown for {n} must "
        + (
            "equal the taxable amount (BT-116) times the rate (BT-119), to within 1."
            if cat.vat_from_rate
            else "be 0 (zero)."
        ),
        ("BT-116", "BT-117", "BT-118", "BT-119"),
        _make_on_breakdown(cat, _vat_amount_ok),
    )
    _register_row(
        cat,
        f"{p}-10",
        f"The VAT breakdown for {n} "
        + (
            "must give an exemption reason (BT-120) or reason code (BT-121)."
            if cat.exemption
            else "must not give an exemption reason (BT-120 or BT-121)."
        ),
        ("BT-118", "BT-120", "BT-121"),
        _make_on_breakdown(cat, lambda c, _f, g: _exemption_ok(c, g)),
    )


for _category in CATEGORIES:
    _define(_category)


# The rules peculiar to one family (BR-IC-11/12, BR-O-11..14) and split payment (BR-B).
from defa.einvoice.rules.en16931 import vat_special  # noqa: E402

__all__ += ["vat_special"]
