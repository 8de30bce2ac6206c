"""The local Data API service: dispatch, request validation and one handler per operation."""

__all__: list[str] = []
