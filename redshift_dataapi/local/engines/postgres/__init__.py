"""The PostgreSQL engine (psycopg 3)."""
