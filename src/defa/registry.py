"""Country profiles, found by naming convention.

A member state is one package, ``defa.countries.<cc>`` (lower-case ISO 3166 alpha-2), whose
docstring names the country. A capability is a module inside it: ``defa.countries.sg.ids``,
``defa.countries.sg.einvoice``, ... A missing module means the capability is not offered.
Subpackages of a profile (``defa.countries.my.myinvois``) hold the code its capabilities
use; they are not capabilities themselves.
Nothing is registered by hand, so adding a member state is adding one folder.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache
from types import ModuleType

from defa import countries as _countries_pkg
from defa.errors import Issue, LookupFailed

__all__ = ["capabilities", "countries", "normalize_country", "profile"]

_CC = re.compile(r"[a-z]{2}")
_CAPABILITY = re.compile(r"[a-z][a-z0-9_]{0,39}")


@cache
def countries() -> tuple[str, ...]:
    """The lower-case alpha-2 codes of every country profile shipped, sorted."""
    return tuple(
        sorted(
            m.name
            for m in pkgutil.iter_modules(_countries_pkg.__path__)
            if m.ispkg and _CC.fullmatch(m.name)
        )
    )


def normalize_country(cc: str) -> str:
    """Return ``cc`` as a known profile code (lower case), or raise ``LookupFailed``."""
    code = cc.strip().lower() if isinstance(cc, str) else ""
    if not _CC.fullmatch(code) or code not in countries():
        raise LookupFailed(
            Issue(
                "registry.unknown_country",
                f"{_show(cc)} is not the code of a country DEFA has a profile for; "
                f"known: {', '.join(countries())}",
                loc="country",
                ctx={"known": list(countries())},
            )
        )
    return code


@cache
def capabilities(cc: str) -> tuple[str, ...]:
    """The capabilities (module names) a country profile offers, sorted."""
    code = normalize_country(cc)
    pkg = importlib.import_module(f"{_countries_pkg.__name__}.{code}")
    return tuple(
        sorted(
            m.name
            for m in pkgutil.iter_modules(pkg.__path__)
            if not m.ispkg and not m.name.startswith("_") and _CAPABILITY.fullmatch(m.name)
        )
    )


def profile(cc: str, capability: str) -> ModuleType:
    """Return the module ``defa.countries.<cc>.<capability>``.

    Raises ``LookupFailed`` (``registry.unknown_country`` or ``registry.unknown_capability``)
    when the country or the capability does not exist.
    """
    code = normalize_country(cc)
    if not isinstance(capability, str) or capability not in capabilities(code):
        raise LookupFailed(
            Issue(
                "registry.unknown_capability",
                f"the {code.upper()} profile offers no {_show(capability)} capability; "
                f"it offers: {', '.join(capabilities(code)) or 'none'}",
                loc="capability",
                country=code.upper(),
                ctx={"offered": list(capabilities(code))},
            )
        )
    return importlib.import_module(f"{_countries_pkg.__name__}.{code}.{capability}")


def _show(value: object, limit: int = 40) -> str:
    """A short, printable rendering of untrusted input for error messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
