"""The Philippines' identifiers.

- ``tin``: the Taxpayer Identification Number issued by the Bureau of Internal Revenue
  (BIR): 9 digits identifying the taxpayer, optionally followed by a branch code of 3
  digits (``000`` = head office), printed ``123-456-789-000``, or of 5 digits as the BIR now
  prints it (``123-456-789-00000``). RMO 34-98 prescribes the 9 + 3 digit encoding. The
  BIR describes the ninth digit as a check digit but has never published how it is
  computed, so it is not checked. Forms with a 4-digit branch code, or with unofficial
  ``VAT``/``NV`` suffixes, are not accepted.
- ``sec``: the registration number given by the Securities and Exchange Commission to
  corporations and partnerships. Its formats (old ``A1998...``/``CS2010...`` style and the
  numbers of the SEC's online registration systems) are not published as a specification,
  so values are accepted unverified with an ``id.format_unpublished`` warning. The DTI's
  business name numbers for sole proprietorships likewise have no published format.
"""

from __future__ import annotations

from defa.ids import PatternScheme, Scheme, UnpublishedScheme

SCHEMES: dict[str, Scheme] = {
    "tin": PatternScheme(
        country="PH",
        name="tin",
        title="Taxpayer Identification Number (TIN)",
        source=(
            "Bureau of Internal Revenue: RMO 34-98 (9-digit TIN + 3-digit branch code) and the "
            "5-digit branch code printed on BIR registrations; check digit not published"
        ),
        pattern=r"[0-9]+",
        lengths=(9, 12, 14),
        layouts=("###-###-###", "###-###-###-###", "###-###-###-#####"),
    ),
    "sec": UnpublishedScheme(
        country="PH",
        name="sec",
        title="SEC registration number",
        source=(
            "Securities and Exchange Commission; no public specification of the number's "
            "format was found (searched SEC memorandum circulars and BIR/SEC guidance)"
        ),
        max_length=20,
    ),
}
ROLES = {"tin": "tin", "brn": "sec"}
