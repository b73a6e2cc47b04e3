"""Lao PDR's identifiers.

- ``tin``: the taxpayer identification number of the Tax Department (Ministry of Finance).
  Prime Minister's Decree No. 354/PM of 5 October 2007 on the Taxpayer Identification
  Number (Art. 4) says it has four parts, the first an 8-digit sequence number and the
  second a single digit "for monitoring" (a check digit); the published English text
  that could be found does not state the remaining parts in full, and no algorithm for
  the check digit is published. Later reforms (enterprise registration through one-stop
  services, individual TINs under Notice No. 0831/MOF of 2021) did not publish a format
  either. So values are accepted unverified with an ``id.format_unpublished`` warning;
  no check digit is invented.
- ``erc``: the enterprise registration number of the Ministry of Industry and Commerce;
  no public format was found (searched the Lao Trade Portal and MOIC material).
"""

from __future__ import annotations

from defa.ids import Scheme, UnpublishedScheme

SCHEMES: dict[str, Scheme] = {
    "tin": UnpublishedScheme(
        country="LA",
        name="tin",
        title="Taxpayer Identification Number (TIN)",
        source=(
            "Decree No. 354/PM (2007) on the Taxpayer Identification Number, Art. 4 (partial "
            "layout, check-digit algorithm unpublished), as published on the Lao Trade Portal"
        ),
        max_length=20,
    ),
    "erc": UnpublishedScheme(
        country="LA",
        name="erc",
        title="Enterprise registration number",
        source=(
            "Ministry of Industry and Commerce enterprise registration; no public format "
            "was found (searched the Lao Trade Portal and MOIC material)"
        ),
        max_length=20,
    ),
}
ROLES = {"tin": "tin", "brn": "erc"}
