"""Reading and writing a tenant's documents. Every query is filtered by the tenant's id.

Nothing here commits: the caller's transaction (one a request) decides, so a request that
fails leaves no rows behind.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from defa.einvoice import Conversion as Converted
from defa.errors import InputRejected, Issue, LookupFailed, Report
from defa.service.db.models import Conversion, Document, utcnow
from defa.service.db.models import Report as StoredReport

__all__ = [
    "Filters",
    "Submission",
    "add_conversion",
    "conversions_of",
    "decode_cursor",
    "encode_cursor",
    "find",
    "find_by_key",
    "fingerprint",
    "formats_by_document",
    "insert",
    "listing",
    "not_found",
]


@dataclass(frozen=True, slots=True)
class Submission:
    """A checked document about to be stored, with the parameters it was checked under."""

    content: bytes
    syntax: str
    format: str | None  # detected (e.g. peppol-bis3)
    rules: str | None  # as asked: None lets the detected format choose
    as_of: date | None
    report: Report
    conversions: dict[str, Converted] = field(default_factory=dict)
    idempotency_key: str | None = None

    def fingerprint(self) -> str:
        """A digest of everything the request asked for: body and parameters."""
        return fingerprint(self.content, self.rules, self.as_of, list(self.conversions))


def fingerprint(content: bytes, rules: str | None, as_of: date | None, formats: list[str]) -> str:
    """SHA-256 over a submission's parameters and body; the Idempotency-Key's request."""
    params = json.dumps([rules, as_of.isoformat() if as_of else None, sorted(formats)]).encode()
    h = hashlib.sha256()
    h.update(len(params).to_bytes(8, "big") + params)  # length first: the parts cannot blur
    h.update(content)
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Filters:
    """What a listing may be narrowed to."""

    valid: bool | None = None
    syntax: str | None = None
    format: str | None = None
    created_from: datetime | None = None  # inclusive
    created_to: datetime | None = None  # exclusive


def not_found() -> LookupFailed:
    """The one answer for a document that does not exist *or* is another tenant's."""
    return LookupFailed(
        Issue("document.not_found", "no document with this id is visible with this API key")
    )


def insert(session: Session, tenant_id: str, key_id: str, sub: Submission) -> Document:
    """Store a document, its report and its conversions (flushed, not committed)."""
    doc = Document(
        id=str(uuid.uuid4()),
        tenant_id=tenant_id,
        key_id=key_id,
        created_at=utcnow(),
        syntax=sub.syntax,
        valid=sub.report.valid,
        format=sub.format,
        rules=str(sub.report.meta.get("rules") or sub.rules or ""),
        as_of=sub.as_of,
        size=len(sub.content),
        content_sha256=hashlib.sha256(sub.content).hexdigest(),
        content=sub.content,
        idempotency_key=sub.idempotency_key,
        request_sha256=sub.fingerprint(),
    )
    session.add(doc)
    session.flush()  # the report and conversions refer to the document's row
    session.add(StoredReport(document_id=doc.id, tenant_id=tenant_id, body=sub.report.to_dict()))
    for fmt, converted in sub.conversions.items():
        add_conversion(session, doc, fmt, converted)
    session.flush()
    return doc


def add_conversion(session: Session, doc: Document, fmt: str, result: Converted) -> Conversion:
    """Store a conversion of ``doc`` to ``fmt``."""
    row = Conversion(
        document_id=doc.id,
        tenant_id=doc.tenant_id,
        format=fmt,
        created_at=utcnow(),
        content=result.document,
        losses=[loss.to_dict() for loss in result.losses],
        report=result.report.to_dict(),
    )
    session.add(row)
    return row


def find(session: Session, tenant_id: str, document_id: str) -> Document:
    """The tenant's document ``document_id``; :func:`not_found` otherwise, whoever owns it."""
    doc = session.scalar(
        select(Document).where(Document.id == document_id, Document.tenant_id == tenant_id)
    )
    if doc is None:
        raise not_found()
    return doc


def find_by_key(session: Session, tenant_id: str, key: str) -> Document | None:
    """The tenant's document first created with Idempotency-Key ``key``, if any."""
    return session.scalar(
        select(Document).where(Document.tenant_id == tenant_id, Document.idempotency_key == key)
    )


def report_of(session: Session, doc: Document) -> dict[str, Any]:
    """The stored check report of ``doc``."""
    row = session.get(StoredReport, doc.id)
    if row is None or row.tenant_id != doc.tenant_id:  # written together; cannot happen
        raise not_found()
    return row.body


def conversions_of(session: Session, doc: Document) -> list[Conversion]:
    """The stored conversions of ``doc``, oldest first."""
    return list(
        session.scalars(
            select(Conversion)
            .where(Conversion.document_id == doc.id, Conversion.tenant_id == doc.tenant_id)
            .order_by(Conversion.seq)
        )
    )


def conversion(session: Session, doc: Document, fmt: str) -> Conversion | None:
    """The stored conversion of ``doc`` to ``fmt``, if one was made."""
    return session.scalar(
        select(Conversion).where(
            Conversion.document_id == doc.id,
            Conversion.tenant_id == doc.tenant_id,
            Conversion.format == fmt,
        )
    )


def encode_cursor(seq: int) -> str:
    """An opaque cursor standing for "after the row numbered ``seq``"."""
    return base64.urlsafe_b64encode(f"d{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The position a cursor stands for; 422 for anything this service did not hand out."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        if text[:1] == "d" and text[1:].isdigit():
            return int(text[1:])
    except (ValueError, UnicodeDecodeError):
        pass
    raise InputRejected(Issue("request.invalid", "the cursor is not valid", loc="cursor"))


def _conditions(filters: Filters) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if filters.valid is not None:
        found.append(Document.valid == filters.valid)
    if filters.syntax is not None:
        found.append(Document.syntax == filters.syntax)
    if filters.format is not None:
        found.append(Document.format == filters.format)
    if filters.created_from is not None:
        found.append(Document.created_at >= filters.created_from)
    if filters.created_to is not None:
        found.append(Document.created_at < filters.created_to)
    return found


def listing(
    session: Session, tenant_id: str, filters: Filters, limit: int, after: int | None
) -> tuple[list[Document], int | None]:
    """A page of the tenant's documents, newest first, and the position to continue from."""
    query = select(Document).where(Document.tenant_id == tenant_id, *_conditions(filters))
    if after is not None:
        query = query.where(Document.seq < after)
    rows = list(session.scalars(query.order_by(Document.seq.desc()).limit(limit + 1)))
    more = len(rows) > limit
    page = rows[:limit]
    return page, (page[-1].seq if more and page else None)


def formats_of(rows: Iterable[Conversion]) -> list[str]:
    """The formats of stored conversions."""
    return [r.format for r in rows]


def formats_by_document(session: Session, docs: list[Document]) -> dict[str, list[str]]:
    """The formats each of ``docs`` was converted to (oldest first), in one query."""
    found: dict[str, list[str]] = {d.id: [] for d in docs}
    if not docs:
        return found
    query = (
        select(Conversion.document_id, Conversion.format)
        .where(
            Conversion.tenant_id == docs[0].tenant_id,
            Conversion.document_id.in_(list(found)),
        )
        .order_by(Conversion.seq)
    )
    for document_id, fmt in session.execute(query):
        found[document_id].append(fmt)
    return found
