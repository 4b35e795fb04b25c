"""Reporting, outside the core the stages need for their outputs: figures, benchmarks, peers, README tables."""
