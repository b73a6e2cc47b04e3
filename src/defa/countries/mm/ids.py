"""Myanmar's identifiers.

- ``tin``: the taxpayer registration number the Director General of the Internal Revenue
  Department assigns under the Tax Administration Law (Pyidaungsu Hluttaw Law No. 20/2019,
  in force 1 October 2019). The law provides for the number but neither it nor any IRD
  publication that could be found states its format or a check digit, so values are
  accepted unverified with an ``id.format_unpublished`` warning.
- ``dica``: the company registration number of the Directorate of Investment and Company
  Administration (Myanmar Companies Online, MyCO); no public format was found.
"""

from __future__ import annotations

from defa.ids import Scheme, UnpublishedScheme

SCHEMES: dict[str, Scheme] = {
    "tin": UnpublishedScheme(
        country="MM",
        name="tin",
        title="Taxpayer Identification Number (TIN)",
        source=(
            "Internal Revenue Department; Tax Administration Law 2019 provides the number, "
            "no format found (searched the law, IRD and OECD TIN pages)"
        ),
        max_length=20,
    ),
    "dica": UnpublishedScheme(
        country="MM",
        name="dica",
        title="Company registration number (DICA / MyCO)",
        source=(
            "Directorate of Investment and Company Administration; no public format was "
            "found (searched DICA and MyCO material)"
        ),
        max_length=20,
    ),
}
ROLES = {"tin": "tin", "brn": "dica"}
