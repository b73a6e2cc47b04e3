"""MyInvois JSON written straight from the binding walk against the tree path.

``write_json`` builds the UBL-JSON objects from the walk of the binding table, without
an lxml element per element. The oracle is the tree path it replaces: the tree
``write_tree_of`` builds, turned into objects by ``from_tree`` and serialised as
``write_json`` serialises. Both must give the same bytes for every MyInvois sample, every
converted Peppol BIS 3 and PINT MY example, and generated values and attribute names;
what the tree refuses, ``write_json`` refuses the same way.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defa import einvoice
from defa.countries.my.myinvois import json_syntax, read_json, read_ubl, read_xml, write_json
from defa.countries.my.myinvois.xml_syntax import kept_extensions, write_tree_of
from defa.einvoice import profiles
from defa.einvoice.model import Invoice
from defa.errors import ValidationError
from tests.countries.my.conftest import JSON_SAMPLES, XML_SAMPLES, sample
from tests.shared import shared_path

conversion = importlib.import_module("defa.einvoice.convert")

FORMAT = "my-myinvois-json"
CONVERTED = (
    ("vectors", "einvoice", "peppol-bis3", "examples"),
    ("vectors", "einvoice", "pint-my", "1.3.1-billing"),
)


def _through_tree(doc: Invoice) -> bytes:
    """What write_json gave through the lxml tree."""
    tree = json_syntax.from_tree(write_tree_of(doc))
    return json.dumps(tree, ensure_ascii=False, separators=(",", ":")).encode()


def _outcome(write: Callable[[Invoice], bytes], doc: Invoice) -> bytes | str:
    """The bytes written, or the refusal: its code, or the type of another error."""
    try:
        return write(doc)
    except ValidationError as exc:
        return exc.issues[0].code
    except Exception as exc:  # an error of the walk itself: the same either way
        return type(exc).__name__


def _converted() -> list[tuple[str, str, Invoice]]:
    """The examples (name, kind) as a conversion into MyInvois JSON hands them to the writer."""
    fmt = profiles.get(FORMAT)
    assert fmt.prepare is not None
    out = []
    for folder in CONVERTED:
        for path in sorted(shared_path(*folder).glob("*.xml")):
            source = conversion.read_document(path.read_bytes())
            prepared = fmt.prepare(conversion._prepare(source, json_syntax.SYNTAX))
            out.append((path.name, source.kind, prepared))
    return out


def _base() -> Invoice:
    return read_xml(sample("1.1-Invoice-Sample.xml"))


def test_every_sample_writes_as_the_tree_did() -> None:
    signed = 0
    docs = [read_xml(sample(n)) for n in XML_SAMPLES] + [read_json(sample(n)) for n in JSON_SAMPLES]
    for doc in docs:
        assert json_syntax._written(doc) is not None  # not the tree
        assert write_json(doc) == _through_tree(doc)
        signed += kept_extensions(doc) is not None
    assert signed > 0  # the signature extension, inserted first, is covered


def test_every_converted_example_writes_as_the_tree_did() -> None:
    converted = _converted()
    assert len(converted) > 20
    assert {kind for _name, kind, _doc in converted} == {"invoice", "credit-note"}
    for name, _kind, doc in converted:
        assert json_syntax._written(doc) is not None, name
        assert write_json(doc) == _through_tree(doc), name


def test_every_example_read_as_it_is_writes_as_the_tree_did() -> None:
    # unprepared: credit notes stay credit notes (the table's kind-specific elements)
    credit_notes = 0
    for folder in CONVERTED:
        for path in sorted(shared_path(*folder).glob("*.xml")):
            for doc in (read_ubl(path.read_bytes()), einvoice.read(path.read_bytes())):
                assert json_syntax._written(doc) is not None, path.name
                assert write_json(doc) == _through_tree(doc), path.name
                credit_notes += doc.kind == "credit-note"
    assert credit_notes > 0


def test_an_empty_document_writes_as_the_tree_did() -> None:
    doc = Invoice()  # nothing to write
    assert write_json(doc) == _through_tree(doc)
    assert b'"Invoice":[{"_":""}]' in write_json(doc)


# Values from every character class (markup, white space, controls, surrogates, beyond
# the BMP), and attribute names plain, namespaced, refused by lxml, or kept by it under
# another name: anything the walk's emitter cannot take goes through the tree.
_VALUES = st.text(
    alphabet=st.sampled_from(list("aZ09 &<>\"'\t\n\r\x00\x01\x7f\ufffe\ud800é€𝄞"))
    | st.characters(),
    max_size=20,
)
_NAMES = st.sampled_from(
    [
        "schemeID",
        "_",
        "languageID",
        "{urn:example:other}note",
        "{http://www.w3.org/XML/1998/namespace}lang",
        "{}schemeID",
        "{urn:a}x",
        "{urn:b}x",
        "x",
        "a b",
        "xmlns",
        "1st",
        "",
    ]
)


@settings(max_examples=150, deadline=None)
@given(text=_VALUES, attrs=st.dictionaries(_NAMES, _VALUES, max_size=3), name=_VALUES)
def test_generated_values_write_as_the_tree_did(
    text: str, attrs: dict[str, str], name: str
) -> None:
    doc = _base()
    number = doc.term("BT-1")
    assert number is not None
    number.text = text
    number.attrs = attrs
    seller = doc.child("BG-4")
    assert seller is not None
    found = seller.term("BT-27")
    assert found is not None
    found.text = name
    assert _outcome(write_json, doc) == _outcome(_through_tree, doc)


def test_a_value_xml_cannot_carry_goes_through_the_tree() -> None:
    doc = _base()
    number = doc.term("BT-1")
    assert number is not None
    number.text = "INV\x01"
    assert json_syntax._written(doc) is None
    with pytest.raises(ValidationError) as caught:
        write_json(doc)
    assert caught.value.issues[0].code == "einvoice.value_not_carried"


def test_attribute_names_go_by_local_name_as_the_tree_gives_them() -> None:
    doc = _base()
    number = doc.term("BT-1")
    assert number is not None
    # one name lxml keeps as another ("{}a" is "a"): the tree decides which value stays
    number.attrs = {"{urn:a}x": "1", "schemeID": "2", "{urn:b}x": "3", "{}schemeID": "4"}
    assert json_syntax._written(doc) is None
    written = write_json(doc)
    assert written == _through_tree(doc)
    del number.attrs["{}schemeID"]
    assert json_syntax._written(doc) is not None
    assert write_json(doc) == _through_tree(doc)
    assert b'{"_":"' + number.text.encode() + b'","x":"3","schemeID":"2"}' in write_json(doc)
