"""Shared pieces of the MyInvois tests: the official samples, and a test key and certificate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from tests.shared import shared_dir, shared_path

SAMPLES = "vectors", "einvoice", "myinvois"
# the official samples, both versions, every document type (LHDN MyInvois SDK)
NAMES = (
    "Invoice", "Invoice-Consolidated", "Invoice-ForeignCurrency", "Invoice-MultiLineItem",
    "Credit-Note", "Debit-Note", "Refund-Note",
)  # fmt: skip
SELF_BILLED = (
    "Self-Billed-Invoice",
    "Self-Billed-Credit",
    "Self-Billed-Debit",
    "Self-Billed-Refund",
)
XML_SAMPLES = tuple(
    [f"1.0-{n}-Sample.xml" for n in (*NAMES, *SELF_BILLED)] + [f"1.1-{n}-Sample.xml" for n in NAMES]
)
JSON_SAMPLES = tuple(n[:-4] + ".json" for n in XML_SAMPLES)


def sample(name: str) -> bytes:
    return shared_path(*SAMPLES, name).read_bytes()


def sample_dir() -> Path:
    return shared_dir().joinpath(*SAMPLES)


@pytest.fixture(scope="session")
def signer() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """An RSA key and a self-signed certificate shaped as LHDN's certificate profile asks."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Contoh Sdn Bhd"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "MY"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Contoh Sdn Bhd"),
            x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, "C20830570210"),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, "202005123456"),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [ObjectIdentifier("1.3.6.1.4.1.311.10.3.12"), ExtendedKeyUsageOID.EMAIL_PROTECTION]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    return key, certificate
