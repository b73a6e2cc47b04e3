"""Round trips over every official example: same syntax exactly, across syntaxes with losses.

* read -> write -> read gives equal ``to_dict()`` in the same syntax, for every UBL and
  CII document among the EN 16931 examples and test files and the Peppol BIS 3 examples;
* UBL -> CII -> UBL (and CII -> UBL -> CII) brings back every term, except those the
  first conversion listed as losses.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from defa import einvoice
from defa.einvoice.model import Group
from defa.einvoice.terms import MODEL_PARENT, groups, terms
from tests.shared import shared_path

FOLDERS = (
    ("vectors", "einvoice", "en16931", "examples-ubl"),
    ("vectors", "einvoice", "en16931", "examples-cii"),
    ("vectors", "einvoice", "en16931", "testfiles"),
    ("vectors", "einvoice", "peppol-bis3", "examples"),
)
ROOTS = {"Invoice": "ubl", "CreditNote": "ubl", "CrossIndustryInvoice": "cii"}


def documents() -> list[tuple[Path, str]]:
    """Every invoice document in the folders, with the syntax its root names."""
    found = []
    for folder in FOLDERS:
        for path in sorted(shared_path(*folder).rglob("*")):
            if path.suffix.lower() != ".xml":
                continue
            for _event, el in etree.iterparse(str(path), events=("start",)):
                syntax = ROOTS.get(etree.QName(el).localname)
                if syntax:
                    found.append((path, syntax))
                break
    return found


DOCUMENTS = documents()
IDS = [f"{p.parent.name}/{p.name}" for p, _ in DOCUMENTS]


def test_every_folder_contributes() -> None:
    by_syntax = Counter(s for _, s in DOCUMENTS)
    assert by_syntax["ubl"] >= 50
    assert by_syntax["cii"] >= 15


@pytest.mark.parametrize(("path", "syntax"), DOCUMENTS, ids=IDS)
def test_same_syntax_round_trip(path: Path, syntax: str) -> None:
    first = einvoice.read(path.read_bytes())
    assert first.syntax == syntax
    again = einvoice.read(einvoice.write(first, syntax))
    assert again.syntax == syntax
    assert again.kind == first.kind
    assert again.to_dict() == first.to_dict()


def flat(group: Group, path: str = "") -> Counter[tuple[str, str, str]]:
    """(group path, term id, value) of every term, as a multiset."""
    here = f"{path}/{group.id}"
    found: Counter[tuple[str, str, str]] = Counter()
    for terms_ in group.terms.values():
        for t in terms_:
            found[(here, t.id, t.text)] += 1
    for subgroups in group.groups.values():
        for g in subgroups:
            found += flat(g, here)
    return found


@pytest.mark.parametrize(("path", "syntax"), DOCUMENTS, ids=IDS)
def test_cross_syntax_round_trip_carries_all_but_the_listed_losses(path: Path, syntax: str) -> None:
    other = "cii" if syntax == "ubl" else "ubl"
    source = einvoice.read(path.read_bytes())
    there = einvoice.convert(source, to=other)
    back = einvoice.convert(there.document, to=syntax)
    final = einvoice.read(back.document)
    assert final.syntax == syntax

    missing = flat(source) - flat(final)
    listed = Counter((loss.term, loss.value) for loss in there.losses + back.losses)
    for (_group, term_id, value), count in missing.items():
        assert listed[(term_id, value)] >= count, (term_id, value)
    # and nothing appears that the source did not have
    assert not (flat(final) - flat(source))


def test_the_cii_binding_holds_nearly_every_ubl_term() -> None:
    """Across all UBL examples, the only business terms CII cannot hold are BT-83 repeats."""
    lost: Counter[str] = Counter()
    for path, syntax in DOCUMENTS:
        if syntax == "ubl":
            for loss in einvoice.convert(path.read_bytes(), to="cii").losses:
                lost[loss.term] += 1
    business = {t for t in lost if "@" not in t}
    # Invoice-Max_content and others repeat the remittance information (BT-83) in each
    # payment means; CII has one cbc:PaymentReference per document.
    assert business <= {"BT-83"}


def test_the_model_nests_terms_as_en16931_does() -> None:
    """Each term and group sits in the group the standard puts it in (EN 16931-1 table 2),
    save the two placements :data:`MODEL_PARENT` documents."""
    catalogue_terms, catalogue_groups = terms(), groups()
    for path, _syntax in DOCUMENTS:
        doc = einvoice.read(path.read_bytes())
        for group in doc.walk():
            for term_id in group.terms:
                expected = MODEL_PARENT.get(term_id) or catalogue_terms[term_id].parent
                assert expected == group.id, (path.name, term_id)
            for group_id in group.groups:
                expected = MODEL_PARENT.get(group_id) or catalogue_groups[group_id].parent
                assert expected == group.id, (path.name, group_id)
