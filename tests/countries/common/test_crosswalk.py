"""The tax category crosswalk: every answer below is reasoned from the cited code lists."""

from __future__ import annotations

from datetime import date

import pytest

from defa.einvoice.crosswalk import map_category, schemes
from defa.errors import LookupFailed, NotInForce

ON = date(2026, 1, 1)


def test_one_to_one_mappings_give_a_value() -> None:
    # PINT SG SR "Local supply of goods and services" is EN 16931 S (standard rated).
    assert map_category("SR", "sg-gst", "en16931", ON).value == "S"
    # VN "10%" is a positive rate: S; Thai Sec. 80/1 zero rate is EN Z's and SG ZR's meaning.
    assert map_category("10%", "vn-vat", "en16931", ON).value == "S"
    assert map_category("0%", "vn-vat", "th-vat", ON).value == "zero"
    # MyInvois E and PINT MY E are both "exempt".
    assert map_category("E", "myinvois", "my-sst", ON).value == "E"
    # MyInvois 01 (Sales Tax) and PINT MY SA (Sales Tax) name the same tax: exact.
    m = map_category("01", "myinvois", "my-sst", ON)
    assert (m.value, m.ambiguous) == ("SA", False)


def test_several_candidates_are_returned_not_chosen() -> None:
    # SG ZR covers exports (EN G) and other zero-rated supplies (EN Z).
    m = map_category("ZR", "sg-gst", "en16931", ON)
    assert (m.candidates, m.ambiguous, m.value) == (("Z", "G"), True, None)
    # EN E is either of Singapore's two exempt categories (regulation 33 or not).
    m = map_category("E", "en16931", "sg-gst", ON)
    assert m.candidates == ("ES33", "ESN33")
    assert m.value is None
    # MyInvois 06 "Not Applicable": out of scope (OS) or a non-registered supplier (NG).
    m = map_category("06", "myinvois", "sg-gst", ON)
    assert m.candidates == ("OS", "NG")
    assert m.ambiguous


def test_approximate_rows_are_flagged_with_their_reason() -> None:
    # SST is not a VAT: S is only the closest EN 16931 category for MY sales tax.
    m = map_category("SA", "my-sst", "en16931", ON)
    assert m.candidates == ("S",)
    assert m.ambiguous
    assert m.value is None
    assert "not a VAT" in m.reasons[0]
    assert m.confidence == "approximate"
    # Indonesia 07 (VAT not collected) has no EN 16931 category of its own.
    m = map_category("07", "id-vat", "en16931", ON)
    assert set(m.candidates) == {"E", "Z"}
    assert m.ambiguous


def test_no_candidate_is_ambiguous_too() -> None:
    # Malaysia's tourism tax is a charge per room-night: no EN 16931 category.
    m = map_category("TTX", "my-sst", "en16931", ON)
    assert m.candidates == ()
    assert m.ambiguous
    assert any("no code" in r for r in m.reasons)


def test_unknown_schemes_and_codes_are_lookup_errors() -> None:
    with pytest.raises(LookupFailed) as exc:
        map_category("S", "en16931", "xx-vat", ON)
    assert exc.value.code == "einvoice.unknown_tax_scheme"
    with pytest.raises(LookupFailed) as exc:
        map_category("Q", "en16931", "sg-gst", ON)
    assert exc.value.code == "einvoice.unknown_tax_category"


def test_the_crosswalk_is_dated() -> None:
    with pytest.raises(NotInForce):
        map_category("S", "en16931", "sg-gst", date(2020, 1, 1))


def test_every_row_code_belongs_to_its_scheme() -> None:
    from defa import data

    content = data.load("einvoice-tax-crosswalk", ON).content
    known = schemes(ON)
    for row in content["rows"]:
        assert row.get("confidence") in {"official", "reasoned", "approximate"}, row["id"]
        if row.get("ambiguous"):
            assert row.get("reason"), f"{row['id']}: ambiguous without a reason"
        for scheme, codes in known.items():
            assert set(row.get(scheme, ())) <= codes, f"{row['id']}: unknown {scheme} code"
    # every code of every scheme appears in some row: nothing is silently unmapped
    for scheme, codes in known.items():
        used = {c for row in content["rows"] for c in row.get(scheme, ())}
        assert codes == used, f"{scheme}: codes in no row: {sorted(codes - used)}"


def test_scheme_codes_match_the_published_code_lists() -> None:
    # PINT SG and PINT MY aligned tax category codes, and the MyInvois tax types, as listed
    # in specs/einvoice/pint-sg|pint-my/codelist/Aligned-TaxCategoryCodes.gc and
    # specs/einvoice/myinvois/05-code-tables/tax-types.md.
    import re

    from tests.shared import shared_path

    for scheme, parts in (
        ("sg-gst", ("specs", "einvoice", "pint-sg", "codelist", "Aligned-TaxCategoryCodes.gc")),
        ("my-sst", ("specs", "einvoice", "pint-my", "codelist", "Aligned-TaxCategoryCodes.gc")),
    ):
        text = shared_path(*parts).read_text(encoding="utf-8")
        ids = set(re.findall(r'ColumnRef="id">\s*<gc:SimpleValue>([^<]+)<', text))
        assert schemes(ON)[scheme] == ids
    table = shared_path("specs", "einvoice", "myinvois", "05-code-tables", "tax-types.md")
    codes = set(re.findall(r"^\| (\w+) \|", table.read_text(encoding="utf-8"), re.M)) - {"Code"}
    assert schemes(ON)["myinvois"] == codes


def test_a_vietnamese_other_rate_is_looked_up_by_its_code() -> None:
    # "KHAC:5.26%" is the code KHAC carrying its rate; KHAC is flagged (S likely, not sure).
    m = map_category("KHAC:5.26%", "vn-vat", "en16931", ON)
    assert m.code == "KHAC"
    assert m.candidates == ("S",)
    assert m.ambiguous
