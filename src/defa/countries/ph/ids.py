"""The Philippines' identifiers.

- ``tin``: the Taxpayer Identification Number issued by the Bureau of Internal Revenue
  (BIR). RMO 23-91 introduced the 9-digit TIN; RMO 34-98 added the 3-digit branch code
  (``000`` = head office), printed ``123-456-789-000``; the Consolidated Revenue
  Regulations on Primary Registration (RR 7-2012, Sec. 2) define the TIN as 9 to 13 digits,
  the first nine the TIN proper and the rest the branch code; and the BIR's current forms
  print a 5-digit branch code (``123-456-789-00000``). So 9, 12, 13 and 14 digits are
  taken. The BIR describes the ninth digit as a check digit but has never published how it
  is computed, so it is not checked. Unofficial ``VAT``/``NV`` suffixes are not accepted.
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
            "Bureau of Internal Revenue: RMO 23-91 and RMO 34-98 (9-digit TIN + branch code), "
            "RR 7-2012 Sec. 2 (9 to 13 digits), 5-digit branch code of current BIR forms; "
            "check digit not published"
        ),
        pattern=r"[0-9]+",
        lengths=(9, 12, 13, 14),
        layouts=("###-###-###", "###-###-###-###", "###-###-###-####", "###-###-###-#####"),
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
