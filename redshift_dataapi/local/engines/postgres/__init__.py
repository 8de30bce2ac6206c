"""The PostgreSQL engine (psycopg 3)."""

__all__: list[str] = []
