"""Thailand (TH): national profile."""
