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

from collections.abc import Callable
from datetime import date

from defa.einvoice.rules.engine import CheckFn, RuleSet
from defa.einvoice.rules.myinvois._access import myinvois_view


class _MyInvoisRules(RuleSet):
    """A rule set whose checks see the MyInvois reading of a document.

    A MyInvois XML document read by the engine's UBL reader lacks the ``MY-...`` terms its
    binding does not know; each check gets the document as the MyInvois reader reads it
    (:func:`._access.myinvois_view`, once per document), until the engine reads a format
    with its own reader.
    """

    __slots__ = ()

    def rule(
        self,
        rule_id: str,
        severity: str,
        message: str,
        *,
        terms: tuple[str, ...] = (),
        syntax: str | None = None,
    ) -> Callable[[CheckFn], CheckFn]:
        register = super().rule(rule_id, severity, message, terms=terms, syntax=syntax)

        def wrap(func: CheckFn) -> CheckFn:
            register(lambda doc: func(myinvois_view(doc)))
            return func

        return wrap


MYINVOIS = _MyInvoisRules(
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
