"""The MyInvois v1.1 signature: made with a test key, verified, and broken by any tampering.

The method is LHDN's signature guide (steps 1-8). The official 1.1 samples are documents
LHDN published signed, so their digests and signature value must verify with the
certificate each carries (where a sample was not edited after it was signed).
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import UTC, datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from defa.countries.my.myinvois import read_xml, write_json, write_xml
from defa.countries.my.myinvois.json_syntax import to_tree
from defa.countries.my.myinvois.signature import (
    canonical_document,
    certificate_digest,
    document_digest,
    sign,
    signed_properties_digest,
    verify,
)
from tests.countries.my.conftest import sample

Signer = tuple[rsa.RSAPrivateKey, x509.Certificate]
NS = {
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "xades": "http://uri.etsi.org/01903/v1.3.2#",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
WHEN = datetime(2024, 7, 23, 0, 40, tzinfo=UTC)


def _parts(document: bytes) -> list[str]:
    return sorted(str(i.ctx["part"]) for i in verify(document).issues)


@pytest.fixture(scope="module")
def signed(signer: Signer) -> bytes:
    key, certificate = signer
    return sign(sample("1.1-Invoice-Sample.xml"), key, certificate, signing_time=WHEN)


def test_signed_document_verifies(signed: bytes, signer: Signer) -> None:
    result = verify(signed)
    assert result.valid, result.issues
    assert result.signing_time == "2024-07-23T00:40:00Z"
    assert result.certificate == signer[1]


def test_signature_structure_is_the_guides(signed: bytes, signer: Signer) -> None:
    root = etree.fromstring(signed)
    sig = root.xpath("//ds:Signature", namespaces=NS)[0]
    assert sig.get("Id") == "signature"
    info = sig.find("ds:SignedInfo", NS)
    assert info.find("ds:SignatureMethod", NS).get("Algorithm").endswith("#rsa-sha256")
    refs = info.findall("ds:Reference", NS)
    assert [(r.get("Id"), r.get("URI")) for r in refs] == [
        ("id-doc-signed-data", ""),
        (None, "#id-xades-signed-props"),
    ]
    props = sig.xpath("ds:Object/xades:QualifyingProperties/xades:SignedProperties", namespaces=NS)
    assert props[0].get("Id") == "id-xades-signed-props"
    # step 5: CertDigest is the Base64 SHA-256 of the certificate's DER form
    der = signer[1].public_bytes(Encoding.DER)
    expected = base64.b64encode(hashlib.sha256(der).digest()).decode()
    assert certificate_digest(signer[1]) == expected
    assert props[0].xpath(".//xades:CertDigest/ds:DigestValue/text()", namespaces=NS) == [expected]
    serial = props[0].xpath(".//ds:X509SerialNumber/text()", namespaces=NS)
    assert serial == [str(signer[1].serial_number)]
    # cac:Signature sits before the supplier, as UBL 2.1 orders it
    names = [etree.QName(el).localname for el in root]
    assert names[0] == "UBLExtensions"
    assert names.index("Signature") == names.index("AccountingSupplierParty") - 1


def test_document_digest_leaves_out_the_signature_parts(signed: bytes) -> None:
    # steps 1-3: the digest of the document without UBLExtensions and cac:Signature is the
    # digest of the unsigned original, whatever its indentation
    original = etree.fromstring(sample("1.1-Invoice-Sample.xml"))
    assert document_digest(etree.fromstring(signed)) == document_digest(original)
    assert b"UBLExtensions" not in canonical_document(etree.fromstring(signed))


def test_tampered_document_value_fails(signed: bytes) -> None:
    tampered = signed.replace(b"XML-INV12345", b"XML-INV12346", 1)
    assert _parts(tampered) == ["document_digest", "signature_value"]


def test_tampered_amount_fails(signed: bytes) -> None:
    tampered = signed.replace(b">1436.50<", b">1436.51<", 1)
    assert "document_digest" in _parts(tampered)


def test_tampered_signed_property_fails(signed: bytes) -> None:
    tampered = re.sub(
        rb"<xades:SigningTime>[^<]*", b"<xades:SigningTime>2020-01-01T00:00:00Z", signed
    )
    assert _parts(tampered) == ["signed_properties_digest"]


def test_tampered_serial_number_fails(signed: bytes) -> None:
    # the serial's first digit changed (to another digit: the serial is random)
    tampered = re.sub(
        rb"(<ds:X509SerialNumber>)(\d)",
        lambda m: m[1] + str((int(m[2]) + 1) % 10).encode(),
        signed,
        count=1,
    )
    assert tampered != signed
    assert "signed_properties_digest" in _parts(tampered)


def test_tampered_signature_value_fails(signed: bytes) -> None:
    root = etree.fromstring(signed)
    value = root.xpath("//ds:SignatureValue", namespaces=NS)[0]
    raw = bytearray(base64.b64decode(value.text))
    raw[10] ^= 0x01
    value.text = base64.b64encode(bytes(raw)).decode()
    assert _parts(etree.tostring(root)) == ["signature_value"]


def test_another_keys_certificate_fails(signed: bytes) -> None:
    other = sign(sample("1.1-Debit-Note-Sample.xml"), *_other_signer())
    cert = etree.fromstring(other).xpath("//ds:X509Certificate/text()", namespaces=NS)[0]
    root = etree.fromstring(signed)
    root.xpath("//ds:X509Certificate", namespaces=NS)[0].text = cert
    assert set(_parts(etree.tostring(root))) == {
        "signature_value",
        "certificate_digest",
        "issuer_serial",
    }


def _other_signer() -> Signer:
    from datetime import timedelta

    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Lain Sdn Bhd")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return key, cert


def test_unsigned_document_reports_missing() -> None:
    result = verify(sample("1.0-Invoice-Sample.xml"))
    assert not result.valid
    assert [i.code for i in result.issues] == ["einvoice.signature_missing"]


def test_transport_whitespace_does_not_break_the_signature(signed: bytes) -> None:
    pretty = etree.tostring(etree.fromstring(signed), pretty_print=True)
    assert verify(pretty).valid


def test_signature_survives_read_and_write(signed: bytes) -> None:
    # the reader keeps the extension and the writer puts every element back in order
    doc = read_xml(signed)
    assert verify(write_xml(doc)).valid
    assert verify(to_tree(write_json(doc))).valid


def test_resigning_replaces_the_old_signature(signed: bytes, signer: Signer) -> None:
    again = sign(signed, *signer)
    assert verify(again).valid
    assert again.count(b"<ds:Signature ") == 1
    assert again.count(b"<cac:Signature>") == 1


def test_only_rsa_keys() -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(TypeError):
        sign(sample("1.1-Invoice-Sample.xml"), key, _other_signer()[1])  # type: ignore[arg-type]


OFFICIAL_SIGNED = (
    "1.1-Invoice-Sample.xml",
    "1.1-Invoice-Consolidated-Sample.xml",
    "1.1-Invoice-ForeignCurrency-Sample.xml",
    "1.1-Invoice-MultiLineItem-Sample.xml",
    "1.1-Credit-Note-Sample.xml",
    "1.1-Debit-Note-Sample.xml",
    "1.1-Refund-Note-Sample.xml",
)


@pytest.mark.parametrize("name", OFFICIAL_SIGNED)
def test_official_samples_document_digest_and_signature_verify(name: str) -> None:
    parts = _parts(sample(name))
    assert "document_digest" not in parts
    assert "signature_value" not in parts
    assert "certificate_digest" not in parts
    assert "issuer_serial" not in parts


@pytest.mark.parametrize("name", [n for n in OFFICIAL_SIGNED if "ForeignCurrency" not in n])
def test_official_samples_verify_completely(name: str) -> None:
    # PropsDigest included: step 7's linearisation reproduces LHDN's own values
    assert verify(sample(name)).valid, _parts(sample(name))


def test_foreign_currency_sample_signing_time_was_edited_after_signing() -> None:
    # its PropsDigest is that of the same properties with another SigningTime (one inside
    # the validity of the certificate it carries, which begins 2025-07-02): the sample's
    # 2024-07-23T00:30:05Z was written in after it was signed
    text = sample("1.1-Invoice-ForeignCurrency-Sample.xml")
    assert _parts(text) == ["signed_properties_digest"]
    fixed = text.replace(b">2024-07-23T00:30:05Z<", b">2025-07-30T06:34:28Z<", 1)
    assert verify(fixed).valid


def test_signed_properties_are_linearised_as_the_guide_s_tooling_writes_them() -> None:
    # attributes first, then the declaration of a prefix not yet declared in the output, on
    # each element that needs it (ds siblings repeat it); empty elements as "<x a="v" />"
    fragment = (
        b'<q xmlns:xades="http://uri.etsi.org/01903/v1.3.2#"'
        b' xmlns:ds="http://www.w3.org/2000/09/xmldsig#">\n'
        b'  <xades:SignedProperties Id="p">\n'
        b"    <xades:CertDigest>\n"
        b'      <ds:DigestMethod Algorithm="a&amp;b"/>\n'
        b"      <ds:DigestValue>v</ds:DigestValue>\n"
        b"    </xades:CertDigest>\n"
        b"  </xades:SignedProperties>\n"
        b"</q>"
    )
    props = etree.fromstring(fragment)[0]
    expected = (
        '<xades:SignedProperties Id="p" xmlns:xades="http://uri.etsi.org/01903/v1.3.2#">'
        "<xades:CertDigest>"
        '<ds:DigestMethod Algorithm="a&amp;b" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" />'
        '<ds:DigestValue xmlns:ds="http://www.w3.org/2000/09/xmldsig#">v</ds:DigestValue>'
        "</xades:CertDigest></xades:SignedProperties>"
    )
    digest = base64.b64encode(hashlib.sha256(expected.encode()).digest()).decode()
    assert signed_properties_digest(props) == digest


def test_white_space_inside_an_empty_element_is_not_signed() -> None:
    # the consolidated sample's empty buyer fields are written <cbc:CityName>NEWLINE</...>;
    # LHDN's tooling drops white-space-only text wherever it stands, so the document digest
    # is that of the empty element (the sample verifies only so)
    invoice = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    ns = f'xmlns="{invoice}" xmlns:cbc="{NS["cbc"]}"'
    spaced = etree.fromstring(
        f"<Invoice {ns}><cbc:ID>1</cbc:ID><cbc:Note>\n  </cbc:Note></Invoice>"
    )
    empty = etree.fromstring(f"<Invoice {ns}><cbc:ID>1</cbc:ID><cbc:Note/></Invoice>")
    kept = etree.fromstring(f"<Invoice {ns}><cbc:ID>1</cbc:ID><cbc:Note> a </cbc:Note></Invoice>")
    assert canonical_document(spaced) == canonical_document(empty)
    assert canonical_document(spaced).endswith(b"<cbc:Note></cbc:Note></Invoice>")
    assert b"<cbc:Note> a </cbc:Note>" in canonical_document(kept)


def test_empty_elements_written_in_full_also_verify(signed: bytes) -> None:
    # .NET writes an empty element as its source had it; a signer whose source held
    # <ds:DigestMethod ...></ds:DigestMethod> hashed that form, and it verifies too
    root = etree.fromstring(signed)
    props = root.xpath("//xades:SignedProperties", namespaces=NS)[0]
    long_form = signed_properties_digest(props, short_empty=False)
    assert long_form != signed_properties_digest(props)
    ref = "//ds:Reference[@URI='#id-xades-signed-props']/ds:DigestValue"
    root.xpath(ref, namespaces=NS)[0].text = long_form
    assert verify(etree.tostring(root)).valid
