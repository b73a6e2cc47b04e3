"""``/v1/invoices``: check and convert e-invoices over HTTP.

The document is the request body (``application/xml`` or ``text/xml``) or the ``file`` part
of a ``multipart/form-data`` upload. A document that cannot be read (not XML, a DTD, an
unknown syntax, ...) answers 422 problem+json; a readable one answers 200 with its report,
valid or not.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter, ValidationError
from pydantic_core import to_json
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import Response

from defa import einvoice
from defa.einvoice import profiles
from defa.errors import InputRejected, Issue
from defa.service.problems import PROBLEM_JSON

__all__ = ["router"]

router = APIRouter(prefix="/v1/invoices", tags=["invoices"])

_XML_TYPES = frozenset({"application/xml", "text/xml"})
_PROBLEM = {"content": {PROBLEM_JSON: {}}, "description": "Problem details (RFC 9457)"}
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


async def document_body(request: Request) -> bytes:
    """The XML document of a request: the raw body or the ``file`` part of an upload."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media in _XML_TYPES:
        return await request.body()
    if media == "multipart/form-data":
        form = await request.form(max_files=1, max_fields=10)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InputRejected(
                Issue("request.invalid", "the upload needs a part named 'file'", loc="file")
            )
        return await upload.read()
    raise HTTPException(
        415, f"send application/xml, text/xml or multipart/form-data, not {media or 'nothing'}"
    )


_RULES_DOC = "Rule set id, e.g. en16931; default: the detected format's rules."
_AS_OF_DOC = "Date of the rules; default the issue date."
# The check route's query parameters, documented as FastAPI documents ``str | None`` and
# ``date | None`` query parameters, and read by the route itself (:func:`_check_query`).
_CHECK_QUERY = {
    "parameters": [
        {
            "name": name,
            "in": "query",
            "required": False,
            "schema": {
                "anyOf": [schema, {"type": "null"}],
                "description": doc,
                "title": title,
            },
            "description": doc,
        }
        for name, title, schema, doc in (
            ("rules", "Rules", {"type": "string"}, _RULES_DOC),
            ("as_of", "As Of", {"type": "string", "format": "date"}, _AS_OF_DOC),
        )
    ]
}
_DATE = TypeAdapter(date)


def _check_query(request: Request) -> tuple[str | None, date | None]:
    """``rules`` and ``as_of`` from the query string, validated as FastAPI validates them
    (the last of repeated values; a bad date is a 422 ``request.invalid`` at
    ``query/as_of``). Read here, not by FastAPI's parameter machinery: this is the hot path,
    and almost every request has no query string at all."""
    if not request.scope["query_string"]:
        return None, None
    query = request.query_params
    as_of = query.get("as_of")
    try:
        return query.get("rules"), None if as_of is None else _DATE.validate_python(as_of)
    except ValidationError as exc:
        errors = [{**e, "loc": ("query", "as_of", *e["loc"])} for e in exc.errors()]
        raise RequestValidationError(errors) from None


@router.post(
    "/check",
    response_model=dict[str, Any],
    responses={404: _PROBLEM, 415: _PROBLEM, 422: _PROBLEM},
    openapi_extra={**_BODY, **_CHECK_QUERY},
)
async def check_invoice(request: Request) -> Response:
    """Check an invoice in any known format against its format's rules (or ``rules``)."""
    rules, as_of = _check_query(request)
    doc = einvoice.read(await document_body(request))  # unreadable input: 422 problem
    report = einvoice.check(doc, rules=rules, as_of=as_of).to_dict()
    # The report is plain JSON data: encoded straight to bytes, not validated against
    # ``dict[str, Any]`` first (the route's hot path; the schema stays in the docs).
    return Response(to_json(report), media_type="application/json")


@router.post(
    "/convert", responses={404: _PROBLEM, 415: _PROBLEM, 422: _PROBLEM}, openapi_extra=_BODY
)
async def convert_invoice(
    request: Request,
    to: str = Query(..., description="Target format id (GET /v1/invoices/formats)."),
    as_of: date | None = Query(None, description="Date for the target's rules."),
    self_billed: bool | None = Query(
        None,
        description="true: a self-billed document (MyInvois 11-14, UNTDID 389/261/527); "
        "false: a billing one; default: as the source is.",
    ),
    tax_category: list[str] = Query(
        [],
        description="SOURCE=TARGET, repeatable: the target tax category for a source "
        "category the crosswalk cannot map one to one (e.g. S=SR into sg-pint).",
    ),
) -> dict[str, Any]:
    """Convert an invoice; the answer holds the document, every value not carried, the report."""
    choices: dict[str, str] = {}
    for item in tax_category:
        code, sep, chosen = item.partition("=")
        if not sep or not code.strip() or not chosen.strip():
            raise InputRejected(
                Issue("request.invalid", f"{item!r:.40} is not SOURCE=TARGET", loc="tax_category")
            )
        choices[code.strip()] = chosen.strip()
    # the bytes as the library converts them: read by the source format's own reader
    # (MyInvois XML, PINT MY) where it has one, not only by its syntax
    result = einvoice.convert(
        await document_body(request),
        to=to,
        as_of=as_of,
        self_billed=self_billed,
        tax_categories=choices,
    )
    return {
        "to": to,
        "document": result.document.decode("utf-8"),
        "losses": [loss.to_dict() for loss in result.losses],
        "report": result.report.to_dict(),
        "check": result.check.to_dict() if result.check is not None else None,
    }


@router.get("/formats")
def list_formats() -> list[dict[str, Any]]:
    """Every format ``/v1/invoices/convert?to=`` accepts, with its rules and provenance."""
    return [profiles.get(f).describe() for f in einvoice.formats()]
