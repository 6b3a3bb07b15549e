"""Benchmarks, run by `make bench` (never by the tests): one module per benchmark, and
`run.py` that runs them all and writes `results.json`."""
