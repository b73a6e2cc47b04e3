"""Where the syntax-tree view used to live: re-exported from :mod:`defa.einvoice.rules._tree`.

The view is shared by the Peppol and PINT packs, so it sits beside the engine now; this name
is kept so that code written against the old path keeps working.
"""

from defa.einvoice.rules._tree import *  # noqa: F403
from defa.einvoice.rules._tree import __all__ as __all__
