"""The local service's state: statements and their results, sessions, secrets, encoding."""

__all__: list[str] = []
