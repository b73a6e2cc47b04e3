"""HTTP endpoints for payment QR codes and cross-border payments (``router``).

``POST /v1/qr/decode``, ``/v1/qr/encode``, ``/v1/qr/image``, ``/v1/payments/quote`` and
``/v1/payments/pacs008``. Bodies are JSON (``application/json``), except that
``/v1/qr/decode`` also takes an image (``image/png``, ``image/jpeg``, ...) as the raw body.
Any other content type is 415; bad input is 422 ``application/problem+json`` carrying DEFA
issue records; bodies are read with a size limit even when no Content-Length is sent.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from pydantic import ValidationError as PydanticError
from starlette.exceptions import HTTPException

from defa.errors import InputRejected, Issue, ValidationError
from defa.service.problems import PROBLEM_JSON

__all__ = ["MAX_JSON_BYTES", "router"]

#: JSON bodies larger than this are refused (the app's own limit may be lower).
MAX_JSON_BYTES = 256 * 1024
_IMAGE_TYPES = frozenset(
    {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "application/octet-stream"}
)
_PROBLEM = {"content": {PROBLEM_JSON: {}}, "description": "Problem details (RFC 9457)"}
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: _PROBLEM,
    413: _PROBLEM,
    415: _PROBLEM,
    422: _PROBLEM,
}

router = APIRouter(tags=["payments"])


class _Body(BaseModel):
    model_config = {"extra": "forbid"}


class DecodeRequest(_Body):
    payload: str = Field(description="The QR payload text.", max_length=10_000)


class EncodeRequest(_Body):
    country: str = Field(max_length=3, description="ISO alpha-2 code, e.g. TH.")
    scheme: str | None = Field(None, max_length=40, description="Default: the national one.")
    fields: dict[str, str] = Field(default_factory=dict, description="Scheme template fields.")
    amount: str | None = Field(None, max_length=20)
    currency: str | None = Field(None, max_length=3)
    merchant_name: str | None = Field(None, max_length=100)
    merchant_city: str | None = Field(None, max_length=100)
    mcc: str | None = Field(None, max_length=4)
    bill_number: str | None = Field(None, max_length=99)
    reference: str | None = Field(None, max_length=99)


class ImageRequest(_Body):
    payload: str = Field(max_length=10_000)
    format: str = Field("png", pattern="^(png|svg)$")
    scale: int = Field(8, ge=1, le=50)


class RateRow(_Body):
    base: str = Field(max_length=3)
    quote: str = Field(max_length=3)
    rate: str | float | int = Field(description="1 base = rate quote; a string keeps it exact.")
    source: str = Field(max_length=200)
    timestamp: str | None = Field(None, max_length=40)


class QuoteRequest(_Body):
    payload: str = Field(max_length=10_000)
    payer_country: str = Field(max_length=3)
    amount: str | None = Field(None, max_length=20)
    as_of: date | None = None
    rates: list[RateRow] | None = Field(None, max_length=1000)


class AgentBody(_Body):
    bic: str | None = Field(None, max_length=11)
    member_id: str | None = Field(None, max_length=35)
    clearing_system: str | None = Field(None, max_length=35)
    name: str | None = Field(None, max_length=140)


class Pacs008Request(QuoteRequest):
    rates: list[RateRow] = Field(max_length=1000)
    debtor_name: str = Field(max_length=140)
    debtor_account: str | None = Field(None, max_length=34)
    debtor_agent: AgentBody
    creditor_agent: AgentBody
    intermediaries: list[AgentBody] = Field(default_factory=list, max_length=3)


def _openapi(model: type[BaseModel]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        }
    }


async def _read(request: Request, limit: int) -> bytes:
    """The body, refused as soon as it exceeds ``limit`` bytes (chunked bodies included)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"the body exceeds {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _media(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def _json(request: Request, model: type[_Body]) -> Any:
    media = _media(request)
    if media != "application/json":
        raise HTTPException(415, f"send application/json, not {media or 'nothing'}")
    raw = await _read(request, MAX_JSON_BYTES)
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise InputRejected(
            Issue("input.invalid_encoding", "the body is not valid UTF-8 JSON", loc="body")
        ) from None
    try:
        return model.model_validate(body)
    except PydanticError as exc:
        raise InputRejected(
            [
                Issue(
                    "request.invalid",
                    str(err.get("msg", "invalid value")),
                    loc="/".join(str(p) for p in err.get("loc", ())) or "body",
                )
                for err in exc.errors()[:20]
            ]
        ) from None


def _decoded(p: Any) -> dict[str, Any]:
    return {
        **p.to_dict(),
        "schemes": list(p.schemes),
        "amount": None if p.amount is None else str(p.amount),
        "currency": p.currency,
        "merchant_name": p.merchant_name,
        "merchant_city": p.merchant_city,
        "text": p.text,
    }


