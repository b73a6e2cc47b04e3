"""The JSON reader's limits: nesting depth counted as the documents describe it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from defa.einvoice import jsonsafe
from defa.errors import InputRejected


def _deepest(value: Any) -> int:
    """The depth of the deepest value, the outermost at 1 (by the definition, recursively)."""
    if isinstance(value, dict):
        return 1 + max((_deepest(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_deepest(v) for v in value), default=0)
    return 1


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3)
    ),
    max_leaves=30,
)


@given(_JSON, st.integers(min_value=-1, max_value=12))
def test_depth_limit_matches_the_definition(value: Any, limit: int) -> None:
    assert jsonsafe._depth_exceeds(value, limit) is (_deepest(value) > limit)


@pytest.mark.parametrize(
    ("text", "limit", "refused"),
    [
        (b"1", 1, False),  # a lone scalar is at depth 1
        (b"[]", 1, False),  # an empty container holds nothing deeper
        (b"[1]", 1, True),  # its item is at depth 2
        (b'{"a": [1]}', 3, False),
        (b'{"a": [1]}', 2, True),
        (b'[[], [[{"k": null}]]]', 4, True),  # null counts: depth 5
        (b'[[], [[{"k": null}]]]', 5, False),
    ],
)
def test_loads_refuses_what_nests_too_deep(text: bytes, limit: int, refused: bool) -> None:
    if refused:
        with pytest.raises(InputRejected) as exc:
            jsonsafe.loads(text, max_depth=limit)
        assert exc.value.code == "json.too_deep"
    else:
        jsonsafe.loads(text, max_depth=limit)
