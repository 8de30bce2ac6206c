"""The DuckDB engine (the embedded default)."""
