"""Any-to-any conversion: official samples of every source format into every format.

Every pair must convert without an exception, list each value it could not carry, and
return the target format's check of its output. Only the pairs in ``VALID`` are claimed to
give a valid document (zero errors in ``conversion.check``); the reason for each claim is
written beside it. For the other pairs the target requires something the source does not
hold (a Singapore UEN and UUID, a Malaysian TIN, a Vietnamese invoice symbol...), or a tax
category has no single counterpart in the target scheme: those are reported, never invented.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from functools import cache

import pytest
from lxml import etree

from defa import einvoice
from defa.einvoice import profiles
from defa.einvoice.convert import Conversion
from defa.einvoice.model import Invoice, Term
from defa.einvoice.syntax import ubl_binding
from defa.errors import LookupFailed, Report, Severity
from tests.countries.id.test_einvoice import SAMPLE as ID_SAMPLE
from tests.countries.kh.test_einvoice import PORTAL_INVOICE as KH_SAMPLE
from tests.countries.ph.test_einvoice import SAMPLE as PH_SAMPLE
from tests.countries.vn.test_einvoice import SAMPLE as VN_SAMPLE
from tests.einvoice.values import values as term_values
from tests.shared import shared_path

VECTORS = ("vectors", "einvoice")


def _vector(*parts: str) -> Callable[[], bytes]:
    return lambda: shared_path(*VECTORS, *parts).read_bytes()


# A few documents per source format: the official samples, and the national test documents
# of the country tests where no official sample is published (VN, ID, PH, KH).
SOURCES: dict[str, Callable[[], bytes | str | Invoice]] = {
    "bis3-base": _vector("peppol-bis3", "examples", "base-example.xml"),
    "bis3-zero": _vector("peppol-bis3", "examples", "vat-category-Z.xml"),
    "en16931-ubl-1": _vector("en16931", "examples-ubl", "ubl-tc434-example1.xml"),
    "sg-pint-02": _vector("pint-sg", "1.4.1", "PINT-SG INV example 02 - full valid invoice 1.xml"),
    "sg-pint-09": _vector("pint-sg", "1.4.1", "PINT-SG INV example 09 - Zero rated GST.xml"),
    "my-pint-sa": _vector("pint-my", "1.3.1-billing", "Invoice-Sample-SA_1.3.0.xml"),
    # a credit note with tourism tax: line tax totals, issue time, MyInvois fields
    "my-pint-ttx-cn": _vector("pint-my", "1.3.1-billing", "CreditNote-Sample-TTX_1.3.0.xml"),
    "myinvois-xml": _vector("myinvois", "1.1-Invoice-Sample.xml"),
    "myinvois-json": _vector("myinvois", "1.1-Invoice-Sample.json"),
    "th-etda": _vector("etda", "INV71800001.xml"),
    "vn-gdt": lambda: VN_SAMPLE.encode() if isinstance(VN_SAMPLE, str) else VN_SAMPLE,
    "id-efaktur": lambda: ID_SAMPLE,
    "ph-eis": lambda: PH_SAMPLE,
    # written from the element table of GDT's CamInvoice developer portal
    "kh-caminvoice": lambda: KH_SAMPLE,
}
TARGETS = profiles.format_ids()
# The national test documents are dated before some formats' rules came into force; the
# targets are judged on a day every format is in force (PINT SG and MY 1.x: 2026-06-08).
ON = date(2026, 7, 1)

_EN16931 = ("ubl", "cii")
_CAMINVOICE = "kh-caminvoice"
# The pairs claimed valid, with the reason.
VALID: dict[tuple[str, str], str] = {
    # EN 16931 sources that pass the EN 16931 and Peppol rules and hold only UNTDID 5305
    # categories: UBL and CII hold every term they use, and the same rules apply.
    **{(s, t): "EN 16931 in, EN 16931 out" for s in ("bis3-base", "bis3-zero") for t in _EN16931},
    **{(s, "peppol-bis3"): "same format" for s in ("bis3-base", "bis3-zero")},
    **{("en16931-ubl-1", t): "EN 16931 in, EN 16931 out" for t in _EN16931},
    # A format into itself: the sample passes its own rules (checked below) and nothing is
    # lost on the way (checked by the loss test).
    ("my-pint-sa", "my-pint"): "same format",
    # PINT MY credit notes are read and written with the MyInvois elements they carry
    # (the line tax totals aligned-ibrp-ttx-09 sums among them).
    ("my-pint-ttx-cn", "my-pint"): "same format",
    # The PINT SG samples carry their UUID (BT-SG-003) and the tax representative's GST
    # identifier (BT-63-GST), which the UBL binding reads and writes as extension terms.
    ("sg-pint-02", "sg-pint"): "same format",
    ("sg-pint-09", "sg-pint"): "same format",
    ("th-etda", "th-etda"): "same format",
    ("vn-gdt", "vn-gdt"): "same format",
    ("id-efaktur", "id-efaktur"): "same format",
    ("ph-eis", "ph-eis"): "same format",
    # The CamInvoice rules ask for the tax-invoice contents of Cambodian law and what GDT's
    # developer portal makes mandatory: among them the buyer's CamInvoice ID (endpoint id),
    # VAT TIN, address and legal name, and for a currency other than KHR the tax exchange
    # rate to KHR (cac:TaxExchangeRate). bis3-base and my-pint-sa hold the parties' contents
    # but are in EUR and MYR with no rate to KHR (none is invented); the others lack at least
    # the buyer's endpoint id or TIN.
    ("kh-caminvoice", _CAMINVOICE): "same format",
    # A PINT MY billing sample into PINT MY self-billing: the same rules, but for the
    # specification id and the type codes (ibr-cl-01 of the self-billing release allows 389
    # for an invoice and 261 for a credit note), which the conversion sets.
    **{
        (s, "my-pint-selfbilling"): "self-billing type codes set"
        for s in SOURCES
        if s.startswith("my-pint")
    },
}


@cache
def _convert(source: str, target: str) -> Conversion:
    return einvoice.convert(SOURCES[source](), to=target, as_of=ON)


def _errors(report: Report | None) -> list[str]:
    assert report is not None
    return [i.rule_id or i.code for i in report.issues if i.severity is Severity.ERROR]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_pair_converts_checks_and_lists_every_loss(source: str, target: str) -> None:
    result = _convert(source, target)
    assert result.format == target
    assert result.document
    assert result.output is not None
    assert result.check is not None
    # Every loss is an issue of the report, at its place, and nothing else claims to be one.
    listed = Counter(
        (i.ctx["term"], i.loc)
        for i in result.report.issues
        if i.code == "einvoice.value_not_carried" and i.ctx.get("to") == target
    )
    assert listed == Counter((loss.term, loss.path) for loss in result.losses)


@pytest.mark.parametrize(("source", "target"), sorted(VALID))
def test_claimed_pairs_give_a_valid_document(source: str, target: str) -> None:
    assert _errors(_convert(source, target).check) == [], VALID[(source, target)]


def test_no_pair_outside_the_claims_is_valid() -> None:
    # Keeps the claims (and docs/einvoice-conversion.md) in step with what conversion does:
    # a pair that becomes valid is added to VALID with its reason.
    valid = {
        (s, t)
        for s in SOURCES
        for t in TARGETS
        if (s, t) not in VALID and not _errors(_convert(s, t).check)
    }
    assert valid == set()


@pytest.mark.parametrize(
    "source", ["my-pint-sa", "my-pint-ttx-cn", "th-etda", "vn-gdt", "id-efaktur", "ph-eis"]
)
def test_the_same_format_samples_are_valid_and_lose_nothing(source: str) -> None:
    # The premise of the "same format" claims: the sample itself is valid.
    assert _errors(einvoice.check(SOURCES[source](), as_of=ON)) == []
    target = "my-pint" if source.startswith("my-pint") else source
    result = _convert(source, target)
    assert result.losses == []
    # and every element the sample holds was read (none reported unmapped)
    assert [i.loc for i in result.report.issues if i.code == "einvoice.unmapped_element"] == []


def _categories(doc: Invoice | None) -> list[Term]:
    assert doc is not None
    return [t for g in doc.walk() for tid in profiles.CATEGORY_TERMS for t in g.terms.get(tid, [])]


def test_a_zero_rated_bis3_invoice_becomes_zr_under_gst_in_pint_sg() -> None:
    # EN 16931 Z is one row of the crosswalk, with the PINT SG code ZR alone: no choice.
    result = _convert("bis3-zero", "sg-pint")
    cats = _categories(result.output)
    assert cats
    assert {(t.text, t.attrs.get("cac:TaxScheme/cbc:ID")) for t in cats} == {("ZR", "GST")}
    errors = set(_errors(result.check))
    assert not errors & {"BR-CL-17-GST-SG", "BR-CL-18-GST-SG", "BR-47-GST-SG"}
    # What is left is what a Danish invoice cannot hold: ZR needs a Singapore seller's GST
    # id, UEN and UUID, and SGD accounting (BR-105/108/112/113-GST-SG); the Danish CVR
    # number breaks the PINT scheme pattern (ibr-070).
    assert errors <= {
        "ibr-070",
        "BR-105-GST-SG",
        "BR-108-GST-SG",
        "BR-112-GST-SG",
        "BR-113-GST-SG",
    }


def test_a_standard_rated_category_is_listed_not_guessed_for_singapore() -> None:
    # PINT SG has five standard-rated codes (SR, the OVR and low-value-goods variants, a
    # deemed supply DS): which one applies is the seller's fact, so S stays and is listed.
    result = _convert("bis3-base", "sg-pint")
    assert {t.text for t in _categories(result.output)} == {"S"}
    listed = [i for i in result.report.issues if "candidates" in i.ctx]
    assert {i.ctx["term"] for i in listed} == {"BT-118", "BT-151", "BT-102"}
    for issue in listed:
        assert set(issue.ctx["candidates"]) == {"SR", "SROVR-RS", "SROVR-LVG", "SRLVG", "DS"}
        assert issue.severity is Severity.WARNING
    assert "BR-CL-17-GST-SG" in _errors(result.check)


def test_a_singapore_sr_becomes_s_in_peppol_bis3() -> None:
    # SR is only in the crosswalk's "standard" row, whose EN 16931 code is S alone.
    result = _convert("sg-pint-02", "peppol-bis3")
    source = einvoice.read(SOURCES["sg-pint-02"]())
    assert "SR" in {t.text for t in _categories(source)}
    assert "SR" not in {t.text for t in _categories(result.output)}
    assert not {"BR-CL-17", "BR-CL-18"} & set(_errors(result.check))


def test_sst_has_no_single_en16931_category_and_is_listed() -> None:
    # SA (sales tax) is a single-stage tax, not a VAT: S is only the closest category, so
    # the crosswalk flags it and the BIS 3 output keeps SA, listed.
    result = _convert("my-pint-sa", "peppol-bis3")
    listed = {i.ctx["value"] for i in result.report.issues if "candidates" in i.ctx}
    assert "SA" in listed
    assert "BR-CL-17" in _errors(result.check)


@pytest.mark.parametrize("name", ["1.1-Invoice-Sample.xml", "1.1-Invoice-Sample.json"])
def test_myinvois_to_pint_my_and_back_keeps_every_value(name: str) -> None:
    data = shared_path(*VECTORS, "myinvois", name).read_bytes()
    back_to = "my-myinvois-json" if name.endswith(".json") else "my-myinvois-xml"
    there = einvoice.convert(data, to="my-pint")
    assert there.losses == []
    back = einvoice.convert(there.document, to=back_to)
    assert back.losses == []
    original = einvoice.convert(data, to=back_to)  # the same document, as that format writes it

    def values(doc: Invoice | None) -> Counter[tuple[str, str, str]]:
        assert doc is not None
        return term_values(doc)

    assert values(original.output) - values(back.output) == Counter()
    # The MyInvois tax type 01 (sales tax) is PINT MY SA on the way, exactly (one tax).
    assert {t.text for t in _categories(there.output)} <= {"SA", "SE", "E", "O", "TTX"}


@pytest.mark.parametrize("name", ["1.0-Invoice-Sample.xml", "1.1-Credit-Note-Sample.xml"])
def test_myinvois_countries_are_alpha2_in_pint_my(name: str) -> None:
    """MyInvois writes ISO 3166-1 alpha-3 codes (MYS); PINT MY states alpha-2 (ibr-cl-14,
    ibr-cl-15), and the way back writes alpha-3 again."""
    data = shared_path(*VECTORS, "myinvois", name).read_bytes()
    codes_xpath = (
        "//cac:Country/cbc:IdentificationCode/text()"
        "|//cac:OriginCountry/cbc:IdentificationCode/text()"
    )
    ns = {"cac": ubl_binding.CAC, "cbc": ubl_binding.CBC}
    source_codes = etree.fromstring(data).xpath(codes_xpath, namespaces=ns)
    assert "MYS" in source_codes
    there = einvoice.convert(data, to="my-pint")
    written = etree.fromstring(there.document).xpath(codes_xpath, namespaces=ns)
    # the same countries, each MYS written as MY (ISO 3166-1 Malaysia)
    assert written == ["MY" if c == "MYS" else c for c in source_codes]
    errors = _errors(there.check)
    assert "ibr-cl-14" not in errors
    assert "ibr-cl-15" not in errors
    back = einvoice.convert(there.document, to="my-myinvois-xml")
    assert etree.fromstring(back.document).xpath(codes_xpath, namespaces=ns) == source_codes


def test_unknown_tax_scheme_is_refused_on_first_use() -> None:
    step = profiles.map_tax_categories("no-such-scheme")
    with pytest.raises(LookupFailed) as caught:
        step(Invoice())
    assert caught.value.issues[0].code == "einvoice.unknown_tax_scheme"
