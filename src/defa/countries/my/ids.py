"""Malaysia's identifiers.

- ``tin``: the income tax number (Nombor Pengenalan Cukai) issued by the Inland Revenue
  Board of Malaysia (LHDN / IRBM): a type code followed by digits. Since 2 January 2023 an
  individual's code is ``IG`` (replacing ``SG`` and ``OG``; the digits did not change) and
  every non-individual number gained a trailing ``0``. LHDN's published structure (the
  Malaysia sheet of the OECD "Tax Identification Numbers" pages, repeated on hasil.gov.my):
  ``IG`` + 9 to 11 digits for individuals; for others one of the codes C (companies),
  CS (co-operative societies), D (partnerships), E (employers), F (associations),
  FA (non-resident public entertainers), PT (limited liability partnerships),
  TA (trust bodies), TC (unit trusts / property trusts), TN (business trusts),
  TR (real estate investment trusts / property trust funds), TP (deceased persons'
  estates), J (Hindu joint families), LE (Labuan entities), + 10 or 11 digits.
  The general TINs of the IRBM e-Invoice Specific Guideline (Appendix 1:
  ``EI00000000010`` general public, ``...020`` foreign buyer, ``...030`` foreign supplier,
  ``...040`` government) are accepted too, exactly as listed. No check digit is published,
  so none is checked.
- ``ssm``: the 12-digit registration number the Companies Commission of Malaysia (SSM)
  has issued to every company, business and LLP since 11 October 2019: ``YYYY`` (year of
  registration), ``EE`` (entity type: 01 local company, 02 foreign company, 03 business,
  04 local LLP, 05 foreign LLP, 06 LLP for professional practice), ``NNNNNN`` (running
  number). SSM prints it with the old number in brackets during the transition, e.g.
  ``201901000005 (1312525-A)``; the bracketed part is dropped by ``compact``.
- ``ssm_old``: the company number of the pre-2019 format, digits and a check letter
  (``1312525-A``). How the letter is computed is not published, so it is not checked.
- ``nric``: the MyKad number, checked by python-stdnum ``my.nric``.
"""

from __future__ import annotations

import re
from datetime import date

from stdnum.my import nric

from defa.errors import Issue
from defa.ids import PatternScheme, Scheme, StdnumScheme

# Digit counts after the type code, as in LHDN's examples (IG115002000 ... C20880050010).
_INDIVIDUAL_DIGITS: tuple[int, ...] = (9, 10, 11)
_NON_INDIVIDUAL_DIGITS: tuple[int, ...] = (10, 11)
# LHDN's type codes for non-individual taxpayers.
_NON_INDIVIDUAL_CODES = frozenset(
    {"C", "CS", "D", "E", "F", "FA", "PT", "TA", "TC", "TN", "TR", "TP", "J", "LE"}
)
# The general TINs of IRBM's e-Invoice Specific Guideline, Appendix 1.
_GENERAL_TINS = frozenset({"EI00000000010", "EI00000000020", "EI00000000030", "EI00000000040"})
_TIN_PARTS = re.compile(r"([A-Z]{1,2})([0-9]+)")

# SSM entity-type codes of the 12-digit registration number.
_SSM_ENTITY_TYPES = {
    "01": "local company",
    "02": "foreign company",
    "03": "business",
    "04": "local LLP",
    "05": "foreign LLP",
    "06": "LLP for professional practice",
}
# A plausibility floor to refuse nonsense such as year 0000; SSM publishes no lower bound.
_SSM_FIRST_YEAR = 1800
# SSM prints "201901000005 (1312525-A)"; the bracketed old number is not part of the new one.
_SSM_OLD_IN_BRACKETS = re.compile(r"\s*\([^()]{0,20}\)\s*\Z")


def _tin_parts(scheme: Scheme, compacted: str) -> list[Issue]:
    if compacted in _GENERAL_TINS:
        return []
    match = _TIN_PARTS.fullmatch(compacted)
    if match is None:  # pragma: no cover - the scheme's pattern already guarantees the shape
        return [scheme.issue("id.invalid_format", "expected a type code and digits")]
    # The digit count depends on the type code, so it is checked here, not by the pattern.
    code, digits = match.groups()
    if code in {"SG", "OG"}:
        return [
            scheme.issue(
                "id.invalid_component",
                f"the type code {code} was replaced by IG on 2 January 2023 (same digits)",
            )
        ]
    if code == "IG":
        allowed = _INDIVIDUAL_DIGITS
    elif code in _NON_INDIVIDUAL_CODES:
        allowed = _NON_INDIVIDUAL_DIGITS
    elif code == "EI":
        return [scheme.issue("id.invalid_component", "not one of LHDN's published general TINs")]
    else:
        return [scheme.issue("id.invalid_component", f"{code} is not an LHDN TIN type code")]
    if len(digits) not in allowed:
        expected = " to ".join(str(n) for n in (allowed[0], allowed[-1]))
        return [
            scheme.issue(
                "id.invalid_length",
                f"type code {code} takes {expected} digits, not {len(digits)}",
            )
        ]
    return []


def _ssm_parts(scheme: Scheme, compacted: str) -> list[Issue]:
    year, entity = int(compacted[:4]), compacted[4:6]
    issues = []
    if not _SSM_FIRST_YEAR <= year <= date.today().year:
        issues.append(scheme.issue("id.invalid_component", f"{year} is not a registration year"))
    if entity not in _SSM_ENTITY_TYPES:
        issues.append(
            scheme.issue("id.invalid_component", f"{entity} is not an SSM entity-type code")
        )
    return issues


class _SsmScheme(PatternScheme):
    """The SSM number, taking SSM's printed form with the old number in brackets."""

    def _compact(self, text: str) -> str:
        return super()._compact(_SSM_OLD_IN_BRACKETS.sub("", text))


SCHEMES: dict[str, Scheme] = {
    "tin": PatternScheme(
        country="MY",
        name="tin",
        title="Tax Identification Number (Nombor Pengenalan Cukai)",
        source=(
            "LHDN (IRBM) TIN structure as published for the OECD TIN pages and on "
            "hasil.gov.my (TIN format effective 2 January 2023); general TINs from the IRBM "
            "e-Invoice Specific Guideline, Appendix 1"
        ),
        pattern=r"[A-Z]{1,2}[0-9]+",
        lengths=(11, 12, 13),
        extra=_tin_parts,
    ),
    "ssm": _SsmScheme(
        country="MY",
        name="ssm",
        title="SSM registration number",
        source=(
            "Companies Commission of Malaysia (SSM), new registration number format in force "
            "from 11 October 2019 (YYYY + entity type + 6-digit running number)"
        ),
        pattern=r"[0-9]{12}",
        lengths=(12,),
        extra=_ssm_parts,
    ),
    "ssm_old": PatternScheme(
        country="MY",
        name="ssm_old",
        title="Company number, pre-2019 format",
        source=(
            "Companies Commission of Malaysia (SSM): company number printed beside the new "
            "number during the transition (e.g. 1312525-A); check letter not published"
        ),
        pattern=r"[0-9]{1,7}[A-Z]",
        lengths=tuple(range(2, 9)),
        layouts=tuple("#" * n + "-#" for n in range(1, 8)),
    ),
    "nric": StdnumScheme(
        country="MY",
        name="nric",
        title="MyKad number (NRIC)",
        source="National Registration Department (JPN); checked by python-stdnum my.nric",
        module=nric,
    ),
}
ROLES = {"tin": "tin", "brn": "ssm"}
