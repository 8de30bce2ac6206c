"""Tests of the DuckDB engine of the local endpoint, on real DuckDB instances."""
