"""The national readers take anything: only DEFA's own InputRejected may escape."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from defa.countries.id import einvoice as efaktur
from defa.countries.ph import einvoice as eis
from defa.countries.vn import einvoice as vn
from defa.einvoice.national import dump_json, load_json
from defa.errors import InputRejected

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=30,
)
_keys = st.sampled_from(
    ["CompInvoiceId", "IssueDtm", "SellerInfo", "BuyerInfo", "ItemList", "Discount", "ForCur"]
)
_eis_like = st.dictionaries(_keys, _json_values, max_size=7)


def _read_json(data: bytes) -> None:
    with contextlib.suppress(InputRejected):
        eis.read_json(data)


@given(st.binary(max_size=300))
def test_arbitrary_bytes_as_eis_json(data: bytes) -> None:
    _read_json(data)


@given(_eis_like)
def test_arbitrary_json_in_eis_shape(value: dict[str, Any]) -> None:
    doc = eis.read_json(json.dumps(value).encode())
    # whatever was read can be written and read again
    eis.read_json(eis.write_json(doc))


@given(st.binary(max_size=300))
def test_arbitrary_bytes_as_national_xml(data: bytes) -> None:
    for read in (vn.read, efaktur.read):
        with contextlib.suppress(InputRejected):
            read(data)


_names = st.sampled_from(
    ["HDon", "DLHDon", "TTChung", "NDHDon", "NBan", "NMua", "DSHHDVu", "HHDVu", "TSuat", "X"]
)


@st.composite
def _hdon(draw: st.DrawFn, depth: int = 0) -> str:
    name = draw(_names)
    if depth > 3 or draw(st.booleans()):
        text = draw(st.text(alphabet="0123456789%KCTabc.", max_size=6))
        return f"<{name}>{text}</{name}>"
    children = draw(st.lists(_hdon(depth + 1), max_size=3))
    return f"<{name}>{''.join(children)}</{name}>"


@given(st.lists(_hdon(), max_size=4))
def test_arbitrary_elements_under_hdon(children: list[str]) -> None:
    doc = vn.read(f"<HDon>{''.join(children)}</HDon>".encode())
    vn.read(vn.write(doc))


@given(_json_values)
def test_numbers_and_strings_survive_dump_json(value: Any) -> None:
    assert json.loads(dump_json(value if isinstance(value, dict | list) else [value])) is not None


def test_load_json_keeps_number_text() -> None:
    assert load_json(b'{"a": 1.10, "b": [2]}') == {"a": "1.10", "b": ["2"]}
