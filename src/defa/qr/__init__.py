"""EMVCo merchant-presented payment QR codes: decode, check, encode, country-free.

The codec reads any string leniently and reports strictly: :func:`decode` returns a
:class:`Payload` whose ``issues`` say where it departs from EMVCo MPM 1.1 (each with a stable
``qr.*`` code and the clause), and whose ``scheme``, ``country`` and ``fields`` say which
national scheme it belongs to. National schemes are described by the country profiles
(``defa.countries.<cc>.qr``), found by convention. :func:`encode` writes a decoded payload back
byte for byte, or builds a new one from typed fields (:class:`PaymentQR`).

>>> p = decode("00020101021129370016A000000677010111011300668123456785802TH530376463045D82")
>>> p.country, p.scheme, p.fields.mobile
('TH', 'th.promptpay', '0066812345678')
>>> encode(p) == p.text
True
"""

from __future__ import annotations

from defa.qr._build import PaymentQR, encode, format_amount
from defa.qr._payload import Payload, check, decode
from defa.qr._scheme import EMVCO, Confidence, Scheme, national_scheme, scheme, schemes
from defa.qr._template import (
    AccountTemplate,
    AdditionalData,
    LanguageTemplate,
    MerchantAccount,
    Template,
)
from defa.qr._tlv import MAX_PAYLOAD, crc16, crc_hex, scan, tlv

__all__ = [
    "EMVCO",
    "MAX_PAYLOAD",
    "AccountTemplate",
    "AdditionalData",
    "Confidence",
    "LanguageTemplate",
    "MerchantAccount",
    "Payload",
    "PaymentQR",
    "Scheme",
    "Template",
    "check",
    "crc16",
    "crc_hex",
    "decode",
    "encode",
    "format_amount",
    "national_scheme",
    "scan",
    "scheme",
    "schemes",
    "tlv",
]
