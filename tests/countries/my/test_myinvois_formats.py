"""The MyInvois formats: registration, detection, preparation, and MyInvois <-> PINT MY."""

from __future__ import annotations

import pytest
from lxml import etree

from defa.countries.my.myinvois import read_json, read_xml, write_xml
from defa.countries.my.myinvois.xml_syntax import read_ubl, write_ubl
from defa.einvoice import profiles
from defa.einvoice.syntax import ubl
from defa.errors import InputRejected
from tests.countries.my.conftest import XML_SAMPLES, sample, sample_dir


@pytest.mark.parametrize(
    ("format_id", "syntax"), [("my-myinvois-xml", "ubl"), ("my-myinvois-json", "myinvois-json")]
)
def test_formats_are_registered(format_id: str, syntax: str) -> None:
    fmt = profiles.get(format_id)
    assert (fmt.syntax, fmt.rules, fmt.country) == (syntax, "my-myinvois", "MY")
    assert fmt.confidence == "public-docs"
    assert "LHDN" in fmt.source
    assert fmt.version == "1.0, 1.1"


def test_detection_of_each_form() -> None:
    assert profiles.detect(read_xml(sample("1.1-Invoice-Sample.xml"))).id == "my-myinvois-xml"
    assert profiles.detect(read_json(sample("1.0-Invoice-Sample.json"))).id == "my-myinvois-json"
    # read by the engine's UBL reader: the version stays on BT-3's attributes
    engine = ubl.read(sample("1.0-Debit-Note-Sample.xml"))
    assert profiles.detect(engine).id == "my-myinvois-xml"


def test_pint_my_is_not_myinvois() -> None:
    pint = sample_dir().parent / "pint-my" / "1.3.1-billing" / "Invoice-Sample-SA_1.3.0.xml"
    assert profiles.detect(ubl.read(pint.read_bytes())).id != "my-myinvois-xml"


def test_prepare_shapes_a_pint_document_for_myinvois() -> None:
    pint = sample_dir().parent / "pint-my" / "1.3.1-billing" / "Invoice-Sample-SA_1.3.0.xml"
    doc = ubl.read(pint.read_bytes())
    out = profiles.get("my-myinvois-xml").prepare(doc)  # type: ignore[misc]
    assert out.child("BG-2") is None
    assert out.value("MY-VERSION") == "1.1"
    assert doc.child("BG-2") is not None, "the source is not changed"
    written = read_xml(write_xml(out))
    assert written.value("BT-1") == doc.value("BT-1")


def test_prepare_takes_the_version_from_the_type_code() -> None:
    doc = ubl.read(sample("1.0-Invoice-Sample.xml"))
    out = profiles.get("my-myinvois-json").prepare(doc)  # type: ignore[misc]
    assert out.value("MY-VERSION") == "1.0"
    assert "listVersionID" not in out.term("BT-3").attrs


@pytest.mark.parametrize("name", XML_SAMPLES)
def test_myinvois_to_pint_my_and_back_keeps_every_value(name: str) -> None:
    doc = read_xml(sample(name))
    pint = profiles.get("my-pint").prepare(doc)  # type: ignore[misc]
    as_pint = read_ubl(write_xml(pint))
    assert profiles.detect(as_pint).id in ("my-pint", "my-pint-selfbilling")
    back = profiles.get("my-myinvois-xml").prepare(as_pint)  # type: ignore[misc]
    assert read_xml(write_xml(back)).to_dict() == doc.to_dict()


def test_prepare_makes_a_pint_credit_note_a_myinvois_credit_note() -> None:
    pint = sample_dir().parent / "pint-my" / "1.3.1-billing" / "CreditNote-Sample-SA_1.3.0.xml"
    doc = ubl.read(pint.read_bytes())
    assert (doc.kind, doc.value("BT-3")) == ("credit-note", "381")
    out = read_xml(write_xml(profiles.get("my-myinvois-xml").prepare(doc)))  # type: ignore[misc]
    # UNTDID 1001 381 (credit note) is MyInvois type 02, written on the Invoice root
    assert out.value("BT-3") == "02"
    assert len(out.children("BG-25")) == len(doc.children("BG-25")) > 0
    assert out.children("BG-25")[0].value("BT-131") == doc.children("BG-25")[0].value("BT-131")


def _pint_samples() -> list[str]:
    return sorted(p.name for p in (sample_dir().parent / "pint-my" / "1.3.1-billing").glob("*.xml"))


@pytest.mark.parametrize("name", _pint_samples())
def test_read_ubl_reads_every_pint_my_sample_whole_and_writes_it_back(name: str) -> None:
    # Invoices and credit notes alike: every element is read (no issue), and the UBL
    # document write_ubl makes reads back to the same model, root kept.
    data = (sample_dir().parent / "pint-my" / "1.3.1-billing" / name).read_bytes()
    doc = read_ubl(data)
    assert doc.issues == []
    credit = etree.fromstring(data).tag.endswith("}CreditNote")
    assert doc.kind == ("credit-note" if credit else "invoice")
    written = write_ubl(doc)
    assert etree.fromstring(written).tag == etree.fromstring(data).tag
    assert read_ubl(written).to_dict() == doc.to_dict()


def test_a_ubl_credit_note_is_still_not_a_myinvois_document() -> None:
    # MyInvois credit notes are Invoices with type code 02: read_xml refuses the CreditNote
    # root that read_ubl accepts for PINT MY.
    pint = sample_dir().parent / "pint-my" / "1.3.1-billing" / "CreditNote-Sample-SA_1.3.0.xml"
    with pytest.raises(InputRejected) as caught:
        read_xml(pint.read_bytes())
    assert caught.value.issues[0].code == "xml.wrong_root"
