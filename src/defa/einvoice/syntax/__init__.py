"""Invoice syntaxes bound to the EN 16931 semantic model: UBL 2.1 and UN/CEFACT CII D16B."""
