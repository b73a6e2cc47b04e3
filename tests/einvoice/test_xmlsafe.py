"""Hostile XML is refused with the right code, before anything is expanded or fetched."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from defa import einvoice
from defa.einvoice import xmlsafe
from defa.errors import DefaError, InputRejected

UBL_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CBC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def invoice(body: str = "<cbc:ID>1</cbc:ID>", prolog: str = "") -> bytes:
    return (f'{prolog}<Invoice xmlns="{UBL_NS}" xmlns:cbc="{CBC_NS}">{body}</Invoice>').encode()


def code_of(source: object, **kw: int) -> str:
    with pytest.raises(InputRejected) as caught:
        xmlsafe.parse(source, **kw)  # type: ignore[arg-type]
    return caught.value.code


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]><lolz>&lol9;</lolz>"
)


def test_billion_laughs_is_refused_without_expansion() -> None:
    started = time.perf_counter()
    assert code_of(BILLION_LAUGHS.encode()) == "xml.forbidden_entity"
    assert time.perf_counter() - started < 1.0  # 10^9 "lol"s were never made


def test_a_doctype_is_refused() -> None:
    assert code_of(invoice(prolog='<!DOCTYPE Invoice SYSTEM "invoice.dtd">')) == (
        "xml.forbidden_dtd"
    )
    assert code_of(invoice(prolog="<!DOCTYPE Invoice>")) == "xml.forbidden_dtd"


def test_an_undeclared_entity_reference_is_refused() -> None:
    assert code_of(invoice("<cbc:ID>&secret;</cbc:ID>")) == "xml.forbidden_entity"


def test_predefined_entities_and_character_references_are_fine() -> None:
    root = xmlsafe.parse(invoice("<cbc:ID>A&amp;B&#x20;&lt;C&gt;</cbc:ID>"))
    assert root[0].text == "A&B <C>"


def test_external_entities_never_read_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    xml = invoice(
        "<cbc:ID>&xxe;</cbc:ID>",
        prolog=f'<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file://{secret}">]>',
    )
    with pytest.raises(InputRejected) as caught:
        einvoice.read(xml)
    assert caught.value.code == "xml.forbidden_entity"
    assert "TOP-SECRET-VALUE" not in str(caught.value)


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012  # shared by the handler instances of one test

    def do_GET(self) -> None:  # http.server's naming
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY x "fetched">')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request it gets."""
    _Recorder.hits = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.hits
    finally:
        server.shutdown()
        server.server_close()


def test_no_network_access_for_dtds_or_entities(loopback: tuple[str, list[str]]) -> None:
    url, hits = loopback
    attempts = [
        invoice(prolog=f'<!DOCTYPE Invoice SYSTEM "{url}/a.dtd">'),
        invoice(
            "<cbc:ID>&x;</cbc:ID>", prolog=f'<!DOCTYPE Invoice [<!ENTITY x SYSTEM "{url}/b">]>'
        ),
        invoice(prolog=f'<!DOCTYPE Invoice [<!ENTITY % p SYSTEM "{url}/c"> %p;]>'),
    ]
    for xml in attempts:
        with pytest.raises(InputRejected):
            einvoice.read(xml)
        # the same in UTF-16, which hides the markup from a byte-level scan
        with pytest.raises(InputRejected):
            einvoice.read(xml.decode().encode("utf-16"))
    assert hits == []


def test_xinclude_is_not_processed(tmp_path: Path) -> None:
    secret = tmp_path / "part.xml"
    secret.write_text("<x>INCLUDED</x>")
    xml = invoice(
        f'<cbc:Note><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret}"/>'
        "</cbc:Note>"
    )
    root = xmlsafe.parse(xml)
    assert b"INCLUDED" not in __import__("lxml.etree").etree.tostring(root)


def test_size_limit() -> None:
    xml = invoice("<cbc:Note>" + "x" * 5000 + "</cbc:Note>")
    assert code_of(xml, max_bytes=1000) == "input.too_large"
    assert code_of(xml.decode(), max_bytes=1000) == "input.too_large"
    assert xmlsafe.parse(xml, max_bytes=len(xml)) is not None


def test_size_limit_of_a_file_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    path.write_bytes(invoice("<cbc:Note>" + "x" * 5000 + "</cbc:Note>"))
    assert code_of(path, max_bytes=1000) == "input.too_large"
    assert xmlsafe.parse(path).tag == f"{{{UBL_NS}}}Invoice"


