"""``/web/login``, ``/web/documents``: a tenant's stored documents and their reports.

The API key is typed once into the login form, checked, and kept in a signed ``HttpOnly``,
``SameSite=Strict`` session cookie (:mod:`~defa.service.web.security`); each page checks it
again, so a revoked key ends its sessions at once. A page sees only the key's tenant's
documents, and reads are written to the audit log as the API's are (actor ``web``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from defa.errors import Issue, LookupFailed
from defa.service import audit
from defa.service.auth import Principal, verify
from defa.service.db import store
from defa.service.db.engine import Database
from defa.service.db.models import Document
from defa.service.web.forms import read_form, text_field
from defa.service.web.render import error_page, grouped, page
from defa.service.web.routing import PageRoute
from defa.service.web.security import clear_session, read_session, start_session

__all__ = ["router"]

# The prefix is set here, not by the including router, so route templates (logs, metrics)
# carry it.
router = APIRouter(prefix="/web", include_in_schema=False, route_class=PageRoute)
_PAGE_SIZE = 50


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def _principal(request: Request) -> Principal | None:
    """The tenant of the session's key, if the session is valid and the key still live."""
    key = read_session(request)
    if key is None:
        return None
    with _db(request).transaction() as session:
        return verify(session, key)


def _to_login() -> RedirectResponse:
    return RedirectResponse("/web/login", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    """The sign-in form."""
    return page(request, "login.html")


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    """Check the key; on success keep it in the session cookie and show the documents."""
    form = await read_form(request)
    key = text_field(form, "api_key", 500)

    def check() -> Principal | None:
        with _db(request).transaction() as session:
            return verify(session, key) if key else None

    if await run_in_threadpool(check) is None:
        failure = Issue("request.unauthorized", "that API key is not valid", loc="api_key")
        return page(request, "login.html", status=401, failure=failure)
    response = RedirectResponse("/web/documents", status_code=303)
    start_session(response, key)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session."""
    await read_form(request)
    response = _to_login()
    clear_session(response)
    return response


@router.get("/documents", response_class=HTMLResponse)
async def documents(
    request: Request, before: int | None = Query(None, ge=1, description="Page position.")
) -> Response:
    """The tenant's documents, newest first, with a link to each report."""

    def work(who: Principal) -> tuple[list[dict[str, Any]], int | None]:
        with _db(request).transaction() as session:
            rows, more = store.listing(session, who.tenant_id, store.Filters(), _PAGE_SIZE, before)
            audit.record(
                session,
                tenant_id=who.tenant_id,
                key_id=who.key_id,
                actor="web",
                action="document.listed",
                detail={"count": len(rows)},
            )
            return [_row(d) for d in rows], more

    who = await run_in_threadpool(_principal, request)
    if who is None:
        return _to_login()
    items, more = await run_in_threadpool(work, who)
    return page(request, "documents.html", items=items, more=more)


def _row(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "created_at": doc.created_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "syntax": doc.syntax,
        "format": doc.format,  # the detected format (profile); None for older rows
        "valid": doc.valid,
        "rules": doc.rules,
        "size": doc.size,
    }


@router.get("/documents/{document_id}", response_class=HTMLResponse)
async def document_report(request: Request, document_id: str) -> Response:
    """One stored document's report, findings grouped by severity."""

    def work(who: Principal) -> tuple[dict[str, Any], dict[str, Any]]:
        with _db(request).transaction() as session:
            doc = store.find(session, who.tenant_id, document_id)
            body = store.report_of(session, doc)
            audit.record(
                session,
                tenant_id=who.tenant_id,
                key_id=who.key_id,
                actor="web",
                action="document.read",
                subject=doc.id,
                detail={"part": "report"},
            )
            return _row(doc), body

    who = await run_in_threadpool(_principal, request)
    if who is None:
        return _to_login()
    try:
        doc, report = await run_in_threadpool(work, who)
    except LookupFailed as exc:
        return error_page(request, 404, exc.issues, back="/web/documents")
    issues = report.get("issues", [])
    counts = Counter(i.get("severity") for i in issues)
    return page(
        request,
        "document.html",
        doc=doc,
        report=report,
        counts={s: counts.get(s, 0) for s in ("error", "warning", "info")},
        groups=grouped(issues),
    )
