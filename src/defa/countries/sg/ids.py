"""Singapore's identifiers.

The Unique Entity Number (UEN), issued under the UEN system run by ACRA, is an entity's
business registration number and, by IRAS practice, its tax reference number too.
"""

from stdnum.sg import uen

from defa.ids import Scheme, StdnumScheme

SCHEMES: dict[str, Scheme] = {
    "uen": StdnumScheme(
        country="SG",
        name="uen",
        title="Unique Entity Number (UEN)",
        source="ACRA UEN system; IRAS tax reference numbers; checked by python-stdnum sg.uen",
        module=uen,
    ),
}
ROLES = {"tin": "uen", "brn": "uen"}
