"""The loss account's shortcut (a read-back that holds exactly what was written) against
the full account: the same losses, none, for every official example converted into the
engine's syntaxes; and a value changed on the way is found by both."""

from __future__ import annotations

import importlib

import pytest

from defa import einvoice
from tests.shared import shared_path

conversion = importlib.import_module("defa.einvoice.convert")

FOLDERS = (
    ("vectors", "einvoice", "en16931", "examples-ubl"),
    ("vectors", "einvoice", "en16931", "examples-cii"),
    ("vectors", "einvoice", "peppol-bis3", "examples"),
)


@pytest.mark.parametrize("target", ["ubl", "cii"])
def test_shortcut_agrees_with_the_full_account(target: str) -> None:
    shortcuts = 0
    for folder in FOLDERS:
        for path in sorted(shared_path(*folder).glob("*.xml")):
            source = conversion.read_document(path.read_bytes())
            prepared = conversion._prepare(source, target)
            back = einvoice.read(einvoice.write(prepared, target))
            same = conversion._same(prepared, back, {})
            shortcuts += same
            full = conversion._full_losses(prepared, back, target, None)
            assert conversion.losses(prepared, back, target) == full, path.name
            if same:
                assert full == []
    assert shortcuts > 10


def test_a_changed_value_is_a_loss_either_way() -> None:
    path = shared_path("vectors", "einvoice", "peppol-bis3", "examples", "base-example.xml")
    source = conversion.read_document(path.read_bytes())
    back = einvoice.read(einvoice.write(source, "ubl"))
    term = back.term("BT-1")
    assert term is not None
    term.text = term.text + "X"
    assert not conversion._same(source, back, {})
    lost = conversion.losses(source, back, "ubl")
    assert [loss.term for loss in lost] == ["BT-1"]
