"""One error model for the whole toolkit.

Every check in DEFA produces :class:`Issue` records collected in a :class:`Report`.
``check()``-style functions return a report and never raise on bad input;
``validate()``-style functions raise :class:`ValidationError` carrying the same issues.

An issue's ``code`` is stable: ``<domain>.<reason>``, never renamed or reused. Every code
is declared once in :data:`CODES` and documented in ``docs/errors.md``; a contract test
keeps the three (catalogue, docs, the append-only list of codes ever published) in step.

The exception tree::

    DefaError                  base of everything this package raises on purpose
    ├── ValidationError        the input is invalid (CLI exit 1, HTTP 422)
    │   └── InputRejected      the input is refused before reading: too large, hostile, wrong type
    ├── LookupFailed           an unknown country, capability, scheme or data id (exit 2, HTTP 404)
    └── DataError              packaged data or rules are broken or missing (exit 3)
        └── NotInForce         no data or rules are in force for the date asked (exit 3)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Self

__all__ = [
    "CODES",
    "DataError",
    "DefaError",
    "InputRejected",
    "Issue",
    "LookupFailed",
    "NotInForce",
    "Report",
    "Severity",
    "ValidationError",
]


class Severity(StrEnum):
    """How much an issue matters. Only ``error`` makes a document or value invalid."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


