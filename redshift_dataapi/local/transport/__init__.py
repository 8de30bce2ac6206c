"""How requests reach the local service: AWS JSON 1.1 framing, HTTP, in-process."""

__all__: list[str] = []
