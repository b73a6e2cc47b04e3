"""Read a pacs.002.001.13 payment status report: did the payment go through, and why not.

The report is parsed with the hardened XML parse every DEFA reader uses (no DTDs, no
entities, size and depth limits), checked against the official XSD, then read into the
``pyiso20022`` bindings. The answer is a :class:`StatusReport` with the group status and one
:class:`TransactionStatus` per ``TxInfAndSts``, matched to the original by UETR and
end-to-end id.

ISO 20022 external status codes (ExternalPaymentTransactionStatus1Code) that mean the payment
was accepted or settled: ``ACCC``, ``ACCP``, ``ACSC``, ``ACSP``, ``ACTC``, ``ACWC``, ``ACWP``,
``ACFC``, ``ACIS``, ``PART``; ``RJCT`` means rejected; ``PDNG`` (and ``RCVD``) pending.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree
from pyiso20022.pacs.pacs_002_001_13 import pacs_002_001_13 as m  # type: ignore[import-untyped]
from xsdata.exceptions import ParserError
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.handlers import LxmlEventHandler

from defa.einvoice import xmlsafe
from defa.errors import InputRejected, Issue, ValidationError
from defa.iso20022._schemas import namespace, validate

__all__ = ["MAX_BYTES", "MESSAGE", "StatusReport", "TransactionStatus", "read_pacs002"]

MESSAGE = "pacs.002.001.13"
#: A status report larger than this is refused unread.
MAX_BYTES = 5 * 1024 * 1024

_ACCEPTED = frozenset(
    {"ACCC", "ACCP", "ACSC", "ACSP", "ACTC", "ACWC", "ACWP", "ACFC", "ACIS", "PART"}
)
_PENDING = frozenset({"PDNG", "RCVD"})


def _outcome(status: str | None) -> str:
    if status in _ACCEPTED:
        return "accepted"
    if status == "RJCT":
        return "rejected"
    if status in _PENDING:
        return "pending"
    return "unknown"


@dataclass(frozen=True, slots=True)
class TransactionStatus:
    """The status of one original transaction."""

    status: str | None
    original_end_to_end_id: str | None
    original_uetr: str | None
    original_tx_id: str | None
    original_instruction_id: str | None
    reasons: tuple[tuple[str | None, str], ...] = ()  # (reason code, additional information)

    @property
    def outcome(self) -> str:
        """``accepted``, ``rejected``, ``pending`` or ``unknown``."""
        return _outcome(self.status)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "outcome": self.outcome,
            "original_end_to_end_id": self.original_end_to_end_id,
            "original_uetr": self.original_uetr,
            "original_tx_id": self.original_tx_id,
            "original_instruction_id": self.original_instruction_id,
            "reasons": [{"code": c, "info": i} for c, i in self.reasons],
        }


@dataclass(frozen=True, slots=True)
class StatusReport:
    """A read pacs.002: the report's ids, the original message, and each transaction."""

    message_id: str
    created: str
    original_message_id: str | None
    original_message_name: str | None
    group_status: str | None
    transactions: tuple[TransactionStatus, ...]

    def find(self, uetr: str) -> TransactionStatus | None:
        """The status of the transaction with this UETR, if the report has it."""
        key = uetr.lower()
        return next((t for t in self.transactions if (t.original_uetr or "").lower() == key), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "message": MESSAGE,
            "message_id": self.message_id,
            "created": self.created,
            "original_message_id": self.original_message_id,
            "original_message_name": self.original_message_name,
            "group_status": self.group_status,
            "group_outcome": _outcome(self.group_status) if self.group_status else None,
            "transactions": [t.to_dict() for t in self.transactions],
        }


def _reasons(infos: list[Any]) -> tuple[tuple[str | None, str], ...]:
    out = []
    for info in infos:
        code = None
        if info.rsn is not None:
            code = info.rsn.cd or info.rsn.prtry
        out.append((code, " ".join(info.addtl_inf)))
    return tuple(out)


def read_pacs002(source: bytes | str) -> StatusReport:
    """Read a pacs.002.001.13 status report.

    Raises :class:`~defa.errors.InputRejected` for input that is not safe, well-formed XML or
    too large, :class:`~defa.errors.ValidationError` (``xml.wrong_root``,
    ``xml.wrong_namespace``, ``iso20022.schema_invalid``) for XML that is not a valid
    pacs.002.001.13, and :class:`~defa.errors.DataError` when the XSD cannot be found.
    """
    if not isinstance(source, bytes | str):
        raise InputRejected(
            Issue("input.invalid_encoding", "a status report is XML text or bytes", loc="body")
        )
    root = xmlsafe.parse(source, max_bytes=MAX_BYTES)
    name = etree.QName(root)
    if name.localname != "Document":
        raise ValidationError(
            Issue("xml.wrong_root", f"the root is {name.localname!r:.60}, not Document", loc="/")
        )
    if name.namespace != namespace(MESSAGE):
        raise ValidationError(
            Issue(
                "xml.wrong_namespace",
                f"the namespace is {name.namespace!r:.80}, not {namespace(MESSAGE)}",
                loc="/Document",
            )
        )
    issues = validate(root, MESSAGE)
    if issues:
        raise ValidationError(issues)
    try:
        doc = XmlParser(handler=LxmlEventHandler).parse(root, m.Document)
    except (ParserError, ValueError, TypeError) as exc:  # XSD-valid, so not expected
        raise ValidationError(
            Issue("iso20022.schema_invalid", f"the report cannot be read: {exc}"[:300])
        ) from None
    report = doc.fito_fipmt_sts_rpt
    group = report.orgnl_grp_inf_and_sts[0] if report.orgnl_grp_inf_and_sts else None
    return StatusReport(
        message_id=report.grp_hdr.msg_id,
        created=str(report.grp_hdr.cre_dt_tm),
        original_message_id=None if group is None else group.orgnl_msg_id,
        original_message_name=None if group is None else group.orgnl_msg_nm_id,
        group_status=None if group is None else group.grp_sts,
        transactions=tuple(
            TransactionStatus(
                status=tx.tx_sts,
                original_end_to_end_id=tx.orgnl_end_to_end_id,
                original_uetr=tx.orgnl_uetr,
                original_tx_id=tx.orgnl_tx_id,
                original_instruction_id=tx.orgnl_instr_id,
                reasons=_reasons(tx.sts_rsn_inf),
            )
            for tx in report.tx_inf_and_sts
        ),
    )
