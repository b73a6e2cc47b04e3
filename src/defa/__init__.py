"""DEFA toolkit: the digital-trade machinery of ASEAN's Digital Economy Framework Agreement.

Country-free engines (identifiers, e-invoices, payment QR, ...) with national profiles
under :mod:`defa.countries`. The public names are listed in ``__all__``.
"""

from defa.errors import (
    DataError,
    DefaError,
    InputRejected,
    Issue,
    LookupFailed,
    NotInForce,
    Report,
    Severity,
    ValidationError,
)
from defa.members import Member, member, members

__version__ = "0.1.0"


def compiled() -> bool:
    """Whether the e-invoice engine runs compiled (the copy ``tools/compile.py`` builds,
    which ``make run`` serves) rather than as Python."""
    from importlib.machinery import EXTENSION_SUFFIXES

    from defa.einvoice import model

    return str(model.__file__).endswith(tuple(EXTENSION_SUFFIXES))


__all__ = [
    "DataError",
    "DefaError",
    "InputRejected",
    "Issue",
    "LookupFailed",
    "Member",
    "NotInForce",
    "Report",
    "Severity",
    "ValidationError",
    "__version__",
    "compiled",
    "member",
    "members",
]
