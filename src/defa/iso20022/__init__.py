"""ISO 20022 payment messages: pacs.008.001.11 built from a QR code and a quote, pacs.002.001.13
status reports read, both checked against the official XSDs.

The schemas are not shipped (see :mod:`defa.iso20022._schemas` for where they are read from).
"""

from __future__ import annotations

from defa.iso20022._schemas import MESSAGES, namespace, schema_dirs, validate
from defa.iso20022.pacs002 import StatusReport, TransactionStatus, read_pacs002
from defa.iso20022.pacs008 import Agent, Pacs008, build_pacs008

__all__ = [
    "MESSAGES",
    "Agent",
    "Pacs008",
    "StatusReport",
    "TransactionStatus",
    "build_pacs008",
    "namespace",
    "read_pacs002",
    "schema_dirs",
    "validate",
]
