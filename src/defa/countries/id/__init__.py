"""Indonesia (ID): national profile."""
