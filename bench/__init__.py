"""Benchmarks: run them as scripts or modules, e.g. ``python -m bench.pdf``."""
