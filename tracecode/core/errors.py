"""The API's error type, raised by any endpoint; tracecode/api.py turns it into the one shape."""

from ninja.errors import HttpError


class ApiError(HttpError):
    """An error with a machine-readable code: `{"error": {"code", "message", "fields"}}`."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(status, message)
        self.code = code
        self.fields = fields or {}