@router.post("/v1/qr/decode", responses=_ERRORS, openapi_extra=_openapi(DecodeRequest))
async def qr_decode(request: Request) -> dict[str, Any]:
    """Decode a payload (JSON ``{"payload": ...}``) or the QR Code in an image body.

    200 with the decoded fields and every issue, valid or not: a payload's issues are the
    answer. An image with no readable QR Code is 422 ``qr.not_a_qr_image``.
    """
    from defa.qr import decode
    from defa.qr.image import MAX_IMAGE_BYTES, read_image

    if _media(request) in _IMAGE_TYPES:
        return _decoded(read_image(await _read(request, MAX_IMAGE_BYTES)))
    body: DecodeRequest = await _json(request, DecodeRequest)
    return _decoded(decode(body.payload))


@router.post("/v1/qr/encode", responses=_ERRORS, openapi_extra=_openapi(EncodeRequest))
async def qr_encode(request: Request) -> dict[str, Any]:
    """Build a payload from typed fields of a country's (or a named) scheme."""
    from defa.payments.forms import encode_fields, parse_amount
    from defa.qr import decode

    body: EncodeRequest = await _json(request, EncodeRequest)
    text = encode_fields(
        body.country,
        body.fields,
        scheme_id=body.scheme,
        amount=parse_amount(body.amount),
        currency=body.currency,
        merchant_name=body.merchant_name,
        merchant_city=body.merchant_city,
        mcc=body.mcc,
        bill_number=body.bill_number,
        reference=body.reference,
    )
    p = decode(text)
    return {"payload": text, "scheme": p.scheme, "country": p.country, "valid": p.valid}


@router.post(
    "/v1/qr/image",
    responses={**_ERRORS, 200: {"content": {"image/png": {}, "image/svg+xml": {}}}},
    openapi_extra=_openapi(ImageRequest),
    response_class=Response,
)
async def qr_image(request: Request) -> Response:
    """Draw a payload as PNG or SVG; a payload with errors is 422 with its issues."""
    from defa.qr import decode
    from defa.qr.image import render_png, render_svg

    body: ImageRequest = await _json(request, ImageRequest)
    p = decode(body.payload)
    if not p.valid:
        raise ValidationError([i for i in p.issues if i.severity.value == "error"])
    if body.format == "svg":
        return Response(render_svg(body.payload, scale=body.scale), media_type="image/svg+xml")
    return Response(render_png(body.payload, scale=body.scale), media_type="image/png")


def _rates(rows: list[RateRow] | None) -> Any:
    from defa.payments import RateTable

    return None if rows is None else RateTable.from_rows([r.model_dump() for r in rows])


@router.post("/v1/payments/quote", responses=_ERRORS, openapi_extra=_openapi(QuoteRequest))
async def payments_quote(request: Request) -> dict[str, Any]:
    """Can a payer in ``payer_country`` pay this code, via which linkage, for how much?

    200 with ``payable`` true or false and the reason; a quote in both currencies when an
    amount and ``rates`` are known. Rates are the caller's; nothing is fetched.
    """
    from defa.payments import pay
    from defa.payments.forms import parse_amount
    from defa.qr import decode

    body: QuoteRequest = await _json(request, QuoteRequest)
    answer = pay(
        decode(body.payload),
        body.payer_country,
        amount=parse_amount(body.amount),
        rates=_rates(body.rates),
        as_of=body.as_of,
    )
    return answer.to_dict()


@router.post(
    "/v1/payments/pacs008",
    responses={**_ERRORS, 200: {"content": {"application/json": {}, "application/xml": {}}}},
    openapi_extra=_openapi(Pacs008Request),
)
async def payments_pacs008(request: Request) -> Any:
    """Build an XSD-valid pacs.008.001.11 for paying the code at the quoted rate.

    JSON with the XML and its ids by default; the XML itself when ``Accept`` asks for
    ``application/xml``. A code that is not payable from ``payer_country`` is 422.
    """
    from defa.iso20022 import Agent
    from defa.payments.forms import pacs008_for, parse_amount
    from defa.qr import decode

    body: Pacs008Request = await _json(request, Pacs008Request)

    def agent(a: AgentBody, loc: str) -> Agent:
        found = Agent(**a.model_dump())
        problems = found.check(loc)
        if problems:
            raise ValidationError(problems)
        return found

    answer, message = pacs008_for(
        decode(body.payload),
        body.payer_country,
        _rates(body.rates),
        debtor_name=body.debtor_name,
        debtor_agent=agent(body.debtor_agent, "debtor_agent"),
        creditor_agent=agent(body.creditor_agent, "creditor_agent"),
        debtor_account=body.debtor_account,
        intermediaries=tuple(
            agent(a, f"intermediaries/{n}") for n, a in enumerate(body.intermediaries)
        ),
        amount=parse_amount(body.amount),
        as_of=body.as_of,
    )
    if "application/xml" in request.headers.get("accept", ""):
        return Response(message.xml, media_type="application/xml")
    return {**message.to_dict(), "quote": None if answer.quote is None else answer.quote.to_dict()}
