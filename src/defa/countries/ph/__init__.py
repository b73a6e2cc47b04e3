"""Philippines (PH): national profile."""
