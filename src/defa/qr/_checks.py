"""What a decoded payload is, and where it departs from EMVCo MPM 1.1.

Run once per payload, on first access of its scheme, fields or issues. Every deviation is an
issue with a stable code and the clause it departs from; deviations that do not stop a payer
from reading the code are warnings, and a field a scheme leaves out by design is a note.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from defa.errors import Issue, Severity
from defa.qr._currency import alpha_of, exponent
from defa.qr._payload import Payload
from defa.qr._scheme import EMVCO, Scheme, classify, national_scheme
from defa.qr._template import AccountTemplate, AdditionalData, LanguageTemplate
from defa.qr._tlv import SPEC, scan

__all__ = ["Analysis", "analyse"]

_WARN = Severity.WARNING
_INFO = Severity.INFO

_ACCOUNT_TEMPLATES = frozenset(f"{n:02d}" for n in range(26, 52))
_ACCOUNT_PRIMITIVES = frozenset(f"{n:02d}" for n in range(2, 26))
_RFU_ROOT = frozenset(f"{n:02d}" for n in range(65, 80))
_HEX = frozenset("0123456789ABCDEFabcdef")
_DOMAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")

# Root data objects EMVCo marks mandatory (Table 3.6), with a name for messages.
_MANDATORY = (
    ("00", "Payload Format Indicator"),
    ("52", "Merchant Category Code"),
    ("53", "Transaction Currency"),
    ("58", "Country Code"),
    ("59", "Merchant Name"),
    ("60", "Merchant City"),
)
# ID -> (numeric only, exact length or 0, maximum length, spec key) per Table 3.6.
_FORMAT: dict[str, tuple[bool, int, int, str]] = {
    "00": (True, 2, 2, "format_indicator"),
    "01": (True, 2, 2, "initiation"),
    "52": (True, 4, 4, "mcc"),
    "53": (True, 3, 3, "currency"),
    "54": (False, 0, 13, "amount"),
    "55": (True, 2, 2, "tip"),
    "56": (False, 0, 13, "tip"),
    "57": (False, 0, 5, "tip"),
    "58": (False, 2, 2, "country"),
    "59": (False, 0, 25, "name"),
    "60": (False, 0, 15, "city"),
    "61": (False, 0, 10, "table"),
}
_ADDITIONAL_MAX = {f"{n:02d}": 25 for n in range(1, 9)} | {"09": 3, "10": 20, "11": 3}


@dataclass(frozen=True, slots=True)
class Analysis:
    """The lazily computed reading of a payload."""

    scheme: Scheme
    country: str | None
    accounts: tuple[AccountTemplate, ...]
    schemes: tuple[str, ...]  # every scheme recognised, in order of first appearance
    fields: AccountTemplate | None
    additional: AdditionalData | None
    language: LanguageTemplate | None
    issues: tuple[Issue, ...]


def _is_guid(value: str) -> bool:
    """AID (hex, RID of 5 bytes and optional PIX), UUID without hyphens, or reverse domain."""
    if 10 <= len(value) <= 32 and all(c in _HEX for c in value):
        return True
    return "." in value and all(c in _DOMAIN for c in value) and not value.startswith(".")


def _duplicates(pairs: list[tuple[str, str]]) -> list[str]:
    seen: set[str] = set()
    dup: list[str] = []
    for tag, _ in pairs:
        if tag in seen and tag not in dup:
            dup.append(tag)
        seen.add(tag)
    return dup


def _is_amount(raw: str) -> bool:
    if not raw or raw.count(".") > 1 or raw == ".":
        return False
    return all((c.isdigit() and c.isascii()) or c == "." for c in raw) and any(
        c not in "0." for c in raw
    )


class _Collector:
    __slots__ = ("country", "issues")

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        self.country: str | None = None

    def add(
        self, code: str, msg: str, loc: str, spec: str, severity: Severity = _WARN, **ctx: object
    ) -> None:
        self.issues.append(
            Issue(
                code,
                msg,
                loc=loc,
                severity=severity,
                spec=SPEC.get(spec, spec),
                country=self.country,
                ctx=ctx,
            )
        )


def _template(out: _Collector, tag: str, value: str, severity: Severity) -> list[tuple[str, str]]:
    pairs, _, err = scan(value)
    if err is not None:
        out.add(
            "qr.bad_template",
            f"ID {tag} is not a sequence of data objects: {err.detail}",
            f"{tag}@{err.at}",
            "template",
            severity,
        )
    for dup in _duplicates(pairs):
        out.add(
            "qr.duplicate_id", f"sub-ID {dup} occurs twice in ID {tag}", f"{tag}.{dup}", "unique"
        )
    return pairs


def _root_formats(p: Payload, out: _Collector) -> None:
    for tag, value in p.elements:
        rule = _FORMAT.get(tag)
        if tag in _RFU_ROOT:
            out.add("qr.rfu_id", f"ID {tag} is reserved for EMVCo", tag, "rfu")
        if not value:
            out.add("qr.empty_value", f"ID {tag} has length 00", tag, "length")
            continue
        if rule is None:
            continue
        numeric, exact, maximum, spec = rule
        if exact and len(value) != exact:
            out.add(
                "qr.bad_value",
                f"ID {tag} has {len(value)} characters, {exact} expected",
                tag,
                spec,
                value=value,
            )
        elif len(value) > maximum:
            out.add(
                "qr.value_too_long",
                f"ID {tag} has {len(value)} characters, at most {maximum} allowed",
                tag,
                spec,
                length=len(value),
            )
        if numeric and not (value.isdigit() and value.isascii()):
            out.add("qr.bad_value", f"ID {tag} must be digits, reads {value!r:.30}", tag, spec)


def _root_values(p: Payload, out: _Collector, scheme: Scheme) -> None:
    if p.elements and p.elements[0][0] != "00":
        out.add(
            "qr.format_indicator_not_first",
            "the Payload Format Indicator (ID 00) is not the first data object",
            "00",
            "first",
        )
    fi = p.get("00")
    if fi is not None and fi != "01":
        out.add(
            "qr.bad_format_indicator",
            f'the Payload Format Indicator reads {fi!r:.20}, EMVCo defines only "01"',
            "00",
            "format_indicator",
            value=fi,
        )
    poi = p.get("01")
    if poi is not None and poi not in ("11", "12"):
        out.add(
            "qr.bad_point_of_initiation",
            f"the Point of Initiation Method reads {poi!r:.20}"
            ', not "11" (static) or "12" (dynamic)',
            "01",
            "initiation",
            value=poi,
        )
    for tag, name in _MANDATORY:
        if tag not in p:
            by_design = tag in scheme.omits
            out.add(
                "qr.missing_field",
                f"{name} (ID {tag}) is missing"
                + (f"; {scheme.name} leaves it out by design" if by_design else ""),
                tag,
                "presence",
                _INFO if by_design else _WARN,
            )
    currency = p.get("53")
    alpha = None
    if currency is not None:
        alpha = alpha_of(currency)
        if alpha is None:
            out.add(
                "qr.unknown_currency",
                f"{currency!r:.20} is not an ISO 4217 numeric currency code",
                "53",
                "currency",
            )
    amount = p.get("54")
    if amount:
        if not _is_amount(amount):
            out.add(
                "qr.bad_amount",
                f"the amount {amount!r:.20} is not digits with at most one "
                '".", different from zero',
                "54",
                "amount",
            )
        elif alpha is not None and "." in amount:
            digits = scheme.amount_decimals.get(alpha, exponent(alpha))
            places = len(amount) - amount.index(".") - 1
            if digits is not None and places > digits:
                out.add(
                    "qr.amount_precision",
                    f"the amount {amount} has {places} decimals; {alpha} has {digits}",
                    "54",
                    "amount",
                    decimals=digits,
                )
    _tip(p, out)
    cc = p.get("58")
    if cc is not None and not (len(cc) == 2 and cc.isascii() and cc.isalpha() and cc.isupper()):
        out.add(
            "qr.bad_value", f"the Country Code {cc!r:.10} is not ISO 3166 alpha-2", "58", "country"
        )
    if len(p.text) > 512:
        out.add(
            "qr.long_payload",
            f"the payload has {len(p.text)} characters; EMVCo asks for at most 512",
            "payload",
            "payload",
        )


def _tip(p: Payload, out: _Collector) -> None:
    tip = p.get("55")
    if tip is not None and tip not in ("01", "02", "03"):
        out.add("qr.bad_value", f"the Tip or Convenience Indicator reads {tip!r:.10}", "55", "tip")
    for tag, want in (("56", "02"), ("57", "03")):
        present = p.get(tag)
        if tip == want and not present:
            out.add("qr.missing_field", f"ID 55 is {want} but ID {tag} is missing", tag, "tip")
        elif present is not None and tip != want:
            out.add("qr.bad_value", f"ID {tag} is present but ID 55 is not {want}", tag, "tip")
        elif present and not _is_amount(present):
            out.add(
                "qr.bad_amount",
                f"ID {tag} reads {present!r:.20}, not a positive number",
                tag,
                "tip",
            )


def _source(scheme: Scheme) -> str:
    return scheme.sources[0] if scheme.sources else scheme.name


def _check_view(view: AccountTemplate, scheme: Scheme, out: _Collector) -> None:
    for name, allowed in view.ALLOWED.items():
        value = getattr(view, name)
        if value is not None and value not in allowed:
            out.add(
                "qr.scheme_field",
                f"{scheme.name} {name} reads {value!r:.30}; allowed: {', '.join(sorted(allowed))}",
                f"{view.tag}.{name}",
                scheme.sources[0] if scheme.sources else scheme.name,
            )
    for name in view.DIGITS:
        value = getattr(view, name)
        if value is not None and not (value.isdigit() and value.isascii()):
            out.add(
                "qr.scheme_field",
                f"{scheme.name} {name} must be digits, reads {value!r:.30}",
                f"{view.tag}.{name}",
                scheme.sources[0] if scheme.sources else scheme.name,
            )


def analyse(p: Payload) -> Analysis:
    """Identify the scheme, build the typed views and collect every issue."""
    issues = list(p._structural)
    out = _Collector(issues)
    for dup in _duplicates(p.elements):
        out.add("qr.duplicate_id", f"ID {dup} occurs more than once", dup, "unique", Severity.ERROR)
    accounts: list[AccountTemplate] = []
    found: list[tuple[Scheme, AccountTemplate]] = []
    has_account = False
    additional = language = None
    for tag, value in p.elements:
        if tag in _ACCOUNT_TEMPLATES:
            has_account = True
            pairs = _template(out, tag, value, _WARN)
            subs = dict(pairs)
            s, cls = classify(tag, subs)
            view = cls.read(tag, pairs)
            accounts.append(view)
            found.append((s, view))
            guid = subs.get("00")
            if guid is None:
                out.add(
                    "qr.missing_field",
                    f"ID {tag} has no Globally Unique Identifier (sub-ID 00)",
                    f"{tag}.00",
                    "guid",
                )
            elif not _is_guid(guid):
                out.add(
                    "qr.bad_guid",
                    f"sub-ID 00 of ID {tag} reads {guid!r:.40}: not an AID, "
                    "a UUID or a reverse domain name",
                    f"{tag}.00",
                    "guid",
                    # A scheme that defines sub-ID 00 as its own field (KHQR) does so by design.
                    _INFO if "00" in cls.SUBTAGS.values() else _WARN,
                )
        elif tag in _ACCOUNT_PRIMITIVES:
            has_account = True
        elif tag == "62" and additional is None:
            pairs = _template(out, tag, value, _WARN)
            additional = AdditionalData.from_pairs(pairs)
            for sub, sub_value in pairs:
                limit = _ADDITIONAL_MAX.get(sub)
                if limit is not None and len(sub_value) > limit:
                    out.add(
                        "qr.value_too_long",
                        f"62.{sub} has {len(sub_value)} characters, at most {limit} allowed",
                        f"62.{sub}",
                        "additional",
                    )
                elif "12" <= sub <= "49":
                    out.add(
                        "qr.rfu_id",
                        f"sub-ID {sub} of ID 62 is reserved for EMVCo",
                        f"62.{sub}",
                        "additional",
                        _INFO,
                    )
        elif tag == "64" and language is None:
            pairs = _template(out, tag, value, _WARN)
            language = LanguageTemplate.from_pairs(pairs)
            for sub, name in (("00", "Language Preference"), ("01", "Merchant Name")):
                if sub not in dict(pairs):
                    out.add(
                        "qr.missing_field", f"{name} (64.{sub}) is missing", f"64.{sub}", "language"
                    )
        elif tag >= "80" and value:
            # Unreserved templates: some schemes put signatures or tokens here, not objects.
            _template(out, tag, value, _INFO)
    national = [item for item in found if item[0] is not EMVCO]
    if national:
        scheme, fields = min(national, key=lambda item: item[0].rank)
    else:
        scheme, fields = EMVCO, None
        cc = p.get("58")
        by_country = national_scheme(cc) if cc and not has_account else None
        if by_country is not None:
            scheme = by_country
            out.add(
                "qr.scheme_by_country",
                f"no merchant account identifies a scheme; read as "
                f"{scheme.name}, the national scheme of {cc}",
                "58",
                "account",
                _INFO,
            )
        elif p.elements:
            out.add(
                "qr.unknown_scheme",
                "no merchant account template names a scheme a "
                "profile describes; read as plain EMVCo MPM",
                "26-51",
                "account",
                _INFO,
            )
    cc = p.get("58")
    country = scheme.country or (cc if cc and len(cc) == 2 and cc.isalpha() else None)
    out.country = country.upper() if country else None
    if not has_account and p.elements:
        out.add(
            "qr.missing_field",
            "no Merchant Account Information (IDs 02-51)",
            "02-51",
            "account",
            _INFO if "26" in scheme.omits else _WARN,
        )
    if scheme.country and cc and cc != scheme.country and len(cc) == 2:
        out.add(
            "qr.country_mismatch",
            f"the Country Code reads {cc}, the scheme is {scheme.name} of {scheme.country}",
            "58",
            "country",
        )
    if p.elements:
        _root_formats(p, out)
        _root_values(p, out, scheme)
    for s, view in found:
        if s is not EMVCO:
            _check_view(view, s, out)
    return Analysis(
        scheme=scheme,
        country=out.country,
        accounts=tuple(accounts),
        schemes=tuple(dict.fromkeys(s.id for s, _ in national)),
        fields=fields,
        additional=additional,
        language=language,
        issues=tuple(
            i if i.country or not out.country else replace(i, country=out.country) for i in issues
        ),
    )
