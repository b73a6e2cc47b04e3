"""EN 16931 code-list rules: BR-CL-*."""

from defa.einvoice.rules.en16931 import EN16931

__all__ = ["EN16931"]
