"""Reproducible benchmarks: each ``bench_*.py`` module has ``run() -> list[str]``."""
