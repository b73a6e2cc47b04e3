"""Cambodia's identifiers.

- ``tin``: the taxpayer identification number (VAT TIN) issued by the General Department
  of Taxation (GDT). Taxpayers print it as a letter and three digits, a hyphen and nine
  digits, e.g. ``L001-901700661`` on a tax invoice of (Cambodia) Fiber Optic Communication
  Network Co., Ltd. The GDT has not published the layout, the meaning of the letter (third
  parties read L, K and E as large, medium and small taxpayers) or any check digit, and
  third-party guides disagree on the digit count; so the value is accepted unverified
  with an ``id.format_unpublished`` warning, and ``format`` only restores the hyphen
  after the fourth character for values of the two lengths seen in print.
- ``moc``: the company registration number of the Ministry of Commerce's online business
  registration; no public format was found, so it is accepted unverified likewise.
"""

from __future__ import annotations

from defa.ids import Scheme, UnpublishedScheme

SCHEMES: dict[str, Scheme] = {
    "tin": UnpublishedScheme(
        country="KH",
        name="tin",
        title="Taxpayer Identification Number (VAT TIN)",
        source=(
            "General Department of Taxation; no official statement of the format was found "
            "(searched GDT and CamInvoice material, OECD TIN pages); layout as printed by "
            "taxpayers"
        ),
        max_length=16,
        layouts=("####-#########", "####-##########"),
    ),
    "moc": UnpublishedScheme(
        country="KH",
        name="moc",
        title="Company registration number (Ministry of Commerce)",
        source=(
            "Ministry of Commerce business registration; no public format was found "
            "(searched Ministry of Commerce and GDT material)"
        ),
        max_length=20,
    ),
}
ROLES = {"tin": "tin", "brn": "moc"}
