"""Lao People's Democratic Republic (LA): national profile."""
