"""The text writer against lxml's serialisation of the same model written as a tree.

UBL and CII documents are serialised as text straight from the binding walk
(``write_xml``), not through one lxml element per element. The oracle here is lxml
itself: the tree the same walk builds (``build``), serialised by ``to_xml``, must give the
same bytes, for every official example and for values that need escaping; a value XML
cannot carry is refused the same way by both.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from defa import einvoice
from defa.einvoice.model import Invoice, Term
from defa.einvoice.syntax import _write, cii, ubl
from defa.einvoice.syntax._write import to_xml
from defa.errors import ValidationError
from tests.shared import shared_path

FOLDERS = (
    ("vectors", "einvoice", "en16931", "examples-ubl"),
    ("vectors", "einvoice", "en16931", "examples-cii"),
    ("vectors", "einvoice", "en16931", "testfiles"),
    ("vectors", "einvoice", "peppol-bis3", "examples"),
)
SYNTAXES = {"ubl": ubl, "cii": cii}


def _base_example() -> Invoice:
    """The Peppol BIS 3 base example, read afresh (the tests change it)."""
    path = shared_path("vectors", "einvoice", "peppol-bis3", "examples", "base-example.xml")
    return einvoice.read(path.read_bytes())


def _examples() -> list[Path]:
    return [p for folder in FOLDERS for p in sorted(shared_path(*folder).glob("*.xml"))]


@pytest.fixture(scope="module")
def models() -> dict[str, Invoice]:
    return {p.name: einvoice.read(p.read_bytes()) for p in _examples()}


@pytest.mark.parametrize("syntax", ["ubl", "cii"])
def test_every_example_serialises_as_lxml_does(models: dict[str, Invoice], syntax: str) -> None:
    module = SYNTAXES[syntax]
    assert len(models) > 40
    credit_notes = 0
    for name, doc in models.items():
        written = module.write(doc)
        assert written == to_xml(module.build(doc)), name
        credit_notes += doc.kind == "credit-note"
    assert credit_notes > 0  # the UBL CreditNote's reordered children are covered


# Every character class the serialiser treats apart: markup, quotes, white space (escaped
# in attributes, \r also in text), non-ASCII in and beyond the BMP.
_TEXTS = st.text(
    alphabet=st.sampled_from(list("aZ09 &<>\"'\t\n\r]=;#/é€𝄞中")) | st.characters(),
    max_size=30,
)


@pytest.mark.parametrize("syntax", ["ubl", "cii"])
@settings(max_examples=60, deadline=None)
@given(name=_TEXTS, scheme=_TEXTS, note=_TEXTS)
def test_escaped_values_serialise_as_lxml_does(
    syntax: str, name: str, scheme: str, note: str
) -> None:
    doc = _base_example()
    seller = doc.child("BG-4")
    assert seller is not None
    found = seller.term("BT-27")
    assert found is not None
    found.text = name
    doc.add(Term("BT-22", note, "", {"languageID": scheme}))
    module = SYNTAXES[syntax]
    try:
        expected: bytes | str = to_xml(module.build(doc))
    except (ValueError, TypeError):
        expected = "refused"
    refusal = ""
    try:
        written: bytes | str = module.write(doc)
    except ValidationError as exc:
        refusal = exc.issues[0].code
        written = "refused"
    assert refusal in ("", "einvoice.value_not_carried")
    assert written == expected
    if isinstance(written, bytes):
        back = einvoice.read(written)
        back_seller = back.child("BG-4")
        assert back_seller is not None
        assert back_seller.value("BT-27") == name


def test_control_character_is_refused() -> None:
    doc = _base_example()
    term = doc.term("BT-1")
    assert term is not None
    term.text = "INV\x01"
    for module in (ubl, cii):
        with pytest.raises(ValidationError) as caught:
            module.write(doc)
        assert caught.value.issues[0].code == "einvoice.value_not_carried"


def test_attribute_in_an_undeclared_namespace_is_written_as_lxml_writes_it() -> None:
    doc = _base_example()
    term = doc.term("BT-1")
    assert term is not None
    term.attrs = {
        "{urn:example:other}note": "x",
        "{http://www.w3.org/XML/1998/namespace}lang": "en",
    }
    written = ubl.write(doc)
    assert written == to_xml(ubl.build(doc))
    root = etree.fromstring(written)
    element = root.find("{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}ID")
    assert element is not None
    assert element.get("{urn:example:other}note") == "x"


def test_escaping_by_hand() -> None:
    doc = _base_example()
    term = doc.term("BT-1")
    assert term is not None
    term.text = "a&b<c>d\r\ne\"f'g"
    term.attrs = {"schemeID": 'x"y&z<\t\n\r'}
    written = ubl.write(doc)
    # XML 1.0 section 2.4 and 3.3.3: markup characters escaped; a carriage return and the
    # white space of an attribute value as character references, so that they survive
    assert (
        b'<cbc:ID schemeID="x&quot;y&amp;z&lt;&#9;&#10;&#13;">'
        b"a&amp;b&lt;c&gt;d&#13;\ne\"f'g</cbc:ID>" in written
    )
    back = einvoice.read(written)
    again = back.term("BT-1")
    assert again is not None
    assert again.text == "a&b<c>d\r\ne\"f'g"


def _pair(term: Term, i: int, subs: list[Term], bases: list[Term]) -> Term | None:
    """The pairing rule, one term at a time: a sub-term read from an attribute (its
    location its element's plus ``/@name``) pairs with the base at that element; otherwise
    by position when there are as many of each, and a lone base takes the first."""
    if not subs:
        return None
    base_locs = {t.loc for t in bases if t.loc}
    by_loc = [s for s in subs if s.loc.rpartition("/@")[0] in base_locs]
    if by_loc:
        return next((s for s in by_loc if s.loc.rpartition("/@")[0] == term.loc), None)
    if len(subs) == len(bases) and i < len(bases):
        return subs[i]
    return subs[0] if len(bases) == 1 else None


_LOCS = st.sampled_from(["", "/a", "/a[2]", "/b", "/a/@x", "/a[2]/@x", "/b/@y", "/c/@x"])


@settings(max_examples=200, deadline=None)
@given(base_locs=st.lists(_LOCS, max_size=4), sub_locs=st.lists(_LOCS, max_size=4))
def test_pairing_made_once_pairs_as_each_pairing(base_locs: list[str], sub_locs: list[str]) -> None:
    bases = [Term("BT-29", str(k), loc) for k, loc in enumerate(base_locs)]
    subs = [Term("BT-29-1", f"s{k}", loc) for k, loc in enumerate(sub_locs)]
    pairs = _write._Pairs(subs, bases)
    for i, term in enumerate(bases):
        assert pairs.of(term, i) is _pair(term, i, subs, bases)