def test_a_huge_text_node_is_too_large() -> None:
    # without libxml2's "huge" option one text node may not pass 10 MB
    xml = invoice("<cbc:Note>" + "x" * 11_000_000 + "</cbc:Note>")
    assert code_of(xml) == "input.too_large"


def test_default_size_limit_is_50_megabytes() -> None:
    assert xmlsafe.MAX_BYTES == 50 * 1024 * 1024


def test_depth_limit() -> None:
    deep = "<a>" * 100 + "</a>" * 100
    assert code_of(deep.encode()) == "xml.too_deep"
    assert code_of(("<a>" * 20 + "</a>" * 20).encode(), max_depth=10) == "xml.too_deep"
    assert xmlsafe.parse(("<a>" * 20 + "</a>" * 20).encode(), max_depth=20) is not None
    # beyond libxml2's own limit the parser stops; still our code
    assert code_of(("<a>" * 300 + "</a>" * 300).encode()) == "xml.too_deep"


@pytest.mark.parametrize(
    "source",
    [b"", b"   ", b"hello", b"<a>", b"<a></b>", b"\xff\xfe\x00", "<a", b"<?xml version='1.0'?>"],
)
def test_not_xml(source: bytes | str) -> None:
    assert code_of(source) == "xml.not_xml"


def test_text_and_declared_encodings() -> None:
    text = '<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>'
    assert xmlsafe.parse(text).text == "é"
    assert xmlsafe.parse(text.encode("latin-1")).text == "é"
    assert xmlsafe.parse("<a>é</a>".encode("utf-16")).text == "é"


def test_a_missing_file_is_not_xml(tmp_path: Path) -> None:
    assert code_of(tmp_path / "missing.xml") == "xml.not_xml"


@pytest.mark.parametrize(
    ("xml", "code"),
    [
        (b"<foo/>", "einvoice.unknown_syntax"),
        (b"<Invoice xmlns='urn:example:other'/>", "xml.wrong_namespace"),
        (b"<CrossIndustryInvoice/>", "xml.wrong_namespace"),
    ],
)
def test_roots_that_are_not_invoices(xml: bytes, code: str) -> None:
    with pytest.raises(InputRejected) as caught:
        einvoice.read(xml)
    assert caught.value.code == code


def test_a_named_syntax_checks_the_root() -> None:
    with pytest.raises(InputRejected) as caught:
        einvoice.read(invoice(), syntax="cii")
    assert caught.value.code == "xml.wrong_root"


@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_our_errors(data: bytes) -> None:
    with contextlib.suppress(DefaError):
        einvoice.read(data)


@given(st.text(max_size=300))
def test_arbitrary_text_raises_only_our_errors(text: str) -> None:
    with contextlib.suppress(DefaError):
        einvoice.read(text)


_ELEMENT = st.sampled_from(["cbc:ID", "cbc:Note", "cac:InvoiceLine", "cac:Item", "x", "cbc:Amount"])


@st.composite
def ubl_like(draw: st.DrawFn) -> bytes:
    """Well-formed UBL-ish documents with arbitrary nesting, text and attributes."""
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        name = draw(_ELEMENT)
        text = draw(
            st.text(
                alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=10
            )
        )
        attr = draw(st.sampled_from(["", ' currencyID="EUR"', ' schemeID=""']))
        escaped = text.replace("&", "&amp;").replace("<", "&lt;")
        parts.append(f"<{name}{attr}>{escaped}</{name}>")
        if draw(st.booleans()):
            parts = [f"<cac:InvoiceLine>{''.join(parts)}</cac:InvoiceLine>"]
    body = "".join(parts)
    cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    head = f'<Invoice xmlns="{UBL_NS}" xmlns:cbc="{CBC_NS}" xmlns:cac="{cac}">'
    return f"{head}{body}</Invoice>".encode()


@given(ubl_like())
def test_arbitrary_ubl_like_documents_read_and_round_trip(xml: bytes) -> None:
    doc = einvoice.read(xml)
    again = einvoice.read(einvoice.write(doc, "ubl"))
    assert again.to_dict() == doc.to_dict()
    einvoice.convert(doc, to="cii")


def test_a_written_document_is_parsed_and_a_broken_one_gets_the_parse_issue() -> None:
    root = xmlsafe.parse_written(b"<a><b>1 &amp; 2</b></a>")
    assert root.findtext("b") == "1 & 2"
    with pytest.raises(InputRejected) as caught:
        xmlsafe.parse_written(b"<a><b></a>")
    assert caught.value.code == "xml.not_xml"
