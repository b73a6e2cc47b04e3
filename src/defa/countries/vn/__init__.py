"""Viet Nam (VN): national profile."""
