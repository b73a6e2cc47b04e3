"""Decoding: one scan, one CRC, and lazy views of everything else.

:func:`decode` splits the root data objects and checks the CRC, nothing more; the scheme, the
typed fields and the conformance issues are worked out on first access (``.scheme``,
``.fields``, ``.issues``), once. Structural faults (bad lengths, truncation, a wrong CRC) are
errors; deviations from EMVCo that real schemes make on purpose are warnings or notes.
"""

from __future__ import annotations

from binascii import crc_hqx
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from defa.errors import InputRejected, Issue, Report, Severity
from defa.qr._currency import alpha_of
from defa.qr._tlv import MAX_PAYLOAD, SPEC, ScanError, scan

if TYPE_CHECKING:
    from defa.qr._checks import Analysis
    from defa.qr._scheme import Scheme
    from defa.qr._template import AccountTemplate, AdditionalData, LanguageTemplate

__all__ = ["Payload", "check", "decode"]

_ERR = Severity.ERROR
# The clause each scan fault departs from.
_SCAN_SPEC = {"qr.bad_id": "id", "qr.bad_length": "length", "qr.truncated": "length_count"}
_WARN = Severity.WARNING


class Payload:
    """A decoded EMVCo merchant-presented QR payload.

    ``elements`` holds the root data objects exactly as read, in order; re-encoding a payload
    that decoded without errors reproduces its text byte for byte. Accessors give the EMVCo
    fields; ``scheme``, ``country``, ``fields``, ``accounts`` and ``issues`` are computed on first
    use.
    """

    __slots__ = ("_analysis", "_by_id", "_structural", "elements", "text")

    def __init__(
        self, text: str, elements: list[tuple[str, str]], structural: Sequence[Issue]
    ) -> None:
        self.text = text
        self.elements = elements
        self._structural = structural
        self._by_id: dict[str, str] | None = None  # built on first look-up
        self._analysis: Analysis | None = None

    @property
    def _ids(self) -> dict[str, str]:
        by_id = self._by_id
        if by_id is None:
            by_id = dict(self.elements)
            if len(by_id) != len(self.elements):  # first occurrence wins, as a scanner reads
                by_id = {}
                for tag, value in self.elements:
                    by_id.setdefault(tag, value)
            self._by_id = by_id
        return by_id

    # -- raw access -------------------------------------------------------------------------

    def get(self, tag: str) -> str | None:
        """The value of root data object ``tag`` (first occurrence), or None."""
        return self._ids.get(tag)

    def __contains__(self, tag: object) -> bool:
        return tag in self._ids

    def __repr__(self) -> str:
        return f"Payload({self.text[:40]!r}{'...' if len(self.text) > 40 else ''})"

    # -- EMVCo root fields ------------------------------------------------------------------

    @property
    def format_indicator(self) -> str | None:
        """ID 00, "01" in EMVCo MPM 1.0 and 1.1."""
        return self._ids.get("00")

    @property
    def point_of_initiation(self) -> str | None:
        """ID 01: "11" static, "12" dynamic."""
        return self._ids.get("01")

    @property
    def dynamic(self) -> bool:
        """True when the point of initiation says the code is for one transaction ("12")."""
        return self._ids.get("01") == "12"

    @property
    def mcc(self) -> str | None:
        """ID 52, the ISO 18245 merchant category code."""
        return self._ids.get("52")

    @property
    def currency_code(self) -> str | None:
        """ID 53, the ISO 4217 numeric currency code as written."""
        return self._ids.get("53")

    @property
    def currency(self) -> str | None:
        """The ISO 4217 alphabetic code of ID 53 ("704" -> "VND"), None if unknown or absent."""
        code = self._ids.get("53")
        return None if code is None else alpha_of(code)

    @property
    def amount(self) -> Decimal | None:
        """ID 54 as a Decimal; None when absent or not a number."""
        raw = self._ids.get("54")
        if not raw or not all(c.isdigit() or c == "." for c in raw) or raw.count(".") > 1:
            return None
        try:
            return Decimal(raw)
        except InvalidOperation:
            return None

    @property
    def country_code(self) -> str | None:
        """ID 58 as written (the merchant's country, ISO 3166 alpha-2)."""
        return self._ids.get("58")

    @property
    def merchant_name(self) -> str | None:
        """ID 59."""
        return self._ids.get("59")

    @property
    def merchant_city(self) -> str | None:
        """ID 60."""
        return self._ids.get("60")

    @property
    def postal_code(self) -> str | None:
        """ID 61."""
        return self._ids.get("61")

    @property
    def crc(self) -> str | None:
        """ID 63 as written."""
        return self._ids.get("63")

    @property
    def unreserved(self) -> dict[str, str]:
        """Unreserved templates (IDs 80-99) by ID, as written."""
        return {t: v for t, v in self.elements if t >= "80"}

    # -- lazy, analysed views ----------------------------------------------------------------

    def _analyse(self) -> Analysis:
        if self._analysis is None:
            from defa.qr._checks import analyse

            self._analysis = analyse(self)
        return self._analysis

    @property
    def scheme_info(self) -> Scheme:
        """The identified :class:`Scheme` (the generic ``emvco`` reading if none)."""
        return self._analyse().scheme

    @property
    def scheme(self) -> str:
        """The identified scheme's id, e.g. ``"th.promptpay"``; ``"emvco"`` if none."""
        return self._analyse().scheme.id

    @property
    def country(self) -> str | None:
        """ISO 3166 alpha-2 of the scheme's country, else of ID 58; None if neither is known."""
        return self._analyse().country

    @property
    def schemes(self) -> tuple[str, ...]:
        """Every national scheme recognised among the accounts (a code may carry several)."""
        return self._analyse().schemes

    @property
    def accounts(self) -> tuple[AccountTemplate, ...]:
        """Typed views of every merchant account template (IDs 26-51), in order."""
        return self._analyse().accounts

    @property
    def fields(self) -> AccountTemplate | None:
        """The typed view of the template that identified the scheme (None if none did)."""
        return self._analyse().fields

    @property
    def additional(self) -> AdditionalData | None:
        """ID 62, typed."""
        return self._analyse().additional

    @property
    def language(self) -> LanguageTemplate | None:
        """ID 64, typed."""
        return self._analyse().language

    @property
    def issues(self) -> tuple[Issue, ...]:
        """Every issue found: structural errors first, then deviations from EMVCo."""
        return self._analyse().issues

    @property
    def valid(self) -> bool:
        """True when no issue is an error."""
        return not any(i.severity is _ERR for i in self.issues)

    def report(self) -> Report:
        """The issues as a :class:`~defa.errors.Report`, with the scheme and country in meta."""
        return Report(
            issues=list(self.issues),
            meta={"scheme": self.scheme, "country": self.country},
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready rendering: scheme, country, root objects, typed fields, issues."""
        fields = self.fields
        return {
            "scheme": self.scheme,
            "country": self.country,
            "valid": self.valid,
            "elements": [[t, v] for t, v in self.elements],
            "fields": None if fields is None else fields.to_dict(),
            "issues": [i.to_dict() for i in self.issues],
        }


def _rejected(text: str, issue: Issue) -> Payload:
    return Payload(text, [], (issue,))


def decode(payload: str | bytes) -> Payload:
    """Read an EMVCo MPM payload. Never raises on any string; bad input gets issues.

    ``bytes`` are read as UTF-8. Any other type raises :class:`~defa.errors.InputRejected`.
    """
    if not isinstance(payload, str):
        if isinstance(payload, bytes | bytearray | memoryview):
            try:
                payload = bytes(payload).decode("utf-8")
            except UnicodeDecodeError as exc:
                return _rejected(
                    "",
                    Issue(
                        "input.invalid_encoding",
                        f"the payload is not UTF-8: {exc.reason}",
                        loc=f"@{exc.start}",
                        spec=SPEC["format"],
                    ),
                )
        else:
            raise InputRejected.of(
                "input.invalid_encoding",
                f"a QR payload is text, not {type(payload).__name__}",
                loc="payload",
            )
    n = len(payload)
    if n > MAX_PAYLOAD:
        return _rejected(
            "",
            Issue(
                "qr.too_large",
                f"the payload has {n} characters; a QR Code holds at most {MAX_PAYLOAD} bytes",
                loc="payload",
                spec=SPEC["payload"],
                ctx={"length": n, "limit": MAX_PAYLOAD},
            ),
        )
    if n == 0:
        return _rejected(
            "", Issue("qr.empty", "the payload is empty", loc="payload", spec=SPEC["presence"])
        )
    elements, crc_at, err = scan(payload)
    if err is None and crc_at == n - 8:
        # The common case, kept short: the CRC object is last and four characters long.
        try:
            data = payload[:-4].encode("utf-8")
        except UnicodeEncodeError:
            pass  # reported below
        else:
            if payload[-4:] == f"{crc_hqx(data, 0xFFFF):04X}":
                return Payload(payload, elements, ())
    return _diagnose(payload, elements, crc_at, err)


def _diagnose(
    payload: str, elements: list[tuple[str, str]], crc_at: int, err: ScanError | None
) -> Payload:
    """The slow path of :func:`decode`: work out every structural fault."""
    n = len(payload)
    issues: list[Issue] = []
    if err is not None:
        issues.append(
            Issue(
                err.code,
                err.detail,
                loc=f"@{err.at}",
                spec=SPEC[_SCAN_SPEC[err.code]],
            )
        )
    if crc_at < 0:
        if err is None:
            issues.append(
                Issue(
                    "qr.missing_crc", "the payload has no CRC (ID 63)", loc="63", spec=SPEC["crc"]
                )
            )
        return Payload(payload, elements, issues)
    end = crc_at + 4
    # The scan accepted this object, so its length field is two digits.
    crc_end = end + int(payload[crc_at + 2 : end])
    value = payload[end:crc_end] if crc_end == end + 4 else None
    if crc_end != n and err is None:
        issues.append(
            Issue(
                "qr.crc_not_last",
                "data objects follow the CRC (ID 63)",
                loc=f"@{crc_at}",
                spec=SPEC["last"],
            )
        )
    try:
        data = payload[:end].encode("utf-8")
    except UnicodeEncodeError as exc:
        issues.append(
            Issue(
                "input.invalid_encoding",
                f"the payload holds characters UTF-8 cannot carry: {exc.reason}",
                loc=f"@{exc.start}",
                spec=SPEC["format"],
            )
        )
        return Payload(payload, elements, issues)
    computed = f"{crc_hqx(data, 0xFFFF):04X}"
    if value != computed:
        if value is not None and value.upper() == computed:
            issues.append(
                Issue(
                    "qr.crc_lowercase",
                    f"the CRC {value} is written in lower case",
                    loc="63",
                    severity=_WARN,
                    spec=SPEC["crc_case"],
                )
            )
        else:
            issues.append(
                Issue(
                    "qr.crc_mismatch",
                    f"the CRC reads {payload[end:crc_end]!r:.12}, the data gives {computed}",
                    loc="63",
                    spec=SPEC["crc"],
                    ctx={"expected": computed},
                )
            )
    return Payload(payload, elements, issues)


def check(payload: object) -> Report:
    """Decode ``payload`` and return every issue as a :class:`~defa.errors.Report`. Never raises
    on bad input: a value that is not text is reported too."""
    try:
        return decode(payload).report()  # type: ignore[arg-type]
    except InputRejected as exc:
        return Report(issues=list(exc.issues))
