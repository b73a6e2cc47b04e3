"""Viet Nam's identifiers.

The tax code (mã số thuế, MST) has 10 digits, or 13 for a dependent unit (10 + 3-digit
branch suffix). Under the Law on Enterprises 2020 (Art. 29) an enterprise's registration
number is its tax code, so the one scheme serves both roles.
"""

from stdnum.vn import mst

from defa.ids import Scheme, StdnumScheme

SCHEMES: dict[str, Scheme] = {
    "mst": StdnumScheme(
        country="VN",
        name="mst",
        title="Tax code (Mã số thuế)",
        source="Circular 105/2020/TT-BTC on tax registration; checked by python-stdnum vn.mst",
        module=mst,
    ),
}
ROLES = {"tin": "mst", "brn": "mst"}
