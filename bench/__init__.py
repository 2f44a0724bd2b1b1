"""Benchmarks: each module measures one promise of the design (see README.md)."""
