"""The syntax preparation of a conversion (``convert._prepare``): what it changes for CII
(an amount's ``currencyID`` that CII derives, BT-8's code) and, copy on write, what it
shares with the source, which it leaves as it was."""

from __future__ import annotations

import importlib

from defa.einvoice.model import Group, Invoice, Term

conversion = importlib.import_module("defa.einvoice.convert")


def _document() -> Invoice:
    doc = Invoice(syntax="ubl")
    doc.add(Term("BT-5", "EUR", "/Invoice/cbc:DocumentCurrencyCode"))
    doc.add(Term("BT-8", "3", "/Invoice/cac:InvoicePeriod/cbc:DescriptionCode"))
    totals = Group("BG-22", "/Invoice/cac:LegalMonetaryTotal")
    totals.add(Term("BT-109", "100.00", "/x/cbc:TaxExclusiveAmount", {"currencyID": "EUR"}))
    totals.add(Term("BT-110", "20.00", "/x/cbc:TaxAmount", {"currencyID": "EUR"}))
    totals.add(Term("BT-112", "120.00", "/x/cbc:TaxInclusiveAmount", {"currencyID": "USD"}))
    doc.groups["BG-22"] = [totals]
    line = Group("BG-25", "/Invoice/cac:InvoiceLine")
    line.add(Term("BT-126", "1", "/Invoice/cac:InvoiceLine/cbc:ID"))
    price = Group("BG-29", "/Invoice/cac:InvoiceLine/cac:Price")
    price.add(Term("BT-146", "5", "/p/cbc:PriceAmount", {"currencyID": "EUR", "x": "y"}))
    price.add(Term("BT-146", "6", "/p/cbc:PriceAmount", {"currencyID": "USD"}))
    line.groups["BG-29"] = [price]
    party = Group("BG-4", "/Invoice/cac:AccountingSupplierParty")
    party.add(Term("BT-27", "Seller", "/Invoice/cac:AccountingSupplierParty/cbc:Name"))
    doc.groups["BG-25"] = [line]
    doc.groups["BG-4"] = [party]
    return doc


def _attrs(group: Group, term_id: str) -> list[dict[str, str]]:
    return [t.attrs for t in group.all(term_id)]


def test_cii_drops_the_document_currency_of_amounts_and_codes_bt8() -> None:
    doc = _document()
    out = conversion._prepare(doc, "cii")
    assert out.value("BT-8") == "5"
    totals = out.children("BG-22")[0]
    assert _attrs(totals, "BT-109") == [{}]
    assert _attrs(totals, "BT-110") == [{"currencyID": "EUR"}]  # CII keeps it there
    assert _attrs(totals, "BT-112") == [{"currencyID": "USD"}]  # not the document's
    price = out.children("BG-25")[0].children("BG-29")[0]
    assert _attrs(price, "BT-146") == [{"x": "y"}, {"currencyID": "USD"}]


def test_cii_preparation_copies_only_what_changes() -> None:
    doc = _document()
    out = conversion._prepare(doc, "cii")
    # the source is as it was
    assert doc.value("BT-8") == "3"
    assert _attrs(doc.children("BG-22")[0], "BT-109") == [{"currencyID": "EUR"}]
    # untouched groups, term lists and terms are shared; changed terms are new, attrs too
    assert out.children("BG-4")[0] is doc.children("BG-4")[0]
    totals, source_totals = out.children("BG-22")[0], doc.children("BG-22")[0]
    assert totals is not source_totals
    assert totals.all("BT-110") is source_totals.all("BT-110")
    assert totals.all("BT-109")[0] is not source_totals.all("BT-109")[0]
    price = out.children("BG-25")[0].children("BG-29")[0]
    source_price = doc.children("BG-25")[0].children("BG-29")[0]
    assert price.all("BT-146")[1] is source_price.all("BT-146")[1]
    assert out.children("BG-25")[0].all("BT-126") is doc.children("BG-25")[0].all("BT-126")


def test_cii_preparation_with_nothing_to_recode_shares_every_group() -> None:
    doc = _document()
    doc.terms["BT-5"] = [Term("BT-5", "JPY", "")]
    doc.terms["BT-8"] = [Term("BT-8", "99", "")]  # no such code: kept as it is
    out = conversion._prepare(doc, "cii")
    assert out is not doc
    assert out.terms is doc.terms
    assert all(out.groups[gid] is doc.groups[gid] for gid in doc.groups)
