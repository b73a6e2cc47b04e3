"""Singapore (SG): national profile."""
