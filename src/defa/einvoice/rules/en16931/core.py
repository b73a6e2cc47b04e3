"""EN 16931 core rules: BR-01 ... BR-65 (mandatory terms and cardinalities)."""

from defa.einvoice.rules.en16931 import EN16931

__all__ = ["EN16931"]
