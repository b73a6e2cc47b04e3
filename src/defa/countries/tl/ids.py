"""Timor-Leste's identifiers.

- ``tin``: the taxpayer identification number issued by the Autoridade Tributária
  Timor-Leste (ATTL). The ATTL's registration guidance and the Ministry of Finance's TIN
  re-registration pages describe how to obtain a TIN but not its format or any check
  digit, so values are accepted unverified with an ``id.format_unpublished`` warning.
- ``serve``: the commercial registration number of SERVE, I.P. (Serviço de Registo e
  Verificação Empresarial); no public format was found.
"""

from __future__ import annotations

from defa.ids import Scheme, UnpublishedScheme

SCHEMES: dict[str, Scheme] = {
    "tin": UnpublishedScheme(
        country="TL",
        name="tin",
        title="Taxpayer Identification Number (TIN)",
        source=(
            "Autoridade Tributária Timor-Leste; no format found (searched ATTL and Ministry "
            "of Finance TIN registration pages, Trade Information Portal)"
        ),
        max_length=20,
    ),
    "serve": UnpublishedScheme(
        country="TL",
        name="serve",
        title="Commercial registration number (SERVE)",
        source=(
            "SERVE, I.P. business registration; no public format was found (searched SERVE "
            "and Trade Information Portal material)"
        ),
        max_length=20,
    ),
}
ROLES = {"tin": "tin", "brn": "serve"}
