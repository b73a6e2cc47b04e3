"""``defa qr ...``: decode, encode and draw payment QR codes, and ask whether one can be paid.

Exit codes as everywhere in ``defa``: 0 valid (or payable), 1 invalid input (or not payable),
2 usage (unknown country or scheme, bad arguments), 3 data not in force or missing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from defa.cli._common import as_of_option, emit
from defa.errors import DefaError, InputRejected, Issue, ValidationError

__all__ = ["qr_app"]

qr_app = typer.Typer(
    help="Payment QR codes (EMVCo MPM): decode, encode, images, cross-border payability.",
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
PayloadArg = Annotated[
    str | None, typer.Argument(help="The QR payload text; '-' reads it from standard input.")
]


def print_issues(issues: list[Issue] | tuple[Issue, ...]) -> None:
    """One line per issue; errors to standard error."""
    for i in issues:
        where = f" at {i.loc}" if i.loc else ""
        typer.echo(f"{i.severity.value}: {i.code}{where}: {i.msg}", err=i.severity.value == "error")


def fail(exc: DefaError, as_json: bool) -> NoReturn:
    """Report a DEFA error (as JSON or lines) and exit with its exit code."""
    if as_json:
        emit({"valid": False, "issues": [i.to_dict() for i in exc.issues]})
    else:
        print_issues(exc.issues)
    raise typer.Exit(exc.exit_code)


def read_file(path: Path) -> bytes:
    """A file's bytes; an unreadable file is ``input.unreadable`` (exit 1)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputRejected(
            Issue("input.unreadable", f"{path}: {exc.strerror or exc}", loc=str(path))
        ) from None


def payload_text(payload: str | None) -> str:
    """The payload argument, or standard input for '-'; missing is a usage error."""
    if payload is None:
        raise typer.BadParameter("give a QR payload (or '-' to read it from standard input)")
    if payload == "-":
        return sys.stdin.read().strip()
    return payload


def _show_payload(p: Any) -> None:
    typer.echo(f"scheme:   {p.scheme}{' (' + ', '.join(p.schemes) + ')' if p.schemes else ''}")
    typer.echo(f"country:  {p.country or '-'}")
    amount = p.amount
    typer.echo(f"amount:   {amount if amount is not None else '-'} {p.currency or ''}".rstrip())
    typer.echo(f"merchant: {p.merchant_name or '-'}, {p.merchant_city or '-'}")
    if p.fields is not None:
        for name, value in p.fields.to_dict().items():
            if name not in ("tag", "extra"):
                typer.echo(f"  {name}: {value}")
    typer.echo("valid" if p.valid else "INVALID")
    print_issues(p.issues)


