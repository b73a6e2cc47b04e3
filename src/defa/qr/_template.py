"""Typed views of templates: a declarative map from field names to sub-IDs.

A template (merchant account information 26-51, additional data 62, language 64, a national
template in 80-99) is a list of data objects. A view class names the sub-IDs it knows in
``SUBTAGS`` (``"bank_bin": "01.00"`` reaches into a nested template) and keeps every other
sub-ID in ``extra``, so nothing read is lost. National profiles declare their account templates
as subclasses of :class:`AccountTemplate`; the engine reads and writes them all alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, ClassVar, Self

from defa.qr._tlv import join, scan

__all__ = [
    "AccountTemplate",
    "AdditionalData",
    "LanguageTemplate",
    "MerchantAccount",
    "Template",
]

_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True, kw_only=True)
class Template:
    """Base of every typed template view.

    Subclasses declare their fields as ``str | None`` and map each to a sub-ID (or a
    ``"outer.inner"`` path into a nested template) in ``SUBTAGS``.
    """

    #: field name -> sub-ID ("01") or nested path ("01.00").
    SUBTAGS: ClassVar[Mapping[str, str]] = _EMPTY
    #: field name -> the values its scheme allows (checked, reported as ``qr.scheme_field``).
    ALLOWED: ClassVar[Mapping[str, frozenset[str]]] = MappingProxyType({})
    #: field names whose values must be digits only.
    DIGITS: ClassVar[frozenset[str]] = frozenset()

    #: Sub-IDs no field names, in the order read.
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def paths(cls) -> Mapping[str, str]:
        """Field name -> sub-ID path, as read and written."""
        return cls.SUBTAGS

    @classmethod
    def from_pairs(cls, pairs: Sequence[tuple[str, str]]) -> Self:
        """Build the view from a template's ``(sub-ID, value)`` pairs (first occurrence wins)."""
        by_id: dict[str, str] = {}
        for tag, value in pairs:
            by_id.setdefault(tag, value)
        kwargs: dict[str, Any] = {}
        used: set[str] = set()
        nested: dict[str, dict[str, str]] = {}
        for name, path in cls.paths().items():
            head, _, rest = path.partition(".")
            found = by_id.get(head)
            if found is None:
                continue
            used.add(head)
            if rest:
                if head not in nested:
                    inner, _, _ = scan(found)
                    nested[head] = dict(inner)
                inner_value = nested[head].get(rest)
                if inner_value is not None:
                    kwargs[name] = inner_value
            else:
                kwargs[name] = found
        kwargs["extra"] = {t: v for t, v in by_id.items() if t not in used}
        return cls(**kwargs)

    @classmethod
    def from_value(cls, value: str) -> Self:
        """Build the view from a template's value (its concatenated data objects)."""
        pairs, _, _ = scan(value)
        return cls.from_pairs(pairs)

    def pairs(self) -> list[tuple[str, str]]:
        """The template's data objects in ascending sub-ID order, nested paths re-assembled."""
        plain: dict[str, str] = {}
        nested: dict[str, list[tuple[str, str]]] = {}
        for name, path in self.paths().items():
            value = getattr(self, name)
            if value is None:
                continue
            head, _, rest = path.partition(".")
            if rest:
                nested.setdefault(head, []).append((rest, value))
            else:
                plain[head] = value
        for head, inner in nested.items():
            plain[head] = join(sorted(inner))
        for tag, value in self.extra.items():
            plain.setdefault(tag, value)
        return sorted(plain.items())

    def value(self) -> str:
        """The template's value: its data objects, joined."""
        return join(self.pairs())

    def to_dict(self) -> dict[str, Any]:
        """The named fields that are set, plus ``extra`` when not empty."""
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name == "extra":
                if v:
                    out["extra"] = dict(v)
            elif v is not None:
                out[f.name] = v
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountTemplate(Template):
    """A merchant account information template (IDs 26-51, §4.7.11) of one payment scheme.

    ``GUIDS`` are the globally unique identifiers (AID, UUID or reverse domain name) by which
    the scheme is recognised in sub-ID 00, compared case-insensitively; the first is written
    when encoding. A scheme that puts something else in sub-ID 00 overrides :meth:`recognises`.
    """

    GUIDS: ClassVar[tuple[str, ...]] = ()
    #: The root ID this template is written under when none is given.
    DEFAULT_TAG: ClassVar[str] = "26"

    #: The root ID the template sits under (26-51).
    tag: str | None = None
    #: Sub-ID 00: the globally unique identifier.
    guid: str | None = None

    @classmethod
    def paths(cls) -> Mapping[str, str]:
        if "00" in cls.SUBTAGS.values():
            return cls.SUBTAGS
        return {"guid": "00", **cls.SUBTAGS}

    @classmethod
    def recognises(cls, tag: str, subs: Mapping[str, str]) -> bool:
        """Whether a template whose GUID is not in any scheme's ``GUIDS`` is this scheme's."""
        return False

    @classmethod
    def read(cls, tag: str, pairs: Sequence[tuple[str, str]]) -> Self:
        """The view of the template found under root ID ``tag``."""
        view = cls.from_pairs(pairs)
        object.__setattr__(view, "tag", tag)
        return view

    def pairs(self) -> list[tuple[str, str]]:
        out = Template.pairs(self)
        if "guid" in self.paths() and self.guid is None and self.GUIDS:
            out.insert(0, ("00", self.GUIDS[0]))
        return out

    def root_tag(self) -> str:
        """The root ID to write this template under."""
        return self.tag or self.DEFAULT_TAG


@dataclass(frozen=True, slots=True, kw_only=True)
class MerchantAccount(AccountTemplate):
    """A merchant account template of a scheme no profile describes; sub-IDs in ``extra``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AdditionalData(Template):
    """Additional Data Field Template, ID 62 (EMVCo MPM 1.1 §4.8, Table 3.7)."""

    SUBTAGS: ClassVar[Mapping[str, str]] = {
        "bill_number": "01",
        "mobile_number": "02",
        "store_label": "03",
        "loyalty_number": "04",
        "reference_label": "05",
        "customer_label": "06",
        "terminal_label": "07",
        "purpose": "08",
        "consumer_data_request": "09",
        "merchant_tax_id": "10",
        "merchant_channel": "11",
    }

    bill_number: str | None = None
    mobile_number: str | None = None
    store_label: str | None = None
    loyalty_number: str | None = None
    reference_label: str | None = None
    customer_label: str | None = None
    terminal_label: str | None = None
    purpose: str | None = None
    consumer_data_request: str | None = None  # any of "A", "M", "E", once each
    merchant_tax_id: str | None = None
    merchant_channel: str | None = None  # three characters: media, location, presence


@dataclass(frozen=True, slots=True, kw_only=True)
class LanguageTemplate(Template):
    """Merchant Information—Language Template, ID 64 (§4.9, Table 3.8)."""

    SUBTAGS: ClassVar[Mapping[str, str]] = {"language": "00", "name": "01", "city": "02"}

    language: str | None = None  # ISO 639 alpha-2, e.g. "km", "zh"
    name: str | None = None
    city: str | None = None
