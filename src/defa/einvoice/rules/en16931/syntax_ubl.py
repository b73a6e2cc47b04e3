"""UBL syntax-bound rules of the EN 16931 artefacts: UBL-CR-*, UBL-SR-*, UBL-DT-*."""

from defa.einvoice.rules.en16931 import EN16931

__all__ = ["EN16931"]
