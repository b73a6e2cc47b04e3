"""Indonesia's identifiers.

The NPWP (Nomor Pokok Wajib Pajak) is the tax number: 15 digits in the old form, 16 since
PMK 112/PMK.03/2022 (a resident individual's is the NIK; others prefix the old number
with 0). The NIK is the 16-digit population number.

The NIB (Nomor Induk Berusaha) is the business identity number issued through the OSS
(Online Single Submission) system. PP 24/2018 on electronically integrated business
licensing defines it as 13 random digits, secured and signed electronically; PP 5/2021
(risk-based licensing), which replaced it, keeps the NIB without restating its length.
The security feature is not a published check digit, so only the 13 digits are checked.
"""

from stdnum.id import nik, npwp

from defa.ids import PatternScheme, Scheme, StdnumScheme


class _NpwpScheme(StdnumScheme):
    """NPWP: python-stdnum's punctuation fits only the 15-digit form.

    The 16-digit NPWP of PMK 112/PMK.03/2022 is written as plain digits; stdnum's
    ``format`` would cut it at the 15-digit form's places, so it is printed unchanged.
    """

    def _format(self, compacted: str) -> str:
        return compacted if len(compacted) == 16 else super()._format(compacted)


SCHEMES: dict[str, Scheme] = {
    "npwp": _NpwpScheme(
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
    "nib": PatternScheme(
        country="ID",
        name="nib",
        title="Nomor Induk Berusaha (NIB)",
        source=(
            "PP 24/2018 on electronically integrated business licensing (13 random digits, "
            "no published check digit); OSS, Ministry of Investment / BKPM"
        ),
        pattern=r"[0-9]{13}",
        lengths=(13,),
    ),
}
ROLES = {"tin": "npwp", "brn": "nib"}
