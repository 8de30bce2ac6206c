"""The local service's state: statements, their workers, sessions, secrets, encoding, clock."""

__all__: list[str] = []
