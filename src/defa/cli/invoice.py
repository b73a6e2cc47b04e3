"""``defa invoice ...``: check and convert e-invoices."""

from __future__ import annotations

import sys
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from defa.cli._common import as_of_option, emit
from defa.errors import DefaError, Issue, Report

__all__ = ["invoice_app"]

invoice_app = typer.Typer(help="Check and convert e-invoices (UBL, CII).", no_args_is_help=True)

_JSON = typer.Option("--json", help="Print machine-readable JSON.")
_PROGRESS_FROM = 20  # files; a progress bar appears on stderr for longer runs


def _read(path: Path) -> bytes | Report:
    try:
        return path.read_bytes()
    except OSError as exc:
        return Report([Issue("input.unreadable", f"{path}: {exc.strerror or exc}", loc=str(path))])


def _issue_line(i: Issue) -> str:
    rule = f" [{i.rule_id}]" if i.rule_id else ""
    where = f" at {i.loc}" if i.loc else ""
    return f"  {i.severity.value}{rule}{where}: {i.msg}"


def _print_report(name: str, report: Report, err: bool = False) -> None:
    sets = ", ".join(f"{s['id']} {s['version']}" for s in report.meta.get("rule_sets", []))
    verdict = "valid" if report.valid else "INVALID"
    counts = f"{len(report.errors)} errors, {len(report.warnings)} warnings"
    fmt = f"format {report.meta['format']}; " if report.meta.get("format") else ""
    typer.echo(f"{name}: {verdict} ({counts}; {fmt}rules {sets or 'none'})", err=err)
    order = {"error": 0, "warning": 1, "info": 2}
    for issue in sorted(report.issues, key=lambda i: order.get(i.severity.value, 3)):
        typer.echo(_issue_line(issue), err=err)


@invoice_app.command("check")
def check(
    files: Annotated[list[Path], typer.Argument(help="Invoice files (UBL or CII XML).")],
    rules: Annotated[
        str | None,
        typer.Option("--rules", help="Rule set id (e.g. en16931); default: the format's own."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date the rules are taken at (YYYY-MM-DD).")
    ] = None,
    as_json: Annotated[bool, _JSON] = False,
) -> None:
    """Check invoices against their rule sets; exit 0 if all are valid, 1 if any is not."""
    from defa import einvoice

    on = as_of_option(as_of)
    kwargs: dict[str, Any] = {"as_of": on}
    if rules is not None:
        kwargs["rules"] = rules
    results: list[tuple[Path, Report]] = []
    show_bar = not as_json and len(files) >= _PROGRESS_FROM and sys.stderr.isatty()
    with typer.progressbar(files, label="checking", file=sys.stderr, hidden=not show_bar) as bar:
        for path in bar:
            source = _read(path)
            try:
                report = source if isinstance(source, Report) else einvoice.check(source, **kwargs)
            except DefaError as exc:  # unknown rule set, rules not in force: not per-file faults
                _fail(exc, as_json)
            results.append((path, report))
    if as_json:
        emit([{"file": str(p), **r.to_dict()} for p, r in results])
    else:
        for path, report in results:
            _print_report(str(path), report)
    if not all(r.valid for _, r in results):
        raise typer.Exit(1)


def _loss(loss: object) -> dict[str, Any]:
    if is_dataclass(loss) and not isinstance(loss, type):
        return asdict(loss)
    to_dict = getattr(loss, "to_dict", None)
    return dict(to_dict()) if callable(to_dict) else {"loss": str(loss)}


@invoice_app.command("convert")
def convert(
    file: Annotated[Path, typer.Argument(help="The invoice to convert.")],
    to: Annotated[str, typer.Option("--to", help="Target format (see `defa invoice formats`).")],
    out: Annotated[
        Path | None, typer.Option("-o", "--out", help="Write the document here (default stdout).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date for the target's rules (YYYY-MM-DD).")
    ] = None,
    self_billed: Annotated[
        bool | None,
        typer.Option(
            "--self-billed/--billing",
            help="Write a self-billed document (MyInvois 11-14, UNTDID 389/261/527), or a "
            "billing one; default: as the source is (my-pint-selfbilling: self-billed).",
        ),
    ] = None,
    tax_category: Annotated[
        list[str] | None,
        typer.Option(
            "--tax-category",
            help="SOURCE=TARGET: the target tax category for a source category the "
            "crosswalk cannot map one to one, e.g. S=SR into sg-pint (repeatable).",
        ),
    ] = None,
    as_json: Annotated[bool, _JSON] = False,
) -> None:
    """Convert an invoice; values the target cannot hold are listed, never dropped silently.

    The output is checked against the target format's rules; exit 1 if it is not valid.
    """
    from defa import einvoice

    choices = _tax_choices(tax_category or [])
    source = _read(file)
    if isinstance(source, Report):
        _fail(DefaError(source.issues), as_json, code=1)
    try:
        result = einvoice.convert(
            source,
            to=to,
            as_of=as_of_option(as_of),
            self_billed=self_billed,
            tax_categories=choices,
        )
    except DefaError as exc:
        _fail(exc, as_json)
    losses = [_loss(x) for x in result.losses]
    if out is not None:
        out.write_bytes(result.document)
    if as_json:
        payload: dict[str, Any] = {
            "file": str(file),
            "to": to,
            "losses": losses,
            "report": result.report.to_dict(),
            "check": result.check.to_dict() if result.check is not None else None,
        }
        if out is None:
            payload["document"] = result.document.decode("utf-8")
        else:
            payload["out"] = str(out)
        emit(payload)
    else:
        if out is None:
            sys.stdout.buffer.write(result.document)
            sys.stdout.flush()
        for loss in losses:
            typer.echo("not carried: " + ", ".join(f"{k}={v}" for k, v in loss.items()), err=True)
        for issue in result.report.issues:
            typer.echo(_issue_line(issue), err=True)
        if result.check is not None:
            _print_report(f"output ({result.format})", result.check, err=True)
    output_valid = result.check.valid if result.check is not None else True
    if not (result.report.valid and output_valid):
        raise typer.Exit(1)


def _tax_choices(items: list[str]) -> dict[str, str]:
    """``--tax-category S=SR`` options as a mapping; a malformed one is a usage error."""
    choices: dict[str, str] = {}
    for item in items:
        code, sep, chosen = item.partition("=")
        if not sep or not code.strip() or not chosen.strip():
            raise typer.BadParameter(
                f"{item!r:.40} is not SOURCE=TARGET (e.g. S=SR)", param_hint="--tax-category"
            )
        choices[code.strip()] = chosen.strip()
    return choices


@invoice_app.command("formats")
def formats(as_json: Annotated[bool, _JSON] = False) -> None:
    """List the format ids that `defa invoice convert --to` accepts."""
    from defa import einvoice
    from defa.einvoice import profiles

    found = [profiles.get(f) for f in einvoice.formats()]
    if as_json:
        emit([f.describe() for f in found])
        return
    for f in found:
        rules = f.rules or "no published rules"
        note = "" if f.confidence == "official" else f"  [{f.confidence}]"
        typer.echo(f"{f.id:<20} {f.title} ({rules}){note}")


def _fail(exc: DefaError, as_json: bool, code: int | None = None) -> NoReturn:
    if as_json:
        payload = {"valid": False, "issues": [i.to_dict() for i in exc.issues]}
        emit(payload)
    else:
        for issue in exc.issues:
            typer.echo(f"{issue.severity.value}: {issue.code}: {issue.msg}", err=True)
    raise typer.Exit(exc.exit_code if code is None else code)
