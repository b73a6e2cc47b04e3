"""Timor-Leste (TL): national profile."""
