"""The MyInvois v1.1 signature of a JSON document (LHDN, "Signature Creation JSON").

UBL-JSON defines no signature; LHDN transliterates the XML extension into JSON and digests
minified JSON text instead of canonical XML:

1. the document without the Invoice's ``UBLExtensions`` and ``Signature`` members, minified
   (no white space outside strings, members in their order);
2. **DocDigest**: the Base64 SHA-256 of those UTF-8 bytes; **Sig**: RSA (PKCS #1 v1.5) with
   SHA-256 over the same bytes;
3. **CertDigest**: the Base64 SHA-256 of the certificate (DER);
4. the signed properties (signing time, CertDigest, issuer name and serial number) inside
   ``QualifyingProperties``; **PropsDigest**: the Base64 SHA-256 of that minified object;
5. ``UBLExtensions`` and ``Signature`` are added to the Invoice, and the whole is minified.

All seven official v1.1 JSON samples verify by these steps: DocDigest, Sig, CertDigest and
PropsDigest. Numbers are kept as the text they were written with; strings are re-escaped as
JSON's minimal form (LHDN's own minifier re-serialises the same way).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding

from defa.countries.my.myinvois.signature import (
    EXTENSION_URI,
    PROPS_ID,
    RSA_SHA256,
    SHA256,
    SIGNATURE_ID,
    SIGNATURE_INFORMATION_ID,
    Verification,
    _b64sha256,
    _invalid,
    _issuer_name,
    _same_name,
    certificate_digest,
)
from defa.einvoice.xmlsafe import MAX_BYTES, Source, read_bytes
from defa.errors import InputRejected, Issue

__all__ = ["minify", "sign_json", "verify_json"]

PROPERTIES_TYPE = "http://uri.etsi.org/01903/v1.3.2#SignedProperties"
_LOC = "/Invoice/UBLExtensions/UBLExtension/ExtensionContent/UBLDocumentSignatures/Signature"


class _Number(str):
    """A JSON number kept as the text it was written with."""

    __slots__ = ()


def _load(data: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(
            data.decode("utf-8-sig"), parse_float=_Number, parse_int=_Number, parse_constant=_Number
        )
    except RecursionError:
        raise InputRejected(Issue("json.too_deep", "the JSON nests too deeply")) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputRejected(Issue("json.not_json", f"not valid JSON: {exc}"[:300])) from None
    body = doc.get("Invoice") if isinstance(doc, dict) else None
    if not isinstance(body, list) or not body or not isinstance(body[0], dict):
        raise InputRejected(Issue("json.wrong_root", "not a UBL-JSON Invoice document"))
    found: dict[str, Any] = doc
    return found


def _chunks(value: Any) -> Iterator[str]:
    if isinstance(value, _Number):
        yield str(value)
    elif isinstance(value, str):
        yield json.dumps(value, ensure_ascii=False)
    elif value is True or value is False or value is None:
        yield json.dumps(value)
    elif isinstance(value, dict):
        yield "{"
        for i, (key, item) in enumerate(value.items()):
            if i:
                yield ","
            yield json.dumps(str(key), ensure_ascii=False)
            yield ":"
            yield from _chunks(item)
        yield "}"
    elif isinstance(value, list):
        yield "["
        for i, item in enumerate(value):
            if i:
                yield ","
            yield from _chunks(item)
        yield "]"
    else:
        yield json.dumps(value)


def minify(value: Any) -> bytes:
    """The minified UTF-8 JSON text of a parsed value (numbers kept verbatim)."""
    return "".join(_chunks(value)).encode("utf-8")


def _unsigned(doc: dict[str, Any]) -> bytes:
    """Step 1: the document without the Invoice's signature members, minified."""
    body = {k: v for k, v in doc["Invoice"][0].items() if k not in ("UBLExtensions", "Signature")}
    return minify({**doc, "Invoice": [body, *doc["Invoice"][1:]]})


def _v(text: str, **attrs: str) -> list[dict[str, str]]:
    return [{"_": text, **attrs}]


