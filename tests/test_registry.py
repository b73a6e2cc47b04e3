"""Country profiles are found by naming convention."""

from __future__ import annotations

import pytest

from defa import registry
from defa.errors import LookupFailed


def test_all_eleven_profiles_are_found() -> None:
    assert registry.countries() == (
        "bn", "id", "kh", "la", "mm", "my", "ph", "sg", "th", "tl", "vn",
    )  # fmt: skip


def test_profile_returns_the_capability_module() -> None:
    module = registry.profile("SG", "ids")
    assert module.__name__ == "defa.countries.sg.ids"


@pytest.mark.parametrize("cc", ["xx", "", "s", "sgp", "../sg", "sg.ids", "__", "EU", 42])
def test_unknown_country(cc: object) -> None:
    with pytest.raises(LookupFailed) as exc:
        registry.profile(cc, "ids")  # type: ignore[arg-type]
    assert exc.value.code == "registry.unknown_country"
    assert exc.value.exit_code == 2


@pytest.mark.parametrize("cap", ["nope", "", "__init__", "ids.x", "../ids", "os"])
def test_unknown_capability(cap: str) -> None:
    with pytest.raises(LookupFailed) as exc:
        registry.profile("sg", cap)
    assert exc.value.code == "registry.unknown_capability"
