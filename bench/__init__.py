"""Benchmarks, run by hand; see README.md and bench/README-*.md."""
