"""``/v1/documents``: a tenant's stored invoices, their reports and conversions.

Every route needs ``Authorization: Bearer <key>`` and sees only the key's tenant's rows; a
document of another tenant answers exactly as one that does not exist. Each request runs
in one transaction, so a request that fails (bad input, conflict, timeout) stores nothing.
The audit log records each creation and read.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from defa import einvoice
from defa.einvoice.convert import read_document
from defa.errors import Issue
from defa.service import audit
from defa.service.auth import Principal, authenticated
from defa.service.db import store
from defa.service.db.engine import Database, DeadlinePassed
from defa.service.db.models import Conversion, Document
from defa.service.httperrors import HTTPProblem
from defa.service.invoices import document_body
from defa.service.problems import PROBLEM_JSON

__all__ = ["audit_router", "router"]

router = APIRouter(prefix="/v1/documents", tags=["documents"])
audit_router = APIRouter(prefix="/v1/audit", tags=["documents"])

_PROBLEM = {"content": {PROBLEM_JSON: {}}, "description": "Problem details (RFC 9457)"}
_ERRORS: dict[int | str, dict[str, Any]] = dict.fromkeys(
    (401, 404, 409, 413, 415, 422, 504), _PROBLEM
)
_MAX_FORMATS = 8
_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/xml": {"schema": {"type": "string", "format": "binary"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}


class _Ctx:
    """What a route hands to its database work: database, caller, request id and deadline."""

    def __init__(self, request: Request, who: Principal) -> None:
        self.db: Database = request.app.state.db
        self.who = who
        self.request_id: str | None = getattr(request.state, "request_id", None)
        self.deadline: float | None = getattr(request.state, "deadline", None)

    def audit(self, session: Session, action: str, subject: str | None, **detail: Any) -> None:
        audit.record(
            session,
            tenant_id=self.who.tenant_id,
            key_id=self.who.key_id,
            action=action,
            subject=subject,
            request_id=self.request_id,
            detail=detail,
        )

    def check_time(self) -> None:
        """Give up before the next expensive step when the request is out of time."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise DeadlinePassed("the request ran out of time")


def _describe(doc: Document, formats: list[str]) -> dict[str, Any]:
    base = f"/v1/documents/{doc.id}"
    return {
        "id": doc.id,
        "created_at": doc.created_at.isoformat(),
        "syntax": doc.syntax,
        "format": doc.format,
        "valid": doc.valid,
        "rules": doc.rules,
        "as_of": doc.as_of.isoformat() if doc.as_of else None,
        "size": doc.size,
        "sha256": doc.content_sha256,
        "conversions": formats,
        "links": {"self": base, "report": f"{base}/report", "content": f"{base}/content"},
    }


def _conversion(row: Conversion) -> dict[str, Any]:
    return {
        "document_id": row.document_id,
        "format": row.format,
        "created_at": row.created_at.isoformat(),
        "document": row.content.decode("utf-8"),
        "losses": row.losses,
        "report": row.report,
    }


def _prepare(
    content: bytes, rules: str | None, as_of: date | None, formats: list[str], key: str | None
) -> store.Submission:
    # unreadable input: 422 problem with the issues. Read as its format reads it (MyInvois
    # XML, PINT MY by their own readers), as the library's convert reads bytes
    doc = read_document(content)
    report = einvoice.check(doc, rules=rules, as_of=as_of)
    converted = {fmt: einvoice.convert(doc, to=fmt) for fmt in formats}
    detected = report.meta.get("format")
    return store.Submission(
        content,
        doc.syntax,
        detected if isinstance(detected, str) else None,
        rules,
        as_of,
        report,
        converted,
        key,
    )


def _replay(ctx: _Ctx, session: Session, doc: Document, fingerprint: str) -> dict[str, Any]:
    if doc.request_sha256 != fingerprint:
        raise HTTPProblem(
            409,
            Issue(
                "request.idempotency_conflict",
                "this Idempotency-Key was used with a different request",
                loc="Idempotency-Key",
            ),
        )
    ctx.audit(session, "document.read", doc.id, idempotent_replay=True)
    return _describe(doc, store.formats_of(store.conversions_of(session, doc)))


