"""The MyInvois v1.1 signature of JSON documents (LHDN's "Signature Creation JSON")."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from defa.countries.my.myinvois import read_json, write_json
from defa.countries.my.myinvois.signature_json import minify, sign_json, verify_json
from defa.errors import InputRejected
from tests.countries.my.conftest import JSON_SAMPLES, sample

Signer = tuple[rsa.RSAPrivateKey, x509.Certificate]
SIGNED_SAMPLES = [n for n in JSON_SAMPLES if n.startswith("1.1-")]


def _parts(document: bytes) -> list[str]:
    return sorted(str(i.ctx["part"]) for i in verify_json(document).issues)


def _signature(doc: dict) -> dict:  # type: ignore[type-arg]
    ext = doc["Invoice"][0]["UBLExtensions"][0]["UBLExtension"][0]["ExtensionContent"][0]
    return ext["UBLDocumentSignatures"][0]["SignatureInformation"][0]["Signature"][0]  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", SIGNED_SAMPLES)
def test_official_json_samples_verify(name: str) -> None:
    # LHDN's signed samples: every digest and the signature value check out
    result = verify_json(sample(name))
    assert result.valid, result.issues


@pytest.fixture(scope="module")
def signed(signer: Signer) -> bytes:
    when = datetime(2024, 7, 23, 0, 40, tzinfo=UTC)
    return sign_json(sample("1.1-Invoice-Sample.json"), *signer, signing_time=when)


def test_signed_json_verifies(signed: bytes, signer: Signer) -> None:
    result = verify_json(signed)
    assert result.valid, result.issues
    assert result.signing_time == "2024-07-23T00:40:00Z"
    doc = json.loads(signed)
    assert list(doc["Invoice"][0])[-2:] == ["UBLExtensions", "Signature"]
    assert b"\n" not in signed, "the signed document is minified"


def test_minify_keeps_numbers_as_written() -> None:
    assert minify({"a": [1, "x"]}) == b'{"a":[1,"x"]}'


def test_tampered_value_fails(signed: bytes) -> None:
    assert _parts(signed.replace(b"JSON-INV12345", b"JSON-INV12346")) == [
        "document_digest",
        "signature_value",
    ]


def test_tampered_signed_property_fails(signed: bytes) -> None:
    doc = json.loads(signed)
    props = _signature(doc)["Object"][0]["QualifyingProperties"][0]["SignedProperties"][0]
    props["SignedSignatureProperties"][0]["SigningTime"][0]["_"] = "2020-01-01T00:00:00Z"
    assert _parts(minify(doc)) == ["signed_properties_digest"]


def test_tampered_signature_value_fails(signed: bytes) -> None:
    doc = json.loads(signed)
    value = _signature(doc)["SignatureValue"][0]
    raw = bytearray(base64.b64decode(value["_"]))
    raw[5] ^= 0x01
    value["_"] = base64.b64encode(bytes(raw)).decode()
    assert _parts(minify(doc)) == ["signature_value"]


def test_signature_survives_our_json_writer(signer: Signer) -> None:
    # a signature covers member order: a document written in schema order (ours) keeps it
    ours = write_json(read_json(sample("1.1-Invoice-Sample.json")))
    signed = sign_json(ours, *signer)
    assert verify_json(write_json(read_json(signed))).valid


def test_unsigned_json() -> None:
    result = verify_json(sample("1.0-Invoice-Sample.json"))
    assert [i.code for i in result.issues] == ["einvoice.signature_missing"]


def test_not_a_document() -> None:
    with pytest.raises(InputRejected):
        verify_json(b"[]")
