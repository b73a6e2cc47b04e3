"""Malaysia (MY): national profile."""
