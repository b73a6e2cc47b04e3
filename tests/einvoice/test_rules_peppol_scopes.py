"""Scopes of the Peppol national rules: a rule is skipped only where it cannot find anything.

The family run asks each scope once per document and skips the rules of a scope that does
not hold (a Dutch rule on a German invoice). A scope must be a necessary condition of its
rules' findings; these tests check that on every upstream Peppol unit test, the official
examples and snippets, and documents built for each country, and that the whole family
reports the same issues with and without scopes.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from defa.einvoice.model import Invoice
from defa.einvoice.rules import peppol, run
from defa.einvoice.rules.engine import CheckFn
from defa.einvoice.rules.peppol import PEPPOL_BIS3, Scope, scope_of
from tests.einvoice.test_rules_peppol import (
    UBL_ROOTS,
    VEFA,
    _doc,
    _legal,
    _party,
    _ubl,
    _vat,
)
from tests.shared import shared_path

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=False)
_NATIONAL = ("NO-", "DK-", "SE-", "IS-", "IT-", "GR-", "NL-", "DE-")
_SELLER = "AccountingSupplierParty"
_BUYER = "AccountingCustomerParty"


def _scoped() -> list[tuple[str, CheckFn, Scope]]:
    return [
        (rule_id, impl, scope)
        for scope, rules in peppol._BY_SYNTAX["ubl"]
        if scope is not None
        for rule_id, impl in rules
    ]


def _national(country: str) -> Invoice:
    """A document whose seller (and buyer) are of ``country``, breaking some of its rules."""
    if country == "GR":
        endpoint = '<cbc:EndpointID schemeID="0088">1</cbc:EndpointID>'
        seller = _party(_SELLER, "GR", endpoint + _vat("EL123456789"))
    elif country == "IT":
        seller = _party(_SELLER, "IT", _vat("IT12345678901") + _vat("x", "TAX"))
    elif country == "NO":
        seller = _party(_SELLER, "NO", _vat("NO974760674MVA"))
    else:
        seller = _party(_SELLER, country, _legal("1", "0001"))
    return _ubl("<cbc:ID>1</cbc:ID>" + seller + _party(_BUYER, country))


_COUNTRIES = {
    "NO": {"NO-"},
    "DK": {"DK-"},
    "SE": {"SE-"},
    "IS": {"IS-"},
    "IT": {"IT-"},
    "GR": {"GR-"},
    "NL": {"NL-"},
    "DE": {"DE-"},
}


def _corpus() -> Iterator[tuple[str, Invoice]]:
    """Every UBL document of the Peppol unit tests, examples and snippets, and one built
    for each country and for a country without national rules."""
    folder = Path(shared_path("vectors", "einvoice", "peppol-bis3"))
    for path in sorted(folder.joinpath("unit-UBL-PEPPOL").iterdir()):
        tree = etree.parse(str(path), _PARSER)
        for n, test in enumerate(tree.getroot().iter(VEFA + "test"), 1):
            for root in (el for el in test if el.tag in UBL_ROOTS):
                yield f"{path.name}#{n}", _doc(copy.deepcopy(root))
    for sub in ("examples", "snippets"):
        for path in sorted(folder.joinpath(sub).glob("*.xml")):
            yield f"{sub}/{path.name}", _doc(etree.parse(str(path), _PARSER).getroot())
    for country in (*_COUNTRIES, "FR"):
        yield f"built/{country}", _national(country)


def test_every_national_rule_and_only_those_has_a_scope() -> None:
    ubl = [r for r in PEPPOL_BIS3.rules if "ubl" in peppol.syntaxes(r)]
    scoped = {r for r in ubl if scope_of(r, "ubl") is not None}
    assert scoped == {r for r in ubl if r.startswith(_NATIONAL)}
    assert {rule_id for rule_id, _impl, _scope in _scoped()} == scoped


def test_a_scope_holds_wherever_its_rule_finds_something() -> None:
    scoped = _scoped()
    fired: set[str] = set()
    wrong: list[str] = []
    for name, doc in _corpus():
        for rule_id, impl, scope in scoped:
            if list(impl(doc)):
                fired.add(rule_id)
                if not scope(doc):
                    wrong.append(f"{name}: {rule_id}")
    assert wrong == []
    # Not vacuous: rules of every scope fire somewhere in the corpus.
    assert {scope_of(r, "ubl") for r in fired} == {scope for _r, _i, scope in scoped}


@pytest.mark.parametrize("country", sorted(_COUNTRIES))
def test_a_country_is_in_its_own_scope_only(country: str) -> None:
    doc = _national(country)
    inside = {rule_id[:3] for rule_id, _impl, scope in _scoped() if scope(doc)}
    assert inside == _COUNTRIES[country]
    fired = {i.rule_id[:3] for i in run(doc, [PEPPOL_BIS3]).issues}
    assert _COUNTRIES[country] <= fired


def test_no_national_scope_holds_for_another_country() -> None:
    doc = _national("FR")
    assert [rule_id for rule_id, _impl, scope in _scoped() if scope(doc)] == []


def test_scopes_change_no_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = list(_corpus())
    scoped = [[(i.rule_id, i.loc) for i in run(doc, [PEPPOL_BIS3]).issues] for _n, doc in corpus]
    unscoped_runs = {
        syntax: [(None, list(rules)) for _scope, rules in runs]
        for syntax, runs in peppol._BY_SYNTAX.items()
    }
    monkeypatch.setattr(peppol, "_BY_SYNTAX", unscoped_runs)
    for (name, doc), found in zip(corpus, scoped, strict=True):
        assert [(i.rule_id, i.loc) for i in run(doc, [PEPPOL_BIS3]).issues] == found, name
