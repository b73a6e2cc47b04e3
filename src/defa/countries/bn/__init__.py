"""Brunei Darussalam (BN): national profile."""
