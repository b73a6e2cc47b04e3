"""The shape every national PINT format shares: a UBL format detected by its specification
identifier (BT-24) prefix and prepared by setting BT-24 and the business process (BT-23).

Country profiles (``defa.countries.sg.einvoice``, ``defa.countries.my.einvoice``) build their
``PINT_FORMATS`` with :func:`pint_format`, so the shape lives once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from defa.einvoice.model import Invoice
from defa.einvoice.profiles import Format, customization_is, set_customization

__all__ = ["SPECIFICITY", "pint_format"]

# Above Peppol BIS 3 (10): a PINT specification id is more specific than UBL or BIS 3.
SPECIFICITY = 20


def pint_format(
    format_id: str,
    title: str,
    *,
    rules: str,
    country: str,
    version: str,
    valid_from: date,
    customization: str,
    process: str,
    source: str,
    confidence: str = "official",
    notes: str = "",
    read: Callable[[Any], Invoice] | None = None,
    write: Callable[[Invoice], bytes] | None = None,
) -> Format:
    """A PINT format: UBL, rule set ``rules``, detected when BT-24 starts with
    ``customization``, prepared by setting BT-24 to ``customization`` and BT-23 to
    ``process``."""
    return Format(
        format_id,
        title,
        "ubl",
        rules,
        country=country,
        version=version,
        valid_from=valid_from,
        specificity=SPECIFICITY,
        matches=customization_is(customization),
        prepare=set_customization(customization, process),
        source=source,
        confidence=confidence,
        notes=notes,
        read=read,
        write=write,
    )
