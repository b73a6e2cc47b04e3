"""``defa payments ...``: cross-border linkages, pacs.008 messages and pacs.002 status reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from defa.cli._common import as_of_option, emit
from defa.cli.qr import (
    JsonOpt,
    PayloadArg,
    fail,
    load_rates,
    payload_text,
    read_file,
)
from defa.errors import DefaError, Issue, ValidationError

__all__ = ["payments_app"]

payments_app = typer.Typer(
    help="Cross-border payments: QR linkages, ISO 20022 pacs.008 and pacs.002.",
    no_args_is_help=True,
)


@payments_app.command("linkages")
def linkages_cmd(
    payer: Annotated[str | None, typer.Option("--payer", help="Payer's country.")] = None,
    merchant: Annotated[str | None, typer.Option("--merchant", help="Merchant's country.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date (YYYY-MM-DD); default today.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the merchant QR linkages (live and announced), with their sources."""
    from datetime import date

    from defa.payments import linkages

    on = as_of_option(as_of) or date.today()
    try:
        rows = [
            k
            for k in linkages(on)
            if (payer is None or k.payer == payer.upper())
            and (merchant is None or k.merchant == merchant.upper())
        ]
    except DefaError as exc:
        fail(exc, as_json)
    if as_json:
        emit([{**k.to_dict(), "in_force": k.in_force(on)} for k in rows])
        return
    for k in rows:
        state = "in force" if k.in_force(on) else k.status
        typer.echo(
            f"{k.payer}->{k.merchant}  {', '.join(k.schemes):<30} from {k.valid_from}  "
            f"{state:<9} confidence {k.confidence.value}  ({k.id})"
        )


@payments_app.command("pacs008")
def pacs008_cmd(
    payload: PayloadArg = None,
    payer_country: Annotated[
        str, typer.Option("--payer-country", "-p", help="Where the payer's app is, e.g. TH.")
    ] = "",
    rates: Annotated[
        Path | None, typer.Option("--rates", help="Rates file (TOML or JSON).")
    ] = None,
    debtor_name: Annotated[str, typer.Option("--debtor-name", help="The payer's name.")] = "",
    debtor_agent: Annotated[
        str, typer.Option("--debtor-agent", help="Payer's PSP: BIC, or SYSTEM:MEMBER.")
    ] = "",
    creditor_agent: Annotated[
        str, typer.Option("--creditor-agent", help="Merchant's PSP: BIC, or SYSTEM:MEMBER.")
    ] = "",
    intermediary: Annotated[
        list[str] | None,
        typer.Option("--intermediary", help="An intermediary agent, in order (up to 3)."),
    ] = None,
    debtor_account: Annotated[
        str | None, typer.Option("--debtor-account", help="The payer's account id.")
    ] = None,
    amount: Annotated[str | None, typer.Option("--amount", help="Amount for static codes.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date (YYYY-MM-DD).")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the XML here, not to stdout.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Build an XSD-valid pacs.008.001.11 paying a QR code at a quoted rate."""
    from defa.payments.forms import pacs008_for, parse_agent, parse_amount
    from defa.qr import decode

    missing = [
        name
        for name, value in (
            ("--payer-country", payer_country),
            ("--debtor-name", debtor_name),
            ("--debtor-agent", debtor_agent),
            ("--creditor-agent", creditor_agent),
        )
        if not value
    ]
    if rates is None:
        missing.append("--rates")
    if missing:
        raise typer.BadParameter(f"give {', '.join(missing)}")
    try:
        table = load_rates(rates)
        answer, message = pacs008_for(
            decode(payload_text(payload)),
            payer_country,
            table,
            debtor_name=debtor_name,
            debtor_agent=parse_agent(debtor_agent, "debtor_agent"),
            creditor_agent=parse_agent(creditor_agent, "creditor_agent"),
            debtor_account=debtor_account,
            intermediaries=tuple(
                parse_agent(a, f"intermediaries[{n}]") for n, a in enumerate(intermediary or [])
            ),
            amount=parse_amount(amount),
            as_of=as_of_option(as_of),
        )
        if output is not None:
            output.write_bytes(message.xml)
    except DefaError as exc:
        fail(exc, as_json)
    except OSError as exc:
        fail(ValidationError(Issue("input.unreadable", f"{output}: {exc}")), as_json)
    if as_json:
        emit(
            {**message.to_dict(), "quote": None if answer.quote is None else answer.quote.to_dict()}
        )
    elif output is None:
        typer.echo(message.xml.decode("utf-8"))
    else:
        typer.echo(f"wrote {output} (UETR {message.uetr}, quote {message.quote_id})")


@payments_app.command("pacs002")
def pacs002_cmd(
    file: Annotated[Path, typer.Argument(help="A pacs.002.001.13 status report (XML).")],
    as_json: JsonOpt = False,
) -> None:
    """Read a pacs.002.001.13 status report; exit 0 if every transaction was accepted."""
    from defa.iso20022 import read_pacs002

    try:
        report = read_pacs002(read_file(file))
    except DefaError as exc:
        fail(exc, as_json)
    if as_json:
        emit(report.to_dict())
    else:
        typer.echo(
            f"report {report.message_id} on {report.original_message_name or '?'} "
            f"{report.original_message_id or '?'}: group status {report.group_status or '-'}"
        )
        for t in report.transactions:
            why = "; ".join(f"{c or '?'} {i}".strip() for c, i in t.reasons)
            typer.echo(
                f"  {t.original_uetr or t.original_end_to_end_id or '?'}: {t.status} "
                f"({t.outcome}){' - ' + why if why else ''}"
            )
    outcomes = {t.outcome for t in report.transactions}
    if report.group_status == "RJCT" or outcomes - {"accepted"}:
        raise typer.Exit(1)
