"""Thailand's identifiers.

Every taxpayer has a 13-digit tax identification number (Revenue Department): a person's
is the citizen ID (PIN), a juristic person's is its registration number with the
Department of Business Development (MOA), both with the same check digit.
"""

from stdnum.th import moa, pin, tin

from defa.ids import Scheme, StdnumScheme

SCHEMES: dict[str, Scheme] = {
    "tin": StdnumScheme(
        country="TH",
        name="tin",
        title="Tax Identification Number",
        source="Thai Revenue Department; checked by python-stdnum th.tin",
        module=tin,
    ),
    "moa": StdnumScheme(
        country="TH",
        name="moa",
        title="Juristic person registration number (DBD)",
        source="Department of Business Development, Ministry of Commerce; python-stdnum th.moa",
        module=moa,
    ),
    "pin": StdnumScheme(
        country="TH",
        name="pin",
        title="Personal Identification Number",
        source="Department of Provincial Administration; python-stdnum th.pin",
        module=pin,
    ),
}
ROLES = {"tin": "tin", "brn": "moa"}
