"""Benchmarks of ShikshaDisha Admin at scale: `make bench` (see bench/README.md).

They print tables and write bench/RESULTS.md; they never fail on a time.
"""
