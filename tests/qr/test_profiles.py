"""Every member's QR profile is present and shaped alike."""

from __future__ import annotations

import importlib
from datetime import date

import pytest

import defa
from defa import registry
from defa.errors import LookupFailed
from defa.qr import Confidence, national_scheme, scheme, schemes

MEMBERS = sorted(m.alpha2.lower() for m in defa.members(date(2026, 1, 1)))


@pytest.mark.parametrize("cc", MEMBERS)
def test_every_member_has_a_qr_profile(cc: str) -> None:
    module = registry.profile(cc, "qr")
    assert module.__doc__
    found = module.SCHEMES
    if not found:
        # No national scheme: the profile says so in words.
        assert module.NATIONAL is None
        assert "no national payment qr scheme" in module.STATEMENT.lower()
    else:
        assert module.NATIONAL in {s.id for s in found}
    for s in found:
        assert s.country == cc.upper()
        assert s.id.startswith(f"{cc}.")
        assert isinstance(s.confidence, Confidence)
        assert s.sources
        assert s.templates


def test_scheme_ids_and_guids_are_unique() -> None:
    ids = [s.id for s in schemes()]
    assert len(ids) == len(set(ids))
    guids = [g.upper() for s in schemes() for t in s.templates for g in t.GUIDS]
    assert len(guids) == len(set(guids))


@pytest.mark.parametrize("cc", MEMBERS)
def test_template_field_paths_are_distinct_sub_ids(cc: str) -> None:
    module = importlib.import_module(f"defa.countries.{cc}.qr")
    for s in module.SCHEMES:
        for t in s.templates:
            paths = list(t.paths().values())
            assert len(paths) == len(set(paths)), t.__name__
            for path in paths:
                for part in path.split("."):
                    assert len(part) == 2
                    assert part.isdigit()


def test_national_schemes() -> None:
    assert national_scheme("KH") is scheme("kh.khqr")
    assert national_scheme("bn") is None
    with pytest.raises(LookupFailed):
        scheme("xx.none")


def test_myanmar_states_low_confidence() -> None:
    assert scheme("mm.mmqr").confidence is Confidence.LOW
