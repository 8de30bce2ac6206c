"""The local service's state: statements and their results, sessions, secrets, encoding."""