# The catalogue of stable codes: code -> one-line meaning. Append only; see docs/errors.md.
CODES: Mapping[str, str] = MappingProxyType(
    {
        # identifiers
        "id.empty": "The identifier is empty after removing separators.",
        "id.too_long": "The input is far longer than any identifier; it was not read.",
        "id.invalid_characters": "The identifier holds characters its scheme does not allow.",
        "id.invalid_length": "The identifier has the wrong number of characters.",
        "id.invalid_format": "The identifier does not have the shape its scheme prescribes.",
        "id.invalid_checksum": "The identifier's check digit or checksum does not match.",
        "id.invalid_component": "A part of the identifier (date, region, type code) is not valid.",
        "id.format_unpublished": (
            "No official format is published for this scheme; the value was accepted unverified."
        ),
        # registry and lookups
        "registry.unknown_country": "The country code is not an ASEAN member known to DEFA.",
        "registry.unknown_capability": "The country profile does not offer this capability.",
        "registry.unknown_scheme": "The country has no identifier scheme of that name.",
        # packaged data
        "data.unknown_id": "No packaged data file has that id.",
        "data.missing_meta": "A packaged data file lacks its [meta] block or a required field.",
        "data.malformed": "A packaged data file cannot be parsed.",
        "data.not_in_force": "No version of the data or rules is in force on the date asked.",
        # input handling shared by every reader
        "input.too_large": "The input exceeds the configured size limit.",
        "input.invalid_encoding": "The input is not text in the expected encoding.",
        "input.invalid_date": "A date is not in ISO 8601 form (YYYY-MM-DD).",
        "input.unreadable": "The input file cannot be read (missing, a folder, no permission).",
        # XML input (every XML reader)
        "xml.not_xml": "The input is not well-formed XML.",
        "xml.forbidden_dtd": "The XML carries a document type declaration; DTDs are refused.",
        "xml.forbidden_entity": "The XML declares or references entities; they are refused.",
        "xml.too_deep": "The XML nests elements deeper than the configured limit.",
        "xml.wrong_root": "The XML's root element is not one this reader takes.",
        "xml.wrong_namespace": "The root element is in a namespace this reader does not take.",
        # e-invoicing
        "einvoice.rule": "A business or syntax rule failed; rule_id names the upstream rule.",
        "einvoice.unknown_syntax": "The document's syntax or format could not be recognised.",
        "einvoice.unknown_rules": "No rule set has that id.",
        "einvoice.unknown_format": "No e-invoice format has that id, or none fits the document.",
        "einvoice.rules_not_in_force": (
            "No version of the rules was in force on the document's date; today's was applied."
        ),
        "einvoice.unmapped_element": "An element of the document maps to no business term.",
        "einvoice.value_not_carried": "A value could not be carried into the target syntax.",
        "einvoice.schema": "The document does not conform to its syntax's official XSD.",
        "einvoice.schema_missing": (
            "The official XSD of the document's syntax was not found; it was not validated."
        ),
        # payment QR codes (EMVCo MPM)
        "qr.empty": "The payment QR payload is empty.",
        "qr.too_large": "The payload is longer than any QR Code can hold; it was not read.",
        "qr.bad_id": "A data object's ID is not two digits.",
        "qr.bad_length": "A data object's length is not two digits.",
        "qr.truncated": "A data object's length runs past the end of the payload.",
        "qr.missing_crc": "The payload has no CRC data object (ID 63).",
        "qr.crc_not_last": "Data objects follow the CRC, which must be last.",
        "qr.crc_mismatch": "The CRC does not match the payload's data.",
        "qr.crc_lowercase": "The CRC is right but written in lower-case hex digits.",
        "qr.duplicate_id": "A data object ID occurs more than once at the same level.",
        "qr.format_indicator_not_first": "The Payload Format Indicator (ID 00) is not first.",
        "qr.bad_format_indicator": "The Payload Format Indicator is not 01.",
        "qr.bad_point_of_initiation": "The Point of Initiation Method is not 11 or 12.",
        "qr.missing_field": "A data object EMVCo or the scheme requires is missing.",
        "qr.empty_value": "A data object has length 00.",
        "qr.value_too_long": "A value is longer than EMVCo allows for its data object.",
        "qr.bad_value": "A value does not have the format its data object prescribes.",
        "qr.bad_amount": "An amount is not digits with one optional decimal mark, above zero.",
        "qr.amount_precision": "An amount has more decimals than its currency takes.",
        "qr.unknown_currency": "The transaction currency is not an ISO 4217 numeric code.",
        "qr.bad_guid": "Sub-ID 00 of a template is not an AID, a UUID or a reverse domain.",
        "qr.bad_template": "A template's value is not a sequence of data objects.",
        "qr.rfu_id": "A data object uses an ID reserved for future use by EMVCo.",
        "qr.long_payload": "The payload is longer than the 512 characters EMVCo recommends.",
        "qr.country_mismatch": "The country code differs from the identified scheme's country.",
        "qr.scheme_field": "A scheme-defined field has a value its scheme does not allow.",
        "qr.unknown_scheme": "No national scheme was recognised; read as plain EMVCo MPM.",
        "qr.scheme_by_country": "No merchant account names a scheme; the country's was assumed.",
        "qr.not_a_qr_image": "The image holds no readable QR Code.",
        "qr.image_unavailable": "The packages for QR images (segno, zxing-cpp) are not installed.",
        # cross-border payments and ISO 20022 messages
        "payments.invalid_qr": "The QR payload has errors, so no payment can be routed from it.",
        "payments.p2p_transfer": (
            "The QR code is a person-to-person proxy: a transfer, not a merchant payment."
        ),
        "payments.unknown_merchant": "The merchant's country cannot be told from the QR code.",
        "payments.no_linkage": (
            "No merchant QR linkage from the payer's country to the merchant's is in force."
        ),
        "payments.bad_rates": (
            "The exchange rates supplied are malformed (pair, number, currency or source)."
        ),
        "payments.no_rate": (
            "The exchange rates supplied have no rate for the currency pair needed."
        ),
        "payments.bad_amount": (
            "The amount is not positive or has more decimals than its currency takes."
        ),
        "payments.amount_conflict": "The amount given differs from the amount the QR code fixes.",
        "payments.amount_required": "The QR code carries no amount and none was given.",
        "iso20022.schema_missing": (
            "The official ISO 20022 XSD of the message cannot be found or read."
        ),
        "iso20022.schema_invalid": "The message does not conform to the official ISO 20022 XSD.",
        "iso20022.bad_party": (
            "An agent, party or account given for the message cannot be written in it."
        ),
        # HTTP-level problems of the service
        "request.invalid": "The request's parameters or body do not match the API.",
        "request.not_found": "No resource exists at this address.",
        "request.method_not_allowed": "The resource does not accept this HTTP method.",
        "request.unsupported_media_type": "The request body's content type is not accepted.",
        "request.too_large": "The request body exceeds the service's size limit.",
        "internal.error": "An unexpected fault in DEFA itself; the request had no effect.",
        # the gateway's stored documents, API keys and readiness
        "request.unauthorized": (
            "The request carries no API key, or one the gateway does not accept."
        ),
        "request.timeout": "The request did not finish within the service's time limit.",
        "request.idempotency_conflict": (
            "The Idempotency-Key was used before with a different request body or parameters."
        ),
        "document.not_found": "No document with that id is visible with this API key.",
        "service.not_ready": (
            "The database is unreachable or its schema is not at the latest migration."
        ),
        # JSON input and the tax-category crosswalk
        "json.not_json": "The input is not well-formed JSON.",
        "json.too_deep": "The JSON nests objects or arrays deeper than the configured limit.",
        "einvoice.unknown_tax_scheme": "No tax-category scheme of the crosswalk has that name.",
        "einvoice.unknown_tax_category": "The tax category is not a code of the scheme named.",
        # MyInvois (JSON documents, format mix-ups, the v1.1 signature)
        "json.wrong_root": "The JSON document is not the kind of object this reader takes.",
        "json.wrong_shape": "A JSON member does not have the shape its syntax prescribes.",
        "einvoice.wrong_format": "The document is in another format than the reader's; see msg.",
        "einvoice.signature_missing": "The document carries no digital signature.",
        "einvoice.signature_invalid": (
            "The document's signature does not verify; ctx.part names the failed check."
        ),
        # conversion choices
        "einvoice.tax_category_choice": (
            "A tax category choice cannot apply: not a candidate the crosswalk gives for "
            "that source code, or the target maps no tax categories."
        ),
        "einvoice.self_billing_unsupported": (
            "The target format cannot hold the document as self-billed (or as not), as asked."
        ),
    }
)


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding about an input.

    ``loc`` locates the finding inside the input (an XPath-like path, a field name, or a
    character offset); ``rule_id`` is the upstream rule's id, verbatim, where one exists;
    ``spec`` names the specification clause or document behind it.
    """

    code: str
    msg: str
    loc: str = ""
    severity: Severity = Severity.ERROR
    country: str | None = None
    rule_id: str | None = None
    spec: str | None = None
    ctx: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping; the same shape in the CLI's ``--json`` and the API."""
        return {
            "code": self.code,
            "msg": self.msg,
            "loc": self.loc,
            "severity": self.severity.value,
            "country": self.country,
            "rule_id": self.rule_id,
            "spec": self.spec,
            "ctx": dict(self.ctx),
        }


