"""Myanmar (MM): national profile."""
