"""``defa batch check``: check (and convert) many invoices, resumably, locally or on Dask."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from defa import einvoice
from defa.cli._common import as_of_option
from defa.errors import DefaError, LookupFailed

__all__ = ["batch_app"]

batch_app = typer.Typer(
    help="Check many invoices: local worker processes or a Dask cluster; resumable.",
    no_args_is_help=True,
)


def _fail(exc: DefaError, code: int) -> typer.Exit:
    for i in exc.issues:
        typer.echo(f"error: {i.code}: {i.msg}", err=True)
    return typer.Exit(code)


@batch_app.command("check")
def check(
    path: Annotated[str, typer.Argument(help="A file, a folder, or a glob ('in/**/*.xml').")],
    rules: Annotated[
        str | None,
        typer.Option("--rules", help="Rule set id; default: the rules of each document's format."),
    ] = einvoice.DEFAULT_RULES,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date of the rules; default each issue date.")
    ] = None,
    convert_to: Annotated[
        str | None, typer.Option("--convert-to", help="Also convert each invoice to this format.")
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Results, one JSON line per input (appended).")
    ] = Path("results.jsonl"),
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", min=1, help="Local worker processes; default: cores."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786."),
    ] = None,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Progress bar on stderr.")
    ] = True,
) -> None:
    """Check every input; write one JSON line each to --out; resume where a run stopped.

    Started again after an interruption with the same options, it skips the inputs already
    in --out. Exit 0 when every input processed is valid, 1 otherwise, 2 on usage errors.
    """
    from defa.batch import Job, expand, run

    if convert_to is not None and convert_to not in einvoice.formats():
        raise typer.BadParameter(
            f"{convert_to!r:.40} is not a format ({', '.join(einvoice.formats())})",
            param_hint="--convert-to",
        )
    if rules is not None:
        _check_rules(rules, as_of_option(as_of))
    try:
        inputs = expand(path)
    except DefaError as exc:
        raise _fail(exc, 2) from None
    job = Job(
        inputs=inputs,
        out=out,
        rules=rules,
        as_of=as_of_option(as_of),
        convert_to=convert_to,
        scheduler=scheduler,
        **({"workers": workers} if workers else {}),
    )
    console = Console(stderr=True)
    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not progress,
    )
    try:
        with bar:
            task = bar.add_task("checking", total=len(inputs))
            summary = run(job, progress=lambda n: bar.advance(task, n))
    except DefaError as exc:  # a results file of another run
        raise _fail(exc, 2) from None
    except OSError as exc:  # the scheduler cannot be reached, the results file not written
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    counts = ", ".join(f"{n} {s}" for s, n in sorted(summary.statuses.items())) or "nothing new"
    typer.echo(
        f"{summary.total} inputs: {counts}; {summary.skipped} already in {out}"
        f" ({summary.seconds:.1f} s)"
    )
    if not summary.all_valid:
        raise typer.Exit(1)


def _check_rules(rules: str, on: date | None) -> None:
    """Refuse an unknown rule set before any work starts (not once per document)."""
    import defa.einvoice.rules  # noqa: F401  # registers every rule set
    from defa.einvoice.rules.engine import resolve

    try:
        resolve(rules, on or date.today())
    except LookupFailed as exc:
        raise typer.BadParameter(
            "; ".join(i.msg for i in exc.issues), param_hint="--rules"
        ) from None
    except DefaError:
        pass  # not in force today: each document's own date decides