@dataclass(slots=True)
class Report:
    """The issues found by one check, with what the check used (rule sets, dates, ...)."""

    issues: list[Issue] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """True when no issue has severity ``error``."""
        return not any(i.severity is Severity.ERROR for i in self.issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.WARNING]

    def add(self, issue: Issue) -> None:
        self.issues.append(issue)

    def extend(self, issues: Iterable[Issue]) -> None:
        self.issues.extend(issues)

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    def raise_for_errors(self) -> None:
        """Raise :class:`ValidationError` carrying every issue if any is an error."""
        if not self.valid:
            raise ValidationError(self.issues)

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "issues": [i.to_dict() for i in self.issues],
            **({"meta": self.meta} if self.meta else {}),
        }


class DefaError(Exception):
    """Base of every exception DEFA raises on purpose. Carries issue records."""

    #: The CLI's exit code for this kind of failure.
    exit_code: int = 1

    def __init__(self, issues: Issue | Iterable[Issue]) -> None:
        self.issues: tuple[Issue, ...] = (issues,) if isinstance(issues, Issue) else tuple(issues)
        if not self.issues:
            raise ValueError("a DefaError needs at least one issue")
        super().__init__("; ".join(f"{i.code}: {i.msg}" for i in self.issues))

    @property
    def code(self) -> str:
        """The code of the first (principal) issue."""
        return self.issues[0].code

    @classmethod
    def of(cls, code: str, msg: str, **fields: Any) -> Self:
        """Build the exception from a single issue's fields."""
        return cls(Issue(code, msg, **fields))


class ValidationError(DefaError, ValueError):
    """The input is invalid. ``issues`` says why."""

    exit_code = 1


class InputRejected(ValidationError):
    """The input was refused before reading (size, encoding, hostile constructs)."""


class LookupFailed(DefaError, LookupError):
    """An unknown country, capability, identifier scheme or data id was asked for."""

    exit_code = 2


class DataError(DefaError):
    """Packaged data or rules are missing, malformed or lack provenance."""

    exit_code = 3


class NotInForce(DataError):
    """No version of the data or rules is in force on the date asked."""
