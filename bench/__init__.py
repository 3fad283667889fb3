"""Benchmarks of SIKAP at provincial scale (issue 8): see bench/README.md."""