def _create(ctx: _Ctx, sub: store.Submission) -> tuple[int, dict[str, Any]]:
    """Store ``sub`` (201) or, for a known Idempotency-Key, answer its first document (200)."""
    fingerprint = sub.fingerprint()
    try:
        with ctx.db.transaction(ctx.deadline) as session:
            doc = store.insert(session, ctx.who.tenant_id, ctx.who.key_id, sub)
            ctx.audit(session, "document.created", doc.id, syntax=doc.syntax, valid=doc.valid)
            for fmt, result in sub.conversions.items():
                ctx.audit(
                    session, "conversion.created", doc.id, format=fmt, losses=len(result.losses)
                )
            return 201, _describe(doc, list(sub.conversions))
    except IntegrityError:
        if sub.idempotency_key is None:
            raise
    # A concurrent request with the same key won the unique constraint: answer with its row.
    with ctx.db.transaction(ctx.deadline) as session:
        first = store.find_by_key(session, ctx.who.tenant_id, sub.idempotency_key)
        if first is None:
            raise RuntimeError("idempotency key conflict without a stored document")
        return 200, _replay(ctx, session, first, fingerprint)


def _parse_formats(convert_to: list[str]) -> list[str]:
    formats = list(dict.fromkeys(f.strip().lower() for f in convert_to))
    if len(formats) > _MAX_FORMATS:
        raise HTTPProblem(
            422, Issue("request.invalid", "too many convert_to formats", loc="convert_to")
        )
    return formats


@router.post("", status_code=201, responses=_ERRORS, openapi_extra=_BODY)
async def create_document(
    request: Request,
    response: Response,
    who: Principal = Depends(authenticated),
    rules: str | None = Query(
        None, description="Rule set id, e.g. en16931; default: those of the detected format."
    ),
    as_of: date | None = Query(None, description="Date of the rules; default the issue date."),
    convert_to: list[str] = Query([], description="Formats to convert to now (repeatable)."),
    idempotency_key: str | None = Header(
        None,
        min_length=1,
        max_length=255,
        description="Retries with the same key store one document.",
    ),
) -> dict[str, Any]:
    """Store an invoice (XML body or ``file`` upload) with its check report and conversions.

    201 with ``Location``; with an ``Idempotency-Key`` seen before, 200 and the first
    document if the request is the same, 409 if it differs.
    """
    content = await document_body(request)
    formats = _parse_formats(convert_to)
    ctx = _Ctx(request, who)
    if idempotency_key is not None:
        # A retry is answered from the stored row, without checking the document again.
        fingerprint = store.fingerprint(content, rules, as_of, formats)

        def earlier() -> dict[str, Any] | None:
            with ctx.db.transaction(ctx.deadline) as session:
                first = store.find_by_key(session, who.tenant_id, idempotency_key)
                return None if first is None else _replay(ctx, session, first, fingerprint)

        replayed = await run_in_threadpool(earlier)
        if replayed is not None:
            response.status_code = 200
            response.headers["Location"] = replayed["links"]["self"]
            return replayed
    sub = await run_in_threadpool(_prepare, content, rules, as_of, formats, idempotency_key)
    ctx.check_time()
    status, body = await run_in_threadpool(_create, ctx, sub)
    response.status_code = status
    response.headers["Location"] = body["links"]["self"]
    return body


def _aware(moment: datetime | None) -> datetime | None:
    # A time without zone is taken as UTC, the zone every stored time is in.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@router.get("", responses=_ERRORS)
async def list_documents(
    request: Request,
    who: Principal = Depends(authenticated),
    valid: bool | None = Query(None, description="Only valid (true) or invalid (false) ones."),
    syntax: str | None = Query(None, description="Only this syntax (ubl, cii, ...)."),
    format: str | None = Query(None, description="Only this format (peppol-bis3, ...)."),
    created_from: datetime | None = Query(None, description="Created at or after (ISO 8601)."),
    created_to: datetime | None = Query(None, description="Created before (ISO 8601)."),
    limit: int = Query(50, ge=1, le=500, description="Page size."),
    cursor: str | None = Query(None, description="next_cursor of the previous page."),
) -> dict[str, Any]:
    """The tenant's documents, newest first, a page at a time (follow ``next_cursor``)."""
    ctx = _Ctx(request, who)
    filters = store.Filters(valid, syntax, format, _aware(created_from), _aware(created_to))
    after = store.decode_cursor(cursor) if cursor else None

    def work() -> dict[str, Any]:
        with ctx.db.transaction(ctx.deadline) as session:
            page, more = store.listing(session, who.tenant_id, filters, limit, after)
            formats = store.formats_by_document(session, page)
            items = [_describe(d, formats[d.id]) for d in page]
            ctx.audit(session, "document.listed", None, count=len(items))
            return {
                "items": items,
                "next_cursor": store.encode_cursor(more) if more is not None else None,
            }

    return await run_in_threadpool(work)


