"""Every country profile the registry finds is checked alike."""

from __future__ import annotations

import importlib
from datetime import date

import pytest

import defa
from defa import registry
from defa.errors import LookupFailed

PROFILES = registry.countries()


def test_there_is_a_profile_for_every_member() -> None:
    members = {m.alpha2.lower() for m in defa.members(date(2026, 1, 1))}
    assert members == set(PROFILES)


@pytest.mark.parametrize("cc", PROFILES)
def test_profile_docstring_names_the_country(cc: str) -> None:
    module = importlib.import_module(f"defa.countries.{cc}")
    doc = module.__doc__ or ""
    assert defa.member(cc).name.split(" ")[0] in doc or defa.member(cc).alpha2 in doc


@pytest.mark.parametrize("cc", PROFILES)
def test_every_profile_offers_identifiers(cc: str) -> None:
    ids = registry.profile(cc, "ids")
    assert ids.SCHEMES, f"{cc}: no identifier schemes"
    assert "tin" in ids.ROLES, f"{cc}: no scheme plays the tin role"
    for role, name in ids.ROLES.items():
        assert role in {"tin", "brn"}, f"{cc}: unknown role {role}"
        assert name in ids.SCHEMES, f"{cc}: role {role} names missing scheme {name}"
    for name, scheme in ids.SCHEMES.items():
        assert scheme.name == name
        assert scheme.country == cc.upper()
        assert scheme.source.strip(), f"{cc}.{name}: no source"


@pytest.mark.parametrize("cc", PROFILES)
def test_unknown_capability_is_a_clear_lookup_error(cc: str) -> None:
    with pytest.raises(LookupFailed) as exc:
        registry.profile(cc, "teleportation")
    assert exc.value.code == "registry.unknown_capability"
    assert exc.value.issues[0].country == cc.upper()
