"""The DuckDB engine (the embedded default)."""

__all__: list[str] = []