def _read(ctx: _Ctx, document_id: str, part: str) -> dict[str, Any]:
    with ctx.db.transaction(ctx.deadline) as session:
        doc = store.find(session, ctx.who.tenant_id, document_id)
        ctx.audit(session, "document.read", doc.id, part=part)
        if part == "report":
            return store.report_of(session, doc)
        if part == "content":
            return {"content": doc.content, "syntax": doc.syntax}
        return _describe(doc, store.formats_of(store.conversions_of(session, doc)))


@router.get("/{document_id}", responses=_ERRORS)
async def get_document(
    request: Request, document_id: str, who: Principal = Depends(authenticated)
) -> dict[str, Any]:
    """A stored document's description: syntax, validity, size, digest, conversions."""
    return await run_in_threadpool(_read, _Ctx(request, who), document_id, "document")


@router.get("/{document_id}/report", responses=_ERRORS)
async def get_report(
    request: Request, document_id: str, who: Principal = Depends(authenticated)
) -> dict[str, Any]:
    """The check report stored with the document."""
    return await run_in_threadpool(_read, _Ctx(request, who), document_id, "report")


@router.get(
    "/{document_id}/content",
    responses={**_ERRORS, 200: {"content": {"application/xml": {}}}},
    response_class=Response,
)
async def get_content(
    request: Request, document_id: str, who: Principal = Depends(authenticated)
) -> Response:
    """The document exactly as it was submitted."""
    found = await run_in_threadpool(_read, _Ctx(request, who), document_id, "content")
    return Response(found["content"], media_type="application/xml")


def _convert(ctx: _Ctx, document_id: str, fmt: str) -> dict[str, Any]:
    with ctx.db.transaction(ctx.deadline) as session:
        doc = store.find(session, ctx.who.tenant_id, document_id)
        row = store.conversion(session, doc, fmt)
        if row is not None:
            ctx.audit(session, "document.read", doc.id, part=f"as/{fmt}")
            return _conversion(row)
    # Converted outside any transaction: the work may be long and needs no lock.
    ctx.check_time()
    result = einvoice.convert(doc.content, to=fmt)
    ctx.check_time()
    try:
        with ctx.db.transaction(ctx.deadline) as session:
            row = store.add_conversion(session, doc, fmt, result)
            ctx.audit(session, "conversion.created", doc.id, format=fmt, losses=len(result.losses))
            session.flush()
            return _conversion(row)
    except IntegrityError:
        pass
    # Another request stored the same conversion meanwhile: answer with that one.
    with ctx.db.transaction(ctx.deadline) as session:
        row = store.conversion(session, doc, fmt)
        if row is None:
            raise RuntimeError("conversion conflict without a stored conversion")
        ctx.audit(session, "document.read", doc.id, part=f"as/{fmt}")
        return _conversion(row)


@router.get("/{document_id}/as/{fmt}", responses=_ERRORS)
async def get_as(
    request: Request, document_id: str, fmt: str, who: Principal = Depends(authenticated)
) -> dict[str, Any]:
    """The document in syntax ``fmt``: stored if converted before, else converted and stored.

    The answer holds the document, every value the target could not carry, and the report.
    """
    return await run_in_threadpool(_convert, _Ctx(request, who), document_id, fmt.lower())


@audit_router.get("", responses=_ERRORS)
async def list_audit(
    request: Request,
    who: Principal = Depends(authenticated),
    limit: int = Query(100, ge=1, le=500, description="Page size."),
    cursor: str | None = Query(None, description="next_cursor of the previous page."),
) -> dict[str, Any]:
    """The tenant's own audit log, newest first."""
    ctx = _Ctx(request, who)
    before = store.decode_cursor(cursor) if cursor else None

    def work() -> dict[str, Any]:
        with ctx.db.transaction(ctx.deadline) as session:
            rows = audit.entries(session, who.tenant_id, limit=limit + 1, before=before)
            page = rows[:limit]
            items = [audit.to_dict(e) for e in page]
            ctx.audit(session, "audit.read", None, count=len(items))
            more = len(rows) > limit and page
            return {
                "items": items,
                "next_cursor": store.encode_cursor(page[-1].seq) if more else None,
            }

    return await run_in_threadpool(work)
