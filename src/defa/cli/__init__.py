"""The ``defa`` command line.

Human output by default, ``--json`` for machines. Exit codes: 0 valid, 1 invalid input,
2 usage (bad arguments, unknown country or scheme), 3 data or rules not in force.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Annotated, ParamSpec, TypeVar

import typer

from defa import __version__, ids
from defa.cli._common import as_of_option, emit
from defa.cli.admin import admin_app
from defa.cli.batch import batch_app
from defa.cli.invoice import invoice_app
from defa.cli.payments import payments_app
from defa.cli.qr import qr_app
from defa.errors import DefaError, Issue, Report
from defa.members import members as list_members

__all__ = ["app", "main"]

app = typer.Typer(
    name="defa",
    help="DEFA toolkit: ASEAN digital-trade machinery (identifiers, e-invoices, payments).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
id_app = typer.Typer(
    help="Tax and business identifiers of the ASEAN members.", no_args_is_help=True
)
app.add_typer(id_app, name="id")
app.add_typer(invoice_app, name="invoice")
app.add_typer(qr_app, name="qr")
app.add_typer(payments_app, name="payments")
app.add_typer(admin_app, name="admin")
app.add_typer(batch_app, name="batch")

P = ParamSpec("P")
R = TypeVar("R")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
SchemeOpt = Annotated[
    str,
    typer.Option("--scheme", "-s", help="tin, brn, or a scheme name (see `defa id schemes CC`)."),
]


def _print_issues(issues: list[Issue] | tuple[Issue, ...]) -> None:
    for i in issues:
        rule = f" [{i.rule_id}]" if i.rule_id else ""
        typer.echo(f"{i.severity.value}: {i.code}{rule}: {i.msg}", err=i.severity.value == "error")


def handles_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn DefaError into a printed issue list (or JSON) and the error's exit code."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except DefaError as exc:
            if kwargs.get("as_json"):
                emit({"valid": False, "issues": [i.to_dict() for i in exc.issues]})
            else:
                _print_issues(exc.issues)
            raise typer.Exit(exc.exit_code) from None

    return wrapper


@app.command()
def version() -> None:
    """Print the toolkit's version."""
    typer.echo(__version__)


@app.command()
@handles_errors
def members(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date (YYYY-MM-DD); default today.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the ASEAN member states on a date."""
    on = as_of_option(as_of)
    found = list_members(on)
    if as_json:
        emit([m.to_dict() for m in found])
        return
    typer.echo(f"{len(found)} ASEAN members on {(on or date.today()).isoformat()}:")
    for m in found:
        typer.echo(
            f"  {m.alpha2}  {m.alpha3}  {m.name:<34} {m.currency}  joined {m.joined.isoformat()}"
        )


def _id_result(cc: str, value: str, scheme_name: str) -> tuple[ids.Scheme, Report]:
    scheme = ids.scheme(cc, scheme_name)
    return scheme, scheme.check(value)


def _report_id(scheme: ids.Scheme, report: Report, as_json: bool, formatted: bool) -> None:
    if as_json:
        emit({**report.to_dict(), **scheme.describe(), **report.meta})
    elif report.valid:
        shown = report.meta["formatted"] if formatted else report.meta["compact"]
        typer.echo(shown if formatted else f"valid {scheme.country} {scheme.title}: {shown}")
        _print_issues(report.warnings)
    else:
        _print_issues(report.issues)
    if not report.valid:
        raise typer.Exit(1)


@id_app.command("validate")
@handles_errors
def id_validate(
    country: Annotated[str, typer.Argument(help="ISO alpha-2 code, e.g. SG.")],
    value: Annotated[str, typer.Argument(help="The identifier, separators allowed.")],
    scheme: SchemeOpt = "tin",
    as_json: JsonOpt = False,
) -> None:
    """Check an identifier; exit 0 if valid, 1 if not."""
    found, report = _id_result(country, value, scheme)
    _report_id(found, report, as_json, formatted=False)


@id_app.command("format")
@handles_errors
def id_format(
    country: Annotated[str, typer.Argument(help="ISO alpha-2 code, e.g. SG.")],
    value: Annotated[str, typer.Argument(help="The identifier, separators allowed.")],
    scheme: SchemeOpt = "tin",
    as_json: JsonOpt = False,
) -> None:
    """Print an identifier in its issuer's format (after validating it)."""
    found, report = _id_result(country, value, scheme)
    _report_id(found, report, as_json, formatted=True)


@id_app.command("schemes")
@handles_errors
def id_schemes(
    country: Annotated[str | None, typer.Argument(help="Limit to one country.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the identifier schemes, per country, with the tin/brn roles."""
    rows = []
    for s in ids.all_schemes():
        if country and s.country != country.strip().upper():
            continue
        roles = [r for r, name in ids.roles(s.country).items() if name == s.name]
        rows.append({**s.describe(), "roles": roles})
    if country and not rows:
        ids.schemes(country)  # raises the registry's error for an unknown country
    if as_json:
        emit(rows)
        return
    for r in rows:
        mark = "" if r["verified"] else "  (format unpublished: accepted with a warning)"
        role = f" [{', '.join(r['roles'])}]" if r["roles"] else ""
        typer.echo(f"{r['country']}  {r['scheme']:<8}{role:<12} {r['title']}{mark}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(envvar="DEFA_HOST", help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="DEFA_PORT", help="TCP port.")] = 8000,
    database_url: Annotated[
        str | None,
        typer.Option(envvar="DEFA_DATABASE_URL", help="Default: sqlite:///var/defa.db"),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            envvar="DEFA_WORKERS", min=1, max=64, help="Server processes (one per core is typical)."
        ),
    ] = 1,
) -> None:
    """Run the DEFA gateway (HTTP API with OpenAPI docs at /docs, web pages at /web/)."""
    import os

    import uvicorn

    from defa.service.app import serving_app
    from defa.service.db import Database
    from defa.service.serving import serve_workers
    from defa.service.settings import Settings

    if workers == 1:
        # The service writes its own JSON access lines (with request ids): uvicorn's are off.
        app = serving_app(Settings.from_env(database_url=database_url))
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
        return
    # Worker processes build the app themselves, from the environment.
    if database_url:
        os.environ["DEFA_DATABASE_URL"] = database_url
    settings = Settings.from_env()
    Database(settings.database_url).migrate()  # once, before the workers start
    # One supervisor accepts and hands each connection to the least busy worker process.
    grace = (settings.request_timeout or 60.0) + 10.0  # requests in flight may finish
    raise typer.Exit(serve_workers(host, port, workers, grace=grace))


def main() -> None:
    """Console entry point."""
    # Arguments may hold any bytes; never let printing them crash the program.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    app()
