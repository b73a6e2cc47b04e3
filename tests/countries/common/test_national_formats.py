"""What every national e-invoice profile of VN, ID, PH, KH, BN, LA, MM and TL promises."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest

import defa.einvoice.rules  # noqa: F401  # registers the rule sets
from defa.einvoice.national import Leaf, Node
from defa.einvoice.rules.engine import rule_sets

WITH_FORMATS = ("vn", "id", "ph", "kh")
STATEMENT_ONLY = ("bn", "la", "mm", "tl")


def _profile(cc: str) -> ModuleType:
    return importlib.import_module(f"defa.countries.{cc}.einvoice")


@pytest.mark.parametrize("cc", STATEMENT_ONLY)
def test_members_without_a_format_say_so_and_offer_pint_and_ubl(cc: str) -> None:
    module = _profile(cc)
    assert module.FORMATS == ()
    assert module.SYNTAXES == ()
    statement = module.STATEMENT
    assert "no national e-invoice data format is published" in statement
    assert "searched" in statement
    for offered in ('"sg-pint"', '"my-pint"', '"ubl"', '"peppol-bis3"'):
        assert offered in statement


@pytest.mark.parametrize("cc", WITH_FORMATS)
def test_formats_state_sources_confidence_and_what_is_unconfirmed(cc: str) -> None:
    for fmt in _profile(cc).FORMATS:
        assert fmt.country == cc.upper()
        assert fmt.confidence in {"public-docs", "unconfirmed"}
        assert fmt.source.strip()
        assert fmt.notes.strip()
        assert fmt.rules in rule_sets(), f"{fmt.id}: rule set {fmt.rules} is not registered"
        assert fmt.valid_from is not None


def _leaves(node: Node, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], str]]:
    found: list[tuple[tuple[str, ...], str]] = []
    for child in node.children:
        if isinstance(child, Leaf):
            found.extend(((*path, *child.at), term) for term in child.ids())
        else:
            found.extend(_leaves(child, (*path, child.group) if child.group else path))
    return found


@pytest.mark.parametrize("cc", ["vn", "id", "ph"])
def test_no_term_is_bound_twice_in_one_model_group(cc: str) -> None:
    # Two elements writing the same term of the same group would both write every value.
    placed = _leaves(_profile(cc).BINDING, ())
    seen = [p for p in placed if placed.count(p) > 1]
    assert seen == []
