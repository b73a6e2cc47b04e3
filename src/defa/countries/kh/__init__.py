"""Cambodia (KH): national profile."""