@qr_app.command("decode")
def decode_cmd(
    payload: PayloadArg = None,
    image: Annotated[
        Path | None, typer.Option("--image", help="Read the payload from a PNG/JPEG image.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Decode a payload (or the QR Code in an image); exit 0 if valid, 1 if not."""
    from defa.qr import decode
    from defa.qr.image import read_image

    try:
        if image is not None:
            if payload is not None:
                raise typer.BadParameter("give a payload or --image, not both")
            p = read_image(read_file(image))
        else:
            p = decode(payload_text(payload))
    except DefaError as exc:
        fail(exc, as_json)
    if as_json:
        emit(
            {
                **p.to_dict(),
                "schemes": list(p.schemes),
                "amount": None if p.amount is None else str(p.amount),
                "currency": p.currency,
                "merchant_name": p.merchant_name,
                "merchant_city": p.merchant_city,
                "text": p.text,
            }
        )
    else:
        _show_payload(p)
    if not p.valid:
        raise typer.Exit(1)


@qr_app.command("encode")
def encode_cmd(
    country: Annotated[str, typer.Option("--country", "-c", help="ISO alpha-2 code, e.g. TH.")],
    field: Annotated[
        list[str] | None,
        typer.Option("--field", "-f", help="A scheme field as name=value (repeatable)."),
    ] = None,
    scheme_id: Annotated[
        str | None, typer.Option("--scheme", help="Scheme id; default the country's national one.")
    ] = None,
    amount: Annotated[
        str | None, typer.Option("--amount", help="Amount (makes it dynamic).")
    ] = None,
    currency: Annotated[str | None, typer.Option("--currency", help="ISO 4217 code.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Merchant name (ID 59).")] = None,
    city: Annotated[str | None, typer.Option("--city", help="Merchant city (ID 60).")] = None,
    mcc: Annotated[str | None, typer.Option("--mcc", help="Merchant category code.")] = None,
    bill_number: Annotated[str | None, typer.Option("--bill-number", help="ID 62.01.")] = None,
    reference: Annotated[str | None, typer.Option("--reference", help="ID 62.05.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Build a payload from typed fields, e.g. ``--country TH --field mobile=0066812345678``."""
    from defa.payments.forms import encode_fields, fields_from, parse_amount
    from defa.qr import decode

    try:
        text = encode_fields(
            country,
            fields_from(field),
            scheme_id=scheme_id,
            amount=parse_amount(amount),
            currency=currency,
            merchant_name=name,
            merchant_city=city,
            mcc=mcc,
            bill_number=bill_number,
            reference=reference,
        )
    except DefaError as exc:
        fail(exc, as_json)
    if as_json:
        p = decode(text)
        emit({"payload": text, "scheme": p.scheme, "country": p.country, "valid": p.valid})
    else:
        typer.echo(text)


@qr_app.command("image")
def image_cmd(
    payload: PayloadArg = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The image file to write: .png or .svg.")
    ] = Path("qr.png"),
    scale: Annotated[int, typer.Option("--scale", min=1, max=50, help="Pixels per module.")] = 8,
    as_json: JsonOpt = False,
) -> None:
    """Draw a payload as a PNG or SVG image (the payload is decoded and checked first)."""
    from defa.qr import decode
    from defa.qr.image import render_png, render_svg

    suffix = output.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise typer.BadParameter("the output file must end in .png or .svg")
    text = payload_text(payload)
    p = decode(text)
    try:
        if not p.valid:
            raise ValidationError([i for i in p.issues if i.severity.value == "error"])
        if suffix == ".png":
            output.write_bytes(render_png(text, scale=scale))
        else:
            output.write_text(render_svg(text, scale=scale), encoding="utf-8")
    except DefaError as exc:
        fail(exc, as_json)
    except OSError as exc:
        fail(DefaError(Issue("input.unreadable", f"{output}: {exc.strerror or exc}")), as_json)
    if as_json:
        emit({"written": str(output), "scheme": p.scheme, "country": p.country})
    else:
        typer.echo(f"wrote {output} ({p.scheme}, {p.country or '-'})")


def load_rates(path: Path | None) -> Any:
    """The rates file at ``path`` as a RateTable, or None."""
    from defa.payments import parse_rates

    return None if path is None else parse_rates(read_file(path), path.name)


@qr_app.command("pay")
def pay_cmd(
    payload: PayloadArg = None,
    payer_country: Annotated[
        str, typer.Option("--payer-country", "-p", help="Where the payer's app is, e.g. TH.")
    ] = "",
    amount: Annotated[
        str | None, typer.Option("--amount", help="Amount in the QR's currency (static codes).")
    ] = None,
    rates: Annotated[
        Path | None,
        typer.Option("--rates", help="Rates file (TOML or JSON; see docs/payments.md)."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date (YYYY-MM-DD); default today.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Can a payer in --payer-country pay this code? Exit 0 payable, 1 not."""
    from defa.payments import pay
    from defa.payments.forms import parse_amount
    from defa.qr import decode

    if not payer_country:
        raise typer.BadParameter("give --payer-country, e.g. --payer-country TH")
    on = as_of_option(as_of)
    try:
        answer = pay(
            decode(payload_text(payload)),
            payer_country,
            amount=parse_amount(amount),
            rates=load_rates(rates),
            as_of=on,
        )
    except DefaError as exc:
        fail(exc, as_json)
    if as_json:
        emit(answer.to_dict())
    else:
        r = answer.route
        typer.echo(f"{'PAYABLE' if r.payable else 'NOT PAYABLE'}: {r.reason}")
        if r.linkage is not None:
            typer.echo(f"  source: {r.linkage.source}")
        q = answer.quote
        if q is not None:
            typer.echo(f"  merchant receives: {q.target_amount} {q.target_currency}")
            typer.echo(f"  payer pays:        {q.source_amount} {q.source_currency}")
            stamp = f" at {q.rate_timestamp.isoformat()}" if q.rate_timestamp else ""
            typer.echo(
                f"  rate: 1 {q.source_currency} = {q.rate} {q.target_currency} "
                f"({q.rate_source}{stamp}){' inverted' if q.rate_inverted else ''}"
            )
            typer.echo(f"  quote id: {q.id}")
        print_issues(answer.issues)
    if not answer.payable:
        raise typer.Exit(1)
