"""What every ``defa`` command shares: JSON output and the ``--as-of`` date."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import typer

__all__ = ["as_of_option", "emit"]


def emit(payload: Any) -> None:
    """Print JSON for machines (``--json``), UTF-8 text as is."""
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))


def as_of_option(value: str | None) -> date | None:
    """``--as-of`` as a date; a bad date is a usage error (exit 2)."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r:.40} is not a date (YYYY-MM-DD)") from None
