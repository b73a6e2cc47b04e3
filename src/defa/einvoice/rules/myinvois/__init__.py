"""The MyInvois (LHDN, Malaysia) rule set ``my-myinvois``, for document versions 1.0 and 1.1.

LHDN publishes no machine-readable rules and no rule ids: its validators (structure, core
fields, code tables, signature, ...) are described in prose (MyInvois SDK "Document
validation rules") and the fields in the document type tables ("Document Types": mandatory
or optional, cardinality, number of characters, code table). The rules here are written
from those tables, with ids of our own (``MYINVOIS-nn``; ``MYINVOIS-Lnn`` for lengths);
checks LHDN makes against its own registers (taxpayer TINs, referenced document UUIDs,
duplicates) cannot be made offline and are not here.

Versions 1.0 and 1.1 have the same fields; 1.1 adds the digital signature, so the
signature rules apply to documents that declare version 1.1 (``MY-VERSION``). Verifying
the signature's cryptography is :func:`defa.countries.my.myinvois.signature.verify`.
"""

from datetime import date

from defa.einvoice.rules.engine import RuleSet

MYINVOIS = RuleSet(
    "my-myinvois",
    "1.1",
    title="MyInvois e-Invoice v1.0 and v1.1 fields, cardinalities and code tables (LHDN)",
    source=(
        "MyInvois SDK documentation (LHDN): Document Types v1.0/v1.1, Code Tables, Document "
        "validation rules; as compiled in deadboy18/myinvois-docs @ ec243d7"
    ),
    # before the first official samples (July 2024); the mandate began on 2024-08-01
    valid_from=date(2024, 1, 1),
)

# The rule modules register themselves on MYINVOIS when imported.
from defa.einvoice.rules.myinvois import codes, document, lengths, lines  # noqa: E402

__all__ = ["MYINVOIS", "codes", "document", "lengths", "lines"]
