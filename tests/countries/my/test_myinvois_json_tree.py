"""MyInvois JSON: the tree written as XML text and parsed is the one lxml's element calls build.

``to_tree`` writes a UBL-JSON document as XML text and parses it once; what it cannot write
exactly goes element by element (``etree.SubElement``), which also raises the refusals. The
expected trees and refusals here come from that element-by-element path.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from defa import einvoice
from defa.countries.my.myinvois import json_syntax
from defa.countries.my.myinvois.json_syntax import to_tree
from defa.einvoice import jsonsafe
from defa.errors import InputRejected
from tests.countries.my.conftest import JSON_SAMPLES, sample
from tests.shared import shared_path

AS_OF = datetime.date(2026, 11, 28)


def _peppol_examples() -> list[Path]:
    folder = shared_path("vectors", "einvoice", "peppol-bis3", "examples")
    return sorted(folder.glob("*.xml"))


def _shape(root: etree._Element) -> tuple[bytes, list[tuple[Any, ...]]]:
    """All a reader can see of a tree: its serialisation, and per element its namespaces in
    scope, text (None apart from ""), tail and attributes in order."""
    return etree.tostring(root), [
        (el.tag, el.nsmap, el.text, el.tail, list(el.attrib.items())) for el in root.iter()
    ]


def _by_elements(data: bytes) -> etree._Element:
    """``to_tree`` with every element built by an lxml call (the expected tree)."""
    with mock.patch.object(json_syntax, "_tree_from_text", side_effect=json_syntax._Unusual):
        return to_tree(data)


def _outcome(read: Any, data: bytes) -> tuple[Any, ...]:
    try:
        root = read(data)
    except InputRejected as exc:
        return ("refused", [(i.code, i.msg, i.loc, i.ctx) for i in exc.issues])
    return ("tree", _shape(root))


def _body(data: bytes) -> dict[str, Any]:
    parsed = jsonsafe.loads(data, len(data), 130, exact_numbers=True)
    body: dict[str, Any] = parsed["Invoice"][0]
    return body


def _assert_written_as_text(data: bytes) -> None:
    # the text pass takes the document (no fall-back) and gives the expected tree
    written = json_syntax._tree_from_text(_body(data))
    assert _shape(written) == _shape(_by_elements(data))


@pytest.mark.parametrize("name", JSON_SAMPLES)
def test_official_sample_is_written_as_text_into_the_same_tree(name: str) -> None:
    _assert_written_as_text(sample(name))


@pytest.mark.parametrize("path", _peppol_examples(), ids=lambda p: p.name)
def test_peppol_example_converted_is_written_as_text_into_the_same_tree(path: Path) -> None:
    converted = einvoice.convert(path.read_bytes(), to="my-myinvois-json", as_of=AS_OF)
    assert converted.document is not None
    _assert_written_as_text(converted.document)


def _document(elements: dict[str, Any]) -> bytes:
    return json.dumps({"_D": json_syntax.ubl.INVOICE, "Invoice": [elements]}).encode()


@pytest.mark.parametrize(
    "value",
    [
        "A & B <Sdn Bhd>",
        'say "hi"',
        "]]>",
        "tab\tline\nfeed",
        "",
        None,
        True,
        "é 😀 \ufffd \ue000",
        "&amp; &#13; <!-- x -->",
        "x &amp; y",
        "&lt;",
        "&#13;",
        "<",
        ">",
    ],
)
def test_text_and_attribute_values_needing_escapes_are_written_as_text(value: object) -> None:
    data = _document(
        {
            "Note": [{"_": value}],
            "LegalMonetaryTotal": [
                {"PayableAmount": [{"_": "1.00", "currencyID": value, "other": value}]}
            ],
        }
    )
    if value == "]]>":  # the parser refuses it in a text: built element by element
        assert _outcome(to_tree, data) == _outcome(_by_elements, data)
    else:
        _assert_written_as_text(data)


def test_an_empty_text_stays_apart_from_no_text() -> None:
    # lxml's el.text = "" keeps an empty text node; the reader and rules see "" and None
    data = _document({"Note": [{"_": ""}], "Delivery": [{}], "PaymentTerms": [{"Note": []}]})
    root = json_syntax._tree_from_text(_body(data))
    assert [el.text for el in root] == ["", None, None]
    assert _shape(root) == _shape(_by_elements(data))


@pytest.mark.parametrize(
    "elements",
    [
        {"Note": [{"_": "a\rb"}]},
        {"Note": [{"_": "x", "schemeID": "a\rb"}]},
        {"Note": [{"_": "\x00"}]},
        {"Note": [{"_": "\x1f"}]},
        {"Note": [{"_": "\ufffe"}]},
        {"Note": [{"_": "\uffff"}]},
        {"Note": [{"_": "\ud800"}]},
        {"Note": [{"_": "x", "schemeID": "\x0b"}]},
        {"Note": [{"_": "x", "xmlns": "urn:x"}]},
        {"Note": [{"_": "x", "xml:lang": "en"}]},
        {"Note": [{"_": "x", "{urn:x}a": "1"}]},
        {"Note": [{"_": "x", "a b": "1"}]},
        {"a:b": [{"_": "x"}]},
        {"xmlFoo": [{"_": "x"}]},
        {"Nöte": [{"_": "x"}]},
        {"": [{"_": "x"}]},
        {"Note": ["x"]},
        {"Note": [["x"]]},
        {"UBLExtensions": [{"UBLExtensions": [{"ID": [{"_": "1"}]}]}]},
        {"Note": [{"_": "x" * 11_000_000}]},
    ],
)
def test_what_the_text_pass_does_not_write_is_built_element_by_element(
    elements: dict[str, Any],
) -> None:
    data = _document(elements)
    with pytest.raises(json_syntax._Unusual):
        json_syntax._tree_from_text(_body(data))
    assert _outcome(to_tree, data) == _outcome(_by_elements, data)


def test_long_names_are_not_kept() -> None:
    name = "N" * 1000
    data = _document({name: [{"_": "x", name: "y"}], "Extra" + name: [{name: [{}]}]})
    _assert_written_as_text(data)
    kept = [*json_syntax._ATTRIBUTES, *(n for t in json_syntax._TAGS.values() for n in t)]
    assert all(len(n) <= 64 for n in kept)


@pytest.mark.parametrize("levels", [62, 63, 64, 65, 66])
def test_nesting_at_the_limit(levels: int) -> None:
    inner: dict[str, Any] = {"_": "x"}
    for _ in range(levels - 2):
        inner = {"Party": [inner]}
    data = _document({"AccountingSupplierParty": [inner]})
    assert _outcome(to_tree, data) == _outcome(_by_elements, data)


# -- generated UBL-JSON-like documents ----------------------------------------------------------

_SPECIAL = st.sampled_from([
    "&", "<", ">", '"', "'", "\r", "\n", "\t", "]]>", "\x00", "\x1f", "\x7f", "\x85",
    "\ufffe", "\uffff", "\ud800", "\udfff", "\ue000", "é", "😀", "&lt;", "<a/>", " ",
])  # fmt: skip
_TEXT = st.lists(st.one_of(_SPECIAL, st.characters(exclude_categories=())), max_size=6).map("".join)
_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.sampled_from(["", "MYR", "1.00", "TIN"]),
    _TEXT,
)
_ELEMENT_NAMES = st.sampled_from([
    "ID", "Party", "Note", "Amount", "UBLExtensions", "UBLExtension", "ExtensionContent",
    "UBLDocumentSignatures", "SignatureInformation", "Signature", "DigestMethod", "Cert",
    "_", "a.b-c", "x y", "", "1bad", "a:b", "xmlFoo", "XMLx", "Nöte", "{urn:x}y", "-a",
])  # fmt: skip
_ATTRIBUTE_NAMES = st.sampled_from([
    "currencyID", "schemeID", "Id", "_D", "a.b-c", "x y", "", "1a", "a:b", "xmlns",
    "xml:lang", "XmLx", "é", "{urn:x}a", "a\x00",
])  # fmt: skip


def _objects(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(
        st.one_of(st.just("_"), _ATTRIBUTE_NAMES, _ELEMENT_NAMES),
        st.one_of(
            _SCALAR,
            st.lists(children, max_size=3),
            st.dictionaries(st.sampled_from(["a", "_"]), _SCALAR, max_size=2),
        ),
        max_size=4,
    )


_ITEMS = st.recursive(
    st.one_of(_SCALAR, st.fixed_dictionaries({"_": _SCALAR})),
    lambda inner: st.one_of(_objects(inner), st.lists(inner, max_size=2)),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_ELEMENT_NAMES, st.one_of(st.lists(_ITEMS, max_size=3), _SCALAR)))
def test_generated_documents_give_the_same_tree_or_refusal(elements: dict[str, Any]) -> None:
    data = _document(elements)
    assert _outcome(to_tree, data) == _outcome(_by_elements, data)


@settings(max_examples=60, deadline=None)
@given(st.integers(55, 68), _ITEMS)
def test_deep_generated_documents_give_the_same_tree_or_refusal(levels: int, leaf: Any) -> None:
    inner: Any = leaf
    for _ in range(levels - 2):
        inner = {"Party": [inner], "schemeID": "x"}
    data = _document({"AccountingSupplierParty": [inner]})
    assert _outcome(to_tree, data) == _outcome(_by_elements, data)
