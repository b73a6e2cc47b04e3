"""EN 16931 calculation and decimal rules: BR-CO-*, BR-DEC-*."""

from defa.einvoice.rules.en16931 import EN16931

__all__ = ["EN16931"]