def sign_json(
    document: Source,
    private_key: rsa.RSAPrivateKey,
    certificate: x509.Certificate,
    *,
    signing_time: datetime | None = None,
) -> bytes:
    """The MyInvois JSON document signed as LHDN's JSON guide describes (minified UTF-8)."""
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise TypeError("MyInvois signatures are RSA: give an RSA private key")
    doc = _load(read_bytes(document, MAX_BYTES))
    unsigned = _unsigned(doc)
    signature_value = private_key.sign(unsigned, padding.PKCS1v15(), hashes.SHA256())
    when = (signing_time or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    issuer = _issuer_name(certificate)
    serial = str(certificate.serial_number)
    qualifying = {
        "Target": "signature",
        "SignedProperties": [
            {
                "Id": PROPS_ID,
                "SignedSignatureProperties": [
                    {
                        "SigningTime": _v(when),
                        "SigningCertificate": [
                            {
                                "Cert": [
                                    {
                                        "CertDigest": [
                                            {
                                                "DigestMethod": _v("", Algorithm=SHA256),
                                                "DigestValue": _v(certificate_digest(certificate)),
                                            }
                                        ],
                                        "IssuerSerial": [
                                            {
                                                "X509IssuerName": _v(issuer),
                                                "X509SerialNumber": _v(serial),
                                            }
                                        ],
                                    }
                                ]
                            }
                        ],
                    }
                ],
            }
        ],
    }
    der = certificate.public_bytes(Encoding.DER)
    subject = ", ".join(rdn.rfc4514_string() for rdn in reversed(certificate.subject.rdns))
    signature = {
        "Id": "signature",
        "Object": [{"QualifyingProperties": [qualifying]}],
        "KeyInfo": [
            {
                "X509Data": [
                    {
                        "X509Certificate": _v(base64.b64encode(der).decode("ascii")),
                        "X509SubjectName": _v(subject),
                        "X509IssuerSerial": [
                            {"X509IssuerName": _v(issuer), "X509SerialNumber": _v(serial)}
                        ],
                    }
                ]
            }
        ],
        "SignatureValue": _v(base64.b64encode(signature_value).decode("ascii")),
        "SignedInfo": [
            {
                "SignatureMethod": _v("", Algorithm=RSA_SHA256),
                "Reference": [
                    {
                        "Type": PROPERTIES_TYPE,
                        "URI": f"#{PROPS_ID}",
                        "DigestMethod": _v("", Algorithm=SHA256),
                        "DigestValue": _v(_b64sha256(minify(qualifying))),
                    },
                    {
                        "Type": "",
                        "URI": "",
                        "DigestMethod": _v("", Algorithm=SHA256),
                        "DigestValue": _v(_b64sha256(unsigned)),
                    },
                ],
            }
        ],
    }
    extensions = [
        {
            "UBLExtension": [
                {
                    "ExtensionURI": _v(EXTENSION_URI),
                    "ExtensionContent": [
                        {
                            "UBLDocumentSignatures": [
                                {
                                    "SignatureInformation": [
                                        {
                                            "ID": _v(SIGNATURE_INFORMATION_ID),
                                            "ReferencedSignatureID": _v(SIGNATURE_ID),
                                            "Signature": [signature],
                                        }
                                    ]
                                }
                            ]
                        }
                    ],
                }
            ]
        }
    ]
    body = {k: v for k, v in doc["Invoice"][0].items() if k not in ("UBLExtensions", "Signature")}
    body["UBLExtensions"] = extensions
    body["Signature"] = [{"ID": _v(SIGNATURE_ID), "SignatureMethod": _v(EXTENSION_URI)}]
    return minify({**doc, "Invoice": [body, *doc["Invoice"][1:]]})


def _first(obj: Any, *path: str) -> Any:
    """``obj[path[0]][0][path[1]][0]...``, or None where the shape differs."""
    for key in path:
        found = obj.get(key) if isinstance(obj, dict) else None
        if not isinstance(found, list) or not found:
            return None
        obj = found[0]
    return obj


def _text(obj: Any, *path: str) -> str:
    found = _first(obj, *path)
    value = found.get("_") if isinstance(found, dict) else None
    return str(value).strip() if value is not None else ""


def verify_json(document: Source) -> Verification:
    """Check a signed MyInvois JSON document, as :func:`.signature.verify` does for XML."""
    doc = _load(read_bytes(document, MAX_BYTES))
    signature = _first(
        doc["Invoice"][0],
        "UBLExtensions",
        "UBLExtension",
        "ExtensionContent",
        "UBLDocumentSignatures",
        "SignatureInformation",
        "Signature",
    )
    if not isinstance(signature, dict):
        issue = Issue("einvoice.signature_missing", "the document carries no signature", "/Invoice")
        return Verification(False, (issue,))
    issues: list[Issue] = []
    certificate: x509.Certificate | None = None
    try:
        der = base64.b64decode(
            _text(signature, "KeyInfo", "X509Data", "X509Certificate"), validate=True
        )
        certificate = x509.load_der_x509_certificate(der)
    except ValueError:
        issues.append(_invalid("certificate", "the signing certificate cannot be read", _LOC))
    references = _first(signature, "SignedInfo")
    refs = references.get("Reference", []) if isinstance(references, dict) else []
    by_uri = {r.get("URI"): r for r in refs if isinstance(r, dict)}
    unsigned = _unsigned(doc)
    if _text(by_uri.get("", {}), "DigestValue") != _b64sha256(unsigned):
        issues.append(
            _invalid("document_digest", "the document does not match its digest: changed", _LOC)
        )
    qualifying = _first(signature, "Object", "QualifyingProperties")
    props = _first(qualifying, "SignedProperties", "SignedSignatureProperties")
    digest = _text(by_uri.get(f"#{PROPS_ID}", {}), "DigestValue")
    if not isinstance(qualifying, dict) or digest != _b64sha256(minify(qualifying)):
        issues.append(
            _invalid(
                "signed_properties_digest",
                "the signed properties do not match their digest: changed",
                _LOC,
            )
        )
    if certificate is not None:
        try:
            value = base64.b64decode(_text(signature, "SignatureValue"), validate=True)
            public = certificate.public_key()
            if not isinstance(public, rsa.RSAPublicKey):
                raise InvalidSignature
            public.verify(value, unsigned, padding.PKCS1v15(), hashes.SHA256())
        except (ValueError, InvalidSignature):
            issues.append(_invalid("signature_value", "the signature value does not verify", _LOC))
        cert = _first(props, "SigningCertificate", "Cert")
        if _text(cert, "CertDigest", "DigestValue") != certificate_digest(certificate):
            issues.append(
                _invalid("certificate_digest", "the certificate digest does not match", _LOC)
            )
        serial = _text(cert, "IssuerSerial", "X509SerialNumber")
        issuer = _text(cert, "IssuerSerial", "X509IssuerName")
        if serial != str(certificate.serial_number) or not _same_name(issuer, certificate):
            issues.append(
                _invalid(
                    "issuer_serial", "the issuer and serial number are not the certificate's", _LOC
                )
            )
    signing_time = _text(props, "SigningTime") or None
    return Verification(not issues, tuple(issues), signing_time, certificate)
