"""Interoperable e-invoicing: the EN 16931 semantic model, syntaxes and rule packs."""
