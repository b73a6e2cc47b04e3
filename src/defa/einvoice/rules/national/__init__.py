"""Rule sets of the national e-invoice formats of Viet Nam, Indonesia, the Philippines and
Cambodia: ``vn-gdt``, ``id-efaktur``, ``ph-eis`` and ``kh-caminvoice``.

None of these authorities publishes its rules as artefacts (Schematron or the like), so the
rules are the structure and content requirements stated in the regulations and the
published data formats, with ids of our own (``VN-GDT-01``...). Rules whose basis could not
be confirmed in the published text are warnings; each module's docstring names its sources.
"""

from defa.einvoice.rules.national import id_efaktur, kh_caminvoice, ph_eis, vn_gdt

__all__ = ["id_efaktur", "kh_caminvoice", "ph_eis", "vn_gdt"]
