"""EN 16931 VAT category rules: BR-S, BR-Z, BR-E, BR-AE, BR-IC, BR-G, BR-O, BR-IG, BR-IP, BR-AF, BR-AG."""

from defa.einvoice.rules.en16931 import EN16931

__all__ = ["EN16931"]
