"""Indonesia's identifiers.

The NPWP (Nomor Pokok Wajib Pajak) is the tax number: 15 digits in the old form, 16 since
PMK 112/PMK.03/2022 (a resident individual's is the NIK; others prefix the old number
with 0). The NIK is the 16-digit population number.
"""

from stdnum.id import nik, npwp

from defa.ids import Scheme, StdnumScheme

SCHEMES: dict[str, Scheme] = {
    "npwp": StdnumScheme(
        country="ID",
        name="npwp",
        title="Nomor Pokok Wajib Pajak (NPWP)",
        source="PMK 112/PMK.03/2022 (16-digit NPWP); checked by python-stdnum id.npwp",
        module=npwp,
    ),
    "nik": StdnumScheme(
        country="ID",
        name="nik",
        title="Nomor Induk Kependudukan (NIK)",
        source="Law 24/2013 on population administration; python-stdnum id.nik",
        module=nik,
    ),
}
ROLES = {"tin": "npwp"}
