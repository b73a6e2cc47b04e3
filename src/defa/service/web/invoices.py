"""``/web/invoices``: check or convert an uploaded invoice and read the findings."""

from __future__ import annotations

import base64
from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from defa import einvoice
from defa.einvoice.convert import read_document
from defa.errors import DefaError, Issue
from defa.service.web.forms import date_field, read_form, text_field, upload
from defa.service.web.render import error_page, grouped, page
from defa.service.web.routing import PageRoute

__all__ = ["router"]

# The prefix is set here, not by the including router, so route templates (logs, metrics)
# carry it.
router = APIRouter(prefix="/web", include_in_schema=False, route_class=PageRoute)
_BACK = "/web/invoices"


def _rule_sets() -> list[str]:
    import defa.einvoice.rules  # noqa: F401  # registers every rule set
    from defa.einvoice.rules.engine import rule_sets

    return sorted(rule_sets())


def _form_context(**given: Any) -> dict[str, Any]:
    return {
        "rule_sets": _rule_sets(),
        "formats": einvoice.formats(),
        "rules": None,
        "to": "cii",
        "action": "check",
        "as_of": None,
        **given,
    }


@router.get("/invoices", response_class=HTMLResponse)
def invoice_form(request: Request) -> HTMLResponse:
    """The upload form."""
    return page(request, "invoices.html", **_form_context())


@router.post("/invoices", response_class=HTMLResponse)
async def invoice_result(request: Request) -> HTMLResponse:
    """Check (and, if asked, convert) the uploaded invoice; findings by severity."""
    form = await read_form(request)
    rules = text_field(form, "rules", 100) or None  # none chosen: the format's own
    action = "convert" if text_field(form, "action", 20) == "convert" else "check"
    to = text_field(form, "to", 40) or "cii"
    as_of = date_field(form, "as_of")
    sent = await upload(form, "file")
    if sent is None:
        return error_page(
            request,
            422,
            [Issue("request.invalid", "choose an invoice file", loc="file")],
            back=_BACK,
        )
    filename, data = sent
    try:
        # unreadable input: the error page with its codes; read by the format's own
        # reader where it has one, as the library's convert reads bytes
        doc = read_document(data)
        report = einvoice.check(doc, rules=rules, as_of=as_of)
        conversion = _convert(doc, to, filename) if action == "convert" else None
    except DefaError as exc:
        return error_page(request, 422, exc.issues, back=_BACK)
    counts = Counter(i.severity.value for i in report.issues)
    return page(
        request,
        "invoices.html",
        filename=filename,
        report=report,
        counts={s: counts.get(s, 0) for s in ("error", "warning", "info")},
        groups=grouped(report.issues),
        rule_sets_used=report.meta.get("rule_sets", []),
        conversion=conversion,
        **_form_context(rules=rules, to=to, action=action, as_of=as_of),
    )


def _convert(doc: einvoice.Invoice, to: str, filename: str) -> dict[str, Any]:
    result = einvoice.convert(doc, to=to)
    stem = filename.rsplit(".", 1)[0] or "invoice"
    return {
        "to": to,
        "document": result.document.decode("utf-8"),
        "data_b64": base64.b64encode(result.document).decode("ascii"),
        "filename": f"{stem}.{to}.xml",
        "losses": [loss.to_dict() for loss in result.losses],
    }
