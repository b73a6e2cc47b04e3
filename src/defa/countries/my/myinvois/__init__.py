"""MyInvois (LHDN, Malaysia): e-invoice documents v1.0 and v1.1 in XML and JSON.

* :mod:`.xml_syntax`: ``read_xml`` / ``write_xml``: UBL 2.1 with the MyInvois terms
  (``MY-...``, see :mod:`._binding`); ``read_ubl`` / ``write_ubl``: the same terms in any
  UBL 2.1 Invoice or CreditNote (PINT MY).
* :mod:`.json_syntax`: ``read_json`` / ``write_json``: the UBL 2.1 JSON representation,
  the same model as the XML form.
* :mod:`.signature` (XML) and :mod:`.signature_json` (JSON): the v1.1 enveloped XAdES
  signature, created and verified as LHDN's signature guide describes.
* :mod:`.profile`: detection and preparation for the formats ``my-myinvois-xml`` and
  ``my-myinvois-json`` (listed in :mod:`defa.countries.my.einvoice`).
* The rules are the rule set ``my-myinvois`` (:mod:`defa.einvoice.rules.myinvois`).

Source: the MyInvois SDK documentation (LHDN), as compiled in deadboy18/myinvois-docs.
"""

from defa.countries.my.myinvois.json_syntax import read_json, write_json
from defa.countries.my.myinvois.xml_syntax import read_ubl, read_xml, write_ubl, write_xml

__all__ = ["read_json", "read_ubl", "read_xml", "write_json", "write_ubl", "write_xml"]
