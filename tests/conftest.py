"""Test-wide settings."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# CI machines are small and shared: no per-example deadline, a fixed example budget.
settings.register_profile(
    "default", deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", deadline=None, max_examples=5_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
