"""Two dated versions of the tax crosswalk and a local clock, for tests of the steps that
follow the crosswalk in force on the day they run."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from types import SimpleNamespace

import pytest

from defa.einvoice import crosswalk, profiles

SWITCH = date(2031, 1, 1)  # the later version's first day


def two_versions(monkeypatch: pytest.MonkeyPatch, scheme: str, code: str) -> list[float]:
    """From :data:`SWITCH` on, the crosswalk's ``scheme`` also has ``code``. Returns the
    local clock the prepare steps read (a timestamp to change), set at noon on the day
    before the switch."""
    first = crosswalk._load(date(2026, 1, 1))
    later = replace(
        first, version="later", schemes={**first.schemes, scheme: first.schemes[scheme] | {code}}
    )
    monkeypatch.setattr(
        crosswalk, "_load", lambda as_of: later if as_of is not None and as_of >= SWITCH else first
    )
    clock = [datetime(2030, 12, 31, 12).timestamp()]
    monkeypatch.setattr(profiles, "time", SimpleNamespace(time=lambda: clock[0]))
    monkeypatch.setattr(profiles, "_day", (0.0, 0.0, date.min))
    return clock


def next_day(clock: list[float]) -> None:
    """The clock at the first second of :data:`SWITCH`."""
    clock[0] = datetime(SWITCH.year, SWITCH.month, SWITCH.day, 0, 0, 1).timestamp()
